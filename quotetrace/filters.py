"""Choosing quotes by speaker, outlet and kind, forgiving the ways people type names.

A name query matches when each of its words is, give or take a typo, a word of the name: ``merkel``
finds ``Angela Merkel``, ``Lee Min Ho`` finds ``Lee Min-ho``, ``Merkell`` finds ``Merkel``. Case,
accents, hyphens, possessives and titles in the query (``President``, ``Mr.``) do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA, Indel

from quotetrace.lexicon import speaker_words
from quotetrace.models import KINDS, Article, Quote

if TYPE_CHECKING:
    from quotetrace.aliases import Aliases

# Typos forgiven in a word, by the length of the shorter of the two words compared. A typo is an
# added, dropped or swapped letter (Merkkel, Merkell, Mrekel -> Merkel); a changed letter is not, since
# it is too often another name (Donald/Ronald, Comey/Corey, Davis/David). Chosen on the 1,983
# distinct words of five letters or more in the person names of the shared/eval gold files:
# forgiving any one edit there makes 337 pairs of them match, forgiving one added, dropped or
# swapped letter 117, mostly spellings of one name (Jeffery/Jeffrey, Sweeney/Sweeny). Shorter words
# are compared exactly (Lee/Lea, Park/Pak); two typos from ten letters leave one pair matching,
# from nine letters eleven (Christian/Christina).
ONE_TYPO_FROM_LENGTH = 5
TWO_TYPOS_FROM_LENGTH = 10
# A name written as one word or split differently ("Lee Minho", "LeeMin-ho") is compared with
# its spaces removed, forgiving one typo at most across the whole name.
MAX_TYPOS_JOINED = 1
# A name that carries one of these is another person than the same name without it.
GENERATION_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

ARTICLES = frozenset({"the", "a", "an"})

_DASHES = re.compile(r"[\-\u2010-\u2015\u2212_]")
_POSSESSIVE = re.compile(r"'s\b")
_WORD = re.compile(r"\w+")


def normalize_words(name: str) -> tuple[str, ...]:
    """The words of a name as compared: lower case, no accents, hyphens and possessives dropped."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _POSSESSIVE.sub("", text.replace("\u2019", "'"))
    return tuple(_WORD.findall(_DASHES.sub(" ", text)))


class NameQuery:
    """A name as a user typed it, ready to be matched against many names.

    Args:
        query: What the user typed.
        optional_words: Words the query may carry that a name need not (titles, articles);
            they are required only when the query holds nothing else.
    """

    def __init__(self, query: str, optional_words: Collection[str] = ARTICLES) -> None:
        words = normalize_words(query)
        self.words = (
            tuple(w for w in words if w not in optional_words)
            or tuple(w for w in words if w not in ARTICLES)
            or words
        )
        self._optional = optional_words
        self._seen: dict[str, bool] = {}

    def matches(self, name: str | None) -> bool:
        """Whether ``name`` is what the query means."""
        if not name or not self.words:
            return False
        if name not in self._seen:
            self._seen[name] = self._matches(normalize_words(name))
        return self._seen[name]

    def matches_any(self, names: Iterable[str | None]) -> bool:
        return any(self.matches(name) for name in names)

    def _matches(self, words: tuple[str, ...]) -> bool:
        if not words or any(w in GENERATION_SUFFIXES and w not in self.words for w in words):
            return False
        if all(any(_close(q, w) for w in words) for q in self.words):
            return True
        core = [w for w in words if w not in self._optional] or list(words)
        return _close("".join(self.words), "".join(core), cap=MAX_TYPOS_JOINED)


def speaker_query(query: str) -> NameQuery:
    """A query for speaker names: titles (``President``, ``Mr.``) in it are optional."""
    return NameQuery(query, optional_words=speaker_words().titles | ARTICLES)


def outlet_query(query: str) -> NameQuery:
    """A query for outlet names: only articles (``The``) in it are optional."""
    return NameQuery(query, optional_words=ARTICLES)


