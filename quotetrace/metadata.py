"""Article metadata read from the text itself: headline, byline, date, dateline, outlet.

Scraped news pages carry their metadata as text: a headline among menu words, a byline
(``By Lee Min-ji``), an e-mail address whose domain names the outlet, a date line, a
dateline (``LIMA, Peru _ ...``), and furniture such as share buttons, cookie notices and
comment rules. Everything here is a pure function over that text, driven by two data files the
user can read and extend:

* ``data/outlets.toml``: outlet display names, their web domains and the name variants page text
  uses (``QUOTETRACE_OUTLETS`` names an edited copy).
* ``data/boilerplate.toml``: patterns of furniture lines, and label words that are never part of a
  person's name (``QUOTETRACE_BOILERPLATE`` names an edited copy).

Each field is read by heuristics that prefer leaving it empty to guessing: a wrong author or
outlet misleads a fact-checker more than a missing one.
"""


from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from quotetrace.dates import (
    CALENDAR_WORDS,
    DATE_RE,
    MONTH_ALT,
    date_line,
    iso_date,
    labeled_date,
)
from quotetrace.furniture import Furniture, Line, furniture_lines, split_lines
from quotetrace.models import ArticleMeta
from quotetrace.outlets import Outlets

__all__ = ["read_metadata"]

# A line of at least this many words is article prose (or a photo caption), not a label,
# byline or date line: it ends the block of those under the headline.
PROSE_WORDS = 20
# A headline has at least this many words: shorter lines at the top of a page are section names
# ("International", "South Asia"), menu entries and names.
MIN_TITLE_WORDS = 3
# Beyond this a line is a paragraph: a page that starts with one has no headline in its text.
# The longest of the 936 headlines in the dev sets has 22 words.
MAX_TITLE_WORDS = 25
# A deck (the line that goes on from a headline ending in ";") may be a short paragraph.
MAX_DECK_WORDS = 60
# How many prose lines after the headline may open with the dateline: photo captions often come
# first on scraped pages.
DATELINE_SEARCH_LINES = 4
# How many lines on either side of a byline a date may sit and still be read as its date.
BYLINE_DATE_DISTANCE = 2
# A labelled publication date ("Written: ...", "Published on ...") is read from short lines only:
# in prose, "published on May 2, 2019" dates something else.
LABELED_DATE_LINE_WORDS = 15
# How many content lines under the headline may hold the author's name alone: a kicker ("This
# article is more than 4 years old") or a date may come first.
NAME_UNDER_TITLE_LINES = 3
# How many content lines at the end may hold a sign-off or an author's note: the note is the
# last paragraph, sometimes followed by one more line ("Follow him on Twitter").
TAIL_LINES = 2
# An author's note is a sentence or two; a longer last paragraph is article prose.
AUTHOR_NOTE_MAX_WORDS = 60


# --- Names -----------------------------------------------------------------------------------------

# Words that end in a period without ending a sentence, so "Dr. Jane Doe: ..." is one sentence
# and "... key in S.C." keeps its period.
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "cmdr", "adm", "rev", "prof", "pres", "st", "jr", "sr", "vs", "v", "inc", "co", "corp", "ltd", "no", "mt", "ft", "calif", "fla", "mass", "penn", "ariz", "conn", "ill", "ind", "mich", "minn", "nev", "okla", "ore", "tenn", "tex", "va", "wash", "wis", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
_CLOSERS = "’'\"”)]"


def _is_abbreviation(word: str) -> bool:
    word = word.lstrip("‘“'\"(")
    bare = word.rstrip(".")
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", word):
        return True
    return (len(bare) == 1 and bare.isalpha()) or bare.lower() in _ABBREVIATIONS


