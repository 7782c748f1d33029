"""``quotetrace list`` end to end: stdout parsed as JSON, warnings and errors read from stderr."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrace import __version__
from quotetrace.articles import decode, default_corpus_paths, read_articles
from quotetrace.cli import app
from quotetrace.errors import MODEL_INSTALL_HINT
from quotetrace.names import name_words

RECORD_KEYS = ["schema_version", "id", "article", "start", "end", "text", "kind", "cue", "speaker", "addressee", "parent", "via",
               "confidence", "method", "claim"]
QUOTED = "“We will build the bridge before winter comes to the valley,” said John Carver, the mayor of Dunmore.\n"

runner = CliRunner()


def run(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture(scope="module")
def corpus_records() -> list[dict]:
    result = run("list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def ids(records: list[dict]) -> list[str]:
    return [r["id"] for r in records]


def test_no_paths_reads_the_bundled_corpus(corpus_records: list[dict]) -> None:
    assert {r["article"] for r in corpus_records} == set(default_corpus_paths())
    texts = {a.path: a.text for a in read_articles(default_corpus_paths())}
    for record in corpus_records:
        assert list(record) == RECORD_KEYS
        assert texts[record["article"]][record["start"]:record["end"]] == record["text"]
        assert record["kind"] in ("direct", "indirect", "mixed")
        assert 0 <= record["confidence"] <= 1
    assert len(set(ids(corpus_records))) == len(corpus_records)


def test_bundled_corpus_is_found_from_any_folder(tmp_path: Path, monkeypatch, corpus_records: list[dict]) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("list", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert ids(json.loads(result.stdout)) == ids(corpus_records)


def test_speaker_filter_keeps_exactly_that_speakers_quotes(corpus_records: list[dict]) -> None:
    result = run("list", "--speaker", "putin", "-f", "json")
    assert result.exit_code == 0, result.stderr
    by_name = [r for r in corpus_records if r["speaker"] and "putin" in name_words(r["speaker"]["name"])]
    assert by_name, "the bundled corpus quotes Putin"
    assert ids(json.loads(result.stdout)) == ids(by_name)


def test_speaker_filter_forgives_hyphens_and_typos(corpus_records: list[dict]) -> None:
    hyphenated = run("list", "--speaker", "Kim Jong Un", "-f", "json")
    misspelt = run("list", "--speaker", "Vladimir Puttin", "-f", "json")
    assert ids(json.loads(hyphenated.stdout)) == ids(
        [r for r in corpus_records if r["speaker"] and r["speaker"]["name"] in ("Kim Jong-un", "Kim Jong Un")])
    assert ids(json.loads(misspelt.stdout)) == ids(json.loads(run("list", "--speaker", "putin", "-f", "json").stdout))


def test_kind_and_outlet_filters(corpus_records: list[dict]) -> None:
    direct = json.loads(run("list", "--kind", "direct", "-f", "json").stdout)
    assert ids(direct) == ids([r for r in corpus_records if r["kind"] == "direct"])
    outlets = {a.path: a.meta.outlet for a in read_articles(default_corpus_paths())}
    times = json.loads(run("list", "--outlet", "korea times", "-f", "json").stdout)
    assert times and ids(times) == ids([r for r in corpus_records if outlets[r["article"]] == "The Korea Times"])


def test_jsonl_is_one_record_a_line(corpus_records: list[dict]) -> None:
    result = run("list", "-f", "jsonl", "--link")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line) for line in lines] == corpus_records


def test_jsonl_streams_without_claims_unless_asked(corpus_records: list[dict]) -> None:
    result = run("list", "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(r["claim"] is None for r in records)
    assert [{**r, "claim": None} for r in corpus_records] == records
    assert all(r["claim"] for r in corpus_records)


def test_table_shows_article_text_literally_and_strips_escapes(tmp_path: Path) -> None:
    article = tmp_path / "markup.txt"
    article.write_text(
        "“We will [bold]build[/bold] the bridge \x1b[31mbefore winter\x1b[0m comes to the valley,” said John Carver.\n",
        encoding="utf-8")
    result = runner.invoke(app, ["list", str(article)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "[bold]build[/bold]" in result.stdout
    assert "\x1b" not in result.stdout
    assert "John Carver" in result.stdout and "markup.txt" in result.stdout


def test_stdin(tmp_path: Path) -> None:
    result = run("list", "-", "-f", "json", input=QUOTED.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert records and {r["article"] for r in records} == {"-"}
    assert all(QUOTED[r["start"]:r["end"]] == r["text"] for r in records)


def test_unreadable_files_warn_once_each_and_the_rest_is_processed(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(QUOTED, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (tmp_path / "c_empty.txt").write_text("  \n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = run("list", str(tmp_path), str(missing), "-f", "json")
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert records and {Path(r["article"]).name for r in records} == {"a_good.txt"}
    assert result.stderr.splitlines() == [
        f"quotetrace: warning: {tmp_path / 'b_binary.txt'}: binary file",
        f"quotetrace: warning: {tmp_path / 'c_empty.txt'}: empty file",
        f"quotetrace: warning: {missing}: no such file or folder",
    ]


def test_missing_pipeline_is_one_line_saying_how_to_install(monkeypatch) -> None:
    for args, env in ((["--model", "no_such_pipeline_xyz"], {}), ([], {"QUOTETRACE_MODEL": "no_such_pipeline_xyz"})):
        result = runner.invoke(app, ["list", *args], env=env)
        assert result.exit_code == 1
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith("quotetrace: error: ") and "no_such_pipeline_xyz" in line
        assert MODEL_INSTALL_HINT in line


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"quotetrace {__version__}\n"


def test_bad_option_is_a_usage_error() -> None:
    result = run("list", "--kind", "quoted")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "quoted" in result.stderr


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    # Far more output (about 170 kB) than a pipe buffers, so writes after the reader is gone fail.
    text = decode(Path(default_corpus_paths()[0]).read_bytes(), "corpus")
    batch = tmp_path / "many.jsonl"
    batch.write_text("".join(json.dumps({"text": text}) + "\n" for _ in range(40)), encoding="utf-8")
    # read into the index here, with the session's pipeline: the process below answers from it
    assert run("ingest", str(batch)).exit_code == 0
    process = subprocess.Popen([sys.executable, "-m", "quotetrace", "list", str(batch), "-f", "jsonl"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, stderr
    assert json.loads(first)["article"] == f"{batch}:1"
    assert stderr == ""


def test_an_article_the_engine_fails_on_is_reported_and_the_rest_listed(tmp_path: Path, monkeypatch) -> None:
    engine = importlib.import_module("quotetrace.extraction")
    real_extract_doc = engine.extract_doc

    def failing_on_b(doc, lexicon, *, article: str = "-", meta=None, warnings=None, text=None):
        if article.endswith("b.txt"):
            raise RuntimeError("boom")
        return real_extract_doc(doc, lexicon, article=article, meta=meta, warnings=warnings, text=text)

    monkeypatch.setattr(engine, "extract_doc", failing_on_b)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(QUOTED, encoding="utf-8")
    result = run("list", str(tmp_path), "-f", "json")
    assert result.exit_code == 1
    assert {Path(r["article"]).name for r in json.loads(result.stdout)} == {"a.txt"}
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"quotetrace: warning: {tmp_path / 'b.txt'}: ") and "boom" in line
