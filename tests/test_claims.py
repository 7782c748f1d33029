"""Claim linking: pairs that must link and pairs that must not, in tables.

Each pair is compared inside a small run of quotes (the IDF weights need a background), so a
drift of any threshold in ``quotetrace.claims`` shows up here as a failing row.
"""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from quotetrace import claims
from quotetrace.claims import (
    LINK_THRESHOLD,
    SAME_SPEAKER_THRESHOLD,
    content_words,
    link_claims,
)
from quotetrace.cores import can_fork, usable_cores
from quotetrace.models import Cue, Quote, Speaker, Via

from .conftest import REPO
from .synthetic import synthetic_quotes

BACKGROUND = [
    ("The central bank raised interest rates by half a point on Tuesday.", "Ana Ruiz"),
    ("Flooding closed three highways in the north of the province.", "police"),
    ("The team will play its first home game in March.", "Tom Hill"),
    ("Exports of rice fell sharply after the drought.", "ministry"),
    ("The company plans to open two new factories next year.", "Lee Park"),
    ("Voters will choose a new mayor in the autumn election.", "Sam Cole"),
]


def _quote(i: int, text: str, speaker: str | None) -> Quote:
    sp = Speaker(speaker, "person") if speaker else None
    return Quote(id=f"q{i}", article=f"a{i}.txt", start=0, end=len(text), text=text, kind="indirect", cue=None, speaker=sp)


def _linked(a: tuple[str, str | None], b: tuple[str, str | None]) -> bool:
    quotes = [_quote(0, *a), _quote(1, *b)] + [_quote(i + 2, t, s) for i, (t, s) in enumerate(BACKGROUND)]
    claim_of, _ = link_claims(quotes)
    return claim_of["q0"] == claim_of["q1"]


MUST_LINK = [
    # a paraphrase across outlets, different verbs and one extra detail
    (("Ostland would dismantle its missile program in return for a security guarantee and receiving sanctions concessions", "Ilse Varga"),
     ("Ostland would give up its missile program in exchange for security guarantees", "Ilse Varga")),
    # the same words carried by two outlets, spelled differently
    (("Nordwire’s description of specific statements to the inspector general’s office are not accurate", "Tomas Reid"),
     ("Nordwire's description of specific statements to the inspector general's office are not accurate", "Tomas Reid")),
    # "not accurate" and "inaccurate" state one claim
    (("the report's description of the statements was not accurate", "Tomas Reid"),
     ("the report's description of the statements was inaccurate", "Tomas Reid")),
    # the same speaker restating a position in other words
    (("the factory will close in June and the workers will be moved to the plant in Ohio", "Dana Fox"),
     ("workers will move to Ohio when the factory closes", "Dana Fox")),
    # one amount in digits and in words
    (("three people died in the fire at the depot", "Lina Holt"), ("3 people died in the fire at the depot", "Lina Holt")),
    # a figure on one side only, the same day on both: no veto (a day says nothing against a figure)
    (("the depot will reopen on Monday after the repairs to the roof", "Ana Lisk"),
     ("the depot will reopen on Monday, 12 weeks after the fire, once the roof is repaired", "Ana Lisk")),
]

CANNOT_LINK = [
    # negation: the opposite claim
    (("the minister will resign before the election", "Omar Aziz"), ("the minister will not resign before the election", "Omar Aziz")),
    # different numbers
    (("the army sent 5,000 troops to the border region", "Li Wen"), ("the army sent 50,000 troops to the border region", "Li Wen")),
    # one speaker, two different statements on one topic
    (("Lanrovia is trying to play active roles in order to resolve the border issues through diplomacy", "Ilse Varga"),
     ("security guarantees should be provided to Ostland for the sake of disarmament", "Ilse Varga")),
    # different speakers, a shared topic word
    (("the trade talks with Canada went well", "Ana Ruiz"), ("the steel tariffs will stay in place", "Ben Ode")),
    # amounts written as words, ordinals, days and months (data/numbers.toml)
    (("three people died in the fire at the depot", "Lina Holt"), ("four people died in the fire at the depot", "Lina Holt")),
    (("the plant cut two hundred jobs", "Kai Moss"), ("the plant cut three hundred jobs", "Kai Moss")),
    (("the strike will go on for a second week", "Kai Moss"), ("the strike will go on for a third week", "Kai Moss")),
    (("the depot will reopen in June", "Ana Lisk"), ("the depot will reopen in July", "Ana Lisk")),
    (("the depot will reopen on Monday", "Ana Lisk"), ("the depot will reopen on Friday", "Ana Lisk")),
    # two named speakers speaking of themselves: two claims however alike the words
    (("we express our deepest condolences to the families of the victims", "Karsvik Port Authority"),
     ("we express our deepest condolences to the families of the victims", "Ostvale Council")),
    (("our thoughts are with the families of those who died in the fire", "Ana Lisk"),
     ("our thoughts and prayers are with the families of those killed in the fire", "Tomas Reid")),
    (("he groped me in his office after the gala", "Ilse Varga"), ("he groped me in his office after the gala", "Mara Quill")),
]

