"""Questions to a Parquet archive (``ingest --output DIR``), answered in place with DuckDB.

``list``, ``claims``, ``chain`` and ``speakers`` take ``--from DIR``: DuckDB reads the archive's
files where they lie, spaCy is not loaded, and only what a question needs comes into Python:

- ``list --speaker/--outlet``: the distinct speaker names, mentions and outlets (thousands, not
  millions) are matched in Python with the same typo-forgiving rules as ``--speaker``; DuckDB
  then picks the rows of the names that matched (from ``speaker_quotes``, sorted by name, where
  the archive has it: ``scale.SPEAKER_QUOTES``), and the usual filter checks those.
- ``chain QUERY``: DuckDB finds the claims whose quotes match (the query's stems among a quote's,
  a matching speaker; texts near the query, narrowed in SQL, are decided by rapidfuzz in Python),
  ranks them as ``chains.trace`` does and reads only the ``MAX_TRACED_CLAIMS`` it traces, whole,
  with their articles, for ``chains.trace_claims``. The stems and texts are those of
  ``claim_texts`` (``scale.CLAIM_TEXTS``: each distinct text once, where the archive has the table);
  where the archive has the text index too (``scale.TEXT_INDEX``), the stems are looked up in
  its words and the near texts' bound counted on its postings (``near_candidates``), so that
  only the texts the bound keeps are read; the articles of the claims traced are found in
  ``claim_quotes`` (``scale.CLAIM_QUOTES``).
- ``claims``: claims are counted (``claim_counts``, ``scale.CLAIM_COUNTS``: read from the table
  where the archive has it), filtered (``--min-outlets``) and ordered in DuckDB; each is then
  built from its own quotes, read a few claims at a time (from ``claim_quotes``, sorted by claim,
  where the archive has it).
- ``speakers``: the speaker columns stream through ``profiles.speaker_profiles``.

The archive's order (what the single-process commands would see as input order) is by article
path, then place in the article. Articles come back without their text (the archive does not
keep it): records and tables do not show it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quotetrace.chains import (
    MAX_TRACED_CLAIMS,
    MIN_QUERY_CHARS,
    QUERY_MATCH_RATIO,
    name_matches_query,
    text_matches_query,
    texts_matching_query,
    too_many_claims,
    trace_claims,
)
from quotetrace.claims import build_claims, content_words
from quotetrace.errors import ScaleError
from quotetrace.filters import Filter
from quotetrace.lexicon import SpeakerWords
from quotetrace.models import Article, ArticleMeta, Chain, Claim, Quote, SpeakerProfile
from quotetrace.profiles import speaker_profiles
from quotetrace.scale import (
    ARTICLES_DIR,
    CLAIM_COUNTS,
    CLAIM_QUOTES,
    CLAIM_TEXTS,
    CLAIMS_DIR,
    DERIVED_TABLES,
    NAMES_DIR,
    NAMES_FILE,
    NAMES_SQL,
    QUOTES_DIR,
    RECORD_ARTICLE_FIELDS,
    RECORD_QUOTE_FIELDS,
    SPEAKER_QUOTES,
    TEXT_INDEX,
    DerivedTable,
    connect_duckdb,
    current_coverage,
    gram_code,
    has_table,
    has_text_index,
    index_path,
    indexed_quotes_sql,
    live_source,
    parquet_source,
    quote_files,
    quote_schema,
    sql_string,
    table_path,
)
from quotetrace.scale_files import live_article_files

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from quotetrace.aliases import Aliases

# Rows fetched from DuckDB at a time when a result streams.
BATCH_ROWS = 10_000
# Claims whose quotes ``archive_claims`` reads in its first round (then four times as many each
# round): a page of claims, so that the first page costs one pass over the files.
FIRST_CLAIMS_READ = 16

# Where ``Archive.rows`` reads by default: the quotes joined with their articles.
_JOINED = "quotes q JOIN articles a USING (article_key)"


class Archive:
    """An archive folder opened for questions. Use ``open_archive``; close it when done."""

    def __init__(self, root: Path, db: duckdb.DuckDBPyConnection, tabled: frozenset[str] = frozenset(),
                 text_index: bool = False) -> None:
        self.root = root
        self.db = db
        self.tabled = tabled  # the derived tables (``DerivedTable.view``) read from their files
        self.text_index = text_index  # the views of ``scale.TEXT_INDEX`` read their files

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def rows(self, where: str = "TRUE", params: list[Any] | None = None,
             order_by: str | None = "q.article, q.position", *,
             table: DerivedTable | None = None) -> Iterator[tuple[Quote, Article]]:
        """Quotes (with their claim, where linked) and their articles, for a SQL condition over
        the ``quotes`` view (``q``) and ``articles`` (``a``); or over a derived table that holds
        both (``q``, the article's fields as ``q.a_FIELD``: ``scale.SPEAKER_QUOTES``,
        ``scale.CLAIM_QUOTES``)."""
        articles = (f'q."a_{c}"' for c in RECORD_ARTICLE_FIELDS) if table else \
            (f'a."{c}" AS "a_{c}"' for c in RECORD_ARTICLE_FIELDS)
        columns = ", ".join([*(f'q."{c}"' for c in RECORD_QUOTE_FIELDS), "q.claim", *articles])
        source = f"{table.view} q" if table else _JOINED
        sql = f"SELECT {columns} FROM {source} WHERE {where}" + (f" ORDER BY {order_by}" if order_by else "")
        result = self._execute(sql, params or [])
        names = [d[0] for d in result.description]
        while batch := result.fetchmany(BATCH_ROWS):
            for values in batch:
                record = dict(zip(names, values))
                meta = ArticleMeta.from_dict({c: record[f"a_{c}"] for c in RECORD_ARTICLE_FIELDS})
                yield Quote.from_dict(record), Article(record["a_path"], "", meta)

    def derived(self, table: DerivedTable, where: str = "TRUE") -> str:
        """A subquery of a derived table's rows that meet ``where`` (``DerivedTable.select``)."""
        return f"({table.select(where, tabled=table.view in self.tabled)})"

    def values(self, sql: str, params: list[Any] | None = None) -> list[Any]:
        """The first column of a query's rows."""
        return [row[0] for row in self._execute(sql, params or []).fetchall()]

    def tuples(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """A query's rows."""
        return self._execute(sql, params or []).fetchall()

    def columns(self, sql: str, params: list[Any] | None = None) -> dict[str, Any]:
        """A query's columns, each a NumPy array (for millions of numbers, which as tuples would
        each be a Python object)."""
        return self._execute(sql, params or []).fetchnumpy()

    def speaker_names(self) -> list[tuple[str, str | None]]:
        """Each distinct (speaker name, speaker type) of the archive's quotes."""
        return self.tuples("SELECT name, type FROM names WHERE field = 'speaker'")

    def mentions(self) -> list[str]:
        """Each distinct text by which a quote's speaker is mentioned (none empty)."""
        return self.values("SELECT name FROM names WHERE field = 'mention'")

    def outlets(self) -> list[str]:
        """Each distinct outlet of the archive's articles."""
        return self.values("SELECT name FROM names WHERE field = 'outlet'")

    @contextmanager
    def registered(self, name: str, table: pa.Table) -> Iterator[None]:
        """``table`` (from Python) seen by DuckDB as the view ``name``, while the block runs."""
        self.db.register(name, table)
        try:
            yield
        finally:
            self.db.unregister(name)

    def _execute(self, sql: str, params: list[Any]) -> duckdb.DuckDBPyConnection:
        import duckdb

        try:
            return self.db.execute(sql, params)
        except duckdb.Error as error:
            raise ScaleError.unreadable(str(self.root), error) from None


def open_archive(root: str | Path) -> Archive:
    """An archive folder, its files seen by DuckDB as views: ``articles``, ``quotes`` (each with
    its ``claim``, null before linking), ``claims``; ``quote_rows``, every row of the quote files
    as written (quotes of articles not recorded too: for lists of names to match, which may hold
    a few too many but never miss one); ``names`` (``scale.NAMES_SQL``); and ``claim_counts`` and
    ``claim_texts`` (``scale.DERIVED_TABLES``).

    Where the names file covers the archive's files as they are (``scale.current_coverage``),
    ``names`` reads it and each quote's claim is its row's own; else the names come from a scan
    of every quote and the claims from a join with ``claims/``, as the archive was written. The
    derived views read their tables where those were written with that names file
    (``scale.has_table``), else they are their queries over ``quotes``.

    Raises:
        ScaleError: DuckDB is missing, or the folder is not an archive.
    """
    root = Path(root)
    if not live_article_files(root):
        raise ScaleError.not_archive(str(root))
    db = connect_duckdb(needed_by="--from")
    coverage = current_coverage(root)
    db.execute(f"CREATE VIEW articles AS SELECT * FROM {live_source(root, ARTICLES_DIR)}")
    claims = any((root / CLAIMS_DIR).glob("*.parquet"))
    db.execute(f"CREATE VIEW claims AS SELECT * FROM {parquet_source(root, CLAIMS_DIR, '*.parquet')}" if claims
               else "CREATE VIEW claims AS SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS claim WHERE FALSE")
    if coverage is not None:
        db.execute(f"CREATE VIEW quote_rows AS SELECT * FROM {live_source(root, QUOTES_DIR)}")
        db.execute(f"CREATE VIEW quotes AS {indexed_quotes_sql(coverage.all_recorded)}")
        db.execute(f"CREATE VIEW names AS SELECT * FROM read_parquet({sql_string(str(root / NAMES_DIR / NAMES_FILE))})")
    else:
        if quote_files(root):
            # by name, and only the written fields: files indexed before a run added more carry
            # their claim too, which the join below gives
            fields = ", ".join(f'"{f.name}"' for f in quote_schema())
            db.execute(f"CREATE VIEW quote_rows AS SELECT {fields} FROM "
                       f"{live_source(root, QUOTES_DIR, union_by_name=True)}")
        else:
            empty = ", ".join(f'NULL AS "{f.name}"' for f in quote_schema())
            db.execute(f"CREATE VIEW quote_rows AS SELECT {empty} WHERE FALSE")
        db.execute("CREATE VIEW quotes AS SELECT q.*, c.claim FROM quote_rows q SEMI JOIN articles a "
                   "USING (article_key) LEFT JOIN claims c USING (id)")
        db.execute(f"CREATE VIEW names AS {NAMES_SQL}")
    tabled = frozenset(t.view for t in DERIVED_TABLES if coverage is not None and has_table(root, t, coverage))
    for table in DERIVED_TABLES:
        db.execute(f"CREATE VIEW {table.view} AS "
                   + (f"SELECT * FROM read_parquet({sql_string(str(table_path(root, table)))})"
                      if table.view in tabled else table.sql.format(where="TRUE")))
    text_index = CLAIM_TEXTS.view in tabled and has_text_index(root, coverage)
    if text_index:
        for name in TEXT_INDEX.files():
            db.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({sql_string(str(index_path(root, name)))})")
    return Archive(root, db, tabled, text_index)


def select_quotes(archive: Archive, speaker: str | None = None, outlet: str | None = None, kind: str | None = None,
                  aliases: Aliases | None = None, titles: Collection[str] | None = None,
                  ) -> Iterator[tuple[Quote, Article]]:
    """What ``filters.select_from_articles`` keeps, from an archive, in the archive's order.

    Raises:
        ValueError: ``kind`` is not a known kind.
    """
    keep = Filter(speaker, outlet, kind, aliases, titles)
    # with a speaker to look for, the table of quotes by speaker, where the archive has it
    keyed = keep.speakers is not None and SPEAKER_QUOTES.view in archive.tabled
    where, params = ["TRUE"], []
    if kind is not None:
        where.append("q.kind = ?")
        params.append(kind)
    if keep.speakers is not None:
        query = keep.speakers
        # a few names too many do no harm (``keep`` decides each row): the raw name as well as
        # the aliases' (an unnamed speaker's is not renamed)
        names = [n for n, _ in archive.speaker_names()
                 if query.matches(n) or query.matches(c := _canonical(n, aliases)) or c in keep.alias_of]
        mentions = [m for m in archive.mentions() if query.matches(m)]
        condition, condition_params = speaker_condition(names, mentions, keyed=keyed)
        where.append(condition)
        params += condition_params
    if keep.outlets is not None:
        outlets = [o for o in archive.outlets() if keep.outlets.matches(o)]
        where.append("list_contains(?, q.a_outlet)" if keyed else "list_contains(?, a.outlet)")
        params.append(outlets)
    for quote, article in archive.rows(" AND ".join(where), params, table=SPEAKER_QUOTES if keyed else None):
        quote = aliases.apply(quote) if aliases else quote
        if keep(quote, article.meta.outlet):
            yield quote, article


def speaker_condition(names: list[str], mentions: list[str], *, keyed: bool) -> tuple[str, list[Any]]:
    """A SQL condition (and its parameters) on ``q``: the quote's speaker is one of ``names`` or
    is mentioned by one of ``mentions``. Over ``quotes``, or, ``keyed``, over ``speaker_quotes``,
    where a quote stands under its name and again under its mention: there the condition on
    ``key`` is what DuckDB skips row groups by, and the last keeps one row a quote (its name's
    where that was looked for, else its mention's)."""
    # list_contains, not IN (SELECT unnest(?)): a condition on the row, which DuckDB applies in
    # the scan of the files, where a subquery is joined after every other join
    condition = "(list_contains(?, q.speaker.name) OR list_contains(?, q.speaker.mention.text))"
    if not keyed:
        return condition, [names, mentions]
    either = sorted({*names, *mentions})
    return (f"list_contains(?, q.key) AND {condition} AND "
            "(NOT q.by_mention OR NOT coalesce(list_contains(?, q.speaker.name), false))",
            [either, names, mentions, either])


def _canonical(name: str, aliases: Aliases | None) -> str:
    return aliases.canonical(name) if aliases else name


def archive_claims(archive: Archive, min_outlets: int = 1) -> Iterator[Claim]:
    """What ``claims.select_claims`` gives over the archive: claims carried by ``min_outlets``
    outlets (or articles, where the outlet is unknown) or more, the largest first.

    The claims are chosen and ordered in DuckDB; their quotes are then read a few claims at a
    time, each round four times as many as the last, so the first claims come at once.
    """
    wanted = archive.values(f"SELECT claim FROM {archive.derived(CLAIM_COUNTS)} c WHERE outlets >= ? "
                            "ORDER BY quotes DESC, claim", [min_outlets])
    # the claims' own row groups of the table of quotes by claim, where the archive has it
    table = CLAIM_QUOTES if CLAIM_QUOTES.view in archive.tabled else None
    start, size = 0, FIRST_CLAIMS_READ
    while start < len(wanted):
        chunk = wanted[start : start + size]
        members: dict[str, list[tuple[Article, list[Quote]]]] = {c: [] for c in chunk}
        # over the table, a condition on the row, by which DuckDB skips row groups; over the
        # quotes, a semi join (faster there than testing each row against the list)
        where = "list_contains(?::VARCHAR[], q.claim)" if table else "q.claim IN (SELECT unnest(?::VARCHAR[]))"
        for quote, article in archive.rows(where, [chunk], table=table):
            members[quote.claim or ""].append((article, [quote]))
        for claim in chunk:
            yield from build_claims(members[claim])
        start, size = start + size, size * 4


def archive_speakers(archive: Archive, words: SpeakerWords, aliases: Aliases | None = None) -> list[SpeakerProfile]:
    """``profiles.speaker_profiles`` over the archive's quotes, streamed (one tally per speaker)."""

    def found() -> Iterator[tuple[Article, list[Quote]]]:
        for quote, article in archive.rows("q.speaker IS NOT NULL"):
            yield article, [aliases.apply(quote) if aliases else quote]

    return speaker_profiles(found(), words)


def archive_chain(archive: Archive, query: str, aliases: Aliases | None = None,
                  limit: int = MAX_TRACED_CLAIMS) -> tuple[Chain, list[tuple[Article, list[Quote]]]]:
    """``chains.trace(query, ..., limit)`` over the archive, reading only the claims it traces
    and their articles; and those articles with their quotes (for the diagrams).

    The claims that match are found in DuckDB, ranked there as ``chains.claim_rank`` ranks them,
    and only the first ``limit`` come into Python: the chain of a broad query costs what the
    chain of a narrow one does.
    """
    matched = matching_claims(archive, query, aliases)
    chosen = archive.values(
        f"SELECT claim FROM {archive.derived(CLAIM_COUNTS, 'claim IN (SELECT unnest(?::VARCHAR[]))')} c "
        "ORDER BY outlets DESC, quotes DESC, claim LIMIT ?", [sorted(matched), limit]) if matched else []
    if len(matched) > limit:
        too_many_claims(query, len(matched), limit)
    results = claim_articles(archive, chosen, aliases)
    return trace_claims(query, results, set(chosen)), results


def matching_claims(archive: Archive, query: str, aliases: Aliases | None = None) -> set[str]:
    """The claims that hold a quote matching ``query`` (``chains.matches_query``, the speaker's
    name as ``aliases`` give it): the stems and names are matched in DuckDB, and the texts
    that could be near the query are brought into Python for rapidfuzz to decide."""
    q = query.lower().strip()
    if len(q) < MIN_QUERY_CHARS:
        return set()
    named, unnamed = [], []
    for name, kind in archive.speaker_names():
        if kind == "unnamed":
            if name_matches_query(q, name):
                unnamed.append(name)
        elif name_matches_query(q, _canonical(name, aliases)):
            named.append(name)
    found: set[str] = set()
    if named or unnamed:
        # by name alone: the quotes' rows under their names, where the table is read
        keyed = SPEAKER_QUOTES.view in archive.tabled
        source = f"{SPEAKER_QUOTES.view} q WHERE NOT q.by_mention AND list_contains(?, q.key) AND" if keyed \
            else "quotes q WHERE"
        found.update(archive.values(
            f"SELECT DISTINCT q.claim FROM {source} q.claim IS NOT NULL AND ("
            "(list_contains(?, q.speaker.name) AND q.speaker.type IS DISTINCT FROM 'unnamed') OR "
            "(list_contains(?, q.speaker.name) AND q.speaker.type = 'unnamed'))",
            [*([sorted({*named, *unnamed})] if keyed else []), named, unnamed]))
    if (stems := sorted(set(content_words(query)))) and archive.text_index:
        # the texts that hold every stem, from the postings of the words
        found.update(archive.values(
            f"SELECT DISTINCT unnest(t.claims) FROM {CLAIM_TEXTS.view} t WHERE t.tid IN (SELECT w.tid FROM "
            f"{TEXT_INDEX.words} w WHERE list_contains(?, w.word) GROUP BY w.tid HAVING count(*) = ?)",
            [stems, len(stems)]))
    elif stems:
        # words is the quote's content_words, space-joined, written at ingest (a word each looked
        # for between spaces: twice as fast as splitting the column into lists)
        found.update(archive.values(
            "SELECT DISTINCT unnest(t.claims) FROM claim_texts t WHERE "
            + " AND ".join("contains(' ' || t.words || ' ', ?)" for _ in stems), [f" {stem} " for stem in stems]))
    candidates = near_candidates(archive, q) if archive.text_index else None
    if candidates is None:
        near, near_params = _near_query(q)
        # every text is narrowed, those of claims found already too (a few in a hundred: not
        # worth a join), and rapidfuzz decides only where a claim would be added
        rows = archive.tuples(f"SELECT t.claims, t.text FROM {CLAIM_TEXTS.view} t WHERE {near}", near_params)
        for claims, text in rows:
            if not found.issuperset(claims) and text_matches_query(q, text):
                found.update(claims)
        return found
    # the rest of the same condition, over the texts the postings left (materialized first, or
    # DuckDB would test it on every text before the join); their claims read for those rapidfuzz
    # matches only
    with archive.registered("near_candidates", candidates):
        rows = archive.tuples(*_near_texts(q))
    hits = texts_matching_query(q, [text for _, text in rows])
    matched = _tids([tid for (tid, _), hit in zip(rows, hits) if hit])
    with archive.registered("near_matches", matched):
        found.update(archive.values(f"SELECT DISTINCT unnest(t.claims) FROM {CLAIM_TEXTS.view} t "
                                    "SEMI JOIN near_matches USING (tid)"))
    return found


def _near_texts(q: str) -> tuple[str, list[Any]]:
    """SQL (and its parameters) for the texts (``tid``, ``text``) that meet ``_near_query(q)``,
    of the ``near_candidates`` registered as such: their runs' counts met, a piece in common."""
    near = _near_parts(q)
    shorter, longer = near.shorter_pieces, near.longer_pieces
    # CASE, not OR: DuckDB would test a shorter text's pieces on every text, of thousands of letters too
    return (f"WITH c AS MATERIALIZED (SELECT t.tid, t.text, t.lowered, n.shorter, n.longer FROM {CLAIM_TEXTS.view} t "
            f"JOIN near_candidates n USING (tid)) SELECT t.tid, t.text FROM c t WHERE CASE WHEN t.shorter AND "
            f"{shorter[0]} THEN true WHEN t.longer THEN {longer[0] or 'true'} ELSE false END", [*shorter[1], *longer[1]])


def _tids(tids: Any) -> pa.Table:
    """Text ids as a table DuckDB can join with (``Archive.registered``)."""
    import pyarrow as pa

    return pa.table({"tid": pa.array(tids, type=pa.uint32())})


def near_candidates(archive: Archive, q: str) -> pa.Table | None:
    """The texts (``tid``) that meet the counts of three-letter runs ``_near_query(q)`` asks,
    counted over the text index's postings and bitmaps instead of in every text, with which of
    the two they meet (``shorter``, ``longer``: the text is no longer, no shorter than the query,
    and its count is met); what is left of the condition, a piece in common, is for SQL on these
    alone. None where the bound on a text at least as long as the query asks nothing (too short
    a query to narrow so).

    - A text at least as long as the query: the query's runs it holds, each as often as the
      query has it, at least ``needed``.
    - A text at most as long, of ``n`` letters: its runs that stand in the query, each as often
      as the text has it, at least ``n - 2 - 3 * edits(n)`` (nothing at 0 to 2 letters, or 5).
    """
    import numpy as np
    import pyarrow as pa

    needed = len(q) - 2 - 3 * _edits(len(q))
    if needed <= 0:
        return None
    counted = Counter(gram_code(q[i : i + 3]) for i in range(len(q) - 2))
    codes = np.array(sorted(counted), dtype=np.int64)
    lengths = archive.tuples(f"SELECT chars, min(tid), max(tid) FROM {CLAIM_TEXTS.view} GROUP BY chars ORDER BY chars")
    texts = int(lengths[-1][2]) + 1 if lengths else 0
    # by_query: the query's runs a text holds, each weighted as often as the query has it;
    # by_text: the text's positions whose run stands in the query
    by_query = np.zeros(texts, dtype=np.int32)
    by_text = np.zeros(texts, dtype=np.int32)
    dense = np.zeros(len(codes), dtype=bool)
    for gram, bits in archive.tuples(f"SELECT gram, bits FROM {TEXT_INDEX.bits} WHERE list_contains(?, gram)",
                                     [codes.tolist()]):
        present = np.unpackbits(np.frombuffer(bits, dtype=np.uint8), count=texts, bitorder="little")
        by_text += present
        by_query += present if counted[gram] == 1 else present.astype(np.int32) * counted[gram]
        dense[np.searchsorted(codes, gram)] = True
    # a common run's postings (texts that repeat it) count for the shorter texts alone, the first
    shorter_last = max((last for n, _, last in lengths if n <= len(q)), default=-1)
    posted = archive.columns(f"SELECT gram, tid, n FROM {TEXT_INDEX.grams} WHERE list_contains(?, gram) "
                             "AND (NOT list_contains(?, gram) OR tid <= ?)",
                             [codes.tolist(), codes[dense].tolist(), shorter_last])
    if len(posted["tid"]):
        at = np.searchsorted(codes, posted["gram"])
        weights = np.array([counted[int(c)] for c in codes], dtype=np.int32)
        common = dense[at]
        # a common run's bitmap has counted each text once: its postings add the further times
        # (and nothing to ``by_query``, which counts a run once a text)
        by_query += np.bincount(posted["tid"], weights=np.where(common, 0, weights[at]),
                                minlength=texts).astype(np.int32)
        by_text += np.bincount(posted["tid"], weights=posted["n"] - common, minlength=texts).astype(np.int32)
    chars = np.repeat(np.array([n for n, _, _ in lengths], dtype=np.int64),
                      [last - first + 1 for _, first, last in lengths])
    shorter_needed = chars - 2 - 3 * (chars * (2 * (100 - QUERY_MATCH_RATIO)) // 100)
    shorter = (chars <= len(q)) & (by_text >= shorter_needed)
    longer = (chars >= len(q)) & (by_query >= needed)
    kept = np.flatnonzero(shorter | longer)
    return pa.table({"tid": pa.array(kept.astype(np.uint32)), "shorter": shorter[kept], "longer": longer[kept]})


def _edits(length: int) -> int:
    """The insertions and deletions rapidfuzz's ratio at ``QUERY_MATCH_RATIO`` allows a query of
    ``length`` letters against a stretch as long."""
    return int(2 * length * (100 - QUERY_MATCH_RATIO) / 100)


def _near_query(q: str) -> tuple[str, list[Any]]:
    """A SQL condition on ``t.lowered`` (a lower-cased text) that every text matching the query
    ``q`` (lower-cased) meets, and few others: ``chains.text_matches_query`` is rapidfuzz's
    partial_ratio at 90 or more, so some stretch of the text is at most ``edits`` insertions and
    deletions away from the query (tests/test_scale.py checks it on edited texts).

    - A text at least as long as the query: some piece of the query, cut into ``edits + 1``,
      stands in the text unchanged (each edit spoils one piece at most); and of the query's
      three-letter runs, all but three an edit stand in it (a deletion spoils the three runs
      that hold the letter, an insertion the two it falls inside).
    - A text at most as long is matched the other way round (partial_ratio aligns the shorter in
      the longer, and both ways when they are as long), with as many edits as a fifth of its
      length: one of its pieces, cut into one more than that, stands in the query, and of its
      three-letter runs, all but three an edit.
    """
    near = _near_parts(q)
    shorter = " AND ".join(f"({c})" for c, _ in (near.shorter_pieces, near.shorter_runs))
    longer = " AND ".join(f"({c})" for c, _ in (near.longer_pieces, near.longer_runs) if c) or "TRUE"
    # rapidfuzz aligns both ways when the lengths are equal
    return (f"((length(t.lowered) <= ? AND {shorter}) OR (length(t.lowered) >= ? AND {longer}))",
            [len(q), *near.shorter_pieces[1], *near.shorter_runs[1], len(q), *near.longer_pieces[1],
             *near.longer_runs[1]])


@dataclass(frozen=True)
class _NearParts:
    """The four conditions of ``_near_query`` on ``t.lowered``, each SQL with its parameters (an
    empty condition asks nothing): for a text at most as long as the query, one of its pieces in
    the query and its runs' count; for one at least as long, one of the query's pieces in it and
    the query's runs' count. The text index counts the runs itself (``near_candidates``)."""

    shorter_pieces: tuple[str, list[Any]]
    shorter_runs: tuple[str, list[Any]]
    longer_pieces: tuple[str, list[Any]]
    longer_runs: tuple[str, list[Any]]


def _near_parts(q: str) -> _NearParts:
    edits = _edits(len(q))
    longer_pieces: tuple[str, list[Any]] = ("", [])
    if pieces := _pieces(q, edits + 1):
        # one regular expression finds any of them in one pass (three times as fast as a
        # contains() each on a million quotes)
        longer_pieces = ("regexp_matches(t.lowered, ?)", ["|".join(_literal(p) for p in pieces)])
    runs = [q[i : i + 3] for i in range(len(q) - 2)]
    longer_runs: tuple[str, list[Any]] = ("", [])
    if (needed := len(runs) - 3 * edits) > 0:
        counted = Counter(runs)
        longer_runs = ("(" + " + ".join("(CASE WHEN contains(t.lowered, ?) THEN ? ELSE 0 END)" for _ in counted)
                       + ") >= ?", [*(v for run, n in counted.items() for v in (run, n)), needed])
    # a shorter text: its length, the edits it allows, where its j-th piece starts (from 0)
    n = "length(t.lowered)"
    its_edits = f"({n} * {2 * (100 - QUERY_MATCH_RATIO)} // 100)"

    def cut(j: str) -> str:
        return f"({j} * {n} // ({its_edits} + 1))"

    shorter_pieces = (f"len(list_filter(range(0, {its_edits} + 1), lambda j: contains(?, substring(t.lowered, "
                      f"1 + {cut('j')}, {cut('(j + 1)')} - {cut('j')})))) > 0", [q])
    shorter_runs = (f"len(list_filter(range(1, {n} - 1), lambda i: contains(?, substring(t.lowered, i, 3)))) "
                    f">= {n} - 2 - 3 * {its_edits}", [q])
    return _NearParts(shorter_pieces, shorter_runs, longer_pieces, longer_runs)


def claim_articles(archive: Archive, claim_ids: list[str],
                   aliases: Aliases | None = None) -> list[tuple[Article, list[Quote]]]:
    """Every article that holds a quote of these claims, with all its quotes (the reports they
    are nested in too), in archive order."""
    results: list[tuple[Article, list[Quote]]] = []
    if not claim_ids:
        return results
    source = CLAIM_QUOTES.view if CLAIM_QUOTES.view in archive.tabled else "quotes"
    keys = archive.values(f"SELECT DISTINCT z.article_key FROM {source} z WHERE list_contains(?::VARCHAR[], z.claim)",
                          [claim_ids])
    for quote, article in archive.rows("list_contains(?::VARCHAR[], q.article_key)", [keys]):
        quote = aliases.apply(quote) if aliases else quote
        if results and results[-1][0].path == article.path:
            results[-1][1].append(quote)
        else:
            results.append((article, [quote]))
    return results


def _literal(text: str) -> str:
    """``text`` as a regular expression (RE2's, as DuckDB's) that matches it alone."""
    return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in text)


_REGEX_SPECIAL = frozenset("\\.^$|?*+()[]{}")


def _pieces(text: str, count: int) -> list[str]:
    """``text`` cut into ``count`` stretches of near-equal length (none empty); fewer, down to
    none, when the text is too short for a piece to narrow anything."""
    if count > len(text) or len(text) // count < 2:
        return []
    size, extra = divmod(len(text), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(text[start:end])
        start = end
    return out
