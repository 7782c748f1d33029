"""One article: its parse -> speech frames and quoted spans -> direct, indirect and mixed quotes.

This is the per-article core, pure and imported by no runner: the same Doc, metadata and
lexicon give the same quotes in any process (a worker, a Dask task, the spaCy component).
``extract_doc`` runs the phases in order, each a named function over one ``_Reading``:

1. ``_direct_quotes``: every outermost quoted span, with the cue that attributes it;
2. ``_reported_clauses``: indirect and mixed quotes, and reports nested inside a direct quote;
3. ``_uncued_directs``: quotes that continue an attributed one, or stand alone;
4. ``_headline_quotes``: a headline's "Claim: Speaker";
5. ``_transcript_turns``: transcript lines, "NAME: words";
6. ``_finish``: speakers resolved, records built.

``extract_texts`` runs a pipeline over many articles (in pieces where they are long) and calls
``extract_doc`` on each; the runner (``runner.py``) decides where and when.
"""

from __future__ import annotations

import hashlib
import itertools
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from quotetrace.furniture import furniture_spans
from quotetrace.invisible import exact_quotes, for_parsing, has_invisible
from quotetrace.lexicon import Cues, Lexicon
from quotetrace.marks import Paragraph, QuotedSpan, find_quoted_spans, paragraphs
from quotetrace.metadata import dateline_length
from quotetrace.models import Article, ArticleMeta, Cue, Quote, Speaker, TextSpan, Via, overlap
from quotetrace.names import name_tokens, same_name
from quotetrace.outlets import Outlets
from quotetrace.quotes import (
    Frame,
    attach_credits,
    find_frames,
    headline_frames,
    narrator_tail,
    signature_frame,
    signature_inside,
    transcript_frames,
)
from quotetrace.speakers import Resolver

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

PARAGRAPH_COMPONENT = "quotetrace_paragraphs"

# A direct quote takes the whole reported clause when it covers this share of it
# ('wrote that "if the story is true, he must resign."'); below it the clause is mixed.
DIRECT_SHARE_OF_CLAUSE = 0.8
# Quoted words without any attribution are kept only from this length on: shorter ones are
# scare quotes, titles and names ("the so-called 'nine bridges' plan").
MIN_UNATTRIBUTED_WORDS = 8
# A dateline ("KARSVIK, May 3 (Nordwire) - ") is no longer than this.
MAX_DATELINE_CHARS = 80
# Quotes this short are attributed only by a cue right before them ('calling him "a great
# guy"') or when they sit inside a reported clause; elsewhere they are scare quotes.
SHORT_QUOTE_WORDS = 3
# How many words may stand between a short quote and its cue: 'calling him "a great guy"';
# more after a quotation closed by a comma, which announces its attribution ('“We will
# respond,” Ode was quoted as saying').
NEAR_CUE_WORDS = 3
NEAR_CUE_WORDS_AFTER_COMMA = 5
# How far (characters) a cue may stand from the quote it attributes, within its paragraph.
MAX_CUE_GAP = 200
FIRST_PERSON = {"i", "we"}
# Headline "Claim: Speaker" lines are looked for among the first paragraphs only.
HEADLINE_PARAGRAPHS = 12
# Texts longer than this are parsed in pieces: spaCy's parser and NER need about 1 GB of
# memory per 100,000 characters, and refuse texts over ``nlp.max_length`` (1,000,000).
MAX_PIECE_CHARS = 100_000


@dataclass(frozen=True)
class ArticleResult:
    """What extraction found in one article alone.

    Attributes:
        article: The article.
        quotes: Its quotes (empty when ``error`` is set).
        error: The exception extraction raised (a bug of ours: the run goes on), else None.
        warnings: Things the reader should know (an unpaired quotation mark), without the path.
    """

    article: Article
    quotes: list[Quote]
    error: Exception | None = None
    warnings: tuple[str, ...] = ()


@dataclass(eq=False)
class _Draft:
    """A quote under construction (mutable until it becomes a frozen Quote)."""

    start: int
    end: int
    kind: str
    frame: Frame | None
    method: str
    confidence: float
    span: QuotedSpan | None = None
    parent: _Draft | None = None
    absorbed: bool = False
    continues_from: _Draft | None = None
    headline_speaker: tuple[int, int] | None = None
    quoted_parts: list[QuotedSpan] = field(default_factory=list)
    id: str = ""
    quote: Quote | None = None  # the record, once built


@dataclass
class _Reading:
    """One article as the phases see it: the parse, its spans and frames, the drafts so far."""

    doc: Doc
    text: str
    lexicon: Lexicon
    meta: ArticleMeta
    furniture: list[tuple[int, int]]
    outer: list[QuotedSpan]
    frames: list[Frame]
    paras: list[Paragraph]
    para_starts: list[int]
    drafts: list[_Draft] = field(default_factory=list)
    direct_of: dict[tuple[int, int], _Draft] = field(default_factory=dict)  # outer span (start, end) -> draft
    frame_directs: dict[int, list[_Draft]] = field(default_factory=dict)  # frame position -> its direct quotes
    credits: list[Frame] = field(default_factory=list)  # outlets' credits taken out of ``frames``
    datelines: dict[int, int] = field(default_factory=dict)  # paragraph -> where its dateline ends

    def para_of(self, pos: int) -> int:
        return max(0, bisect_right(self.para_starts, pos) - 1)

    def dateline_end(self, para: int) -> int:
        """Where paragraph ``para``'s dateline ("KARSVIK (Nordwire) — ") ends: its start when
        it has none. Read once a paragraph, when a frame first needs it."""
        if para not in self.datelines:
            p = self.paras[para]
            self.datelines[para] = p.start + dateline_length(self.text[p.start:p.end], self.lexicon.furniture)
        return self.datelines[para]

    def in_furniture(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.furniture)

    def outer_at(self, pos: int) -> QuotedSpan | None:
        return next((q for q in self.outer if q.start <= pos < q.end), None)

    def direct(self, span: QuotedSpan) -> _Draft:
        return self.direct_of[(span.start, span.end)]


