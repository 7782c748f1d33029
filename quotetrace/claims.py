"""Paraphrase linking: quotes that state the same claim share a claim id, across articles.

How two quotes are compared:

1. Each quote's words are normalised: lower case, stop words dropped (negations and numbers
   kept), Snowball-stemmed ("guarantees" = "guarantee", "simultaneously" = "simultaneous").
2. Candidates are narrowed with an inverted index over each quote's rarest stems, so cost
   grows with the number of quotes that share a rare word, not with the square of the corpus.
3. A candidate pair is scored by how much of their weight (inverse document frequency over
   the run's quotes) the two share; rapidfuzz decides near-spellings between the leftover
   words ("Chile" / "Chilean").
4. The bar depends on who spoke: lower for the same speaker (or a spokesperson, relay or
   cited source of the other's), higher for two different named speakers, who often say
   look-alike things (two bodies' condolences, two accusers' allegations); two different named
   speakers of one article are never a pair (its writer gave each their own words), though
   average linkage may still put both in one group through others (unlike the vetoes below).
5. Vetoes: one side negated and the other not, different numbers (in digits or words, or
   different days and months: ``data/numbers.toml``), one side conditional ("if
   true, ...") and the other not, or modal words of different kinds ("should" / "will"), never link.
6. Linked pairs form claim groups (average linkage).

Every threshold is a named constant with how it was chosen.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import math
import re
import tomllib
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from itertools import chain, repeat
from typing import Any

from rapidfuzz import fuzz, process

from quotetrace.cores import can_fork, forked_map, usable_cores
from quotetrace.models import Article, Claim, Quote
from quotetrace.names import name_tokens
from quotetrace.names import same_person_words as _same_person
from quotetrace.spokespeople import spokesperson_for

# Pairs whose shared weight (see ``similarity``) reaches this link, whoever said them.
# On the seed gold, genuine paraphrases by different speakers score 0.55-0.73 and the
# closest different claims 0.19; on basil, paraphrases reach down to 0.35 and the closest
# different claims by different speakers score 0.31 (so 0.32).
LINK_THRESHOLD = 0.32
# The same speaker restating a claim in other words ("U.S. guarantees might need support
# from the other nations" / "the six-party talks are necessary to guarantee its security")
# links from this lower score. Chosen between the seeds' lowest same-speaker paraphrase
# (0.19) and the highest same-speaker different claims on seeds and basil (0.07, 0.16).
SAME_SPEAKER_THRESHOLD = 0.18
# Two different named speakers (neither the same person nor a relay of the other: see
# ``_relation``) link only from this score. Chosen between basil's highest-scoring cannot-link
# pair of two different speakers (0.32, two senators' "should drop out" / "must drop out") and
# its lowest must-link pair of two named speakers that no relay explains (0.46, a campaign and
# its chairman); the seeds have no must-link pair of two different speakers.
DIFFERENT_SPEAKER_THRESHOLD = 0.40
# Quotes with fewer content words than this are too short to link by wording alone
# ("Yes", "It's lost tremendous credibility.") unless they are near-verbatim, or the same
# source's in another article.
MIN_CONTENT_WORDS = 3
# Two leftover words this alike (rapidfuzz ratio, 0-100) count as one: "chile"/"chilean".
# 85 admits one-letter endings on words of six letters or more and nothing shorter.
WORD_MATCH_RATIO = 85
# A stem held by more quotes than this does not open candidate pairs: it is too common to
# narrow anything ("say", "president" in a campaign corpus), and its pairs would grow with
# the square of its frequency. 200 keeps every pair of a few hundred articles and bounds the
# work on 100,000 quotes (benchmarks/claims_bench.py: 17 s and 1.1 GB; 250 takes 24 s and
# 1.9 GB, 400 runs past 3 GB).
MAX_POSTINGS = 200
# Average linkage: groups join when their cross pairs reach, on average, this share of their
# own link thresholds. Chosen on the seeds: 0.7 keeps the diplomacy and security statements of
# one speaker apart while every must-link pair still joins.
GROUP_AGREEMENT = 0.5
# How many members of each group average linkage looks at (bounds the cost on big groups).
GROUP_SAMPLE = 12
# How many rare stems two quotes must share to be compared (quotes with this many stems or
# fewer need one): one common rare word alone seldom makes a paraphrase, and pairs that share
# one are most of the pairs. With 12 keys a quote, every must-link pair of the seeds and basil
# that linked with one shared key still links (with 8 keys, three of basil's did not).
MIN_SHARED_KEYS = 2
# From this many quotes, claim linking uses the usable cores (``linking_workers``): forked
# workers score stretches of the candidate pairs, then merge whole components of the linked
# pairs. Below it, forking and sending the pairs back cost about what a second core saves
# (benchmarks/claims_bench.py: 10,000 quotes link in about 4 s in one process).
MIN_QUOTES_FOR_WORKERS = 10_000
# Tasks a worker, in each of the two steps: the work is uneven (early quotes have more pairs,
# one component may be most of the pairs), and many small tasks even it out.
TASKS_PER_WORKER = 8
# How many of a quote's rarest stems open candidate pairs.
BLOCKING_KEYS = 12
# Near-verbatim reuse: rapidfuzz token_sort_ratio of the normalised texts at or above this.
# Chosen on the seeds: the same spokesman's quote carried by two outlets scores 93; the
# closest non-copied pair 71.
VERBATIM_RATIO = 88

_WORD = re.compile(r"\d[\d,.]*\d|(?:[a-z]\.){2,}|[\w’'-]+", re.UNICODE)
_CONTRACTIONS = {"won't": "will not", "can't": "can not", "shan't": "shall not", "ain't": "is not"}
_NEGATIONS = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "without"}
_NUMBER = re.compile(r"^\d[\d.,]*$")
_RAW_WORD = re.compile(r"[a-z]+|'ll")


# The kind ``_modal_marks`` gives a quote whose speaker speaks of itself ("we", "my"): no
# modality, but two such quotes of different speakers are two claims (``PairScorer.score``).
FIRST_PERSON = "first-person"


@cache
def _modality_data() -> dict[str, Any]:
    """``data/modality.toml``, read once."""
    return tomllib.loads(resources.files("quotetrace.data").joinpath("modality.toml").read_text(encoding="utf-8"))


@cache
def _modality() -> tuple[frozenset[str], dict[str, str], re.Pattern[str]]:
    """Conditional words, each modal word's kind (``data/modality.toml``), and a pattern that
    finds exactly the words of either list that ``_RAW_WORD`` would cut from a text."""
    data = _modality_data()
    kinds = {w: kind for kind, words in data.get("modal", {}).items() for w in words}
    kinds.update((w, FIRST_PERSON) for w in data.get("first_person", []))
    conditional = frozenset(data.get("conditional", []))
    marked = sorted(conditional | set(kinds), key=len, reverse=True)
    # a run of letters is a word of _RAW_WORD only whole (after a non-letter, or after "'ll",
    # itself a word); "'ll" is one wherever it stands; nothing else can be one of its words
    letters = [re.escape(w) for w in marked if re.fullmatch(r"[a-z]+", w)]
    others = [re.escape(w) for w in marked if w == "'ll"]
    alternatives = [rf"(?:(?<![a-z])|(?<='ll))(?:{'|'.join(letters)})(?![a-z])"] if letters else []
    alternatives += others
    pattern = re.compile("|".join(alternatives) if alternatives else r"(?!)")
    return conditional, kinds, pattern


@cache
def _negating_cues() -> frozenset[str]:
    """Speech verbs whose clause the speaker rejects (``negating_cues`` in ``data/modality.toml``)."""
    return frozenset(_modality_data().get("negating_cues", []))


def _modal_marks(text: str) -> tuple[bool, frozenset[str]]:
    """Whether a quote is conditional, and the kinds of modality it carries (of the words
    ``_RAW_WORD`` cuts from it: the pattern finds only the listed ones, a quote has few)."""
    conditional, kinds, pattern = _modality()
    words = pattern.findall(text.lower().replace("’", "'").replace("n't", " not"))
    return any(w in conditional for w in words), frozenset(kinds[w] for w in words if w in kinds)


@cache
def _number_words() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Number words, each with the form it is compared in ("three" -> "3"; a day or month
    itself, unstemmed: "july" is no "juli"); the ordinals' forms; the calendar words
    (``data/numbers.toml``)."""
    text = resources.files("quotetrace.data").joinpath("numbers.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    calendar = frozenset(data.get("calendar", {}).get("words", []))
    forms = {**data.get("cardinal", {}), **data.get("ordinal", {}), **{w: w for w in calendar}}
    return forms, frozenset(data.get("ordinal", {}).values()), calendar


def _numbers_of(words: frozenset[str]) -> frozenset[str]:
    """The words that give an amount, an ordinal or a day or month (``_vetoed``)."""
    _, ordinals, calendar = _number_words()
    # (a figure starts with a digit: the test spares most words the pattern)
    return frozenset(w for w in words if w[:1].isdigit() and (_NUMBER.match(w) or w in ordinals)) | (words & calendar)


@cache
def _stopwords() -> frozenset[str]:
    text = resources.files("quotetrace.data").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def content_words(text: str) -> list[str]:
    """The words of a quote that carry its claim, normalised for comparison."""
    lowered = text.lower().replace("’", "'")
    for short, full in _CONTRACTIONS.items():
        lowered = lowered.replace(short, full)
    return list(chain.from_iterable(map(_word_forms, _WORD.findall(lowered))))


@lru_cache(maxsize=1 << 18)
def _word_forms(raw: str) -> tuple[str, ...]:
    """What one written word gives ``content_words``: nothing (a stop word), its stem, or "not"
    and the stem of what is left ("didn't"). Words repeat (Zipf), so each is worked out once."""
    forms: list[str] = []
    w = raw.strip("'-")
    if w.endswith("n't"):
        forms.append("not")
        w = w[:-3]
    w = w.removesuffix("'s")
    if (number := _number_words()[0].get(w)) is not None:
        forms.append(number)  # "three" is "3" to the comparison and to the number veto
    elif w and w not in _stopwords():
        forms.append(w if (_NUMBER.match(w) or w in _NEGATIONS) else _stem(w))
    return tuple(forms)


@lru_cache(maxsize=1 << 18)
def _stem(word: str) -> str:
    # Words repeat (Zipf): a cache saves most calls even with PyStemmer's C stemmer behind
    # snowballstemmer (without it, pure Python, the cache makes 100,000 quotes take seconds
    # instead of most of a minute: benchmarks/claims_bench.py).
    return str(_stemmer().stemWord(word))


@dataclass(frozen=True)
class LinkFields:
    """What the linker reads of one quote: all that a row of a distributed frame must carry for
    ``scale_claims`` to link exactly as ``link_claims`` does."""

    id: str
    article: str
    parent: str | None
    speaker: str | None  # the named speaker's name (None for no speaker or an unnamed one)
    relays: tuple[str, ...]  # names of who passed it on or was cited (see ``relay_names``)
    words: tuple[str, ...]  # content words, in order (``content_words``)
    conditional: bool
    modal: tuple[str, ...]  # kinds of modality, sorted


@dataclass(frozen=True)
class LinkItem:
    """A quote as the linker compares it: its fields and what follows from them."""

    index: int
    quote: LinkFields
    words: frozenset[str]
    text: str  # normalised words, space-joined, for rapidfuzz
    negated: bool
    numbers: frozenset[str]
    speaker: str | None
    long_words: tuple[str, ...]  # the words fuzzy matching looks at, sorted (see ``_dice``)
    conditional: bool = False
    modal: frozenset[str] = frozenset()
    speaker_words: frozenset[str] = frozenset()  # the named speaker's name words
    relays: tuple[frozenset[str], ...] = ()  # name words of who passed it on or was cited
    # Worked out once a quote rather than once a pair (a run compares each quote with dozens):
    prefix_roots: frozenset[str] = frozenset()  # its words with a negating prefix, less it (``_vetoed``)
    sorted_length: int = 0  # the length of ``text`` as rapidfuzz's token_sort_ratio compares it


def _name_words(name: str | None) -> frozenset[str]:
    return _words_of_name(name) if name else frozenset()


@lru_cache(maxsize=1 << 16)
def _words_of_name(name: str) -> frozenset[str]:
    # a run names far fewer people than it has quotes, and tokenising a name (NFKC, two
    # regular expressions) cost more than the rest of a quote's item
    return frozenset(name_tokens(name))


def relay_names(quote: Quote, by_id: Mapping[str, Quote]) -> tuple[str, ...]:
    """Everyone between the speaker and the page, or cited by the speaker: intermediaries, an
    outlet the speaker told, the speaker of the quote it is nested in (in ``by_id``), the
    principal a spokesperson speaks for."""
    names = [v.name for v in quote.via]
    if quote.addressee is not None and quote.addressee.type == "outlet":
        names.append(quote.addressee.name)  # "she told the Gazette": the Gazette passed it on
    host = by_id.get(quote.parent) if quote.parent else None
    if host is not None and host.speaker is not None:
        names.append(host.speaker.name)
    if quote.speaker is not None and (boss := spokesperson_for(quote.speaker)) is not None:
        names.append(boss)
    return tuple(names)


def link_fields(quote: Quote, by_id: Mapping[str, Quote] | None = None) -> LinkFields:
    """What the linker reads of a quote (``by_id``: the run's quotes, to find a parent's speaker)."""
    return _fields_with(quote, by_id or {}, text_fields(quote.text, _cue_lemma(quote)))


def _cue_lemma(quote: Quote) -> str | None:
    return quote.cue.lemma if quote.cue is not None else None


def text_fields(text: str, cue: str | None = None) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """What the linker reads of a quote's text (``cue``: the lemma of its speech verb): its
    content words, whether it is conditional, and its kinds of modality, sorted.

    A clause the speaker denies ("denied that the dam would close", ``_negating_cues``) ends
    with a "not" among its words: the negation veto then keeps it from "the dam would close"
    and lets it join "the dam would not close". (A denied negation, rare, stays negated.)"""
    conditional, modal = _modal_marks(text)
    words = content_words(text)
    if cue is not None and cue in _negating_cues():
        words.append("not")
    return tuple(words), conditional, tuple(sorted(modal))


def _fields_with(quote: Quote, by_id: Mapping[str, Quote],
                 read: tuple[tuple[str, ...], bool, tuple[str, ...]]) -> LinkFields:
    named = quote.speaker is not None and quote.speaker.type != "unnamed"
    words, conditional, modal = read
    return LinkFields(
        id=quote.id,
        article=quote.article,
        parent=quote.parent,
        speaker=quote.speaker.name if named and quote.speaker else None,
        relays=relay_names(quote, by_id),
        words=words,
        conditional=conditional,
        modal=modal,
    )


def link_item(index: int, fields: LinkFields) -> LinkItem:
    return _item_with(index, fields, _word_facts(fields.words))


# What follows from a quote's words alone (``_word_facts``): its words of four letters or more,
# sorted; whether negated; its numbers; its roots under a negating prefix; the length of its
# text as token_sort_ratio compares it.
_WordFacts = tuple[tuple[str, ...], bool, frozenset[str], frozenset[str], int]


def _word_facts(words: tuple[str, ...]) -> _WordFacts:
    unique = frozenset(words)
    return (
        _long_words(unique),
        not _NEGATIONS.isdisjoint(unique),
        _numbers_of(unique),
        _prefix_roots(words),
        # token_sort_ratio splits on white space, sorts and joins with single spaces
        len(" ".join(" ".join(words).split())),
    )


def _item_with(index: int, fields: LinkFields, facts: _WordFacts) -> LinkItem:
    long_words, negated, numbers, prefix_roots, sorted_length = facts
    return LinkItem(
        index=index,
        quote=fields,
        words=frozenset(fields.words),
        long_words=long_words,
        text=" ".join(fields.words),
        negated=negated,
        numbers=numbers,
        speaker=fields.speaker.lower() if fields.speaker else None,
        conditional=fields.conditional,
        modal=frozenset(fields.modal),
        speaker_words=_name_words(fields.speaker),
        relays=tuple(w for w in map(_name_words, fields.relays) if w),
        prefix_roots=prefix_roots,
        sorted_length=sorted_length,
    )


def _prefix_roots(words: Iterable[str]) -> frozenset[str]:
    """Each word that starts with a negating prefix, without it: "inaccurate" and "not accurate"
    say the same thing, so the negation veto (``_vetoed``) lets such a pair through."""
    roots = set()
    for w in words:
        if w[:2] in ("in", "un", "im", "ir") and len(w) > 5:
            roots.add(w[2:])
        if w[:3] in ("dis", "non"):
            roots.add(w[3:])
    return frozenset(roots)


def similarity(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """Share of weight two word sets have in common: the weighted Dice coefficient, with
    near-spellings among the leftover words counted as shared."""
    return _dice(a, b, _long_words(a), _long_words(b), word_weight(a, idf) + word_weight(b, idf), idf)


Weights = Mapping[int, float] | Sequence[float]  # each item's total word weight, by its index
Items = Mapping[int, LinkItem] | Sequence[LinkItem]  # items by their index

def _dice(a: frozenset[str], b: frozenset[str], long_a: tuple[str, ...], long_b: tuple[str, ...], total: float,
          idf: dict[str, float]) -> float:
    shared = a & b
    fuzzy = 0.0
    # In sorted order: which leftover word pairs up first must not depend on set order (string
    # hashes differ between processes, and so would the claims).
    left_b = [v for v in long_b if v not in shared]
    if left_b:
        for w in long_a:
            if w in shared:
                continue
            match = process.extractOne(w, left_b, scorer=fuzz.ratio, score_cutoff=WORD_MATCH_RATIO)
            if match is not None:
                fuzzy += (idf.get(w, 1.0) + idf.get(match[0], 1.0)) / 2
    if not total:
        return 0.0
    return min(1.0, 2 * (word_weight(shared, idf) + fuzzy) / total)


def _long_words(words: frozenset[str]) -> tuple[str, ...]:
    """Words long enough for a near-spelling to mean anything (four letters or more), sorted."""
    return tuple(sorted(w for w in words if len(w) >= 4))


def word_weight(words: frozenset[str], idf: dict[str, float]) -> float:
    # fsum: exactly rounded whatever the order, and a frozenset's order follows string hashes,
    # which differ between processes: a plain sum could tip a pair over a threshold in one
    # process and not in another.
    return math.fsum(map(idf.get, words, repeat(1.0, len(words))))


def _relation(x: LinkItem, y: LinkItem) -> str:
    """``related`` (the same speaker, or one relays or cites the other), ``different`` (two
    named speakers, neither related), or ``unknown`` (a side without a named speaker)."""
    if x.speaker is not None and x.speaker == y.speaker:
        return "related"
    if _same_person(x.speaker_words, y.speaker_words):
        return "related"
    # a relay counts across articles only: within one, a reporter relays many statements of one
    # source, and two of them are more often two claims than one
    if relayed_elsewhere(x, y):
        return "related"
    if x.speaker_words and y.speaker_words:
        return "different"
    return "unknown"


def relayed_elsewhere(x: LinkItem, y: LinkItem) -> bool:
    """Two quotes of different articles, one's speaker passing the other on (an intermediary,
    an outlet told, the speaker it is nested in, a spokesperson's principal: ``relay_names``):
    such a pair is compared when it shares one rare stem rather than two (``MIN_SHARED_KEYS``).
    A relay retells in its own words and keeps few of the source's ("Ode acknowledged to the
    board that ..." / "Ode then acknowledged those instructions", according to the agency), and
    such pairs are what the lower bar of ``SAME_SPEAKER_THRESHOLD`` is for. Two quotes of one
    speaker keep the two-key rule: they are most of a run's pairs, and the rule bounds them."""
    # (most quotes have no relay: the test of them first spares most pairs the rest)
    return bool(x.relays or y.relays) and x.quote.article != y.quote.article and (
        any(_same_person(x.speaker_words, r) for r in y.relays) or any(_same_person(y.speaker_words, r) for r in x.relays))


_THRESHOLDS = {"related": SAME_SPEAKER_THRESHOLD, "different": DIFFERENT_SPEAKER_THRESHOLD}


def _threshold_of(x: LinkItem, y: LinkItem, relation: str) -> float:
    """The bar a pair must reach, given how its speakers relate (``_relation``)."""
    if relation == "related" and x.quote.article == y.quote.article:
        # one speaker's statements in one article are mostly distinct claims: the lower bar is
        # for the same source retold elsewhere
        return LINK_THRESHOLD
    return _THRESHOLDS.get(relation, LINK_THRESHOLD)


def _vetoed(x: LinkItem, y: LinkItem) -> bool:
    if x.negated != y.negated:
        plain, negated = (x, y) if y.negated else (y, x)
        # "not accurate" and "inaccurate" say the same thing
        if plain.prefix_roots.isdisjoint(negated.words):
            return True
    if x.numbers and y.numbers and x.numbers != y.numbers and _numbers_differ(x.numbers, y.numbers):
        return True
    # "if true, Ode will step aside" is not "Ode should step aside"
    return x.conditional != y.conditional


def _numbers_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sets of numbers differ in a kind both give: amounts (digits, and the words for
    them) or calendar words. "Reopens on Monday" says nothing against "30 ships were held"."""
    amounts_a = {w for w in a if w[:1].isdigit()}
    amounts_b = {w for w in b if w[:1].isdigit()}
    if amounts_a and amounts_b and amounts_a != amounts_b:
        return True
    days_a, days_b = a - amounts_a, b - amounts_b
    return bool(days_a and days_b and days_a != days_b)


def _modal_clash(x: LinkItem, y: LinkItem) -> bool:
    """Both modal, and of no common kind: "should step aside" / "will step aside". A veto of the
    pair only, not of groups: a claim restated by many ("the port would close ...", "should
    be kept open") mixes kinds, and on the seeds a group-level veto split one."""
    a, b = x.modal - {FIRST_PERSON}, y.modal - {FIRST_PERSON}
    return bool(a and b and not a & b)


def _may_be_verbatim(x: LinkItem, y: LinkItem) -> bool:
    """Whether the two texts' lengths leave token_sort_ratio room to reach ``VERBATIM_RATIO``.

    rapidfuzz's ratio is ``100 * (1 - d / (m + n))`` for sorted texts of lengths ``m`` and ``n``,
    with ``d`` their Indel distance (insertions and deletions), and ``d >= |m - n|``: so the
    ratio is at most ``200 * min(m, n) / (m + n)``. Compared in whole numbers: a pair turned away
    falls short by at least ``1 / (m + n)``, so no floating-point rounding decides. A partial quote and
    its source are turned away here, before the costlier ratio."""
    m, n = x.sorted_length, y.sorted_length
    return 200 * min(m, n) >= VERBATIM_RATIO * (m + n)


class PairScorer:
    """Scores the pairs of one run (``score``, and ``merge_groups`` asks again) on its idf and weights,
    remembering each pair's similarity: average linkage asks again for the pairs that scoring
    linked (two quotes' groups, before they join, are those two quotes) and for the cross pairs
    of groups it compared before."""

    def __init__(self, idf: dict[str, float], weights: Weights) -> None:
        self.idf = idf
        self.weights = weights
        self._similarities: dict[tuple[int, int], float] = {}

    @property
    def similarities(self) -> dict[tuple[int, int], float]:
        """The similarities worked out so far, by ``(x.index, y.index)``."""
        return self._similarities

    def remember(self, similarities: Mapping[tuple[int, int], float]) -> None:
        """Take similarities another scorer of the same run worked out (a forked worker's)."""
        self._similarities.update(similarities)

    def similarity(self, x: LinkItem, y: LinkItem) -> float:
        """``similarity`` of two items, from what is known of each beforehand (the same number)."""
        key = (x.index, y.index)  # in this order: near-spellings are matched from x's side
        found = self._similarities.get(key)
        if found is None:
            found = self._similarities[key] = _dice(x.words, y.words, x.long_words, y.long_words,
                                                    self.weights[x.index] + self.weights[y.index], self.idf)
        return found

    def score(self, x: LinkItem, y: LinkItem) -> tuple[float, bool] | None:
        """A candidate pair's link score and whether it is near-verbatim, or None if it does not link."""
        if _vetoed(x, y) or _modal_clash(x, y) or x.quote.parent == y.quote.id or y.quote.parent == x.quote.id:
            return None  # a quote and the report nested in it are two levels, linked by ``parent``
        relation = _relation(x, y)  # once: it is most of a pair's cost after the vetoes
        if relation == "different" and (x.quote.article == y.quote.article or FIRST_PERSON in x.modal and FIRST_PERSON in y.modal):
            # one article gives two named speakers' words to each: two statements, however alike
            # ("the ministry shares the grief of the families ..." and the council's same words);
            # so are two speakers' words about themselves anywhere ("we share the grief ...")
            return None
        if x.text and y.text and _may_be_verbatim(x, y) and fuzz.token_sort_ratio(x.text, y.text) >= VERBATIM_RATIO:
            return 1.0, True
        short = min(len(x.words), len(y.words)) < MIN_CONTENT_WORDS
        # a short restatement by the same source in another article ("it stands by its
        # reporting") may link by its words; other short quotes only when near-verbatim
        if short and not (x.quote.article != y.quote.article and relation == "related"):
            return None
        score = self.similarity(x, y)
        if score >= _threshold_of(x, y, relation):
            return score, False
        return None


def _groups_agree(g1: list[int], g2: list[int], items: Items, scorer: PairScorer) -> bool:
    """Average linkage: the mean of every cross pair's score, each against its own threshold,
    must reach the threshold. Large groups are compared on a bounded sample of members."""
    a, b = g1[:GROUP_SAMPLE], g2[:GROUP_SAMPLE]
    total, pairs = 0.0, 0
    for i in a:
        x = items[i]
        for j in b:
            y = items[j]
            if x.quote.parent == y.quote.id or y.quote.parent == x.quote.id:
                continue  # two levels of one report: neither for nor against
            if _vetoed(x, y):
                return False
            total += scorer.similarity(x, y) / _threshold_of(x, y, _relation(x, y))
            pairs += 1
    return pairs > 0 and total / pairs >= GROUP_AGREEMENT


def _candidate_pairs(items: Sequence[LinkItem], idf: dict[str, float]) -> Iterator[tuple[int, int]]:
    """Pairs of quotes that share rare words, ``(a, b)`` with ``a < b``, by ``a``: an inverted
    index, no all-pairs matrix (``_Candidates``)."""
    candidates = _Candidates.of(items, idf)
    for a in range(len(items)):
        for b in candidates.after(a):
            yield a, b


@dataclass(frozen=True)
class _Candidates:
    """The inverted index over each quote's rarest stems (``blocking_keys``) that opens the
    candidate pairs.

    Two shared keys are asked of pairs whose quotes both have more than ``MIN_SHARED_KEYS``
    keys: one common rare word alone rarely makes a paraphrase, and it is what makes the
    number of pairs grow. The shared keys are counted one quote at a time (for each quote, over
    the quotes after it), so that no table of every pair that shares a key is ever held: that
    table took most of a gigabyte at 100,000 quotes.

    One key is enough for two quotes of two articles where one's speaker passed the other on
    (``relayed_elsewhere``): the relay narrows the pair as a second key would. Few quotes have a
    relay, so those pairs are found once, from the relayed quotes' side (``_relayed_pairs``),
    and the rest of the quotes pay nothing for them."""

    opening: dict[str, list[int]]  # stem -> the items that hold it, in order (2 to MAX_POSTINGS)
    keys: list[list[str]]  # each item's keys
    few: frozenset[int]  # the items with ``MIN_SHARED_KEYS`` keys or fewer
    relayed: dict[int, list[int]]  # item -> the items after it it pairs with by one key (a relay)

    @classmethod
    def of(cls, items: Sequence[LinkItem], idf: dict[str, float]) -> _Candidates:
        index: dict[str, list[int]] = defaultdict(list)
        few: set[int] = set()
        keys_of: list[list[str]] = []
        for it in items:
            keys = blocking_keys(it.words, idf)
            if len(keys) <= MIN_SHARED_KEYS:
                few.add(it.index)
            for w in keys:
                index[w].append(it.index)
            keys_of.append(keys)
        opening = {w: postings for w, postings in index.items() if 2 <= len(postings) <= MAX_POSTINGS}
        frozen_few = frozenset(few)
        return cls(opening, keys_of, frozen_few, _relayed_pairs(items, opening, keys_of, frozen_few))

    def after(self, a: int) -> list[int]:
        """The items after ``a`` that pair with it, in order."""
        after: list[int] = []  # each quote after ``a`` once for every key it shares with ``a``
        for w in self.keys[a]:
            postings = self.opening.get(w)
            if postings is not None:
                # each list is in item order: the quotes after ``a`` are the tail after it
                after.extend(postings[bisect_right(postings, a):])
        if not after:
            return after
        if a in self.few:
            return sorted(set(after))
        shared = Counter(after)  # counted in C: most of the work of this function
        few = self.few
        paired = [b for b in sorted(shared) if shared[b] >= MIN_SHARED_KEYS or b in few]
        relayed = self.relayed.get(a)
        return sorted(paired + relayed) if relayed else paired


def _relayed_pairs(items: Sequence[LinkItem], opening: dict[str, list[int]], keys: list[list[str]],
                   few: frozenset[int]) -> dict[int, list[int]]:
    """The pairs that share one opening key only and are one source's, relayed
    (``relayed_elsewhere``): ``a -> [b, ...]`` with ``a < b``, each list in order. Found from each
    relayed quote's side, over the quotes before and after it that share a key with it and
    a name word across (a relay of the other's speaker shares one of the speaker's words:
    ``_same_person``), which set intersections in C narrow to a few."""
    relay_words = {it.index: frozenset().union(*it.relays) for it in items if it.relays}
    if not relay_words:
        return {}
    speaking: dict[str, set[int]] = defaultdict(set)  # name word -> the items whose speaker has it
    relaying: dict[str, set[int]] = defaultdict(set)  # name word -> the items whose relay has it
    for it in items:
        for w in it.speaker_words:
            speaking[w].add(it.index)
    for r, words in relay_words.items():
        for w in words:
            relaying[w].add(r)
    found: dict[int, set[int]] = defaultdict(set)
    for r, mine in relay_words.items():
        if r in few:
            continue  # its pairs share any key already
        shared = Counter(p for w in keys[r] if (postings := opening.get(w)) is not None for p in postings)
        x = items[r]
        pool: set[int] = set()
        for words, by_word in ((mine, speaking), (x.speaker_words, relaying)):
            for w in words:
                if (holders := by_word.get(w)) is not None:
                    pool.update(holders.intersection(shared))  # iterates ``shared``, in C
        for b in pool:
            if b != r and shared[b] < MIN_SHARED_KEYS and b not in few and relayed_elsewhere(x, items[b]):
                found[min(r, b)].add(max(r, b))
    return {a: sorted(bs) for a, bs in found.items()}


def blocking_keys(words: frozenset[str], idf: dict[str, float]) -> list[str]:
    """A quote's rarest stems: the keys that open its candidate pairs."""
    return sorted(words, key=lambda w: (-idf.get(w, 0.0), w))[:BLOCKING_KEYS]  # ties: by word, not set order


def idf_from_counts(df: Mapping[str, int], n: int) -> dict[str, float]:
    """Inverse document frequency from each stem's quote count, over ``n`` quotes."""
    n = max(1, n)
    return {w: math.log((n + 1) / (c + 0.5)) + 0.1 for w, c in df.items()}


def claim_id(quote_ids: Sequence[str]) -> str:
    """The id of the claim made of these quotes (given sorted): the same group, the same id."""
    return "c-" + hashlib.sha1("|".join(quote_ids).encode()).hexdigest()[:10]


@dataclass(frozen=True)
class Link:
    """Why two quotes were put in one claim."""

    a: str
    b: str
    score: float
    verbatim: bool


def link_claims(quotes: Sequence[Quote], workers: int | None = 1) -> tuple[dict[str, str], list[Link]]:
    """Group quotes into claims.

    While a run is linked, Python's cyclic garbage collector is off in this process (for every
    thread: see ``_no_cyclic_collection``).

    Args:
        quotes: The run's quotes, in run order.
        workers: Processes to link in (``linking_workers``; None: the usable cores; the
            command line's default). With more than one, the texts are read in forked workers
            too, each over a stretch of the quotes (``link_fields_claims`` for the rest).

    Returns:
        ``quote id -> claim id`` for every quote, and the links that joined them.
    """
    by_id = {q.id: q for q in quotes}
    size = linking_workers(len(quotes), workers)
    with _no_cyclic_collection():
        if size <= 1:
            return _link([link_fields(q, by_id) for q in quotes], size)
        texts = [(q.text, _cue_lemma(q)) for q in quotes]

        def read_stretch(bounds: tuple[int, int]) -> list[tuple[str, bool, tuple[str, ...], tuple[str, bool, str, str, int]]]:
            # sets and tuples of short strings cost more to send back than to make: the words
            # go packed in one string
            read = []
            for words, conditional, modal in (text_fields(*read) for read in texts[bounds[0]:bounds[1]]):
                long_words, negated, numbers, roots, length = _word_facts(words)
                read.append((_PACKED.join(words), conditional, modal,
                             (_PACKED.join(long_words), negated, _PACKED.join(sorted(numbers)),
                              _PACKED.join(sorted(roots)), length)))
            return read

        read = [entry for stretch in forked_map(read_stretch, _stretches(len(quotes), size), size) for entry in stretch]
        fields, facts = [], []
        for q, (words, conditional, modal, (long_words, negated, numbers, roots, length)) in zip(quotes, read):
            fields.append(_fields_with(q, by_id, (_unpacked(words), conditional, modal)))
            facts.append((_unpacked(long_words), negated, frozenset(_unpacked(numbers)),
                          frozenset(_unpacked(roots)), length))
        return _link(fields, size, facts)


def _unpacked(packed: str) -> tuple[str, ...]:
    return tuple(packed.split(_PACKED)) if packed else ()


# Between a quote's words when a worker sends them back: never in a word (``_WORD``).
_PACKED = "\x1f"


def link_fields_claims(fields: Sequence[LinkFields], workers: int | None = 1) -> tuple[dict[str, str], list[Link]]:
    """``link_claims`` from what the linker reads of each quote, in order.

    With more than one worker (``linking_workers``), the candidate pairs are found and scored in
    forked processes, each over a stretch of the quotes, and the claim groups are formed in
    them too, each over whole connected components of the linked pairs: the same claims and
    links, in the same order, as in one process."""
    with _no_cyclic_collection():
        return _link(fields, linking_workers(len(fields), workers))


@contextmanager
def _no_cyclic_collection() -> Iterator[None]:
    """Linking makes millions of small objects (items, word sets, pairs) and no reference
    cycles: the cyclic collector's passes over them were a fifth of the time at 100,000 quotes
    (benchmarks/claims_bench.py), and it is off while a run is linked. The switch is the
    process's: other threads of a host program go without cyclic collection meanwhile."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _link(fields: Sequence[LinkFields], size: int,
          facts: Sequence[_WordFacts] | None = None) -> tuple[dict[str, str], list[Link]]:
    items, idf, weights = link_items(fields, facts)
    scorer = PairScorer(idf, weights)
    candidates = _Candidates.of(items, idf)
    scored = _scored_pairs(items, candidates, scorer, size)
    if size > 1:
        members, links = _merge_components(scored, items, scorer, size)
    else:
        members, links = merge_groups(scored, items, range(len(items)), idf, weights, scorer)
    claim_of: dict[str, str] = {}
    for group in members.values():
        cid = claim_id(sorted(items[i].quote.id for i in group))
        for i in group:
            claim_of[items[i].quote.id] = cid
    return claim_of, links


def link_items(fields: Sequence[LinkFields], facts: Sequence[_WordFacts] | None = None,
               ) -> tuple[list[LinkItem], dict[str, float], Weights]:
    """The items of a run, each stem's idf over the run, and each item's weight (``facts``:
    what each quote's words give ``_word_facts``, when worked out already)."""
    if facts is None:
        items = [link_item(i, f) for i, f in enumerate(fields)]
    else:
        items = [_item_with(i, f, known) for i, (f, known) in enumerate(zip(fields, facts))]
    df = Counter(chain.from_iterable(it.words for it in items))
    idf = idf_from_counts(df, len(items))
    return items, idf, [word_weight(it.words, idf) for it in items]


def linking_workers(quotes: int, workers: int | None) -> int:
    """How many processes link ``quotes`` quotes when ``workers`` are asked for (None: the
    usable cores), never more than the usable cores: 1 below ``MIN_QUOTES_FOR_WORKERS``, where
    forking costs more than it saves, and where this system cannot fork."""
    wanted = min(workers if workers is not None else usable_cores(), usable_cores())
    if wanted <= 1 or quotes < MIN_QUOTES_FOR_WORKERS or not can_fork():
        return 1
    return wanted


def _scored_pairs(items: Sequence[LinkItem], candidates: _Candidates, scorer: PairScorer,
                  workers: int) -> list[tuple[float, int, int, bool]]:
    """Every candidate pair that links, ``(score, a, b, verbatim)``, by ``a`` then ``b``. With
    several workers, each scores stretches of ``a`` and sends back its pairs and the
    similarities it worked out, which ``scorer`` keeps for the merge."""

    def score_stretch(bounds: tuple[int, int], here: PairScorer | None = None,
                      ) -> tuple[list[tuple[float, int, int, bool]], dict[tuple[int, int], float]]:
        # in a worker, a scorer of its own a stretch: it sends back only what it worked out
        stretch_scorer = here or PairScorer(scorer.idf, scorer.weights)
        found: list[tuple[float, int, int, bool]] = []
        for a in range(*bounds):
            x = items[a]
            for b in candidates.after(a):
                result = stretch_scorer.score(x, items[b])
                if result is not None:
                    found.append((result[0], a, b, result[1]))
        return found, stretch_scorer.similarities

    if workers <= 1:
        return score_stretch((0, len(items)), scorer)[0]
    scored: list[tuple[float, int, int, bool]] = []
    for found, similarities in forked_map(score_stretch, _stretches(len(items), workers), workers):
        scored.extend(found)
        scorer.remember(similarities)
    return scored


def _stretches(count: int, workers: int) -> list[tuple[int, int]]:
    """``range(count)`` cut into ``TASKS_PER_WORKER`` stretches a worker: the early quotes have
    the most quotes after them to pair with, so equal stretches are unequal work, and many
    small ones even it out."""
    size = max(1, -(-count // (workers * TASKS_PER_WORKER)))
    return [(start, min(count, start + size)) for start in range(0, count, size)]


def _merge_components(scored: Sequence[tuple[float, int, int, bool]], items: Items, scorer: PairScorer,
                      workers: int) -> tuple[dict[int, list[int]], list[Link]]:
    """``merge_groups`` over every item, run on the connected components of the linked pairs
    (each by itself gives the groups it gives in the whole: see ``merge_groups``), shared out
    among ``workers`` forked processes. The groups come back in the order of their first
    member's index (as the whole merge keeps them), the links in the order it makes them."""
    components = _components(scored)
    batches = _batches(components, workers * TASKS_PER_WORKER)

    def merge_batch(batch: list[tuple[list[int], list[tuple[float, int, int, bool]]]]) -> list[_Merged]:
        return [_merge(pairs, items, indices, scorer) for indices, pairs in batch]

    paired = {i for indices, _ in components for i in indices}
    groups: dict[int, list[int]] = {i: [i] for i in range(len(items)) if i not in paired}  # alone
    made: list[tuple[float, int, int, float, bool]] = []
    for merged in forked_map(merge_batch, batches, workers):
        for members, links in merged:
            groups.update(members)
            made.extend(links)
    made.sort(key=lambda link: link[:3])
    return {root: groups[root] for root in sorted(groups)}, _links(made, items)


def _links(made: Iterable[tuple[float, int, int, float, bool]], items: Items) -> list[Link]:
    return [Link(items[a].quote.id, items[b].quote.id, score, verbatim) for _, a, b, score, verbatim in made]


def _components(scored: Sequence[tuple[float, int, int, bool]]) -> list[tuple[list[int], list[tuple[float, int, int, bool]]]]:
    """The connected components of the linked pairs: each one's items, in order, and its pairs."""
    parent = {i: i for _, a, b, _ in scored for i in (a, b)}
    for _, a, b, _ in scored:
        ra, rb = _root(parent, a), _root(parent, b)
        if ra != rb:
            parent[ra] = rb
    indices: dict[int, list[int]] = defaultdict(list)
    for i in sorted(parent):
        indices[_root(parent, i)].append(i)
    pairs: dict[int, list[tuple[float, int, int, bool]]] = defaultdict(list)
    for pair in scored:
        pairs[_root(parent, pair[1])].append(pair)
    return [(indices[root], pairs[root]) for root in indices]


def _batches(components: list[tuple[list[int], list[tuple[float, int, int, bool]]]],
             count: int) -> list[list[tuple[list[int], list[tuple[float, int, int, bool]]]]]:
    """The components shared out into ``count`` batches of about equal pairs (the largest
    first, each to the batch with the fewest so far)."""
    batches: list[list[tuple[list[int], list[tuple[float, int, int, bool]]]]] = [[] for _ in range(count)]
    loads = [(0, n) for n in range(count)]
    for component in sorted(components, key=lambda c: (-len(c[1]), c[0][0])):
        load, n = heapq.heappop(loads)
        batches[n].append(component)
        heapq.heappush(loads, (load + len(component[1]), n))
    return [batch for batch in batches if batch]


def merge_groups(scored: Sequence[tuple[float, int, int, bool]], items: Items, indices: Iterable[int],
                 idf: dict[str, float], weights: Weights, scorer: PairScorer | None = None,
                 ) -> tuple[dict[int, list[int]], list[Link]]:
    """Claim groups from the linked pairs ``(score, a, b, verbatim)``: the strongest first, each
    joining two groups only if the groups agree on the whole (average linkage).

    A pair only ever joins the groups of its own two quotes, so the groups of one connected
    component of the pairs depend on that component alone, its pairs taken in this same order:
    ``scale_claims`` runs this on each component by itself, and so do the workers of
    ``link_fields_claims``. ``scorer``: the one that scored the pairs, if any (it remembers
    their similarities)."""
    members, links = _merge(scored, items, indices, scorer or PairScorer(idf, weights))
    return members, _links(links, items)


# A merge's groups (root -> members) and links, each link as (-score, a, b, the score rounded,
# whether near-verbatim): its first three, the order of the links in the whole merge.
_Merged = tuple[dict[int, list[int]], list[tuple[float, int, int, float, bool]]]


def _merge(scored: Sequence[tuple[float, int, int, bool]], items: Items, indices: Iterable[int],
           scorer: PairScorer) -> _Merged:
    parent = {i: i for i in indices}

    # average linkage: two groups join only if their members agree on the whole, so that a
    # chain of loosely related statements does not become one claim
    members: dict[int, list[int]] = {i: [i] for i in parent}
    links: list[tuple[float, int, int, float, bool]] = []
    for score, a, b, verb in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        ra, rb = _root(parent, a), _root(parent, b)
        if ra != rb:
            if not _groups_agree(members[ra], members[rb], items, scorer):
                continue
            parent[ra] = rb
            members[rb].extend(members.pop(ra))
        links.append((-score, a, b, round(score, 3), verb))
    return members, links


def _root(parent: dict[int, int], i: int) -> int:
    """The root of ``i`` in a union-find forest (``parent``), halving the path on the way."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def assign_claims(results: Iterable[tuple[Article, list[Quote]]],
                  workers: int | None = 1) -> list[tuple[Article, list[Quote]]]:
    """Fill each quote's ``claim`` over a whole run of articles (``workers``: as for ``link_claims``)."""
    results = list(results)
    quotes = [q for _, qs in results for q in qs]
    claim_of, _ = link_claims(quotes, workers)
    return [(a, [replace(q, claim=claim_of.get(q.id)) for q in qs]) for a, qs in results]


def build_claims(results: Sequence[tuple[Article, list[Quote]]]) -> list[Claim]:
    """Claim records for quotes that already carry claim ids, with outlets, speakers and
    the first appearance (the earliest dated article; ties and undated ones in input order)."""
    by_claim: dict[str, list[tuple[Article, Quote]]] = defaultdict(list)
    for art, qs in results:
        for q in qs:
            if q.claim:
                by_claim[q.claim].append((art, q))
    claims = []
    for cid, members in by_claim.items():
        dated = [(a.meta.published or "9999", i) for i, (a, _) in enumerate(members)]
        first = members[min(dated)[1]]
        # a page that names no site is published by the outlet that wrote it
        outlets = tuple(dict.fromkeys(a.meta.outlet or a.meta.original_outlet for a, _ in members
                                      if a.meta.outlet or a.meta.original_outlet))
        speakers = tuple(dict.fromkeys(q.speaker.name for _, q in members if q.speaker))
        representative = max((q for _, q in members), key=lambda q: (q.confidence, -len(q.text)))
        claims.append(Claim(
            id=cid,
            text=representative.text,
            quotes=tuple(q.id for _, q in members),
            articles=tuple(dict.fromkeys(a.path for a, _ in members)),
            outlets=outlets,
            speakers=speakers,
            first_appearance=first[1].id,
            first_published=first[0].meta.published,
            first_article=first[0].path,
            first_outlet=first[0].meta.outlet or first[0].meta.original_outlet,
            first_original_outlet=first[0].meta.original_outlet,
        ))
    claims.sort(key=lambda c: (-len(c.quotes), c.id))
    return claims


def select_claims(results: Sequence[tuple[Article, list[Quote]]], min_outlets: int = 1) -> list[Claim]:
    """Claim groups of a run, with at least ``min_outlets`` distinct outlets (or articles,
    where the outlet is unknown)."""
    return [c for c in build_claims(results) if len(c.outlets or c.articles) >= min_outlets]


def index_quotes(results: Iterable[tuple[Article, list[Quote]]]) -> tuple[dict[str, Quote], dict[str, Article]]:
    """Every quote of a run by id, and the article each came from."""
    by_id: dict[str, Quote] = {}
    article_of: dict[str, Article] = {}
    for article, quotes in results:
        for quote in quotes:
            by_id[quote.id] = quote
            article_of[quote.id] = article
    return by_id, article_of
