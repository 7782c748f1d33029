"""Reading articles: files, folders, stdin, JSONL and HTML become ``Article`` records.

Offsets in every quote are character offsets into ``Article.text``, so the decoding here is part of
the contract: a UTF-8 (or UTF-16/32) byte-order mark is dropped, invalid UTF-8 falls back to
cp1252 or U+FFFD with a warning (``reading.decode_fallback``), and line endings are normalised to ``\\n`` exactly as Python's text mode does, so
``open(path, encoding="utf-8").read()[start:end]`` shows the quote for any UTF-8 file.

One bad input never stops a run: each failure is handed to an ``on_error`` callback as an
``InputError`` (path and reason) and reading goes on with the next input.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, BinaryIO

from quotetrace.dates import parse_date
from quotetrace.errors import InputError
from quotetrace.lexicon import Lexicon, default_lexicon
from quotetrace.models import Article, ArticleMeta
from quotetrace.reading import (
    decode_fallback,
    lines,
    max_bytes,
    open_input,
    read_limited,
    read_stdin,
    without_surrogates,
)
from quotetrace.sidecar import SIDECAR, sidecar_rows

log = logging.getLogger(__name__)

STDIN = "-"
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
# A folder is searched for these only: folders of articles often hold other files (annotations,
# images) that are not articles. A file named explicitly is read whatever its suffix.
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"}) | HTML_SUFFIXES | JSONL_SUFFIXES
# Text never holds NUL bytes unless it is UTF-16/32, so NULs this early mean a binary file;
# 1 KiB is what `file` and git look at for the same decision.
BINARY_SNIFF_BYTES = 1024
# ... but a scraped page with a stray NUL or two is still text: a file is binary when more than
# this share of its first KiB is NULs and other control bytes (executables, images and archives
# run far above it; text with stray controls far below).
BINARY_CONTROL_SHARE = 0.1
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_JSONL_TEXT_FIELDS = ("url", "outlet", "published", "title", "original_outlet")
# A CSV beside article files that says what their text may not (``SIDECAR``: see sidecar.py).

ErrorHandler = Callable[[InputError], None]
# Reads what an article's text says of it (``metadata.read_metadata`` with the lexicon's outlets
# and furniture). The runner passes one that asks the index first: the text's metadata is a
# quarter of a command answered from the index.
MetadataReader = Callable[[str], ArticleMeta]


@dataclass
class _Reading:
    """What one ``read_articles`` call remembers: the files read (a folder named twice, as ``dir``
    and ``./dir/``, is read once), each folder's sidecar, and the size limit."""

    report: ErrorHandler
    limit: int
    read_meta: MetadataReader
    seen: set[str] = field(default_factory=set)
    sidecars: dict[str, dict[str, ArticleMeta]] = field(default_factory=dict)


def read_articles(paths: Sequence[str], on_error: ErrorHandler | None = None, *,
                  lexicon: Lexicon | None = None, metadata_reader: MetadataReader | None = None) -> Iterator[Article]:
    """Read articles from files, folders (recursively), JSONL files and stdin (``-``).

    Args:
        paths: Inputs as the user names them. A folder yields its article files (see
            ``ARTICLE_SUFFIXES``) in sorted order, hidden ones skipped; a ``.jsonl`` file yields
            one article per line, with path ``file.jsonl:LINE``.
        on_error: Called with an ``InputError`` for each input that cannot be read; reading
            then goes on. By default each failure is logged as a warning.
        lexicon: The word lists metadata is read with (outlets, furniture); default: bundled.
        metadata_reader: Reads the metadata of a text instead of ``text_metadata(lexicon)``
            (one that remembers its answers, say); it must give the same answers.

    Yields:
        Each article in input order, metadata given by the input (JSONL, HTML) winning over what
        is read from the text.
    """
    report = on_error or _log_failure
    reading = _Reading(report, max_bytes(),
                       metadata_reader or text_metadata(lexicon if lexicon is not None else default_lexicon()))
    # a path named twice (or "-" twice: stdin can be read once) is read once
    for given in dict.fromkeys(paths):
        searched = given != STDIN and os.path.isdir(given)
        for path, file in _expand(given, report):
            if file is not None:
                real = os.path.realpath(file)
                if real in reading.seen:
                    continue
                reading.seen.add(real)
            try:
                yield from _read_file(path, file, reading, searched)
            except InputError as error:
                report(error)


def text_metadata(lexicon: Lexicon) -> MetadataReader:
    """What an article's text says of it, read with ``lexicon``'s outlets and furniture."""
    # Imported here: its patterns take a tenth of a second to compile, which a command whose
    # articles' metadata the index remembers does not pay.
    from quotetrace.metadata import read_metadata

    return lambda text: read_metadata(text, lexicon.outlets, lexicon.furniture)