def paragraph_boundaries(doc: Doc) -> Doc:
    """spaCy component: a line break always starts a new sentence (news puts one paragraph
    on a line, and headlines carry no final period)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if not tok.is_space and ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)):
            tok.is_sent_start = True
    return doc


def parse(nlp: Language, items: Iterable[tuple[str, Any]], batch_size: int) -> Iterator[tuple[Doc, Any]]:
    """``nlp.pipe(items, as_tuples=True)`` with paragraph boundaries set before the parser.

    The caller's pipeline is used as it is, never changed: when it has no
    ``quotetrace_paragraphs`` component, ``paragraph_boundaries`` runs between its components
    here, just where the component would, so that the result is the same.
    """
    if PARAGRAPH_COMPONENT in nlp.pipe_names or "parser" not in nlp.pipe_names:
        yield from nlp.pipe(items, as_tuples=True, batch_size=batch_size)
        return
    contexts: list[Any] = []

    def texts() -> Iterator[str]:
        for text, context in items:
            contexts.append(context)
            yield text

    docs: Iterable[Doc] = (nlp.make_doc(text) for text in texts())
    for name, proc in nlp.pipeline:
        if name == "parser":
            docs = map(paragraph_boundaries, docs)
        docs = proc.pipe(docs, batch_size=batch_size) if hasattr(proc, "pipe") else map(proc, docs)
    for doc in docs:
        yield doc, contexts.pop(0)


def extract_texts(articles: Iterable[Article], nlp: Language, lexicon: Lexicon,
                  batch_size: int = 32) -> Iterator[ArticleResult]:
    """Each article with its quotes, found in that article alone, in input order.

    An article whose extraction raises yields a result with the ``error`` (a bug of ours: the
    run goes on). When spaCy itself raises on a batch (outside the per-article guard), that
    batch is read again one article at a time, so that only the article that fails is lost.
    Long articles are parsed in pieces of ``MAX_PIECE_CHARS``.
    """
    batch: list[Article] = []
    for art in itertools.chain(articles, [None]):
        if art is not None:
            batch.append(art)
            if len(batch) < batch_size:
                continue
        if not batch:
            break
        try:
            yield from list(_extract_batch(batch, nlp, lexicon, batch_size))
        except Exception:  # noqa: BLE001 - which article failed is found by reading them alone
            for alone in batch:
                try:
                    yield from list(_extract_batch([alone], nlp, lexicon, batch_size))
                except Exception as error:  # noqa: BLE001 - one article must not end the run
                    yield ArticleResult(alone, [], error)
        batch = []


def _extract_batch(articles: Iterable[Article], nlp: Language, lexicon: Lexicon,
                   batch_size: int) -> Iterator[ArticleResult]:
    def texts() -> Iterator[tuple[str, tuple[Article, int, bool, bool, str]]]:
        for art in articles:
            spans = pieces(art.text)
            for k, (start, end) in enumerate(spans):
                piece = art.text[start:end]
                # bidi controls and zero-width spaces would hide names from spaCy (invisible.py)
                hidden = has_invisible(piece)
                parsed = for_parsing(piece) if hidden else piece
                yield parsed, (art, start, k == len(spans) - 1, hidden, parsed)

    found: list[Quote] = []
    failed: Exception | None = None
    warnings: list[str] = []
    for doc, (art, base, last, hidden, parsed) in parse(nlp, texts(), batch_size):
        if failed is None:
            try:
                piece_warnings: list[str] = []
                # the string parsed is the doc's text (spaCy keeps every character)
                quotes = extract_doc(doc, lexicon, article=art.path, meta=art.meta, warnings=piece_warnings, text=parsed)
                if hidden:
                    quotes = exact_quotes(quotes, art.text[base:base + len(parsed)])
                # a long article is read in pieces: offsets and ids are made whole-article again
                # (and ids of the text as read, not as parsed)
                found += shift_quotes(quotes, base, article_digest(art.text, art.meta)) \
                    if base or not last or hidden else quotes
                warnings += [_shift_offsets(w, base) for w in piece_warnings]
            except Exception as error:  # noqa: BLE001 - one article must not end the run
                failed = error
        if last:
            yield ArticleResult(art, [] if failed else found, failed, tuple(warnings))
            found, failed, warnings = [], None, []


def _shift_offsets(message: str, base: int) -> str:
    if not base:
        return message
    head, _, number = message.rpartition(" ")
    return f"{head} {int(number) + base}" if number.isdigit() else message


def text_digest(text: str) -> str:
    """The article part of every quote id: stable for the same text, whatever its path."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def article_digest(text: str, meta: ArticleMeta | None = None) -> str:
    """The article part of every quote id: its text and where it was published.

    Two copies of one story on two sites (a wire story and its reprint, given with their own
    ``url``/``outlet``) are two appearances, so the page's URL and site join the text; an article
    that names neither keeps the text's digest. Stable for the same article: the path is left
    out, since the index answers an unchanged text under a new path.
    """
    if meta is None or not (meta.url or meta.outlet):
        return text_digest(text)
    return text_digest(f"{text}\0{meta.url or ''}\0{meta.outlet or ''}")


