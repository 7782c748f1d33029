"""Each script in examples/ runs, on the bundled corpus, and says what its comment promises."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from quotetrace.aliases import ALIASES_ENV
from quotetrace.cli import app
from quotetrace.schema import load_schema

from .conftest import REPO

EXAMPLES = REPO / "examples"
RUNS = {
    "spokesperson": ["bash", str(EXAMPLES / "spokesperson_quotes.sh")],
    "widely_carried": ["bash", str(EXAMPLES / "widely_carried_claims.sh")],
    "speaker_claims": ["bash", str(EXAMPLES / "speaker_claims.sh"), "putin"],
    "handoff": ["bash", str(EXAMPLES / "factcheck_handoff.sh")],
    "quote_sheet": [sys.executable, str(EXAMPLES / "quote_sheet.py"), "security guarantee"],
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """stdout of every example, run side by side (each loads spaCy in its own process)."""
    assert shutil.which("jq"), "the examples need jq: apt-get install jq (.ci/run installs it)"
    no_aliases = tmp_path_factory.mktemp("config") / "aliases.toml"
    no_aliases.write_text("", encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           ALIASES_ENV: str(no_aliases)}
    running = {name: subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, encoding="utf-8") for name, args in RUNS.items()}
    done = {}
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, f"{name}: {stderr}"
        assert stderr == "", f"{name}: {stderr}"
        done[name] = stdout
    return done


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_every_example_is_run_here() -> None:
    scripts = {p.name for p in EXAMPLES.iterdir() if p.suffix in (".sh", ".py") and not p.name.startswith("dask_")}
    assert scripts == {Path(args[1]).name for args in RUNS.values()}


def test_spokesperson_quotes(outputs: dict[str, str]) -> None:
    found = lines(outputs["spokesperson"])
    assert found and {"Han Jeong-woo"} <= {q["speaker"] for q in found}
    assert all("spokes" in q["role"].lower() for q in found)


def test_claims_carried_by_three_or_more_outlets(outputs: dict[str, str]) -> None:
    found = lines(outputs["widely_carried"])
    expected = json.loads(CliRunner().invoke(app, ["claims", "--min-outlets", "3", "-f", "json"]).stdout)
    assert found and [c["claim"] for c in found] == [c["text"] for c in expected]
    assert all(len(c["outlets"]) >= 3 and c["first_seen"]["published"] for c in found)


def test_a_speakers_claims_with_first_appearance(outputs: dict[str, str]) -> None:
    found = lines(outputs["speaker_claims"])
    assert found and all(any("putin" in s.lower() for s in c["speakers"]) for c in found)
    widest = max(found, key=lambda c: len(c["outlets"]))
    assert (widest["first_published"], widest["first_outlet"]) == ("2019-04-25", "KBS World")
    assert widest["first_article"].endswith("2019-04-25_kbs-world_kim-putin-hold-summit.txt")


def test_fact_check_handoff_is_claimreview_json_ld(outputs: dict[str, str]) -> None:
    schema = load_schema()
    claim_shape = Draft202012Validator({"$schema": schema["$schema"], "$defs": schema["$defs"],
                                        "$ref": "#/$defs/schema_org_claim"})
    reviews = json.loads(outputs["handoff"])
    assert reviews
    for review in reviews:
        assert (review["@context"], review["@type"]) == ("https://schema.org", "ClaimReview")
        claim = review["itemReviewed"]
        claim_shape.validate({"@context": "https://schema.org", **claim})
        assert review["claimReviewed"] == claim["text"]
        assert len({a["publisher"]["name"] for a in claim["appearance"]}) >= 2


def test_quote_sheet_from_the_library(outputs: dict[str, str]) -> None:
    sheet = outputs["quote_sheet"]
    assert sheet.startswith("# Quote sheet: security guarantee\n")
    assert "\n## Vladimir Putin" in sheet
    quotes = [line for line in sheet.splitlines() if line.startswith("- ")]
    assert quotes and all("guarantee" in line.lower() and "security" in line.lower() for line in quotes)
