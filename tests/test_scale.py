"""The scale path on a local Dask cluster: distributed claim linking equals the single-process
linker, Parquet archives written by ``ingest --output`` and queried by ``--from``.

Every wait on the cluster is bounded (``TIMEOUT``): a stalled step fails its test, it does not hang."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from quotetrace.articles import default_corpus_paths
from quotetrace.chains import (
    MAX_TRACED_CLAIMS,
    claim_rank,
    matches_query,
    text_matches_query,
    texts_matching_query,
    trace,
)
from quotetrace.claims import build_claims, content_words, link_claims
from quotetrace.cli import app
from quotetrace.errors import ScaleError
from quotetrace.models import Article, Quote
from quotetrace.parquet_query import (
    Archive,
    _near_query,
    _near_texts,
    archive_chain,
    matching_claims,
    near_candidates,
    open_archive,
    speaker_condition,
)
from quotetrace.runner import run
from quotetrace.scale import (
    CLAIM_QUOTES,
    CLAIM_COLUMN,
    CLAIM_COUNTS,
    CLAIM_TEXTS,
    CLAIMS_DIR,
    COVERAGE_KEY,
    DERIVED_TABLES,
    NAMES_DIR,
    NAMES_FILE,
    SPEAKER_QUOTES,
    TEXT_INDEX,
    DerivedTable,
    connect_duckdb,
    current_coverage,
    forget_names,
    fully_indexed,
    gram_code,
    gram_sql,
    has_table,
    has_text_index,
    index_archive,
    index_path,
    ingest_parquet,
    quote_files,
    quote_schema,
    sql_string,
    table_path,
    write_text_index,
)
from quotetrace import scale_files
from quotetrace.scale import compact_archive
from quotetrace.scale_claims import link_quotes
from quotetrace.scale_files import MANIFEST_FILE, live_article_files, read_manifest

from .synthetic import COMMON_WORDS, SYLLABLES, synthetic_quotes

# Seconds any one step on the cluster may take before the test fails.
TIMEOUT = 120

@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="1GB") as cluster, Client(cluster, timeout=TIMEOUT) as c:
        yield c


@pytest.mark.parametrize(("quotes", "per_partition", "in_one_table"), [
    (3000, 700, 3_000_000),  # components by one merged table of vertices
    (600, 150, 0),  # components by rounds of label propagation
    (40, 7, 3_000_000),  # more partitions than some have quotes
])
def test_distributed_linker_gives_the_single_process_claim_ids(client: Client, quotes: int, per_partition: int,
                                                                in_one_table: int) -> None:
    made = synthetic_quotes(quotes)
    expected, links = link_claims(made)
    assert links, "the synthetic quotes must link somewhere, or the comparison says nothing"
    got = link_quotes(made, client, quotes_per_partition=per_partition, timeout=TIMEOUT,
                      vertices_in_one_table=in_one_table)
    assert got == expected


def test_no_quotes_no_claims(client: Client) -> None:
    assert link_quotes([], client, timeout=TIMEOUT) == {}


# --- Parquet archives: ingest on the cluster, questions answered in place -------------------------

runner = CliRunner()


def run_cli(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def archive(client: Client, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    outcomes = ingest_parquet([str(p) for p in default_corpus_paths()], root, scheduler=client, timeout=TIMEOUT)
    assert [o.status for o in outcomes] == ["added"] * len(outcomes)
    return root


def records(*args: str) -> list[dict]:
    result = run_cli(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("command", [
    ["list"],
    ["list", "--speaker", "putin"],
    ["list", "--kind", "indirect"],
    ["claims", "--min-outlets", "2"],
    ["chain", "security guarantee"],
    ["chain", "the"],  # more claims than a chain traces
    ["speakers"],
])
def test_from_an_archive_answers_as_from_the_articles(archive: Path, command: list[str]) -> None:
    from_archive = records(*command, "--from", str(archive))
    from_articles = records(*command, *[str(p) for p in default_corpus_paths()])
    assert from_archive, "the question must find something, or the comparison says nothing"
    if command[0] == "list":  # the archive keeps each article's own spellings (no run-level unify)
        assert [(r["id"], r["claim"], r["text"]) for r in from_archive] == \
               [(r["id"], r["claim"], r["text"]) for r in from_articles]
    else:
        assert from_archive == from_articles


@pytest.fixture(scope="module")
def linked_articles(nlp) -> list[tuple[Article, list[Quote]]]:
    return list(run([str(p) for p in default_corpus_paths()], nlp=nlp, link=True))


@pytest.mark.parametrize(("query", "limit"), [
    ("the", 1),  # common words: nearly every claim matches, the limit chooses
    ("the", 5),
    ("security guarantee", 1),
    ("putin", 2),  # a speaker
])
def test_a_chain_over_its_limit_traces_the_same_claims_from_an_archive(archive: Path, linked_articles, query: str,
                                                                       limit: int) -> None:
    expected = trace(query, linked_articles, limit=limit)
    assert len(expected.claims) == limit, "the limit must bind, or the test says nothing"
    with open_archive(archive) as opened:
        got, articles = archive_chain(opened, query, limit=limit)
    assert got.to_dict() == expected.to_dict()
    # only the traced claims' articles came into Python
    wanted = {c.id for c in expected.claims}
    assert all(any(q.claim in wanted for q in quotes) for _, quotes in articles)


def test_the_claims_a_chain_traces_are_the_first_by_outlets(linked_articles, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="quotetrace"):
        chain = trace("the", linked_articles, limit=3)
    hits = {q.claim for _, quotes in linked_articles for q in quotes if matches_query("the", q)}
    matched = [c for c in build_claims(linked_articles) if c.id in hits]
    assert len(matched) > 3
    assert {c.id for c in chain.claims} == {c.id for c in sorted(matched, key=claim_rank)[:3]}
    assert "claims: the 3 carried by the most outlets are traced" in caplog.text


# Words with what a regular expression would read as its own (the narrowing writes pieces as one).
_PUNCTUATED = ["u.s.", "(40%)", "$5", "a+b?", "[x]", "{y}", "c:\\d", "^_^", "a|b", "*"]


def _edited(rng: random.Random, text: str, edits: int) -> str:
    """``text`` with ``edits`` random insertions, deletions and substitutions, inside more text;
    one time in three a stretch of it, so edited, alone (shorter than the query)."""
    alone = rng.random() < 0.33
    if alone:
        start = rng.randrange(len(text))
        text = text[start : rng.randint(start + 1, len(text))]
        edits = min(edits, len(text) // 5)
    chars = list(text)
    for _ in range(edits):
        at = rng.randrange(len(chars) + 1)
        action = rng.random()
        if action < 0.4 and at < len(chars):
            del chars[at]
        elif action < 0.7 and at < len(chars):
            chars[at] = rng.choice("abcdefghijklmnopqrstuvwxyz ")
        else:
            chars.insert(at, rng.choice("abcdefghijklmnopqrstuvwxyz "))
    if alone:
        return "".join(chars)
    words = [rng.choice(COMMON_WORDS) for _ in range(rng.randint(0, 8))]
    cut = rng.randint(0, len(words))
    return " ".join([*words[:cut], "".join(chars), *words[cut:]])


def test_the_sql_narrowing_of_a_chain_query_keeps_every_text_that_matches() -> None:
    """``_near_query`` only narrows: every text rapidfuzz matches to the query meets it."""
    import duckdb

    rng = random.Random(11)
    db = duckdb.connect()
    matched = 0
    for _ in range(400):
        query = " ".join(rng.choice(COMMON_WORDS + SYLLABLES + _PUNCTUATED) for _ in range(rng.randint(1, 9)))
        condition, params = _near_query(query)
        for _ in range(10):
            text = _edited(rng, query, rng.randint(0, max(1, len(query) // 4)))
            if text_matches_query(query, text):
                matched += 1
                db.execute("CREATE OR REPLACE TEMP TABLE t AS SELECT lower(?) AS lowered", [text])
                assert db.execute(f"SELECT {condition} FROM t", params).fetchone()[0], (query, text)
    assert matched > 1000, "most edited texts must still match, or the test says nothing"


# Letters past ASCII, in the pieces a query is cut into too: accents, a combining mark, CJK, an
# emoji with its skin tone (two code points), a letter whose lower case is longer ("İ").
_UNICODE = ["naïve", "e\u0301te", "東京都", "👍🏽ok", "İstanbul", "straße", "ǅemal"]


def _texts_archive(root: Path, texts: list[str]) -> Archive:
    """An archive of a texts table alone (each text its own claim, its content words as
    ``link_words``) and its text index, both written as ``index_archive`` writes them."""
    db = connect_duckdb()
    db.register("quotes", pa.table({"claim": [f"c{i}" for i in range(len(texts))], "text": texts,
                                    "link_words": [" ".join(content_words(t)) for t in texts]}))
    path = table_path(root, CLAIM_TEXTS)
    path.parent.mkdir(parents=True)
    db.execute(f"COPY ({CLAIM_TEXTS.table_sql.format(where='TRUE')}) TO {sql_string(str(path))} (FORMAT PARQUET)")
    write_text_index(db, root, json.dumps({}))
    db.close()
    opened = connect_duckdb()
    for view, file in [(CLAIM_TEXTS.view, path), *((name, index_path(root, name)) for name in TEXT_INDEX.files())]:
        opened.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet({sql_string(str(file))})")
    opened.execute("CREATE VIEW names AS SELECT NULL::VARCHAR AS field, NULL::VARCHAR AS name, "
                   "NULL::VARCHAR AS type WHERE FALSE")
    return Archive(root, opened, frozenset({CLAIM_TEXTS.view}), text_index=True)


def _random_queries(rng: random.Random, count: int) -> list[str]:
    words = COMMON_WORDS + SYLLABLES + _PUNCTUATED + _UNICODE
    return [" ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(count)]


def test_the_text_index_gives_the_claims_the_scan_gives(tmp_path: Path) -> None:
    """Property-style: random queries, texts made of them by random edits (a third of them a
    stretch of the query alone, so shorter than it), texts of every short length, one text a
    claim. The postings' candidates hold every text the scan's condition keeps, the rest of the
    condition over them keeps those texts exactly, and the claims found through the index are
    those the scan finds, query by query."""
    rng = random.Random(5)
    queries = _random_queries(rng, 120)
    texts = [_edited(rng, q, rng.randint(0, max(1, len(q) // 4))) for q in queries for _ in range(8)]
    texts += ["", "a", "ab", "abc", "the", "the p", "we wil", "ka lo", *queries[:20], *_UNICODE]
    texts += ["".join(rng.choice("ab ") for _ in range(rng.randint(3, 12))) for _ in range(40)]  # runs repeated
    archive = _texts_archive(tmp_path, texts)
    kept = candidates = matched = 0
    with archive:
        total = archive.values("SELECT count(*) FROM claim_texts")[0]
        for query in [*queries, "ab ab", "aaa", "the"]:
            q = query.lower().strip()
            posted = near_candidates(archive, q)
            condition, params = _near_query(q)
            scanned = set(archive.values(f"SELECT t.tid FROM claim_texts t WHERE {condition}", params))
            if posted is None:  # a query too short for the bound: the scan answers
                assert len(q) - 2 - 3 * int(len(q) / 5) <= 0
            else:
                found = set(posted.column("tid").to_pylist())
                assert scanned <= found, (query, scanned - found)
                with archive.registered("near_candidates", posted):
                    assert {tid for tid, _ in archive.tuples(*_near_texts(q))} == scanned, query
                kept, candidates = kept + len(scanned), candidates + len(found)
            by_index = matching_claims(archive, query)
            archive.text_index = False
            assert matching_claims(archive, query) == by_index, query
            archive.text_index = True
            matched += len(by_index)
    assert matched > 500, "queries must match texts, or the comparison says nothing"
    assert kept < candidates < total * len(queries) // 2, "the postings must narrow, and the condition still decide"


def test_texts_are_matched_in_one_call_as_one_by_one() -> None:
    rng = random.Random(8)
    for query in _random_queries(rng, 60):
        q = query.lower().strip()
        texts = [_edited(rng, query, rng.randint(0, len(query) // 3)) for _ in range(20)] + ["", query.upper()]
        assert texts_matching_query(q, texts) == [text_matches_query(q, t) for t in texts]
    assert texts_matching_query("abc", []) == []


@pytest.mark.parametrize("text", ["abc", "naïve", "e\u0301te", "東京都", "👍🏽ok", "ǅemal", "a\x00b", "\U0010ffff\u00e9z"])
def test_a_three_letter_run_has_one_code_in_sql_and_in_python(text: str) -> None:
    db = connect_duckdb()
    got = db.execute(f"SELECT list_transform(range(1, length(s) - 1), lambda i: {gram_sql('s', 'i')}) "
                     "FROM (SELECT ?::VARCHAR AS s)", [text]).fetchall()[0][0]
    assert got == [gram_code(text[i : i + 3]) for i in range(len(text) - 2)]
    assert len(set(got)) == len({text[i : i + 3] for i in range(len(text) - 2)})


@pytest.mark.parametrize("source", ["archive", "articles"])
def test_a_chain_over_its_limit_says_so_on_stderr(archive: Path, source: str) -> None:
    inputs = ["--from", str(archive)] if source == "archive" else [str(p) for p in default_corpus_paths()]
    result = run_cli("chain", "the", *inputs, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["claims"]) == MAX_TRACED_CLAIMS
    assert f"claims: the {MAX_TRACED_CLAIMS} carried by the most outlets are traced" in result.stderr


def _as_before_indexing(root: Path, files: list[Path] | None = None) -> None:
    """``root`` as an archive linked before names and claim ids were kept: no names file, and
    (of ``files``, default all) quote files without the claim column."""
    import pyarrow.parquet as pq

    forget_names(root)
    for path in quote_files(root) if files is None else files:
        pq.write_table(pq.read_table(str(path), columns=quote_schema().names), str(path))


def _asked(archive: Path) -> dict[str, str]:
    """A speaker and an outlet the archive has, whichever they are: the most quoted named one."""
    with open_archive(archive) as opened:
        speaker = opened.values("SELECT name FROM names WHERE field = 'speaker' AND type = 'person' "
                                "ORDER BY count DESC, name LIMIT 1")[0]
        outlet = opened.values("SELECT name FROM names WHERE field = 'outlet' ORDER BY count DESC, name LIMIT 1")[0]
    return {"speaker": speaker, "outlet": outlet}


def _copied(archive: Path, factory: pytest.TempPathFactory, name: str, change: Callable[[Path], None]) -> Path:
    """A copy of the archive, changed so."""
    root = factory.mktemp(name) / "archive"
    shutil.copytree(archive, root)
    change(root)
    return root


@pytest.fixture(scope="module")
def old_archive(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copied(archive, tmp_path_factory, "old", _as_before_indexing)


def test_a_linked_archive_keeps_names_and_claim_ids(archive: Path) -> None:
    import pyarrow.parquet as pq

    coverage = current_coverage(archive)
    assert coverage is not None and coverage.all_recorded
    assert all(CLAIM_COLUMN in pq.read_schema(str(f)).names for f in quote_files(archive))
    assert all(has_table(archive, t, coverage) for t in DERIVED_TABLES) and fully_indexed(archive)


def test_names_read_from_the_names_file_are_those_a_scan_finds(archive: Path, old_archive: Path) -> None:
    with open_archive(archive) as indexed, open_archive(old_archive) as scanned:
        queries = ["SELECT field, name, type, count FROM names ORDER BY ALL", "SELECT id, claim FROM quotes ORDER BY id"]
        for sql in queries:
            assert indexed.tuples(sql) == scanned.tuples(sql)
        assert {f for f, in indexed.tuples("SELECT DISTINCT field FROM names")} == {"speaker", "mention", "outlet"}


def test_indexing_an_old_archive_gives_the_same_rows(archive: Path, old_archive: Path, tmp_path: Path) -> None:
    root = tmp_path / "upgraded"
    shutil.copytree(old_archive, root)
    coverage = index_archive(root)
    assert coverage is not None and coverage == current_coverage(root)
    sql = "SELECT id, claim, text FROM quotes ORDER BY article, position"
    with open_archive(root) as upgraded, open_archive(archive) as linked:
        assert upgraded.tuples(sql) == linked.tuples(sql)


def test_files_added_since_indexing_are_read_with_a_join(archive: Path, tmp_path: Path) -> None:
    """Half the quote files without claim ids and no names file: read by name and joined."""
    root = tmp_path / "mixed"
    shutil.copytree(archive, root)
    files = quote_files(root)
    assert len(files) > 1
    _as_before_indexing(root, files[::2])
    assert current_coverage(root) is None
    command = ["list", "--speaker", _asked(archive)["speaker"]]
    assert records(*command, "--from", str(root)) == records(*command, "--from", str(archive))


def test_a_names_file_older_than_the_quote_files_is_not_used(archive: Path, tmp_path: Path) -> None:
    root = tmp_path / "grown"
    shutil.copytree(archive, root)
    first = quote_files(root)[0]
    shutil.copy(first, first.with_name("part-zz-added.parquet"))
    assert current_coverage(root) is None


def _restamped(root: Path, stamp: str | None) -> None:
    """The names file written again with another indexing's stamp (None: none, as a names file
    written before the derived tables existed), its rows and files as they were."""
    import pyarrow.parquet as pq

    path = root / NAMES_DIR / NAMES_FILE
    table = pq.read_table(str(path))
    coverage = json.loads(table.schema.metadata[COVERAGE_KEY])
    if stamp is None:
        del coverage["stamp"]
    else:
        coverage["stamp"] = stamp
    pq.write_table(table.replace_schema_metadata({COVERAGE_KEY: json.dumps(coverage)}), str(path))


def _untabled(root: Path) -> None:
    """``root`` as indexed before the derived tables existed."""
    for table in DERIVED_TABLES:
        table_path(root, table).unlink()
    _restamped(root, None)


@pytest.fixture(scope="module")
def untabled_archive(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive as indexed before the derived tables existed: names file and claim ids, no tables."""
    return _copied(archive, tmp_path_factory, "untabled", _untabled)


