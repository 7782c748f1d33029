"""Quotation marks: pair them into quoted spans, paragraph by paragraph, on plain text.

This is pure text work, before and apart from any parse, so that every span points at the
exact characters of the article. It knows the mark styles of news text: straight and curly
double quotes, curly and straight single quotes (British style) with apostrophes inside
words left alone, guillemets, low-9 marks, mismatched pairs (``“…"``), and the convention
that a quote running over several paragraphs reopens each paragraph and closes only at
the last.

A mark that cannot be paired costs only its own span: it is reported with a warning and the
rest of the article is read as usual.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

DOUBLE, SINGLE, ANGLE = "double", "single", "angle"

# (family, can_open, can_close) of each mark; ambiguous marks are decided by context.
_MARKS: dict[str, tuple[str, bool, bool]] = {
    '"': (DOUBLE, True, True),
    "“": (DOUBLE, True, True),  # closes only in mismatched text ("…“ used for both)
    "”": (DOUBLE, True, True),  # opens only in mismatched text
    "„": (DOUBLE, True, False),
    "‟": (DOUBLE, True, False),
    "«": (ANGLE, True, True),
    "»": (ANGLE, True, True),
    "‹": (SINGLE, True, True),
    "›": (SINGLE, True, True),
    "'": (SINGLE, True, True),
    "‘": (SINGLE, True, True),
    "’": (SINGLE, True, True),
    "‚": (SINGLE, True, False),
}
# Any character of ``_MARKS`` (what ``_next_mark`` looks for), built from it so that the two agree.
_MARK_RE = re.compile("[" + re.escape("".join(_MARKS)) + "]")
_OPEN_PREFER = set("“„‟«‹‘‚")
_CLOSE_PREFER = set("”»›’")
_OPENING_CONTEXT = set(" \t\n([{<—–-/:;\u00a0") | set("“‘«‹\"'„")
_CLOSING_CONTEXT = set(" \t\n)]}>.,;:!?—–-…/\u00a0") | set("”’»›\"'")
# A markup tag left in a text (an embedded post, a pasted HTML fragment): ``<tweet id="12"
# author="@a">``. The marks around its attribute values are markup, not quotation marks.
_TAG = re.compile(r"""<[A-Za-z][\w:.-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"<>\n]*"|'[^'<>\n]*'|[^\s"'<>=]+))?)+\s*/?>""")
# Elisions such as ’90s, ’em, ’til, ‘cause: an apostrophe, not an opening mark.
_ELISION = re.compile(r"(?:\d\ds?\b|em\b|til\b|tis\b|twas\b|cause\b|n’|round\b)", re.IGNORECASE)


@dataclass(frozen=True)
class QuotedSpan:
    """A run of text between quotation marks, inside one paragraph.

    ``start``/``end`` delimit the words (marks excluded, outer white space and a trailing
    comma trimmed); ``open_at``/``close_at`` are the marks' offsets, ``None`` where the
    paragraph leaves the quote open (it continues in the next paragraph) or a continuing
    quote opens without a mark.
    """

    start: int
    end: int
    open_at: int | None
    close_at: int | None
    family: str
    depth: int  # 0 for an outermost quote, 1 for a quote inside it, ...
    paragraph: int  # index of the paragraph in the article
    continues: bool = False  # the quote goes on in the next paragraph
    continued: bool = False  # the quote began in an earlier paragraph


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines of ``text``: news text puts one paragraph on a line."""
    out: list[Paragraph] = []
    pos = 0
    # "\n" only: str.splitlines() also breaks at U+2028, U+0085, \x0b, \x0c and \x1c-\x1e, which
    # may sit inside a quote (a pasted line separator) without ending its paragraph.
    for line in text.split("\n"):
        line += "\n"
        body = line.rstrip("\r\n")
        if body.strip():
            lead = len(body) - len(body.lstrip())
            out.append(Paragraph(len(out), pos + lead, pos + len(body.rstrip())))
        pos += len(line)
    return out


@dataclass
class _Open:
    at: int
    family: str
    char: str
    width: int = 1


def _next_mark(text: str, start: int, end: int) -> int:
    """Where the next character of ``_MARKS`` is in ``text[start:end]`` (``end`` if none): the
    pairing loop has nothing to do on other characters, and a regular expression skips them at
    C speed."""
    found = _MARK_RE.search(text, start, end)
    return found.start() if found is not None else end


def _width(text: str, i: int) -> int:
    """Two apostrophes stand for a double quote in some archives (''like this'')."""
    return 2 if text.startswith("''", i) else 1


def _role(text: str, i: int, open_families: list[str], markup: _Markup | None = None) -> str | None:
    """Decide whether the mark at ``i`` opens, closes, or is no mark (an apostrophe). A markup
    tag just before or after it stands as white space would."""
    width = _width(text, i)
    ch = '"' if width == 2 else text[i]
    family, can_open, can_close = _MARKS[ch]
    prev = text[i - 1] if i > 0 and (markup is None or i not in markup.ends) else " "
    nxt = text[i + width] if i + width < len(text) and (markup is None or i + width not in markup.starts) else " "
    if family == SINGLE and ch in "'’‘":
        if prev.isalnum() and nxt.isalnum():
            return None  # don't, Lee’s, rock’n’roll
        if ch != "‘" and prev.isalnum() and SINGLE not in open_families:
            return None  # possessive: the Joneses’ house, Jones' campaign
        if ch != "’" and prev in _OPENING_CONTEXT and _ELISION.match(text, i + 1):
            if SINGLE not in open_families:
                return None  # ’90s, ’em
    opens_here = prev in _OPENING_CONTEXT and not nxt.isspace() and nxt != " "
    closes_here = (not prev.isspace()) and (nxt in _CLOSING_CONTEXT or nxt.isspace())
    if family in open_families and can_close and (closes_here or not opens_here):
        return "close"
    if ch in _OPEN_PREFER and can_open and not (closes_here and not opens_here and family in open_families):
        return "open"
    if ch in _CLOSE_PREFER and can_close and closes_here and not opens_here:
        return "close"
    if can_open and opens_here:
        if family == SINGLE and ch == "’" and not _looks_like_single_quote(text, i):
            return None
        return "open"
    if can_close and closes_here:
        return "close"
    return None