# One speaker's first-person words restated elsewhere, and a claim about a third party that two
# speakers make alike, still link (the first-person veto is for two speakers' own words only).
FIRST_PERSON_LINKS = [
    (("we express our deepest condolences to the families of the victims", "Karsvik Port Authority"),
     ("we express our deepest condolences to all the families of the victims", "Karsvik Port Authority")),
    (("the port will reopen on Monday after the repairs to the quay", "Ana Lisk"),
     ("the port will reopen on Monday after the repairs to the quay", "Tomas Reid")),
]


@pytest.mark.parametrize("a,b", MUST_LINK)
def test_must_link(a, b):
    assert _linked(a, b)


@pytest.mark.parametrize("a,b", CANNOT_LINK)
def test_cannot_link(a, b):
    assert not _linked(a, b)


@pytest.mark.parametrize("a,b", FIRST_PERSON_LINKS)
def test_first_person_words_of_one_speaker_and_third_party_claims_still_link(a, b):
    assert _linked(a, b)


@pytest.mark.xfail(strict=True, reason="known limit: wording alone cannot tell opposite outcomes of one event apart")
def test_opposite_outcomes_of_one_event_stay_apart():
    assert not _linked(("the talks on the trade deal went well", "Ana Ruiz"),
                       ("the trade deal talks collapsed over tariffs on steel", "Ben Ode"))


def test_thresholds_are_ordered():
    # the same speaker may restate a claim in looser words than two speakers sharing it
    assert 0 < SAME_SPEAKER_THRESHOLD < LINK_THRESHOLD < 1


def test_content_words_keep_negation_and_numbers():
    words = content_words("The U.S. won't send 5,000 troops, officials said.")
    assert "not" in words and "5,000" in words and "u.s." in words
    assert "the" not in words
    assert content_words("guarantees") == content_words("guarantee")


def test_every_quote_gets_a_claim_and_singletons_stay_alone():
    quotes = [_quote(i, t, s) for i, (t, s) in enumerate(BACKGROUND)]
    claim_of, links = link_claims(quotes)
    assert set(claim_of) == {q.id for q in quotes}
    assert len(set(claim_of.values())) == len(quotes)
    assert links == []


def test_one_speakers_two_statements_in_one_article_stay_apart_but_join_across_articles():
    # two statements of one source that share a few words: across two articles the lower
    # same-speaker bar joins them as one claim retold; inside one article they are two claims
    a = "Dunmore took her to his house by the lake and kissed her"
    b = "she asked Dunmore to take her back to the house later that night"
    apart = [_quote(0, a, "Mira Olsen"), _quote(1, b, "Mira Olsen")]
    apart = [q if i == 0 else Quote(**{**q.__dict__, "article": "a0.txt"}) for i, q in enumerate(apart)]
    background = [_quote(i + 2, t, s) for i, (t, s) in enumerate(BACKGROUND)]
    claim_of, _ = link_claims(apart + background)
    assert claim_of["q0"] != claim_of["q1"]
    claim_of, _ = link_claims([_quote(0, a, "Mira Olsen"), _quote(1, b, "Mira Olsen")] + background)
    assert claim_of["q0"] == claim_of["q1"]


# --- a denied clause claims the opposite ------------------------------------------------------

CLOSE = "the dam would close before the winter storms"
STAY_OPEN = "the dam would not close before the winter storms"


def _cued(i: int, lemma: str, text: str, speaker: str) -> Quote:
    return Quote(id=f"q{i}", article=f"a{i}.txt", start=0, end=len(text), text=text, kind="indirect",
                 cue=Cue(lemma, lemma, 0, 0), speaker=Speaker(speaker, "person"))


