"""The challenge suite: attribution on news the rules were not written against (issue 10).

Each row of ``tests/data/challenge.toml`` is a sentence or a short article written for the
suite (every name invented), in one of many house styles, with the quote a careful reader
takes from it: speaker, type, cue, content, intermediary; or, for a negative, words that
are no quote. Known misses stay in the table as strict xfails, each with its reason, so
the suite both measures and notices when a miss is mended.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from quotetrace.models import Quote
from quotetrace.runner import extract

ROWS: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "data" / "challenge.toml").read_text(encoding="utf-8"))["row"]
# The scorer's rule (shared/eval/FORMAT.md): a quote is found when it overlaps by half.
MIN_OVERLAP = 0.5


def _param(row: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=row["xfail"])] if "xfail" in row else []
    return pytest.param(row, id=row["id"], marks=marks)


def _name(name: str | None) -> str:
    """A name as the scorer compares them: case, a leading article and a possessive ignored."""
    words = re.sub(r"[’']s\b", "", (name or "").lower()).replace("-", " ").split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, inter) / (max(a[1], b[1]) - min(a[0], b[0]))


def _best(quotes: list[Quote], span: tuple[int, int], kind: str | None = None) -> Quote | None:
    scored = [(_overlap((q.start, q.end), span), q) for q in quotes if kind is None or q.kind == kind]
    scored = [(s, q) for s, q in scored if s >= MIN_OVERLAP]
    return max(scored, key=lambda sq: sq[0])[1] if scored else None


def _span(text: str, words: str) -> tuple[int, int]:
    at = text.find(words)
    assert at >= 0, f"the row's words are not in its text: {words!r}"
    return at, at + len(words)


@pytest.fixture(scope="module")
def read(nlp):
    cache: dict[str, list[Quote]] = {}

    def quotes_of(text: str) -> list[Quote]:
        if text not in cache:
            cache[text] = extract(text, nlp=nlp)
        return cache[text]

    return quotes_of


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_challenge(row: dict[str, Any], read) -> None:
    text = row["text"]
    quotes = read(text)
    if "absent" in row:
        hit = _best(quotes, _span(text, row["absent"]))
        assert hit is None, f"not a quote, but found: {hit.text!r} by {hit.speaker}"
        return
    if "absent_speaker" in row:
        by = [x.text for x in quotes if x.speaker and _name(x.speaker.name) == _name(row["absent_speaker"])]
        assert not by, f"{row['absent_speaker']} is no speaker here, but said {by}"
        if "content" not in row:
            return  # only who did not speak is asked
    span = _span(text, row["content"])
    if "absent_kind" in row:
        hit = _best(quotes, span, row["absent_kind"])
        assert hit is None, f"found as {row['absent_kind']}: {hit.text!r}"
    q = _best(quotes, span, row.get("kind"))
    assert q is not None, f"no quote over {row['content']!r}; found {[x.text for x in quotes]}"
    got = {
        "speaker": _name(q.speaker.name) if q.speaker else None,
        "type": q.speaker.type if q.speaker else None,
        "cue": q.cue.lemma if q.cue else None,
        "kind": q.kind,
        "via": sorted(_name(v.name) for v in q.via),
        "addressee": _name(q.addressee.name) if q.addressee else None,
    }
    want = {
        "speaker": _name(row["speaker"]) if "speaker" in row else got["speaker"],
        "type": row.get("type", got["type"]),
        "cue": row.get("cue", got["cue"]),
        "kind": row.get("kind", got["kind"]),
        "via": sorted({*got["via"], _name(row["via"])}) if "via" in row else got["via"],
        "addressee": (_name(row["addressee"]) or None) if "addressee" in row else got["addressee"],
    }
    assert got == want, f"got {got}, want {want}"


def test_the_suite_is_large_and_invented() -> None:
    """At least 150 rows (the issue's floor), ids unique, every kind of miss represented."""
    ids = [r["id"] for r in ROWS]
    assert len(ids) >= 150 and len(set(ids)) == len(ids)
    kinds = {i.split("-", 1)[0] for i in ids}
    assert {"document", "outlet", "description", "furniture", "pronoun", "cue", "transcript", "paragraph",
            "negative", "style"} <= kinds
