"""Page furniture: share buttons, sign-in prompts, cookie notices, comment rules.

Scraped news pages wrap the article in furniture lines. The patterns that recognise them are the
data file ``data/boilerplate.toml`` (the user's edited copy is named by ``QUOTETRACE_BOILERPLATE``
and read by ``lexicon.load_lexicon``), with the label words that are never part of a person's
name. This module turns them into character spans to ignore.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_BULLETS = "•·▪*-◦‣"


@dataclass(frozen=True)
class FurniturePattern:
    """One kind of furniture line (an entry of ``boilerplate.toml``)."""

    id: str
    regex: re.Pattern[str]
    max_words: int | None
    block: bool
    names_site: bool
    # words (lower case) of which every match holds one: a line with none is not searched
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Furniture:
    """The furniture patterns, and the label words that are never part of a person's name."""

    patterns: tuple[FurniturePattern, ...]
    label_words: frozenset[str]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Furniture:
        """The patterns of a parsed ``boilerplate.toml``."""
        patterns = tuple(
            FurniturePattern(
                id=entry["id"],
                regex=re.compile(entry["regex"], re.IGNORECASE),
                max_words=entry.get("max_words"),
                block=bool(entry.get("block", False)),
                names_site=bool(entry.get("names_site", False)),
                needs=_words(entry.get("needs", [])),
            )
            for entry in data.get("pattern", [])
        )
        words = frozenset(w.lower() for w in data.get("labels", {}).get("words", []))
        return cls(patterns, words)


def _words(value: Any) -> tuple[str, ...]:
    """A pattern's ``needs``: a list of words, in lower case."""
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise TypeError(f"needs must be a list of words, not {value!r}")
    return tuple(w.lower() for w in value)


@dataclass(frozen=True)
class Line:
    """One line of the article, stripped; ``start``/``end`` are offsets of the stripped text."""

    index: int
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_lines(text: str) -> list[Line]:
    lines = []
    offset = 0
    for index, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        lines.append(Line(index, offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw) + 1
    return lines



def _pattern_matches(pattern: FurniturePattern, line: Line, words: int, lowered: str | None) -> bool:
    """Whether ``pattern`` matches ``line``, of ``words`` words (``Line.words``, counted once);
    ``lowered`` is its text in lower case (``_lowered``), or None where that cannot stand in
    for a case-insensitive search."""
    if pattern.max_words is not None and words > pattern.max_words:
        return False
    if pattern.needs and lowered is not None and not any(w in lowered for w in pattern.needs):
        return False  # an unanchored pattern is tried at every character: a word search is cheaper
    return pattern.regex.search(line.text) is not None


# Letters that a case-insensitive search matches with an ASCII letter, where ``str.lower`` does
# not give that letter ("ſ" matches "s"; "İ" lowers to "i" and a combining dot): in a line that
# holds one, a word of ``needs`` may be matched without standing in the lowered line.
_FOLDED_APART = frozenset("ıſİ")


def _lowered(text: str) -> str | None:
    return None if not _FOLDED_APART.isdisjoint(text) else text.lower()


def furniture_lines(lines: Sequence[Line], furniture: Furniture) -> tuple[set[int], set[int]]:
    """Indexes of furniture lines, and of those among them that name the site."""
    patterns = furniture.patterns
    flagged: set[int] = set()
    site: set[int] = set()
    in_block = False
    for line in lines:
        if not line.text:
            in_block = False
            continue
        words, lowered = line.words, _lowered(line.text)
        matched = [p for p in patterns if _pattern_matches(p, line, words, lowered)]
        if matched:
            flagged.add(line.index)
            if any(p.names_site for p in matched):
                site.add(line.index)
            in_block = in_block or any(p.block for p in matched)
        elif in_block and line.text[0] in _BULLETS:
            flagged.add(line.index)
        else:
            in_block = False
    return flagged, site



def furniture_spans(text: str, furniture: Furniture) -> list[tuple[int, int]]:
    """Character ranges of page furniture: share buttons, sign-in prompts, comment rules ...

    Each furniture line (see ``data/boilerplate.toml``) gives a range over its text without
    surrounding white space; ranges separated only by white space are merged. A caption that ends
    in an agency credit is not furniture: it is a sentence and may hold a quote.

    Args:
        text: The article text as read.
        furniture: The patterns (``Lexicon.furniture``).

    Returns:
        Sorted, non-overlapping ``(start, end)`` offsets into ``text``.
    """
    lines = split_lines(text)
    flagged, _ = furniture_lines(lines, furniture)
    spans: list[tuple[int, int]] = []
    for line in lines:
        if line.index not in flagged:
            continue
        if spans and not text[spans[-1][1] : line.start].strip():
            spans[-1] = (spans[-1][0], line.end)
        else:
            spans.append((line.start, line.end))
    return spans