@pytest.mark.parametrize(("a", "b", "linked"), [
    # "Lisk denied that the dam would close" against the report that it would
    (("deny", CLOSE, "Ana Lisk"), ("say", CLOSE, "Kai Moss"), False),
    (("dispute", CLOSE, "Ana Lisk"), ("report", CLOSE, "Kai Moss"), False),
    # ... and with its own words, that it would not
    (("deny", CLOSE, "Ana Lisk"), ("say", STAY_OPEN, "Ana Lisk"), True),
    # two denials of one report
    (("deny", CLOSE, "Ana Lisk"), ("rebut", CLOSE, "Ana Lisk"), True),
    # other verbs leave the clause as it is
    (("say", CLOSE, "Ana Lisk"), ("warn", CLOSE, "Kai Moss"), True),
    (("say", STAY_OPEN, "Ana Lisk"), ("insist", CLOSE, "Ana Lisk"), False),
])
def test_a_denied_clause_claims_the_opposite(a: tuple[str, str, str], b: tuple[str, str, str], linked: bool) -> None:
    quotes = [_cued(0, *a), _cued(1, *b)] + [_quote(i + 2, t, s) for i, (t, s) in enumerate(BACKGROUND)]
    claim_of, _ = link_claims(quotes)
    assert (claim_of["q0"] == claim_of["q1"]) is linked


# --- one source retold by another outlet, in few of its words --------------------------------

# Background for the rows below: "Ode", "tribunal", "acknowledged" and "ordered" are common in it,
# so that of the long quote's rarest stems the short one shares only "ledger".
RELAY_BACKGROUND = [
    ("The tribunal ordered the port to publish its accounts by Friday.", "Lina Holt"),
    ("Ode has acknowledged meeting the contractor twice.", "Sam Cole"),
    ("The tribunal will hear the dredging case in the spring.", "Tom Hill"),
    ("Ode was ordered to appear before the tribunal again.", "Ben Ode"),
    ("The minister acknowledged the delays at the port.", "Kai Moss"),
    ("Exports of rice fell sharply after the drought.", "ministry"),
]
AGENCY_REPORT = ("Ode acknowledged to the tribunal that the harbour board had ordered him to shred ledgers, hide "
                 "payments from auditors and mislead safety inspectors about the dredging contract")
RETOLD = "Ode then acknowledged those orders on the ledgers during his hearings with the tribunal"


def _source(i: int, text: str, name: str, kind: str, via: tuple[Via, ...] = ()) -> Quote:
    return Quote(id=f"q{i}", article=f"a{i}.txt", start=0, end=len(text), text=text, kind="indirect", cue=None,
                 speaker=Speaker(name, kind), via=via)


@pytest.mark.parametrize(("retold_by", "linked"), [
    # the agency's report, retold on another site as what officials told the agency: one source
    (("two officials", "unnamed", (Via("Vesta", "outlet", "according_to"),)), True),
    # the agency itself in another article, no relay between: two shared rare stems are asked,
    # as of any two quotes of one source (they bound the pairs of a run)
    (("Vesta", "outlet", ()), False),
    # someone else saying look-alike words: one shared rare stem is no reason to compare them
    (("Mara Voss", "person", ()), False),
    # an unnamed source with no relay named
    (("two officials", "unnamed", ()), False),
])
def test_a_source_retold_in_few_of_its_words_links_across_outlets(retold_by, linked):
    quotes = [_source(0, AGENCY_REPORT, "Vesta", "outlet"), _source(1, RETOLD, *retold_by)]
    quotes += [_quote(i + 2, t, s) for i, (t, s) in enumerate(RELAY_BACKGROUND)]
    claim_of, _ = link_claims(quotes)
    assert (claim_of["q0"] == claim_of["q1"]) is linked


def test_the_retold_pair_shares_one_rare_stem_only():
    # what the rows above rest on: without the speakers, the pair would not even be compared
    quotes = [_source(0, AGENCY_REPORT, "Vesta", "outlet"), _source(1, RETOLD, "Mara Voss", "person")]
    quotes += [_quote(i + 2, t, s) for i, (t, s) in enumerate(RELAY_BACKGROUND)]
    items, idf, _ = claims.link_items([claims.link_fields(q) for q in quotes])
    shared = set(claims.blocking_keys(items[0].words, idf)) & set(claims.blocking_keys(items[1].words, idf))
    assert shared == {"ledger"}
    assert 1 not in claims._Candidates.of(items, idf).after(0)


# --- linking in forked workers -----------------------------------------------------------

