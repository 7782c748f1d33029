"""The command's quick answer from the index (quick.py): the same bytes and exit status as the
command line's, taken only where it is certain to be; everything else goes to typer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotetrace.quick import ListArguments, list_arguments
from quotetrace.render import indented_json

ARTICLE = "“We will build the bridge before winter,” said John Carver, the mayor of Harbor City.\n"
OTHER = "Harbor council votes\n\nThe council will vote on the budget, Mary Doyle said on Monday.\n"


@pytest.mark.parametrize("argv, expected", [
    (["list", "a.txt", "-f", "json"], ListArguments(paths=("a.txt",), fmt="json")),
    (["list", "-f", "jsonl", "a.txt", "b"], ListArguments(paths=("a.txt", "b"), fmt="jsonl")),
    (["list", "--format=json", "--db", "x.db", "--workers", "2"],
     ListArguments(fmt="json", db=Path("x.db"), workers=2)),
    (["list", "a", "-f", "json", "--no-link", "--speaker", "Carver", "--kind=direct", "--outlet", "AP"],
     ListArguments(paths=("a",), fmt="json", link=False, speaker="Carver", kind="direct", outlet="AP")),
    (["list", "a", "-f", "table", "-f", "json"], ListArguments(paths=("a",), fmt="json")),  # the last wins
    (["list", "a", "-f", "json", "--link", "--model", "en_core_web_sm", "--aliases", "al.toml"],
     ListArguments(paths=("a",), fmt="json", link=True, model="en_core_web_sm", aliases_file=Path("al.toml"))),
])
def test_the_plain_forms_of_list_are_read_as_typer_reads_them(argv: list[str], expected: ListArguments) -> None:
    assert list_arguments(argv) == expected


@pytest.mark.parametrize("argv", [
    pytest.param([], id="no command"),
    pytest.param(["claims", "a", "-f", "json"], id="another command"),
    pytest.param(["list", "a"], id="a table (rich draws it)"),
    pytest.param(["list", "a", "-f", "csv"], id="a format typer refuses"),
    pytest.param(["list", "-", "-f", "json"], id="stdin"),
    pytest.param(["list", "a", "-f", "json", "--help"], id="help"),
    pytest.param(["--version"], id="the version"),
    pytest.param(["list", "a", "-f", "json", "--workers", "0"], id="a worker count typer refuses"),
    pytest.param(["list", "a", "-f", "json", "--workers", "two"], id="not a number"),
    pytest.param(["list", "a", "-f", "json", "--kind", "scare"], id="a kind typer refuses"),
    pytest.param(["list", "a", "-f"], id="an option without its value"),
    pytest.param(["list", "a", "-f", "json", "--", "-b"], id="the end of options"),
    pytest.param(["list", "a", "-fjson"], id="a glued short option"),
    pytest.param(["list", "a", "-f", "json", "--unknown"], id="an option list does not have"),
    pytest.param(["list", "a", "-f", "json", "--db", "."], id="a folder for the index"),
])
def test_anything_else_goes_to_typer(argv: list[str]) -> None:
    assert list_arguments(argv) is None


# The command as typer runs it, and as the quick entry point does; each prints, last, which of
# the heavy modules it imported.
TYPER = """
import sys
from quotetrace.cli import app
try:
    app(prog_name="quotetrace", args=sys.argv[1:])
except SystemExit as done:
    code = done.code
else:
    code = 0
sys.stdout.flush()
print("\\nexit", code, sorted(m for m in ("typer", "rich", "pydantic", "spacy") if m in sys.modules))
"""
QUICK = """
import sys
from quotetrace.quick import main
try:
    main()
except SystemExit as done:
    code = done.code
else:
    code = 0
sys.stdout.flush()
print("\\nexit", code, sorted(m for m in ("typer", "rich", "pydantic", "spacy") if m in sys.modules))
"""


def _run(script: str, args: list[str]) -> tuple[str, str, str]:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    body, _, last = done.stdout.rpartition("\nexit ")
    return body, last.strip(), done.stderr


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    found = tmp_path_factory.mktemp("articles")
    (found / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (found / "b.txt").write_text(OTHER, encoding="utf-8")
    return found


@pytest.mark.parametrize("options", [
    pytest.param(["-f", "json"], id="json, claims linked"),
    pytest.param(["-f", "jsonl"], id="jsonl"),
    pytest.param(["-f", "json", "--no-link", "--speaker", "Carver"], id="a speaker"),
    pytest.param(["--format=jsonl", "--link", "--kind", "indirect"], id="a kind"),
])
def test_the_quick_answer_is_the_command_lines(folder: Path, tmp_path: Path, options: list[str]) -> None:
    args = ["list", str(folder), *options, "--db", str(tmp_path / "index.sqlite3")]
    first, status, _ = _run(QUICK, args)  # parses: nothing in the index yet
    assert "spacy" in status and "typer" in status
    typer_answer, typer_status, _ = _run(TYPER, args)
    quick_answer, quick_status, quick_err = _run(QUICK, args)
    assert quick_answer == typer_answer == first
    assert quick_status == "0 []", "answered without typer, rich, pydantic or spaCy"
    assert typer_status.startswith("0 ") and quick_err == ""


def test_an_article_not_in_the_index_goes_the_usual_way(folder: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "index.sqlite3")
    _run(QUICK, ["list", str(folder / "a.txt"), "-f", "json", "--db", db])
    answer, status, _ = _run(QUICK, ["list", str(folder), "-f", "json", "--db", db])
    assert "spacy" in status
    assert answer == _run(TYPER, ["list", str(folder), "-f", "json", "--db", db])[0]


def test_an_input_that_cannot_be_read_is_reported_the_usual_way(folder: Path, tmp_path: Path) -> None:
    args = ["list", str(folder), str(tmp_path / "missing.txt"), "-f", "json", "--db", str(tmp_path / "i.sqlite3")]
    _run(QUICK, args)
    answer, status, err = _run(QUICK, args)
    assert status.startswith("1 ") and "typer" in status and "spacy" not in status
    assert "missing.txt" in err
    assert answer == _run(TYPER, args)[0]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30)


@given(_JSON)
def test_indented_json_is_the_standard_librarys(value: object) -> None:
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
