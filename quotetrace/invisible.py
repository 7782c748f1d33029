"""Characters that are not seen but change what is seen: Unicode format characters (category Cf).

A bidi control (U+202E) reverses the text after it, a zero-width space (U+200B) splits a word
without a visible gap, a soft hyphen or a joiner sits inside a word. In article text they are
a spoofing risk on a terminal, and they keep spaCy from seeing a name: ``John\\u202e Smith`` is
not read as one person, ``Mary\\u200bJones`` is one odd word.

- For parsing, the ones that stand between words (bidi controls, the zero-width space) become
  spaces, one for one, so that every offset still indexes the article as read.
- What a quote reports is then taken from the article itself (its words, cue and mentions keep
  every character), while the names and roles it resolves to lose their format characters.
- On a terminal, every format character is shown escaped (``render.clean``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from quotetrace.models import Quote, Speaker, TextSpan, Via

# Every code point of category Cf (Unicode 15; tests/test_hostile_input.py checks the list against
# unicodedata), and lone surrogates, which no terminal can encode.
INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\ud800-\udfff]"
)
# The ones that separate words: the bidi embeddings, overrides, isolates and marks, and the
# zero-width space. The others (soft hyphen, joiners, word joiner) sit inside a word.
_BETWEEN_WORDS = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def has_invisible(text: str) -> bool:
    return INVISIBLE.search(text) is not None


def for_parsing(text: str) -> str:
    """``text`` as spaCy should read it: format characters between words made spaces, the
    length kept."""
    return _BETWEEN_WORDS.sub(" ", text)


def exact_quotes(quotes: list[Quote], text: str) -> list[Quote]:
    """Quotes found in ``for_parsing(text)``, made to report ``text`` itself: every span's words
    sliced from it again, and names and roles without format characters."""
    return [_exact(quote, text) for quote in quotes]


def _exact(quote: Quote, text: str) -> Quote:
    def span(mention: TextSpan | None) -> TextSpan | None:
        return replace(mention, text=text[mention.start:mention.end]) if mention is not None else None

    def who(person: Speaker | None) -> Speaker | None:
        if person is None:
            return None
        return replace(person, name=_bare(person.name), role=_bare_or_none(person.role), mention=span(person.mention))

    def via(source: Via) -> Via:
        return replace(source, name=_bare(source.name), role=_bare_or_none(source.role), mention=span(source.mention))

    cue = replace(quote.cue, text=text[quote.cue.start:quote.cue.end]) if quote.cue is not None else None
    return replace(quote, text=text[quote.start:quote.end], cue=cue, speaker=who(quote.speaker),
                   addressee=who(quote.addressee), via=tuple(via(v) for v in quote.via))


def _bare(name: str) -> str:
    return " ".join(INVISIBLE.sub("", for_parsing(name)).split()) or name


def _bare_or_none(role: str | None) -> str | None:
    return _bare(role) if role is not None else None
