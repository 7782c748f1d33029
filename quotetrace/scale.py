"""Archives beyond one machine: the extraction core on a Dask cluster, records as Parquet.

    articles -> content key (the index's) -> those not yet in the archive
             -> tasks of a few articles -> ``runner.extract_chunk`` on a worker -> Parquet, written there
             -> claim linking over every quote of the archive (``scale_claims``) -> claims/ files

An archive is a folder:

    articles/part-*.parquet               one row per article read: its key, path, metadata, quote count
    quotes/month=YYYY-MM/part-*.parquet   one row per quote (the JSON contract's fields, and what the
                                          linker reads of it), by the article's month of publication
                                          (``month=unknown`` when undated)
    claims/part-*.parquet                 quote id -> claim id, over every quote of the archive
    names/names.parquet                   each distinct speaker name, mention and outlet, with counts,
                                          written once linking is done, with the quote and article
                                          files it covers (queries read it instead of the quotes)
    names/claims.parquet                  one row per claim: its quote and outlet counts
    names/texts.parquet                   each distinct quote text, its content words and its claims
    names/speaker_quotes.parquet          each quote with its article's fields, under its speaker's name
                                          and mention, sorted by them
    names/claim_quotes.parquet            each quote of a claim with its article's fields, sorted by claim
    names/text_grams.parquet, gram_bits.parquet, text_words.parquet
                                          the text index: each text's three-letter runs (postings, and
                                          bitmaps of the common ones) and words, by the texts' ids
    manifest.json                         once compacted: the live quote and article files (``scale_files``);
                                          files it does not list are not read

Once linked, each quote row also carries its claim id (``link_claim``), so that questions need not
join the quotes with ``claims/``. The tables beside the names file are what ``claims``
ranks by and what ``chain`` matches its query's words against, so that neither groups or scans
every quote row, and the quotes again sorted by speaker and by claim, so that ``list
--speaker``, ``claims`` and ``chain`` read the row groups of what they look for; each is written with the names file's coverage and used only beside that names
file (``has_table``). ``index_archive`` adds all of them to an archive linked before they
existed; an archive without them (or whose files changed since) is still read, by scans and joins.

Each worker writes its own files, so on a real cluster the folder must be one that every worker
and the client reach (a shared file system). A file appears under its final name only once
written whole; an article counts as done once its ``articles/`` row exists (in a compacted
archive, once its file is listed in the manifest), so a run stopped midway leaves nothing
half-written and its articles are parsed again next time. ``compact_archive`` merges the many
small files ingest writes, crash-safe (``scale_files``).

What ``list --from`` shows is each article's quotes as found in that article alone: the run-level
step that gives one spelling per person (``runner.unify_names``) is not applied across an archive.

Needs ``pip install 'quotetrace[scale]'``; ``import quotetrace`` does not import this module.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quotetrace.articles import read_articles
from quotetrace.claims import link_fields
from quotetrace.errors import QuotetraceError, ScaleError
from quotetrace.lexicon import Lexicon, load_lexicon
from quotetrace.models import Article, IngestOutcome, Quote
from quotetrace.nlp import chosen_pipeline
from quotetrace.runner import current_extractor, extract_chunk
from quotetrace.scale_claims import FIELD_COLUMNS, RELAY_SEPARATOR, LinkStats, link_frames
from quotetrace.scale_files import (
    ARTICLES_DIR,
    COMPACT_FILE_ROWS,
    COMPACT_ROW_GROUP_ROWS,
    QUOTES_DIR,
    CompactionOutcome,
    add_files,
    compact_files,
    live_article_files,
    live_quote_files,
    read_manifest,
)
from quotetrace.store import article_key

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pyarrow as pa
    from distributed import Client

# Articles per Dask task: enough that a task's overhead (milliseconds) is nothing next to
# parsing them (a tenth of a second or more each), few enough that workers finish together.
ARTICLES_PER_TASK = 16
# Threads per worker process of ``--scheduler local``: one (spaCy holds the GIL for most of a
# parse), and one process per core.
LOCAL_THREADS_PER_WORKER = 1
UNKNOWN_MONTH = "unknown"

CLAIMS_DIR = "claims"
NAMES_DIR = "names"
NAMES_FILE = "names.parquet"
# The claim id a quote row carries once linked (not ``claim``: readers that join ``claims/`` for a
# column of that name keep working on an indexed archive).
CLAIM_COLUMN = "link_claim"
# How the derived tables are compressed: zstd halves the texts table against DuckDB's snappy (39
# to 21 MB at a million synthetic quotes) for a scan a tenth slower (0.17 to 0.19 s).
TABLE_COMPRESSION = "zstd"
# Parquet metadata of the names file and the tables beside it: what they were made from (JSON,
# ``Coverage.to_dict``).
COVERAGE_KEY = b"quotetrace.coverage"

# Every distinct speaker name (with its type), mention text and outlet, over the views
# ``quote_rows`` (every quote row written) and ``articles``, with how many rows name it: quotes
# for a speaker or mention, articles for an outlet. The names file is this query's result, and
# the view an archive without it reads instead.
NAMES_SQL = (
    "SELECT 'speaker' AS field, q.speaker.name AS name, q.speaker.type AS type, count(*) AS count "
    "FROM quote_rows q WHERE q.speaker.name IS NOT NULL AND q.speaker.name <> '' GROUP BY ALL "
    "UNION ALL SELECT 'mention', q.speaker.mention.text, NULL, count(*) FROM quote_rows q "
    "WHERE q.speaker.mention.text IS NOT NULL AND q.speaker.mention.text <> '' GROUP BY ALL "
    "UNION ALL SELECT 'outlet', a.outlet, NULL, count(*) FROM articles a WHERE a.outlet IS NOT NULL GROUP BY ALL")

# Outlets of a claim (over the view ``quotes``, ``q``), as ``claims.build_claims`` counts them: a
# page that names no site is published by the outlet that wrote it; where no quote has either,
# its articles count instead (as ``claims.select_claims``).
_SITE = "coalesce(nullif(q.outlet, ''), nullif(q.original_outlet, ''))"
CLAIM_OUTLETS_SQL = f"CASE WHEN count({_SITE}) > 0 THEN count(DISTINCT {_SITE}) ELSE count(DISTINCT q.article) END"


@dataclass(frozen=True)
class DerivedTable:
    """A table ``index_archive`` writes beside the names file (``names/FILE.parquet``), and the
    view queries read it as (``view``): the table where it is there (``has_table``), else
    ``sql`` over the view ``quotes`` (``q``), so that answers are the same either way. The table
    holds ``table_sql``'s rows: ``sql``'s, or the same facts in fewer rows where the questions
    allow (each distinct text once, with all its claims). Both hold ``{where}``, a condition on a
    quote's own columns, applied before any grouping (``select``)."""

    file: str
    view: str
    sql: str
    table_sql: str
    # Rows a row group of the written table (None: DuckDB's default). A table sorted by what
    # queries pick its rows by is written in small row groups, so that the row groups' min/max
    # statistics let DuckDB skip all but the few that hold those rows.
    row_group_rows: int | None = None
    # Columns queries read that the table as an earlier version wrote it lacks: such a table is
    # passed over (``has_table``), and ``index_archive`` writes it again.
    columns: tuple[str, ...] = ()

    def select(self, where: str = "TRUE", *, tabled: bool) -> str:
        """The rows that meet ``where`` (on columns the table and a quote share, such as the
        claim counts' ``claim``): from the table, or from ``sql`` with the condition before its
        grouping, where DuckDB does not move it (a condition after a GROUP BY is tested after
        every claim is counted)."""
        return f"SELECT * FROM {self.view} WHERE {where}" if tabled else self.sql.format(where=where)


