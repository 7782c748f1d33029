"""Choosing quotes by speaker, outlet and kind."""

from __future__ import annotations

import pytest

from quotetrace.filters import select, select_from_articles
from quotetrace.lexicon import default_lexicon
from quotetrace.models import Article, ArticleMeta, Quote, Speaker, TextSpan
from quotetrace.names import outlet_query
from quotetrace.names import speaker_query as _speaker_query

TITLES = default_lexicon().speakers.titles


def speaker_query(query: str):  # type: ignore[no-untyped-def]
    return _speaker_query(query, TITLES)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("putin", "Vladimir Putin"),
        ("PUTIN", "Vladimir Putin"),
        ("Vladimir Putin", "Vladimir Putin"),
        ("President Putin", "Vladimir Putin"),
        ("Mr. Putin", "Vladimir Putin"),
        ("Puttin", "Vladimir Putin"),  # a letter added
        ("putin", "Puting"),  # ... or dropped: the typo may be in the name
        ("Ptuin", "Vladimir Putin"),  # two letters swapped
        ("Kim Jong Un", "Kim Jong-un"),
        ("kim jong-un", "Kim Jong Un"),
        ("Kim Jongun", "Kim Jong-un"),  # spaces differ
        ("Kim", "Kim Yoo-chul"),  # one word matches any word of the name
        ("Moon", "Moon Jae-in"),
        ("Putin's", "Vladimir Putin"),
        ("jose", "José Ramos-Horta"),
        ("the White House", "White House"),
        ("White House", "the White House"),
        ("Sanders", "Sarah Huckabee Sanders"),
        ("Christopher", "Christophr Wray"),
    ],
)
def test_speaker_query_matches(query: str, name: str) -> None:
    assert speaker_query(query).matches(name)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Kim Jong Un", "Kim Yoo-chul"),  # same surname, another person
        ("Kim Jong Un", "Kim Jong-il"),
        ("Kin", "Kim Jong-un"),  # short words must be exact
        ("Mon", "Moon Jae-in"),
        ("Donald", "Ronald Reagan"),  # a changed letter is another name
        ("Comey", "Corey Lewandowski"),
        ("Davis", "David Cohen"),
        ("Donald Trump", "Donald Trump Jr."),  # a generation suffix makes another person
        ("Vladimir Putin", "Putin"),  # every word of the query must be in the name
        ("Putin", "Dmitry Peskov"),
        ("President", "Vladimir Putin"),  # a title alone is not a name
        ("Putin", ""),
        ("Putin", None),
    ],
)
def test_speaker_query_does_not_match(query: str, name: str | None) -> None:
    assert not speaker_query(query).matches(name)


@pytest.mark.parametrize(
    ("query", "outlet", "expected"),
    [
        ("korea times", "The Korea Times", True),
        ("The Korea Times", "Korea Times", True),
        ("Hindu", "The Hindu", True),
        ("kbs world", "KBS World", True),
        ("Korea Herald", "The Korea Times", False),
        ("Times", "The Korea Herald", False),
        ("Press TV", "KBS TV", False),  # outlets have no titles: "Press" is required
        ("Hindu", None, False),
    ],
)
def test_outlet_query(query: str, outlet: str | None, expected: bool) -> None:
    assert outlet_query(query).matches(outlet) is expected


def quote(qid: str, kind: str = "direct", name: str | None = "Vladimir Putin", mention: str = "Putin") -> Quote:
    speaker = Speaker(name, "person", mention=TextSpan(0, len(mention), mention)) if name else None
    return Quote(id=qid, article="a.txt", start=0, end=1, text="x", kind=kind, cue=None, speaker=speaker)


QUOTES = [
    quote("q1", "direct"),
    quote("q2", "indirect", "Moon Jae-in", "Moon"),
    quote("q3", "mixed", "Vladimir Putin", "the Russian leader"),
    quote("q4", "indirect", None),
    quote("q5", "direct", "Yoon Do-han", "the senior presidential secretary"),
]


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({}, ["q1", "q2", "q3", "q4", "q5"]),
        ({"kind": "direct"}, ["q1", "q5"]),
        ({"kind": "mixed"}, ["q3"]),
        ({"speaker": "putin"}, ["q1", "q3"]),
        ({"speaker": "putin", "kind": "direct"}, ["q1"]),
        ({"speaker": "Russian leader"}, ["q3"]),  # the words that name the speaker count too
        ({"speaker": "secretary"}, ["q5"]),  # a title alone is matched when it is all there is
        ({"speaker": "Kim"}, []),
    ],
)
def test_select(filters: dict[str, str], ids: list[str]) -> None:
    assert [q.id for q in select(QUOTES, **filters, titles=TITLES)] == ids


def test_select_by_outlet_asks_outlet_of() -> None:
    outlets = {"q1": "The Korea Times", "q2": "The Korea Herald", "q3": "The Korea Times", "q4": None, "q5": "NK News"}
    chosen = select(QUOTES, outlet="korea times", outlet_of=lambda q: outlets[q.id])
    assert [q.id for q in chosen] == ["q1", "q3"]


@pytest.mark.parametrize("arguments", [{"kind": "quoted"}, {"outlet": "NK News"}])
def test_select_refuses_what_it_cannot_do(arguments: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        select(QUOTES, **arguments)


def test_select_from_articles_uses_each_articles_outlet() -> None:
    times = Article("times.txt", "...", ArticleMeta(outlet="The Korea Times"))
    herald = Article("herald.txt", "...", ArticleMeta(outlet="The Korea Herald"))
    found = [(times, QUOTES[:2]), (herald, QUOTES[2:])]
    rows = list(select_from_articles(found, outlet="Korea Herald", speaker="Putin"))
    assert [(q.id, a.path) for q, a in rows] == [("q3", "herald.txt")]
    assert [q.id for q, _ in select_from_articles(found)] == ["q1", "q2", "q3", "q4", "q5"]
