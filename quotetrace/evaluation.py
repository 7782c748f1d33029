"""Scoring a run against a gold annotation (``quotetrace eval``).

The rules are those of the evaluation's reference scorer (``score.py`` beside the shared gold
sets), one for one, so that both give the same figures:

- A predicted quote matches a gold quote of the same article (by file name) when their spans
  overlap by at least half: intersection over the span from the first start to the last end.
  Matching is one to one, best overlap first (ties in gold order, then prediction order).
- Detection counts matches; attribution counts matches whose speaker is right: the predicted
  name is the gold speaker's name or an alias (``name_form``: case, hyphens, possessives and
  leading titles do not matter), looked up among the article's own entities first; or the
  prediction's speaker mention overlaps the gold's ``speaker_span`` by half. A pronoun is right
  only if the gold lists it among the speaker's names (quotetrace names whom it resolves to).
- Optional gold quotes are neither right nor wrong: matching one adds no prediction and no
  gold quote to the counts.
- A must-link pair is joined when both quotes are matched and share a claim id; a cannot-link
  pair is kept apart when both are matched and their claim ids differ.
- Chain edges: each consecutive pair of a gold path is an edge; a predicted edge counts when its
  ends name the same entities (predicted names mapped to the gold's canonical names).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from quotetrace.chains import trace
from quotetrace.claims import assign_claims
from quotetrace.gold import Gold, GoldEntity, GoldQuote
from quotetrace.models import KINDS, Article, Chain, Quote, overlap

# Spans this alike (intersection over union) are the same quote; so are speaker mentions.
MIN_OVERLAP = 0.5
# Leading words a name may carry or not ("Mr. Lee", "President Lee"): the reference scorer's
# list, which the gold format's figures are defined by.
TITLES = frozenset({"mr", "mrs", "ms", "dr", "the", "president", "chairman", "sir", "prime", "minister"})
_POSSESSIVE = re.compile(r"'s\b")
_NAME_WORD = re.compile(r"[a-z0-9.]+")

Span = tuple[int, int]


def name_form(name: str | None) -> str:
    """A name as the gold compares names: lower case, hyphens as spaces, possessives and leading
    titles dropped ("the Russian President's" and "russian president" are one form)."""
    s = unicodedata.normalize("NFKC", name or "").lower().replace("\u2019", "'").replace("-", " ")
    words = [w.strip(".") for w in _NAME_WORD.findall(_POSSESSIVE.sub("", s))]
    while words and words[0] in TITLES and len(words) > 1:
        words = words[1:]
    return " ".join(w for w in words if w)


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1, rounded to three places."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, true_positives: int, predicted: int, gold: int) -> PRF:
        p = true_positives / predicted if predicted else 0.0
        r = true_positives / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(round(p, 3), round(r, 3), round(f, 3))

    def to_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class KindCount:
    """Required gold quotes of one kind: how many, found, and with the right speaker."""

    kind: str
    gold: int
    found: int
    speaker_right: int

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "found": self.found, "speaker_right": self.speaker_right}


@dataclass(frozen=True)
class Linking:
    """Claim linking against the gold's pairs."""

    must_link: int
    must_link_joined: int
    cannot_link: int
    cannot_link_kept_apart: int

    def to_dict(self) -> dict[str, Any]:
        return {"must_link": self.must_link, "must_link_joined": self.must_link_joined,
                "cannot_link": self.cannot_link, "cannot_link_kept_apart": self.cannot_link_kept_apart}


@dataclass(frozen=True)
class ChainScore:
    """One gold chain query: its edges, the run's, and those found (``A -> B`` strings)."""

    query: str
    gold_edges: int
    pred_edges: int
    edges_found: int
    missing: tuple[str, ...]
    extra: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "gold_edges": self.gold_edges, "pred_edges": self.pred_edges,
                "edges_found": self.edges_found, "missing": list(self.missing), "extra": list(self.extra)}


@dataclass(frozen=True)
class Miss:
    """A required gold quote no prediction matched."""

    id: str
    file: str
    kind: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "file": self.file, "kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class WrongSpeaker:
    """A found gold quote whose predicted speaker is not the gold's."""

    id: str
    file: str
    text: str
    gold: str | None
    predicted: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "file": self.file, "text": self.text, "gold": self.gold, "predicted": self.predicted}


@dataclass(frozen=True)
class LinkMiss:
    """A gold pair the run got wrong: a must-link pair not joined, or a cannot-link pair joined.
    ``found`` is False when the run did not find one of the two quotes at all."""

    relation: str  # must_link | cannot_link
    a: str
    b: str
    found: bool
    a_text: str
    b_text: str

    def to_dict(self) -> dict[str, Any]:
        return {"relation": self.relation, "a": self.a, "b": self.b, "found": self.found,
                "a_text": self.a_text, "b_text": self.b_text}