def default_corpus_paths() -> list[str]:
    """The bundled articles: the files ``quotetrace list`` reads when given no paths.

    Raises:
        InputError: The corpus folder is missing (a broken install).
    """
    folder = corpus_dir()
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        raise InputError.corpus_missing(str(folder))
    return [str(file) for file in files]


def corpus_dir() -> Path:
    """Where the bundled corpus is: inside the installed package, or in the source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "corpus"  # put there by the wheel build (pyproject force-include)
    return installed if installed.is_dir() else package.parent / "corpus"


def decode(data: bytes, path: str) -> str:
    """Decode an article file's bytes to the text its offsets refer to.

    Raises:
        InputError: The bytes are binary or hold only whitespace.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            break
    else:
        if _looks_binary(data):
            raise InputError.binary(path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Invalid UTF-8 is almost always a Windows-1252 page saved as is, or UTF-8 with a
            # stray byte: decoded as the bytes say, with a warning naming the file.
            text = decode_fallback(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError.empty(path)
    return text


def _looks_binary(data: bytes) -> bool:
    head = data[:BINARY_SNIFF_BYTES]
    if b"\0" not in head:
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > BINARY_CONTROL_SHARE * len(head)


def _log_failure(error: InputError) -> None:
    log.warning("%s", error)


def _expand(given: str, report: ErrorHandler) -> Iterator[tuple[str, Path | None]]:
    """Turn one named input into (path as shown, file) pairs; ``None`` stands for stdin."""
    if given == STDIN:
        yield given, None
        return
    root = Path(given)
    if root.is_dir():
        for relative in _article_files(root):
            # a file name that is not valid UTF-8 is shown (and written in JSON) with U+FFFD
            shown = os.fsencode(os.path.join(given, relative)).decode("utf-8", "replace")
            yield shown, root / relative
    elif root.exists():
        # an argument that is not valid UTF-8 is shown (and written in JSON) with U+FFFD
        yield os.fsencode(given).decode("utf-8", "replace"), root
    else:
        report(InputError.not_found(given))


def _article_files(root: Path) -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                found.append(Path(folder, name).relative_to(root))
    return sorted(found)


def _sidecar(path: str, file: Path | None, reading: _Reading) -> ArticleMeta:
    """Metadata a user gives for a file in ``metadata.csv`` beside it (see ``sidecar.py``)."""
    if file is None:
        return ArticleMeta()
    folder = str(file.parent.resolve())
    if folder not in reading.sidecars:
        shown = os.path.join(os.path.dirname(path), SIDECAR)
        reading.sidecars[folder] = sidecar_rows(Path(folder), shown, reading.limit, reading.report)
    return reading.sidecars[folder].get(file.name) or ArticleMeta()


def _read_file(path: str, file: Path | None, reading: _Reading, searched: bool) -> Iterator[Article]:
    if file is None:
        yield _article(path, decode(read_stdin(reading.limit), path), ArticleMeta(), reading.read_meta)
        return
    with open_input(path, str(file), searched=searched) as handle:
        suffix = file.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_file(path, handle, reading)
            return
        data = read_limited(path, handle, reading.limit)
    if suffix in HTML_SUFFIXES:
        yield _html_article(path, data, reading.read_meta)
    else:
        text = decode(data, path)
        yield _article(path, text, _sidecar(path, file, reading), reading.read_meta)


def _jsonl_file(path: str, handle: BinaryIO, reading: _Reading) -> Iterator[Article]:
    """A JSONL file's articles, line by line: each line is decoded on its own, so one bad byte
    costs (and is warned about on) its own line only."""
    head = handle.peek(BINARY_SNIFF_BYTES)[:BINARY_SNIFF_BYTES] if hasattr(handle, "peek") else b""
    if head.startswith(tuple(bom for bom, encoding in _BOMS if encoding != "utf-8-sig")):
        # UTF-16 and UTF-32 cannot be split into lines as bytes
        yield from _jsonl_articles(path, decode(read_limited(path, handle, reading.limit), path), reading.report,
                                   reading.read_meta)
        return
    if _looks_binary(head):
        raise InputError.binary(path)
    found = False
    for number, line in lines(path, handle, reading.limit):
        if isinstance(line, InputError):
            found = True
            reading.report(line)
            continue
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        line_path = f"{path}:{number}"
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = decode_fallback(line, line_path)
        if not text.strip():
            continue
        found = True
        try:
            yield _jsonl_article(line_path, text, reading.read_meta)
        except InputError as error:
            reading.report(error)
    if not found:
        raise InputError.empty(path)


def merge_metadata(given: ArticleMeta, read: ArticleMeta) -> ArticleMeta:
    """The one rule for metadata: what the user gave wins, field by field, over what the text
    says; a field the user left empty keeps what the text says (a JSONL record with an outlet
    and no author keeps the byline read from the text)."""
    overrides = {f.name: getattr(given, f.name) for f in fields(given) if getattr(given, f.name)}
    return replace(read, **overrides)

def with_metadata(article: Article, given: ArticleMeta) -> Article:
    """The article with ``given`` metadata winning, field by field, over what it has: the one
    merge rule for metadata an input (JSONL, HTML, ``metadata.csv``, a gold file) gives."""
    return replace(article, meta=merge_metadata(given, article.meta))


def as_metadata(metadata: ArticleMeta | Mapping[str, Any] | None) -> ArticleMeta:
    """Metadata given as an ``ArticleMeta`` or a dict of its fields (``author`` or ``authors``:
    a name or a list of names)."""
    if isinstance(metadata, ArticleMeta):
        return metadata
    if not metadata:
        return ArticleMeta()
    authors = metadata.get("authors") or metadata.get("author") or ()
    if isinstance(authors, str):
        authors = (authors,)
    return ArticleMeta(outlet=metadata.get("outlet"), authors=tuple(authors), published=metadata.get("published"),
                       title=metadata.get("title"), url=metadata.get("url"), dateline=metadata.get("dateline"),
                       original_outlet=metadata.get("original_outlet"))


def article_from_text(path: str, text: str, metadata: ArticleMeta | Mapping[str, Any] | None = None,
                      lexicon: Lexicon | None = None) -> Article:
    """An article from its text and what the caller knows of it (``merge_metadata``)."""
    lex = lexicon if lexicon is not None else default_lexicon()
    return _article(path, text, as_metadata(metadata), text_metadata(lex))


def _article(path: str, text: str, given: ArticleMeta, read_meta: MetadataReader) -> Article:
    """An article whose given metadata wins, field by field, over what its text says."""
    return Article(path=path, text=text, meta=merge_metadata(given, read_meta(text)))


def _jsonl_articles(path: str, text: str, report: ErrorHandler, read_meta: MetadataReader) -> Iterator[Article]:
    """One article per line; a bad line is reported and skipped, not the whole file."""
    # Split on "\n" only: JSON strings may hold U+2028 and other breaks str.splitlines() splits on.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        line_path = f"{path}:{number}"
        try:
            yield _jsonl_article(line_path, line, read_meta)
        except InputError as error:
            report(error)


def _jsonl_article(path: str, line: str, read_meta: MetadataReader) -> Article:
    try:
        record = json.loads(line)
    except ValueError as error:
        raise InputError.bad_json(path, error) from error
    except RecursionError as error:  # arrays nested thousands deep
        raise InputError.bad_json(path, ValueError("nested too deeply")) from error
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        raise InputError.bad_record(path)
    if "\\u" in line:  # only an escape can make a lone surrogate
        record = without_surrogates(record, path)
    return _article(path, record["text"], _meta_from_record(path, record), read_meta)


def _meta_from_record(path: str, record: Mapping[str, Any]) -> ArticleMeta:
    fields: dict[str, Any] = {}
    for name in _JSONL_TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError.bad_field(path, name)
        fields[name] = value
    author = record.get("author")
    if isinstance(author, str):
        fields["authors"] = (author,)
    elif isinstance(author, list) and all(isinstance(name, str) for name in author):
        fields["authors"] = tuple(author)
    elif author is not None:
        raise InputError.bad_field(path, "author")
    fields["published"] = _checked_date(fields["published"], path)
    return ArticleMeta(**fields)


def _checked_date(value: str | None, path: str) -> str | None:
    """A given publication date as ISO 8601, or None with a warning: dates are compared (first
    appearance), and text such as "June 28, 2019" would sort as text."""
    if value is None or not value.strip():
        return None
    iso = parse_date(value)
    if iso is None:
        log.warning('published "%s" is not a date (such as 2019-06-28); it is ignored', value,
                    extra={"article": path})
    return iso


def _html_article(path: str, data: bytes, read_meta: MetadataReader) -> Article:
    try:
        import trafilatura  # optional: the [html] extra
    except ImportError as error:
        raise InputError.html_needs_extra(path) from error
    if _looks_binary(data) and not data.startswith(tuple(bom for bom, _ in _BOMS)):
        raise InputError.binary(path)
    # Bytes, not decoded text: trafilatura honours the page's own <meta charset>.
    document = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    fields = _as_dict(document)
    text = (fields.get("text") or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError.html_without_text(path)
    authors = tuple(name.strip() for name in (fields.get("author") or "").split(";") if name.strip())
    given = ArticleMeta(
        outlet=fields.get("sitename") or None,
        authors=authors,
        published=_checked_date(fields.get("date"), path),
        title=fields.get("title") or None,
        url=fields.get("url") or None,
    )
    return _article(path, text, given, read_meta)


def _as_dict(document: Any) -> dict[str, Any]:
    """trafilatura 2 returns a Document (with ``as_dict``); older releases a dict or None."""
    if document is None:
        return {}
    if hasattr(document, "as_dict"):
        return dict(document.as_dict())
    return dict(document)

