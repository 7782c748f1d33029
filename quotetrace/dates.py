"""Dates as news pages write them, read to ISO 8601 (``June 28th, 2019`` -> ``2019-06-28``)."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

# A date line holds a date and little else: at most this many words follow the date
# ("10:48 pm | Updated 10:48 pm IST - Chennai" is 8).
DATE_LINE_TAIL_WORDS = 10

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
_WEEKDAYS = {d.lower() for d in calendar.day_name} | {d.lower() for d in calendar.day_abbr}
CALENDAR_WORDS = frozenset(MONTHS) | frozenset(_WEEKDAYS)

MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted((re.escape(d) for d in _WEEKDAYS), key=len, reverse=True))
DATE_RE = re.compile(
    rf"(?:(?:{_WEEKDAY_ALT})\.?,?\s+)?"
    rf"(?:(?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}}))"
    rf"|(?P<mon1>{MONTH_ALT})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{MONTH_ALT})\.?,?\s+(?P<y2>\d{{4}}))"
    r"(?!\d)",
    re.IGNORECASE,
)
# Labels of the publication date. "Updated" is not among them: it dates a later edit.
_DATE_LABEL_RE = re.compile(
    r"(?:^|[|·•]\s*)(?:written|published|posted|first published|created|date|pubdate)(?:\s+on)?\s*:?\s*$",
    re.IGNORECASE,
)
# What may precede the date on a date line; "updated" lines are date lines, but not the
# publication date.
_DATE_PREFIX_RE = re.compile(
    r"^(?:(?P<label>written|published|posted|first published|created|date|updated|last updated)"
    r"(?:\s+on)?\s*:?\s*)?$",
    re.IGNORECASE,
)


def iso_date(match: re.Match[str]) -> str | None:
    try:
        if match["iso"]:
            day = datetime.date(int(match["iy"]), int(match["im"]), int(match["id"]))
        elif match["mon1"]:
            day = datetime.date(int(match["y1"]), MONTHS[match["mon1"].lower()], int(match["d1"]))
        else:
            day = datetime.date(int(match["y2"]), MONTHS[match["mon2"].lower()], int(match["d2"]))
    except ValueError:  # 31 June, month 13: not a date after all
        return None
    return day.isoformat()


def labeled_date(line: str) -> str | None:
    """The date after a publication label on a short line: ``Written: 2019-04-25 18:38:40``."""
    if len(line) > MAX_DATE_LINE_CHARS:
        return None
    for match in DATE_RE.finditer(line):
        if _DATE_LABEL_RE.search(line[: match.start()]):
            return iso_date(match)
    return None


@dataclass(frozen=True)
class DateLine:
    iso: str
    tail: str  # what follows the date: a time, "| Updated ...", a place
    updated: bool  # "Updated: ..." dates a later edit, not the publication


def date_line(line: str) -> DateLine | None:
    """A line that is a date and little more (``June 28th, 2019``, ``Updated: 2019-04-25``)."""
    if len(line) > MAX_DATE_LINE_CHARS:
        return None
    match = DATE_RE.search(line)
    prefix = _DATE_PREFIX_RE.match(line[: match.start()].strip()) if match else None
    if not match or not prefix:
        return None
    tail = line[match.end() :]
    if len(tail.split()) > DATE_LINE_TAIL_WORDS:
        return None
    iso = iso_date(match)
    updated = "updated" in (prefix["label"] or "").lower()
    return DateLine(iso, tail, updated) if iso else None



# A weekday, a month's name, a time and a zone fit in this; anything longer is not one date.
_MAX_DATE_CHARS = 64
# Lines longer than this are prose, not a date line: the date patterns never see them (one very
# long token must cost linear time).
MAX_DATE_LINE_CHARS = 400


def parse_date(value: str) -> str | None:
    """A date as people and programs write it, as ISO 8601 ``YYYY-MM-DD``; None when it is not
    one whole date. Takes ISO dates and times (``2019-06-28``, ``2019-06-28T10:30:00Z``) and the
    forms an article's date line takes (``June 28, 2019``, ``Fri, 28 June 2019``)."""
    value = value.strip()
    if len(value) > _MAX_DATE_CHARS:
        return None
    try:
        return datetime.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    match = DATE_RE.fullmatch(value.rstrip("."))
    return iso_date(match) if match else None
