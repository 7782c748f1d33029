"""``metadata.csv``: what a user says about the article files beside it.

Columns: ``file`` (a file's name in the same folder) and any of ``outlet``, ``published`` (a date,
made ISO 8601 ``YYYY-MM-DD``), ``author`` (names split by ``;``), ``title``, ``url``, ``original_outlet``. What it gives
wins over what is read from the text.

A file that cannot be used at all (unreadable, no ``file`` column, a field past the csv module's
limit, broken CSV) is one ``InputError``; what can be used despite a fault is used and the fault is
a warning naming the file and line: a column quotetrace does not know (a misspelling, with the
column it may have meant), a file given twice (the first row is kept), a date that is not one.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import logging
from collections.abc import Callable
from pathlib import Path

from quotetrace.dates import parse_date
from quotetrace.errors import InputError
from quotetrace.models import ArticleMeta
from quotetrace.reading import decode_fallback, open_input, read_limited

log = logging.getLogger(__name__)

SIDECAR = "metadata.csv"
COLUMNS = ("file", "outlet", "published", "author", "title", "url", "original_outlet")
# How alike a column must be to a known one to be suggested ("outlte" -> "outlet").
_SUGGEST_CUTOFF = 0.6

ErrorHandler = Callable[[InputError], None]


def sidecar_rows(folder: Path, shown: str, limit: int, report: ErrorHandler) -> dict[str, ArticleMeta]:
    """The metadata ``folder/metadata.csv`` gives, by file name; empty when there is none.

    Args:
        folder: The folder to look in.
        shown: The sidecar's path as the user would name it (for messages).
        limit: The size limit of one input, in bytes.
        report: Called with the ``InputError`` when the file cannot be used at all.
    """
    path = folder / SIDECAR
    if not path.is_file():
        return {}
    try:
        with open_input(shown, str(path), searched=True) as handle:
            data = read_limited(shown, handle, limit)
    except InputError as error:
        report(error)
        return {}
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = decode_fallback(data, shown)  # a spreadsheet's CSV is often cp1252: warned, used
    try:
        return _rows(text, shown)
    except InputError as error:
        report(error)
        return {}


def _rows(text: str, shown: str) -> dict[str, ArticleMeta]:
    # newline="": the csv module reads line endings itself, inside quoted fields too
    # strict: a stray quote mark is an error to show, not a field silently run into the next
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        if "file" not in header:
            hint = _suggestion(header, "file")
            raise InputError.sidecar(shown, f'line 1: no "file" column{hint}')
        unknown = [name for name in header if name not in COLUMNS]
        for column in unknown:
            guess = difflib.get_close_matches(column, COLUMNS, n=1, cutoff=_SUGGEST_CUTOFF)
            meant = f' (did you mean "{guess[0]}"?)' if guess else ""
            _warn(shown, 1, f'unknown column "{column}"{meant} is ignored; columns are {", ".join(COLUMNS)}')
        found: dict[str, ArticleMeta] = {}
        first_line: dict[str, int] = {}
        for values in reader:
            line = reader.line_num
            row = dict(zip(header, (value.strip() for value in values)))
            name = row.get("file")
            if not name:
                continue
            if name in found:
                _warn(shown, line, f'"{name}" is also on line {first_line[name]}; line {first_line[name]} is kept')
                continue
            found[name] = _meta(row, shown, line)
            first_line[name] = line
        return found
    except csv.Error as error:
        raise InputError.sidecar(shown, f"line {reader.line_num}: {error}") from error


def _meta(row: dict[str, str], shown: str, line: int) -> ArticleMeta:
    published = row.get("published") or None
    if published is not None and (iso := parse_date(published)) != published:
        if iso is None:
            _warn(shown, line, f'published "{published}" is not a date (such as 2019-06-28); it is ignored')
        published = iso
    authors = tuple(a.strip() for a in (row.get("author") or "").split(";") if a.strip())
    return ArticleMeta(outlet=row.get("outlet") or None, authors=authors, published=published,
                       title=row.get("title") or None, url=row.get("url") or None,
                       original_outlet=row.get("original_outlet") or None)


def _suggestion(header: list[str], wanted: str) -> str:
    guess = difflib.get_close_matches(wanted, header, n=1, cutoff=_SUGGEST_CUTOFF)
    return f' ("{guess[0]}" is not "{wanted}")' if guess else f" (the header is: {', '.join(header) or 'empty'})"


def _warn(shown: str, line: int, message: str) -> None:
    log.warning("%s", message, extra={"article": f"{shown}:{line}"})
