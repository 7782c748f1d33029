"""Doc -> speech frames: cue words, who they attribute to, and what they report.

A *frame* is one act of reporting found in the parse: a cue (``told``, ``according to``,
a headline colon), the token that names the speaker, the reported clause (if the cue takes
one), the addressee, and intermediaries the sentence names. ``pipeline.py`` combines frames
with the quoted spans of ``marks.py`` into direct, indirect and mixed quotes.

Everything here is a pure function of a parsed ``Doc`` and the cue lexicon.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from quotetrace.lexicon import Cues
from quotetrace.names import split_name

if TYPE_CHECKING:  # spaCy only for type hints: answers from the index never import it
    from spacy.tokens import Doc, Token

# How sure each rule is, before speaker resolution. Chosen by hand from the dev sets:
# a clausal complement of a reporting verb is nearly always speech; "according to" and
# inverted parses less so; cognition verbs report a position, not an utterance.
CONFIDENCE = {
    "ccomp": 0.85,
    "inverted": 0.75,
    "according_to": 0.8,
    "quoted_as_saying": 0.85,
    "cognition": 0.6,
    "headline": 0.6,
    "direct_only": 0.8,
    "after_quote": 0.65,
    "colon": 0.6,
    "inverted_colon": 0.7,
    "signature": 0.6,
    "stated_aim": 0.6,
    "verdict": 0.6,
    "object": 0.55,
    "request": 0.6,
    "as_aside": 0.75,
}

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_CLIMB_DEPS = ("xcomp", "advcl", "conj", "pcomp", "acomp")
_RELATIVE = {"that", "which", "who", "whom"}
_PERSONISH_ENTS = ("PERSON", "NORP", "ORG")
_DATIVE_LEMMAS = {"tell", "inform", "assure", "reassure", "warn", "brief", "advise", "remind", "promise", "ask", "urge", "caution"}
_CARRY_LEMMAS = {"carry", "publish", "report", "broadcast", "air", "run", "quote", "print", "cite"}


@dataclass(frozen=True)
class Frame:
    """One act of reporting found in the parse."""

    cue_start: int  # token indices of the cue words
    cue_end: int
    lemma: str  # the cue's lemma, or "according to", or ":"
    subject: tuple[int, int] | None  # token span naming the speaker
    content: tuple[int, int] | None  # character span of the reported clause
    addressee: tuple[int, int] | None = None
    via: tuple[tuple[tuple[int, int], str], ...] = ()  # (token span, relation)
    method: str = "ccomp"
    confidence: float = 0.8
    cue_class: str = "reporting"  # reporting | cognition | direct
    negated: bool = False
    anchor: int | None = None  # for "according to": the token of the clause it modifies

    def cue_chars(self, doc: Doc) -> tuple[int, int]:
        return doc[self.cue_start].idx, doc[self.cue_end - 1].idx + len(doc[self.cue_end - 1])


def find_frames(doc: Doc, lex: Cues, text: str | None = None) -> list[Frame]:
    """Every reporting frame of ``doc``, in text order. ``text`` is ``doc.text`` when the caller
    has it (spaCy rebuilds that string from every token on each call)."""
    frames: list[Frame] = []
    # ``_verb_frame`` gives a frame only for these lemmas: other verbs are passed over here.
    # Tokens are compared by their attributes' ids, and a Token is made only for the few that
    # can be a cue (spaCy builds a new one on every access).
    verb_lemmas = verb_cue_lemmas(lex)
    ids = doc.vocab.strings
    verb_pos, noun, verb_tags = (ids["VERB"], ids["AUX"]), ids["NOUN"], (ids["VBZ"], ids["VBD"])
    according, colon = (ids["according"], ids["per"]), ids[":"]
    pos, tag, lower, orth, lemma = doc.to_array(["POS", "TAG", "LOWER", "ORTH", "LEMMA"]).T
    verbal = (pos == verb_pos[0]) | (pos == verb_pos[1]) | (pos == noun) & ((tag == verb_tags[0]) | (tag == verb_tags[1]))
    other = (lower == according[0]) | (lower == according[1]) | (orth == colon)
    # a verb is a possible cue by its lemma, asked once for each distinct lemma of the doc
    lemmas = lemma.tolist()
    verbs = verbal.nonzero()[0].tolist()
    cue_lemmas = {h for h in {lemmas[i] for i in verbs} if ids[h].lower() in verb_lemmas}
    # and a plural noun after a quotation and a name may be a present-tense cue ('“...,” Ode replies.')
    plural_noun = ids["NNS"]
    maybe_cue = sorted({i for i in verbs if lemmas[i] in cue_lemmas}.union(
        other.nonzero()[0].tolist(), (i for i in (tag == plural_noun).nonzero()[0].tolist() if _after_quote_and_name(doc, i))))
    # and a past-tense verb in a quotation's signature that gives no frame by its lemma ('“...?”
    # Ode pressed.': no list has it, or only as a request)
    past = ids["VBD"]
    signed = [i for i in verbs if tag[i] == past and _signer_start(doc, i) is not None]
    for i in maybe_cue:
        tok = doc[i]
        if tok.tag == plural_noun:
            frame = _present_cue_as_noun(doc, tok, lex)
            if frame is not None:
                frames.append(frame)
            continue
        is_verb, verb_tagged = tok.pos in verb_pos, tok.pos == noun and tok.tag in verb_tags
        frame = _according_frame(doc, tok, lex) if tok.lower in according else None
        if frame is None and tok.orth == colon:
            frame = _colon_frame(doc, tok, lex)
        if frame is None and is_verb or verb_tagged:
            frame = _verb_frame(doc, tok, lex) if tok.lemma_.lower() in verb_lemmas else None
            if frame is not None and frame.content is not None and frame.method == "ccomp":
                frames.extend(replace(frame, content=extra) for extra in more_contents(doc, tok, lex))
        if frame is not None:
            frames.append(frame)
    framed = {f.cue_start for f in frames}
    for i in signed:
        frame = _signature_by_position(doc, doc[i]) if i not in framed else None
        if frame is not None:
            frames.append(frame)
    _attach_according_vias(doc, frames, text)
    return sorted(frames, key=lambda f: f.cue_start)


_OPENING_MARKS = "\"“‘'«„"
_COLON_SUBJECT_PRONOUNS = {"he", "she", "they"}


def _colon_frame(doc: Doc, colon: Token, lex: Cues) -> Frame | None:
    """"Gareth Pryce was blunt: 'The plan is dead.'": a colon before a quotation, after a clause
    about a named speaker that has no cue word of its own, introduces that speaker's words."""
    # the token after the colon (never ``doc.text``: spaCy rebuilds it on every call)
    nxt = next((t for t in doc[colon.i + 1:colon.i + 3] if not t.is_space), None)
    if nxt is None or nxt.text[:1] not in _OPENING_MARKS or nxt.idx - colon.idx > 3:
        return None
    clause = [t for t in doc[colon.sent.start:colon.i] if not t.is_space]
    # the line the colon ends (the parser may run a sentence on from the paragraph before)
    line = next((k for k in range(colon.i - 1, colon.sent.start - 1, -1) if "\n" in doc[k].text), colon.sent.start - 1)
    named = _named_before_colon([t for t in clause if t.i > line], lex) or _presented_before_colon([t for t in clause if t.i > line], lex)
    if named is not None:
        return named
    # "HEADLINE - source: '...'": what comes before a newsletter's dash is no one's clause
    cut = max((k for k, t in enumerate(clause) if t.text in _DASHES or t.text == "-" and t.whitespace_), default=-1)
    clause = clause[cut + 1:]
    if not clause or any(lex.any(t.lemma_.lower()) and t.pos_ in ("VERB", "AUX") for t in clause) \
            or any((t.text in _OPENING_MARKS or t.text in "\"”’»") and not _apostrophe(t) for t in clause):
        return None  # "X said:" has its cue; a colon inside a quote is no one's introduction
    verb = next((t for t in clause if t.dep_ == "ROOT" or (t.head.i >= colon.i and t.pos_ in ("VERB", "AUX"))), None)
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < colon.i), None) if verb is not None else None
    if subject is None:  # the parser may hang the clause's subject on the quotation's verb
        subject = next((t for t in clause if t.dep_ in ("nsubj", "nsubjpass") and t.head.i > colon.i), None)
    if subject is None or subject.i < clause[0].i:
        return None
    named = subject.pos_ == "PROPN" or subject.ent_type_ in ("PERSON", "ORG") or subject.lower_ in _COLON_SUBJECT_PRONOUNS \
        or any(c.dep_ in ("appos", "compound") and c.pos_ == "PROPN" for c in subject.children) \
        or (subject.lemma_.lower() in lex.source_nouns and subject.tag_ == "NN")  # "A footnote ... makes it clear:"
    if not named:
        # "The surge doesn't surprise pollster Ana Ode: '...'": a clause about a thing that ends
        # on a person's name introduces that person's words
        last = clause[-1]
        if last.pos_ == "PROPN" and last.ent_type_ == "PERSON" and last.dep_ in ("dobj", "appos", "dative"):
            first = last
            while first.i > clause[0].i and first.doc[first.i - 1].pos_ == "PROPN" and first.doc[first.i - 1].ent_type_ == "PERSON":
                first = first.doc[first.i - 1]
            return Frame(colon.i, colon.i + 1, ":", (first.i, last.i + 1), None, method="colon", confidence=0.6,
                         cue_class="direct")
        return None  # "The results were clear:" introduces a thing's words, not a speaker's
    # "Ruiz's message was clear:": the possessor of the message speaks
    return Frame(colon.i, colon.i + 1, ":", _possessor_of_speech(subject, lex), None, method="colon", confidence=0.6,
                 cue_class="direct")


# A name that introduces a quotation alone, before a colon ("Ana Perlo:") or as its signature
# ("― Ana Perlo"), is at most this many words.
MAX_COLON_NAME_WORDS = 5


def _apostrophe(tok: Token) -> bool:
    """A single mark that ends a possessive ("Ode’s", "the Lisks’"), no quotation mark."""
    return tok.text in ("’", "'") and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_ \
        and (tok.tag_ == "POS" or tok.doc[tok.i - 1].text[-1:].lower() == "s")


def _named_before_colon(clause: list[Token], lex: Cues) -> Frame | None:
    """"Ana Perlo: '...'", "... - Ana Perlo: '...'", "Added Perlo: '...'": a name alone before
    the colon (after a dash, if the sentence has one), or a cue word and a name, as a quotation's
    whole introduction. The name must be a person's or a body's as the tagger reads it."""
    cut = max((k for k, t in enumerate(clause) if t.text in _DASHES or t.text == "-"), default=-1)
    words = clause[cut + 1:]
    first = words[0] if words else None
    lemma = lex.opening_cue(first.text, first.lemma_) if first is not None and len(words) > 1 and first.i == clause[0].i \
        else None
    name = words[1:] if lemma is not None else words
    # "... - Ana Perlo and Tomas Reid: '...'": two names joined, who wrote the words together
    joined = [k for k, t in enumerate(name) if t.lower_ in ("and", "&") and 0 < k < len(name) - 1]
    names = [name[:joined[0]], name[joined[0] + 1:]] if len(joined) == 1 else [name]
    if not name or any(not part or len(part) > MAX_COLON_NAME_WORDS or any(t.pos_ != "PROPN" for t in part) for part in names):
        return None
    # a person's or a body's name as the tagger reads it, or a written one ("Marta Lindqvist");
    # after a newsletter's dash ("HEADLINE - Pollwatch:"), one capitalised word is the source
    after_dash = cut >= 0 and lemma is None and len(name) == 1 and name[0].text[:1].isupper() \
        and name[0].ent_type_ not in ("DATE", "TIME", "GPE", "LOC")
    if not after_dash and not all(any(t.ent_type_ in ("PERSON", "ORG") for t in part) or lemma is not None and len(part) >= 1
                                  and all(t.is_title for t in part) or len(part) >= 2 and all(t.is_title for t in part)
                                  for part in names):
        return None
    subject = (name[0].i, name[-1].i + 1)
    if first is not None and lemma is not None:  # "Added Perlo:": the cue is the verb
        return Frame(first.i, first.i + 1, lemma, subject, None, method="inverted_colon",
                     confidence=CONFIDENCE["inverted_colon"], cue_class="direct")
    return _colon_at(name, subject)


