"""Provenance: how a claim travelled from its origin, through relays, to each outlet.

For each quote of a claim group, one path is read off the record itself:

    origin (the source the speaker cites: "citing his summit with Lee", "quoted Lee as saying")
    -> speaker
    -> relays (the speaker of the quote it is nested in: the spokesman who reports it)
    -> intermediaries the sentence names ("according to Maple House", "carried by the Daily Star")
    -> the outlet that published the article.

A speaker's origin seen in one quote of the group is carried to the group's other quotes of
that speaker that reach the page through a relay. Near-verbatim reuse of a quote in a later
article of another outlet adds an ``inferred`` edge between the outlets.

A query of common words can match thousands of claims: only the ``MAX_TRACED_CLAIMS`` carried
by the most outlets are traced (``claim_rank``), with a warning that says how many matched.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from quotetrace.claims import VERBATIM_RATIO, build_claims, content_words, index_quotes
from quotetrace.models import (
    Article,
    Chain,
    ChainEdge,
    ChainNode,
    ChainPath,
    Claim,
    Quote,
    Speaker,
    Via,
)
from quotetrace.names import name_tokens, same_name, same_person_words
from quotetrace.spokespeople import principal_of

# A quote matches a query when the query's words are (nearly) all in it: rapidfuzz
# partial_ratio of the lower-cased texts at or above this, or every query stem among the
# quote's stems. 90 lets "security guarantees" match "security guarantee" and not
# "security of guarantees".
QUERY_MATCH_RATIO = 90
# Shorter queries ("a") would match nearly every quote.
MIN_QUERY_CHARS = 3
# Claims a chain traces at most. A query of a quote's six opening words matched 3,307 claims
# of a million synthetic quotes (benchmarks/scale_bench.py): no one reads that many graphs, and
# tracing them all (every quote of every article that holds one) took minutes. Twenty is about
# what a table of claims shows on one screen.
MAX_TRACED_CLAIMS = 20

log = logging.getLogger(__name__)

_ORIGIN = ("cites",)
_AFTER_SPEAKER = ("quoted_by", "relayed_by", "according_to", "reported_by", "readout", "carried_by")


def matches_query(query: str, quote: Quote) -> bool:
    """Does a quote (its words or its speaker) match a free-text query?"""
    q = query.lower().strip()
    if len(q) < MIN_QUERY_CHARS:
        return False
    if text_matches_query(q, quote.text):
        return True
    stems = set(content_words(query))
    if stems and stems <= set(content_words(quote.text)):
        return True
    return name_matches_query(q, quote.speaker.name if quote.speaker else None)


def text_matches_query(q: str, text: str) -> bool:
    """Is some stretch of ``text`` (nearly) the lower-cased, stripped query ``q``?"""
    return bool(fuzz.partial_ratio(q, text.lower(), score_cutoff=QUERY_MATCH_RATIO))


def texts_matching_query(q: str, texts: Sequence[str]) -> list[bool]:
    """``text_matches_query`` for each of many texts, scored by rapidfuzz in one call (on every
    core: a hundred thousand texts near a query of common words at 10 M quotes)."""
    if not texts:
        return []
    scores = process.cdist([q], [t.lower() for t in texts], scorer=fuzz.partial_ratio,
                           score_cutoff=QUERY_MATCH_RATIO, workers=-1)
    # below the cutoff a score is 0, and any at or above it is at least the cutoff
    return (scores[0] > 0).tolist()


def name_matches_query(q: str, name: str | None) -> bool:
    """Is the lower-cased, stripped query ``q`` (nearly) part of a speaker's name?"""
    # The query must lie within the name: partial_ratio also aligns a shorter name inside a
    # longer query ("lisk" inside "odelisk"), which is not a match.
    name = name.lower() if name else ""
    return bool(name and len(q) >= 4 and len(q) <= len(name)
                and fuzz.partial_ratio(q, name, score_cutoff=QUERY_MATCH_RATIO))


def claim_rank(claim: Claim) -> tuple[int, int, str]:
    """Which claims a chain traces first: those of the most outlets (or articles, where the
    outlet is unknown, as ``claims.select_claims`` counts them), then of the most quotes, then
    by id."""
    return -len(claim.outlets or claim.articles), -len(claim.quotes), claim.id