def pieces(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """Split a long text into (start, end) pieces of at most ``limit`` characters (default
    ``MAX_PIECE_CHARS``), at a paragraph break where there is one, else after a sentence's
    end, else at a space."""
    limit = limit or MAX_PIECE_CHARS
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = window.rfind("\n")
        if cut < limit // 2:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
            cut = cut + 1 if cut >= limit // 2 else window.rfind(" ")
        if cut <= 0:
            cut = limit
        out.append((start, start + cut))
        start += cut
    out.append((start, len(text)))
    return out


def shift_quotes(quotes: list[Quote], base: int, digest: str) -> list[Quote]:
    """Quotes found in a piece of an article, with offsets and ids for the whole article."""
    def span(t: TextSpan | None) -> TextSpan | None:
        return replace(t, start=t.start + base, end=t.end + base) if t is not None else None

    def who(sp: Speaker | None) -> Speaker | None:
        return replace(sp, mention=span(sp.mention)) if sp is not None else None

    ids = {q.id: f"{digest}-{q.start + base}-{q.end + base}" for q in quotes}
    return [
        replace(q, id=ids[q.id], start=q.start + base, end=q.end + base,
                cue=replace(q.cue, start=q.cue.start + base, end=q.cue.end + base) if q.cue else None,
                speaker=who(q.speaker), addressee=who(q.addressee), parent=ids.get(q.parent) if q.parent else None,
                via=tuple(replace(v, mention=span(v.mention)) for v in q.via))
        for q in quotes
    ]


def extract_doc(doc: Doc, lexicon: Lexicon, *, article: str = "-", meta: ArticleMeta | None = None,
                warnings: list[str] | None = None, text: str | None = None) -> list[Quote]:
    """Quotes of one parsed article. Pure: the same Doc, metadata and lexicon give the same quotes.

    Args:
        doc: The article parsed (paragraph boundaries set, see ``parse``).
        lexicon: The word lists (``lexicon.load_lexicon``).
        article: The name recorded in each quote's ``article``.
        meta: The article's metadata (its byline's names are never speakers).
        warnings: Where to add what the reader should know (unpaired marks); logged if None.
        text: ``doc.text``, when the caller has it: the string that was parsed (spaCy's
            ``Doc.text`` joins every token again on each call).
    """
    reading = _read(doc, lexicon, meta or ArticleMeta(), warnings, doc.text if text is None else text)
    _direct_quotes(reading)
    _reported_clauses(reading)
    _uncued_directs(reading)
    _headline_quotes(reading)
    _transcript_turns(reading)
    kept = [d for d in reading.drafts if not d.absorbed]
    for d in kept:
        if d.parent is not None and d.parent.absorbed:
            d.parent = None
    _nest(kept)
    return _finish(reading, kept, article)


def _read(doc: Doc, lexicon: Lexicon, meta: ArticleMeta, warnings: list[str] | None, text: str) -> _Reading:
    furniture = furniture_spans(text, lexicon.furniture)
    in_furniture = lambda pos: any(s <= pos < e for s, e in furniture)
    spans = [s for s in find_quoted_spans(text, warnings) if not in_furniture(s.start)]
    labels = lexicon.speakers.headline_labels
    frames = [f for f in find_frames(doc, lexicon.cues, text) if not in_furniture(doc[f.cue_start].idx)
              and not (f.lemma == ":" and f.subject is not None and _page_label(doc[f.subject[0]:f.subject[1]], labels))]
    frames, credits = attach_credits(doc, frames, lexicon.cues.credits, lambda span: _names_outlet(doc, span, lexicon))
    paras = paragraphs(text)
    reading = _Reading(doc, text, lexicon, meta, furniture, [s for s in spans if s.depth == 0], frames, paras,
                       [p.start for p in paras], credits=credits)
    reading.frames = [_past_dateline(reading, f) for f in frames]
    return reading


def _past_dateline(r: _Reading, frame: Frame) -> Frame:
    """"KARSVIK, May 3 (Nordwire) - Ana Lisk said ...": a speaker never starts inside the
    paragraph's dateline (the parser may run the place into the name)."""
    if frame.subject is None:
        return frame
    doc = r.doc
    start = doc[frame.subject[0]].idx
    para = r.para_of(start)
    if not r.paras or start - r.paras[para].start > MAX_DATELINE_CHARS or start >= r.paras[para].end:
        return frame
    cut = r.dateline_end(para)
    if cut <= start:
        return frame
    first = next((t.i for t in doc[frame.subject[0]:frame.subject[1]] if t.idx >= cut), None)
    if first is not None:
        return replace(frame, subject=(first, frame.subject[1]))
    # the place taken for the subject, and the name after the dateline for its apposition
    root = doc[frame.subject[0]:frame.subject[1]].root
    named = next((c for c in root.children if c.dep_ == "appos" and c.idx >= cut and c.i < frame.cue_start), None)
    return replace(frame, subject=(named.left_edge.i, named.right_edge.i + 1)) if named is not None else frame


def _page_label(words: Span, labels: frozenset[str]) -> bool:
    """"Breaking News: “...”", "Exclusive: “...”": a page's label (``headline_labels``) before
    a colon is no speaker."""
    return words.text.lower() in labels or words[0].lower_ in labels


def _names_outlet(doc: Doc, span: tuple[int, int], lexicon: Lexicon) -> bool:
    """The words name an outlet: a known one, or by its words ("Radio Norte", "state media")."""
    words = lexicon.speakers
    phrase = doc[span[0]:span[1]]
    bare = phrase.text[4:] if phrase.text[:4] in ("the ", "The ") else phrase.text
    if lexicon.outlets.for_name(phrase.text) or lexicon.outlets.for_name(bare) \
            or lexicon.outlets.for_name_with_article(phrase.text):
        return True  # "the AP", "the Meridian", "the Harbour Times"
    toks = [t.lower_ for t in phrase if not t.is_punct]
    return any(t in words.outlet_nouns or t in words.media_nouns for t in toks[-2:]) or \
        any(t in words.outlet_name_words for t in toks if phrase.root.pos_ == "PROPN")


def _direct_quotes(r: _Reading) -> None:
    """Phase 1: a draft per outermost quoted span, with the cue that attributes it."""
    # the frames whose cue stands outside every quote, with the cue's offset: the same for every quote
    at = [(r.doc[f.cue_start].idx, f) for f in r.frames]
    cues = [(pos, f) for pos, f in at if not any(o.start <= pos < o.end for o in r.outer)]
    for q in r.outer:
        if _is_title(r, q):
            d = _Draft(q.start, q.end, "direct", None, "title", 0.0, span=q, absorbed=True)
            r.drafts.append(d)
            r.direct_of[(q.start, q.end)] = d
            continue
        frame = _attributing_frame(r.doc, r.text, q, cues, r.outer, r.para_of)
        d = _Draft(q.start, q.end, "direct", frame, "direct", frame.confidence if frame else 0.0, span=q)
        if frame is not None:
            d.method = "direct_" + frame.method if frame.method not in ("ccomp", "direct_only") else "direct"
            d.confidence = min(0.95, frame.confidence + 0.05)
            r.frame_directs.setdefault(_position(r.frames, frame), []).append(d)
        r.drafts.append(d)
        r.direct_of[(q.start, q.end)] = d


# A quoted title is short: longer quoted words after "his book" are what the book says.
MAX_TITLE_WORDS = 15
# Prepositions after which a title-cased quotation names a show or a work: 'said on "Morning
# Desk"', 'wrote in "The Long Road"'.
_TITLE_PREPOSITIONS = ("on", "in")
# Short words a title leaves in lower case ("The Art of the Deal").
_TITLE_SMALL_WORDS = 3


def _title_cased(words: str) -> bool:
    """Every word longer than a small one starts with a capital (or is no word): "Morning on the Coast"."""
    found = [w for w in words.replace("—", " ").split() if any(c.isalpha() for c in w)]
    if not found or len(found) > MAX_TITLE_WORDS or not found[0].lstrip("'‘\"“(¿¡").lstrip()[:1].isupper():
        return False
    return all(not w[:1].isalpha() or w[:1].isupper() for w in found if len(w.strip(".,:;!?")) > _TITLE_SMALL_WORDS)


def _is_title(r: _Reading, q: QuotedSpan) -> bool:
    """'his book "The Long Road"', 'appeared on "Morning Desk"', 'a class called "Perception"':
    quoted words that name a work or a thing (``[titles]`` in cues.toml), not anyone's speech."""
    if q.open_at is None:
        return False
    cues = r.lexicon.cues
    line_start = r.text.rfind("\n", 0, q.open_at) + 1
    base = max(line_start, q.open_at - 60)
    bare = r.text[base:q.open_at].rstrip()
    comma = bare.endswith(",")
    if comma:
        bare = bare[:-1].rstrip()
    low = bare.lower()
    words = r.text[q.start:q.end]

    def token_at(pos: int) -> Token | None:
        span = r.doc.char_span(pos, pos + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    for phrase in cues.title_words:
        if not (low.endswith(" " + phrase) or low == phrase):
            continue
        tok = token_at(base + len(bare) - len(phrase))
        # "a class called ...": the participle names its noun; "what he called ..." and "a
        # plan Ode called ..." have a speaker of their own
        if tok is not None and tok.dep_ in ("acl", "amod", "advcl", "appos") and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) and len(words.split()) <= MAX_TITLE_WORDS:
            return True
    if not _title_cased(words):
        return False
    last = low.rsplit(" ", 1)[-1].lstrip("(")
    if last in _TITLE_PREPOSITIONS and not comma:
        return True
    if not comma and any(low.endswith(" " + m) or low == m for m in cues.title_makers):
        return True
    if not comma and low.endswith(("’s", "'s")):
        # 'on Channel 9's "Morning Desk"': a title-cased quotation a name owns is its show
        owner = token_at(base + len(bare) - 3)
        return owner is not None and owner.pos_ == "PROPN"
    if any(low.endswith(" " + n) or low == n for n in cues.title_nouns):
        noun = token_at(base + len(bare) - 1)
        return noun is not None and noun.pos_ in ("NOUN", "PROPN")
    return False


def _position(frames: list[Frame], frame: Frame) -> int:
    return next(i for i, f in enumerate(frames) if f is frame)


def _reported_clauses(r: _Reading) -> None:
    """Phase 2: reported clauses: indirect, mixed, and nested inside a direct quote."""
    doc, text, outer, frames = r.doc, r.text, r.outer, r.frames
    stops = frames + r.credits  # where a clause run on to its sentence's end must stop
    for position, f in enumerate(frames):
        if f.content is None or f.cue_class == "direct":
            continue
        c0, c1 = f.content
        cue_pos = doc[f.cue_start].idx
        if c0 < cue_pos and r.para_starts and r.para_starts[r.para_of(c0)] == c0 and r.dateline_end(r.para_of(c0)) < c1:
            # "KARSVIK (Nordwire) — The commission ordered ..., officials said": the dateline
            # is no part of what was said
            c0 = r.dateline_end(r.para_of(c0))
        if c0 > cue_pos:
            holder = r.outer_at(cue_pos)
            others = [q for q in outer if q is not holder]
            limit = holder.end if holder else None
            cue = doc[f.cue_start]
            antecedent = cue.head
            if cue.dep_ == "relcl" and antecedent.dep_ in ("nsubj", "nsubjpass") \
                    and antecedent.head.i > cue.right_edge.i:
                # "a list, which the campaign says includes ..., is ...": the sentence's own
                # verb comes after the relative clause, and what was said ends with it
                edge = cue.right_edge
                limit = min(limit or len(text), edge.idx + len(edge))
            fronted = _fronted_adverbial_end(cue)
            if fronted is not None and fronted > c0:
                # "When Ode asked workers to take a pay cut, 80,000 volunteered": the report
                # ends with the narrator's adverbial clause that holds it
                limit = min(limit or len(text), fronted)
                c1 = min(c1, fronted)
            siblings = [g.content[0] for g in frames if g is not f and g.cue_start == f.cue_start and g.content]
            c1 = _run_to_sentence_end(doc, text, c1, stops, others, r.lexicon.cues, limit=limit, siblings=siblings)
        host = r.outer_at(cue_pos)
        cues = r.lexicon.cues
        # "asked the board to resign", "asked for a recount": a request, no report when a
        # quote or another report tells it
        request = f.method == "request" or (f.method == "stated_aim" and f.lemma in cues.requests
                                            and f.lemma not in cues.intention)
        if host is not None and request:
            continue  # '"We asked them to leave," she said': the speaker's own account, no report
        if host is not None:
            if not (host.start <= c0 and c1 <= host.end + 1):
                continue
            if f.subject is not None and doc[f.subject[0]:f.subject[1]].text.lower() in FIRST_PERSON:
                continue  # "I think ...", "we believe ...": the speaker's own words, not a relay
            c1 = min(c1, host.end)
            r.drafts.append(_Draft(c0, c1, "indirect", f, f.method, f.confidence * 0.9, parent=r.direct(host)))
            continue
        host_clause = next((g for g in frames if g is not f and g.content is not None and g.cue_class != "direct"
                            and g.content[0] <= cue_pos < g.content[1]), None)
        if host_clause is not None and (f.cue_class == "cognition" or request):
            # "told reporters that the panel expected ...", "said she asked the mayor to
            # resign": part of the reported clause
            continue
        inside = [q for q in outer if q.start < c1 and c0 < q.end]
        mine = r.frame_directs.get(position, [])
        covered = sum(min(q.end, c1) - max(q.start, c0) for q in inside)
        if mine and covered >= DIRECT_SHARE_OF_CLAUSE * (c1 - c0):
            continue  # the direct quote is the clause
        # "echoed the remarks, telling reporters that '...'": a quote that is the clause and
        # belongs to a cue between this one and the clause is that cue's report, not this one's
        nearer = [q for q in inside if (g := r.direct(q).frame) is not None and f.cue_start < g.cue_start
                  and doc[g.cue_start].idx < c0]
        if nearer and sum(min(q.end, c1) - max(q.start, c0) for q in nearer) >= DIRECT_SHARE_OF_CLAUSE * (c1 - c0):
            continue
        partial = [q for q in inside if q.start >= c0 - 1 and q.end <= c1 + 1]
        kind = "mixed" if partial else "indirect"
        if any(q.end > c1 + 1 for q in inside if q.start >= c0):
            # a quote that runs past the clause: keep the direct quote, not a cut clause
            if all(r.direct(q).frame is not None for q in inside):
                continue
        for q in partial:
            dq = r.direct(q)
            if dq.frame is None or dq.frame is f or dq.frame.cue_start == f.cue_start:
                dq.absorbed = True
        if kind == "mixed":
            first = min(partial, key=lambda q: q.start)
            if first.open_at is not None and first.open_at < c0 <= first.start:
                c0 = first.open_at  # the clause starts inside a quote: keep its opening mark
            last = max(partial, key=lambda q: q.end)
            if last.close_at is not None and last.close_at + 1 > c1 and last.close_at < c1 + 3:
                c1 = last.close_at + 1
        method = f.method if kind == "indirect" else f.method + "+partial_quote"
        r.drafts.append(_Draft(c0, c1, kind, f, method, f.confidence, quoted_parts=partial))
    _one_report_per_clause(r)


# Two reported clauses that share this much of their span (intersection over union) are the
# same words reported twice.
SAME_CLAUSE_OVERLAP = 0.8


def _one_report_per_clause(r: _Reading) -> None:
    """Words that two cues report ("responded on Twitter, saying that ...", "disclosed, and the
    paper reported, that ...") are one quote: the one whose cue comes nearest before them (else
    the nearest after)."""
    doc = r.doc
    clauses = [d for d in r.drafts if d.kind in ("indirect", "mixed") and d.frame is not None and d.parent is None
               and not d.absorbed]

    def nearness(d: _Draft) -> tuple[bool, int]:
        pos = doc[d.frame.cue_start].idx if d.frame is not None else d.start
        return (pos > d.start, abs(d.start - pos))

    for k, a in enumerate(clauses):
        for b in clauses[k + 1:]:
            if a.absorbed or b.absorbed or overlap((a.start, a.end), (b.start, b.end)) < SAME_CLAUSE_OVERLAP:
                continue
            if any(o.start <= doc[d.frame.cue_start].idx < o.end for d, o in ((a, b), (b, a)) if d.frame is not None):
                continue  # "X said A, prosecutors said": one report inside the other, not twice the same
            (b if nearness(a) <= nearness(b) else a).absorbed = True


# How far up the parse a cue may sit inside a fronted adverbial clause.
_ADVERBIAL_DEPTH = 4


def _fronted_adverbial_end(cue: Token) -> int | None:
    """The end (characters) of the sentence-initial adverbial that holds ``cue``, if it has
    one: "When Ode said the plan was dead, the council ...", "Months after Ode announced
    ..., soldiers ...". The adverbial is closed by a comma before the verb it modifies."""
    cur = cue
    for _ in range(_ADVERBIAL_DEPTH):
        head = cur.head
        if head is cur:
            return None
        # sentence-initial, or after a conjunction that opens it ("But when ..."), or a clause
        # its conjunction opens anywhere before its verb ("..., and while Ode said X, it is ...")
        if cur.dep_ in ("advcl", "prep", "npadvmod") and cur.i < head.i and head.pos_ in ("VERB", "AUX") \
                and (cur.left_edge.i - cur.sent.start <= 1 or cur.dep_ == "advcl" and any(
                    c.dep_ == "mark" and c.i == cur.left_edge.i for c in cur.children)):
            edge = cur.right_edge
            doc = cur.doc
            after = doc[edge.i + 1] if edge.i + 1 < len(doc) else None
            if after is not None and after.text == "," and after.i < head.i:
                while edge.i > cur.i and (edge.is_punct and edge.text not in "\"”’'»)" or edge.is_space):
                    edge = doc[edge.i - 1]
                return edge.idx + len(edge)
            return None
        cur = head
    return None


def _uncued_directs(r: _Reading) -> None:
    """Phase 3: direct quotes with no cue of their own: continuations, and lone long quotes."""
    text, paras = r.text, r.paras
    directs = [d for d in r.drafts if d.kind == "direct"]
    for d, nxt in zip(reversed(directs[:-1]), reversed(directs[1:])):
        runs_on = d.frame is None and d.span is not None and d.span.continues and nxt.span is not None \
            and nxt.span.continued
        if runs_on and nxt.frame is None and nxt.span.open_at is None and nxt.span.close_at is not None:
            # a pull quote signed inside its marks ('... / Dean Baker, Policy Institute.”'): the
            # signing line is its speaker, and no quote
            signed = signature_inside(r.doc, nxt.span.start, nxt.span.end, nxt.span.close_at)
            if signed is not None:
                nxt.absorbed = True
                d.frame, d.method, d.confidence = signed, "direct_signature", signed.confidence
                continue
        # a quote that runs on into the next paragraph is attributed where it ends
        if runs_on:
            d.frame, d.method, d.confidence = nxt.frame, nxt.method, nxt.confidence
    previous: _Draft | None = None
    for d in directs:
        if d.span is None:
            continue
        q = d.span
        signed = signature_frame(r.doc, text, q.close_at + 1) if d.frame is None and not d.absorbed and q.close_at is not None \
            else None
        if signed is not None:  # '"...” ― Ana Perlo': signed after its closing mark
            d.frame, d.method, d.confidence = signed, "direct_signature", signed.confidence
        if d.frame is None and not d.absorbed:
            prev_para = r.para_of(q.start) - 1
            same_para = previous is not None and previous.span is not None and previous.span.paragraph == q.paragraph
            if previous is not None and (q.continued or same_para or _fills_paragraph(text, q, paras[r.para_of(q.start)])) and \
                    previous.span is not None and previous.span.paragraph >= prev_para and previous.frame is not None:
                d.continues_from = previous
                d.method = "continuation"
                d.confidence = 0.7
            elif len(text[q.start:q.end].split()) < MIN_UNATTRIBUTED_WORDS or q.paragraph < 3:
                d.absorbed = True  # a scare quote, a title or a name
            else:
                d.method = "unattributed"
                d.confidence = 0.3
        if (d.frame is not None or d.continues_from is not None) and not d.absorbed:
            previous = d
    _join_runs_on(directs)


def _join_runs_on(directs: list[_Draft]) -> None:
    """One quotation that runs on over a paragraph break without a mark to reopen it is one
    quote ('Ode said: “We did all we could. / The rest is up to them.”'); where each paragraph
    reopens the quote (the news convention) each stays a quote of its own."""
    host: _Draft | None = None
    for d in directs:
        q = d.span
        if q is None or d.absorbed:
            continue
        attributed = d.frame is not None or d.continues_from is not None
        if host is not None and q.continued and q.open_at is None and attributed \
                and (d.continues_from is host or d.frame is host.frame):
            host.end = d.end
            host.span = replace(host.span, end=q.end, close_at=q.close_at, continues=q.continues)
            d.absorbed = True
            if not q.continues:
                host = None
            continue
        host = d if q.continues and attributed else None


def _headline_quotes(r: _Reading) -> None:
    """Phase 4: a headline's "Claim: Speaker" (or, for the title only, "Speaker: Claim")."""
    text, paras, meta = r.text, r.paras, r.meta
    # the title: the paragraph the metadata names, else the first one
    title = next((p for p in paras[:HEADLINE_PARAGRAPHS] if meta.title and text[p.start:p.end].strip() == meta.title.strip()),
                 paras[0] if paras else None)
    head_paras = [(p.start, p.end) for p in paras[:HEADLINE_PARAGRAPHS] if p is title or _claim_first(text, p)]
    seen_claims: set[str] = set()
    words = r.lexicon.speakers
    for claim, who in headline_frames(text, head_paras, words.headline_labels, words.titles | words.organization_name_words):
        if text[claim[0]:claim[1]] in seen_claims:
            continue
        seen_claims.add(text[claim[0]:claim[1]])
        # "Mayor Ruiz: 'We will not back down'": a claim in quotation marks is the direct quote
        marked = next((q for q in r.outer if q.open_at == claim[0] and q.close_at == claim[1] - 1), None)
        if marked is None:
            r.drafts.append(_Draft(claim[0], claim[1], "indirect", None, "headline", 0.6, headline_speaker=who))
            continue
        found = r.direct_of.get((marked.start, marked.end))
        if found is not None:
            found.absorbed = True
        r.drafts.append(_Draft(marked.start, marked.end, "direct", None, "headline", 0.6, headline_speaker=who))


def _transcript_turns(r: _Reading) -> None:
    """Phase 5: transcript lines "NAME: words" (verbatim speech without quotation marks)."""
    doc, drafts = r.doc, r.drafts
    speaker_words = r.lexicon.speakers
    qa = frozenset(speaker_words.qa_labels)  # "Q:" is no headline's label on a question-and-answer page
    turns = transcript_frames(doc, [(p.start, p.end) for p in r.paras], speaker_words.headline_labels - qa, r.text,
                              speaker_words.turn_labels | qa)
    for words, who in turns:
        for d in drafts:
            if d.method == "headline" and who[0] <= d.start and d.end <= words[1]:
                d.absorbed = True  # "MR. ODE: No.": a turn, not a headline's "Claim: Speaker"
        # '"ODE: Well, ...': a quotation that opens on the label is the turn, not a quote of its own
        for d in drafts:
            if not d.absorbed and d.kind == "direct" and d.frame is None and d.continues_from is None \
                    and who[0] <= d.start <= who[1] and r.para_of(d.start) == r.para_of(words[0]):
                d.absorbed = True
        within = [d for d in drafts if not d.absorbed and words[0] <= d.start and d.end <= words[1]]
        if r.in_furniture(words[0]) or any(not d.absorbed and d.start < words[1] and words[0] < d.end
                                           and d not in within for d in drafts):
            continue
        for inner in within:
            if inner.method == "headline":
                inner.absorbed = True  # "HOST: Welcome ...": a turn, not a headline
            if inner.frame is not None and inner.frame.subject is not None and \
                    doc[inner.frame.subject[0]:inner.frame.subject[1]].text.lower() in FIRST_PERSON | {"you"}:
                inner.absorbed = True  # "I think ...": the speaker's own words, not a report
        drafts.append(_Draft(words[0], words[1], "direct", None, "transcript", 0.6, headline_speaker=who))


def _run_to_sentence_end(doc: Doc, text: str, end: int, frames: list[Frame], outer: list[QuotedSpan], cues: Cues,
                         limit: int | None = None, siblings: Sequence[int] = ()) -> int:
    """A reported clause runs on to the end of its sentence ("... but as long as ...",
    "...; touched her ...; and guided ...") unless something else takes over the rest: another
    cue, a quotation, "according to", or a participle that is the narrator's ("..., adding").
    ``limit`` bounds it (the end of the direct quote a nested report sits in); ``siblings`` are
    where the same cue's further reports start ("said A but that B"). ``text`` is
    ``doc.text``, passed along because spaCy rebuilds that string from every token per call."""
    span = doc.char_span(max(0, end - 1), end, alignment_mode="expand")
    if span is None or not len(span):
        return end
    stop = span[-1].sent.end_char
    if limit is not None:
        stop = min(stop, limit)
    body = text[end:stop].rstrip().rstrip(".!?”\"’'").rstrip()
    if not body.strip(" ,;:—–-") or "\n" in body:
        return end
    if any(end <= doc[f.cue_start].idx < stop for f in frames) or any(end <= q.start < stop for q in outer):
        return end
    if any(end <= at < stop for at in siblings):
        return end  # "said A but that B": B is a report of its own (``more_contents``)
    rest = [t for t in doc.char_span(end, stop, alignment_mode="expand") or [] if not t.is_space]
    if len(rest) > 1 and rest[0].text == "," and narrator_tail(rest[1], cues) is not None:
        return end  # ", which ...": the narrator's aside, not more of what was said
    after = [t for t in rest if not t.is_punct and t.pos_ != "ADV"]
    if after and (after[0].tag_ == "VBG" or after[0].lower_ in ("according", "as", "while", "even", "said", "says", "citing")):
        return end
    # "said A and that B, according to X": the run ends before the source that closes it
    source = next((k for k, t in enumerate(rest) if t.lower_ == "according" and k + 1 < len(rest) and rest[k + 1].lower_ == "to"), None)
    if source is not None:
        cut = rest[source].idx
        return end + len(text[end:cut].rstrip(" ,;—–-"))
    return end + len(body[:_own_clause_after_semicolon(rest, end)] if rest else body)


def _own_clause_after_semicolon(rest: list[Token], base: int) -> int | None:
    """Where (characters from ``base``) a semicolon opens a clause with its own subject: "calls
    for X; Mrs. Ode aims to ..." is the writer's next sentence. A run of predicates that share
    the speaker's subject ("kissed her; touched her ...; and guided ...") is one report."""
    for k, t in enumerate(rest):
        if t.text != ";":
            continue
        for u in rest[k + 1:k + 8]:
            if u.dep_ in ("nsubj", "nsubjpass") and u.head.i > u.i:
                return t.idx - base
            if u.pos_ in ("VERB", "AUX"):
                break
    return None


def _claim_first(text: str, para: Any) -> bool:
    """Only the title may be "Speaker: Claim"; "Claim: Speaker" is a headline anywhere near
    the top (scraped pages repeat the title among their furniture)."""
    line = text[para.start:para.end]
    return bool(line) and ":" in line and line.rstrip().rsplit(":", 1)[1].strip()[:1].isupper() \
        and len(line.rsplit(":", 1)[1].split()) <= 4


def _fills_paragraph(text: str, q: QuotedSpan, para: Any) -> bool:
    rest = (text[para.start:q.start] + text[q.end:para.end]).strip(" \"“”‘’'«».,;:!?…")
    return not rest


def _attributing_frame(doc: Doc, text: str, q: QuotedSpan, cues: list[tuple[int, Frame]], outer: list[QuotedSpan],
                       para_of: Any) -> Frame | None:
    """The cue that attributes a direct quote: in its sentences. ``cues`` are the frames whose
    cue stands outside any quote, in order, each with its cue's character offset."""
    pq = para_of(q.start)
    first = _token_near(doc, text, q.start, -1 if q.open_at is None else q.open_at - 1, para_of)
    last = _token_near(doc, text, q.end - 1, (q.close_at + 1) if q.close_at is not None else q.end, para_of)
    if first is None or last is None:
        return None
    s0 = first.sent.start_char
    s1 = last.sent.end_char
    # "X said:" before the quote: the sentence or paragraph before, ending in a colon
    lead = text[:q.open_at if q.open_at is not None else q.start].rstrip()
    if lead.endswith(":"):
        prev_sent = doc.char_span(len(lead) - 1, len(lead), alignment_mode="expand")
        if prev_sent is not None and len(prev_sent):
            s0 = min(s0, prev_sent.sent.start_char)
    words = len(text[q.start:q.end].split())
    if text[max(0, (q.open_at or q.start) - 12):(q.open_at or q.start)].rstrip().lower().endswith("so-called"):
        return None  # a scare quote by its own announcement
    best: tuple[float, Frame] | None = None
    for pos, f in cues:
        if not s0 <= pos < s1:
            continue
        if para_of(pos) != pq and not lead.endswith(":"):
            continue
        gap_lo, gap_hi = (q.end, pos) if pos >= q.end else (pos, q.start)
        between = [o for o in outer if gap_lo <= o.start and o.end <= gap_hi and o is not q]
        gap = gap_hi - gap_lo
        if gap > MAX_CUE_GAP and not (f.content and f.content[0] <= q.start < f.content[1]):
            continue
        in_content = f.content is not None and f.content[0] < q.end and q.start < f.content[1]
        if words <= SHORT_QUOTE_WORDS and not in_content:
            c_start, c_end = f.cue_chars(doc)
            announced = text[q.start:q.close_at or q.end].rstrip().endswith((",", "!", "?"))
            reach = NEAR_CUE_WORDS
            if pos < q.start and q.open_at is not None:
                near = text[c_end:q.open_at]
            elif pos > q.start and q.close_at is not None:
                near = text[q.close_at + 1:c_start]
                if announced:
                    reach = NEAR_CUE_WORDS_AFTER_COMMA  # '“We will respond,” Ode was quoted as saying'
                if announced and f.subject is not None and 0 < doc[f.subject[0]].idx - q.close_at <= 3:
                    # '"It is over," the old man, shaking his head, said.': the signer stands right
                    # after the mark; an aside between it and its verb is no distance
                    near = text[q.close_at + 1:doc[f.subject[1] - 1].idx]
            else:
                near = "x " * 9
            if len(near.split()) > reach or (pos > q.start and not announced and not text[q.close_at or q.end: c_start].lstrip().startswith(",")):
                continue  # a short quote far from any cue is a scare quote or a name
        score = 0.0
        if in_content:
            score += 3
        if f.subject is not None:
            score += 1
        if f.cue_class == "cognition":
            score -= 1
        score -= 0.5 * len(between)
        score -= gap / 400
        if best is None or score > best[0]:
            best = (score, f)
    return best[1] if best else None


def _token_near(doc: Doc, text: str, inside: int, outside: int, para_of: Any) -> Any:
    """The token just outside a quote mark, if it is in the quote's paragraph (so that
    the sentence holding '“...,” he said.' is found even when the parser ends a sentence
    at the closing mark), else the token just inside."""
    step = 1 if outside > inside else -1
    pos = outside
    if 0 <= pos < len(text) and 0 <= pos - step < len(text) and text[pos] in "'`" and text[pos - step] in "'`":
        pos += step  # the rest of a two-character mark (some archives' '' and ``)
    while 0 <= pos < len(text) and text[pos] in " \t\u00a0":
        pos += step
    for at in (pos, inside):
        if 0 <= at < len(text) and not text[at].isspace() and para_of(at) == para_of(inside):
            span = doc.char_span(at, at + 1, alignment_mode="expand")
            if span is not None and len(span):
                return span[0]
    return None


def _nest(drafts: list[_Draft]) -> None:
    """A quote inside another one (and not its partial quote) is nested in it."""
    for d in drafts:
        if d.parent is not None or d.kind == "direct":
            continue
        hosts = [h for h in drafts if h is not d and h.start <= d.start and d.end <= h.end and (h.end - h.start) > (d.end - d.start)]
        if hosts:
            d.parent = min(hosts, key=lambda h: h.end - h.start)


def _finish(r: _Reading, drafts: list[_Draft], article: str) -> list[Quote]:
    """Phase 6: each draft's speaker, addressee, intermediaries and cue; the frozen records."""
    doc, text = r.doc, r.text
    digest = article_digest(text, r.meta)
    resolver = Resolver(doc, r.lexicon, authors=r.meta.authors, quoted=[(q.start, q.end) for q in r.outer],
                        publishers=(r.meta.outlet or "", r.meta.original_outlet or ""), text=text)
    order = sorted(drafts, key=lambda d: (_anchor(doc, d), d.start))
    # parents first, so nested quotes can see the speaker of the quote that holds them
    order.sort(key=lambda d: d.parent is not None)
    for d in drafts:
        d.id = f"{digest}-{d.start}-{d.end}"
    for d in order:
        d.quote = _record(d, doc, text, resolver, article)
    for d in drafts:
        if d.quote is not None and d.quote.speaker is not None:
            settled = resolver.settled(d.quote.speaker)
            if settled is not d.quote.speaker:
                d.quote = replace(d.quote, speaker=settled)
    return _follow_on_via(r, sorted((d.quote for d in drafts if d.quote is not None), key=lambda q: (q.start, -q.end)))


def _is_outlet(who: Speaker, outlets: Outlets) -> bool:
    """An outlet, or a name the outlet list knows with its "The" ("Atlantic" for "The Atlantic")."""
    return who.type == "outlet" or bool(outlets.for_name(who.name) or outlets.for_name("The " + who.name))


# A follow-on quote may sit this many paragraphs after the one whose report it continues.
# One: news breaks a source's account into short paragraphs; further on, the text has moved on.
FOLLOW_ON_PARAGRAPHS = 1
_NOT_CARRIED = ("cites", "relayed_by")  # the speaker's own source; the host of a nested quote


def _follow_on_via(r: _Reading, quotes: list[Quote]) -> list[Quote]:
    """Phase 7: a quote that names no intermediary of its own inherits the previous quote's
    where the text goes on with the same report: the same speaker in the same or the next
    paragraph ("She told the Gazette that ... On another occasion, she said ..."), or a speaker
    whom the previous quote, an outlet's report, is about ("The Daily reported that Roe wrote
    to the council ... / "...," Roe wrote.)."""
    out: list[Quote] = []
    prev: Quote | None = None
    for q in quotes:
        if q.parent is not None:
            out.append(q)
            continue
        own = q.via or (q.addressee is not None and q.addressee.type == "outlet")
        if prev is not None and not own and r.para_of(q.start) - r.para_of(prev.end) <= FOLLOW_ON_PARAGRAPHS:
            carried = _carried_via(prev, q, r.lexicon.outlets)
            if carried:
                q = replace(q, via=carried)
        out.append(q)
        prev = q
    return out


def _carried_via(prev: Quote, q: Quote, outlets: Outlets) -> tuple[Via, ...]:
    """What of ``prev``'s intermediaries ``q`` goes on with, if it continues ``prev``'s report."""
    if prev.speaker is None or q.speaker is None:
        return ()
    if same_name(prev.speaker.name, q.speaker.name):
        carried = [v for v in prev.via if v.relation not in _NOT_CARRIED]
        told = prev.addressee
        if told is not None and told.type == "outlet" and not any(same_name(v.name, told.name) for v in carried):
            carried.append(Via(told.name, told.type, "reported_by", told.role, told.mention))
        return tuple(carried)
    # an outlet's report about the next speaker: "The Daily reported that Roe wrote ..."
    if _is_outlet(prev.speaker, outlets) and q.speaker.type != "unnamed":
        words = set(name_tokens(prev.text))
        if any(w in words for w in name_tokens(q.speaker.name) if len(w) > 2):
            s = prev.speaker
            return (Via(s.name, s.type, "reported_by", s.role, s.mention),)
    return ()


def _record(d: _Draft, doc: Doc, text: str, resolver: Resolver, article: str) -> Quote:
    f = d.frame
    speaker: Speaker | None = None
    addressee = None
    via: list[Via] = []
    cue = None
    host_speaker = d.parent.quote.speaker if d.parent is not None and d.parent.quote is not None else None
    if d.continues_from is not None:
        src = d.continues_from.quote
        if src is not None:
            speaker, cue, via = src.speaker, src.cue, list(src.via)
            addressee = src.addressee
    elif f is not None:
        if f.subject is not None:
            speaker = resolver.resolve(f.subject, inside_quote_of=host_speaker, cue=f.cue_start)
        if f.addressee is not None:
            addressee = resolver.resolve(f.addressee, speaker=False, inside_quote_of=host_speaker)
        for span, relation in f.via:
            who = resolver.resolve(span, speaker=False, inside_quote_of=host_speaker)
            # "The report, published by the Institute, found": the issuer is the speaker, not its carrier
            if who is not None and (speaker is None or who.name != speaker.name):
                via.append(Via(who.name, who.type, relation, who.role, who.mention))
        c0, c1 = f.cue_chars(doc)
        cue = Cue(text[c0:c1], f.lemma, c0, c1)
    elif d.headline_speaker is not None and d.method == "transcript":
        s0, s1 = d.headline_speaker
        speaker = resolver.resolve_label(s0, s1)
        colon = text.find(":", s1, d.start)
        cue = Cue(":", ":", colon, colon + 1) if colon >= 0 else None
    elif d.headline_speaker is not None:
        s0, s1 = d.headline_speaker
        label = doc.char_span(s0, s1, alignment_mode="expand")
        if label is not None and len(label):
            speaker = resolver.resolve((label.start, label.end), speaker=False)
        colon = text.find(":", min(d.end, s1), max(d.start, s0))
        cue = Cue(":", ":", colon, colon + 1) if colon >= 0 else None
    confidence = d.confidence
    if speaker is None:
        confidence *= 0.5
    elif speaker.mention is not None and speaker.mention.text.lower() in ("he", "she", "they", "it", "we", "i") and speaker.name == speaker.mention.text:
        confidence *= 0.6
    return Quote(
        id=d.id, article=article, start=d.start, end=d.end, text=text[d.start:d.end], kind=d.kind,
        cue=cue, speaker=speaker, addressee=addressee,
        parent=d.parent.id if d.parent is not None else None,
        via=tuple(via), confidence=round(confidence, 3), method=d.method,
    )


def _anchor(doc: Doc, d: _Draft) -> int:
    if d.frame is not None:
        return doc[d.frame.cue_start].idx
    return d.start
