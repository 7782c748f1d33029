"""The extraction pipeline: article text -> parse -> quotes with resolved speakers.

``extract_doc`` is a pure function of a parsed Doc and the article's metadata: no global
state, so it runs unchanged in a worker process or a distributed engine. ``extract`` and
``extract_articles`` parse for you.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from quotetrace.marks import QuotedSpan, find_quoted_spans, paragraphs
from quotetrace.models import Article, ArticleMeta, Cue, Quote, Speaker, TextSpan, Via
from quotetrace.quotes import Frame, find_frames, headline_frames, transcript_frames
from quotetrace.speakers import CorpusNames, Resolver

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from quotetrace.aliases import Aliases

log = logging.getLogger(__name__)
# The article being read, for log records from deeper modules ("unpaired quotation mark ..."),
# which know offsets but not the file: ``ArticleFilter`` adds it to each record.
CURRENT_ARTICLE: contextvars.ContextVar[str] = contextvars.ContextVar("quotetrace_article", default="-")


class ArticleFilter(logging.Filter):
    """Adds ``record.article``: the article being read when the record was made."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.article = CURRENT_ARTICLE.get()
        return True

EXTRACTOR_VERSION = "0.1.0"
PARAGRAPH_COMPONENT = "quotetrace_paragraphs"

# A direct quote takes the whole reported clause when it covers this share of it
# ('wrote that "if the story is true, he must resign."'); below it the clause is mixed.
DIRECT_SHARE_OF_CLAUSE = 0.8
# Quoted words without any attribution are kept only from this length on: shorter ones are
# scare quotes, titles and names ("the so-called 'nine bridges' plan").
MIN_UNATTRIBUTED_WORDS = 8
# Quotes this short are attributed only by a cue right before them ('calling him "a great
# guy"') or when they sit inside a reported clause; elsewhere they are scare quotes.
SHORT_QUOTE_WORDS = 3
# How far (characters) a cue may stand from the quote it attributes, within its paragraph.
MAX_CUE_GAP = 200
FIRST_PERSON = {"i", "we"}
# Headline "Claim: Speaker" lines are looked for among the first paragraphs only.
HEADLINE_PARAGRAPHS = 12


@dataclass
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
    speaker: Speaker | None = None
    continues_from: _Draft | None = None
    headline_speaker: tuple[int, int] | None = None
    quoted_parts: list[QuotedSpan] = field(default_factory=list)


