"""Bytes in, safely: which files are read, how much of them, and how text that is not clean UTF-8
is decoded.

- **Only regular files** are read from a searched folder: a FIFO would block the run forever and a
  link to ``/dev/zero`` would never end. A file the user names may also be a pipe (``<(...)``, a
  FIFO); anything else (a device, a socket) is refused.
- **A size limit** (``MAX_BYTES_ENV``, default ``DEFAULT_MAX_BYTES``) bounds what one article may
  cost: a text file, standard input, or one line of a JSONL file.
- **Decoding never guesses silently**: bytes that are not UTF-8 are decoded by a fallback and a
  warning names the input, so that a reader knows the offsets refer to the text as decoded.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from quotetrace.errors import InputError, SettingError

log = logging.getLogger(__name__)

MAX_BYTES_ENV = "QUOTETRACE_MAX_FILE_SIZE"
# News articles run to tens of kilobytes; the longest pages to a few megabytes. 64 MB leaves room
# for any real article while keeping a runaway input (a log, a dump, /dev/zero) from filling memory.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_SIZE = re.compile(r"(?P<number>\d+)\s*(?P<unit>[kmg]?)(?:i?b)?", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
# Lone surrogates (a JSON escape such as "\ud800" with no partner) cannot be written as UTF-8:
# they would fail the output, and spaCy, far from the line they came from.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Read this much at a time when skipping the rest of a JSONL line over the limit.
_SKIP_CHUNK = 1 << 20


def max_bytes() -> int:
    """The size limit for one article, in bytes: ``$QUOTETRACE_MAX_FILE_SIZE`` (``200M``,
    ``1G``, ``500000``), else ``DEFAULT_MAX_BYTES``.

    Raises:
        SettingError: The variable is set but is not a size.
    """
    value = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_BYTES
    match = _SIZE.fullmatch(value)
    if not match or int(match["number"]) == 0:
        raise SettingError.bad_size(MAX_BYTES_ENV, value)
    return int(match["number"]) * _UNITS[match["unit"].lower()]


def open_input(path: str, file: str, *, searched: bool) -> BinaryIO:
    """Open an input file for reading, if it is one quotetrace reads.

    Args:
        path: The input as shown to the user (for messages).
        file: Where it is.
        searched: True for a file found in a folder: then only a regular file is opened (a FIFO
            is never opened, as opening one waits for a writer).

    Raises:
        InputError: It is not a regular file (or, when named, a pipe), or it cannot be opened.
    """
    try:
        if searched and not stat.S_ISREG(os.stat(file).st_mode):
            raise InputError.not_regular(path)
        handle = open(file, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as error:
        raise InputError.unreadable(path, error) from error
    mode = os.fstat(handle.fileno()).st_mode
    # Checked again on the open file: what was a file when looked at may have been replaced.
    if not (stat.S_ISREG(mode) or (stat.S_ISFIFO(mode) and not searched)):
        handle.close()
        raise InputError.not_regular(path)
    return handle


def read_limited(path: str, handle: BinaryIO, limit: int) -> bytes:
    """All of ``handle``, if it holds no more than ``limit`` bytes.

    Raises:
        InputError: It holds more, or reading failed.
    """
    if _size(handle) > limit:  # known without reading: refused at once
        raise InputError.too_large(path, limit, MAX_BYTES_ENV)
    try:
        data = handle.read(limit + 1)
    except OSError as error:
        raise InputError.unreadable(path, error) from error
    if len(data) > limit:
        raise InputError.too_large(path, limit, MAX_BYTES_ENV)
    return data


def _size(handle: BinaryIO) -> int:
    """A regular file's size; 0 for a pipe, or a stream that is no file at all."""
    try:
        info = os.fstat(handle.fileno())
    except (OSError, ValueError):
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


def _regular(handle: BinaryIO) -> bool:
    try:
        return stat.S_ISREG(os.fstat(handle.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def read_stdin(limit: int) -> bytes:
    """Standard input, if it is open and holds no more than ``limit`` bytes.

    Raises:
        InputError: Standard input is closed, too large, or cannot be read.
    """
    if sys.stdin is None:  # started with stdin closed (`<&-`)
        raise InputError.stdin_closed()
    try:
        return read_limited("-", sys.stdin.buffer, limit)
    except (AttributeError, ValueError) as error:  # replaced by an object without bytes, or closed
        raise InputError.stdin_closed() from error


def lines(path: str, handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | InputError]]:
    """The lines of a JSONL file as bytes, numbered from 1, split on ``\\n`` only (a raw CR is
    JSON white space, not a line break). A line longer than ``limit`` comes as an ``InputError``;
    the next lines are still read from a regular file, not from a pipe (its line may never end).

    Raises:
        InputError: Reading failed.
    """
    regular = _regular(handle)
    number = 0
    try:
        while line := handle.readline(limit + 1):
            number += 1
            if len(line) <= limit or (len(line) == limit + 1 and line.endswith(b"\n")):
                yield number, line
                continue
            yield number, InputError.too_large(f"{path}:{number}", limit, MAX_BYTES_ENV)
            if not regular:
                return
            while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
    except OSError as error:
        raise InputError.unreadable(path, error) from error


def decode_fallback(data: bytes, path: str) -> str:
    """Bytes that are not valid UTF-8, decoded as best they can be, with a warning naming ``path``.

    Mostly UTF-8 with a few stray bytes (a truncated copy, one pasted byte) stays UTF-8, the stray
    bytes becoming U+FFFD; bytes that hold no UTF-8 at all beyond ASCII are a Windows-1252 page,
    the usual legacy encoding of English news, and are decoded as cp1252. Either way each byte or
    character becomes one character, so offsets stay put within the text as decoded.
    """
    as_utf8 = data.decode("utf-8", errors="replace")
    invalid = as_utf8.count("\ufffd") - data.count("\ufffd".encode())
    valid_wide = sum(1 for char in as_utf8 if ord(char) > 127) - as_utf8.count("\ufffd")
    if valid_wide > invalid:
        log.warning("not valid UTF-8: %d stray bytes read as U+FFFD", invalid, extra={"article": path})
        return as_utf8
    log.warning("not UTF-8: read as Windows-1252 (cp1252)", extra={"article": path})
    # The few bytes cp1252 leaves undefined become U+FFFD rather than failing the article.
    return data.decode("cp1252", errors="replace")


def without_surrogates(record: dict[str, Any], path: str) -> dict[str, Any]:
    """A JSON object's strings (and lists of strings) with lone surrogates (``"\\ud800"``) made
    U+FFFD, one for one so that offsets stay put, with one warning naming ``path``."""
    count = 0

    def fix(item: Any) -> Any:
        nonlocal count
        if not isinstance(item, str):
            return item
        fixed, found = _SURROGATE.subn("\ufffd", item)
        count += found
        return fixed

    fixed = {key: [fix(i) for i in value] if isinstance(value, list) else fix(value) for key, value in record.items()}
    if count:
        log.warning("lone surrogate escapes (\\ud800 and the like) read as U+FFFD: %d", count, extra={"article": path})
    return fixed
