"""Questions to a Parquet archive (``ingest --output DIR``), answered in place with DuckDB.

``list``, ``claims``, ``chain`` and ``speakers`` take ``--from DIR``: DuckDB reads the archive's
files where they lie, spaCy is not loaded, and only what a question needs comes into Python:

- ``list --speaker/--outlet``: the distinct speaker names, mentions and outlets (thousands, not
  millions) are matched in Python with the same typo-forgiving rules as ``--speaker``; DuckDB
  then picks the rows of the names that matched, and the usual filter checks those.
- ``chain QUERY``: DuckDB picks every quote that could match (a piece of the query in its text,
  its stems among the quote's, or a matching speaker), Python keeps those that do, and the claims
  they belong to are read whole, with their articles, for ``chains.trace``.
- ``claims``: claims are counted and filtered (``--min-outlets``) in DuckDB; each is then built
  from its own quotes.
- ``speakers``: the speaker columns stream through ``profiles.speaker_profiles``.

The archive's order (what the single-process commands would see as input order) is by article
path, then place in the article. Articles come back without their text (the archive does not
keep it): records and tables do not show it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from quotetrace.chains import QUERY_MATCH_RATIO, matches_query, trace
from quotetrace.claims import build_claims, content_words
from quotetrace.errors import ScaleError
from quotetrace.filters import Filter
from quotetrace.lexicon import SpeakerWords
from quotetrace.models import Article, ArticleMeta, Chain, Claim, Quote, SpeakerProfile
from quotetrace.profiles import speaker_profiles
from quotetrace.scale import ARTICLES_DIR, CLAIMS_DIR, QUOTES_DIR, quote_schema

if TYPE_CHECKING:
    import duckdb

    from quotetrace.aliases import Aliases

# Rows fetched from DuckDB at a time when a result streams.
BATCH_ROWS = 10_000

_QUOTE_FIELDS = ("id", "article", "start", "end", "text", "kind", "cue", "speaker", "addressee", "parent", "via",
                 "confidence", "method")
_ARTICLE_FIELDS = ("path", "outlet", "original_outlet", "authors", "published", "title", "url", "dateline")


class Archive:
    """An archive folder opened for questions. Use ``open_archive``; close it when done."""

    def __init__(self, root: Path, db: duckdb.DuckDBPyConnection) -> None:
        self.root = root
        self.db = db

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def rows(self, where: str = "TRUE", params: list[Any] | None = None,
             order_by: str | None = "q.article, q.position", join: str = "") -> Iterator[tuple[Quote, Article]]:
        """Quotes (with their claim, where linked) and their articles, for a SQL condition over
        the ``quotes`` view (``q``) and ``articles`` (``a``)."""
        columns = ", ".join([*(f'q."{c}"' for c in _QUOTE_FIELDS), "q.claim",
                             *(f'a."{c}" AS "a_{c}"' for c in _ARTICLE_FIELDS)])
        sql = (f"SELECT {columns} FROM quotes q JOIN articles a USING (article_key) {join} WHERE {where}"
               + (f" ORDER BY {order_by}" if order_by else ""))
        result = self._execute(sql, params or [])
        names = [d[0] for d in result.description]
        while batch := result.fetchmany(BATCH_ROWS):
            for values in batch:
                record = dict(zip(names, values))
                meta = ArticleMeta.from_dict({c: record[f"a_{c}"] for c in _ARTICLE_FIELDS})
                yield Quote.from_dict(record), Article(record["a_path"], "", meta)

    def values(self, sql: str, params: list[Any] | None = None) -> list[Any]:
        """The first column of a query's rows."""
        return [row[0] for row in self._execute(sql, params or []).fetchall()]

    def _execute(self, sql: str, params: list[Any]) -> duckdb.DuckDBPyConnection:
        import duckdb

        try:
            return self.db.execute(sql, params)
        except duckdb.Error as error:
            raise ScaleError.unreadable(str(self.root), error) from None