def _looks_like_single_quote(text: str, i: int) -> bool:
    """A right single mark used to open: only if a closing single follows in the line."""
    line_end = text.find("\n", i)
    rest = text[i + 1 : line_end if line_end >= 0 else len(text)]
    return bool(re.search(r"[^\s]’(?=[\s.,;:!?”\"]|$)", rest))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def find_quoted_spans(text: str, warnings: list[str] | None = None) -> list[QuotedSpan]:
    """Pair the quotation marks of ``text`` into spans, in order of their start.

    Returns outermost and nested spans alike (``depth`` tells them apart). Unpaired marks
    are skipped, each with a message added to ``warnings`` (logged when it is None); a quote left open at the end of a paragraph continues into the
    next one if that paragraph reopens with the same kind of mark or closes it first.
    """
    def warn(message: str) -> None:
        if warnings is None:
            log.warning("%s", message)
        else:
            warnings.append(message)

    spans: list[QuotedSpan] = []
    markup = _marks_in_tags(text)
    paras = paragraphs(text)
    carried: _Open | None = None  # an outermost quote left open by the previous paragraph
    for p in paras:
        stack: list[_Open] = []
        if carried is not None:
            first = text[p.start]
            reopens = first in _MARKS and _MARKS[first][0] == carried.family and _role(text, p.start, []) == "open"
            if not reopens and not _closes_before_opening(text, p, carried.family, markup):
                carried = None
            elif not reopens:
                # the quote runs on without a mark: it closes somewhere in this paragraph
                stack.append(_Open(p.start - 1, carried.family, ""))
            carried_in = carried is not None
        else:
            carried_in = False
        i = _next_mark(text, p.start, p.end)
        while i < p.end:
            ch = text[i]
            width = _width(text, i)
            if width == 2:
                ch = '"'
            if ch in _MARKS and i not in markup.inside:
                role = _role(text, i, [o.family for o in stack], markup)
                if role == "open":
                    stack.append(_Open(i, _MARKS[ch][0], ch, width))
                elif role == "close":
                    fam = _MARKS[ch][0]
                    idx = max((k for k, o in enumerate(stack) if o.family == fam), default=-1)
                    if idx < 0:
                        warn(f"unpaired closing quotation mark at offset {i}")
                    else:
                        for dropped in stack[idx + 1 :]:
                            warn(f"unpaired opening quotation mark at offset {dropped.at}")
                        op = stack[idx]
                        del stack[idx:]
                        s, e = _trim(text, op.at + op.width, i)
                        if e > s:
                            continued = carried_in and op.char == ""
                            spans.append(
                                QuotedSpan(s, e, op.at if op.char else None, i, fam, idx, p.index,
                                           continued=continued or (carried_in and idx == 0 and op.at == p.start))
                            )
                        if idx == 0:
                            carried_in = False
            i = _next_mark(text, i + width, p.end)
        carried = None
        if stack:
            outer = stack[0]
            for dropped in stack[1:]:
                warn(f"unpaired opening quotation mark at offset {dropped.at}")
            s, e = _trim(text, outer.at + outer.width, p.end)
            nxt = paras[p.index + 1] if p.index + 1 < len(paras) else None
            goes_on = nxt is not None and _continues(text, nxt, outer.family, markup)
            if goes_on and e > s:
                spans.append(
                    QuotedSpan(s, e, outer.at if outer.char else None, None, outer.family, 0, p.index,
                               continues=True, continued=carried_in)
                )
                carried = outer
            else:
                warn(f"unpaired opening quotation mark at offset {outer.at}")
    spans.sort(key=lambda q: (q.start, -q.end))
    return spans


@dataclass(frozen=True)
class _Markup:
    """The markup tags (``_TAG``) of a text: the offsets of the marks inside them, and where
    each tag starts and ends."""

    inside: frozenset[int] = frozenset()
    starts: frozenset[int] = frozenset()
    ends: frozenset[int] = frozenset()


def _marks_in_tags(text: str) -> _Markup:
    if "<" not in text:
        return _Markup()
    tags = list(_TAG.finditer(text))
    return _Markup(frozenset(m.start() + k for m in tags for k, ch in enumerate(m.group()) if ch in _MARKS),
                   frozenset(m.start() for m in tags), frozenset(m.end() for m in tags))


def _continues(text: str, p: Paragraph, family: str, markup: _Markup) -> bool:
    first = text[p.start]
    if first in _MARKS and _MARKS[first][0] == family and _role(text, p.start, []) == "open":
        return True
    return _closes_before_opening(text, p, family, markup)


def _closes_before_opening(text: str, p: Paragraph, family: str, markup: _Markup) -> bool:
    """True if the paragraph's first mark of ``family`` closes a quote (none opened here)."""
    stack: list[str] = [family]
    for i in range(p.start, p.end):
        ch = text[i]
        if ch in _MARKS and _MARKS[ch][0] == family and i not in markup.inside:
            role = _role(text, i, stack, markup)
            if role == "close":
                return True
            if role == "open":
                return False
    return False