def too_many_claims(query: str, matched: int, limit: int) -> None:
    """Warn that a query matched more claims than a chain traces."""
    log.warning("%r matches %d claims: the %d carried by the most outlets are traced; give more words to narrow it",
                query, matched, limit)


def _node(who: Speaker | Via) -> ChainNode:
    return ChainNode(who.name, who.type, who.role)


def _outlet_node(article: Article) -> ChainNode:
    """The page's site; where the page gives none, the outlet that wrote it publishes it."""
    return ChainNode(article.meta.outlet or article.meta.original_outlet or article.path, "outlet")


def _outlet_steps(article: Article) -> list[tuple[ChainNode, str]]:
    """How the story reached the page: "... -> original outlet -> site" when a site carries
    another outlet's copy (a wire story on a regional site), else the site alone."""
    site, wrote = article.meta.outlet, article.meta.original_outlet
    if site and wrote and not same_name(site, wrote):
        return [(ChainNode(wrote, "outlet"), "published"), (ChainNode(site, "outlet"), "republished")]
    return [(_outlet_node(article), "published")]


def principal(speaker: Speaker) -> ChainNode | None:
    """Whom a spokesperson or an office speaks for (``spokespeople.principal_of``), as a node."""
    found = principal_of(speaker)
    return ChainNode(*found) if found else None


def quote_path(quote: Quote, article: Article, by_id: dict[str, Quote]) -> list[tuple[ChainNode, str]]:
    """The nodes one quote passed through, each with the kind of the edge that reaches it."""
    steps: list[tuple[ChainNode, str]] = []
    for v in quote.via:
        if v.relation in _ORIGIN:
            steps.append((_node(v), "origin"))
    if not steps and quote.speaker is not None and (boss := principal(quote.speaker)) is not None:
        steps.append((boss, "origin"))
    if quote.speaker is not None:
        steps.append((_node(quote.speaker), "origin" if steps else "speaker"))
    vias = [v for v in quote.via if v.relation not in _ORIGIN]
    for v in sorted(vias, key=lambda v: _AFTER_SPEAKER.index(v.relation) if v.relation in _AFTER_SPEAKER else 99):
        if v.relation != "carried_by":
            steps.append((_node(v), v.relation))
    steps.extend(_told_outlet(quote))
    parent = by_id.get(quote.parent) if quote.parent else None
    while parent is not None:
        if parent.speaker is not None:
            steps.append((_node(parent.speaker), "relay"))
        for v in parent.via:
            if v.relation not in _ORIGIN and v.relation != "carried_by":
                steps.append((_node(v), v.relation))
        steps.extend(_told_outlet(parent))
        carried = [v for v in parent.via if v.relation == "carried_by"]
        steps.extend((ChainNode(v.name, "outlet", v.role), "carried_by") for v in carried)
        parent = by_id.get(parent.parent) if parent.parent else None
    steps.extend((ChainNode(v.name, "outlet", v.role), "carried_by") for v in quote.via if v.relation == "carried_by")
    steps.extend(_outlet_steps(article))
    return _once_in_a_row(steps)


def _once_in_a_row(steps: Iterable[tuple[ChainNode, str]]) -> list[tuple[ChainNode, str]]:
    """One node once in a row ("Maple House" said it, according to Maple House)."""
    out: list[tuple[ChainNode, str]] = []
    for node, kind in steps:
        if out and _same(out[-1][0], node):
            continue
        out.append((node, kind))
    return out


def _people_of(quotes: Sequence[Quote]) -> list[tuple[frozenset[str], ChainNode]]:
    """The people a claim group's quotes name (speakers and intermediaries typed ``person``),
    each with its name's words, first seen first."""
    people: dict[str, ChainNode] = {}
    for q in quotes:
        for who in (q.speaker, *q.via):
            if who is not None and who.type == "person" and who.name not in people:
                people[who.name] = ChainNode(who.name, "person", who.role)
    return [(frozenset(name_tokens(name)), node) for name, node in people.items()]


