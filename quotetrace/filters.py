"""Choosing quotes by speaker, outlet and kind, forgiving the ways people type names.

A name query matches when each of its words is, give or take a typo, a word of the name: ``varga``
finds ``Ilse Varga``, ``Lee Min Ho`` finds ``Lee Min-ho``, ``Varrga`` finds ``Varga``. Case,
accents, hyphens, possessives and titles in the query (``President``, ``Mr.``) do not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING

from quotetrace.lexicon import default_lexicon
from quotetrace.models import KINDS, Article, Quote
from quotetrace.names import NameQuery, outlet_query, speaker_query

if TYPE_CHECKING:
    from quotetrace.aliases import Aliases

def select(
    quotes: Iterable[Quote],
    speaker: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    outlet_of: Callable[[Quote], str | None] | None = None,
    titles: Collection[str] | None = None,
) -> Iterator[Quote]:
    """Keep the quotes that match every filter given.

    Args:
        quotes: Quotes to choose from.
        speaker: Matched against the speaker's canonical name and the words that name them in
            the article (``mention``); a quote without a speaker never matches.
        outlet: Matched against the outlet of the quote's article, as ``outlet_of`` tells it.
        kind: ``direct``, ``indirect`` or ``mixed``.
        outlet_of: The outlet of a quote's article; needed when ``outlet`` is given.
        titles: Words a speaker query may carry that a name need not (default: the bundled
            ``Lexicon.speakers.titles``).

    Returns:
        The matching quotes, in order (lazily).

    Raises:
        ValueError: ``kind`` is not a known kind, or ``outlet`` is given without ``outlet_of``.
    """
    if outlet is not None and outlet_of is None:
        raise ValueError("filtering by outlet needs outlet_of")
    keep = Filter(speaker, outlet, kind, titles=titles)
    return (q for q in quotes if keep(q, outlet_of(q) if outlet_of is not None else None))


def select_from_articles(
    found: Iterable[tuple[Article, list[Quote]]],
    speaker: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    aliases: Aliases | None = None,
    titles: Collection[str] | None = None,
) -> Iterator[tuple[Quote, Article]]:
    """Keep the quotes that match every filter, from ``extract_articles`` results.

    Args:
        found: Articles, each with its quotes.
        speaker: As for ``select``; and when it matches any name of an ``aliases`` group, the
            quotes of that group's speaker.
        outlet: Matched against each article's outlet.
        kind: As for ``select``.
        aliases: The user's aliases (``aliases.load_aliases``).
        titles: As for ``select``.

    Returns:
        Each matching quote with its article, in order (lazily).

    Raises:
        ValueError: ``kind`` is not a known kind.
    """
    keep = Filter(speaker, outlet, kind, aliases, titles)
    return ((q, article) for article, quotes in found for q in quotes if keep(q, article.meta.outlet))


class Filter:
    """The filters of one query, built once and applied to each quote."""

    def __init__(self, speaker: str | None, outlet: str | None, kind: str | None,
                 aliases: Aliases | None = None, titles: Collection[str] | None = None) -> None:
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        self.kind = kind
        if titles is None:
            titles = default_lexicon().speakers.titles
        self.speakers = speaker_query(speaker, titles) if speaker else None
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