def _presented_before_colon(clause: list[Token], lex: Cues) -> Frame | None:
    """A newsletter's way to present a source's words: "Here's Ana Perlo in 1992: '...'",
    "From the report: '...'", "More from Perlo and Ode: '...'" (after a dash, if the line has
    one). The name after "Here's", or the name or document after "from", speaks."""
    cut = max((k for k, t in enumerate(clause) if t.text in _DASHES or t.text == "-"), default=-1)
    words = clause[cut + 1:]
    lowers = [t.lower_ for t in words]
    if len(words) >= 3 and lowers[0] == "here" and lowers[1] in ("’s", "'s", "is"):
        name = list(itertools.takewhile(lambda t: t.pos_ == "PROPN", words[2:]))
        if name and len(name) <= MAX_COLON_NAME_WORDS:
            return _colon_at(words, (name[0].i, name[-1].i + 1))
        return None
    start = 2 if len(words) > 2 and lowers[0] in ("more", "also") and lowers[1] == "from" else 1 if lowers[:1] == ["from"] else 0
    rest = words[start:]
    if not start or not rest or len(rest) > MAX_COLON_NAME_WORDS + 1:
        return None
    head = rest[-1]
    if head.pos_ == "PROPN" and head.is_title or head.pos_ == "NOUN" and head.lemma_.lower() in lex.source_nouns:
        return _colon_at(words, (rest[0].i, head.i + 1))
    return None


def _colon_at(words: list[Token], subject: tuple[int, int]) -> Frame:
    """The colon frame after ``words`` (the colon is the token that follows them)."""
    colon = words[-1].i + 1
    return Frame(colon, colon + 1, ":", subject, None, method="colon", confidence=CONFIDENCE["colon"], cue_class="direct")


# '"...” — Ana Perlo, Ohio': a dash after a quotation's closing mark (on its line, or opening
# the next line), then a name of capitalised words that ends the line or meets a comma
_SIGNATURE = re.compile(r"[ \t\u00a0]*(?:\n[ \t\u00a0\n]*)?([―—–-]{1,2})[ \t\u00a0]*"
                        r"((?:[A-Z][\w’'.-]*)(?:[ \t\u00a0]+[A-Z][\w’'.-]*){0,%d})[ \t\u00a0]*(?=[,(\n]|\.?[ \t\u00a0]*(?:\n|$))"
                        % (MAX_COLON_NAME_WORDS - 1))


def signature_frame(doc: Doc, text: str, after: int) -> Frame | None:
    """The frame of a quotation signed with a dash after its closing mark ('"...” ― Ana
    Perlo', '"..." / -Ana Perlo, Ohio.'): reader letters, pull quotes, epigraphs. ``after`` is
    the offset just past the closing mark. The signing words must hold a proper noun."""
    found = _SIGNATURE.match(text, after)
    if found is None:
        return None
    name = doc.char_span(found.start(2), found.end(2), alignment_mode="expand")
    dash = doc.char_span(found.start(1), found.start(1) + 1, alignment_mode="expand")
    if name is None or dash is None or not len(name) or not any(t.pos_ == "PROPN" for t in name):
        return None
    return _signed(dash[0].i, (name.start, name.end))


def _signed(mark: int, name: tuple[int, int]) -> Frame:
    """A quotation's frame whose cue is the mark that signs it (a dash, a closing mark)."""
    return Frame(mark, mark + 1, "—", name, None, method="signature", confidence=CONFIDENCE["signature"], cue_class="direct")


# A line that signs a pull quote inside its marks holds no more words than this.
MAX_SIGNATURE_WORDS = 12


def signature_inside(doc: Doc, start: int, end: int, close_at: int) -> Frame | None:
    """The frame of a pull quote signed inside its own marks: '“I worry that ... / Dean Baker,
    Center for Policy Research.”'. ``start``/``end`` are the last paragraph's words (it opens
    without a mark), ``close_at`` the closing mark's offset. The line must open with a name
    (two proper nouns, or a person's entity) and hold no verb: a sentence is more of the quote."""
    words = doc.char_span(start, end, alignment_mode="expand")
    mark = doc.char_span(close_at, close_at + 1, alignment_mode="expand")
    if words is None or mark is None or not len(words) or not len(mark) \
            or len(doc.text[start:end].split()) > MAX_SIGNATURE_WORDS:
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    named = words[0].ent_type_ == "PERSON" or len(words) > 1 and words[0].pos_ == "PROPN" and words[1].pos_ == "PROPN"
    if not named:
        return None
    last = words.end
    while last > words.start and doc[last - 1].is_punct:
        last -= 1
    return _signed(mark[0].i, (words.start, last))


def _cue_class(lemma: str, lex: Cues) -> str | None:
    if lemma in lex.reporting:
        return "reporting"
    if lemma in lex.cognition:
        return "cognition"
    if lemma in lex.direct:
        return "direct"
    return None


def _clauseless(lex: Cues) -> tuple[Collection[str], ...]:
    """The word lists of verbs that report without a clause of their own, through their object
    or infinitive (``_reported_without_clause``): findings, verdicts, objects, requests, intentions."""
    return lex.findings.keys(), lex.verdicts, lex.objects.keys(), lex.requests, lex.intention


def verb_cue_lemmas(lex: Cues) -> frozenset[str]:
    """Every lemma ``_verb_frame`` can give a frame for: the cue classes (``_cue_class``), the
    verbs that report without a clause (``_clauseless``), only in an "as" aside or only with
    their particle."""
    return frozenset(lex.reporting | lex.cognition | lex.direct | lex.as_only | lex.particles.keys()).union(*_clauseless(lex))


def _verb_frame(doc: Doc, tok: Token, lex: Cues) -> Frame | None:
    lemma = tok.lemma_.lower()
    cls = _cue_class(lemma, lex)
    as_aside = _as_aside(doc, tok, lex) if cls == "reporting" or lemma in lex.as_only else None
    if cls is None and as_aside is not None:
        cls = "reporting"  # "As Ode put it, ...": "put" reports only so
    particles = lex.particles.get(lemma)
    if particles is not None:
        if not any(c.dep_ in ("prt", "advmod", "prep") and c.lower_ in particles and c.i > tok.i for c in tok.children):
            return None  # "went on to say" is a cue, "went to Karsvik" is not; "shot back", not "shot"
        cls = cls or "reporting"
    aim = _reported_without_clause(doc, tok, lex) if cls is None and any(lemma in words for words in _clauseless(lex)) \
        else None
    if aim is not None:
        cls = "reporting"  # "denounced the arrests as an attack": a cue only with its verdict
    if cls is None:
        return None
    inverted_name = _inverted_after_quote(doc, tok) or _described_signer(doc, tok)
    if inverted_name is None and (tok.dep_ == "amod" or tok.tag_ == "VBN" and tok.dep_ in ("amod", "compound")):
        return None  # "the so-called plan", "a reported deal"
    if tok.tag_ == "VBN" and tok.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in tok.children) \
            and lemma in _DATIVE_LEMMAS:
        return None  # "Asked whether he would resign, the minister replied": the minister was asked
    subject = inverted_name or _subject(tok, lex)
    if cls == "cognition" and subject is not None and doc[subject[0]:subject[1]].text.lower() in lex.cognition_not_by:
        return None  # "you know that ...", "nobody thinks ...": no one's position
    relay_via: list[tuple[tuple[int, int], str]] = []
    method = "ccomp"
    # "X quoted Y as saying ...": Y is the speaker, X relays
    if tok.dep_ == "pcomp" and tok.head.lower_ == "as" and tok.head.head.lemma_.lower() in lex.relay:
        relay = tok.head.head
        obj = next((c for c in relay.children if c.dep_ in ("dobj", "obj")), None)
        if obj is not None:
            subject = _np(obj)
            outer = _subject(relay, lex)
            if outer is not None:
                relay_via.append((outer, "quoted_by"))
            method = "quoted_as_saying"
        elif any(c.dep_ == "nsubjpass" for c in relay.children):
            # "X was quoted as saying ... by Y": the passive subject speaks, the agent relays
            subject = _np(next(c for c in relay.children if c.dep_ == "nsubjpass"))
            agent = next((c for c in (*relay.children, *tok.children) if c.dep_ == "agent"
                          or (c.dep_ == "prep" and c.lower_ == "by")), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if pobj is not None:
                relay_via.append((_np(pobj), "quoted_by"))
            method = "quoted_as_saying"
    # "the Ledger ran the story, citing two officials who said ...": the officials speak, and
    # the one citing them relays
    if tok.dep_ == "relcl" and tok.head.dep_ in ("dobj", "obj") and tok.head.head.lemma_.lower() in ("cite", "quote"):
        citer = _subject(tok.head.head, lex)
        if citer is not None:
            relay_via.append((citer, "quoted_by"))
    content = _content(doc, tok, lex)
    if content is None and method == "quoted_as_saying":
        # "The talks stalled, Lisk was quoted as saying": the clause before, which the parser
        # hung on "quoted"
        relay = tok.head.head
        before = next((c for c in relay.children if c.dep_ == "ccomp" and c.i < relay.i), None)
        if before is not None:
            content = _clause_chars(doc, _clause_tokens(before, lex))
    if content is None and as_aside is not None:
        content, method = as_aside, "as_aside"
    if content is not None and subject is not None and content[0] <= doc[subject[0]].idx < content[1]:
        content = None  # the speaker's own phrase is not what they said (a misparse after an inversion)
    if content is None:
        aim = aim or _reported_without_clause(doc, tok, lex)
        shared = subject is not None and any(t.dep_ == "conj" for t in doc[subject[0]:subject[1]]) or \
            any(c.dep_ in _SUBJECT_DEPS and any(g.dep_ == "conj" for g in c.children) for c in tok.children)
        if aim is not None and not shared:  # "Ode and Lind vowed to ...": an aim of two, no one's words
            content, method = aim
            cls = "reporting" if cls == "direct" else cls  # "called for talks" reports the call
    if content is None and cls != "direct":
        inverted = _inverted_content(doc, tok)
        if inverted is not None:
            content, method = inverted, "inverted"
    if subject is not None and content is not None and content[1] <= doc[subject[0]].idx:
        subject = (_stray_left(doc, subject[0]), subject[1])  # "..., harbour master Ana Ode said": all hers
    if content is None and cls == "reporting":
        cls_eff = "direct"
    else:
        cls_eff = cls
    if cls_eff == "direct":
        method = "direct_only" if method == "ccomp" else method
    if cls == "cognition":
        method = "cognition" if method == "ccomp" else method
    if subject is None and cls_eff != "direct":
        return None
    addressee = _addressee(tok, lemma, lex)
    via = tuple(relay_via) + tuple(_vias(doc, tok, lex, content))
    negated = any(c.dep_ == "neg" for c in tok.children)
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in tok.children):
        return None  # "if they believe ...": a hypothetical, not a report
    end = tok.i + 1
    # multi-word cues: "went on to say", "called on"
    return Frame(
        cue_start=tok.i,
        cue_end=end,
        lemma=lemma,
        subject=subject,
        content=content,
        addressee=addressee,
        via=via,
        method=method,
        confidence=CONFIDENCE.get(method, 0.7),
        cue_class=cls_eff,
        negated=negated,
    )


def _as_aside(doc: Doc, tok: Token, lex: Cues) -> tuple[int, int] | None:
    """"As Ode put it, “...”", "..., as Ode noted": a cue in an aside opened by "as", with a
    subject and no object of its own ("it" for "put"), reports the clause the aside stands in.
    "As she said goodbye" has an object, "as he said he would" a clause: no report."""
    if tok.dep_ != "advcl" or tok.head is tok or not _has_subject(tok):
        return None
    if not any(c.dep_ == "mark" and c.lower_ == "as" and c.i < tok.i for c in tok.children):
        return None
    objects = [c for c in tok.children if c.dep_ in ("dobj", "obj", "ccomp", "xcomp", "attr", "oprd")]
    bare = not objects if tok.lemma_.lower() not in lex.as_only else False
    if not (bare or len(objects) == 1 and objects[0].lower_ == "it"):
        return None
    aside = {t.i for t in tok.subtree}
    return _clause_chars(doc, [t for t in tok.head.subtree if t.i not in aside])