_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
# One word of a name: "Lee", "Min-ji", "O'Brien", "McDonald", "JANE", an initial "B.".
_NAME_WORD = (
    rf"(?:[{_UPPER}][{_LOWER}]*(?:[{_UPPER}][{_LOWER}]+)?"
    rf"(?:-[{_UPPER}{_LOWER}]+|['’][{_UPPER}][{_LOWER}]+)*"
    rf"|[{_UPPER}]{{2,}}(?:[-'’][{_UPPER}]+)*|[{_UPPER}]\.)"
)
_PARTICLE = r"(?:de|del|della|der|den|di|da|du|dos|van|von|bin|binti|ibn|al|el|la|le|ter|ten)"
_SUFFIX = r"(?:Jr\.?|Sr\.?|II|III|IV)"
_SPACE = r"[ \t\xa0]+"
# Two to five words; "Dr." or "Jr." count as words of the name as written.
_NAME = rf"{_NAME_WORD}\.?(?:{_SPACE}(?:{_PARTICLE}{_SPACE})?{_NAME_WORD}\.?){{1,4}}(?:,?{_SPACE}{_SUFFIX})?"
_NAME_LIST = rf"{_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# Only from the start of a run of address characters: tried at every position of a long word with no
# "@", the pattern would rescan the rest of the word each time (quadratic in its length).
_EMAIL_RE = re.compile(rf"(?<![\w.+-]){_EMAIL}")
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'”’)]+", re.IGNORECASE)
# A line that is only a link, perhaps labelled: the page's own address.
_URL_LINE_RE = re.compile(
    r"^(?:(?:source|url|link|original(?:ly published)?(?: at)?)\s*:?\s*)?((?:https?://|www\.)\S+)$",
    re.IGNORECASE,
)

# "By Lee Min-ji", "By Park Ji-hoon (jhpark@example.com)", "By Jane B. Doe, USA TODAY".
# The whole line must be the byline: "By Friday, the talks had stalled." is a sentence.
_BYLINE_RE = re.compile(
    rf"^(?:By|BY|by)[:\s]\s*(?P<names>{_NAME_LIST})\s*"
    rf"(?:\(\s*(?P<email>{_EMAIL})\s*\)|(?P<email2>{_EMAIL}))?\s*"
    rf"(?:[,|/–—-]\s*[^.!?]{{0,60}}?)?\s*$"  # a role, outlet or date: "..., USA TODAY"
)
# A byline run into the end of the last paragraph: "... the ministry said. By Park Ji-hoon (...)".
_INLINE_BYLINE_RE = re.compile(
    rf"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?:By|BY)\s+(?P<names>{_NAME_LIST})\s*"
    rf"(?:\(\s*(?P<email>{_EMAIL})\s*\)|(?P<email2>{_EMAIL}))?\s*$"
)
# "Lee Min-ji mjlee@example.com": a name signing off with an e-mail address.
_NAME_EMAIL_RE = re.compile(rf"^(?P<names>{_NAME})\s*[,|(<]?\s*(?P<email>{_EMAIL})\s*[)>]?$")
_NAME_LINE_RE = re.compile(rf"^(?P<names>{_NAME_LIST})$")
# The same under a headline, perhaps with where the reporter filed from: "Jane Doe in Nairobi".
_NAME_UNDER_TITLE_RE = re.compile(rf"^(?P<names>{_NAME_LIST})(?:\s+in\s+[{_UPPER}][\w .'’-]{{1,40}})?$")
# A sign-off at the end of the article: "- Jane Doe." (at the top, the same shape credits
# an epigraph, so only the last lines are read).
_SIGN_OFF_RE = re.compile(rf"^[-–—]+\s*(?P<names>{_NAME_LIST})\.?$")
# The author's note closing an opinion piece: "Jane Doe is the mayor of Springfield.",
# "John Roe, a law professor at State University, is a member of ...". Only "is"
# followed by an article or a role with "of/at/for": news prose ends with "X is expected to ...".
_AUTHOR_NOTE_RE = re.compile(
    rf"^(?P<names>{_NAME})(?:,[^,]{{3,150}},)?\s+is\s+(?:(?:a|an|the)\s|(?:[\w-]+\s+){{1,4}}(?:of|at|for)\s)"
)
# In such a note, an outlet after "at/for/of/with" is where the author works: "... is senior media
# editor at The Boston Globe", "a member of USA TODAY's Board of Contributors".
_EMPLOYER_BEFORE_RE = re.compile(r"\b(?:at|for|of|with)\s+(?:the\s+)?$")
# Credit lines at the end of wire copy: "(Reporting by Jane Doe in Lagos; Editing by ...)".
_CREDIT_RE = re.compile(
    rf"(?:^|[(;]\s*)(?:Reporting|Reported|Story|Written|Text|Words) by\s+(?P<names>{_NAME_LIST})"
)
# The names follow "Follow" ("Follow Jane Doe and John Roe on Twitter") or, after a
# description, a lower-case word ("Follow our investigative reporter Jane Doe on Twitter").
_FOLLOW_RE = re.compile(
    rf"^(?i:follow)\s+(?:(?P<names>{_NAME_LIST})|.*\s[{_LOWER}][\w-]*\s+(?P<described>{_NAME}))"
    r"\s+(?i:on)\s+(?i:twitter|x|facebook|instagram|threads|bluesky)\b"
)

