"""Scoring against a gold, rule by rule, on hand-made predictions (no parse)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from quotetrace.evaluation import PRF, name_form, overlap, score
from quotetrace.gold import parse_gold
from quotetrace.models import (
    Article,
    ArticleMeta,
    Chain,
    ChainEdge,
    ChainNode,
    ChainPath,
    Quote,
    Speaker,
    TextSpan,
)

TEXT = ("Harbour Minister Odile Fenwick said the levy would double. \"We are ready,\" Fenwick said. "
        "Camden Roe said the union would strike. He said talks had failed.")
GOLD: dict[str, Any] = {
    "format": "quotetrace-gold/1",
    "articles": [{"file": "a.txt", "outlet": "Harbor Courier"}],
    "entities": [
        {"name": "Odile Fenwick", "type": "person", "aliases": ["Fenwick", "Harbour Minister Odile Fenwick"]},
        {"name": "Camden Roe", "type": "person", "aliases": ["Roe"]},
        {"name": "Harbor Courier", "type": "outlet", "aliases": ["the Harbor Courier"]},
    ],
    "quotes": [
        {"id": "q1", "file": "a.txt", "kind": "indirect", "text": "the levy would double", "speaker": "Odile Fenwick"},
        {"id": "q2", "file": "a.txt", "kind": "direct", "text": "We are ready,", "speaker": "Odile Fenwick"},
        {"id": "q3", "file": "a.txt", "kind": "indirect", "text": "the union would strike", "speaker": "Camden Roe"},
        {"id": "q4", "file": "a.txt", "kind": "indirect", "text": "talks had failed", "speaker": "Camden Roe",
         "optional": True},
    ],
    "must_link": [["q1", "q2"], ["q1", "q3"]],
    "cannot_link": [["q2", "q3"], ["q1", "q4"]],
    "chains": [{"query": "levy", "paths": [["Odile Fenwick", "Harbor Courier"]]}],
}


def gold(**changes: Any):  # type: ignore[no-untyped-def]
    data = copy.deepcopy(GOLD)
    data.update(changes)
    return parse_gold(data, "g.json")


def article(path: str = "folder/a.txt") -> Article:
    return Article(path, TEXT, ArticleMeta(outlet="Harbor Courier"))


def quote(words: str, speaker: str | None = "Odile Fenwick", *, shift: int = 0, cut: int = 0, claim: str | None = None,
          mention: tuple[int, int] | None = None, qid: str = "") -> Quote:
    """A prediction of ``words`` (which must be in TEXT), its span moved by ``shift`` and shortened by ``cut``."""
    start = TEXT.index(words) + shift
    end = start + len(words) - cut
    said = Speaker(speaker, "person", mention=TextSpan(*mention, TEXT[slice(*mention)]) if mention else None) \
        if speaker else None
    return Quote(qid or f"p{start}", "folder/a.txt", start, end, TEXT[start:end], "indirect", None, said, claim=claim)


@pytest.mark.parametrize(("written", "form"), [
    ("Odile Fenwick", "odile fenwick"),
    ("ODILE  FENWICK", "odile fenwick"),
    ("Fenwick\u2019s", "fenwick"),
    ("Fenwick's", "fenwick"),
    ("Jean-Luc Maret", "jean luc maret"),
    ("Mr. Roe", "roe"),
    ("President Dr. Roe", "roe"),
    ("the Harbor Courier", "harbor courier"),
    ("Minister", "minister"),  # a title alone is kept: it is the whole name
    ("", ""),
    (None, ""),
])
def test_name_form(written: str | None, form: str) -> None:
    assert name_form(written) == form


@pytest.mark.parametrize(("a", "b", "iou"), [
    ((0, 10), (0, 10), 1.0),
    ((0, 10), (0, 5), 0.5),
    ((0, 10), (5, 15), 5 / 15),
    ((0, 10), (10, 20), 0.0),
    ((3, 3), (3, 3), 0.0),
])
def test_overlap_is_intersection_over_union(a: tuple[int, int], b: tuple[int, int], iou: float) -> None:
    assert overlap(a, b) == pytest.approx(iou)


@pytest.mark.parametrize(("prediction", "found"), [
    (quote("the levy would double"), True),
    (quote("the levy would double", cut=10), True),  # 11 of 21 characters: overlap 0.52
    (quote("the levy would double", cut=11), False),  # 10 of 21: 0.48
    (quote("the levy would double", shift=-11), False),
    (quote("said the levy would double", cut=0), True),  # 21 of 26
])
def test_a_prediction_matches_at_half_overlap(prediction: Quote, found: bool) -> None:
    result = score(gold(), [(article(), [prediction])])
    assert (result.found == 1) is found
    assert result.predicted == 1


def test_matching_is_one_to_one_best_overlap_first() -> None:
    loose = quote("said the levy would double", qid="loose")
    tight = quote("the levy would double", qid="tight")
    result = score(gold(), [(article(), [loose, tight])])
    assert result.found == 1 and result.predicted == 2  # the looser one is left over, a false positive
    assert result.detection == PRF(0.5, round(1 / 3, 3), 0.4)


@pytest.mark.parametrize(("speaker", "mention", "right"), [
    ("Odile Fenwick", None, True),
    ("Fenwick", None, True),  # an alias
    ("odile-fenwick", None, True),  # case and hyphens
    ("Ms. Fenwick's", None, True),  # title and possessive
    ("Camden Roe", None, False),
    ("he", None, False),  # a pronoun is no name of hers
    (None, None, False),
    ("the minister", (0, 30), False),  # no speaker_span in this gold: the mention does not count
])
def test_a_speaker_is_right_by_name_or_alias(speaker: str | None, mention: tuple[int, int] | None,
                                             right: bool) -> None:
    result = score(gold(), [(article(), [quote("the levy would double", speaker, mention=mention)])])
    assert result.found == 1
    assert (result.speaker_right == 1) is right
    assert [w.predicted for w in result.wrong_speaker] == ([] if right else [speaker])


@pytest.mark.parametrize(("mention", "right"), [((0, 30), True), ((10, 30), True), ((0, 14), False)])
def test_a_speaker_span_in_the_gold_makes_a_mention_over_it_right(mention: tuple[int, int], right: bool) -> None:
    data = copy.deepcopy(GOLD["quotes"])
    data[0]["speaker_span"] = [0, 30]
    result = score(gold(quotes=data), [(article(), [quote("the levy would double", "the minister", mention=mention)])])
    assert (result.speaker_right == 1) is right


def test_entities_of_one_article_are_read_there_first() -> None:
    entities = [*GOLD["entities"], {"name": "Camden Roe", "type": "person", "aliases": ["the spokesman"], "file": "a.txt"}]
    result = score(gold(entities=entities), [(article(), [quote("the union would strike", "the spokesman")])])
    assert result.speaker_right == 1


def test_an_optional_quote_is_neither_right_nor_wrong() -> None:
    plain = score(gold(), [(article(), [quote("the levy would double")])])
    with_optional = score(gold(), [(article(), [quote("the levy would double"), quote("talks had failed")])])
    assert plain.gold_required == with_optional.gold_required == 3
    assert plain.predicted == with_optional.predicted == 1
    assert plain.detection == with_optional.detection == PRF(1.0, 0.333, 0.5)


def test_counts_by_kind_and_misses() -> None:
    result = score(gold(), [(article(), [quote("the levy would double"), quote("the union would strike", "Roe")])])
    assert {k.kind: (k.gold, k.found, k.speaker_right) for k in result.by_kind} == {
        "direct": (1, 0, 0), "indirect": (2, 2, 2), "mixed": (0, 0, 0)}
    assert [(m.id, m.text) for m in result.missed] == [("q2", "We are ready,")]
    assert result.speaker_accuracy == 1.0
    assert result.attribution == PRF(1.0, 0.667, 0.8)


@pytest.mark.parametrize(("claims", "joined", "apart"), [
    # claim ids of the predictions for q1, q2, q3
    (("c1", "c1", "c1"), 2, 0),
    (("c1", "c1", "c2"), 1, 1),
    (("c1", "c2", "c3"), 0, 1),
    ((None, None, None), 0, 1),  # no claim id joins nothing, and counts as apart (as score.py has it)
])
def test_must_link_and_cannot_link(claims: tuple[str | None, ...], joined: int, apart: int) -> None:
    preds = [quote("the levy would double", claim=claims[0]), quote("We are ready,", claim=claims[1]),
             quote("the union would strike", "Roe", claim=claims[2])]
    result = score(gold(), [(article(), preds)])
    # a pair with a quote not found (q4) is neither joined nor kept apart
    assert (result.linking.must_link, result.linking.cannot_link) == (2, 2)
    assert (result.linking.must_link_joined, result.linking.cannot_link_kept_apart) == (joined, apart)


def test_articles_the_gold_does_not_name_are_left_out() -> None:
    other = Article("folder/b.txt", TEXT)
    result = score(gold(), [(article(), []), (other, [quote("the levy would double")])])
    assert (result.found, result.predicted, result.articles) == (0, 0, 1)


def chain(query: str, paths: list[list[str]], edges: list[tuple[str, str]] = ()) -> Chain:
    return Chain(query, (), (), tuple(ChainPath(tuple(ChainNode(n, "person") for n in p), "q", "a.txt") for p in paths),
                 tuple(ChainEdge(a, b, "inferred", ()) for a, b in edges))


@pytest.mark.parametrize(("traced", "found", "predicted", "extra"), [
    (chain("levy", [["Fenwick", "the Harbor Courier"]]), 1, 1, []),
    (chain("LEVY", [["Harbour Minister Odile Fenwick", "Fenwick", "Harbor Courier"]]), 1, 1, []),  # same node twice
    (chain("levy", [["the minister", "Harbor Courier"]]), 0, 1, ["?the minister -> Harbor Courier"]),
    (chain("levy", [], [("Odile Fenwick", "Harbor Courier")]), 1, 1, []),  # edges count too
    (chain("other query", [["Fenwick", "Harbor Courier"]]), None, None, None),  # not asked by the gold
])
def test_chain_edges(traced: Chain, found: int | None, predicted: int | None, extra: list[str] | None) -> None:
    result = score(gold(), [(article(), [])], [traced])
    if found is None:
        assert result.chains == ()
        return
    (scored,) = result.chains
    assert (scored.query, scored.gold_edges, scored.edges_found, scored.pred_edges) == ("levy", 1, found, predicted)
    assert list(scored.extra) == extra
    assert list(scored.missing) == ([] if found else ["Odile Fenwick -> Harbor Courier"])
    assert result.chain_edges == (found, 1)


def test_nothing_predicted_scores_zero_not_an_error() -> None:
    result = score(gold(), [(article(), [])])
    assert result.detection == result.attribution == PRF(0.0, 0.0, 0.0)
    assert result.speaker_accuracy == 0.0
    assert set(result.to_dict()) == {"gold", "articles", "gold_required", "predicted", "unlocatable_predictions",
                                     "found", "speaker_right", "detection", "attribution", "speaker_accuracy",
                                     "by_kind", "linking", "chain_edges", "chains"}
    assert {"missed", "wrong_speaker"} <= set(result.to_dict(misses=True))