def _np(tok: Token) -> tuple[int, int]:
    """Token span of the noun phrase headed by ``tok``: its subtree without clauses."""
    left, right = tok.i, tok.i
    for child in tok.children:
        if child.dep_ in ("relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis", "appos") and child.i > tok.i:
            continue
        if child.dep_ in ("punct", "advmod") and child.i < tok.i and child.is_punct:
            continue
        if child.dep_ in ("prep", "npadvmod") and any(t.ent_type_ in ("DATE", "TIME") for t in child.subtree):
            continue  # "John Carver ... on Tuesday said": the date is the verb's, not the name's
        sub = list(child.subtree)
        left = min(left, sub[0].i)
        right = max(right, sub[-1].i)
    # a parse that splits a multi-word name ("Maple House deputy spokesman Lee ..."):
    # extend left over adjacent name-like words
    while left > 0 and _name_like(tok.doc[left - 1]) and tok.doc[left - 1].dep_ not in ("dobj", "pobj", "ROOT"):
        left -= 1
    if left > 0 and split_name(tok.doc[left - 1]):
        left -= 1
    doc = tok.doc
    # a noun phrase never runs over a line break: the line before is another paragraph
    # (a date stamp, a headline), whatever the parser hung on the name
    for i in range(tok.i - 1, left - 1, -1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            left = i + 1
            break
    # nor ends on a preposition the parser left it, with its conjunction ("officers with ...
    # but with"; a trailing "and" stays: "the secretary of state and" goes on to the second role)
    while right > left and (doc[right].is_punct or doc[right].is_space or doc[right].pos_ in ("ADP", "SCONJ")):
        joined = doc[right].pos_ == "ADP" and doc[right].dep_ == "conj"
        right -= 1
        if joined and right > left and doc[right].pos_ == "CCONJ":
            right -= 1
    # a trailing "and" the parser left: two roles of one speaker go on to the second ("the
    # secretary of state and candidate for the Senate"); else it goes
    if right > left and doc[right].pos_ == "CCONJ":
        role = next((c for c in tok.children if c.dep_ == "conj" and c.left_edge.i == right + 1 and c.pos_ == "NOUN"), None)
        if role is not None:
            right = _np(role)[1] - 1
        else:
            right -= 1
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return left, right + 1


def _name_like(tok: Token) -> bool:
    return (tok.pos_ in ("PROPN",) or (tok.pos_ == "X" and tok.text[:1].isupper())) and not tok.is_sent_start


# Double quotation marks as tokens: an odd number of them between two tokens puts one inside a
# quotation the other is outside of (single marks are too often apostrophes to count).
_DOUBLE_MARKS = frozenset({'"', "“", "”", "''", "``", "«", "»", "„"})


def _across_quote(a: Token, b: Token) -> bool:
    """One of ``a`` and ``b`` stands inside a quotation that the other is outside of."""
    lo, hi = sorted((a.i, b.i))
    return sum(t.text in _DOUBLE_MARKS for t in a.doc[lo + 1:hi]) % 2 == 1


def _unquoted_subject_before(tok: Token) -> tuple[int, int] | None:
    """The nearest subject before ``tok`` in its sentence outside any quotation: whom a cue
    speaks for when the parser hung it on a verb inside the quotation it introduces ("Reid
    clarified nothing, treating it as praise -- "That makes me smart" -- and asserting, ...")."""
    for t in reversed(tok.doc[tok.sent.start:tok.i]):
        if t.dep_ in _SUBJECT_DEPS and not _across_quote(t, tok) and not _across_quote(t.head, tok):
            return _np(t)
    return None


def _subject(tok: Token, lex: Cues) -> tuple[int, int] | None:
    """The token span naming who speaks through ``tok``.

    Participles and infinitives ("..., adding that", "went on to say", "was reported to have
    said") take the subject of the cue they hang off; relative clauses ("a report that said")
    and participle modifiers ("a report claiming") take the noun they modify.
    """
    recorded = _recorded_speaker(tok, lex)
    if recorded is not None:
        return _np(recorded)
    cur = tok
    # an active verb joined to a passive one shares its subject, not its agent ("officials
    # were angered by the deal and predicted that ...": the officials predict)
    shares_subject = False
    for _ in range(5):
        if cur is not tok and _across_quote(cur, tok):
            return _unquoted_subject_before(tok)  # the climb went into a quotation: not its speaker
        aside = _subject_before_aside(cur)
        if aside is not None:
            return _np(aside)
        # the subject nearest the verb: a bad parse may give it two ("Maple" ... "ho"), one
        # of them a common noun that is the object of a preposition ("officers with ... but
        # with experience in war zones said": the officers; "Special Representative for Ostland
        # Ana Lisk said": the name nearest)
        subjects = [c for c in cur.children if c.dep_ in _SUBJECT_DEPS]
        joined = _subject_joined_to_an_object(cur, subjects)
        if joined is not None:
            return _np(joined)
        apposed = _subject_apposed_to_an_object(cur, subjects)
        if apposed is not None:
            return apposed
        after_preposition = [c for c in subjects if c.pos_ == "NOUN" and c.left_edge.i > 0 and cur.doc[c.left_edge.i - 1].pos_ == "ADP"]
        # "The bridge was called 'a death trap' by Reid", "was told by Reid that ...": the
        # agent of the passive speaks; its subject is what (or whom) the words are about
        agent = next((p for c in cur.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
        if agent is not None and not shares_subject and any(c.dep_ == "nsubjpass" for c in subjects):
            return _np(agent)
        for child in sorted(cur.children, key=lambda c: abs(c.i - cur.i)):
            if child.dep_ in _SUBJECT_DEPS:
                if child in after_preposition and len(after_preposition) < len(subjects):
                    continue
                if child.lower_ in _RELATIVE and cur.dep_ == "relcl":
                    return _np(_relative_antecedent(cur.head, child))
                return _possessor_of_speech(child, lex)
            if child.dep_ == "agent" and not (shares_subject and subjects):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return _np(pobj)
        # '"...," said Ana Ode, who heads the Correct Party.': the parser may give the inverted
        # name to a verb it finds later in the name's clause
        if cur.i == tok.i and cur.dep_ == "ROOT" and tok.i > 0 and tok.doc[tok.i - 1].text in ("”", '"', "’", ",", "'"):
            signer = _signer_before_aside(tok)
            if signer is not None:
                return signer
            after = next((t for t in tok.doc[tok.i + 1:tok.i + 4] if t.dep_ in ("nsubj", "nsubjpass")), None)
            if after is not None and after.pos_ == "PROPN" and after.head.head.i == tok.i and after.head.i > after.i:
                return _np(after)
            # '"...," added another Ostland Republican.': the inverted speaker taken for an object
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj") and c.i > tok.i), None)
            if obj is not None and not _has_subject(tok) and (obj.pos_ == "PROPN" or obj.ent_type_ in _PERSONISH_ENTS) \
                    and obj.right_edge.i + 1 < len(tok.doc) and tok.doc[obj.right_edge.i + 1].text in (".", ","):
                return _np(obj)
        # "Earlier Tuesday, chairman of the panel Ana Ode revealed ...": the parser may file the
        # subject as an apposition of the date before the verb
        dated = next((c for c in cur.children if c.i < cur.i and c.dep_ == "npadvmod" and c.ent_type_ in ("DATE", "TIME")
                      and not _has_subject(cur)), None)
        appos = next((c for c in dated.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")), None) if dated is not None else None
        if appos is not None:
            return _np(appos)
        # "Ms. Varga, keen to use the summit ..., said": the parser hangs the subject on the
        # modifier between it and the verb
        for child in cur.children:
            if child.i < cur.i and child.dep_ in ("ccomp", "advcl", "xcomp") and child.pos_ in ("ADJ", "VERB"):
                sub = next((c for c in child.children if c.dep_ in _SUBJECT_DEPS and c.i < child.i), None)
                # not the subject of a quotation before the verb ('"We've had more," Ode said')
                edge = child.left_edge
                quoted = edge.is_quote or edge.i > 0 and cur.doc[edge.i - 1].is_quote
                # or with no comma, a participle right after its noun ("activists clamoring to
                # block the bill say ...": a reduced relative clause on the subject)
                reduced = child.tag_ == "VBG" and sub is not None and sub.i == child.i - 1 and sub.pos_ in ("NOUN", "PROPN") \
                    and child.right_edge.i == cur.i - 1
                if reduced and not quoted:
                    return sub.left_edge.i, child.right_edge.i + 1  # the description, all its words
                if sub is not None and not quoted and any(t.text == "," for t in cur.doc[sub.i : cur.i]):
                    return _possessor_of_speech(sub, lex)
        if cur.dep_ in ("acl", "relcl") and cur.head.pos_ in ("NOUN", "PROPN"):
            verb = _verb_speaking_through(cur, lex)
            if verb is not None:
                cur = verb
                continue
            return _np(cur.head)  # "a report claiming that ..."
        if cur.dep_ in _CLIMB_DEPS or (cur.dep_ == "ccomp" and cur.head.lemma_ in ("go", "continue", "begin", "appear", "seem")):
            head = cur.head
            shares_subject = cur.dep_ == "conj" and not any(c.dep_ in ("nsubjpass", "auxpass") for c in cur.children)
            # "Ode said the move was made by X and said, ...": a cue the parser joined to a
            # passive reported clause is the reporter's
            if shares_subject and head.dep_ == "ccomp" and _has_subject(head) and lex.any(head.head.lemma_.lower()) \
                    and any(c.dep_ == "auxpass" for c in head.children):
                head = head.head
            # "Ode said it takes time but added, '...'": a cue that goes on joined to the verb
            # of a clause another cue reports goes on with that cue's speaker
            if cur.dep_ == "conj" and cur.lemma_.lower() in lex.continuing and head.dep_ == "ccomp" \
                    and not lex.any(head.lemma_.lower()) and head.head.lemma_.lower() in lex.reporting:
                head = head.head
            # "deflected questions before saying, '...'": past the preposition to its verb
            if cur.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ in lex.subject_prepositions \
                    and head.head.pos_ in ("VERB", "AUX") and head.head is not head:
                head = head.head
            # "went so far as to say", "was quick enough to say": past the adverb the
            # infinitive hangs on, to its verb
            if cur.dep_ in ("advcl", "xcomp") and head.dep_ == "advmod" and head.pos_ in ("ADV", "ADJ") \
                    and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children) \
                    and head.head.pos_ in ("VERB", "AUX") and head.head is not head:
                head = head.head
            # a participle hanging off a reported clause speaks for that clause's reporter
            # (not past an adverbial clause with a subject of its own: "after the tycoon entered
            # the race, calling them ...": the tycoon calls)
            while head.dep_ in ("ccomp", "advcl", "conj") and not lex.any(head.lemma_.lower()) and head.head is not head and cur.dep_ in ("advcl", "conj") and cur.tag_ == "VBG" \
                    and not (head.dep_ == "advcl" and _has_subject(head) and head.i < cur.i):
                head = head.head
            cur = head
            continue
        return (_name_left_of(tok) or _participle_after_clause(tok, lex)) if cur is tok else None
    return None


def _recorded_speaker(tok: Token, lex: Cues) -> Token | None:
    """The name right before a participle cue, recorded in footage or a video ("uses footage of
    Ana Lisk asking, '...'", "a clip of Reid saying that ..."): the name speaks, not who shows
    the record."""
    if tok.tag_ != "VBG" or tok.i == 0:
        return None
    name = tok.doc[tok.i - 1]
    while name.dep_ == "compound" and name.head.i < tok.i and name.head.i > name.i:
        name = name.head
    of = name.head
    person = name.pos_ == "PROPN" or name.pos_ == "PRON" and name.lower_ in ("him", "her", "them", "me", "us")
    if not person or name.dep_ != "pobj" or of.lower_ != "of" or of.head.pos_ != "NOUN":
        return None
    return name if of.head.lemma_.lower() in lex.recordings or of.head.lower_ in lex.recordings else None


def _subject_joined_to_an_object(verb: Token, subjects: list[Token]) -> Token | None:
    """The noun right before ``verb`` that the parser joined to the object of the verb before:
    "The port closed its gates and officials warned that ...", "Ode has won a state and Varga
    suggested ..." (the officials warn, Varga suggests; the parser read "its gates and
    officials" as one object, or "a state and Varga" as one subject)."""
    before = verb.i - 1
    while before > 0 and verb.doc[before].dep_ == "advmod" and verb.doc[before].head.i == verb.i:
        before -= 1
    noun = verb.doc[before]
    if noun.dep_ != "conj" or noun.pos_ not in ("NOUN", "PROPN", "PRON") or noun.i == 0 \
            or not any(c.dep_ == "cc" and c.i < noun.i for c in noun.head.children):
        return None
    first = noun.head
    if not subjects and verb.dep_ == "conj" and first.dep_ in ("dobj", "pobj") and first.head.i < first.i \
            and verb.head in (first.head, first.head.head):
        return noun  # "closed its gates and officials warned"
    if first in subjects and first.left_edge.i > 0 and verb.doc[first.left_edge.i - 1].pos_ == "VERB":
        return noun  # "has won a state and Varga suggested"
    return None


def _subject_apposed_to_an_object(verb: Token, subjects: list[Token]) -> tuple[int, int] | None:
    """"The ministry summoned the ambassador, state news agency Vesta reported.": a sentence's
    last verb with no subject, right after a noun phrase the parser set after a comma as an
    apposition to the object of the clause it reports: that phrase is the subject."""
    doc = verb.doc
    if subjects or verb.dep_ != "ROOT" or verb.i < 3 or verb.i + 1 >= len(doc) or doc[verb.i + 1].text not in (".", "!"):
        return None
    noun = doc[verb.i - 1]
    if noun.dep_ != "appos" or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    top = noun
    while top.head.dep_ == "appos" and top.head.i < top.i:
        top = top.head
    left = top.left_edge.i
    clause = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i), None)
    if left == 0 or doc[left - 1].text != "," or clause is None or top.head.i >= left \
            or not any(a.i == clause.i for a in top.head.ancestors) and top.head.i != clause.i:
        return None
    return left, noun.i + 1


def _verb_speaking_through(clause: Token, lex: Cues) -> Token | None:
    """The verb whose subject speaks through the cue ``clause`` that modifies a noun, where the
    noun cannot speak: an occasion or a reply the verb holds or gives ("held a briefing to say
    that ...", "fired back a response saying ..."); words that only point at a report, the cue
    after a comma ("rejected the notion that it was over, saying ..."; without the comma the
    report speaks: "denied the report saying ..."); any thing, not a document, a verb's or a
    preposition's object, that a participle after a comma follows ("called for a vote, and
    then a second vote, declaring that ...": the caller declares)."""
    noun = clause.head
    if noun.pos_ != "NOUN" or noun.ent_type_:
        return None
    first = noun
    while first.dep_ == "conj" and first.head.pos_ in ("NOUN", "PROPN"):
        first = first.head
    if first.dep_ in ("dobj", "conj"):  # a noun joined to a verb: the parser's slip for its object's
        verb = first.head
    else:
        verb = first.head.head if first.dep_ == "pobj" and first.head.dep_ == "prep" else None
    if verb is None or verb.pos_ not in ("VERB", "AUX") or verb is first:
        return None
    lemma = noun.lemma_.lower()
    after_comma = any(t.text == "," for t in clause.doc[noun.i + 1 : clause.i])
    if lemma in lex.occasions:
        return verb if first.dep_ == "dobj" and verb.lemma_.lower() in lex.occasion_verbs else None
    if lemma in lex.pointers:
        return verb if after_comma and first.dep_ == "dobj" else None
    participle = clause.tag_ == "VBG" and clause.dep_ == "acl"
    return verb if participle and after_comma and lemma not in lex.source_nouns else None


def _after_quote_and_name(doc: Doc, i: int) -> bool:
    """Token ``i`` follows a name (or "he", "she") right after a quotation's closing mark:
    '“...,” Ode replies.'"""
    j = i - 1
    while j > 0 and doc[j].pos_ == "PROPN":
        j -= 1
    return j < i - 1 and doc[j].is_quote and doc[j].i > 0 or (j == i - 1 and doc[j].lower_ in ("he", "she") and j > 0 and doc[j - 1].is_quote)


def _present_cue_as_noun(doc: Doc, tok: Token, lex: Cues) -> Frame | None:
    """'“...,” Ode replies.', '“...,” Ode jokes.': a cue in the present tense after a quotation
    and its speaker, which the tagger took for a plural noun: the name before it speaks."""
    word = tok.lower_
    lemma = lex.inflected_cue(word) if word.endswith("s") else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if lemma is None or nxt is not None and nxt.text not in (".", ",", ";", "!", "?") and not nxt.is_space:
        return None
    start = tok.i - 1
    while start > 0 and doc[start - 1].pos_ == "PROPN":
        start -= 1
    return Frame(tok.i, tok.i + 1, lemma, (start, tok.i), None, method="direct_only",
                 confidence=CONFIDENCE["direct_only"], cue_class="direct")


_SIGNING_PRONOUNS = {"he", "she", "it", "they", "we", "i"}


def _signer_start(doc: Doc, i: int) -> int | None:
    """Where the speaker starts in a quotation's signature ending on token ``i``: a name (with
    an article and an adjective: "an angry Ode"), a pronoun or a short description ("the
    council") right after the closing mark; else None."""
    j = i - 1
    while j > 0 and doc[j].pos_ == "PROPN" and i - j <= 4:
        j -= 1
    if j < i - 1 and j > 1 and doc[j].pos_ == "ADJ" and doc[j - 1].lower_ in ("an", "a", "the"):
        j -= 2  # "an angry Ode retaliated"
    if j == i - 1:
        if doc[j].lower_ in _SIGNING_PRONOUNS:
            j -= 1
        elif doc[j].pos_ == "NOUN":  # "the council", "the Karsvik council", "a spokesman"
            k = j - 1
            while k > 0 and doc[k].pos_ in ("ADJ", "NOUN", "PROPN") and j - k < 2:
                k -= 1
            j = k - 1 if doc[k].lower_ in ("the", "a", "an") else j
    return j + 1 if j < i - 1 and j > 0 and doc[j].is_quote else None


def _signature_by_position(doc: Doc, tok: Token) -> Frame | None:
    """'“Would it be negotiable?” Ode pressed.', '"...," he surmised.': a past-tense verb that
    gives no frame by its lemma, right after a quotation that ends on a comma, a question or an
    exclamation mark and its speaker (a name, a pronoun, a short description: ``_signer_start``),
    and ending the sentence or its signature: the position says it is speech. The words
    between the closing mark and the verb speak."""
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    start = _signer_start(doc, tok.i)
    if start is None or nxt is not None and nxt.text not in (".", ",", ";", "!", "?") and not nxt.is_space:
        return None
    mark = doc[start - 1]
    if mark.i == 0 or doc[mark.i - 1].text not in (",", "?", "!", "—", "-"):
        return None
    # the quotation is a sentence of its own: it opens the paragraph or follows one that ended
    # ('Known as “the Rock,” Ode retired.' is a name)
    opening = next((t for t in reversed(doc[max(0, mark.i - 200):mark.i - 1]) if t.is_quote), None)
    if opening is None:
        return None
    before = doc[opening.i - 1] if opening.i > 0 else None
    if before is not None and not (before.is_space or "\n" in before.whitespace_ or before.text in (".", "?", "!", ":", "”", '"')):
        return None
    return Frame(tok.i, tok.i + 1, tok.lemma_.lower(), (start, tok.i), None, method="after_quote",
                 confidence=CONFIDENCE["after_quote"], cue_class="direct")


def _inverted_after_quote(doc: Doc, tok: Token) -> tuple[int, int] | None:
    """'"Debate recap," tweeted campaign spokesman Rafe Kollin.': a cue right after a quotation's
    closing mark and its comma that the parser took for a modifier of the name after it: the
    name (from the cue to the noun it modifies) is the subject."""
    if tok.dep_ not in ("amod", "compound") or tok.i < 2 or not doc[tok.i - 1].is_quote \
            or doc[tok.i - 2].text not in (",", "?", "!"):
        return None
    head = tok.head
    while head.dep_ in ("compound", "amod") and head.head.i > head.i:
        head = head.head
    if head.i <= tok.i or head.pos_ != "PROPN" or any(t.is_punct for t in doc[tok.i + 1:head.i + 1]):
        return None
    return tok.i + 1, head.i + 1


# How many words a description that signs a quotation may hold ("the 71-year-old").
MAX_SIGNER_WORDS = 8


def _described_signer(doc: Doc, tok: Token) -> tuple[int, int] | None:
    """'"...," the 71-year-old told supporters': a cue after a quotation's closing mark and a
    short description opened by an article that the parser took for a modifier of the noun
    after it ("told" as an adjective of "supporters"): the description is the subject. Not a
    modifier after a hyphen or an adverb ("the so-called plan", "the widely reported deal")."""
    if tok.dep_ not in ("amod", "compound") or tok.i < 3 or tok.head.i <= tok.i:
        return None
    start = next((t.i + 1 for t in reversed(doc[max(0, tok.i - MAX_SIGNER_WORDS - 1):tok.i]) if t.is_quote), None)
    if start is None or start < 2 or doc[start - 2].text not in (",", "?", "!") or start >= tok.i - 1:
        return None
    words = doc[start:tok.i]
    if words[0].lower_ not in ("the", "a", "an") or words[-1].pos_ not in ("NOUN", "PROPN", "ADJ") \
            or any(t.pos_ not in ("DET", "NUM", "ADJ", "NOUN", "PROPN") and t.tag_ != "HYPH" for t in words):
        return None
    return start, tok.i


def _participle_after_clause(tok: Token, lex: Cues) -> tuple[int, int] | None:
    """"Juno Marsh shared the news last week, writing '...'": a participle cue after a comma that the
    parser hung inside the quotation it opens speaks with the subject of the sentence's verb
    before the comma."""
    doc = tok.doc
    if tok.tag_ != "VBG" or tok.i < 2 or doc[tok.i - 1].text != "," or tok.head.i < tok.i:
        return None
    verb = next((t for t in doc[tok.sent.start:tok.i - 1] if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")), None)
    subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS and c.i < verb.i), None) if verb is not None else None
    return _possessor_of_speech(subject, lex) if subject is not None else None


# How many words a signer's aside before its verb may hold ('"...," Ode, wearing ..., said').
MAX_ASIDE_WORDS = 20


def _signer_before_aside(verb: Token) -> tuple[int, int] | None:
    """'“...,” Texas delegate Ana Ode, wearing a cowboy hat, said as ...': a verb the parser
    left without a subject after a quotation's signature and a comma-bounded aside that opens
    with a participle or "who": the name right after the closing mark (titles and words of
    description before it, a proper noun last) speaks."""
    doc = verb.doc
    if verb.tag_ not in ("VBD", "VBZ") or _has_subject(verb) or doc[verb.i - 1].text != ",":
        return None
    lo = max(verb.sent.start, verb.i - MAX_ASIDE_WORDS - 2)
    for comma in range(verb.i - 2, lo, -1):
        if doc[comma].text != ",":
            continue
        opener = doc[comma + 1]
        if not (opener.tag_ in ("VBG", "VBN") or opener.lower_ in ("who", "whose")):
            continue
        j = comma - 1
        while j > lo and doc[j].pos_ in ("PROPN", "NOUN", "ADJ") and comma - j <= MAX_COLON_NAME_WORDS + 1:
            j -= 1
        if j < comma - 1 and doc[comma - 1].pos_ == "PROPN" and doc[j].is_quote and j > 0 \
                and doc[j - 1].text in (",", "?", "!"):
            return j + 1, comma
        # '"...," the minister, speaking on condition that he not be named, told the Herald':
        # a description opened by an article signs as well
        if j < comma - 1 and doc[comma - 1].pos_ == "NOUN" and doc[j].lower_ in ("the", "a", "an") and j > 1 \
                and doc[j - 1].is_quote and doc[j - 2].text in (",", "?", "!"):
            return j, comma
    return None


def _name_left_of(verb: Token) -> tuple[int, int] | None:
    """"As part of his plea, Marcel Lazar, 44, said that ...": a finite verb the parser left
    without a subject, right after a name that it hung elsewhere (an apposition of the
    phrase before): the name, with only commas and an age between, is the subject."""
    doc = verb.doc
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i == 0:
        return None
    i = verb.i - 1
    while i > verb.sent.start and (doc[i].text == "," or doc[i].like_num and doc[i].dep_ in ("appos", "npadvmod", "nummod")):
        i -= 1
    name = doc[i]
    if name.pos_ != "PROPN" or name.dep_ not in ("appos", "pobj", "conj") or name.i == verb.i - 1:
        return None
    return _np(name)


_DASHES = ("--", "—", "–")


def _subject_before_aside(verb: Token) -> Token | None:
    """"Brandt -- the firm's former chief -- admitted ...": a dash-bounded aside between a
    name and its verb can leave the verb without a subject in the parse; the name before the
    aside is it."""
    doc = verb.doc
    if _has_subject(verb) or verb.i < 4 or doc[verb.i - 1].text not in _DASHES or verb.tag_ not in ("VBD", "VBN", "VBZ"):
        return None
    opening = next((i for i in range(verb.i - 2, max(0, verb.i - 15), -1) if doc[i].text in _DASHES), None)
    if opening is None or opening == 0:
        return None
    name = doc[opening - 1]
    if name.pos_ != "PROPN" or any(t.is_sent_start for t in doc[opening:verb.i + 1]):
        return None
    return name


def _relative_antecedent(head: Token, relative: Token) -> Token:
    """The noun a relative "who" speaks for. The parser may hang "who claimed" on the nearest
    noun even when that is a time or a place inside a prepositional phrase ("women who were
    teenagers at the time who claimed"): "who" names a person, so past a common noun that no
    entity marks as one, the noun the phrase belongs to. A "which" on a date is the thing the
    date's phrase belongs to: "released her records in July, which showed" (the records)."""
    # a date never speaks: "released her records in July, which showed ...": the records show
    if relative.lower_ in ("which", "that") and head.ent_type_ in ("DATE", "TIME") and head.dep_ == "pobj" \
            and head.head.dep_ == "prep":
        above = head.head.head
        if above.pos_ in ("NOUN", "PROPN"):
            return above
        obj = next((c for c in above.children if c.dep_ == "dobj"), None) if above.pos_ in ("VERB", "AUX") else None
        return obj if obj is not None else head
    if relative.lower_ not in ("who", "whom") or head.pos_ != "NOUN" or head.ent_type_ in _PERSONISH_ENTS:
        return head
    cur = head
    while cur.dep_ == "pobj" and cur.head.dep_ == "prep":
        above = next((a for a in cur.head.ancestors if a.pos_ in ("NOUN", "PROPN")), None)
        if above is None:
            return head
        cur = above
    return cur


def _possessor_of_speech(tok: Token, lex: Cues) -> tuple[int, int]:
    """"Ode's comments echoed ...": the possessor of a speech noun is the speaker.
    A date or time as the subject ("Earlier Friday, chairman of the panel Ana Ode revealed"):
    the parser's subject is the date; the speaker is the phrase in apposition to it."""
    if tok.ent_type_ in ("DATE", "TIME"):
        appos = next((c for c in tok.children if c.dep_ == "appos" and c.ent_type_ not in ("DATE", "TIME")), None)
        if appos is not None:
            return _np(appos)
    if tok.lemma_.lower() in lex.source_nouns or tok.lemma_.lower() in ("comment", "remark", "word", "speech", "testimony", "view"):
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is not None and poss.pos_ != "PRON":
            start, end = _np(poss)
            return start, end - 1 if end - 1 > start and tok.doc[end - 1].dep_ == "case" else end  # "the mayor('s)"
    return _np(tok)


def _clause_chars(doc: Doc, toks: list[Token]) -> tuple[int, int] | None:
    """Character span of a clause's tokens, without a leading ``that``/punctuation.

    A closing quotation mark right after the clause belongs to it (a partial quote that
    ends the clause), the sentence's final period does not.
    """
    toks = sorted(toks, key=lambda t: t.i)
    # "said that the army had withdrawn", the parser taking "that" for an object: a "that"
    # right before its clause's subject opens the clause
    if len(toks) > 1 and toks[0].lower_ == "that" and toks[0].dep_ in ("dobj", "obj", "advmod") \
            and toks[0].head.i > toks[0].i \
            and any(c.dep_ in _SUBJECT_DEPS and c.left_edge.i == toks[0].i + 1 for c in toks[0].head.children):
        toks = toks[1:]
    # "noted, however, that turnout was low": after a comma, a "that" the parser took for the
    # subject's determiner opens the clause too
    elif len(toks) > 1 and _that_read_as_determiner(toks[0]):
        toks = toks[1:]
    while toks and (toks[0].is_punct and toks[0].text not in "\"“‘'«" or toks[0].is_space or (toks[0].lower_ == "that" and (toks[0].dep_ == "mark" or toks[0].pos_ == "SCONJ"))):
        toks = toks[1:]
    while toks and (toks[-1].is_space or (toks[-1].is_punct and toks[-1].text not in "\"”’'»)") or toks[-1].lower_ in ("and", "but", "or")):
        toks = toks[:-1]
    if not toks:
        return None
    start = toks[0].idx
    end = toks[-1].idx + len(toks[-1])
    return start, end


def _opening_that(doc: Doc, clause: Token, after: int) -> Token | None:
    """The "that" that opens ``clause`` after token ``after``: its "that" mark, or after a comma
    a "that" the parser took for the subject's determiner ("said, citing two surveys, that
    turnout had fallen")."""
    mark = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that" and after < c.i < clause.i), None)
    if mark is not None:
        return mark
    return next((t for t in doc[after + 1:clause.i] if _that_read_as_determiner(t) and t.head.head.i == clause.i), None)


def _that_read_as_determiner(t: Token) -> bool:
    """A "that" after a comma that the parser took for the determiner of a clause's subject:
    it opens the clause ("noted, however, that turnout was low")."""
    return t.lower_ == "that" and t.dep_ == "det" and t.i > 0 and t.doc[t.i - 1].text == "," \
        and t.head.dep_ in _SUBJECT_DEPS


def _content(doc: Doc, tok: Token, lex: Cues) -> tuple[int, int] | None:
    """The clause a cue reports: its clausal complement, the one after the verb first."""
    comps = [c for c in tok.children if c.dep_ == "ccomp" or (c.dep_ == "parataxis" and c.i > tok.i and _has_subject(c))]
    comps.sort(key=lambda c: (c.i < tok.i, c.i))
    if comps:
        toks = _clause_tokens(comps[0], lex)
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj") and tok.i < c.i < comps[0].i), None)
        if obj is not None and not _has_subject(comps[0]) and obj.right_edge.i + 1 == toks[0].i \
                and obj.pos_ in ("NOUN", "PROPN") \
                and (comps[0].tag_ in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") for c in comps[0].children)):
            # "warned the dam would destroy the valley": the parser took the clause's subject
            # for the cue's object
            toks = list(obj.subtree) + toks
        subject = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None) if comps[0].i < tok.i else None
        if subject is not None:  # "..., harbour master Ana Ode said": "harbour" is the speaker's
            stray = _stray_left(doc, subject.left_edge.i)
            toks = [t for t in toks if not stray <= t.i < subject.left_edge.i]
        apposed = _subject_apposed_to_an_object(tok, []) if comps[0].i < tok.i and subject is None else None
        if apposed is not None:  # "..., state news agency Vesta reported.": the subject is no part of it
            toks = [t for t in toks if t.i < apposed[0] - 1]
        if comps[0].i > tok.i and tok.dep_ == "relcl":
            # "a list, which the campaign says includes ...": the relative word before the
            # cue stands for the antecedent; what was said is the rest
            toks = [t for t in toks if t.i > tok.i]
        # "reported, citing unnamed officials, that the talks had collapsed": the parser hangs an
        # aside before the clause's "that" on the clause; what was said starts after the "that"
        head = comps[0]
        that = _opening_that(doc, head, tok.i) if head.i > tok.i else None
        if that is not None:
            toks = [t for t in toks if t.i > that.i]
        # "said on Friday it had no information": a date between the cue and the clause's
        # subject, with no "that" before it, dates the saying, not what was said
        subj = next((c for c in head.children if c.dep_ in _SUBJECT_DEPS), None)
        if subj is not None and not any(c.dep_ == "mark" and c.i < subj.i for c in head.children):
            dated = {t.i for c in head.children if c.dep_ in ("prep", "npadvmod") and tok.i < c.i < subj.i
                     and any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree) for t in c.subtree}
            toks = [t for t in toks if t.i not in dated]
        skip = {t.i for c in _that_conjuncts(comps[0]) for t in c.subtree}
        if skip:
            # "that X but that Y": two reports; this one is X, ``more_contents`` gives Y
            first = min(skip)
            skip |= {t.i for t in doc[first - 1 : first] if t.dep_ == "cc" or t.is_punct}
            skip |= {t.i for t in comps[0].children if t.dep_ == "cc" and t.i < first + 1}
        return _clause_chars(doc, [t for t in toks if t.i not in skip])
    # "said seeing so many officers there was a relief": the parser took a gerund that is the
    # clause's subject for the cue's complement, and the clause's verb for the gerund's
    gerund = next((c for c in tok.children if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i == tok.i + 1), None) \
        if tok.lemma_.lower() in lex.reporting else None
    verb = next((c for c in gerund.children if c.dep_ == "ccomp" and c.i > gerund.i
                 and any(x.dep_ in _SUBJECT_DEPS and gerund.i < x.i < c.i for x in c.children)), None) \
        if gerund is not None else None
    if verb is not None:
        return _clause_chars(doc, list(doc[gerund.i : max(gerund.right_edge.i, verb.right_edge.i) + 1]))
    # "said after the convention he would not accept ...": the parser took the clause for an
    # adverbial of the cue; one with a subject and no conjunction of its own is what was said
    if lex.reporting and tok.lemma_.lower() in lex.reporting:
        clause = next((c for c in tok.children if c.dep_ == "advcl" and c.i > tok.i and c.pos_ in ("VERB", "AUX")
                       and not any(m.dep_ in ("mark", "advmod") and m.i < c.i for m in c.children)
                       and c.tag_ != "VBG"), None) \
            if not any(c.dep_ in ("dobj", "obj") for c in tok.children) else None
        subj = next((x for x in clause.children if x.dep_ in ("nsubj", "nsubjpass") and x.i < clause.i), None) \
            if clause is not None else None
        if clause is not None and subj is not None and not any(t.is_punct for t in doc[tok.i + 1:subj.i]):
            toks = [t for t in _clause_tokens(clause, lex) if t.i >= subj.left_edge.i]
            return _clause_chars(doc, toks)
    # a parse that leaves the clause beside the cue: "officials who said Doe -- ... --
    # acknowledged ...", "a report claiming the mayor directed ..."
    for t in doc[tok.i + 1 : min(len(doc), tok.i + 3)]:
        if t.is_punct or t.is_sent_start:
            break
        head = t.head
        if t.dep_ in ("nsubj", "nsubjpass") and head.i > t.i and head.pos_ in ("VERB", "AUX") and head is not tok \
                and tok not in head.subtree and head.dep_ not in ("relcl", "acl"):
            right = max(head.right_edge.i, tok.right_edge.i)
            return _clause_chars(doc, [x for x in doc[t.left_edge.i : right + 1]])
        # "officials who said Brandt -- its former chief -- admitted that ...": the name taken for
        # the cue's object is the subject of the verb after the aside
        verb = next((v for v in doc[t.i + 2 : min(len(doc), t.i + 16)] if (named := _subject_before_aside(v)) is not None
                     and named.i == t.i), None) if t.dep_ == "dobj" and t.pos_ == "PROPN" else None
        if verb is not None:
            return _clause_chars(doc, [x for x in doc[t.left_edge.i : verb.right_edge.i + 1]])
    # a parse that hangs "that ..." off a word between: "said after holding talks that ..."
    for t in doc[tok.i + 1 : min(len(doc), tok.i + 25)]:
        if t.is_sent_start:
            break
        # (or, taken for a relative clause's, off the object of a preposition of the cue: "told
        # reporters on a call that ..."; not off an object's noun: "pressed his claim that ...")
        # A "that" the parser made the relative's object where its verb can take none (a
        # passive, a copula, a verb with an object or a complement of its own: "told reporters
        # at the briefing that the convoy had been delayed") is no relative word either.
        gapless = t.dep_ in ("dobj", "obj") and (t.head.lemma_ == "be" or any(
            c.dep_ in ("nsubjpass", "auxpass", "dobj", "obj", "attr", "acomp") and c.i != t.i
            for c in t.head.children))
        # (not after "of": "thought of the prospects that ..." is the noun's clause)
        gapless = gapless and t.head.head.head.lower_ != "of"
        misread = (t.dep_ == "mark" or gapless) and t.head.dep_ == "relcl" and t.head.head.dep_ == "pobj" \
            and t.head.head.head.head.i == tok.i
        if t.lower_ == "that" and (t.pos_ == "SCONJ" or misread) and t.head.pos_ in ("VERB", "AUX") and t.head.i > t.i and _has_subject(t.head):
            if tok in t.head.ancestors or t.head in tok.subtree:
                return _clause_chars(doc, _clause_tokens(t.head, lex))
    return None


def _stated_aim(doc: Doc, tok: Token, lex: Cues) -> tuple[tuple[int, int], str] | None:
    """What an intention or a call reports when it has no clause: "vowed to rebuild every
    school" (the infinitive, ``lex.intention``), "urged both sides to talk" (with its object),
    "called for a ceasefire" (the object of the verb's preposition, ``lex.calls``)."""
    lemma = tok.lemma_.lower()
    if lemma in lex.intention:
        inf = next((c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i and c.pos_ in ("VERB", "AUX")
                    and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
        if inf is not None and inf.lemma_ in lex.anonymity and any(a.dep_ == "auxpass" for a in inf.children):
            return None  # "a spokesman, who declined to be named, said": how one speaks, no aim
        if inf is not None:
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj") and tok.i < c.i < inf.i), None)
            first = obj.left_edge.i if obj is not None else inf.left_edge.i
            span = _clause_chars(doc, [t for t in _clause_tokens(inf, lex) if t.i >= first] if obj is None
                                 else list(doc[first:inf.i]) + _clause_tokens(inf, lex))
            return (span, "stated_aim") if span is not None else None
    if lemma in lex.verdicts:
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj") and c.i > tok.i), None)
        as_ = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > tok.i), None)
        if as_ is None and obj is not None:  # the parser may hang "as ..." on the object
            as_ = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        if obj is not None and as_ is not None and any(c.dep_ == "pobj" for c in as_.children):
            span = _clause_chars(doc, list(doc[obj.left_edge.i:as_.right_edge.i + 1]))
            return (span, "verdict") if span is not None else None
        # "described the dinner as Washington celebrating itself": the parser's "as" may open a
        # clause of its own
        as_clause = next((c for c in tok.children if c.dep_ in ("advcl", "acl") and obj is not None and c.i > obj.i
                          and doc[c.left_edge.i].lower_ == "as" and doc[c.left_edge.i].dep_ in ("mark", "prep")), None)
        if obj is not None and as_clause is not None:
            span = _clause_chars(doc, list(doc[obj.left_edge.i:as_clause.right_edge.i + 1]))
            return (span, "verdict") if span is not None else None
    request = _request(doc, tok, lex)
    if request is not None:
        return request
    preps = lex.calls.get(lemma, ())
    if tok.tag_ == "VBN" and tok.dep_ == "acl":
        preps = ()  # "a class called Perception on her page": a name, no call
    pp = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in preps and c.i > tok.i
               and not _dated(c, lex)), None)
    pobj = next((c for c in pp.children if c.dep_ in ("pobj", "pcomp")), None) if pp is not None else None
    if pobj is not None:
        # "called on both sides to talk": the infinitive hung on the verb goes with its object
        inf = next((c for c in tok.children if c.dep_ == "xcomp" and c.i > pobj.i), None)
        span = _clause_chars(doc, list(pobj.subtree) + (list(inf.subtree) if inf is not None else []))
        return (span, "stated_aim") if span is not None else None
    return None