# Capitalised in headlines ("... Won By Finishing Third In Ohio"), never in a person's name.
_FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "with", "into", "over", "under", "after", "before", "about", "as", "by", "and", "or", "but", "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might", "must", "not", "no", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "my", "your"]
)


def _is_person_name(name: str, page: _Page) -> bool:
    """Whether ``name`` (already shaped like a name) can be a person's name.

    Rejects calendar words ("By Monday Morning"), section and role labels ("South Asia",
    "Staff Writer") and outlet names ("USA TODAY").
    """
    words = [w.strip(",'’") for w in name.split()]
    if len(words) < 2 or not any(len(w.rstrip(".")) > 1 for w in words):
        return False
    # A name ends in a word, an initial or a suffix, never in a sentence's full stop.
    if words[-1].endswith(".") and not _is_abbreviation(words[-1]):
        return False
    labels = page.patterns.label_words
    for word in words:
        if re.fullmatch(r"\w\.", word):
            continue  # an initial: "Jane A. Doe"
        bare = word.rstrip(".").lower()
        if bare in labels or bare in CALENDAR_WORDS or bare in _FUNCTION_WORDS:
            return False
    return page.known.for_name(name) is None


def _without_full_stop(names: str) -> str:
    """``Jane Doe.`` -> ``Jane Doe``; ``John Smith Jr.`` keeps its abbreviation."""
    last = names.split()[-1] if names.split() else ""
    return names[:-1] if names.endswith(".") and not _is_abbreviation(last) else names


def _split_names(names: str) -> list[str]:
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", names)
    result: list[str] = []
    for part in parts:
        part = " ".join(part.split())
        # ", Jr." splits off its name: glue it back.
        if result and re.fullmatch(_SUFFIX, part):
            result[-1] = f"{result[-1]}, {part}"
        elif part:
            result.append(part)
    return result


def _people(names: str, page: _Page) -> tuple[str, ...] | None:
    """The people of a byline's name list, or None when any part is not a name.

    Outlet names in the list ("Jane B. Doe, USA TODAY") are dropped, not fatal: a byline
    often credits the outlet beside the reporter.
    """
    people = []
    for name in _split_names(names):
        if page.known.for_name(name):
            continue
        if not _is_person_name(name, page):
            return None
        people.append(name)
    return tuple(people) or None



# --- Datelines -------------------------------------------------------------------------------------

_DASH = r"(?:\s+[_–—―-]{1,2}\s+|\s*[–—―]\s*|\s+--?\s*)"
_PLACE_CAPS = rf"[{_UPPER}][{_UPPER}.'’-]+(?:\s+[{_UPPER}][{_UPPER}.'’-]+){{0,3}}"
_REGION = rf"[{_UPPER}][{_UPPER}{_LOWER}.'’-]*(?:\s+[{_UPPER}][{_UPPER}{_LOWER}.'’-]*){{0,2}}"
_DAY_PART = rf"(?i:{MONTH_ALT})\.?\s+\d{{1,2}}"
_CREDIT = r"\((?P<credit>[A-Za-z][\w .&-]{0,30})\)"
# "LIMA, Peru _ ...", "NEW YORK, Nov. 19 (UPI) — ...", "WASHINGTON ― ...". Not "CITY: ...",
# which some papers use: transcripts ("JAKE TAPPER: ...") and kickers ("BOOM: ...") look the same.
_DATELINE_CAPS_RE = re.compile(
    rf"^(?P<place>{_PLACE_CAPS})(?:,\s*{_REGION})*(?:,\s*{_DAY_PART})?\s*(?:{_CREDIT})?{_DASH}(?=\S)"
)
# AFP writes the place in title case, and always with its credit: "Mexico City (AFP) – ...".
_DATELINE_CREDIT_RE = re.compile(
    rf"^(?P<place>[{_UPPER}][{_LOWER}]+(?:\s+[{_UPPER}][{_LOWER}]+){{0,2}})"
    rf"(?:,\s*{_REGION})?\s*{_CREDIT}{_DASH}(?=\S)"
)
# The place at the end of a date line: "April 25, 2019 10:48 pm | Updated 10:48 pm IST - Chennai".
_DATE_LINE_PLACE_RE = re.compile(
    rf"(?:\d|[ap]\.?m\.?|[{_UPPER}]{{2,4}})\s+[-–—|]\s+"
    rf"(?P<place>[{_UPPER}][\w'’.-]*(?:\s+[{_UPPER}][\w'’.-]*){{0,3}})$"
)


