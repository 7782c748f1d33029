"""``quotetrace speakers``: each speaker with the words that named them, roles, counts, outlets."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from quotetrace.cli import app
from quotetrace.lexicon import default_lexicon
from quotetrace.models import (
    Article,
    ArticleMeta,
    Quote,
    Speaker,
    SpeakerProfile,
    TextSpan,
)
from quotetrace.profiles import speaker_profiles


def said(n: int, path: str, name: str, mention: str | None, role: str | None = None, kind: str = "person") -> Quote:
    words = TextSpan(0, len(mention), mention) if mention else None
    return Quote(f"q{n}", path, 0, 4, "text", "direct", None, Speaker(name, kind, role, words))


def test_profiles_gather_forms_roles_counts_and_outlets() -> None:
    daily = Article("a.txt", "", ArticleMeta(outlet="The Daily"))
    post = Article("b.txt", "", ArticleMeta(outlet="Morning Post"))
    undated = Article("c.txt", "")
    results = [
        (daily, [said(1, "a.txt", "Vladimir Putin", "Russian President Vladimir Putin", "Russian President"),
                 said(2, "a.txt", "Vladimir Putin", "he"),
                 said(3, "a.txt", "Vladimir Putin", "the Russian\u00a0leader", "Russian leader")]),
        (post, [said(4, "b.txt", "Vladimir Putin", "Putin’s", "Russian President"),
                said(5, "b.txt", "Vladimir Putin", "The Russian leader", "Russian leader"),
                said(6, "b.txt", "Vladimir Putin", "Vladimir Putin", "Russian leader"),
                said(7, "b.txt", "officials", "officials", kind="unnamed")]),
        (undated, [said(8, "c.txt", "Moon Jae-in", "President Moon", "President"),
                   Quote("q9", "c.txt", 0, 4, "text", "direct", None, None)]),
    ]
    assert speaker_profiles(results, default_lexicon().speakers) == [
        SpeakerProfile(
            name="Vladimir Putin", type="person",
            # pronouns left out, the name itself left out, spacing and possessives cleaned,
            # one form per spelling that differs only in case
            aliases=("Russian President Vladimir Putin", "the Russian leader", "Putin"),
            roles=("Russian leader", "Russian President"),  # most frequent first
            quote_count=6, article_count=2, outlets=("The Daily", "Morning Post")),
        SpeakerProfile(name="Moon Jae-in", type="person", aliases=("President Moon",), roles=("President",),
                       quote_count=1, article_count=1, outlets=()),
        SpeakerProfile(name="officials", type="unnamed", aliases=(), roles=(), quote_count=1, article_count=1,
                       outlets=("Morning Post",)),
    ]


def test_speakers_command_agrees_with_list() -> None:
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["list", "-f", "json"]).stdout)
    result = runner.invoke(app, ["speakers", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    profiles = json.loads(result.stdout)
    by_name = {p["name"]: p for p in profiles}
    quoted = [r["speaker"]["name"] for r in listed if r["speaker"]]
    assert set(by_name) == set(quoted)
    assert all(by_name[name]["quote_count"] == quoted.count(name) for name in by_name)
    counts = [p["quote_count"] for p in profiles]
    assert counts == sorted(counts, reverse=True)
    putin = by_name["Vladimir Putin"]
    assert putin["article_count"] == 5 and len(putin["outlets"]) == 5
    assert "Putin" in putin["aliases"] and "Russian President" in putin["roles"]
    assert not {"he", "He", "his"} & set(putin["aliases"])


def test_speakers_table_shows_names_literally() -> None:
    result = CliRunner().invoke(app, ["speakers"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "Vladimir Putin" in result.stdout and "Russian President" in result.stdout