def _dated(pp: Token, lex: Cues) -> bool:
    """"on Monday", "on the eve of the vote": a preposition that dates the act, not its target."""
    pobj = next((c for c in pp.children if c.dep_ == "pobj"), None)
    return pobj is not None and (pobj.ent_type_ in ("DATE", "TIME") or pobj.lemma_.lower() in lex.times)


def _request(doc: Doc, tok: Token, lex: Cues) -> tuple[tuple[int, int], str] | None:
    """"asked the board to resign", "told its members to stay home" (``lex.requests``): the
    object with its infinitive. Not in the passive: "was asked to resign" reports no request of
    the subject's."""
    if tok.lemma_.lower() not in lex.requests or any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return None
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj", "dative") and c.i > tok.i), None)
    inf = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and obj is not None and c.i > obj.i
                and c.pos_ in ("VERB", "AUX") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
    if obj is None and inf is None:
        # the parser may hang the infinitive on the object: "asked the board to resign"
        return None
    if inf is None:
        inf = next((c for c in obj.children if c.dep_ in ("acl", "relcl") and c.i > obj.i and c.pos_ in ("VERB", "AUX")
                    and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
        if inf is None:
            return None
        toks = [t for t in obj.subtree]
    else:
        toks = list(obj.subtree) + _clause_tokens(inf, lex)
    span = _clause_chars(doc, toks)
    return (span, "request") if span is not None else None


def _reported_without_clause(doc: Doc, tok: Token, lex: Cues) -> tuple[tuple[int, int], str] | None:
    """What a cue reports when it has no clause: a stated aim, a verdict or a call
    (``_stated_aim``), else its object (``_reported_object``)."""
    return _stated_aim(doc, tok, lex) or _reported_object(doc, tok, lex)


def _reported_object(doc: Doc, tok: Token, lex: Cues) -> tuple[tuple[int, int], str] | None:
    """What a speech act reports through its object (``lex.objects``): "denied the
    allegations", "accused the mayor of lying" (the object with its listed preposition),
    "called the plan a mistake" (the object with what it was called, for naming verbs too).
    A bare name or pronoun is no report without its preposition ("criticized Ode"), nor is a
    noun that points at someone else's words ("denied the report", ``lex.pointers``)."""
    lemma = tok.lemma_.lower()
    named = next((c for c in tok.children if c.dep_ == "oprd" and c.i > tok.i), None)
    if lemma in lex.findings and lemma not in lex.objects:
        # "the poll showed Mr. Ode with a lead", "the emails showed the overlap ...": what a
        # document finds; a person who shows something does an act
        who = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if who is None or who.lemma_.lower() not in lex.source_nouns:
            return None
    elif lemma not in lex.objects and (named is None or lemma not in lex.direct):
        return None
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj") and c.i > tok.i), None)
    if obj is None:
        return None
    if any(c.dep_ == "aux" and (c.lower_ == "to" or c.tag_ == "MD") for c in tok.children):
        return None  # "is expected to announce ...", "will announce ...": not done yet
    end = obj.right_edge.i
    preps = lex.objects.get(lemma, lex.findings.get(lemma, ()))
    pp = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in preps and c.i > obj.i), None) \
        or next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in preps), None)
    of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    part_of = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if obj.lemma_.lower() in lex.pointers or part_of is not None and part_of.lemma_.lower() in lex.pointers:
        return None  # "denied the report", "disputed parts of the report": someone else's words
    if any(c.dep_ == "det" and "Dem" in c.morph.get("PronType") for c in obj.children):
        return None  # "acknowledged those instructions": it points back at what was told before
    if named is not None:
        # 'called the plan "a costly mistake"': the object with what it was called, a mixed
        # report when the naming is quoted, as "said the plan was 'a costly mistake'" is
        end = max(end, named.right_edge.i)
    elif pp is not None:
        end = max(end, pp.right_edge.i)
    elif preps and lemma not in lex.findings or all(t.pos_ in ("PRON", "PROPN", "DET", "PUNCT") or t.dep_ in ("poss", "case") for t in obj.subtree):
        # a verb with prepositions names its target in the object and its claim in the
        # preposition ("criticized the board for cutting pensions"): the target alone says
        # nothing ("criticized the board"); nor does a bare name ("disputed it")
        return None
    span = _clause_chars(doc, list(doc[obj.left_edge.i : end + 1]))
    return (span, "object") if span is not None else None