def _dateline_match(line: str, labels: frozenset[str]) -> re.Match[str] | None:
    match = _DATELINE_CAPS_RE.match(line) or _DATELINE_CREDIT_RE.match(line)
    if not match:
        return None
    # "BREAKING — ...", "EDITOR'S NOTE: ..." open a paragraph the same way, but name no place.
    words = re.split(r"[\s'’]+", match["place"].lower())
    if any(w.strip(".") in labels for w in words):
        return None
    return match


def dateline_length(paragraph: str, furniture: Furniture) -> int:
    """How many characters of a paragraph its dateline takes ("KARSVIK (Nordwire) — ",
    with the space after it), 0 when it opens with none: no reported clause begins inside one."""
    # (the patterns end with the dash and the white space after it)
    match = _dateline_match(paragraph, furniture.label_words)
    return match.end() if match else 0


# --- Titles ----------------------------------------------------------------------------------------

def _has_inner_sentence_end(title: str) -> bool:
    for match in re.finditer(rf"[.!?][{re.escape(_CLOSERS)}]*\s+(?=[‘“'\"(]?[{_UPPER}\d])", title):
        if title[match.start()] != ".":
            return True
        if not _is_abbreviation(title[: match.start() + 1].split()[-1]):
            return True
    return False


def _clean_title(title: str, known: Outlets) -> str:
    """The headline without page decoration: site suffix, trailing separators, a lone full stop."""
    title = " ".join(title.split())
    # Agency tags before the headline: "(LEAD)", "(URGENT)", "(2nd LD)".
    title = re.sub(r"^\((?:[A-Z0-9]{2,}|\d+(?:st|nd|rd|th))(?:[ -][A-Z0-9]+)*\)\s+", "", title)
    suffix = re.search(r"\s+[|–—-]\s+(?P<site>[^|–—-]+)$", title)
    if suffix and known.for_name(suffix["site"].strip()):
        title = title[: suffix.start()]
    title = title.rstrip(" ;,:|")
    # Headlines carry no full stop; some corpora add one ("... to Ohio."). A headline of several
    # sentences ("She could make history. Again.") keeps its own, as does "... in S.C.".
    match = re.search(rf"\.([{re.escape(_CLOSERS)}]?)$", title)
    # Judge only the last part of "headline; deck": the deck is what the full stop ends.
    last_part = title[: match.start() + 1].rsplit(";", 1)[-1] if match else ""
    if match and not title.endswith("..") and not _has_inner_sentence_end(last_part):
        last_word = title[: match.start() + 1].split()[-1]
        if not _is_abbreviation(last_word.rstrip(_CLOSERS)):
            title = title[: match.start()] + match[1]
    return title


# --- Reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    """The article's lines, sorted into furniture, headline and the head block."""

    lines: list[Line]
    furniture: set[int]
    site_lines: set[int]
    first_prose: int  # index of the first prose line, len(lines) when there is none
    last_prose: int  # index of the last prose line, -1 when there is none
    known: Outlets  # the outlets quotetrace knows
    patterns: Furniture  # what furniture looks like, and label words


def _page(text: str, known: Outlets, patterns: Furniture) -> _Page:
    lines = split_lines(text)
    furniture, site = furniture_lines(lines, patterns)
    prose = [ln.index for ln in lines if ln.words >= PROSE_WORDS and ln.index not in furniture]
    return _Page(lines, furniture, site, prose[0] if prose else len(lines), prose[-1] if prose else -1, known, patterns)


def _content(page: _Page) -> Iterable[Line]:
    return (ln for ln in page.lines if ln.text and ln.index not in page.furniture)


@dataclass(frozen=True)
class _Title:
    text: str
    index: int  # the headline's first line
    last: int  # its last line: a headline ending in ";" goes on with its deck on the next line


