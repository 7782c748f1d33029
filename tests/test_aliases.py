"""Aliases the user controls: the file, where it is found, and what it changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrace.aliases import ALIASES_ENV, Aliases, load_aliases
from quotetrace.cli import app
from quotetrace.errors import AliasError
from quotetrace.models import Quote, Speaker, TextSpan, Via

runner = CliRunner()
BLUE_HOUSE = Aliases.from_mapping({"Cheong Wa Dae": ["Blue House", "South Korean presidential office"],
                                   "Kim Jong-un": "Chairman Kim"})
ALIASES_TOML = '[aliases]\n"Cheong Wa Dae" = ["Blue House", "South Korean presidential office"]\n'
# Two articles naming one office two ways; the second never writes "Blue House".
ARTICLES = {
    "a.txt": "“We will build the bridge before the winter comes,” the Blue House said on Monday.\n",
    "b.txt": "Officials met in the capital on Tuesday.\n"
             "“The bridge will open to traffic in May next year,” Cheong Wa Dae said in a statement.\n",
}


@pytest.mark.parametrize(("name", "shown"), [
    ("Blue House", "Cheong Wa Dae"),
    ("the Blue House", "Cheong Wa Dae"),
    ("BLUE HOUSE", "Cheong Wa Dae"),
    ("Blue House’s", "Cheong Wa Dae"),
    ("Cheong Wa Dae", "Cheong Wa Dae"),
    ("cheong wa dae", "Cheong Wa Dae"),
    ("Chairman Kim", "Kim Jong-un"),
    ("Kim Jong Un", "Kim Jong-un"),  # the key's own spellings map to the key
    ("Blue", "Blue"),  # a part of an alias is not the alias
    ("White House", "White House"),
    ("Kim", "Kim"),
])
def test_names_map_to_their_key(name: str, shown: str) -> None:
    assert BLUE_HOUSE.canonical(name) == shown


@pytest.mark.parametrize(("groups", "message"), [
    ({"A": ["B"], "C": ["b"]}, '"b" is given to both "A" and "C"'),
    ({"A": ["B"], "B": ["C"]}, '"B" is given to both "A" and "B"'),
    ({"A": 3}, '"A" must be given a name or a list of names'),
    ({"A": ["B", 3]}, '"A" must be given a name or a list of names'),
    ({"A": [" "]}, '"A" must be given a name or a list of names'),
])
def test_malformed_groups_are_refused_with_a_reason(groups: dict, message: str) -> None:
    with pytest.raises(AliasError, match=message):
        Aliases.from_mapping(groups)


def test_apply_renames_speaker_addressee_and_intermediaries_but_not_the_unnamed() -> None:
    mention = TextSpan(0, 14, "the Blue House")
    quote = Quote("q", "a", 0, 4, "text", "direct", None, Speaker("Blue House", "organization", None, mention),
                  addressee=Speaker("Chairman Kim", "person"),
                  via=(Via("South Korean presidential office", "organization", "according_to"),
                       Via("Blue House", "unnamed", "according_to")))
    renamed = BLUE_HOUSE.apply(quote)
    assert renamed.speaker == Speaker("Cheong Wa Dae", "organization", None, mention)  # the words stay as read
    assert renamed.addressee.name == "Kim Jong-un"
    assert [v.name for v in renamed.via] == ["Cheong Wa Dae", "Blue House"]
    assert Aliases().apply(quote) is quote and BLUE_HOUSE.apply(renamed) == renamed


def test_file_then_environment_then_default(tmp_path: Path, monkeypatch, no_user_aliases: Path) -> None:
    given, from_env = tmp_path / "given.toml", tmp_path / "env.toml"
    given.write_text('[aliases]\n"Given" = ["g"]\n', encoding="utf-8")
    from_env.write_text('[aliases]\n"Env" = ["e"]\n', encoding="utf-8")
    (no_user_aliases / "aliases.toml").write_text('[aliases]\n"Default" = ["d"]\n', encoding="utf-8")
    assert list(load_aliases().groups) == ["Default"]
    monkeypatch.setenv(ALIASES_ENV, str(from_env))
    assert list(load_aliases().groups) == ["Env"]
    assert list(load_aliases(given).groups) == ["Given"]
    (no_user_aliases / "aliases.toml").unlink()
    monkeypatch.delenv(ALIASES_ENV)
    assert not load_aliases()  # no file where the default points: no aliases, no error


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    ('[aliases\n"A" = ["B"]\n', "not valid TOML"),
    ('"Blue House" = "Cheong Wa Dae"\n', r"expected an \[aliases\] table"),
    ('[aliases]\n"A" = ["B"]\n[other]\n', r"expected an \[aliases\] table"),
    ('[aliases]\n"A" = {b = 1}\n', "must be given a name or a list of names"),
])
def test_a_bad_file_is_one_line_naming_it(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "aliases.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(AliasError, match=message) as caught:
        load_aliases(path)
    assert str(caught.value).startswith(f"aliases file {path}: ")
    result = runner.invoke(app, ["list", "-", "--aliases", str(path)], input="text")
    assert result.exit_code == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("quotetrace: error: aliases file") and message.replace("\\", "") in line


def test_an_empty_file_means_no_aliases(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert not load_aliases(path)


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "aliases.toml").write_text(ALIASES_TOML, encoding="utf-8")
    return folder


def speakers_of(stdout: str) -> list[str]:
    return [r["speaker"]["name"] for r in json.loads(stdout)]


def test_commands_read_the_aliases(articles: Path, monkeypatch) -> None:
    paths = [str(articles / name) for name in ARTICLES]
    plain = runner.invoke(app, ["list", *paths, "-f", "json"])
    assert speakers_of(plain.stdout) == ["Blue House", "Cheong Wa Dae"]
    aliased = runner.invoke(app, ["list", *paths, "-f", "json", "--aliases", str(articles / "aliases.toml")])
    assert aliased.exit_code == 0, aliased.stderr
    assert speakers_of(aliased.stdout) == ["Cheong Wa Dae", "Cheong Wa Dae"]
    # the words of the article are kept: the mention still says what the page says
    assert json.loads(aliased.stdout)[0]["speaker"]["mention"]["text"] == "the Blue House"
    monkeypatch.setenv(ALIASES_ENV, str(articles / "aliases.toml"))
    (profile,) = json.loads(runner.invoke(app, ["speakers", *paths, "-f", "json"]).stdout)
    assert (profile["name"], profile["quote_count"], profile["aliases"]) == ("Cheong Wa Dae", 2, ["the Blue House"])


@pytest.mark.parametrize(("query", "with_aliases", "without"), [
    ("Blue House", 2, 1),  # b.txt never says "Blue House"; the aliases say it is Cheong Wa Dae
    ("presidential office", 2, 0),
    ("Cheong Wa Dae", 2, 1),
    ("White House", 0, 0),
])
def test_speaker_filter_matches_aliases(articles: Path, query: str, with_aliases: int, without: int) -> None:
    paths = [str(articles / name) for name in ARTICLES]
    found = runner.invoke(app, ["list", *paths, "-f", "json", "--speaker", query,
                                "--aliases", str(articles / "aliases.toml")])
    plain = runner.invoke(app, ["list", *paths, "-f", "json", "--speaker", query])
    assert (len(json.loads(found.stdout)), len(json.loads(plain.stdout))) == (with_aliases, without)