# Adverbs that mark a participle as the narrator's gloss: ", apparently referring to ...".
_HEDGES = {"apparently", "seemingly", "presumably", "possibly", "perhaps", "likely", "probably"}


def _clause_tokens(head: Token, lex: Cues) -> list[Token]:
    """A reported clause's tokens, without trailing adjuncts that are the narrator's:
    "..., apparently referring to ...", "..., even as ..."."""
    drop: set[int] = set()
    for child in head.children:
        if child.i <= head.i or child.dep_ not in ("advcl", "acl", "xcomp", "conj"):
            continue
        before = head.doc[child.left_edge.i - 1] if child.left_edge.i > 0 else None
        # '... by the summer,” referring to ...': the comma inside a closing quotation mark
        after_quote = before is not None and before.text in ("”", '"', "’") and child.left_edge.i > 1 \
            and head.doc[child.left_edge.i - 2].text == ","
        if before is None or (before.text != "," and not after_quote):
            continue
        marks = [c.lower_ for c in child.children if c.dep_ in ("mark", "advmod") and c.i < child.i]
        narrator = "while" in marks or ("as" in marks and "even" in marks) or "whereas" in marks
        hedged = any(c.lower_ in _HEDGES for c in child.children)
        participle = child.tag_ == "VBG" and child.dep_ in ("advcl", "acl", "xcomp", "conj")
        # a participle after a partial quote has closed is the narrator's gloss on it
        if (participle and (lex.any(child.lemma_.lower()) or hedged or after_quote)) or narrator:
            drop |= {t.i for t in child.subtree} | {before.i}
    for t in head.subtree:
        # a report of its own inside the clause is not part of it: "said A, and more than 4 in
        # 10 said B", "said A but did not suggest B", "a finish that he said defied ..."
        if t.i > head.i and t.i not in drop and t.dep_ in ("conj", "relcl") and t.pos_ == "VERB" \
                and t.lemma_.lower() in lex.reporting and any(c.dep_ in ("ccomp", "parataxis") for c in t.children) \
                and not _describes_antecedent(t):
            first = t.left_edge.i if t.dep_ == "conj" else t.i
            cut = {x.i for x in t.subtree if x.i >= first}
            if t.dep_ == "conj":
                cut |= {c.i for c in head.doc[max(head.i, first - 2):first] if c.dep_ == "cc" or c.is_punct}
            else:
                cut |= {x.i for x in t.subtree}
            drop |= cut
        elif t.dep_ == "conj" and t.head.i == head.i and t.i not in drop and t.tag_ == "VBD" and head.tag_ != "VBD" and lex.any(t.lemma_.lower()) \
                and _has_subject(head) and not _has_subject(t) and not any(c.dep_ in ("aux", "auxpass") for c in t.children):
            # "said it stands by its reporting and asked the office to ...": a second act of the
            # speaker's that the parser hung on the clause, not part of what was said
            first = t.left_edge.i
            drop |= {x.i for x in t.subtree if x.i >= first}
            drop |= {c.i for c in head.doc[max(head.i, first - 2):first] if c.dep_ == "cc" or c.is_punct}
    kept = [t for t in head.subtree if t.i not in drop]
    tail = _narrator_tail(head, kept, lex)
    return [t for t in kept if t.i not in tail] if tail else kept