def _short_first_line(page: _Page) -> _Title | None:
    """A short headline opening a clean article ("IN BRIEF"), set off by a blank line.

    Short lines are section names and menu words on a scraped page, so a headline of fewer than
    MIN_TITLE_WORDS words is taken only as the very first line, and only when it is not furniture,
    a label ("Opinion", "South Asia") or a name.
    """
    first = next((ln for ln in page.lines if ln.text), None)
    if first is None or first.index in page.furniture or first.words not in range(2, MIN_TITLE_WORDS):
        return None
    following = page.lines[first.index + 1] if first.index + 1 < len(page.lines) else None
    if following is not None and following.text:
        return None
    labels = page.patterns.label_words
    if any(w.strip(".,:").lower() in labels for w in first.text.split()):
        return None
    if _NAME_LINE_RE.match(first.text) and _is_person_name(first.text, page):
        return None
    if date_line(first.text) or _EMAIL_RE.search(first.text) or _URL_RE.search(first.text):
        return None
    return _Title(first.text, first.index, first.index)


def _find_title(page: _Page) -> _Title | None:
    if short := _short_first_line(page):
        return short
    content = list(_content(page))
    for position, line in enumerate(content):
        if date_line(line.text) or labeled_date(line.text) or _BYLINE_RE.match(line.text):
            continue
        if _EMAIL_RE.search(line.text) or _URL_RE.search(line.text):
            continue
        if line.words < MIN_TITLE_WORDS:
            continue
        if line.words > MAX_TITLE_WORDS or _dateline_match(line.text, page.patterns.label_words):
            return None  # the article starts without a headline
        text, last = line.text, line.index
        # No headline ends in a semicolon: the line after it is its deck or column name
        # ("Jobs report gives Democrats a lift; / Solid upturn, ...").
        following = content[position + 1] if position + 1 < len(content) else None
        if (
            text.endswith(";")
            and following is not None
            and following.index == line.index + 1
            and following.words <= MAX_DECK_WORDS
        ):
            text, last = f"{text} {following.text}", following.index
        return _Title(text, line.index, last)
    return None


class _Credit(IntEnum):
    """Kinds of author credit, strongest first: the first kind a page gives names its authors."""

    BYLINE = 0  # "By Jane Doe" on a line of its own
    INLINE_BYLINE = 1  # "... the ministry said. By Jane Doe (jdoe@example.com)"
    SIGNED = 2  # a name with an e-mail address, alone under the headline, or signing off
    CREDIT_LINE = 3  # "(Reporting by Jane Doe; Editing by ...)"
    FOLLOW = 4  # "Follow Jane Doe on Twitter"
    AUTHOR_NOTE = 5  # "Jane Doe is the mayor of Springfield." closing an opinion piece
    WIRE = 6  # "DALLAS (AP) — ...": the agency, when no person is named


@dataclass(frozen=True)
class _Byline:
    kind: _Credit
    authors: tuple[str, ...]
    line: int
    email: str | None = None
    employer: str | None = None  # the outlet an author's note names


def _bylines(page: _Page, title: _Title | None) -> list[_Byline]:
    """Every author credit the page gives, strongest kind first."""
    found: list[_Byline] = []
    content = list(_content(page))
    for line in page.lines:
        text = line.text
        # A headline is never a byline: "Senator 'Horrified' By John Roe."
        if not text or (title is not None and title.index <= line.index <= title.last):
            continue
        for kind, regex in (
            (_Credit.BYLINE, _BYLINE_RE),
            (_Credit.INLINE_BYLINE, _INLINE_BYLINE_RE),
            (_Credit.SIGNED, _NAME_EMAIL_RE),
        ):
            match = regex.search(text)
            if match and (people := _people(match["names"], page)):
                email = match.groupdict().get("email") or match.groupdict().get("email2")
                found.append(_Byline(kind, people, line.index, email))
                break
        else:
            if (credit := _CREDIT_RE.search(text)) and (people := _people(credit["names"], page)):
                found.append(_Byline(_Credit.CREDIT_LINE, people, line.index))
            elif (follow := _FOLLOW_RE.search(text)) and (
                people := _people(follow["names"] or follow["described"], page)
            ):
                found.append(_Byline(_Credit.FOLLOW, people, line.index))
    # A name alone on a line just under the headline ("Jane Doe"), before the article starts.
    if title is not None:
        below = [ln for ln in content if title.last < ln.index < page.first_prose]
        for line in below[:NAME_UNDER_TITLE_LINES]:
            match = _NAME_UNDER_TITLE_RE.match(line.text)
            if match and (people := _people(match["names"], page)):
                found.append(_Byline(_Credit.SIGNED, people, line.index))
                break
    # The last lines: a sign-off or the author's note of an opinion piece.
    for line in content[-TAIL_LINES:]:
        if title is not None and line.index <= title.last:
            continue
        sign_off = _SIGN_OFF_RE.match(line.text)
        if sign_off and (people := _people(_without_full_stop(sign_off["names"]), page)):
            found.append(_Byline(_Credit.SIGNED, people, line.index))
        elif (note := _author_note(line, page)) is not None:
            found.append(note)
    # The wire's credit in the dateline, "DALLAS (AP) — ...", when no person is named.
    for line in _opening_paragraphs(page, title):
        match = _dateline_match(line.text, page.patterns.label_words)
        if match and match.groupdict().get("credit") and page.known.for_name(match["credit"].strip()):
            found.append(_Byline(_Credit.WIRE, (match["credit"].strip(),), line.index))
            break
    return sorted(found, key=lambda byline: byline.kind)