def open_archive(root: str | Path) -> Archive:
    """An archive folder, its files seen by DuckDB as three views: ``articles``, ``quotes`` (each
    with its ``claim``, null before linking), ``claims``.

    Raises:
        ScaleError: DuckDB is missing, or the folder is not an archive.
    """
    try:
        import duckdb
    except ImportError:
        raise ScaleError.needs_extra("--from") from None
    root = Path(root)
    if not any((root / ARTICLES_DIR).glob("*.parquet")):
        raise ScaleError.not_archive(str(root))
    db = duckdb.connect()

    def files(folder: str, pattern: str) -> str:
        return "'" + str(root / folder / pattern).replace("'", "''") + "'"

    db.execute(f"CREATE VIEW articles AS SELECT * FROM read_parquet({files(ARTICLES_DIR, '*.parquet')})")
    claims = any((root / CLAIMS_DIR).glob("*.parquet"))
    db.execute(f"CREATE VIEW claims AS SELECT * FROM read_parquet({files(CLAIMS_DIR, '*.parquet')})" if claims
               else "CREATE VIEW claims AS SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS claim WHERE FALSE")
    if any((root / QUOTES_DIR).glob("*/*.parquet")):
        # only quotes of recorded articles: a run stopped between the two writes leaves quotes
        # of an article that is parsed again next time
        db.execute(f"CREATE VIEW quotes AS SELECT q.*, c.claim FROM read_parquet({files(QUOTES_DIR, '*/*.parquet')}, "
                   "hive_partitioning = false) q SEMI JOIN articles a USING (article_key) "
                   "LEFT JOIN claims c USING (id)")
    else:
        empty = ", ".join(f'NULL AS "{f.name}"' for f in quote_schema())
        db.execute(f"CREATE VIEW quotes AS SELECT {empty}, NULL::VARCHAR AS claim WHERE FALSE")
    return Archive(root, db)


def select_quotes(archive: Archive, speaker: str | None = None, outlet: str | None = None, kind: str | None = None,
                  aliases: Aliases | None = None, titles: Collection[str] | None = None,
                  ) -> Iterator[tuple[Quote, Article]]:
    """What ``filters.select_from_articles`` keeps, from an archive, in the archive's order.

    Raises:
        ValueError: ``kind`` is not a known kind.
    """
    keep = Filter(speaker, outlet, kind, aliases, titles)
    where, params = ["TRUE"], []
    if kind is not None:
        where.append("q.kind = ?")
        params.append(kind)
    if keep.speakers is not None:
        query = keep.speakers
        names = [n for n in archive.values("SELECT DISTINCT q.speaker.name FROM quotes q WHERE q.speaker IS NOT NULL")
                 if n and (query.matches(_canonical(n, aliases)) or _canonical(n, aliases) in keep.alias_of)]
        mentions = [m for m in archive.values("SELECT DISTINCT q.speaker.mention.text FROM quotes q "
                                              "WHERE q.speaker.mention IS NOT NULL") if m and query.matches(m)]
        where.append("(list_contains(?, q.speaker.name) OR list_contains(?, q.speaker.mention.text))")
        params += [names, mentions]
    if keep.outlets is not None:
        outlets = [o for o in archive.values("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")
                   if keep.outlets.matches(o)]
        where.append("list_contains(?, a.outlet)")
        params.append(outlets)
    for quote, article in archive.rows(" AND ".join(where), params):
        quote = aliases.apply(quote) if aliases else quote
        if keep(quote, article.meta.outlet):
            yield quote, article


def _canonical(name: str, aliases: Aliases | None) -> str:
    return aliases.canonical(name) if aliases else name


