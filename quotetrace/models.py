"""Records quotetrace reads and produces: frozen dataclasses with ``to_dict()``, no logic.

Every span is a pair of character offsets into the article text as decoded, so that
``article.text[start:end] == text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("direct", "indirect", "mixed")
SPEAKER_TYPES = ("person", "organization", "outlet", "unnamed")


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two spans (the union runs from the first start to the last end)."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


@dataclass(frozen=True)
class TextSpan:
    """A stretch of the article: ``article_text[start:end] == text``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> TextSpan:
        return cls(record["start"], record["end"], record["text"])


@dataclass(frozen=True)
class Cue:
    """The words that mark speech: a verb (``told``), ``according to``, or a headline colon."""

    text: str
    lemma: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "lemma": self.lemma, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Cue:
        return cls(record["text"], record["lemma"], record["start"], record["end"])


@dataclass(frozen=True)
class Speaker:
    """Who said it (or a source, addressee or intermediary), resolved to a canonical name.

    ``mention`` is the words in the article that name them where the quote is attributed
    (``he``, ``the Russian leader``); ``name`` is what those words resolve to.
    """

    name: str
    type: str  # one of SPEAKER_TYPES
    role: str | None = None
    mention: TextSpan | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "role": self.role,
            "mention": self.mention.to_dict() if self.mention else None,
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Speaker:
        mention = record.get("mention")
        return cls(record["name"], record["type"], record.get("role"), TextSpan.from_dict(mention) if mention else None)


@dataclass(frozen=True)
class Via:
    """An intermediary the sentence names between the speaker and the page.

    ``relation`` says how: ``according_to``, ``quoted_by``, ``carried_by``, ``reported_by``,
    ``readout``, ``cites`` (the origin the speaker cites), ``relayed_by`` (the outer speaker
    of a nested quote).
    """

    name: str
    type: str
    relation: str
    role: str | None = None
    mention: TextSpan | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "relation": self.relation,
            "role": self.role,
            "mention": self.mention.to_dict() if self.mention else None,
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Via:
        mention = record.get("mention")
        return cls(record["name"], record["type"], record["relation"], record.get("role"),
                   TextSpan.from_dict(mention) if mention else None)


@dataclass(frozen=True)
class Quote:
    """One quote: the exact words, who said them, and how we know."""

    id: str
    article: str
    start: int
    end: int
    text: str
    kind: str  # one of KINDS
    cue: Cue | None
    speaker: Speaker | None
    addressee: Speaker | None = None
    parent: str | None = None
    via: tuple[Via, ...] = ()
    confidence: float = 0.0
    method: str = ""
    claim: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "addressee": self.addressee.to_dict() if self.addressee else None,
            "parent": self.parent,
            "via": [v.to_dict() for v in self.via],
            "confidence": round(self.confidence, 3),
            "method": self.method,
            "claim": self.claim,
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Quote:
        """The inverse of ``to_dict`` (the index stores quotes as their records)."""
        cue, speaker, addressee = record.get("cue"), record.get("speaker"), record.get("addressee")
        return cls(
            id=record["id"], article=record["article"], start=record["start"], end=record["end"],
            text=record["text"], kind=record["kind"],
            cue=Cue.from_dict(cue) if cue else None,
            speaker=Speaker.from_dict(speaker) if speaker else None,
            addressee=Speaker.from_dict(addressee) if addressee else None,
            parent=record.get("parent"),
            via=tuple(Via.from_dict(v) for v in record.get("via") or ()),
            confidence=record.get("confidence", 0.0), method=record.get("method", ""), claim=record.get("claim"),
        )


@dataclass(frozen=True)
class Claim:
    """Quotes of one or more articles that state the same claim."""

    id: str
    text: str  # the most confident quote's words, to show the claim
    quotes: tuple[str, ...]
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    speakers: tuple[str, ...]
    first_appearance: str | None  # id of the quote in the earliest dated article
    first_published: str | None
    first_article: str | None = None  # that article, and its outlet
    first_outlet: str | None = None
    first_original_outlet: str | None = None  # the outlet that wrote that article, by its credits

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "quotes": list(self.quotes),
            "articles": list(self.articles),
            "outlets": list(self.outlets),
            "speakers": list(self.speakers),
            "size": len(self.quotes),
            "first_appearance": {"quote": self.first_appearance, "published": self.first_published,
                                 "article": self.first_article, "outlet": self.first_outlet,
                                 "original_outlet": self.first_original_outlet},
        }