def _author_note(line: Line, page: _Page) -> _Byline | None:
    """The author of a closing author's note, and the outlet it says they work for."""
    if line.words > AUTHOR_NOTE_MAX_WORDS or not (match := _AUTHOR_NOTE_RE.match(line.text)):
        return None
    # "Mr. Doe is ...", "Ohio Gov. John Roe is ...": a note gives the bare full name.
    if any(_is_abbreviation(w) and len(w.rstrip(".")) > 1 for w in match["names"].split()):
        return None
    people = _people(match["names"], page)
    if not people:
        return None
    employer = None
    pattern = page.known.name_pattern
    for found in pattern.finditer(line.text) if pattern else ():
        if _EMPLOYER_BEFORE_RE.search(line.text[: found.start()]):
            employer = page.known.by_name[found[0]].name
            break
    return _Byline(_Credit.AUTHOR_NOTE, people, line.index, employer=employer)


def _opening_paragraphs(page: _Page, title: _Title | None) -> list[Line]:
    after = title.last if title else -1
    prose = [ln for ln in _content(page) if ln.index > after and ln.words >= 8]
    return prose[:DATELINE_SEARCH_LINES]


def _authors(bylines: Sequence[_Byline]) -> tuple[str, ...]:
    """The names of the strongest credit only.

    A weaker credit (a wire's, a "Follow X on Twitter" line) may name someone else: a
    contributor, a co-host, the agency behind a staff writer's story. So it is never merged in.
    """
    if not bylines:
        return ()
    return bylines[0].authors


def _published(page: _Page, title: _Title | None, bylines: Sequence[_Byline]) -> str | None:
    """The publication date, by this rule, strongest first.

    1. A labeled date on a short line: ``Written: 2019-04-25``, ``Published on June 3, 2019``.
    2. A date on the byline's own line ("By Jane Doe | June 3, 2019"), or a date line next to
       the byline or in the head block after the headline, nearest first: the article's own
       date sits with its byline ("Jane Doe / Asia / June 28th, 2019").
    3. A date line above the headline: scraped pages often start with the day the page was
       fetched ("Sunday, June 30, 2019"), so it counts only when nothing better is there.
    "Updated" dates are never used: they date a later edit.
    """
    for line in _content(page):
        if line.words <= LABELED_DATE_LINE_WORDS and (iso := labeled_date(line.text)):
            return iso
    anchor = title.last if title else -1
    # Only bylines proper: a date by an author's note or a wire credit dates something else.
    byline_lines = {b.line for b in bylines if b.kind <= _Credit.SIGNED}
    after: list[tuple[int, str]] = []
    before: list[tuple[int, str]] = []
    for line in _content(page):
        if line.index in byline_lines and (match := DATE_RE.search(line.text)) and (iso := iso_date(match)):
            after.append((0, iso))  # "By Jane Doe | June 3, 2019"
            continue
        near_byline = any(abs(line.index - b) <= BYLINE_DATE_DISTANCE for b in byline_lines)
        if not (line.index < page.first_prose or near_byline):
            continue
        parsed = date_line(line.text)
        if not parsed or parsed.updated:
            continue
        if line.index > anchor:
            after.append((line.index - anchor, parsed.iso))
        else:
            before.append((anchor - line.index, parsed.iso))
    for candidates in (after, before):
        if candidates:
            return min(candidates)[1]
    return None


def _dateline(page: _Page, title: _Title | None) -> str | None:
    for line in _opening_paragraphs(page, title):
        if match := _dateline_match(line.text, page.patterns.label_words):
            return match["place"].strip()
    for line in _content(page):
        if line.index >= page.first_prose:
            break
        if (parsed := date_line(line.text)) and (match := _DATE_LINE_PLACE_RE.search(parsed.tail)):
            return match["place"].strip()
    return None