# One row per claim, with how many quotes and outlets carry it: what ``claims`` filters and ranks
# by, and ``chain`` ranks the claims it matched by.
_CLAIM_COUNTS_SQL = (f"SELECT q.claim, count(*) AS quotes, {CLAIM_OUTLETS_SQL} AS outlets FROM quotes q "
                     "WHERE q.claim IS NOT NULL AND ({where}) GROUP BY q.claim ORDER BY quotes DESC, q.claim")
CLAIM_COUNTS = DerivedTable("claims", "claim_counts", _CLAIM_COUNTS_SQL, _CLAIM_COUNTS_SQL)
# The quotes' texts with their content words (``link_words``) and the claims whose quotes have
# them: what ``chain`` matches its query against. The table holds each distinct text once, with
# every claim it stands in (wire copies repeat a text many times, often unlinked: 364,000 texts
# of a million synthetic quotes); the view a row per quote, as the quotes were scanned before.
# ``lowered`` is the text lower-cased, as ``chain`` compares it (once at index time, not over
# every text at each query: a sixth of the narrowing's time).
# The table is sorted by the lowered text's length (``chars``), and ``tid`` is a row's place in
# it: the text index (``TEXT_INDEX``) names texts by it, and the texts no longer than a query
# are the first rows.
CLAIM_TEXTS = DerivedTable(
    "texts", "claim_texts",
    "SELECT [q.claim] AS claims, q.text, q.link_words AS words, lower(q.text) AS lowered FROM quotes q "
    "WHERE q.claim IS NOT NULL AND ({where})",
    "SELECT (row_number() OVER (ORDER BY length(lower(q.text)), q.text, q.link_words) - 1)::UINTEGER AS tid, "
    "list_sort(list_distinct(list(q.claim))) AS claims, q.text, q.link_words AS words, "
    "lower(q.text) AS lowered, length(lower(q.text))::UINTEGER AS chars FROM quotes q "
    "WHERE q.claim IS NOT NULL AND ({where}) GROUP BY q.text, q.link_words ORDER BY tid",
    columns=("lowered",))
# The fields of a quote record and of its article, as ``parquet_query`` reads them (``Archive.rows``).
RECORD_QUOTE_FIELDS = ("id", "article", "start", "end", "text", "kind", "cue", "speaker", "addressee", "parent",
                       "via", "confidence", "method")
RECORD_ARTICLE_FIELDS = ("path", "outlet", "original_outlet", "authors", "published", "title", "url", "dateline")
# Rows a row group of the tables sorted by a key: a speaker's quotes (hundreds to thousands) lie
# in one or two; smaller groups would each add their statistics (about 10 KB) to the footer
# every query reads, larger ones more rows decoded to find them.
KEYED_ROW_GROUP_ROWS = 32_768
_RECORD = ", ".join([*(f'q."{c}"' for c in RECORD_QUOTE_FIELDS), "q.claim", "q.article_key", "q.position",
                     *(f'a."{c}" AS "a_{c}"' for c in RECORD_ARTICLE_FIELDS)])
# Each quote whole, with its article's fields, once under its speaker's name (``by_mention``
# false) and once more under the text that mentions the speaker where that is another: what
# ``list --speaker`` and ``chain``'s speaker names read. The table is sorted by ``key``, so that
# the quotes of the few names a query matched are a few row groups of it, where the quote files
# hold every speaker in every file.
_SPEAKER_QUOTES_SQL = (
    f"SELECT * FROM (SELECT {_RECORD}, q.speaker.name AS key, false AS by_mention "
    "FROM quotes q JOIN articles a USING (article_key) WHERE q.speaker.name <> '' "
    f"UNION ALL SELECT {_RECORD}, q.speaker.mention.text, true FROM quotes q JOIN articles a USING (article_key) "
    "WHERE q.speaker.mention.text <> '' AND q.speaker.mention.text IS DISTINCT FROM q.speaker.name) q "
    "WHERE {where}")
