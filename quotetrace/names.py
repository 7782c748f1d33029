"""One set of rules for comparing names: normalise, key, match, forgive typos.

Three views of a name, each for its own job:

* ``name_words``: the words as a person would compare them (case, accents, hyphens and
  possessives ignored): what ``--speaker`` queries, aliases and chain nodes compare.
* ``name_key``: those words without a leading article ("the Blue House's" is "blue house"):
  the key under which aliases, speaker profiles and chain nodes count one name once.
* ``name_tokens``: the words inside one article, initials kept ("B."): what speaker
  resolution clusters mentions by.

``NameQuery`` matches what a user typed against many names, forgiving typos
(``ONE_TYPO_FROM_LENGTH``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA, Indel

if TYPE_CHECKING:  # spaCy only for type hints: the name rules run without it
    from spacy.tokens import Token

# Typos forgiven in a word, by the length of the shorter of the two words compared. A typo is an
# added, dropped or swapped letter (Varrga, Vargaa, Vraga -> Varga); a changed letter is not, since
# it is too often another name (Donald/Ronald, Corey/Coley, Davis/David). Chosen on the 1,983
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


def name_words(name: str) -> tuple[str, ...]:
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
        words = name_words(query)
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
            self._seen[name] = self._matches(name_words(name))
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


def name_key(name: str) -> tuple[str, ...]:
    """A name as aliases and tallies compare it: ``name_words`` without a leading article."""
    words = name_words(name)
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return words


def same_name(a: str, b: str) -> bool:
    """Whether two names are written the same but for case, accents, hyphens and "the"."""
    return name_key(a) == name_key(b) if name_key(a) else a.strip().lower() == b.strip().lower()


# Generational suffixes as ``name_tokens`` gives them: "Jane Roe Jr." is not "Jane Roe", though
# her words are all in the name.
_TOKEN_SUFFIXES = GENERATION_SUFFIXES | {"jr.", "sr."}


def same_person_words(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two names' words (``name_tokens``) may name one person: one name's words all in
    the other's ("Lisk", "Ana Maren Lisk"), but not a son for his father ("Jane Roe
    Jr.")."""
    if not a or not b:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return small <= big and not ((big - small) & _TOKEN_SUFFIXES)


def name_tokens(name: str) -> list[str]:
    """Lower-case word tokens of a name inside an article: hyphens and apostrophes folded,
    possessive dropped, initials kept with their period."""
    s = unicodedata.normalize("NFKC", name).lower().replace("’", "'")
    s = re.sub(r"'s\b", "", s)
    return [w for w in re.split(r"[^\w.]+|(?<=\w)-(?=\w)", s.replace("-", " ")) if w and w != "."]


def speaker_query(query: str, titles: Collection[str]) -> NameQuery:
    """A query for speaker names: titles (``President``, ``Mr.``) in it are optional."""
    return NameQuery(query, optional_words=frozenset(titles) | ARTICLES)


def outlet_query(query: str) -> NameQuery:
    """A query for outlet names: only articles (``The``) in it are optional."""
    return NameQuery(query, optional_words=ARTICLES)


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


def split_name(tok: Token) -> bool:
    """A first name the parser cut off as a sentence of its own at a paragraph's start
    ("Farid" | "Karimi said ...", after a date stamp or a caption line)."""
    doc = tok.doc
    return tok.pos_ == "PROPN" and tok.is_title and tok.is_sent_start and tok.i + 1 < len(doc) \
        and doc[tok.i + 1].is_sent_start and doc[tok.i + 1].pos_ == "PROPN" and doc[tok.i + 1].is_title \
        and (tok.i == 0 or "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_)