def _outlet_and_url(page: _Page, bylines: Sequence[_Byline]) -> tuple[str | None, str | None]:
    """The outlet, and the page's own URL when the text gives one, by this rule.

    1. The domain of an e-mail address in a byline (``jdoe@nytimes.com``), or the outlet an
       author's note says the author works for ("... is a columnist for the Boston Globe").
    2. The domain of any e-mail address on the page ("Reach her at ...@latimes.com").
    3. An outlet named in a furniture line that names the site (copyright, cookie policy,
       comment rules); a wire counts only when no other outlet is named there.
    4. A line that is only a link, before or after the article prose.
    """
    for byline in bylines:
        if byline.email and (outlet := page.known.for_domain(byline.email)):
            return outlet, None
        if byline.employer:
            return byline.employer, None
    for line in page.lines:
        for email in _EMAIL_RE.findall(line.text):
            if outlet := page.known.for_domain(email):
                return outlet, None
    named = page.known
    if named.name_pattern is not None:
        wire: str | None = None
        for index in sorted(page.site_lines):
            for found in named.name_pattern.finditer(page.lines[index].text):
                named_outlet = named.by_name[found[0]]
                if not named_outlet.wire:
                    return named_outlet.name, None
                wire = wire or named_outlet.name
        if wire:
            return wire, None
    for line in page.lines:
        if page.first_prose <= line.index <= page.last_prose:
            continue
        link = _URL_LINE_RE.match(line.text)
        if link and (outlet := page.known.for_domain(link[1])):
            return outlet, link[1]
    return None, None


# --- Original outlet -------------------------------------------------------------------------------

# Each cue ends where the outlet's name must begin: only a listed name or alias right there
# counts, so "Copyright 2015 by Jane Doe" and "the AP reported" in prose name no outlet.
_COPYRIGHT_CUE_RE = re.compile(
    r"(?:©|\([cC]\)|\bCopyright\b|\bCOPYRIGHT\b)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\b)?,?\s*(?:by\s+)?"
)
# "Source: Agency" as a line of its own, perhaps in brackets or after a dash.
_SOURCE_CUE_RE = re.compile(r"^[\s(\[–—-]*(?i:source|sources|via)\s*[:：]\s*")
# "This article originally appeared on ...", "The story was first published by ...".
_ORIGINALLY_CUE_RE = re.compile(
    r"(?i:\b(?:article|story|report|piece|post|version)\s+(?:was\s+|has\s+been\s+)?(?:originally|first)\s+"
    r"(?:appeared|published|ran|posted)\s+(?:on|in|at|by)\s+)"
)
# "- The Agency contributed to this report": the name opens the line.
_CONTRIBUTED_RE = re.compile(r"(?i:\bcontributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article))")
_LINE_OPENING_RE = re.compile(r"^[\s(–—-]*")
# An outlet no list knows, named where only an outlet can stand (a dateline's credit, "originally
# appeared on ..."): one to five capitalised words ("Nordwire", "The Vell Herald", "KBZ-TV").
_UNLISTED_NAME_RE = re.compile(rf"(?:The\s+)?[{_UPPER}][\w&’'.-]*(?:\s+[{_UPPER}][\w&’'.-]*){{0,4}}(?<![.])")
# A domain after "originally appeared on": "... on example.com".
_DOMAIN_RE = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}\b", re.IGNORECASE)


class _Source(IntEnum):
    """How a page says who wrote it, strongest first."""

    DATELINE = 0  # "CITY (Agency) - ..."
    ORIGINALLY = 1  # "This article originally appeared on ..."
    HOUSE_STYLE = 2  # a listed outlet's own credit line ("(Reporting by ...; Editing by ...)")
    BYLINE = 3  # "By Jane Doe, Agency", or the agency on the line under the byline
    COPYRIGHT = 4  # "(c) 2019 Network Name", "Copyright Agency"
    SOURCE = 5  # "Source: Agency"
    CONTRIBUTED = 6  # "- Agency contributed to this report"


def _named_at(text: str, pos: int, known: Outlets) -> str | None:
    """The outlet whose listed name starts exactly at ``pos`` of ``text``."""
    if known.name_pattern is None:
        return None
    found = known.name_pattern.match(text, pos)
    return known.by_name[found[0]].name if found else None