SPEAKER_QUOTES = DerivedTable("speaker_quotes", "speaker_quotes", _SPEAKER_QUOTES_SQL,
                              _SPEAKER_QUOTES_SQL + " ORDER BY key, article, position",
                              row_group_rows=KEYED_ROW_GROUP_ROWS)
# Each quote of a claim whole, with its article's fields, sorted by claim: what ``claims`` builds
# a page of claims from, and where ``chain`` finds the articles of the claims it traces, reading
# the row groups of those claims where the quote files would each be scanned for them.
_CLAIM_QUOTES_SQL = (f"SELECT {_RECORD} FROM quotes q JOIN articles a USING (article_key) "
                     "WHERE q.claim IS NOT NULL AND ({where})")
CLAIM_QUOTES = DerivedTable("claim_quotes", "claim_quotes", _CLAIM_QUOTES_SQL,
                            _CLAIM_QUOTES_SQL + " ORDER BY q.claim, q.article, q.position",
                            row_group_rows=KEYED_ROW_GROUP_ROWS)
DERIVED_TABLES = (CLAIM_COUNTS, CLAIM_TEXTS, SPEAKER_QUOTES, CLAIM_QUOTES)


@dataclass(frozen=True)
class TextIndex:
    """Where a query's words and three-letter runs are looked up instead of in every distinct
    text (``chain --from``): postings from the texts table's rows (``tid``), written after it by
    ``index_archive`` with the same stamp, and read only beside it (``has_text_index``).

    - ``grams``: (``gram``, ``tid``, ``n``): a three-letter run of a text's lowered copy (as the
      integer ``GRAM_CODE_SQL`` makes of it), a text that holds it and how many times; sorted by
      run, in row groups DuckDB skips by their min/max. A run found in one text in
      ``DENSE_GRAM_SHARE`` or more keeps here only the texts that hold it twice or more.
    - ``bits``: (``gram``, ``bits``): each of those common runs once, with a bit a text (little
      bit order: text ``tid`` is bit ``tid % 8`` of byte ``tid // 8``), one row group each.
    - ``words``: (``word``, ``tid``): each content word (``link_words``) of each text, sorted.
    """

    grams: str = "text_grams"
    bits: str = "gram_bits"
    words: str = "text_words"

    def files(self) -> tuple[str, str, str]:
        return self.grams, self.bits, self.words


TEXT_INDEX = TextIndex()
# A run's postings (32 bits a text) outgrow its bitmap (a bit a text) once one text in 32 holds
# it; the commonest runs ("the", " of") stand in most texts, and a query of common words reads
# dozens of them: as postings, 20 M entries at 10 M quotes, as bitmaps a twentieth of the bytes.
DENSE_GRAM_SHARE = 32
# Rows a row group of the postings: a rare run lies in one, whose rows are all decoded to find it.
POSTING_ROW_GROUP_ROWS = 131_072
# What DuckDB may hold in memory while ``index_archive`` sorts (it spills to disk beyond): the
# tables of 10 M quotes took 10.8 GB unbounded; 250 M postings sorted within 3.2 GB so.
INDEX_MEMORY_LIMIT = "3GB"
# Bits of a code point (Unicode's stop below 2**21): three of them make one integer of a run.
_CODE_BITS = 21


def gram_sql(text: str, at: str) -> str:
    """SQL for the integer code of the three letters of ``text`` from (1-based) ``at``, as
    ``gram_code`` makes it."""
    letters = [f"unicode(substring({text}, {at} + {k}, 1))::BIGINT" for k in range(3)]
    return f"(({letters[0]} << {2 * _CODE_BITS}) | ({letters[1]} << {_CODE_BITS}) | {letters[2]})"


def gram_code(gram: str) -> int:
    """A three-letter run as the integer the text index keys it by (``gram_sql``)."""
    a, b, c = (ord(ch) for ch in gram)
    return (a << 2 * _CODE_BITS) | (b << _CODE_BITS) | c


def _arrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError:
        raise ScaleError.needs_extra("writing Parquet") from None
    return pa


def quote_schema() -> pa.Schema:
    """The quotes table: the JSON contract's record (``Quote.to_dict``), where it sits, and what
    the linker reads of it (``link_*``: computed where the article is parsed, with its other
    quotes at hand for a parent's speaker)."""
    pa = _arrow()
    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
    speaker = pa.struct([("name", pa.string()), ("type", pa.string()), ("role", pa.string()), ("mention", span)])
    return pa.schema([
        ("article_key", pa.string()),
        ("position", pa.int64()),  # the quote's place in its article, from 0
        ("outlet", pa.string()),
        ("original_outlet", pa.string()),
        ("published", pa.string()),
        ("id", pa.string()),
        ("article", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.string()),
        ("kind", pa.string()),
        ("cue", pa.struct([("text", pa.string()), ("lemma", pa.string()), ("start", pa.int64()), ("end", pa.int64())])),
        ("speaker", speaker),
        ("addressee", speaker),
        ("parent", pa.string()),
        ("via", pa.list_(pa.struct([("name", pa.string()), ("type", pa.string()), ("relation", pa.string()),
                                    ("role", pa.string()), ("mention", span)]))),
        ("confidence", pa.float64()),
        ("method", pa.string()),
        ("link_speaker", pa.string()),
        ("link_relays", pa.string()),
        ("link_words", pa.string()),
        ("link_conditional", pa.bool_()),
        ("link_modal", pa.string()),
    ])


