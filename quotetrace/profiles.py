"""Who spoke in a run: each canonical speaker with the words that named them, roles and reach.

Built from the quotes alone, after speakers are resolved, unified across articles and renamed
by the user's aliases, so it shows what every other command counts as one speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from quotetrace.lexicon import SpeakerWords
from quotetrace.models import Article, Quote, SpeakerProfile
from quotetrace.names import name_key

_POSSESSIVE = re.compile(r"['\u2019]s?$")  # "Ode's" names Ode


def speaker_profiles(results: Iterable[tuple[Article, list[Quote]]], words: SpeakerWords) -> list[SpeakerProfile]:
    """One profile per speaker name, the most quoted first (then by name).

    Args:
        results: Articles with their quotes (``extract_articles``).
        words: The speaker words (``Lexicon.speakers``): pronouns are not aliases.

    Returns:
        Profiles of every speaker, unnamed ones ("officials") included with type ``unnamed``.
    """
    found: dict[str, _Tally] = {}
    for article, quotes in results:
        for quote in quotes:
            speaker = quote.speaker
            if speaker is None:
                continue
            tally = found.setdefault(speaker.name, _Tally(speaker.name))
            tally.types[speaker.type] += 1
            tally.quotes += 1
            tally.articles.add(article.path)
            if article.meta.outlet:
                tally.outlets.setdefault(article.meta.outlet)
            if speaker.role and _spaced(speaker.role):
                tally.roles[_spaced(speaker.role)] += 1
            mention = _POSSESSIVE.sub("", _spaced(speaker.mention.text)) if speaker.mention else ""
            if mention and not (len(mention.split()) == 1 and words.pronoun_group(mention)):
                key = name_key(mention)
                if key != tally.key:
                    tally.aliases.setdefault(key, mention)
    profiles = [t.profile() for t in found.values()]
    profiles.sort(key=lambda p: (-p.quote_count, p.name.casefold()))
    return profiles


class _Tally:
    def __init__(self, name: str) -> None:
        self.name = name
        self.key = name_key(name)
        self.types: Counter[str] = Counter()
        self.quotes = 0
        self.articles: set[str] = set()
        self.outlets: dict[str, None] = {}
        self.roles: Counter[str] = Counter()
        self.aliases: dict[tuple[str, ...], str] = {}

    def profile(self) -> SpeakerProfile:
        # Counter.most_common keeps first-seen order among equals
        return SpeakerProfile(
            name=self.name,
            type=self.types.most_common(1)[0][0],
            aliases=tuple(self.aliases.values()),
            roles=tuple(role for role, _ in self.roles.most_common()),
            quote_count=self.quotes,
            article_count=len(self.articles),
            outlets=tuple(self.outlets),
        )


def _spaced(text: str) -> str:
    """Runs of whitespace (no-break spaces of the page included) as one space."""
    return " ".join(text.split())