@dataclass(frozen=True)
class Evaluation:
    """The figures of one run against one gold."""

    gold: str  # the gold file, as named
    articles: int
    gold_required: int  # gold quotes not marked optional
    predicted: int  # predictions that count: all but those matching optional gold quotes
    unlocatable_predictions: int
    found: int
    speaker_right: int
    detection: PRF
    attribution: PRF
    speaker_accuracy: float
    by_kind: tuple[KindCount, ...]
    linking: Linking
    chains: tuple[ChainScore, ...]
    missed: tuple[Miss, ...]
    wrong_speaker: tuple[WrongSpeaker, ...]
    link_misses: tuple[LinkMiss, ...] = ()

    @property
    def chain_edges(self) -> tuple[int, int]:
        """Gold chain edges found, of all gold chain edges."""
        return sum(c.edges_found for c in self.chains), sum(c.gold_edges for c in self.chains)

    def to_dict(self, misses: bool = False) -> dict[str, Any]:
        """The figures; with ``misses``, also each missed and wrongly attributed quote."""
        found, total = self.chain_edges
        record = {
            "gold": self.gold, "articles": self.articles, "gold_required": self.gold_required,
            "predicted": self.predicted, "unlocatable_predictions": self.unlocatable_predictions,
            "found": self.found, "speaker_right": self.speaker_right,
            "detection": self.detection.to_dict(), "attribution": self.attribution.to_dict(),
            "speaker_accuracy": self.speaker_accuracy,
            "by_kind": {k.kind: k.to_dict() for k in self.by_kind},
            "linking": self.linking.to_dict(),
            "chain_edges": {"found": found, "gold": total},
            "chains": [c.to_dict() for c in self.chains],
        }
        if misses:
            record["missed"] = [m.to_dict() for m in self.missed]
            record["wrong_speaker"] = [w.to_dict() for w in self.wrong_speaker]
            record["link_misses"] = [m.to_dict() for m in self.link_misses]
        return record


class _Names:
    """Any written form of a gold entity -> its canonical name (the first entity listing it)."""

    def __init__(self, entities: Iterable[GoldEntity]) -> None:
        self._by_form: dict[str, str] = {}
        for e in entities:
            for form in (e.name, *e.aliases):
                self._by_form.setdefault(name_form(form), e.name)

    def canonical(self, name: str | None) -> str | None:
        return self._by_form.get(name_form(name)) if name else None


def evaluate(gold: Gold, results: Iterable[tuple[Article, list[Quote]]]) -> Evaluation:
    """Link claims over a run of the gold's articles, trace each gold chain query, and score.

    Args:
        gold: The gold (``gold.load_gold``).
        results: Each of the gold's articles (``gold.gold_articles``) with its quotes, names
            unified over the run and aliases applied, as the other commands show them.
    """
    linked = assign_claims(results)
    return score(gold, linked, [trace(chain.query, linked) for chain in gold.chains])