def names_schema() -> pa.Schema:
    """The names table (``NAMES_SQL``): which column a name is of (``speaker``, ``mention``,
    ``outlet``), the name, a speaker's type, and how many rows hold it."""
    pa = _arrow()
    return pa.schema([("field", pa.string()), ("name", pa.string()), ("type", pa.string()), ("count", pa.int64())])


def article_schema() -> pa.Schema:
    """The articles table: one row per article read, whether or not it holds quotes."""
    pa = _arrow()
    return pa.schema([
        ("article_key", pa.string()),
        ("path", pa.string()),
        ("outlet", pa.string()),
        ("original_outlet", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("published", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("dateline", pa.string()),
        ("chars", pa.int64()),
        ("quotes", pa.int64()),
    ])


@dataclass(frozen=True)
class _Task:
    """One task's articles and their keys, and where to write."""

    articles: tuple[Article, ...]
    keys: tuple[str, ...]
    output: str
    model: str
    lexicon: Lexicon
    name: str


def ingest_parquet(paths: Sequence[str], output: str | os.PathLike[str], *, scheduler: str | Client | None = "local",
                   model: str | None = None, lexicon: Lexicon | None = None, link: bool = True,
                   on_error: Callable[[QuotetraceError], None] | None = None,
                   articles_per_task: int = ARTICLES_PER_TASK, timeout: float | None = None,
                   compact: bool = True) -> list[IngestOutcome]:
    """Read articles into a Parquet archive on a Dask cluster: ``quotetrace ingest --scheduler
    ... --output DIR``.

    Args:
        paths: Article files, folders and JSONL files, as for ``quotetrace list``.
        output: The archive folder (made if missing). Articles already in it (the index's content
            key: text, metadata, extractor, pipeline) are not parsed again.
        scheduler: ``local`` for a ``LocalCluster`` of this machine, a scheduler address
            (``tcp://host:8786``), a ``Client``, or None for the current Client.
        model: The spaCy pipeline, as for ``--model``.
        lexicon: The word lists (default: the bundled ones).
        link: Link claims over the whole archive afterwards (``claims/``).
        on_error: Receives an error for each input that cannot be read.
        articles_per_task: Articles parsed by one Dask task.
        timeout: Seconds one linking step may take.
        compact: Merge the archive's small files afterwards (``compact_archive``), where any
            article was added.

    Returns:
        One outcome per article, in input order: ``added``, ``skipped`` or ``failed``.

    Raises:
        ScaleError: A scale dependency is missing, the scheduler does not answer, or the archive
            cannot be read.
        ModelError: The pipeline is not installed.
    """
    lex = lexicon if lexicon is not None else load_lexicon()
    articles = list(read_articles(paths, on_error=on_error, lexicon=lex))
    model = chosen_pipeline(model)
    extractor = current_extractor(model, lex)
    keys = [article_key(art, extractor) for art in articles]
    root = Path(output)
    done = archived_keys(root)
    todo: dict[str, Article] = {}
    for art, key in zip(articles, keys):
        if key not in done:
            todo.setdefault(key, art)  # the same article twice in one run is parsed once
    results: dict[str, tuple[str, int, str | None]] = {}
    if todo or (link and done and not (root / CLAIMS_DIR).exists()):
        with connected(scheduler) as client:
            if todo:
                (root / ARTICLES_DIR).mkdir(parents=True, exist_ok=True)
                run = uuid.uuid4().hex[:12]
                items = list(todo.items())
                size = max(1, articles_per_task)
                tasks = [_Task(tuple(a for _, a in items[i : i + size]), tuple(k for k, _ in items[i : i + size]),
                               str(root), model, lex, f"{run}-{i // size:06d}") for i in range(0, len(items), size)]
                for outcome in client.gather(client.map(_run_task, tasks, pure=False)):
                    for key, status, count, error in outcome:
                        results[key] = (status, count, error)
                add_files(root, run)  # a compacted archive's new files are live once all are written
            if link:
                link_archive(root, client, timeout=timeout)
    elif link and done and not fully_indexed(root):
        index_archive(root)  # linked before archives kept names, claim ids or the derived tables
    if todo and compact:
        compact_archive(root)
    outcomes = []
    for art, key in zip(articles, keys):
        status, count, error = results.get(key, ("skipped", done.get(key, 0), None))
        if key in results and status == "added" and art is not todo[key]:
            status = "skipped"  # its twin earlier in the run was the one parsed
        outcomes.append(IngestOutcome(art.path, status, count, error))
    return outcomes


@contextmanager
def connected(scheduler: str | Client | None) -> Iterator[Client]:
    """A ``dask.distributed`` Client: a new ``LocalCluster`` for ``local``, the scheduler at an
    address, the one given, or the current one."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ScaleError.needs_extra("--scheduler") from None
    if scheduler is None:
        yield Client.current()
    elif not isinstance(scheduler, str):
        yield scheduler
    elif scheduler == "local":
        with LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=LOCAL_THREADS_PER_WORKER,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
    else:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as error:
            raise ScaleError.no_cluster(scheduler, error) from None
        with client:
            yield client


def archived_keys(root: Path) -> dict[str, int]:
    """The content keys of the articles an archive holds, with their quote counts."""
    files = live_article_files(root)
    if not files:
        return {}
    import pyarrow.dataset as ds

    try:
        table = ds.dataset([str(f) for f in files], format="parquet").to_table(columns=["article_key", "quotes"])
    except Exception as error:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file
        raise ScaleError.unreadable(str(root), error) from None
    return dict(zip(table.column("article_key").to_pylist(), table.column("quotes").to_pylist()))


def _run_task(task: _Task) -> list[tuple[str, str, int, str | None]]:
    """On a worker: parse a task's articles, write their rows, say what became of each."""
    pa = _arrow()
    found = extract_chunk(list(task.articles), task.model, task.lexicon)
    outcomes: list[tuple[str, str, int, str | None]] = []
    quote_rows: dict[str, list[dict[str, Any]]] = {}
    article_rows: list[dict[str, Any]] = []
    for art, key, result in zip(task.articles, task.keys, found, strict=True):
        if result.error is not None:
            outcomes.append((key, "failed", 0, f"{type(result.error).__name__}: {result.error}"))
            continue
        month = (art.meta.published or "")[:7] or UNKNOWN_MONTH
        by_id = {q.id: q for q in result.quotes}
        for position, quote in enumerate(result.quotes):
            quote_rows.setdefault(month, []).append(quote_row(quote, art, key, position, by_id))
        article_rows.append({"article_key": key, "path": art.path, **art.meta.to_dict(), "chars": len(art.text),
                             "quotes": len(result.quotes)})
        outcomes.append((key, "added", len(result.quotes), None))
    root = Path(task.output)
    # quotes first, then the articles that vouch for them: a run stopped in between leaves quotes
    # of articles not marked done, which are parsed again (and queries read only quotes of
    # recorded articles)
    for month, rows in sorted(quote_rows.items()):
        _write(pa.Table.from_pylist(rows, schema=quote_schema()), root / QUOTES_DIR / f"month={month}",
               f"part-{task.name}.parquet")
    if article_rows:
        _write(pa.Table.from_pylist(article_rows, schema=article_schema()), root / ARTICLES_DIR,
               f"part-{task.name}.parquet")
    return outcomes


def quote_row(quote: Quote, article: Article, key: str, position: int, by_id: dict[str, Quote]) -> dict[str, Any]:
    """A quote as a row of the quotes table."""
    fields = link_fields(quote, by_id)
    return {"article_key": key, "position": position, "outlet": article.meta.outlet,
            "original_outlet": article.meta.original_outlet, "published": article.meta.published,
            **quote.to_dict(), "link_speaker": fields.speaker, "link_relays": RELAY_SEPARATOR.join(fields.relays),
            "link_words": " ".join(fields.words), "link_conditional": fields.conditional,
            "link_modal": " ".join(fields.modal)}


def _write(table: pa.Table, folder: Path, name: str) -> None:
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.partial"
    pq.write_table(table, str(partial))
    partial.replace(folder / name)  # whole or not at all


def quote_files(root: Path) -> list[Path]:
    """The archive's live quote files (``scale_files``), in the linker's order (by name: month,
    then run and task)."""
    return live_quote_files(root)


def compact_archive(root: str | os.PathLike[str], *, file_rows: int = COMPACT_FILE_ROWS) -> list[CompactionOutcome]:
    """Merge each partition's small quote and article files into files of up to ``file_rows``
    rows, crash-safe (``scale_files``: a manifest of the live files, replaced whole). Every
    ``--from`` answer stays the same, and the names file and derived tables stay in use (they
    hold the same rows); ``ingest`` calls it after adding articles.

    Returns:
        What became of each partition.

    Raises:
        ScaleError: The folder is not an archive, or a file cannot be read.
    """
    root = Path(root)
    if not (root / ARTICLES_DIR).is_dir():
        raise ScaleError.not_archive(str(root))
    coverage = current_coverage(root)
    return compact_files(root, coverage.stamp if coverage is not None else "", file_rows=file_rows)


def link_archive(root: Path, client: Client, *, timeout: float | None = None) -> LinkStats | None:
    """Link claims over every quote of an archive on the cluster, and write ``claims/``.

    The quotes' order (what ``claims.link_claims`` would be given for the same ids) is by quote
    file (``quote_files``), then row. Each worker reads its own files and writes its own part of
    the result; only the files' row counts come to this process.
    """
    import pyarrow.parquet as pq

    files = quote_files(root)
    if not files:
        return None
    forget_names(root)  # from here until index_archive is done, queries scan and join
    recorded = set(archived_keys(root))
    try:
        counts = [pq.ParquetFile(str(f)).metadata.num_rows for f in files]
    except Exception as error:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file
        raise ScaleError.unreadable(str(root), error) from None
    offsets = [sum(counts[:i]) for i in range(len(counts))]
    recorded_f = client.scatter([frozenset(recorded)], broadcast=True, hash=False)[0]
    parts = client.map(read_link_frame, [str(f) for f in files], offsets, recorded=recorded_f, pure=False)
    claim_parts, stats = link_frames(client, parts, timeout=timeout)
    fresh = root / f".{CLAIMS_DIR}-{uuid.uuid4().hex[:8]}"
    fresh.mkdir(parents=True)
    written = client.map(_write_claims, claim_parts, [str(fresh / f"part-{i:06d}.parquet")
                                                      for i in range(len(claim_parts))], pure=False)
    client.gather(written)
    final = root / CLAIMS_DIR
    old = root / f".{CLAIMS_DIR}-old-{uuid.uuid4().hex[:8]}"
    if final.exists():
        final.replace(old)
    fresh.replace(final)
    if old.exists():
        shutil.rmtree(old)
    index_archive(root, client)
    return stats


def read_link_frame(path: str, first_index: int, recorded: frozenset[str]) -> pd.DataFrame:
    """On a worker: one quote file as a frame of ``scale_claims.FIELD_COLUMNS``, numbered from
    ``first_index`` (quotes of articles not recorded as done are left out)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["article_key", "id", "article", "parent", "link_speaker", "link_relays",
                                         "link_words", "link_conditional", "link_modal"])
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    frame.insert(0, "idx", np.arange(first_index, first_index + len(frame), dtype="int64"))
    frame = frame[frame["article_key"].isin(recorded)]
    frame = frame.rename(columns={"link_speaker": "speaker", "link_relays": "relays", "link_words": "words",
                                  "link_conditional": "conditional", "link_modal": "modal"})
    frame = frame[list(FIELD_COLUMNS)].reset_index(drop=True)
    for column in ("relays", "words", "modal"):
        frame[column] = frame[column].fillna("")
    return frame


def _write_claims(part: pd.DataFrame, path: str) -> int:
    pa = _arrow()
    import pyarrow.parquet as pq

    schema = pa.schema([("id", pa.string()), ("claim", pa.string())])
    pq.write_table(pa.Table.from_pandas(part[["id", "claim"]], schema=schema, preserve_index=False), path)
    return len(part)


@dataclass(frozen=True)
class Coverage:
    """What an archive's names file was made from: its quote and article files (paths under
    ``quotes/`` and ``articles/``), whether every quote row is of a recorded article, and which
    indexing wrote it (``stamp``: the derived tables written with it carry the same; empty in a
    names file written before they existed)."""

    quote_files: tuple[str, ...]
    article_files: tuple[str, ...]
    all_recorded: bool
    stamp: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"quote_files": list(self.quote_files), "article_files": list(self.article_files),
                "all_recorded": self.all_recorded, "stamp": self.stamp}


def archive_files(root: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The archive's quote and article files, as paths under their folders, sorted."""
    quotes = tuple(str(f.relative_to(root / QUOTES_DIR)) for f in quote_files(root))
    articles = tuple(f.name for f in live_article_files(root))
    return quotes, articles


def current_coverage(root: Path) -> Coverage | None:
    """The names file's coverage, if it covers the archive's files as they are now (then every
    quote row carries its claim id and the names file lists every name); else None: a run since
    added files, or the archive was linked before names were kept."""
    coverage, _ = _written(root / NAMES_DIR / NAMES_FILE)
    if coverage is None:
        return None
    files = archive_files(root)
    if (coverage.quote_files, coverage.article_files) == files:
        return coverage
    # compacted since: the same rows in other files, which the manifest says its tables hold
    manifest = read_manifest(root)
    if coverage.stamp and manifest is not None and manifest.indexed == coverage.stamp:
        return replace(coverage, quote_files=files[0], article_files=files[1])
    return None


def _written(path: Path) -> tuple[Coverage | None, frozenset[str]]:
    """The coverage a names file or derived table was written with (None without one), and its
    columns (none when unreadable)."""
    if not path.is_file():
        return None, frozenset()
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(str(path))
        raw = (schema.metadata or {}).get(COVERAGE_KEY)
        found = json.loads(raw) if raw else None
    except Exception:  # noqa: BLE001 - an unreadable file is as good as none: scan instead
        return None, frozenset()
    if not isinstance(found, dict):
        return None, frozenset(schema.names)
    return (Coverage(tuple(found.get("quote_files", ())), tuple(found.get("article_files", ())),
                     bool(found.get("all_recorded")), str(found.get("stamp") or "")), frozenset(schema.names))


def table_path(root: Path, table: DerivedTable) -> Path:
    """Where a derived table lies in an archive."""
    return root / NAMES_DIR / f"{table.file}.parquet"


def has_table(root: Path, table: DerivedTable, coverage: Coverage | None = None) -> bool:
    """Can queries read this derived table: is it there, written with the names file that covers
    the archive now (``coverage``, default ``current_coverage``)? An archive indexed before the
    table existed has none, and one whose names file was written again since (by a run that
    does not write the table) has one of another stamp: both are read as before, as is a table
    written by an earlier version, without a column queries now read (``DerivedTable.columns``)."""
    coverage = coverage if coverage is not None else current_coverage(root)
    if coverage is None or not coverage.stamp:
        return False
    written, columns = _written(table_path(root, table))
    return _same_indexing(written, coverage) and columns.issuperset(table.columns)


def _same_indexing(written: Coverage | None, coverage: Coverage) -> bool:
    """Was a table written by the indexing that wrote the names file of ``coverage``? The
    stamp says so (its files may have been compacted since: the same rows under other names)."""
    return written is not None and bool(coverage.stamp) and written.stamp == coverage.stamp


def index_path(root: Path, name: str) -> Path:
    """Where a file of the text index (``TEXT_INDEX``) lies in an archive."""
    return root / NAMES_DIR / f"{name}.parquet"


def has_text_index(root: Path, coverage: Coverage | None = None) -> bool:
    """Can ``chain`` read the text index: are its files there, written with the names file that
    covers the archive now, as the texts table they name rows of (``has_table``)?"""
    coverage = coverage if coverage is not None else current_coverage(root)
    return has_table(root, CLAIM_TEXTS, coverage) and all(
        _same_indexing(_written(index_path(root, name))[0], coverage) for name in TEXT_INDEX.files())


def fully_indexed(root: Path) -> bool:
    """Does the archive have all that ``index_archive`` writes, covering its files as they are?"""
    coverage = current_coverage(root)
    return (coverage is not None and all(has_table(root, t, coverage) for t in DERIVED_TABLES)
            and has_text_index(root, coverage))


def forget_names(root: Path) -> None:
    """Remove the names file and the tables beside it: until they are written again, queries scan
    the quotes and join claims."""
    (root / NAMES_DIR / NAMES_FILE).unlink(missing_ok=True)
    for table in DERIVED_TABLES:
        table_path(root, table).unlink(missing_ok=True)
    for name in TEXT_INDEX.files():
        index_path(root, name).unlink(missing_ok=True)


def indexed_quotes_sql(all_recorded: bool) -> str:
    """The view ``quotes`` of an indexed archive, over ``quote_rows`` (and ``articles``): each
    row's claim its own; only quotes of recorded articles (a run stopped between the two writes
    leaves quotes of an article that is parsed again next time; the names file says whether any
    are left)."""
    recorded = "" if all_recorded else " SEMI JOIN articles a USING (article_key)"
    return f"SELECT q.* EXCLUDE ({CLAIM_COLUMN}), q.{CLAIM_COLUMN} AS claim FROM quote_rows q{recorded}"


def connect_duckdb(threads: int | None = None, needed_by: str = "indexing an archive") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that draws no progress bar (DuckDB's own, for queries over
    two seconds, would be written to the terminal among the results).

    Raises:
        ScaleError: DuckDB is not installed (``needed_by`` says for what).
    """
    try:
        import duckdb
    except ImportError:
        raise ScaleError.needs_extra(needed_by) from None
    db = duckdb.connect(config={"threads": threads} if threads else {})
    db.execute("SET enable_progress_bar = false")
    return db


def sql_string(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def parquet_source(root: Path, folder: str, pattern: str, *, union_by_name: bool = False) -> str:
    """DuckDB's ``read_parquet`` of an archive folder's files (no hive columns from the folder names)."""
    union = ", union_by_name = true" if union_by_name else ""
    return f"read_parquet({sql_string(str(root / folder / pattern))}, hive_partitioning = false{union})"


def live_source(root: Path, folder: str, *, union_by_name: bool = False) -> str:
    """DuckDB's ``read_parquet`` of the live files of ``quotes/`` or ``articles/``
    (``scale_files``): those the manifest lists, else every file of the folder."""
    if read_manifest(root) is None:
        return parquet_source(root, folder, "*/*.parquet" if folder == QUOTES_DIR else "*.parquet",
                              union_by_name=union_by_name)
    files = quote_files(root) if folder == QUOTES_DIR else live_article_files(root)
    union = ", union_by_name = true" if union_by_name else ""
    return f"read_parquet([{', '.join(sql_string(str(f)) for f in files)}], hive_partitioning = false{union})"


def index_archive(root: str | os.PathLike[str], client: Client | None = None) -> Coverage | None:
    """Write what queries read in place of scans and joins, once an archive is linked: each
    quote file again, its rows in the same order, with their claim ids (``link_claim``), then
    the derived tables (``DERIVED_TABLES``) and, last, ``names/`` (``NAMES_SQL``).
    ``link_archive`` calls it; call it on an archive linked before. Where the names file covers
    the archive's files already (indexed before the derived tables existed), the quote files,
    whose claim ids are then those of ``claims/``, are kept as they are.

    Args:
        root: The archive folder.
        client: Rewrite the quote files on this cluster's workers (one task a file, each reading
            ``claims/`` for its rows); None to rewrite them here.

    Returns:
        What the names file covers; None when the archive has no quotes.

    Raises:
        ScaleError: DuckDB is missing, the archive is not linked, or it cannot be read.
    """
    root = Path(root)
    files = [str(f) for f in quote_files(root)]
    if not files:
        return None
    if not any((root / CLAIMS_DIR).glob("*.parquet")):
        raise ScaleError.not_linked(str(root))
    db = connect_duckdb()
    import duckdb  # there, as connect_duckdb found it

    spill = root / NAMES_DIR / ".spill"
    try:
        # the sorts of the tables and postings spill to the archive's disk beyond this
        db.execute(f"SET memory_limit = {sql_string(INDEX_MEMORY_LIMIT)}")
        db.execute(f"SET temp_directory = {sql_string(str(spill))}")
        claimed = current_coverage(root) is not None
        forget_names(root)
        if not claimed:
            claims = parquet_source(root, CLAIMS_DIR, "*.parquet")
            if client is not None:
                # one DuckDB thread on a worker: the cluster has a process per core already
                client.gather(client.map(_add_claims, files, claims=claims, threads=1, pure=False))
            else:
                for path in files:
                    _add_claims(path, claims)
        quote_names, article_names = archive_files(root)
        db.execute(f"CREATE VIEW quote_rows AS SELECT * FROM {live_source(root, QUOTES_DIR)}")
        db.execute(f"CREATE VIEW articles AS SELECT * FROM {live_source(root, ARTICLES_DIR)}")
        names = db.execute(NAMES_SQL).fetchall()  # thousands of rows, not millions
        strays = db.execute("SELECT count(*) FROM quote_rows q ANTI JOIN articles a USING (article_key)").fetchone()
        coverage = Coverage(quote_names, article_names, bool(strays and strays[0] == 0), uuid.uuid4().hex)
        db.execute(f"CREATE VIEW quotes AS {indexed_quotes_sql(coverage.all_recorded)}")
        for table in DERIVED_TABLES:
            _copy(db, table.table_sql.format(where="TRUE"), table_path(root, table), json.dumps(coverage.to_dict()),
                  compression=TABLE_COMPRESSION, row_group_rows=table.row_group_rows)
        write_text_index(db, root, json.dumps(coverage.to_dict()))
    except duckdb.Error as error:
        raise ScaleError.unreadable(str(root), error) from None
    finally:
        db.close()
        shutil.rmtree(spill, ignore_errors=True)
    pa = _arrow()
    schema = names_schema()
    table = pa.Table.from_pylist([dict(zip(schema.names, row)) for row in names], schema=schema)
    table = table.replace_schema_metadata({COVERAGE_KEY: json.dumps(coverage.to_dict())})
    _write(table, root / NAMES_DIR, NAMES_FILE)
    return coverage


def write_text_index(db: duckdb.DuckDBPyConnection, root: Path, coverage: str) -> None:
    """The text index (``TEXT_INDEX``) of the archive's texts table (``CLAIM_TEXTS``, as
    ``index_archive`` writes it), with ``coverage`` (JSON) as its files' metadata: every posting
    is sorted once into a scratch file, from which the postings and the bitmaps are read in order."""
    texts = f"read_parquet({sql_string(str(table_path(root, CLAIM_TEXTS)))})"
    scratch = root / NAMES_DIR / ".text-index.partial"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    every = scratch / "postings.parquet"
    try:
        # range(1, chars - 1): each run's first letter, as _near_query counts a shorter text's runs
        db.execute(f"COPY (SELECT gram, tid, count(*)::UINTEGER AS n FROM (SELECT t.tid, {gram_sql('t.lowered', 'r.i')} "
                   f"AS gram FROM {texts} t, range(1, t.chars::BIGINT - 1) r(i)) GROUP BY gram, tid "
                   f"ORDER BY gram, tid) TO {sql_string(str(every))} (FORMAT PARQUET)")
        texts_count = db.execute(f"SELECT count(*) FROM {texts}").fetchall()[0][0]
        postings = f"read_parquet({sql_string(str(every))})"
        dense = [row[0] for row in db.execute(
            f"SELECT gram FROM {postings} GROUP BY gram HAVING count(*) * ? >= ? ORDER BY gram",
            [DENSE_GRAM_SHARE, texts_count]).fetchall()]
        # a scan of one sorted file keeps its order (DuckDB's preserve_insertion_order)
        _copy(db, f"SELECT gram, tid, n FROM {postings} WHERE NOT list_contains(?::BIGINT[], gram) OR n >= 2",
              index_path(root, TEXT_INDEX.grams), coverage, compression=TABLE_COMPRESSION,
              row_group_rows=POSTING_ROW_GROUP_ROWS, params=[dense])
        _write_bitmaps(db.sql(f"SELECT gram, tid FROM {postings} WHERE list_contains(?::BIGINT[], gram)",
                              params=[dense]).to_arrow_reader(1 << 20),
                       texts_count, index_path(root, TEXT_INDEX.bits), coverage)
        _copy(db, f"SELECT DISTINCT w AS word, t.tid FROM {texts} t, unnest(string_split(t.words, ' ')) u(w) "
                  "WHERE w <> '' ORDER BY word, tid", index_path(root, TEXT_INDEX.words), coverage,
              compression=TABLE_COMPRESSION, row_group_rows=POSTING_ROW_GROUP_ROWS)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _write_bitmaps(reader: pa.RecordBatchReader, texts_count: int, target: Path, coverage: str) -> None:
    """Each run of the (gram, tid) rows ``reader`` gives as one row (gram, bitmap of its texts),
    in a row group of its own, so that a query reads the bitmaps of its runs alone."""
    import numpy as np
    import pyarrow.parquet as pq

    pa = _arrow()
    schema = pa.schema([("gram", pa.int64()), ("bits", pa.binary())],
                       metadata={COVERAGE_KEY: coverage.encode()})
    partial = target.with_name(f".{target.name}.partial")
    bitmaps: dict[int, Any] = {}
    current: tuple[int, Any] | None = None

    def flush() -> None:
        if current is not None:
            gram, present = current
            packed = np.packbits(present, bitorder="little")
            # rows come sorted by gram, so a gram seen again (never, but the order is DuckDB's) is added to
            bitmaps[gram] = bitmaps[gram] | packed if gram in bitmaps else packed

    try:
        for batch in reader:
            grams = batch.column(0).to_numpy()
            tids = batch.column(1).to_numpy()
            cuts = np.flatnonzero(np.diff(grams)) + 1
            for start, end in zip([0, *cuts], [*cuts, len(grams)]):
                gram = int(grams[start])
                if current is None or current[0] != gram:
                    flush()
                    current = (gram, np.zeros(texts_count, dtype=bool))
                current[1][tids[start:end]] = True
        flush()
        with pq.ParquetWriter(str(partial), schema, compression=TABLE_COMPRESSION) as writer:
            for gram in sorted(bitmaps):
                writer.write_table(pa.table({"gram": [gram], "bits": [bitmaps[gram].tobytes()]}, schema=schema))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)


def _add_claims(path: str, claims: str, threads: int | None = None) -> None:
    """One quote file written again with each row's claim id (null where none), rows in order."""
    import duckdb

    columns = ", ".join(f'q."{f.name}"' for f in quote_schema())
    db = connect_duckdb(threads)
    try:
        _copy(db, f"SELECT {columns}, c.claim AS {CLAIM_COLUMN} FROM read_parquet({sql_string(path)}, "
                  f"file_row_number = true) q LEFT JOIN (SELECT id, claim FROM {claims}) c USING (id) "
                  "ORDER BY q.file_row_number", Path(path), row_group_rows=COMPACT_ROW_GROUP_ROWS)
    except duckdb.Error as error:
        raise ScaleError.unreadable(path, error) from None
    finally:
        db.close()


def _copy(db: duckdb.DuckDBPyConnection, select: str, target: Path, coverage: str | None = None,
          compression: str | None = None, row_group_rows: int | None = None, params: list[Any] | None = None) -> None:
    """A query's rows written by DuckDB as the Parquet file ``target``, whole or not at all, with
    ``coverage`` (JSON) as its metadata where given, compressed so and in row groups of so many
    rows (defaults: DuckDB's)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    options = f", COMPRESSION {compression}" if compression else ""
    if row_group_rows:
        options += f", ROW_GROUP_SIZE {row_group_rows}"
    if coverage:
        options += f", KV_METADATA {{{sql_string(COVERAGE_KEY.decode())}: {sql_string(coverage)}}}"
    try:
        db.execute(f"COPY ({select}) TO {sql_string(str(partial))} (FORMAT PARQUET{options})", params or [])
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
