"""Claims as schema.org ``Claim`` objects in JSON-LD, the shape fact-check tooling reads.

Google's Fact Check Tools and ClaimReview authoring tools take a ``ClaimReview`` whose
``itemReviewed`` is a ``Claim``; they read its ``author`` (claim author: name, job title),
``datePublished`` (claim date), ``appearance`` (where it appeared: their URLs) and
``firstAppearance``. quotetrace writes one ``Claim`` per claim group, ready to be reviewed:

* ``text``: the words of the group's most confident quote;
* ``author``: the claim's origin, as ``quotetrace chain`` finds it (the source a speaker cites
  when relaying it, else the speaker), a ``Person`` (with ``jobTitle``) or an ``Organization``;
  left out when only unnamed sources said it;
* ``appearance``: each article as a ``NewsArticle`` with ``publisher``, ``datePublished``,
  ``url``, ``headline`` and ``author`` where known, holding the claim's quotes in that article
  as ``Quotation`` parts (``spokenByCharacter`` is who the article attributes them to);
* ``firstAppearance``: the article of the first appearance (earliest date);
* ``identifier``: the claim id, and on each part the quote id, to join back to quotetrace's
  records.

This output follows schema.org's vocabulary, not quotetrace's record schema: it has no
``schema_version``. Its shape is in the schema file under ``$defs/schema_org_claim``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from quotetrace.chains import quote_path
from quotetrace.claims import index_quotes
from quotetrace.models import Article, ChainNode, Claim, Quote, Speaker

CONTEXT = "https://schema.org"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_AGENT_TYPES = {"person": "Person", "organization": "Organization", "outlet": "Organization"}


def schema_org_claims(claims: Sequence[Claim], results: Sequence[tuple[Article, list[Quote]]]) -> list[dict[str, Any]]:
    """One JSON-LD ``Claim`` per claim group.

    Args:
        claims: Claim groups (``claims.claims_table``).
        results: The run's articles with their quotes, claim ids assigned.

    Returns:
        Standalone JSON-LD objects (each with its ``@context``), in the order of ``claims``.
    """
    by_id, article_of = index_quotes(results)
    return [_claim(claim, by_id, article_of) for claim in claims]


def _claim(claim: Claim, by_id: dict[str, Quote], article_of: dict[str, Article]) -> dict[str, Any]:
    quotes = [by_id[i] for i in claim.quotes if i in by_id]
    appearances: dict[str, dict[str, Any]] = {}
    for quote in quotes:
        article = article_of[quote.id]
        if article.path not in appearances:
            appearances[article.path] = _news_article(article)
        appearances[article.path]["hasPart"].append(_quotation(quote))
    first = claim.first_article if claim.first_article in appearances else next(iter(appearances))
    out: dict[str, Any] = {"@context": CONTEXT, "@type": "Claim", "identifier": claim.id, "text": claim.text}
    author = _origin(quotes, by_id, article_of)
    if author is not None:
        out["author"] = author
    if claim.first_published and _DATE.match(claim.first_published):
        out["datePublished"] = claim.first_published
    out["appearance"] = list(appearances.values())
    out["firstAppearance"] = appearances[first]
    return out


def _origin(quotes: list[Quote], by_id: dict[str, Quote], article_of: dict[str, Article]) -> dict[str, Any] | None:
    """Who the claim started with: each quote's origin (a source its speaker cites, else its
    speaker), a speaker's cited source carried to their other quotes as ``chain`` does, and
    the most frequent named one taken (the earliest quote's on a tie)."""
    firsts: list[ChainNode] = []
    cited: dict[str, ChainNode] = {}
    for quote in quotes:
        path = quote_path(quote, article_of[quote.id], by_id)
        if quote.speaker is None or path[0][1] == "published":
            continue
        firsts.append(path[0][0])
        if path[0][0].name != quote.speaker.name:
            cited.setdefault(quote.speaker.name, path[0][0])
    origins = [cited.get(node.name, node) for node in firsts]
    named = [node for node in origins if node.type in _AGENT_TYPES]
    if not named:
        return None
    counts = Counter(node.name for node in named)
    best = max(named, key=lambda node: counts[node.name])  # max keeps the first of equals
    return _agent(best.name, best.type, best.role)


def _news_article(article: Article) -> dict[str, Any]:
    meta = article.meta
    out: dict[str, Any] = {"@type": "NewsArticle", "identifier": article.path}
    if meta.url:
        out["url"] = meta.url
    if meta.title:
        out["headline"] = meta.title
    if meta.published and _DATE.match(meta.published):
        out["datePublished"] = meta.published
    if meta.outlet or meta.original_outlet:
        out["publisher"] = {"@type": "Organization", "name": meta.outlet or meta.original_outlet}
    if meta.outlet and meta.original_outlet and meta.original_outlet != meta.outlet:
        # schema.org's "organization on whose behalf the creator was working": the wire or
        # network whose copy the site carries
        out["sourceOrganization"] = {"@type": "Organization", "name": meta.original_outlet}
    if meta.authors:
        out["author"] = [{"@type": "Person", "name": name} for name in meta.authors]
    out["hasPart"] = []
    return out


def _quotation(quote: Quote) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "Quotation", "identifier": quote.id, "text": quote.text}
    agent = _speaker_agent(quote.speaker)
    if agent is not None:
        out["spokenByCharacter"] = agent
    return out


def _speaker_agent(speaker: Speaker | None) -> dict[str, Any] | None:
    if speaker is None or speaker.type not in _AGENT_TYPES:
        return None
    return _agent(speaker.name, speaker.type, speaker.role)


def _agent(name: str, kind: str, role: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": _AGENT_TYPES[kind], "name": name}
    role = " ".join(role.split()) if role else ""
    if role and kind == "person":
        out["jobTitle"] = role
    return out