def _describes_antecedent(verb: Token) -> bool:
    """"a leader who says what she thinks": a relative clause whose relative word is its
    subject describes the noun it hangs on, as part of the clause that holds it; in "a finish
    that he said defied ..." the relative clause is a report of its own."""
    return verb.dep_ == "relcl" and any(c.dep_ in _SUBJECT_DEPS and c.lower_ in _RELATIVE for c in verb.children)


def narrator_tail(tok: Token, lex: Cues) -> Token | None:
    """The last token of a narrator's aside that ``tok`` begins, or None.

    ``tok`` comes right after a comma that closes a reported clause. An aside is a
    non-restrictive relative clause (", which is spread by mosquitoes"), an apposition that
    describes with a clause of its own (", a plan he has since modified"), or a new clause with
    its own subject after "and" / "but" (", and his rival has made it a theme"): what a writer
    adds after the speaker's words, not what the speaker said. It ends its sentence; one that
    quotes or reports ("who he said 'led me astray'") is the speaker's."""
    end: Token | None = None
    if tok.lower_ in _RELATIVE_WORDS and tok.head.dep_ == "relcl" and tok.head.left_edge.i == tok.i:
        end = tok.head.right_edge
    elif tok.dep_ == "cc" and tok.lower_ in ("and", "but"):
        conj = next((c for c in tok.head.children if c.dep_ == "conj" and c.i > tok.i
                     and c.left_edge.i == tok.i + 1 and c.pos_ in ("VERB", "AUX") and _has_subject(c)
                     and not any(m.dep_ == "mark" for m in c.children)), None)  # "and that ...": said too
        end = conj.right_edge if conj is not None else None
    else:
        appos = tok if tok.dep_ == "appos" else next(
            (t for t in tok.ancestors if t.dep_ == "appos" and t.left_edge.i == tok.i), None)
        if appos is not None and appos.head.dep_ in ("dobj", "pobj", "obj") \
                and any(c.dep_ in ("relcl", "acl") for c in appos.children):
            end = appos.right_edge
    if end is None:
        return None
    doc = tok.doc
    after = next((t for t in doc[end.i + 1 : tok.sent.end] if not t.is_space), None)
    if after is not None and after.text not in (".", "!", "?", ";"):
        return None  # the sentence goes on: "a tape, which was released last fall, was ..."
    aside = doc[tok.i : end.i + 1]
    if any(t.is_quote for t in aside) or any(t.pos_ == "VERB" and lex.any(t.lemma_.lower()) for t in aside):
        return None
    return end


