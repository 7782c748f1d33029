"""The JSON contract: the schema of every record quotetrace writes, and the version records carry.

The schema is package data (``quotetrace/data/schema.json``, JSON Schema draft 2020-12), so that
``quotetrace schema`` prints exactly what the tests validate against. The version a record
carries is read from the schema itself (``$defs.schema_version.const``): one place to bump it.

Versioning: ``MAJOR.MINOR``. A minor version only adds keys or values; a consumer that ignores
unknown keys keeps working. A major version changes or removes something.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "schema.json"


@cache
def schema_text() -> str:
    """The schema as shipped, ready to print."""
    return resources.files("quotetrace.data").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The schema as a dict (a fresh copy each call: callers may edit it)."""
    return json.loads(schema_text())


@cache
def schema_version() -> str:
    """The version every top-level record carries as ``schema_version``."""
    version: str = load_schema()["$defs"]["schema_version"]["const"]
    return version


def versioned(record: dict[str, Any]) -> dict[str, Any]:
    """A record as written at the top level of an output: ``schema_version`` first."""
    return {"schema_version": schema_version(), **record}