def _as_person(node: ChainNode, people: Sequence[tuple[frozenset[str], ChainNode]]) -> ChainNode:
    """The group's one person that a node names in fewer words or under another type: "Lisk"
    (which the tagger took for an organization) is the group's "Ana Lisk", and the principal of
    "a spokesman for Ana Lisk" is the person Ana Lisk, not a body. Two people it could be, or
    none: the node as it is. Outlets stay what they are."""
    if node.type == "outlet":
        return node
    words = frozenset(name_tokens(node.name))
    fits = [p for w, p in people if words <= w and same_person_words(words, w)]
    if not fits:
        return node
    longest = max(fits, key=lambda p: len(p.name))
    longest_words = frozenset(name_tokens(longest.name))
    # several spellings of one person ("Lisk", "Ana Lisk") are one; two people are none
    if any(not same_person_words(frozenset(name_tokens(p.name)), longest_words) for p in fits):
        return node
    return longest if node.role is None or longest.role is not None else replace(longest, role=node.role)


def _told_outlet(quote: Quote) -> list[tuple[ChainNode, str]]:
    """"Varga told the Gazette", "telling the paper": an outlet the speaker told passes it on."""
    a = quote.addressee
    return [(ChainNode(a.name, "outlet", a.role), "told")] if a is not None and a.type == "outlet" else []


def _same(a: ChainNode, b: ChainNode) -> bool:
    return same_name(a.name, b.name)


def trace(query: str, results: Sequence[tuple[Article, list[Quote]]], limit: int = MAX_TRACED_CLAIMS) -> Chain:
    """Claim groups whose quotes match ``query``, and every path each took to each outlet.

    Args:
        query: Words of the claim, or its speaker (``matches_query``).
        results: The articles of a run with their quotes, claim ids already assigned
            (``claims.assign_claims``).
        limit: Claims traced at most: those first by ``claim_rank`` (a warning says when more
            matched).
    """
    wanted = {q.claim for _, quotes in results for q in quotes if q.claim and matches_query(query, q)}
    matched = [c for c in build_claims(results) if c.id in wanted]
    if len(matched) > limit:
        too_many_claims(query, len(matched), limit)
    return trace_claims(query, results, {c.id for c in sorted(matched, key=claim_rank)[:limit]})


def trace_claims(query: str, results: Sequence[tuple[Article, list[Quote]]], claim_ids: Collection[str]) -> Chain:
    """The chain of ``query`` through the claims ``claim_ids``: ``trace`` once it has chosen them.

    ``results`` need hold only the articles of these claims' quotes (each article whole).
    """
    by_id, article_of = index_quotes(results)
    claims = [c for c in build_claims(results) if c.id in claim_ids]
    group_quotes = [by_id[i] for c in claims for i in c.quotes]

    people = _people_of(group_quotes)

    def path_of(q: Quote) -> list[tuple[ChainNode, str]]:
        # one node for one person through the group, however each article wrote the name
        return _once_in_a_row((_as_person(node, people), kind) for node, kind in quote_path(q, article_of[q.id], by_id))

    # a speaker's cited origin, seen anywhere in the group, carries to its relayed quotes
    origin_of: dict[tuple[str | None, str], ChainNode] = {}
    for q in group_quotes:
        path = path_of(q)
        for (a, ka), (b, _) in zip(path, path[1:]):
            if ka == "origin" and q.claim is not None:
                origin_of.setdefault((q.claim, b.name), a)

    paths: list[ChainPath] = []
    edges: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    seen: set[tuple[str, ...]] = set()
    for q in group_quotes:
        steps = path_of(q)
        first = steps[0][0]
        origin = origin_of.get((q.claim, first.name))
        relayed = len(steps) > 2
        if origin is not None and relayed and not _same(origin, first):
            steps = [(origin, "origin"), *steps]
        nodes = tuple(n for n, _ in steps)
        key = tuple(n.name for n in nodes)
        for (a, _), (b, kind) in zip(steps, steps[1:]):
            edges[(a.name, b.name, kind if kind != "speaker" else "origin")].add(q.id)
        if key in seen:
            continue
        seen.add(key)
        paths.append(ChainPath(nodes, q.id, article_of[q.id].path))
    chain_edges = [ChainEdge(a, b, kind, tuple(sorted(ids))) for (a, b, kind), ids in edges.items()]
    chain_edges.extend(_inferred_edges(group_quotes, article_of))
    paths.sort(key=lambda p: (-len(p.nodes), [n.name for n in p.nodes]))
    return Chain(query, tuple(claims), tuple(group_quotes), tuple(paths), tuple(chain_edges))