_RELATIVE_WORDS = frozenset({"which", "who", "whose", "whom"})


def _narrator_tail(head: Token, kept: list[Token], lex: Cues) -> set[int]:
    """The tokens of a narrator's aside (``narrator_tail``) that ends a reported clause, with
    the comma before it. The same words inside the clause ("the bill, which passed Monday, is
    dead") are the speaker's."""
    doc = head.doc
    ends = [t for t in kept if not (t.is_punct or t.is_space)]
    if not ends:
        return set()
    last = ends[-1].i
    for t in kept:
        if t.i <= head.i + 1 or doc[t.i - 1].text != ",":
            continue
        end = narrator_tail(t, lex)
        if end is not None and end.i >= last:
            return set(range(t.i - 1, end.i + 1))
    return set()


# Conjunctions that join two that-clauses into one report: "said that X, and that Y" is one
# account; "said that X but that Y" sets two claims against each other.
_JOINING_CONJUNCTIONS = {"and", "or", "nor"}


def _that_conjuncts(head: Token) -> list[Token]:
    """Conjoined clauses with their own "that" that are reports of their own: "said that X but
    that Y" -> [Y's verb]. After "and" the second "that" goes on with the same report."""
    out = []
    for c in head.children:
        if c.dep_ != "conj" or c.i <= head.i or not any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            continue
        cc = max((x for x in head.children if x.dep_ == "cc" and x.i < c.i), key=lambda x: x.i, default=None)
        if cc is None or cc.lower_ not in _JOINING_CONJUNCTIONS:
            out.append(c)
    return out


def more_contents(doc: Doc, tok: Token, lex: Cues) -> list[tuple[int, int]]:
    """The further "that" clauses of a cue whose complement is split in two or more."""
    comps = [c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i]
    if not comps:
        return []
    out = []
    for conj in _that_conjuncts(comps[0]):
        span = _clause_chars(doc, _clause_tokens(conj, lex))
        if span is not None:
            out.append(span)
    return out


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in _SUBJECT_DEPS for c in tok.children)


def _stray_left(doc: Doc, left: int) -> int:
    """Where a speaker's phrase really starts, when the tagger split a role word off it after
    the comma of an inversion ("..., harbour master Ana Ode said", "harbour" taken for a verb):
    one or two lower-case words between a comma and ``left`` belong to the speaker, not to
    what was said."""
    if doc[left].dep_ != "compound":
        return left  # the phrase starts with a word of its own ("a third", "while officials")
    j = left
    while j > 0 and left - j < 2 and doc[j - 1].is_lower and doc[j - 1].is_alpha and doc[j - 1].pos_ in ("NOUN", "VERB", "ADJ") \
            and not doc[j - 1].n_lefts + doc[j - 1].n_rights:  # a split-off word governs nothing
        j -= 1
    return j if j < left and j > 0 and doc[j - 1].text == "," else left


def _inverted_content(doc: Doc, tok: Token) -> tuple[int, int] | None:
    """"The Russian leader also hailed ..., Han said": the cue hangs off the clause it reports."""
    head = tok.head
    if tok.dep_ not in ("ccomp", "parataxis", "conj", "advcl") or head is tok or head.pos_ not in ("VERB", "AUX"):
        return None
    if not _has_subject(tok):
        return None
    marks = [c for c in tok.children if c.dep_ == "mark"]
    subj = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)
    if marks:
        # "The border will remain closed until further notice, the ministry announced.": the
        # parser hung the clause's own "until" on the cue after it; the clause before the
        # comma is what was said (no comma: "closed until the ministry announced" is a time)
        first = subj.left_edge.i if subj is not None else tok.i
        if tok.i > head.i and first > 0 and doc[first - 1].text == "," and all(m.i < first - 1 for m in marks) \
                and all(t.is_punct for t in doc[tok.right_edge.i + 1:tok.sent.end]):
            return _clause_chars(doc, [t for t in head.subtree if t.i < first - 1])
        return None
    # the parser may hang the commas around "X said" on the cue: its words are what counts
    words_of_cue = [t for t in tok.subtree if not t.is_punct]
    left, right = words_of_cue[0].i, words_of_cue[-1].i
    that = _opening_that(doc, head, right) if head.i > right else None
    if that is not None:
        # "The Ledger reported, citing officials, that the talks had collapsed": the parser made
        # the reported clause the root; what was said starts after its "that"
        return _clause_chars(doc, [t for t in head.subtree if t.i > that.i])
    left = _stray_left(doc, left)
    if left == 0 or doc[left - 1].text not in (",", "”", '"', "’", "—", "–"):
        return None  # "Analysts noted that this suggested": no comma, not inverted
    cue_sub = {t.i for t in tok.subtree}
    before = [t for t in head.subtree if t.i not in cue_sub and t.i < left]
    if tok.i > head.i:
        return _clause_chars(doc, before)
    # parenthetical: "The golf industry, she said, is changing": the report is the whole
    # clause, both sides of the aside (the aside's own words lie inside the span)
    if right + 1 >= len(doc) or doc[right + 1].text not in (",", "—", "–"):
        return None
    if doc[left - 1].text in ("”", '"', "’") or (right + 2 < len(doc) and doc[right + 2].text in ("“", '"', "‘")):
        return None  # '“The reforms,” Karimi said, “will take ...”': one direct quote, split
    after = [t for t in head.subtree if t.i not in cue_sub and t.i > right]
    if not any(not t.is_punct for t in after) or not any(not t.is_punct for t in before):
        return None
    return _clause_chars(doc, before + after)


def _addressee(tok: Token, lemma: str, lex: Cues) -> tuple[int, int] | None:
    for child in tok.children:
        if child.dep_ in ("dative",) or (child.dep_ in ("dobj", "obj") and lemma in _DATIVE_LEMMAS):
            return _np(child)
        if child.dep_ == "prep" and child.lower_ == "to" and lemma in ("say", "speak", "talk", "write", "explain"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _np(pobj)
    return _addressed_in(tok, lex)


def _addressed_in(tok: Token, lex: Cues) -> tuple[int, int] | None:
    """Whom a phrase beside the cue names as told (``[addressing]``): "said in an interview with
    X", "in comments to X", "X, speaking to Y, said", "Speaking to Y, X said"."""
    subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    beside = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "in"]
    beside += [c for c in tok.children if c.dep_ == "advcl" and c.tag_ == "VBG"]
    if subject is not None:
        beside += [c for c in subject.children if c.dep_ == "acl" and c.tag_ == "VBG"]
    for phrase in beside:
        if phrase.dep_ == "prep":
            noun = next((c for c in phrase.children if c.dep_ == "pobj"), None)
        else:
            noun = phrase
        told = lex.addressing.get(noun.lemma_.lower()) if noun is not None else None
        if not told:
            continue
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in told:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return _np(pobj)
    return None