def archive_claims(archive: Archive, min_outlets: int = 1) -> Iterator[Claim]:
    """What ``claims.select_claims`` gives over the archive: claims carried by ``min_outlets``
    outlets (or articles, where the outlet is unknown) or more, the largest first."""
    # as ``claims.select_claims``: a page that names no site is published by the outlet that wrote it
    site = "coalesce(q.outlet, q.original_outlet)"
    wanted = (f"SELECT q.claim, count(*) AS size FROM quotes q WHERE q.claim IS NOT NULL GROUP BY q.claim "
              f"HAVING CASE WHEN count({site}) > 0 THEN count(DISTINCT {site}) ELSE count(DISTINCT q.article) END >= ?")
    # the rows of one claim together, the claims in output order (largest, then by id), each
    # claim's quotes in archive order
    sql_rows = archive.rows("TRUE", [min_outlets], order_by="w.size DESC, q.claim, q.article, q.position",
                            join=f"JOIN ({wanted}) w USING (claim)")
    current: str | None = None
    members: list[tuple[Article, list[Quote]]] = []
    for quote, article in sql_rows:
        if quote.claim != current and members:
            yield from build_claims(members)
            members = []
        current = quote.claim
        members.append((article, [quote]))
    if members:
        yield from build_claims(members)


def archive_speakers(archive: Archive, words: SpeakerWords, aliases: Aliases | None = None) -> list[SpeakerProfile]:
    """``profiles.speaker_profiles`` over the archive's quotes, streamed (one tally per speaker)."""

    def found() -> Iterator[tuple[Article, list[Quote]]]:
        for quote, article in archive.rows("q.speaker IS NOT NULL"):
            yield article, [aliases.apply(quote) if aliases else quote]

    return speaker_profiles(found(), words)


def archive_chain(archive: Archive, query: str,
                  aliases: Aliases | None = None) -> tuple[Chain, list[tuple[Article, list[Quote]]]]:
    """``chains.trace(query, ...)`` over the archive, reading only the claims that match and
    their articles; and those articles with their quotes (for the diagrams)."""
    text = query.lower().strip()
    # A text matches the query when some stretch of it is within 10% (rapidfuzz partial_ratio 90)
    # of the query: fewer edits than there are pieces of the query, cut evenly, so some piece
    # stands in it unchanged.
    edits = int(2 * len(text) * (100 - QUERY_MATCH_RATIO) / 100)
    pieces = _pieces(text, edits + 1)
    stems = sorted(set(content_words(query)))
    names = [n for n in archive.values("SELECT DISTINCT q.speaker.name FROM quotes q WHERE q.speaker IS NOT NULL")
             if n and len(text) >= 4 and fuzz.partial_ratio(text, _canonical(n, aliases).lower(),
                                                            score_cutoff=QUERY_MATCH_RATIO)]
    # a text shorter than the query is matched the other way round (partial_ratio aligns the
    # shorter in the longer): such quotes are all looked at
    conditions = ["list_contains(?, q.speaker.name)", "length(q.text) < ?"]
    params: list[Any] = [names, len(text)]
    if pieces:
        conditions.append("(" + " OR ".join("contains(lower(q.text), ?)" for _ in pieces) + ")")
        params += pieces
    else:
        conditions.append("TRUE")
    if stems:
        conditions.append("list_has_all(string_split(q.link_words, ' '), ?)")
        params.append(stems)
    hits = [quote for quote, _ in archive.rows(" OR ".join(conditions), params, order_by=None)
            if matches_query(query, aliases.apply(quote) if aliases else quote)]
    results = claim_articles(archive, sorted({q.claim for q in hits if q.claim}), aliases)
    return trace(query, results), results


def claim_articles(archive: Archive, claim_ids: list[str],
                   aliases: Aliases | None = None) -> list[tuple[Article, list[Quote]]]:
    """Every article that holds a quote of these claims, with all its quotes (the reports they
    are nested in too), in archive order."""
    results: list[tuple[Article, list[Quote]]] = []
    if not claim_ids:
        return results
    keys = "SELECT DISTINCT z.article_key FROM quotes z WHERE list_contains(?, z.claim)"
    for quote, article in archive.rows(f"q.article_key IN ({keys})", [claim_ids]):
        quote = aliases.apply(quote) if aliases else quote
        if results and results[-1][0].path == article.path:
            results[-1][1].append(quote)
        else:
            results.append((article, [quote]))
    return results


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