def _line_sources(text: str, known: Outlets, labels: frozenset[str]) -> Iterable[tuple[_Source, str]]:
    """Every credit one line gives, with its kind."""
    if (match := _dateline_match(text, labels)) and match.groupdict().get("credit"):
        credit = match["credit"].strip()
        # a dateline's credit is a writer's by its place, listed or not ("VELL (Nordwire) -"),
        # unless it is a label ("(Staff)", "(Updated)")
        unlisted = _UNLISTED_NAME_RE.fullmatch(credit) is not None and credit.lower() not in labels
        if outlet := known.for_name(credit) or (credit if unlisted else None):
            yield _Source.DATELINE, outlet
    for cue in _ORIGINALLY_CUE_RE.finditer(text):
        if outlet := _named_at(text, cue.end(), known):
            yield _Source.ORIGINALLY, outlet
        elif (domain := _DOMAIN_RE.match(text, cue.end())) and (outlet := known.for_domain(domain[0])):
            yield _Source.ORIGINALLY, outlet
        elif unlisted := _UNLISTED_NAME_RE.match(text, cue.end()):
            # "originally appeared on Nordwire": only a publisher is a place a story appears
            yield _Source.ORIGINALLY, unlisted[0]
    for style, written_by in known.credit_styles:
        if style.search(text):
            yield _Source.HOUSE_STYLE, written_by.name
    if (byline := _BYLINE_RE.match(text)) and known.name_pattern is not None:
        if found := known.name_pattern.search(text, byline.start("names")):
            yield _Source.BYLINE, known.by_name[found[0]].name
    for cue in _COPYRIGHT_CUE_RE.finditer(text):
        if outlet := _named_at(text, cue.end(), known):
            yield _Source.COPYRIGHT, outlet
    if (cue := _SOURCE_CUE_RE.match(text)) and (outlet := _named_at(text, cue.end(), known)):
        yield _Source.SOURCE, outlet
    if _CONTRIBUTED_RE.search(text) and (outlet := _named_at(text, _LINE_OPENING_RE.match(text).end(), known)):
        yield _Source.CONTRIBUTED, outlet


def _original_outlet(page: _Page, bylines: Sequence[_Byline]) -> str | None:
    """The outlet that wrote the story, by the page's own credits, wherever they sit.

    A wire story on a regional site, a network's story on an affiliate: the page's site and the
    outlet that wrote it differ. The strongest credit wins (``_Source``), the first on the page
    among equals. Every line is read, furniture too (copyright lines are furniture), since
    scraped pages put the credit at the top, the end, or in a truncated middle.
    """
    found: list[tuple[_Source, int, str]] = []
    byline_lines = {b.line for b in bylines if b.kind <= _Credit.SIGNED}
    for line in page.lines:
        if not line.text:
            continue
        found.extend((kind, line.index, outlet) for kind, outlet in
                     _line_sources(line.text, page.known, page.patterns.label_words))
        # the agency on a line of its own under the byline: "By Jane Doe" / "Harbor Wire Service"
        if line.index - 1 in byline_lines and (outlet := page.known.for_name(line.text.strip())):
            found.append((_Source.BYLINE, line.index, outlet))
    return min(found)[2] if found else None


def read_metadata(text: str, known: Outlets, patterns: Furniture) -> ArticleMeta:
    """Read the metadata an article's text gives: headline, authors, outlet, date, dateline,
    and the outlet that wrote the story (``original_outlet``: a wire's, a network's).

    Works on clean articles (headline on the first line) and on scraped pages full of menu
    words, share buttons and comment rules. Each field is None (or empty) when the text does not
    say it clearly: see ``_published`` and ``_outlet_and_url`` for the order of preference.

    Args:
        text: The article text as read.
        known: The outlets quotetrace knows (``Lexicon.outlets``).
        patterns: The furniture patterns (``Lexicon.furniture``).

    Returns:
        An ``ArticleMeta`` with ``published`` as ``YYYY-MM-DD`` and ``dateline`` the place only
        (``WASHINGTON``, ``Chennai``).
    """
    page = _page(text, known, patterns)
    title = _find_title(page)
    bylines = _bylines(page, title)
    outlet, url = _outlet_and_url(page, bylines)
    return ArticleMeta(
        outlet=outlet,
        authors=_authors(bylines),
        published=_published(page, title, bylines),
        title=_clean_title(title.text, known) if title else None,
        url=url,
        dateline=_dateline(page, title),
        original_outlet=_original_outlet(page, bylines),
    )
