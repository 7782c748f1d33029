"""The JSON contract: every command's JSON output validates against the shipped schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from quotetrace.cli import app
from quotetrace.schema import load_schema, schema_text, schema_version

from .conftest import CORPUS, SHARED_EVAL

runner = CliRunner()
SCHEMA = load_schema()
ANY_RECORD = Draft202012Validator(SCHEMA)
# Each command and format, the definition its records follow, and how they are laid out:
# an array, one record a line, or a single object.
OUTPUTS = [
    (("list", "-f", "json"), "quote_record", "array"),
    (("list", "-f", "jsonl"), "quote_record", "lines"),
    (("list", "-f", "jsonl", "--link"), "quote_record", "lines"),
    (("claims", "-f", "json"), "claim_record", "array"),
    (("claims", "-f", "jsonl"), "claim_record", "lines"),
    (("speakers", "-f", "json"), "speaker_record", "array"),
    (("speakers", "-f", "jsonl"), "speaker_record", "lines"),
    (("chain", "security guarantee", "-f", "json"), "chain_record", "object"),
    (("chain", "security guarantee", "-f", "jsonl"), "chain_graph_record", "lines"),
]


def validator(definition: str) -> Draft202012Validator:
    return Draft202012Validator({"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{definition}"})


def records(stdout: str, layout: str) -> list[dict]:
    if layout == "lines":
        return [json.loads(line) for line in stdout.splitlines()]
    data = json.loads(stdout)
    return data if layout == "array" else [data]


@pytest.fixture(scope="module")
def output():
    """stdout of each command on the bundled corpus, run once."""
    seen: dict[tuple[str, ...], str] = {}

    def get(args: tuple[str, ...]) -> str:
        if args not in seen:
            result = runner.invoke(app, list(args))
            assert result.exit_code == 0, result.stderr
            seen[args] = result.stdout
        return seen[args]

    return get


def test_the_schema_is_draft_2020_12_and_valid() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_schema_command_prints_the_shipped_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == schema_text()
    assert json.loads(result.stdout) == SCHEMA


@pytest.mark.parametrize(("args", "definition", "layout"), OUTPUTS, ids=[" ".join(a) for a, _, _ in OUTPUTS])
def test_every_json_output_follows_the_schema(output, args: tuple[str, ...], definition: str, layout: str) -> None:
    found = records(output(args), layout)
    assert found
    check = validator(definition)
    for record in found:
        check.validate(record)
        ANY_RECORD.validate(record)  # the root schema takes any one record of any output
        assert next(iter(record)) == "schema_version" and record["schema_version"] == schema_version()


@pytest.mark.parametrize(("json_args", "jsonl_args"), [
    (("list", "-f", "json"), ("list", "-f", "jsonl", "--link")),
    (("claims", "-f", "json"), ("claims", "-f", "jsonl")),
    (("speakers", "-f", "json"), ("speakers", "-f", "jsonl")),
])
def test_json_and_jsonl_hold_the_same_records(output, json_args: tuple[str, ...], jsonl_args: tuple[str, ...]) -> None:
    assert records(output(json_args), "array") == records(output(jsonl_args), "lines")


def test_nested_records_do_not_repeat_the_version(output) -> None:
    chain = json.loads(output(("chain", "security guarantee", "-f", "json")))
    quotes = [q for claim in chain["claims"] for q in claim["quotes"]]
    assert quotes and all("schema_version" not in q for q in quotes)


def _quote(output) -> dict:
    return json.loads(output(("list", "-f", "json")))[0]


@pytest.mark.parametrize(("change", "why"), [
    (lambda r: r.pop("schema_version"), "a top-level record must say its version"),
    (lambda r: r.update(schema_version="0.9"), "another version is another contract"),
    (lambda r: r.update(extra=1), "a key the schema does not name is drift"),
    (lambda r: r.update(kind="quoted"), "kinds are direct, indirect, mixed"),
    (lambda r: r.pop("claim"), "every key is always written, null when unknown"),
    (lambda r: r.update(speaker={"name": "X", "type": "robot", "role": None, "mention": None}), "speaker types"),
    (lambda r: r.update(start=-1), "offsets are never negative"),
])
def test_the_schema_rejects_drift(output, change, why: str) -> None:
    record = _quote(output)
    validator("quote_record").validate(record)
    change(record)
    assert not validator("quote_record").is_valid(record), why


def test_a_quote_nested_in_a_chain_may_not_carry_extra_keys(output) -> None:
    chain = json.loads(output(("chain", "security guarantee", "-f", "json")))
    chain["claims"][0]["quotes"][0]["schema_version"] = schema_version()
    assert not validator("chain_record").is_valid(chain)


@pytest.mark.evaluation
def test_the_scorer_reads_versioned_output(tmp_path: Path) -> None:
    """score.py takes the records as they are written: the version key changes no score."""
    seeds = SHARED_EVAL / "seeds"
    quotes, chain = tmp_path / "quotes.json", tmp_path / "chain.json"
    listed = runner.invoke(app, ["list", str(seeds), "-f", "json"])
    traced = runner.invoke(app, ["chain", "security guarantee", "-f", "json"])
    assert listed.exit_code == 0 and traced.exit_code == 0
    quotes.write_text(listed.stdout, encoding="utf-8")
    chain.write_text(traced.stdout, encoding="utf-8")
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps([{k: v for k, v in r.items() if k != "schema_version"} for r in json.loads(listed.stdout)]))

    def score(path: Path) -> dict:
        run = subprocess.run([sys.executable, str(SHARED_EVAL / "score.py"), str(seeds / "gold.json"), str(path),
                              "--chains", str(chain), "--json"], capture_output=True, text=True, check=True)
        return json.loads(run.stdout)

    versioned, unversioned = score(quotes), score(bare)
    assert versioned["detection"] == unversioned["detection"]
    assert versioned["detection"]["f1"] >= 0.976
    (edges,) = versioned["chains"]
    assert edges["edges_found"] == edges["gold_edges"] == 8


def test_ingest_records_follow_the_schema(tmp_path: Path) -> None:
    db = str(tmp_path / "index.db")
    check = validator("ingest_record")
    for fmt, layout, status in (("jsonl", "lines", "added"), ("json", "array", "skipped")):
        result = runner.invoke(app, ["ingest", str(CORPUS), "-f", fmt, "--db", db])
        assert result.exit_code == 0, result.stderr
        found = records(result.stdout, layout)
        assert found and {r["status"] for r in found} == {status}
        for record in found:
            check.validate(record)
            ANY_RECORD.validate(record)