def _rewritten(root: Path, table: DerivedTable, change: Callable[[pa.Table], pa.Table]) -> None:
    """A derived table written again, changed so, with the metadata (coverage) it had."""
    import pyarrow.parquet as pq

    path = table_path(root, table)
    written = pq.read_table(str(path))
    pq.write_table(change(written).replace_schema_metadata(written.schema.metadata), str(path))


def _as_in_the_fourth_round(root: Path) -> None:
    """``root`` as indexed by the fourth round: the claim and text tables only, the texts without
    their lower-cased copy."""
    for table in (SPEAKER_QUOTES, CLAIM_QUOTES):
        table_path(root, table).unlink()
    _rewritten(root, CLAIM_TEXTS, lambda t: t.drop_columns(["lowered"]))


@pytest.fixture(scope="module")
def fourth_round_archive(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copied(archive, tmp_path_factory, "fourth", _as_in_the_fourth_round)


def _as_in_the_fifth_round(root: Path) -> None:
    """``root`` as indexed by the fifth round: no text index, the texts unsorted, without ids."""
    for name in TEXT_INDEX.files():
        index_path(root, name).unlink()
    _rewritten(root, CLAIM_TEXTS, lambda t: t.drop_columns(["tid", "chars"]).take(list(range(t.num_rows))[::-1]))


@pytest.fixture(scope="module")
def fifth_round_archive(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copied(archive, tmp_path_factory, "fifth", _as_in_the_fifth_round)


@pytest.mark.parametrize("before", [
    "old_archive",  # linked before names and claim ids were kept
    "untabled_archive",  # indexed before the derived tables existed
    "fourth_round_archive",  # before the tables by speaker and by claim
    "fifth_round_archive",  # before the text index
])
@pytest.mark.parametrize("command", [
    ["list"],
    ["list", "--speaker", "{speaker}"],
    ["list", "--speaker", "{speaker}", "--outlet", "{outlet}"],
    ["list", "--outlet", "{outlet}"],
    ["claims"],
    ["claims", "--min-outlets", "2"],
    ["chain", "security guarantee"],
    ["chain", "the"],  # more claims than a chain traces: the ranking chooses
    ["chain", "{speaker}"],  # matched by the speaker's name
    ["speakers"],
])
def test_an_archive_indexed_before_answers_alike(archive: Path, request: pytest.FixtureRequest, before: str,
                                                 command: list[str]) -> None:
    root = request.getfixturevalue(before)
    assert not fully_indexed(root)
    command = [c.format(**_asked(archive)) for c in command]
    expected = records(*command, "--from", str(archive))
    assert expected, "the question must find something, or the comparison says nothing"
    assert records(*command, "--from", str(root)) == expected


def test_the_derived_tables_hold_what_their_queries_give(archive: Path, untabled_archive: Path) -> None:
    with open_archive(archive) as tabled, open_archive(untabled_archive) as queried:
        counts = f"SELECT * FROM {CLAIM_COUNTS.view}"
        assert tabled.tuples(counts) == queried.tuples(counts)  # in the same order, too
        texts = f"SELECT DISTINCT unnest(claims) AS claim, text, words FROM {CLAIM_TEXTS.view} ORDER BY ALL"
        assert tabled.tuples(texts) == queried.tuples(texts)
        quotes_with_claims = queried.values("SELECT count(*) FROM quotes WHERE claim IS NOT NULL")[0]
        assert tabled.values(f"SELECT sum(quotes) FROM {CLAIM_COUNTS.view}") == [quotes_with_claims]
        # each text once in the table, with each of its claims once
        assert tabled.values(f"SELECT count(*) FROM {CLAIM_TEXTS.view}") == \
            queried.values("SELECT count(DISTINCT text) FROM quotes WHERE claim IS NOT NULL")
        assert tabled.values(f"SELECT bool_and(len(claims) = len(list_distinct(claims))) FROM {CLAIM_TEXTS.view}") \
            == [True]


def test_a_text_of_several_claims_stands_once_with_them_all(archive: Path, tmp_path: Path) -> None:
    """Each quote of one file again, under new ids, in claims of its own: every text of that file
    in two claims. The table holds it once with both, and answers are those of the quotes."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    root = tmp_path / "copied"
    shutil.copytree(archive, root)
    first = quote_files(root)[0]
    quotes = pq.read_table(str(first), columns=quote_schema().names)
    copied = quotes.set_column(quotes.schema.get_field_index("id"), "id", pc.binary_join_element_wise(
        quotes.column("id"), "-copy", ""))
    pq.write_table(copied, str(first.with_name("part-zz-copy.parquet")))
    claims = pq.read_table(str(root / CLAIMS_DIR))
    claims = claims.filter(pc.is_in(claims.column("id"), quotes.column("id")))
    pq.write_table(claims.from_arrays([pc.binary_join_element_wise(claims.column(c), "-copy", "")
                                       for c in claims.column_names], names=claims.column_names),
                   str(root / CLAIMS_DIR / "part-zz-copy.parquet"))
    index_archive(root)
    assert fully_indexed(root)
    with open_archive(root) as opened:
        assert opened.values(f"SELECT max(len(claims)) FROM {CLAIM_TEXTS.view}") == [2]
        assert opened.values(f"SELECT count(*) FROM {CLAIM_TEXTS.view}") == \
            opened.values("SELECT count(DISTINCT text) FROM quotes WHERE claim IS NOT NULL")
        text = opened.values("SELECT text FROM quotes WHERE id LIKE '%-copy' ORDER BY length(text) DESC LIMIT 1")[0]
    commands = [["claims"], ["chain", " ".join(text.split()[:6])]]
    expected = [records(*c, "--from", str(root)) for c in commands]
    traced = {c["id"] for c in expected[1]["claims"]}
    assert any(f"{c}-copy" in traced for c in traced), "the text's two claims must both be traced"
    _untabled(root)
    assert [records(*c, "--from", str(root)) for c in commands] == expected


def test_derived_tables_of_another_indexing_are_not_read(archive: Path, tmp_path: Path) -> None:
    """A names file written again since (its stamp another): the tables beside it, here made
    wrong on purpose, are passed over for their queries."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path / "restamped"
    shutil.copytree(archive, root)
    path = table_path(root, CLAIM_COUNTS)
    table = pq.read_table(str(path))
    wrong = pa.array([0] * len(table), type=table.schema.field("outlets").type)
    pq.write_table(table.set_column(table.schema.get_field_index("outlets"), "outlets", wrong), str(path))
    _restamped(root, "0" * 32)
    assert current_coverage(root) is not None and not has_table(root, CLAIM_COUNTS)
    command = ["claims", "--min-outlets", "2"]
    assert records(*command, "--from", str(root)) == records(*command, "--from", str(archive))


@pytest.mark.parametrize("before", ["untabled_archive", "fourth_round_archive"])
def test_indexing_adds_the_tables_and_keeps_the_quote_files(archive: Path, request: pytest.FixtureRequest,
                                                            before: str, tmp_path: Path) -> None:
    root = tmp_path / "upgraded"
    shutil.copytree(request.getfixturevalue(before), root)
    assert not fully_indexed(root)
    before = {f: f.read_bytes() for f in quote_files(root)}
    coverage = index_archive(root)
    assert coverage is not None and coverage.stamp and coverage == current_coverage(root)
    assert fully_indexed(root)
    assert {f: f.read_bytes() for f in quote_files(root)} == before  # their claim ids were there
    command = ["claims", "--min-outlets", "2"]
    assert records(*command, "--from", str(root)) == records(*command, "--from", str(archive))


def _stdout(*args: str) -> str:
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


# What the tables by speaker and by claim (and the texts' lower-cased copy) serve, asked of an
# archive with each table and without it.
_SERVED = {
    SPEAKER_QUOTES.view: [["list", "--speaker", "{speaker}", "-f", "json"],
                          ["list", "--speaker", "{speaker}", "--outlet", "{outlet}", "-f", "json"],
                          ["list", "--speaker", "{speaker}", "--kind", "direct", "-f", "json"],
                          ["chain", "{speaker}", "-f", "json"]],
    CLAIM_QUOTES.view: [["chain", "security guarantee", "-f", "json"], ["chain", "the", "-f", "json"],
                        ["claims", "-f", "json"], ["claims", "--min-outlets", "2", "-f", "schema-org"]],
    CLAIM_TEXTS.view: [["chain", "security guarantee", "-f", "json"], ["chain", "the", "-f", "json"]],
}


def _spoiled(path: Path, how: str) -> None:
    """Ways a file beside the names file can be unfit to read: missing, cut short, or stale (of
    another indexing, and emptied: read, it would give other answers)."""
    import pyarrow.parquet as pq

    if how == "missing":
        path.unlink()
    elif how == "corrupted":
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    else:
        written = pq.read_table(str(path))
        coverage = json.loads(written.schema.metadata[COVERAGE_KEY])
        coverage["stamp"] = "0" * 32
        pq.write_table(written.slice(0, 0).replace_schema_metadata({COVERAGE_KEY: json.dumps(coverage)}), str(path))


def _damaged(table: DerivedTable, how: str) -> Callable[[Path], None]:
    """Ways a derived table can be unfit to read: each must be passed over for its query."""

    def change(root: Path) -> None:
        if how == "older layout":  # written by an earlier version: without a column now read
            _rewritten(root, table, lambda t: t.drop_columns(list(table.columns)))
        else:
            _spoiled(table_path(root, table), how)

    return change


@pytest.mark.parametrize(("table", "how"), [
    *((t, how) for t in (SPEAKER_QUOTES, CLAIM_QUOTES, CLAIM_TEXTS) for how in ("missing", "corrupted", "stale")),
    (CLAIM_TEXTS, "older layout"),
], ids=lambda v: v.view if isinstance(v, DerivedTable) else v)
def test_a_table_unfit_to_read_is_passed_over_with_the_same_answers(archive: Path, tmp_path_factory: pytest.TempPathFactory,
                                                                   table: DerivedTable, how: str) -> None:
    root = _copied(archive, tmp_path_factory, "damaged", _damaged(table, how))
    assert has_table(archive, table) and not has_table(root, table)
    with open_archive(root) as opened:
        assert table.view not in opened.tabled
    asked = _asked(archive)
    for command in _SERVED[table.view]:
        command = [c.format(**asked) for c in command]
        expected = _stdout(*command, "--from", str(archive))
        assert expected.strip() not in ("", "[]"), command
        assert _stdout(*command, "--from", str(root)) == expected, command


def test_the_new_tables_hold_what_their_queries_give(archive: Path, untabled_archive: Path) -> None:
    with open_archive(archive) as tabled, open_archive(untabled_archive) as queried:
        assert {SPEAKER_QUOTES.view, CLAIM_QUOTES.view} <= tabled.tabled
        for table in (SPEAKER_QUOTES, CLAIM_QUOTES):
            sql = f"SELECT * FROM {table.view} ORDER BY ALL"
            assert tabled.tuples(sql) == queried.tuples(sql)
        # every named quote once under its name; every other mention once more
        assert tabled.values(f"SELECT count(*) FROM {SPEAKER_QUOTES.view} WHERE NOT by_mention") == \
            queried.values("SELECT count(*) FROM quotes WHERE speaker.name <> ''")
        assert tabled.values(f"SELECT count(*) FROM {SPEAKER_QUOTES.view} WHERE by_mention") == \
            queried.values("SELECT count(*) FROM quotes WHERE speaker.mention.text <> '' "
                           "AND speaker.mention.text IS DISTINCT FROM speaker.name")


def test_the_tables_by_key_are_written_sorted_in_row_groups_duckdb_can_skip(archive: Path) -> None:
    import pyarrow.parquet as pq

    for table, key in ((SPEAKER_QUOTES, "key"), (CLAIM_QUOTES, "claim")):
        path = table_path(archive, table)
        keys = pq.read_table(str(path), columns=[key]).column(key).to_pylist()
        assert keys == sorted(keys)  # so each row group's min and max bound a stretch of keys
        metadata = pq.ParquetFile(str(path)).metadata
        assert all(metadata.row_group(i).num_rows <= table.row_group_rows for i in range(metadata.num_row_groups))


@pytest.mark.parametrize("how", ["missing", "corrupted", "stale"])
@pytest.mark.parametrize("name", TEXT_INDEX.files())
def test_a_text_index_unfit_to_read_is_passed_over_with_the_same_answers(
        archive: Path, tmp_path_factory: pytest.TempPathFactory, name: str, how: str) -> None:
    root = _copied(archive, tmp_path_factory, "damaged-index", lambda r: _spoiled(index_path(r, name), how))
    assert has_text_index(archive) and not has_text_index(root)
    with open_archive(archive) as indexed, open_archive(root) as opened:
        assert indexed.text_index and not opened.text_index
    for query in ("security guarantee", "the", "said the", _asked(archive)["speaker"]):
        expected = _stdout("chain", query, "--from", str(archive))
        assert expected.strip(), query
        assert _stdout("chain", query, "--from", str(root)) == expected, query


def test_the_text_index_is_written_sorted_in_row_groups_duckdb_can_skip(archive: Path) -> None:
    import pyarrow.parquet as pq

    for name, key in ((TEXT_INDEX.grams, "gram"), (TEXT_INDEX.bits, "gram"), (TEXT_INDEX.words, "word")):
        path = index_path(archive, name)
        written = pq.read_table(str(path))
        keys = list(zip(written.column(key).to_pylist(), written.column("tid").to_pylist())) \
            if "tid" in written.column_names else written.column(key).to_pylist()
        assert keys == sorted(keys) and len(keys) == len(set(keys)), name
    # a common run is a bitmap, one a row group; its postings keep only the texts that repeat it
    bits = pq.ParquetFile(str(index_path(archive, TEXT_INDEX.bits))).metadata
    assert bits.num_row_groups == bits.num_rows > 0
    grams = pq.read_table(str(index_path(archive, TEXT_INDEX.grams)))
    dense = set(pq.read_table(str(index_path(archive, TEXT_INDEX.bits))).column("gram").to_pylist())
    assert all(n >= 2 for g, n in zip(grams.column("gram").to_pylist(), grams.column("n").to_pylist()) if g in dense)
    assert gram_code("the") in dense


@pytest.mark.parametrize("picked", ["names", "mentions", "both", "names as mentions"])
def test_a_quote_is_found_once_by_its_name_or_its_mention(archive: Path, picked: str) -> None:
    """The condition over the table by speaker (each quote under its name and its mention) picks
    the rows the condition over the quotes does, each once, whichever of the two matched."""
    with open_archive(archive) as opened:
        names = sorted(n for n, _ in opened.speaker_names())
        mentions = sorted(opened.mentions())
        looked_for = {"names": (names[::2], []), "mentions": ([], mentions[::2]),
                      "both": (names[::2], mentions[1::2]),
                      # a name looked for as a mention only: its quotes found by their mention
                      "names as mentions": (names[::3], [*mentions[::2], *names[1::3]])}[picked]
        by_mention_alone = opened.values(
            "SELECT count(*) FROM quotes q WHERE NOT coalesce(list_contains(?, q.speaker.name), false) "
            "AND list_contains(?, q.speaker.mention.text)", list(looked_for))[0]
        assert by_mention_alone > 0 or picked == "names", "some quote must be found by its mention alone"
        expected = list(opened.rows(*speaker_condition(*looked_for, keyed=False)))
        assert expected
        assert list(opened.rows(*speaker_condition(*looked_for, keyed=True), table=SPEAKER_QUOTES)) == expected


def test_indexing_an_unlinked_archive_is_a_clear_error(archive: Path, tmp_path: Path) -> None:
    root = tmp_path / "unlinked"
    shutil.copytree(archive, root)
    shutil.rmtree(root / CLAIMS_DIR)
    with pytest.raises(ScaleError, match="is not linked"):
        index_archive(root)


@pytest.mark.parametrize("before", ["old_archive", "untabled_archive", "fourth_round_archive"])
def test_ingest_indexes_an_archive_linked_before(client: Client, request: pytest.FixtureRequest, before: str,
                                                 tmp_path: Path) -> None:
    root = tmp_path / "again"
    shutil.copytree(request.getfixturevalue(before), root)
    assert not fully_indexed(root)
    outcomes = ingest_parquet([str(p) for p in default_corpus_paths()][:1], root, scheduler=client, timeout=TIMEOUT)
    assert [o.status for o in outcomes] == ["skipped"]
    assert fully_indexed(root)


def test_an_article_already_in_the_archive_is_not_parsed_again(client: Client, archive: Path) -> None:
    paths = [str(p) for p in default_corpus_paths()]
    outcomes = ingest_parquet(paths[:2], archive, scheduler=client, timeout=TIMEOUT)
    assert [o.status for o in outcomes] == ["skipped", "skipped"]
    assert all(o.quotes > 0 for o in outcomes)


@pytest.mark.parametrize(("args", "status", "message"), [
    (["list", "--from", "{missing}"], 1, "is not a quotetrace Parquet archive"),
    (["ingest", "corpus", "--scheduler", "local"], 2, "--output"),
    (["ingest", "corpus", "--scheduler", "tcp://127.0.0.1:9", "--output", "{missing}"], 1,
     "no Dask scheduler answers at tcp://127.0.0.1:9"),
])
def test_bad_scale_input_is_one_line_on_stderr(tmp_path: Path, args: list[str], status: int, message: str) -> None:
    result = run_cli(*(a.format(missing=tmp_path / "nothing") for a in args))
    assert result.exit_code == status
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


# --- Compaction: an archive's small files merged, every answer the same ---------------------------

def _answers(root: Path, asked: dict[str, str]) -> dict[str, str]:
    """The JSON of each ``--from`` question an archive answers, as printed."""
    commands = {"list": ["list"], "list --speaker": ["list", "--speaker", asked["speaker"]],
                "list --outlet": ["list", "--outlet", asked["outlet"]], "claims": ["claims"],
                "claims --min-outlets": ["claims", "--min-outlets", "2"], "chain": ["chain", "security guarantee"],
                "chain speaker": ["chain", asked["speaker"]], "speakers": ["speakers"]}
    return {name: _stdout(*command, "--from", str(root), "-f", "json") for name, command in commands.items()}


def _on_disk(root: Path) -> set[str]:
    """Every quote and article file under the archive's folders, whatever its name."""
    return {str(f.relative_to(root)) for folder in ("quotes", "articles") for f in (root / folder).rglob("*")
            if f.is_file()}


def _live(root: Path) -> set[str]:
    return {str(f.relative_to(root)) for f in [*quote_files(root), *live_article_files(root)]}


@pytest.fixture(scope="module")
def small_files(client: Client, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus ingested an article a task, not compacted: a file per article and month."""
    root = tmp_path_factory.mktemp("small") / "archive"
    outcomes = ingest_parquet([str(p) for p in default_corpus_paths()], root, scheduler=client, timeout=TIMEOUT,
                              articles_per_task=1, compact=False)
    assert [o.status for o in outcomes] == ["added"] * len(outcomes)
    assert read_manifest(root) is None and fully_indexed(root)
    return root


@pytest.fixture(scope="module")
def small_answers(small_files: Path) -> dict[str, str]:
    answers = _answers(small_files, _asked(small_files))
    assert all(json.loads(a) for a in answers.values()), "each question must find something"
    return answers


def test_compaction_keeps_every_answer_and_the_tables(small_files: Path, small_answers: dict[str, str],
                                                      tmp_path: Path) -> None:
    root = tmp_path / "compacted"
    shutil.copytree(small_files, root)
    rows_before = {f: pq_rows(f) for f in [*quote_files(root), *live_article_files(root)]}
    outcomes = compact_archive(root)
    by_partition = {o.partition: (o.files_before, o.files_after) for o in outcomes}
    assert by_partition["articles"] == (len(default_corpus_paths()), 1)
    assert all(o.files_after == 1 for o in outcomes)
    assert sum(o.rows for o in outcomes) == sum(rows_before.values())
    assert len(quote_files(root)) < len([f for f in rows_before if "quotes" in f.parts])
    assert _on_disk(root) == _live(root)  # the inputs are gone
    assert fully_indexed(root), "the names file and the tables hold the same rows: still read"
    assert _answers(root, _asked(small_files)) == small_answers
    again = compact_archive(root)  # nothing left to merge
    assert [(o.partition, o.rows) for o in again] == [(o.partition, o.rows) for o in outcomes]
    assert all(o.files_before == o.files_after == 1 for o in again)


def pq_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(str(path)).metadata.num_rows


def test_a_merged_file_keeps_the_rows_in_order_in_row_groups(small_files: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    def rows(root: Path) -> pa.Table:  # DuckDB marks some columns of some files required: not a difference
        return pa.concat_tables([pq.read_table(str(f)).cast(scale_files.nullable_schema(pq.read_schema(str(f))))
                                 for f in quote_files(root)])

    root = tmp_path / "compacted"
    shutil.copytree(small_files, root)
    before = rows(root)
    compact_archive(root, file_rows=2 * scale_files.COMPACT_ROW_GROUP_ROWS)
    assert rows(root).equals(before)  # the linker numbers quotes in this order
    assert len(quote_files(root)) == len({f.parent for f in quote_files(small_files)})
    many = tmp_path / "many"
    shutil.copytree(small_files, many)
    compact_archive(many, file_rows=10)  # a file of at most 10 rows: several merged files a month
    assert rows(many).equals(before)
    grouped = tmp_path / "grouped"
    shutil.copytree(small_files, grouped)
    monkeypatch.setattr(scale_files, "COMPACT_ROW_GROUP_ROWS", 4)
    compact_archive(grouped)
    assert rows(grouped).equals(before)
    for path in quote_files(grouped):
        meta = pq.ParquetFile(str(path)).metadata
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        assert sizes[:-1] == [4] * (len(sizes) - 1) and 0 < sizes[-1] <= 4, (path.name, sizes)
    assert all(pq_rows(f) <= 10 or len(f.name.split("-m")) == 1 for f in quote_files(many))


# Where a compaction is stopped: (function of scale_files that raises, on which call).
_STOPS = {
    "writing the first manifest": ("write_manifest", 1),
    "writing the second merged file": ("merge_chunk", 2),
    "writing the manifest of the merged files": ("write_manifest", 2),
    "removing the second input": ("remove_file", 2),
}


@pytest.mark.parametrize("stop", list(_STOPS))
def test_a_stopped_compaction_answers_as_before_and_a_rerun_repairs_it(
        small_files: Path, small_answers: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        stop: str) -> None:
    root = tmp_path / "stopped"
    shutil.copytree(small_files, root)
    name, on_call = _STOPS[stop]
    real = getattr(scale_files, name)
    calls = []

    def stopping(*args, **kwargs):
        calls.append(args)
        if len(calls) == on_call:
            raise KeyboardInterrupt(f"stopped at {stop}")
        return real(*args, **kwargs)

    monkeypatch.setattr(scale_files, name, stopping)
    with pytest.raises(KeyboardInterrupt):
        compact_archive(root)
    monkeypatch.undo()
    # as if killed while writing: a half-written file left too
    (root / "articles" / ".part-x.parquet.partial").write_bytes(b"PAR1 cut short")
    asked = _asked(small_files)
    assert _answers(root, asked) == small_answers
    compact_archive(root)
    assert _on_disk(root) == _live(root), "what the stopped run left is removed"
    assert all(len(list(folder.iterdir())) == 1 for folder in (root / "quotes").iterdir())
    assert _answers(root, asked) == small_answers
    again = ingest_parquet([str(p) for p in default_corpus_paths()], root, scheduler=None, link=False)
    assert [o.status for o in again] == ["skipped"] * len(again)  # every article still counted once


def test_a_compacted_archive_parses_nothing_again_and_takes_new_articles(
        client: Client, small_files: Path, small_answers: dict[str, str], tmp_path: Path) -> None:
    paths = [str(p) for p in default_corpus_paths()]
    root = tmp_path / "compacted"
    shutil.copytree(small_files, root)
    compact_archive(root)
    on_disk = {f: (root / f).stat().st_mtime_ns for f in _on_disk(root)}
    outcomes = ingest_parquet(paths, root, scheduler=client, timeout=TIMEOUT)
    assert [o.status for o in outcomes] == ["skipped"] * len(paths)
    assert {f: (root / f).stat().st_mtime_ns for f in _on_disk(root)} == on_disk  # nothing written
    assert _answers(root, _asked(small_files)) == small_answers
    # an archive of the first articles, compacted, then the rest: as the corpus ingested at once
    grown = tmp_path / "grown"
    first = ingest_parquet(paths[:3], grown, scheduler=client, timeout=TIMEOUT, articles_per_task=1)
    assert [o.status for o in first] == ["added"] * 3 and read_manifest(grown) is not None
    rest = ingest_parquet(paths, grown, scheduler=client, timeout=TIMEOUT, articles_per_task=1)
    assert [o.status for o in rest] == ["skipped"] * 3 + ["added"] * (len(paths) - 3)
    assert fully_indexed(grown) and _on_disk(grown) == _live(grown)
    assert all(len(list(folder.iterdir())) == 1 for folder in (grown / "quotes").iterdir())
    for command in (["claims"], ["chain", "security guarantee"], ["speakers"]):
        assert records(*command, "--from", str(grown)) == records(*command, *paths)
    assert [(r["id"], r["text"]) for r in records("list", "--from", str(grown))] == \
           [(r["id"], r["text"]) for r in records("list", *paths)]


def test_compact_on_the_command_line(small_files: Path, tmp_path: Path) -> None:
    root = tmp_path / "compacted"
    shutil.copytree(small_files, root)
    done = records("compact", str(root))
    assert {r["partition"] for r in done} >= {"articles"} and all(r["files_after"] == 1 for r in done)
    assert (root / MANIFEST_FILE).is_file()
    result = run_cli("compact", str(tmp_path / "nothing"))
    assert result.exit_code == 1 and "is not a quotetrace Parquet archive" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_an_ingest_stopped_before_its_files_are_listed_parses_them_again(
        client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quotetrace.scale

    paths = [str(p) for p in default_corpus_paths()]
    root = tmp_path / "archive"
    ingest_parquet(paths[:3], root, scheduler=client, timeout=TIMEOUT, articles_per_task=1)
    assert read_manifest(root) is not None
    before = _stdout("list", "--from", str(root), "-f", "json")

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt("stopped before the run's files were listed")

    monkeypatch.setattr(quotetrace.scale, "add_files", stopped)
    with pytest.raises(KeyboardInterrupt):
        ingest_parquet(paths, root, scheduler=client, timeout=TIMEOUT, articles_per_task=1)
    monkeypatch.undo()
    assert _on_disk(root) != _live(root), "the stopped run's files are on disk"
    assert _stdout("list", "--from", str(root), "-f", "json") == before  # and not read
    again = ingest_parquet(paths, root, scheduler=client, timeout=TIMEOUT, articles_per_task=1)
    assert [o.status for o in again] == ["skipped"] * 3 + ["added"] * (len(paths) - 3)
    assert _on_disk(root) == _live(root)
    assert [(r["id"], r["text"]) for r in records("list", "--from", str(root))] == \
           [(r["id"], r["text"]) for r in records("list", *paths)]