def paragraph_boundaries(doc: Doc) -> Doc:
    """spaCy component: a line break always starts a new sentence (news puts one paragraph
    on a line, and headlines carry no final period)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if not tok.is_space and ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)):
            tok.is_sent_start = True
    return doc


def prepare(nlp: Language) -> Language:
    """Add the paragraph-boundary component before the parser (once)."""
    from spacy.language import Language as _Language

    if not _Language.has_factory(PARAGRAPH_COMPONENT):
        _Language.component(PARAGRAPH_COMPONENT)(paragraph_boundaries)
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe(PARAGRAPH_COMPONENT, before=before) if before else nlp.add_pipe(PARAGRAPH_COMPONENT)
    return nlp


def extract(text: str, metadata: ArticleMeta | dict[str, Any] | None = None, *, nlp: Language | None = None,
            article: str = "-") -> list[Quote]:
    """Find every quote in one article's text.

    Args:
        text: the article as decoded; offsets in the result index into it.
        metadata: what is known of the article (``ArticleMeta`` or a dict with its fields);
            read from the text where not given.
        nlp: a loaded spaCy pipeline; the default English pipeline otherwise.
        article: the name to record in each quote's ``article`` field.
    """
    meta = _meta(metadata, text)
    art = Article(article, text, meta)
    return next(extract_articles([art], nlp=nlp))[1]


def extract_articles(articles: Iterable[Article], *, nlp: Language | None = None, batch_size: int = 32,
                     on_error: Callable[[Article, Exception], None] | None = None,
                     aliases: Aliases | None = None) -> Iterator[tuple[Article, list[Quote]]]:
    """Parse articles in batches and yield each with its quotes, in input order.

    An article whose extraction fails (a bug of ours, never the user's) does not stop the
    run: ``on_error`` is told (default: a logged error) and the article yields no quotes.
    ``aliases`` (the user's, ``aliases.load_aliases``) rename speakers as the last step.
    """
    if nlp is None:
        from quotetrace.nlp import load_pipeline

        nlp = load_pipeline()
    # the per-article core, shared with worker processes
    from quotetrace.batch import extract_raw

    prepare(nlp)
    names = CorpusNames()
    for art, found in extract_raw(articles, nlp, batch_size):
        if isinstance(found, Exception):
            if on_error is None:
                log.error("%s: extraction failed: %s: %s", art.path, type(found).__name__, found)
            else:
                on_error(art, found)
            yield art, []
            continue
        quotes = [names.apply(q) for q in found]
        yield art, [aliases.apply(q) for q in quotes] if aliases else quotes


def text_digest(text: str) -> str:
    """The article part of every quote id: stable for the same text, whatever its path."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


# Texts longer than this are parsed in pieces: spaCy's parser and NER need about 1 GB of
# memory per 100,000 characters, and refuse texts over ``nlp.max_length`` (1,000,000).
MAX_PIECE_CHARS = 100_000


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


def _meta(metadata: ArticleMeta | dict[str, Any] | None, text: str) -> ArticleMeta:
    if isinstance(metadata, ArticleMeta):
        return metadata
    if metadata:
        authors = metadata.get("authors") or metadata.get("author") or ()
        if isinstance(authors, str):
            authors = (authors,)
        return ArticleMeta(outlet=metadata.get("outlet"), authors=tuple(authors), published=metadata.get("published"),
                           title=metadata.get("title"), url=metadata.get("url"), dateline=metadata.get("dateline"))
    try:
        from quotetrace.metadata import read_metadata
    except ImportError:  # pragma: no cover - metadata module is part of the package
        return ArticleMeta()
    return read_metadata(text)


def _boilerplate(text: str) -> list[tuple[int, int]]:
    try:
        from quotetrace.metadata import boilerplate_spans
    except ImportError:  # pragma: no cover
        return []
    return boilerplate_spans(text)


def extract_doc(doc: Doc, *, article: str = "-", meta: ArticleMeta | None = None) -> list[Quote]:
    """Quotes of one parsed article. Pure: the same Doc and metadata give the same quotes."""
    meta = meta or ArticleMeta()
    text = doc.text
    furniture = _boilerplate(text)
    in_furniture = lambda pos: any(s <= pos < e for s, e in furniture)
    spans = [s for s in find_quoted_spans(text) if not in_furniture(s.start)]
    outer = [s for s in spans if s.depth == 0]
    frames = [f for f in find_frames(doc) if not in_furniture(doc[f.cue_start].idx)]
    paras = paragraphs(text)
    para_starts = [p.start for p in paras]
    para_of = lambda pos: max(0, bisect_right(para_starts, pos) - 1)

    def outer_at(pos: int) -> QuotedSpan | None:
        return next((q for q in outer if q.start <= pos < q.end), None)

    drafts: list[_Draft] = []
    direct_of: dict[int, _Draft] = {}  # id(span) -> draft
    frame_directs: dict[int, list[_Draft]] = {}

    # 1. direct quotes and the cue that attributes each
    for q in outer:
        frame = _attributing_frame(doc, text, q, frames, outer, para_of)
        d = _Draft(q.start, q.end, "direct", frame, "direct", frame.confidence if frame else 0.0, span=q)
        if frame is not None:
            d.method = "direct_" + frame.method if frame.method not in ("ccomp", "direct_only") else "direct"
            d.confidence = min(0.95, frame.confidence + 0.05)
            frame_directs.setdefault(id(frame), []).append(d)
        drafts.append(d)
        direct_of[id(q)] = d

    # 2. reported clauses: indirect, mixed, and nested inside a direct quote
    for f in frames:
        if f.content is None or f.cue_class == "direct":
            continue
        c0, c1 = f.content
        cue_pos = doc[f.cue_start].idx
        if c0 > cue_pos:
            holder = outer_at(cue_pos)
            others = [q for q in outer if q is not holder]
            c1 = _run_to_sentence_end(doc, text, c1, frames, others, limit=holder.end if holder else None)
        host = outer_at(cue_pos)
        if host is not None:
            if not (host.start <= c0 and c1 <= host.end + 1):
                continue
            if f.subject is not None and doc[f.subject[0]:f.subject[1]].text.lower() in FIRST_PERSON:
                continue  # "I think ...", "we believe ...": the speaker's own words, not a relay
            c1 = min(c1, host.end)
            parent = direct_of[id(host)]
            d = _Draft(c0, c1, "indirect", f, f.method, f.confidence * 0.9, parent=parent)
            drafts.append(d)
            continue
        host_clause = next((g for g in frames if g is not f and g.content is not None and g.cue_class != "direct"
                            and g.content[0] <= cue_pos < g.content[1]), None)
        if host_clause is not None and f.cue_class == "cognition":
            continue  # "told reporters that the panel expected ...": part of the reported clause
        inside = [q for q in outer if q.start < c1 and c0 < q.end]
        mine = frame_directs.get(id(f), [])
        covered = sum(min(q.end, c1) - max(q.start, c0) for q in inside)
        if mine and covered >= DIRECT_SHARE_OF_CLAUSE * (c1 - c0):
            continue  # the direct quote is the clause
        partial = [q for q in inside if q.start >= c0 - 1 and q.end <= c1 + 1]
        kind = "mixed" if partial else "indirect"
        if any(q.end > c1 + 1 for q in inside if q.start >= c0):
            # a quote that runs past the clause: keep the direct quote, not a cut clause
            if all(direct_of[id(q)].frame is not None for q in inside):
                continue
        for q in partial:
            dq = direct_of[id(q)]
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
        drafts.append(_Draft(c0, c1, kind, f, method, f.confidence, quoted_parts=partial))

    # 3. direct quotes with no cue of their own
    directs = [d for d in drafts if d.kind == "direct"]
    for d, nxt in zip(reversed(directs[:-1]), reversed(directs[1:])):
        # a quote that runs on into the next paragraph is attributed where it ends
        if d.frame is None and d.span is not None and d.span.continues and nxt.span is not None and nxt.span.continued:
            d.frame, d.method, d.confidence = nxt.frame, nxt.method, nxt.confidence
    previous: _Draft | None = None
    for d in directs:
        if d.span is None:
            continue
        q = d.span
        if d.frame is None and not d.absorbed:
            prev_para = para_of(q.start) - 1
            same_para = previous is not None and previous.span is not None and previous.span.paragraph == q.paragraph
            if previous is not None and (q.continued or same_para or _fills_paragraph(text, q, paras[para_of(q.start)])) and \
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

    # 4. headline "Claim: Speaker"
    # the title: the paragraph the metadata names, else the first one
    title = next((p for p in paras[:HEADLINE_PARAGRAPHS] if meta.title and text[p.start:p.end].strip() == meta.title.strip()),
                 paras[0] if paras else None)
    head_paras = [(p.start, p.end) for p in paras[:HEADLINE_PARAGRAPHS] if p is title or _claim_first(text, p)]
    seen_claims: set[str] = set()
    for claim, who in headline_frames(text, head_paras):
        if text[claim[0]:claim[1]] in seen_claims:
            continue
        seen_claims.add(text[claim[0]:claim[1]])
        d = _Draft(claim[0], claim[1], "indirect", None, "headline", 0.6, headline_speaker=who)
        drafts.append(d)
    # 5. transcript lines "NAME: words" (verbatim speech without quotation marks)
    for words, who in transcript_frames(doc, [(p.start, p.end) for p in paras]):
        within = [d for d in drafts if not d.absorbed and words[0] <= d.start and d.end <= words[1]]
        if in_furniture(words[0]) or any(not d.absorbed and d.start < words[1] and words[0] < d.end
                                         and d not in within for d in drafts):
            continue
        for inner in within:
            if inner.frame is not None and inner.frame.subject is not None and \
                    doc[inner.frame.subject[0]:inner.frame.subject[1]].text.lower() in FIRST_PERSON | {"you"}:
                inner.absorbed = True  # "I think ...": the speaker's own words, not a report
        drafts.append(_Draft(words[0], words[1], "direct", None, "transcript", 0.6, headline_speaker=who))

    kept = [d for d in drafts if not d.absorbed]
    for d in kept:
        if d.parent is not None and d.parent.absorbed:
            d.parent = None
    _nest(kept)
    return _finish(doc, text, kept, meta, article, outer)


def _run_to_sentence_end(doc: Doc, text: str, end: int, frames: list[Frame], outer: list[QuotedSpan], limit: int | None = None) -> int:
    """A reported clause runs on to the end of its sentence ("... but as long as ...",
    "...; touched her ...; and guided ...") unless something else takes over the rest: another
    cue, a quotation, "according to", or a participle that is the narrator's ("..., adding").
    ``limit`` bounds it (the end of the direct quote a nested report sits in). ``text`` is
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
    after = [t for t in doc.char_span(end, stop, alignment_mode="expand") or []
             if not t.is_punct and not t.is_space and t.pos_ != "ADV"]
    if after and (after[0].tag_ == "VBG" or after[0].lower_ in ("according", "as", "while", "even", "said", "says", "citing")):
        return end
    return end + len(body)


def _claim_first(text: str, para: Any) -> bool:
    """Only the title may be "Speaker: Claim"; "Claim: Speaker" is a headline anywhere near
    the top (scraped pages repeat the title among their furniture)."""
    line = text[para.start:para.end]
    return bool(line) and ":" in line and line.rstrip().rsplit(":", 1)[1].strip()[:1].isupper() \
        and len(line.rsplit(":", 1)[1].split()) <= 4


def _fills_paragraph(text: str, q: QuotedSpan, para: Any) -> bool:
    rest = (text[para.start:q.start] + text[q.end:para.end]).strip(" \"“”‘’'«».,;:!?…")
    return not rest


def _attributing_frame(doc: Doc, text: str, q: QuotedSpan, frames: list[Frame], outer: list[QuotedSpan], para_of: Any) -> Frame | None:
    """The cue that attributes a direct quote: in its sentences, outside any quote."""
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
    for f in frames:
        pos = doc[f.cue_start].idx
        if not (s0 <= pos < s1) or any(o.start <= pos < o.end for o in outer):
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
            if pos < q.start and q.open_at is not None:
                near = text[c_end:q.open_at]
            elif pos > q.start and q.close_at is not None:
                near = text[q.close_at + 1:c_start]
            else:
                near = "x " * 9
            if len(near.split()) > 3 or (pos > q.start and not text[q.start:q.close_at or q.end].rstrip().endswith((",", "!", "?")) and not text[q.close_at or q.end: c_start].lstrip().startswith(",")):
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


def _finish(doc: Doc, text: str, drafts: list[_Draft], meta: ArticleMeta, article: str, outer: list[QuotedSpan]) -> list[Quote]:
    digest = text_digest(text)
    resolver = Resolver(doc, authors=meta.authors, quoted=[(q.start, q.end) for q in outer])
    order = sorted(drafts, key=lambda d: (_anchor(doc, d), d.start))
    # parents first, so nested quotes can see the speaker of the quote that holds them
    order.sort(key=lambda d: d.parent is not None)
    ids: dict[int, str] = {}
    built: dict[int, Quote] = {}
    for d in sorted(drafts, key=lambda d: (d.start, -d.end)):
        ids[id(d)] = f"{digest}-{d.start}-{d.end}"
    for d in order:
        f = d.frame
        speaker: Speaker | None = None
        addressee = None
        via: list[Via] = []
        cue = None
        host_speaker = built[id(d.parent)].speaker if d.parent is not None and id(d.parent) in built else None
        if d.continues_from is not None:
            src = built.get(id(d.continues_from))
            if src is not None:
                speaker, cue, via = src.speaker, src.cue, list(src.via)
                addressee = src.addressee
        elif f is not None:
            if f.subject is not None:
                speaker = resolver.resolve(f.subject, inside_quote_of=host_speaker)
            if f.addressee is not None:
                addressee = resolver.resolve(f.addressee, speaker=False, inside_quote_of=host_speaker)
            for span, relation in f.via:
                who = resolver.resolve(span, speaker=False, inside_quote_of=host_speaker)
                if who is not None:
                    via.append(Via(who.name, who.type, relation, who.role, who.mention))
            c0, c1 = f.cue_chars(doc)
            cue = Cue(text[c0:c1], f.lemma, c0, c1)
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
        quote = Quote(
            id=ids[id(d)], article=article, start=d.start, end=d.end, text=text[d.start:d.end], kind=d.kind,
            cue=cue, speaker=speaker, addressee=addressee,
            parent=ids[id(d.parent)] if d.parent is not None else None,
            via=tuple(via), confidence=round(confidence, 3), method=d.method,
        )
        built[id(d)] = quote
    return sorted(built.values(), key=lambda q: (q.start, -q.end))


def _anchor(doc: Doc, d: _Draft) -> int:
    if d.frame is not None:
        return doc[d.frame.cue_start].idx
    return d.start