def _inferred_edges(quotes: Sequence[Quote], article_of: dict[str, Article]) -> list[ChainEdge]:
    """Near-verbatim reuse in a later article of another outlet: earlier outlet -> later.

    Every pair of quotes is scored (rapidfuzz's cdist, a block of rows at a time, on every
    core) and checked in NumPy (two outlets, two dates, not two sites' copies of one wire's);
    only the pairs that pass are then looked at in Python, in the order of the pairs: a chain of
    thousands of quotes (a common speaker's) was millions of pairs looked at one by one."""
    out: dict[tuple[str, str], ChainEdge] = {}
    normalised = [" ".join(content_words(q.text)) for q in quotes]  # claims.verbatim, normalised once
    facts = [_Reuse.of(article_of[q.id]) for q in quotes]
    outlet = _codes([f.outlet for f in facts])
    date = _codes([f.published for f in facts])
    wire = _codes([f.wire for f in facts])
    own = np.array([f.own_wire for f in facts], dtype=bool)
    for start in range(0, len(quotes), _SCORED_ROWS):
        # (each row against the quotes from its block on: only the pairs after a row are used;
        # column c is quote start + c)
        scores = process.cdist(normalised[start : start + _SCORED_ROWS], normalised[start:], scorer=fuzz.token_sort_ratio,
                               score_cutoff=VERBATIM_RATIO, dtype=np.float64, workers=-1)
        for row in range(len(scores)):
            i = start + row
            if outlet[i] < 0 or date[i] < 0:
                continue
            later = slice(i + 1, len(quotes))
            # below the cutoff a score is 0; two sites carrying one wire's copy each came from the
            # wire, not from the other
            kept = ((scores[row, i + 1 - start:] > 0) & (outlet[later] >= 0) & (outlet[later] != outlet[i])
                    & (date[later] >= 0) & (date[later] != date[i])
                    & ~((wire[i] >= 0) & (wire[later] == wire[i]) & ~(own[later] | own[i])))
            for j in np.flatnonzero(kept) + i + 1:
                ratio = float(scores[row, j - start])
                early, late = (i, j) if date[i] < date[j] else (j, i)
                key = (facts[early].outlet or "", facts[late].outlet or "")
                if key not in out or out[key].confidence < ratio / 100:
                    out[key] = ChainEdge(key[0], key[1], "inferred", (quotes[early].id, quotes[late].id), ratio / 100)
    return list(out.values())


# Rows of the pair scores ``_inferred_edges`` holds at once: 8 bytes a pair, so 256 rows of
# 10,000 quotes are 20 MB.
_SCORED_ROWS = 256


@dataclass(frozen=True)
class _Reuse:
    """What an inferred edge asks of a quote's article: its outlet's node (None where the page
    names none, so that the node is its path), its date, the wire whose copy it carries, and
    whether that wire is the outlet itself."""

    outlet: str | None
    published: str | None
    wire: str | None
    own_wire: bool

    @staticmethod
    def of(article: Article) -> _Reuse:
        name = _outlet_node(article).name
        outlet = name if name != article.path else None
        wire = article.meta.original_outlet or None
        return _Reuse(outlet, article.meta.published or None, wire, bool(wire and outlet and same_name(wire, outlet)))


def _codes(values: list[str | None]) -> Any:
    """Each value as an integer, in the values' sorted order (so that codes compare as the
    values do), -1 for None."""
    order = {v: k for k, v in enumerate(sorted({v for v in values if v is not None}))}
    return np.array([order[v] if v is not None else -1 for v in values], dtype=np.int64)