def score(gold: Gold, results: Sequence[tuple[Article, list[Quote]]], chains: Sequence[Chain] = ()) -> Evaluation:
    """Score quotes (claim ids assigned) and traced chains against the gold.

    Args:
        gold: The gold.
        results: Articles with their quotes; articles whose file name the gold does not name
            are left out. The articles' texts are what the spans refer to.
        chains: ``chains.trace`` results; those whose query the gold does not ask are left out.
    """
    names = _Names(gold.entities)
    texts = {PurePath(a.path).name: a.text for a, _ in results}
    texts = {g.file: texts[g.file] for g in gold.articles if g.file in texts}
    local = {f: _Names(e for e in gold.entities if e.file == f) for f in texts}
    gold_span = {g.id: _gold_span(g, texts[g.file]) for g in gold.quotes if g.file in texts}

    preds: dict[str, list[tuple[Span, Quote]]] = defaultdict(list)
    unlocatable = 0
    for article, quotes in results:
        name = PurePath(article.path).name
        if name not in texts:
            continue
        for q in quotes:
            span = _pred_span(q, texts[name])
            if span is None:
                unlocatable += 1
            else:
                preds[name].append((span, q))

    match: dict[str, Quote] = {}
    unmatched = 0
    by_file: dict[str, list[GoldQuote]] = defaultdict(list)
    for g in gold.quotes:
        by_file[g.file].append(g)
    for name, found_here in preds.items():
        candidates = []
        for g in by_file[name]:
            for i, (span, _) in enumerate(found_here):
                ov = overlap(gold_span[g.id], span)
                if ov >= MIN_OVERLAP:
                    candidates.append((ov, g.id, i))
        used_gold: set[str] = set()
        used_pred: set[int] = set()
        # a stable sort: equal overlaps keep gold order, then prediction order
        for _, gid, i in sorted(candidates, key=lambda c: -c[0]):
            if gid not in used_gold and i not in used_pred:
                used_gold.add(gid)
                used_pred.add(i)
                match[gid] = found_here[i][1]
        unmatched += len(found_here) - len(used_pred)

    def speaker_right(g: GoldQuote) -> bool:
        q = match[g.id]
        said = _speaker_name(q)
        if (local[g.file].canonical(said) or names.canonical(said)) == g.speaker:
            return True
        mention = q.speaker.mention if q.speaker else None
        if g.speaker_span and mention is not None:
            return overlap(g.speaker_span, (mention.start, mention.end)) >= MIN_OVERLAP
        return False

    required = [g for g in gold.quotes if not g.optional]
    found = [g for g in required if g.id in match]
    right_ids = {g.id for g in found if speaker_right(g)}
    optional_ids = {g.id for g in gold.quotes if g.optional}
    predicted = sum(1 for gid in match if gid not in optional_ids) + unmatched
    by_kind = tuple(KindCount(kind, sum(1 for g in required if g.kind == kind),
                              sum(1 for g in found if g.kind == kind),
                              sum(1 for g in found if g.kind == kind and g.id in right_ids)) for kind in KINDS)

    def same_claim(a: str, b: str) -> bool | None:
        if a not in match or b not in match:
            return None
        claim = match[a].claim
        return claim is not None and claim == match[b].claim

    joined = [same_claim(a, b) for a, b in gold.must_link]
    apart = [same_claim(a, b) for a, b in gold.cannot_link]
    linking = Linking(len(joined), sum(1 for x in joined if x), len(apart), sum(1 for x in apart if x is False))
    texts_of = {g.id: g.text for g in gold.quotes}
    link_misses = tuple(
        LinkMiss(relation, a, b, a in match and b in match, texts_of.get(a, ""), texts_of.get(b, ""))
        for relation, pairs, results, wrong in (("must_link", gold.must_link, joined, (False, None)),
                                                ("cannot_link", gold.cannot_link, apart, (True, None)))
        for (a, b), result in zip(pairs, results) if result in wrong)

    return Evaluation(
        gold=gold.path, articles=len(texts), gold_required=len(required), predicted=predicted,
        unlocatable_predictions=unlocatable, found=len(found), speaker_right=len(right_ids),
        detection=PRF.of(len(found), predicted, len(required)),
        attribution=PRF.of(len(right_ids), predicted, len(required)),
        speaker_accuracy=round(len(right_ids) / len(found), 3) if found else 0.0,
        by_kind=by_kind, linking=linking, chains=_chain_scores(gold, chains, names),
        missed=tuple(Miss(g.id, g.file, g.kind, g.text) for g in required if g.id not in match),
        wrong_speaker=tuple(WrongSpeaker(g.id, g.file, g.text, g.speaker, _speaker_name(match[g.id]))
                            for g in found if g.id not in right_ids),
        link_misses=link_misses,
    )


def _gold_span(g: GoldQuote, text: str) -> Span:
    """The gold's offsets when they hold its text, else where the text first occurs (the gold
    is checked to hold every quote's text: ``gold.gold_articles``)."""
    if g.start is not None and g.end is not None and text[g.start : g.end] == g.text:
        return (g.start, g.end)
    i = text.find(g.text)
    return (i, i + len(g.text))


def _speaker_name(q: Quote) -> str | None:
    return q.speaker.name if q.speaker is not None else None


def _pred_span(q: Quote, text: str) -> Span | None:
    if 0 <= q.start < q.end <= len(text):
        return (q.start, q.end)
    i = text.find(q.text) if q.text else -1
    return (i, i + len(q.text)) if i >= 0 else None


def _chain_scores(gold: Gold, chains: Sequence[Chain], names: _Names) -> tuple[ChainScore, ...]:
    def canonical(name: str) -> str:
        # a name no entity has cannot be a gold node: marked so that it never equals one
        return names.canonical(name) or "?" + name

    asked = {c.query.lower(): c for c in gold.chains}
    scores = []
    for chain in chains:
        wanted = asked.get(chain.query.lower())
        if wanted is None:
            continue
        gold_edges = {(a, b) for path in wanted.paths for a, b in zip(path, path[1:])}
        pred_edges: set[tuple[str, str]] = set()
        for path in chain.paths:
            nodes = [canonical(n.name) for n in path.nodes]
            pred_edges |= {(a, b) for a, b in zip(nodes, nodes[1:]) if a != b}
        pred_edges |= {(canonical(e.source), canonical(e.target)) for e in chain.edges}
        scores.append(ChainScore(
            wanted.query, len(gold_edges), len(pred_edges), len(gold_edges & pred_edges),
            tuple(sorted(" -> ".join(e) for e in gold_edges - pred_edges)),
            tuple(sorted(" -> ".join(e) for e in pred_edges - gold_edges)),
        ))
    return tuple(scores)