@pytest.mark.parametrize(("count", "seed"), [(2400, 3), (900, 11), (60, 5)])
def test_forked_workers_link_exactly_as_one_process(monkeypatch: pytest.MonkeyPatch, count: int, seed: int) -> None:
    made = synthetic_quotes(count, seed)
    alone, alone_links = link_claims(made, workers=1)
    assert sum(1 for _ in alone_links) > count // 20, "the quotes must link, or the comparison says nothing"
    monkeypatch.setattr(claims, "MIN_QUOTES_FOR_WORKERS", 10)  # the pool even for a few quotes
    assert claims.linking_workers(count, 2) == (2 if can_fork() and usable_cores() > 1 else 1)
    forked, forked_links = link_claims(made, workers=2)
    assert list(forked.items()) == list(alone.items())  # the same claims, in the same order
    assert forked_links == alone_links  # the same links, in the order the merge made them


def test_the_fields_path_links_as_the_quotes_path(monkeypatch: pytest.MonkeyPatch) -> None:
    made = synthetic_quotes(700, 9)
    monkeypatch.setattr(claims, "MIN_QUOTES_FOR_WORKERS", 10)
    by_id = {q.id: q for q in made}
    fields = [claims.link_fields(q, by_id) for q in made]
    assert claims.link_fields_claims(fields, workers=2) == link_claims(made, workers=1)


def test_few_quotes_or_one_worker_link_in_this_process() -> None:
    assert claims.linking_workers(claims.MIN_QUOTES_FOR_WORKERS - 1, 8) == 1
    assert claims.linking_workers(10 * claims.MIN_QUOTES_FOR_WORKERS, 1) == 1
    usable = usable_cores()
    expected = min(3, usable) if can_fork() and usable > 1 else 1
    assert claims.linking_workers(10 * claims.MIN_QUOTES_FOR_WORKERS, 3) == expected  # never more than the cores
    assert claims.linking_workers(10 * claims.MIN_QUOTES_FOR_WORKERS, 64) <= usable


def test_linking_leaves_the_cyclic_collector_as_it_found_it() -> None:
    made = synthetic_quotes(50, 2)
    assert gc.isenabled()
    link_claims(made)
    assert gc.isenabled()
    gc.disable()
    try:
        link_claims(made)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_text_is_read_the_same_packed_for_a_worker() -> None:
    # the words a worker sends back packed in one string come back as they were
    for text in ["We won't go, and it isn't 40% — not 41.5.", "Un-American, inaccurate ’s", "", "—"]:
        words, _, _ = claims.text_fields(text)
        assert claims._unpacked(claims._PACKED.join(words)) == words


def _modal_marks_by_every_word(text: str) -> tuple[bool, frozenset[str]]:
    """What ``_modal_marks`` means, the slow way: every word ``_RAW_WORD`` cuts, looked up."""
    conditional, kinds, _ = claims._modality()
    words = claims._RAW_WORD.findall(text.lower().replace("’", "'").replace("n't", " not"))
    return any(w in conditional for w in words), frozenset(kinds[w] for w in words if w in kinds)


@pytest.mark.parametrize("text", [
    "If true, he will step aside.", "We'll see whether it holds.", "They won't, unless asked.",
    "you'llif", "x'll'll", "'llama would", "Shouldn't she?", "a gift, iffy", "Wo", "must-have",
    "IF", "the will of the people", "shall’ll", "", "no modal word here at all",
])
def test_the_modal_pattern_finds_what_every_word_finds(text: str) -> None:
    assert claims._modal_marks(text) == _modal_marks_by_every_word(text)


_FORKED_LINKING = """
import os
from quotetrace import claims, cores
from tests.synthetic import synthetic_quotes

pids = set()
real = cores.forked_map


def spy(function, tasks, workers):  # the real forked_map, told which process ran each task
    results = real(lambda task: (os.getpid(), function(task)), tasks, workers)
    pids.update(pid for pid, _ in results)
    return [result for _, result in results]


claims.forked_map = spy
claims.MIN_QUOTES_FOR_WORKERS = 10
made = synthetic_quotes(1500, 4)
alone = claims.link_claims(made, workers=1)
forked = claims.link_claims(made, workers=2)
print(list(alone[0].items()) == list(forked[0].items()) and alone[1] == forked[1],
      bool(pids) and os.getpid() not in pids)
"""


@pytest.mark.skipif(not can_fork() or usable_cores() < 2, reason="one core or no fork: linking stays in one process")
def test_linking_in_forked_workers_of_a_fresh_process_gives_the_same_claims() -> None:
    # in a fresh interpreter: with another thread alive in this one (a test cluster's), the
    # workers' share would run here, and the comparison above would not see a fork
    done = subprocess.run([sys.executable, "-c", _FORKED_LINKING], capture_output=True, text=True, timeout=300,
                          check=True, cwd=REPO)
    assert done.stdout.split() == ["True", "True"]