def _vias(doc: Doc, tok: Token, lex: Cues, content: tuple[int, int] | None) -> list[tuple[tuple[int, int], str]]:
    """Intermediaries a cue's sentence names: citing X, carried by X."""
    out: list[tuple[tuple[int, int], str]] = []
    in_content = (lambda t: content is not None and content[0] <= t.idx < content[1])
    # "reported, citing unnamed officials, that ...": an aside the parser hung on the clause
    # before its "that"
    clauses = [c for c in tok.children if c.dep_ == "ccomp"]
    if tok.dep_ in ("ccomp", "parataxis") and tok.head.i > tok.i:
        clauses.append(tok.head)  # the same, when the parser made the reported clause the root
    opening = [(c, _opening_that(doc, c, tok.i)) for c in clauses if c.i > tok.i]
    asides = [g for c, that in opening if that is not None for g in c.children if tok.i < g.i < that.i]
    for child in [*tok.children, *asides]:
        if in_content(child):
            continue
        if child.dep_ in ("advcl", "xcomp", "acl") and child.lemma_.lower() in lex.source_participles and child.tag_ == "VBG":
            # "Citing his April summit with Lee": the people named in the object
            for t in child.subtree:
                if t.ent_type_ in ("PERSON", "ORG") and t.ent_iob_ == "B":
                    ent = next(e for e in doc.ents if e.start == t.i)
                    out.append(((ent.start, ent.end), "cites"))
                    break
            else:
                obj = next((c for c in child.children if c.dep_ in ("dobj", "obj")), None)
                if obj is not None:
                    out.append((_np(obj), "cites"))
        for t in child.subtree:
            if t.dep_ == "acl" and t.tag_ == "VBN" and t.lemma_.lower() in _CARRY_LEMMAS:
                agent = next((c for c in t.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                if pobj is not None:
                    out.append((_np(pobj), "carried_by"))
    return out


def _according_frame(doc: Doc, tok: Token, lex: Cues) -> Frame | None:
    """"According to X, CLAUSE" and "CLAUSE, according to X"."""
    if tok.lower_ == "according":
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is None or nxt.lower_ != "to":
            return None
        pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((t for t in doc[nxt.i + 1 : nxt.i + 6] if t.pos_ in ("PROPN", "NOUN", "PRON")), None)
        cue_end = nxt.i + 1
    else:
        if tok.dep_ != "prep" or tok.i + 1 >= len(doc):
            return None
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.ent_type_ not in ("PERSON", "ORG"):
            return None
        cue_end = tok.i + 1
    if pobj is None:
        return None
    source = _document_source(pobj, lex)
    clause = tok.head
    while clause.dep_ == "prep" and clause.head is not clause:
        clause = clause.head
    phrase = set()
    for t in (tok, *(doc[tok.i + 1 : cue_end]), pobj):
        phrase |= {s.i for s in t.subtree}
    phrase |= {t.i for t in tok.subtree}
    sent = tok.sent
    after_comma = tok.i > 0 and doc[tok.i - 1].text == ","
    closing = after_comma and all(t.is_punct or t.is_space for t in doc[max(phrase) + 1 : sent.end])
    if clause.dep_ in ("aux", "auxpass") and clause.head is not clause:
        clause = clause.head  # "According to polls, X is leading": the verb, not its auxiliary
    while closing and clause.head is not clause and clause.head.pos_ in ("VERB", "AUX", "NOUN", "PROPN") and (
            clause.dep_ == "conj" and clause.head.pos_ in ("VERB", "AUX")
            or clause.dep_ in ("advcl", "ccomp") and not lex.any(clause.head.lemma_.lower())):
        # "X has surged and has pulled within 4 points, according to a poll average", "X won
        # the women's vote while Y led among men, according to exit polls": a credit that closes
        # the sentence covers every clause the parser hung it beside
        clause = clause.head
    if clause.pos_ not in ("VERB", "AUX"):
        toks = [t for t in sent if t.i not in phrase]
    else:
        toks = [t for t in clause.subtree if t.i not in phrase]
    # the attributed clause is the part on one side of "according to X"
    before = [t for t in toks if t.i < tok.i]
    after = [t for t in toks if t.i > max(phrase)]
    side = after if len([t for t in after if not t.is_punct]) >= len([t for t in before if not t.is_punct]) else before
    if side is before and closing:
        # "The tax has not hurt the banks: London was the financial capital in 2015, according
        # to one index": what the narrator says before a colon is not what the source says
        colon = max((t.i for t in before if t.text in (":", ";")), default=None)
        if colon is not None and any(not t.is_punct for t in before if t.i > colon):
            side = [t for t in before if t.i > colon]
    if after_comma and tok.i > 1 and doc[tok.i - 2].dep_ == "cc" and after:
        side = after  # "left in May and, according to two aides, plans to run": the clause after it
    content = _clause_chars(doc, side)
    if content is None:
        return None
    return Frame(
        cue_start=tok.i,
        cue_end=cue_end,
        lemma="according to" if tok.lower_ == "according" else tok.lower_,
        subject=source,
        content=content,
        method="according_to",
        confidence=CONFIDENCE["according_to"],
        cue_class="reporting",
        anchor=clause.i,
    )


def _document_source(pobj: Token, lex: Cues) -> tuple[int, int]:
    """"a readout from the ministry" -> the ministry; "the Post's report" -> the Post."""
    if pobj.lemma_.lower() in lex.source_nouns:
        for child in pobj.children:
            if child.dep_ == "poss":
                return _np(child)
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                inner = next((c for c in child.children if c.dep_ == "pobj"), None)
                if inner is not None:
                    return _np(inner)
    return _np(pobj)


def _attach_according_vias(doc: Doc, frames: list[Frame], text: str | None = None) -> None:
    """An "according to X" whose clause has its own speech verb names an intermediary.

    "According to Maple House, Varga quoted Lee as saying ...": the quote is Lee's, and
    Maple House is a source between the speaker and the page, not a second quote.
    """
    by_cue = {f.cue_start: k for k, f in enumerate(frames)}
    drop = []
    for k, f in enumerate(frames):
        if f.method != "according_to" or f.subject is None or f.anchor is None:
            continue
        anchor = doc[f.anchor]
        # the clause's own cue: the verb "according" hangs off, or a cue under it ("as saying")
        targets = [anchor.i] + [t.i for t in anchor.subtree if t.dep_ == "pcomp"]
        # "She said the two never met, according to the Ledger": the parser hangs "according
        # to" on the reported clause; the cue above it is the one it credits
        up = anchor
        for _ in range(2):
            if up.dep_ not in ("ccomp", "conj") or up.head.i == up.i:
                break
            up = up.head
            targets.append(up.i)
        hit = next((by_cue[i] for i in targets if i in by_cue and frames[by_cue[i]].method != "according_to"
                    and frames[by_cue[i]].cue_class != "direct"), None)
        if hit is not None and frames[hit].subject is not None:
            start = doc[f.cue_start].idx
            text = doc.text if text is None else text  # once: spaCy rebuilds it on every call
            for m, g in enumerate(frames):
                if g.cue_start != frames[hit].cue_start or g.method == "according_to":
                    continue  # the cue's frame, and those of its further "that" clauses
                g = _with_via(g, (f.subject, "according_to")) if m == hit else g
                if g.content is not None and g.content[0] < start < g.content[1] + 1:
                    end = start
                    while end > g.content[0] and text[end - 1] in " ,;—–":
                        end -= 1
                    g = replace(g, content=(g.content[0], end))  # the credit is not what was said
                frames[m] = g
            drop.append(k)
    for k in reversed(drop):
        frames.pop(k)


def attach_credits(doc: Doc, frames: list[Frame], credit_lemmas: frozenset[str],
                   is_outlet: Callable[[tuple[int, int]], bool]) -> tuple[list[Frame], list[Frame]]:
    """"X said ..., Radio Norte reported": the speech is X's, the outlet only carries it.

    A crediting frame (``credit_lemmas``: report, carry, ...) whose subject is an outlet and
    whose clause is another speech frame before it, with a speaker of its own, is no quote: its
    subject becomes that frame's ``reported_by`` intermediary. "State media reported that
    ..." alone (no speech frame inside) stays the outlet's. Returns the frames kept, and the
    credits taken out (where a reported clause must stop).
    """
    drop: set[int] = set()
    for k, f in enumerate(frames):
        if f.lemma not in credit_lemmas or f.subject is None or f.content is None or f.negated:
            continue
        # the speech inside: a speaker of its own, in the clause ("The merger will be
        # announced ..., X reported": a passive subject is no speaker)
        cue = doc[f.cue_start]
        inner = [j for j in range(len(frames)) if j != k and j not in drop and frames[j].subject is not None
                 and frames[j].cue_class != "cognition" and frames[j].cue_start < f.cue_start
                 and (doc[frames[j].cue_start].head.i == cue.i or cue.head.i == frames[j].cue_start)
                 and f.content[0] <= doc[frames[j].cue_start].idx < f.content[1]
                 and f.content[0] <= doc[frames[j].subject[0]].idx < f.content[1]
                 and not any(t.dep_ == "nsubjpass" for t in doc[frames[j].subject[0]:frames[j].subject[1]])]
        # "X said A, the paper reported": the parser may make the credit the object of the
        # speech and A the credit's clause; the credit stands after A and a comma
        inverted = [j for j in range(len(frames)) if j != k and j not in drop and frames[j].subject is not None
                    and frames[j].cue_class != "cognition" and cue.head.i == frames[j].cue_start
                    and doc[frames[j].cue_start].idx < f.content[0] and frames[j].content is not None and frames[j].content[0] <= f.content[0]
                    and f.content[1] <= doc[f.subject[0]].idx and f.subject[0] > 0
                    and doc[f.subject[0] - 1].text == "," and doc[f.subject[0] - 1].idx >= f.content[1]] \
            if not inner and f.cue_start > f.subject[0] else []
        # (the one who reports another's speech carries it, whatever the lists know of the
        # name: "..., Nordwire reported" as "..., the Vesta agency reported")
        named = doc[f.subject[0]:f.subject[1]].root.pos_ == "PROPN"
        if not (inner or inverted) or not (is_outlet(f.subject) or named):
            continue
        j = (inner or inverted)[0]
        g = frames[j]
        cue_pos = doc[f.cue_start].idx
        content = g.content
        if inverted:
            content = (content[0], f.content[1])  # A, without the credit
        elif content is not None and content[0] <= cue_pos < content[1] + 2:
            content = None  # the parser took the credit for the speaker's clause
        frames[j] = replace(g, content=content, via=g.via + ((f.subject, "reported_by"),),
                            cue_class=g.cue_class if content is not None else "direct")
        drop.add(k)
    return [f for k, f in enumerate(frames) if k not in drop], [frames[k] for k in sorted(drop)]


def _with_via(frame: Frame, via: tuple[tuple[int, int], str]) -> Frame:
    return replace(frame, via=frame.via + (via,))


HEADLINE = re.compile(r"^(?P<claim>[^:\n]{8,200}?):\s+(?P<speaker>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*$")
# "Speaker: Claim", the other headline order ("Lynch: No outside influence on FBI probe").
HEADLINE_SPEAKER_FIRST = re.compile(r"^(?P<speaker>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}):\s+(?P<claim>\S.{8,300}?)[.]?\s*$")
# A transcript line: "TAPPER: Do you think ...", "Fallin: I think ...".
# A role after the name, in capitals, is the transcript's too: "DMITRI VOLKAN, ENERGY MINISTER:",
# and so is a party tag or a role in brackets: "SEN. MARA QUILL (D-OST.):", "REP. ANA ODE (R),
# OSTLAND:", "MIRA LUND (Finance Minister):".
# A transcript quoted whole opens each turn with a quotation mark: '"ODE: Well, look ...'.
TRANSCRIPT = re.compile(r"^[\"“]?(?P<speaker>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]+){0,2})"
                        r"(?:\s*\([A-Z][\w.]*(?:(?:\s*-\s*|\s+)[A-Z][\w.]*){0,3}\))?"
                        r"(?P<role>,(?:\s+[A-Z][A-Z.'’-]*){1,5})?:\s+(?P<claim>\S.*)$")
# A turn's words this short ("MR. ODE: No.") count only on a page with longer turns: alone,
# "TOPICS: Energy" is a label.
MIN_TURN_CHARS = 16
# Headline words this long or longer are a sentence, not a headline.
MAX_HEADLINE_WORDS = 25


def headline_frames(text: str, paragraph_bounds: list[tuple[int, int]], labels: frozenset[str],
                    abbreviations: frozenset[str] = frozenset()) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """A headline's "Claim: Speaker" or "Speaker: Claim": (claim chars, speaker chars) per line.
    ``labels`` are a page's words before a colon ("Watch:"), ``abbreviations`` words that may
    end a name on a full stop ("Corp.")."""
    out = []
    for start, end in paragraph_bounds:
        line = text[start:end]
        if len(line.split()) > MAX_HEADLINE_WORDS:
            continue
        m = HEADLINE.match(line)
        if m is not None and (m.group("claim").lower() in labels or len(m.group("claim").split()) < 2
                              or _sentence_end(m.group("speaker"), abbreviations)):
            m = None  # "Transcript: Evening Report": a page's label, not a claim
        if m is None:
            m = HEADLINE_SPEAKER_FIRST.match(line)
            if m is not None and (m.group("speaker").lower() in labels or len(m.group("claim").split()) < 3
                                  or _sentence_end(m.group("speaker"), abbreviations)):
                m = None
        if m:
            out.append(((start + m.start("claim"), start + m.end("claim")), (start + m.start("speaker"), start + m.end("speaker"))))
    return out


def _sentence_end(words: str, abbreviations: frozenset[str]) -> bool:
    """The words after a headline's colon end on a sentence's full stop, not on an
    abbreviation: "Break Up Banks.", "No." are no speaker; "Kelmar Corp.", "Ana Ode Jr.",
    "Tomas R." are (``abbreviations``: the titles and the words that end a firm's name)."""
    if not words.endswith("."):
        return False
    parts = words[:-1].split()
    if len(parts) < 2:
        return True
    last = parts[-1]
    return not (len(last) <= 2 or "." in last or last.isupper() or last.lower() in abbreviations)


def transcript_frames(doc: Doc, paragraph_bounds: list[tuple[int, int]],
                      labels: frozenset[str], text: str | None = None,
                      turn_labels: frozenset[str] = frozenset()) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Transcript lines, "NAME: words": (words chars, name chars). The label must be in
    capitals (the transcript convention) or name a person the article mentions elsewhere.
    ``text`` is ``doc.text`` when the caller has it (spaCy rebuilds it on every call)."""
    text = doc.text if text is None else text
    people: set[str] | None = None  # built when a label first needs it: most articles have none
    out = []
    for start, end in paragraph_bounds:
        m = TRANSCRIPT.match(text[start:end])
        if m is None:
            continue
        who = m.group("speaker")
        if who.lower() in labels or len(who) < 2 and who.lower() not in turn_labels:
            continue
        if m.group("role") and not who.isupper():
            continue
        if not (who.isupper() or who.lower() in turn_labels):
            if people is None:
                people = {t.lower_ for e in doc.ents if e.label_ == "PERSON" for t in e}
            if who.split()[-1].lower() not in people:
                continue
        out.append(((start + m.start("claim"), start + m.end("claim")), (start + m.start("speaker"), start + m.end("speaker"))))
    if all(e - s < MIN_TURN_CHARS for (s, e), _ in out):
        return []
    return [(words, who) for words, who in out if words[1] - words[0] >= MIN_TURN_CHARS or text[who[0]:who[1]].isupper()]