def select(
    quotes: Iterable[Quote],
    speaker: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    outlet_of: Callable[[Quote], str | None] | None = None,
) -> Iterator[Quote]:
    """Keep the quotes that match every filter given.

    Args:
        quotes: Quotes to choose from.
        speaker: Matched against the speaker's canonical name and the words that name them in
            the article (``mention``); a quote without a speaker never matches.
        outlet: Matched against the outlet of the quote's article, as ``outlet_of`` tells it.
        kind: ``direct``, ``indirect`` or ``mixed``.
        outlet_of: The outlet of a quote's article; needed when ``outlet`` is given.

    Returns:
        The matching quotes, in order (lazily).

    Raises:
        ValueError: ``kind`` is not a known kind, or ``outlet`` is given without ``outlet_of``.
    """
    if outlet is not None and outlet_of is None:
        raise ValueError("filtering by outlet needs outlet_of")
    keep = _Filter(speaker, outlet, kind)
    return (q for q in quotes if keep(q, outlet_of(q) if outlet_of is not None else None))


def select_from_articles(
    found: Iterable[tuple[Article, list[Quote]]],
    speaker: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    aliases: Aliases | None = None,
) -> Iterator[tuple[Quote, Article]]:
    """Keep the quotes that match every filter, from ``extract_articles`` results.

    Args:
        found: Articles, each with its quotes.
        speaker: As for ``select``; and when it matches any name of an ``aliases`` group, the
            quotes of that group's speaker.
        outlet: Matched against each article's outlet.
        kind: As for ``select``.
        aliases: The user's aliases (``aliases.load_aliases``).

    Returns:
        Each matching quote with its article, in order (lazily).

    Raises:
        ValueError: ``kind`` is not a known kind.
    """
    keep = _Filter(speaker, outlet, kind, aliases)
    return ((q, article) for article, quotes in found for q in quotes if keep(q, article.meta.outlet))


class _Filter:
    """The filters of one query, built once and applied to each quote."""

    def __init__(self, speaker: str | None, outlet: str | None, kind: str | None,
                 aliases: Aliases | None = None) -> None:
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        self.kind = kind
        self.speakers = speaker_query(speaker) if speaker else None
        self.outlets = outlet_query(outlet) if outlet else None
        # "Green House" finds Maple House's quotes when the user's aliases say they are one,
        # even in articles that never write "Green House"
        self.alias_of = frozenset(
            name for name, others in aliases.groups.items() if self.speakers.matches_any((name, *others))
        ) if aliases and self.speakers is not None else frozenset()

    def __call__(self, quote: Quote, outlet: str | None) -> bool:
        if self.kind is not None and quote.kind != self.kind:
            return False
        if self.speakers is not None and not _speaker_matches(self.speakers, quote, self.alias_of):
            return False
        return self.outlets is None or self.outlets.matches(outlet)


def _speaker_matches(query: NameQuery, quote: Quote, also: frozenset[str] = frozenset()) -> bool:
    speaker = quote.speaker
    if speaker is None:
        return False
    if speaker.name in also:
        return True
    mention = speaker.mention.text if speaker.mention else None
    return query.matches_any((speaker.name, mention))


def _close(a: str, b: str, cap: int | None = None) -> bool:
    """Whether two words are the same but for typos (see ``ONE_TYPO_FROM_LENGTH``)."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    allowed = 0 if shorter < ONE_TYPO_FROM_LENGTH else 1 if shorter < TWO_TYPOS_FROM_LENGTH else 2
    if cap is not None:
        allowed = min(allowed, cap)
    if allowed == 0:
        return False
    if Indel.distance(a, b, score_cutoff=allowed) <= allowed:
        return True
    # Swapped letters: the same letters in another order, one OSA edit per swap.
    return sorted(a) == sorted(b) and OSA.distance(a, b, score_cutoff=allowed) <= allowed
