"""The word lists as one value: overrides replace bundled files, and change the index key."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrace.cli import app
from quotetrace.lexicon import (
    OVERRIDE_ENV,
    default_lexicon,
    load_lexicon,
    overrides_from_env,
)

runner = CliRunner()

ARTICLE = (
    "Council to vote on the bridge\n\n"
    "“We will build the bridge before winter comes to the valley,” said John Carver, the mayor of Dunmore.\n\n"
    "Mary Doyle, the council's chairwoman, said the vote would take place on Monday.\n\n"
    "“Nobody has asked us what the river towns need,” Ana Ruiz told reporters on Tuesday.\n"
)


def cues_without(tmp_path: Path, *lemmas: str) -> Path:
    """A copy of the bundled cue list without some reporting verbs."""
    text = resources.files("quotetrace.data").joinpath("cues.toml").read_text(encoding="utf-8")
    for lemma in lemmas:
        assert f'"{lemma}", ' in text
        text = text.replace(f'"{lemma}", ', "", 1)
    path = tmp_path / "cues.toml"
    path.write_text(text, encoding="utf-8")
    return path


def cues(result) -> list[str]:  # type: ignore[no-untyped-def]
    """The cue lemma of each quote listed."""
    assert result.exit_code == 0, result.stderr
    return [r["cue"]["lemma"] if r["cue"] else None for r in json.loads(result.stdout)]


def test_an_override_changes_the_answer_from_a_warm_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "index.sqlite3")
    bundled = cues(runner.invoke(app, ["list", str(article), "-f", "json", "--db", db]))
    assert {"say", "tell"} <= set(bundled)
    monkeypatch.setenv(OVERRIDE_ENV["cues.toml"], str(cues_without(tmp_path, "say", "tell")))
    # the same index, now warm: the edited list must be a new key, not the old answer
    edited = cues(runner.invoke(app, ["list", str(article), "-f", "json", "--db", db]))
    assert not {"say", "tell"} & set(edited) and len(edited) < len(bundled)
    monkeypatch.delenv(OVERRIDE_ENV["cues.toml"])
    assert cues(runner.invoke(app, ["list", str(article), "-f", "json", "--db", db])) == bundled


def test_the_digest_covers_every_byte_and_nothing_else(tmp_path: Path) -> None:
    same = tmp_path / "same.toml"
    same.write_bytes(resources.files("quotetrace.data").joinpath("cues.toml").read_bytes())
    assert load_lexicon({"cues.toml": same}).digest == default_lexicon().digest
    edited = cues_without(tmp_path, "say")
    lexicon = load_lexicon({"cues.toml": edited})
    assert lexicon.digest != default_lexicon().digest
    assert "say" not in lexicon.cues.reporting and "say" in default_lexicon().cues.reporting
    assert lexicon.sources == {"cues.toml": str(edited)}


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = cues_without(tmp_path, "say")
    first = load_lexicon({"cues.toml": path})
    path.write_text(path.read_text(encoding="utf-8").replace('"tell", ', "", 1), encoding="utf-8")
    assert load_lexicon({"cues.toml": path}).digest != first.digest


def test_overrides_come_from_the_environment_only_when_asked() -> None:
    assert overrides_from_env({}) == {}
    assert overrides_from_env({"QUOTETRACE_CUES": "/x/cues.toml", "QUOTETRACE_OTHER": "y"}) == {"cues.toml": "/x/cues.toml"}


@pytest.mark.parametrize(("content", "message"), [
    pytest.param(None, "cannot read", id="missing"),
    pytest.param(b"[reporting\nlemmas = [", "not valid UTF-8 TOML", id="not TOML"),
    pytest.param(b"\xff\xfe[reporting]", "not valid UTF-8 TOML", id="not UTF-8"),
])
def test_a_bad_override_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | None,
                                    message: str) -> None:
    path = tmp_path / "cues.toml"
    if content is not None:
        path.write_bytes(content)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("QUOTETRACE_CUES", str(path))
    result = runner.invoke(app, ["list", str(tmp_path / "a.txt")])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"quotetrace: error: word list {path}: {message}")


@pytest.mark.parametrize(("name", "variable", "content"), [
    pytest.param("boilerplate.toml", "QUOTETRACE_BOILERPLATE", '[[pattern]]\nid = "x"\nregex = "(unclosed"\n',
                 id="a furniture pattern that is no regular expression"),
    pytest.param("boilerplate.toml", "QUOTETRACE_BOILERPLATE", '[[pattern]]\nregex = "^Ad$"\n',
                 id="a furniture pattern without its id"),
    pytest.param("boilerplate.toml", "QUOTETRACE_BOILERPLATE", '[[pattern]]\nid = "x"\nregex = "cookie"\nneeds = "cookie"\n',
                 id="a furniture pattern whose needs is no list"),
    pytest.param("outlets.toml", "QUOTETRACE_OUTLETS", '[[outlet]]\naliases = ["Gazette"]\n',
                 id="an outlet without its name"),
])
def test_a_user_copy_that_cannot_be_built_is_told_when_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               name: str, variable: str, content: str) -> None:
    # the bundled outlets and patterns are built on first use; a user's copy at once, so that
    # its mistake is one line before anything runs
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv(variable, str(path))
    result = runner.invoke(app, ["list", str(tmp_path / "a.txt")])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"quotetrace: error: word list {path}: an entry it cannot use")


def test_the_bundled_outlets_and_patterns_are_built_when_first_read() -> None:
    lexicon = default_lexicon()
    assert lexicon.outlets.by_name  # built, and kept
    assert lexicon.outlets is lexicon.outlets
    assert lexicon.furniture.patterns
    assert lexicon.first_names