@dataclass(frozen=True)
class SpeakerProfile:
    """One canonical speaker of a run: the words that named them, roles, counts, outlets."""

    name: str
    type: str  # one of SPEAKER_TYPES
    aliases: tuple[str, ...]  # other words that named them, pronouns left out, first seen first
    roles: tuple[str, ...]  # most frequent first
    quote_count: int
    article_count: int
    outlets: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "roles": list(self.roles),
            "quote_count": self.quote_count,
            "article_count": self.article_count,
            "outlets": list(self.outlets),
        }


@dataclass(frozen=True)
class ChainNode:
    """A person, organization or outlet a claim passed through."""

    name: str
    type: str
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "role": self.role}


@dataclass(frozen=True)
class ChainEdge:
    """``source`` passed the claim on to ``target``.

    ``kind``: ``origin`` (a source the speaker cites or relays), ``relay`` (the outer speaker
    of a nested quote), ``according_to`` / ``carried_by`` / ``quoted_by`` (an intermediary the
    sentence names), ``published`` (the outlet that printed it), ``inferred`` (near-verbatim
    reuse in a later article of another outlet).
    """

    source: str
    target: str
    kind: str
    quotes: tuple[str, ...]
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "kind": self.kind, "quotes": list(self.quotes),
                "confidence": round(self.confidence, 3)}


@dataclass(frozen=True)
class ChainPath:
    """One route from the origin to a publishing outlet, with the quote it was read from."""

    nodes: tuple[ChainNode, ...]
    quote: str
    article: str

    def to_dict(self) -> list[dict[str, Any]]:
        return [n.to_dict() for n in self.nodes]


@dataclass(frozen=True)
class Chain:
    """How the claims matching a query travelled."""

    query: str
    claims: tuple[Claim, ...]
    quotes: tuple[Quote, ...]
    paths: tuple[ChainPath, ...]
    edges: tuple[ChainEdge, ...]

    def to_dict(self) -> dict[str, Any]:
        by_id = {q.id: q for q in self.quotes}
        return {
            "query": self.query,
            "claims": [
                {"id": c.id, "text": c.text, "quotes": [by_id[i].to_dict() for i in c.quotes if i in by_id],
                 "first_appearance": c.to_dict()["first_appearance"]}
                for c in self.claims
            ],
            "paths": [p.to_dict() for p in self.paths],
            "path_quotes": [{"quote": p.quote, "article": p.article} for p in self.paths],
            "edges": [e.to_dict() for e in self.edges],
        }


@dataclass(frozen=True)
class ArticleMeta:
    """What is known about an article: given by the input (JSONL, HTML) or read from its text."""

    outlet: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO date, YYYY-MM-DD, where known
    title: str | None = None
    url: str | None = None
    dateline: str | None = None
    # the outlet that wrote the story, by the page's credits (a wire's dateline, a copyright line):
    # may differ from ``outlet``, the site that carries it
    original_outlet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "original_outlet": self.original_outlet,
            "authors": list(self.authors),
            "published": self.published,
            "title": self.title,
            "url": self.url,
            "dateline": self.dateline,
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> ArticleMeta:
        return cls(outlet=record.get("outlet"), authors=tuple(record.get("authors") or ()),
                   published=record.get("published"), title=record.get("title"), url=record.get("url"),
                   dateline=record.get("dateline"), original_outlet=record.get("original_outlet"))


@dataclass(frozen=True)
class IngestOutcome:
    """What ``quotetrace ingest`` did with one article."""

    article: str
    status: str  # "added" (parsed and stored), "skipped" (already in the index) or "failed"
    quotes: int  # how many quotes the index holds for it
    error: str | None = None

    @classmethod
    def of(cls, article: str, source: str, quotes: int, error: Exception | None = None) -> IngestOutcome:
        """From where ``batch.extract_indexed`` took an article's quotes (``parsed``, ``index``,
        ``failed``)."""
        status = {"parsed": "added", "index": "skipped"}.get(source, "failed")
        return cls(article, status, quotes, f"{type(error).__name__}: {error}" if error is not None else None)

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "status": self.status, "quotes": self.quotes, "error": self.error}


@dataclass(frozen=True)
class Article:
    """An article as read: ``path`` as the user gave it (or ``-`` / ``file.jsonl:LINE``)."""

    path: str
    text: str
    meta: ArticleMeta = field(default_factory=ArticleMeta)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "meta": self.meta.to_dict(), "chars": len(self.text)}
