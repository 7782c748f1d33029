"""The index: articles already read, and the quotes found in each, in one SQLite file.

This is the only module with SQL. An article is keyed by a SHA-256 of its text, the metadata the
extractor is given, the extractor's version and the spaCy pipeline's name and version
(``article_key``): a changed file, changed metadata, a new quotetrace or a new pipeline means a new
key, so the article is read again; an unchanged one is answered from here without loading spaCy.

What is stored is what the extractor finds in the article alone (``Quote.to_dict()`` records, as
JSON), before the steps that depend on the whole run: one spelling per person across articles,
aliases and claim linking run again on every query. The article's text is stored too, so offsets
can be checked against it.

Which file: ``--db PATH``, else the ``QUOTETRACE_DB`` environment variable, else ``index.sqlite3``
in the user's cache folder (``default_db_path()``). Schema changes are functions in
``MIGRATIONS``, applied in order, each once, and recorded by name in a ``_migrations`` table (as
simonw/llm does). Several processes can share one file: the journal is a write-ahead log, each
article is written in one transaction (a run killed midway leaves whole articles or none), and a
writer waits for another's transaction instead of failing.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from quotetrace.errors import StoreError
from quotetrace.models import Article, ArticleMeta, Quote

DB_ENV = "QUOTETRACE_DB"
DB_FILENAME = "index.sqlite3"
# Written into the file header (PRAGMA application_id) so that another program's SQLite file is
# told apart from ours: "qtrc" in ASCII.
APPLICATION_ID = 0x71747263
# How long a writer waits for another process's transaction. Those last one article (a few
# milliseconds) or one migration; a minute leaves room for a slow or busy disk.
BUSY_TIMEOUT_SECONDS = 60.0
# Keys per ``IN (...)`` lookup: under SQLite's historical limit of 999 bound variables.
LOOKUP_CHUNK = 500
# Linked runs kept (``Index.add_claims``): the latest ones, so that the file does not grow with
# every different set of articles ever linked. A run of 100,000 quotes takes about 2 MB.
CLAIM_RUNS_KEPT = 16
# SQLite's result codes for a file that is not a database, or a damaged one.
_NOT_A_DATABASE = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(function: Migration) -> Migration:
    """Register a schema change. Never edit or reorder a released one: add a new one."""
    MIGRATIONS.append(function)
    return function


@migration
def m001_articles_and_quotes(db: sqlite3.Connection) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("""
        CREATE TABLE articles (
            key TEXT PRIMARY KEY,
            text_sha256 TEXT NOT NULL,
            extractor_version TEXT NOT NULL,
            pipeline TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            path TEXT NOT NULL,
            meta TEXT NOT NULL,
            text TEXT NOT NULL,
            quote_count INTEGER NOT NULL,
            indexed_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX articles_by_text ON articles (text_sha256)")
    db.execute("""
        CREATE TABLE quotes (
            article_key TEXT NOT NULL REFERENCES articles (key) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            speaker TEXT,
            record TEXT NOT NULL,
            PRIMARY KEY (article_key, position)
        )""")
    db.execute("CREATE INDEX quotes_by_speaker ON quotes (speaker)")


@migration
def m002_claim_runs(db: sqlite3.Connection) -> None:
    # A run's claim ids, so that a run whose quotes have not changed is not linked again.
    # ``key`` is a digest of everything the linker reads and of the linker's version.
    db.execute("""
        CREATE TABLE claim_runs (
            key TEXT PRIMARY KEY,
            linker_version TEXT NOT NULL,
            quote_count INTEGER NOT NULL,
            claims TEXT NOT NULL,
            stored_at TEXT NOT NULL
        )""")


@migration
def m003_text_metadata(db: sqlite3.Connection) -> None:
    # What each text says of its article (``metadata.read_metadata``), by the text's digest and
    # the version of the code and word lists that read it: reading it again is a quarter of a
    # command answered from the index.
    db.execute("""
        CREATE TABLE text_metadata (
            text_sha256 TEXT NOT NULL,
            reader_version TEXT NOT NULL,
            meta TEXT NOT NULL,
            PRIMARY KEY (text_sha256, reader_version)
        ) WITHOUT ROWID""")


@dataclass(frozen=True)
class Extractor:
    """What produced the quotes of an article; part of its key."""

    version: str  # pipeline.EXTRACTOR_VERSION
    pipeline: str  # the spaCy pipeline's name, as nlp.pipeline_name_version gives it
    pipeline_version: str


def default_db_path() -> Path:
    """``index.sqlite3`` in the user's cache folder (``~/.cache/quotetrace`` on Linux)."""
    from platformdirs import user_cache_path

    return user_cache_path("quotetrace") / DB_FILENAME


def db_path(given: str | os.PathLike[str] | None = None) -> Path:
    """The index file: ``given`` (``--db``), else ``QUOTETRACE_DB``, else ``default_db_path()``."""
    chosen = given or os.environ.get(DB_ENV)
    return Path(chosen) if chosen else default_db_path()


def text_sha256(text: str) -> str:
    # surrogatepass: a lone surrogate (possible in JSON input) must hash, not raise.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def article_key(article: Article, extractor: Extractor) -> str:
    """The key of an article's quotes: everything the extractor's result depends on except the
    path, which is only copied into each quote (and replaced when the same text comes by
    another path)."""
    parts = [text_sha256(article.text), article.meta.to_dict(), extractor.version, extractor.pipeline,
             extractor.pipeline_version]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


class Index:
    """An open index file. Use ``open_index``; close it (or use ``with``) when done."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def lookup(self, keys: Iterable[str]) -> dict[str, list[Quote]]:
        """The stored quotes of each key that is in the index (keys not there are left out)."""
        found: dict[str, list[Quote]] = {}
        wanted = list(dict.fromkeys(keys))
        with self._errors():
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                chunk = wanted[start : start + LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                for (key,) in self._db.execute(f"SELECT key FROM articles WHERE key IN ({marks})", chunk):
                    found[key] = []
                rows = self._db.execute(
                    f"SELECT article_key, record FROM quotes WHERE article_key IN ({marks}) "
                    "ORDER BY article_key, position", chunk)
                for key, record in rows:
                    found[key].append(Quote.from_dict(json.loads(record)))
        return found

    def add(self, key: str, article: Article, quotes: Sequence[Quote], extractor: Extractor) -> None:
        """Store one article and its quotes, in one transaction (replacing any earlier entry)."""
        now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        with self._errors(), self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO articles (key, text_sha256, extractor_version, pipeline, pipeline_version, "
                "path, meta, text, quote_count, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, text_sha256(article.text), extractor.version, extractor.pipeline, extractor.pipeline_version,
                 article.path, json.dumps(article.meta.to_dict(), ensure_ascii=False), article.text, len(quotes), now))
            self._db.execute("DELETE FROM quotes WHERE article_key = ?", (key,))
            self._db.executemany(
                "INSERT INTO quotes (article_key, position, id, kind, speaker, record) VALUES (?, ?, ?, ?, ?, ?)",
                [(key, position, q.id, q.kind, q.speaker.name if q.speaker else None,
                  json.dumps(q.to_dict(), ensure_ascii=False)) for position, q in enumerate(quotes)])

    def text_metadata(self, digest: str, reader_version: str) -> ArticleMeta | None:
        """What the text of SHA-256 ``digest`` says of its article, as read by ``reader_version``
        (``add_text_metadata``), or None when it was not stored."""
        with self._errors():
            row = self._db.execute("SELECT meta FROM text_metadata WHERE text_sha256 = ? AND reader_version = ?",
                                   (digest, reader_version)).fetchone()
        return None if row is None else ArticleMeta.from_dict(json.loads(row[0]))

    def add_text_metadata(self, reader_version: str, found: Mapping[str, ArticleMeta]) -> None:
        """Store what each text (by SHA-256) says of its article, in one transaction."""
        if not found:
            return
        with self._errors(), self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO text_metadata (text_sha256, reader_version, meta) VALUES (?, ?, ?)",
                [(digest, reader_version, json.dumps(meta.to_dict(), ensure_ascii=False))
                 for digest, meta in found.items()])

    def claims(self, key: str) -> list[str | None] | None:
        """The claim id of each quote of the linked run stored under ``key``, in run order, or
        None when no such run is stored."""
        with self._errors():
            row = self._db.execute("SELECT claims FROM claim_runs WHERE key = ?", (key,)).fetchone()
        return None if row is None else list(json.loads(row[0]))

    def add_claims(self, key: str, linker_version: str, claims: Sequence[str | None]) -> None:
        """Store a linked run's claim ids (one per quote, in run order) under ``key``, keeping
        the latest ``CLAIM_RUNS_KEPT`` runs."""
        # Microseconds: two runs stored in one second must still be ordered.
        now = datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")
        with self._errors(), self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO claim_runs (key, linker_version, quote_count, claims, stored_at) "
                "VALUES (?, ?, ?, ?, ?)", (key, linker_version, len(claims), json.dumps(list(claims)), now))
            self._db.execute(
                "DELETE FROM claim_runs WHERE key NOT IN "
                "(SELECT key FROM claim_runs ORDER BY stored_at DESC LIMIT ?)", (CLAIM_RUNS_KEPT,))

    def counts(self) -> tuple[int, int]:
        """How many articles and quotes the index holds."""
        with self._errors():
            articles = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
            quotes = self._db.execute("SELECT count(*) FROM quotes").fetchone()[0]
        return int(articles), int(quotes)

    def applied_migrations(self) -> list[str]:
        """Names of the migrations applied to this file, in the order they ran."""
        with self._errors():
            return [name for (name,) in self._db.execute("SELECT name FROM _migrations ORDER BY rowid")]

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so two writers queue (busy timeout) instead of
        # one failing when it upgrades a read lock.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:  # SQLite may have rolled back already (a full disk)
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as error:
            raise _store_error(self.path, error) from error


def open_index(path: str | os.PathLike[str] | None = None) -> Index:
    """Open (creating and migrating if needed) the index at ``db_path(path)``.

    Raises:
        StoreError: The file is not a quotetrace index (another program's database, a damaged
            file, anything else), was written by a newer quotetrace, or cannot be opened.
    """
    chosen = db_path(path)
    if not path and not os.environ.get(DB_ENV):
        try:
            chosen.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError.unusable(str(chosen), error) from error
    try:
        db = sqlite3.connect(chosen, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as error:
        raise StoreError.unusable(str(chosen), error) from error
    index = Index(chosen, db)
    try:
        with index._errors():
            _set_up(index)
    except BaseException:
        db.close()
        raise
    return index


def _set_up(index: Index) -> None:
    """Check, configure and migrate a newly opened file. Two processes opening a new file at
    once can meet SQLITE_BUSY here without SQLite waiting first (switching to WAL, or WAL
    recovery, does not always call the busy handler), so this step waits and tries again."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    for attempt in itertools.count(1):
        try:
            _check_ours(index)  # before anything is written to a file that may not be ours
            index._db.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL never corrupts the file; a power cut may lose the last articles.
            index._db.execute("PRAGMA synchronous = NORMAL")
            index._db.execute("PRAGMA foreign_keys = ON")
            _migrate(index)
            return
        except sqlite3.OperationalError as error:
            busy = str(getattr(error, "sqlite_errorname", "")).startswith("SQLITE_BUSY")
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(min(0.5, 0.01 * attempt))


def _migrate(index: Index) -> None:
    db = index._db
    with index._transaction():
        _check_ours(index)  # again, now that no other process can be creating it
        db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {name for (name,) in db.execute("SELECT name FROM _migrations")}
        if applied - {m.__name__ for m in MIGRATIONS}:
            raise StoreError.newer(str(index.path))
        for step in MIGRATIONS:
            if step.__name__ not in applied:
                step(db)
                db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                           (step.__name__, datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")))


def _check_ours(index: Index) -> None:
    """Raise unless the file is empty or one of our indexes."""
    application_id = index._db.execute("PRAGMA application_id").fetchone()[0]
    tables = {name for (name,) in index._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if application_id not in (0, APPLICATION_ID) or (tables and "_migrations" not in tables):
        raise StoreError.foreign(str(index.path))


def _store_error(path: Path, error: sqlite3.DatabaseError) -> StoreError:
    if getattr(error, "sqlite_errorname", None) in _NOT_A_DATABASE or "not a database" in str(error):
        return StoreError.corrupt(str(path))
    return StoreError.unusable(str(path), error)
