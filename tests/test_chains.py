"""Provenance chains on the bundled corpus, and the pieces they are made of."""

from __future__ import annotations

import pytest

from quotetrace.articles import default_corpus_paths, read_articles
from quotetrace.chains import matches_query, quote_path, trace
from quotetrace.claims import assign_claims, select_claims
from quotetrace.models import Article, ArticleMeta, Quote, Speaker, Via
from quotetrace.runner import extract_articles


@pytest.fixture(scope="module")
def corpus(nlp):
    return assign_claims(extract_articles(read_articles(default_corpus_paths()), nlp=nlp))


def names(path):
    return [n.name for n in path.nodes]


def test_security_guarantee_paths(corpus):
    chain = trace("security guarantee", corpus)
    paths = [names(p) for p in chain.paths]
    assert ["Kim Jong-un", "Vladimir Putin", "Han Jeong-woo", "The Korea Times", "NK News"] in paths
    assert ["Kim Jong-un", "Vladimir Putin", "Cheong Wa Dae", "The Korea Herald"] in paths
    assert any(p[-2:] == ["Vladimir Putin", "The Hindu"] for p in paths)
    assert any(p[-2:] == ["Vladimir Putin", "KBS World"] for p in paths)
    # every path ends at the outlet that published its article
    for p in chain.paths:
        assert p.nodes[-1].type == "outlet"


def test_chain_json_shape(corpus):
    data = trace("simultaneously and in parallel", corpus).to_dict()
    assert data["query"] == "simultaneously and in parallel"
    assert {tuple(n["name"] for n in p) for p in data["paths"]} >= {("Stephen Biegun", "The Korea Times"),
                                                                  ("Stephen Biegun", "NK News")}
    for claim in data["claims"]:
        assert claim["id"] and claim["quotes"] and "first_appearance" in claim
    for edge in data["edges"]:
        assert {"from", "to", "kind", "quotes"} <= set(edge)


def test_no_match_gives_an_empty_chain(corpus):
    chain = trace("zebra migration", corpus)
    assert chain.claims == () and chain.paths == ()


def test_select_claims_min_outlets(corpus):
    wide = select_claims(corpus, min_outlets=3)
    assert wide and all(len(c.outlets) >= 3 for c in wide)
    assert len(select_claims(corpus, min_outlets=1)) > len(wide)


def _q(i: int, text: str, speaker: str, **kw) -> Quote:
    return Quote(id=f"q{i}", article=f"a{i}", start=0, end=len(text), text=text, kind="direct", cue=None,
                 speaker=Speaker(speaker, "person"), **kw)


def test_quote_path_orders_origin_speaker_relay_intermediaries_outlet():
    inner = _q(2, "the border will stay open", "Ana Ruiz", parent="q1",
               via=(Via("Ben Ode", "person", "cites"),))
    outer = _q(1, "Ana Ruiz told him the border will stay open", "Li Wei",
               via=(Via("The Gazette", "outlet", "carried_by"), Via("Foreign Ministry", "organization", "according_to")))
    art = Article("a.txt", "", ArticleMeta(outlet="Daily Post"))
    path = quote_path(inner, art, {"q1": outer, "q2": inner})
    assert [n.name for n, _ in path] == ["Ben Ode", "Ana Ruiz", "Li Wei", "Foreign Ministry", "The Gazette", "Daily Post"]
    assert [k for _, k in path] == ["origin", "origin", "relay", "according_to", "carried_by", "published"]


def test_near_verbatim_reuse_in_a_later_article_is_an_inferred_edge():
    text = "the reservoir will be empty by the end of August unless it rains"
    a = _q(1, text, "Ana Ruiz", claim="c1")
    b = _q(2, text + ".", "Ana Ruiz", claim="c1")
    early = Article("a1", "", ArticleMeta(outlet="Early Times", published="2024-05-01"))
    late = Article("a2", "", ArticleMeta(outlet="Late News", published="2024-05-03"))
    chain = trace("reservoir", [(early, [a]), (late, [b])])
    inferred = [e for e in chain.edges if e.kind == "inferred"]
    assert len(inferred) == 1
    assert (inferred[0].source, inferred[0].target) == ("Early Times", "Late News")
    assert set(inferred[0].quotes) == {"q1", "q2"} and inferred[0].confidence >= 0.88


@pytest.mark.parametrize("query,text,hit", [
    ("security guarantee", "North Korea needs security guarantees", True),
    ("Security Guarantee", "a firm guarantee of the security of his regime", True),
    ("security guarantee", "the talks on trade went well", False),
    ("putin", "anything at all", False),
])
def test_matches_query(query, text, hit):
    assert matches_query(query, _q(0, text, "Ana Ruiz")) is hit


def test_matches_query_by_speaker():
    assert matches_query("ana ruiz", _q(0, "the talks went well", "Ana Ruiz"))
