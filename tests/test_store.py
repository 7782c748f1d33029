"""The SQLite index on its own: keys, round trips, migrations, sharing, damaged files, paths."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from quotetrace import store
from quotetrace.errors import StoreError
from quotetrace.models import Article, ArticleMeta, Cue, Quote, Speaker, TextSpan, Via
from quotetrace.store import DB_ENV, Extractor, article_key, db_path, open_index

EXTRACTOR = Extractor("0.1.0+test", "en_core_web_sm", "3.8.0")
TEXT = "“We will build the bridge,” said John Carver, the mayor, according to the Dunmore Gazette.\n"
ARTICLE = Article("bridge.txt", TEXT, ArticleMeta(outlet="Dunmore Gazette", authors=("A. Writer",)))
QUOTE = Quote(
    id="abc-1-25", article="bridge.txt", start=1, end=25, text=TEXT[1:25], kind="direct",
    cue=Cue("said", "say", 28, 32),
    speaker=Speaker("John Carver", "person", "the mayor", TextSpan(33, 44, "John Carver")),
    addressee=None, parent=None,
    via=(Via("Dunmore Gazette", "outlet", "according_to", None, TextSpan(73, 88, "Dunmore Gazette")),),
    confidence=0.9, method="direct",
)
NESTED = replace(QUOTE, id="abc-5-10", start=5, end=10, text=TEXT[5:10], kind="indirect", cue=None, speaker=None,
                 parent="abc-1-25", via=(), confidence=0.25, method="nested")


@pytest.fixture
def index_path(tmp_path: Path) -> Path:
    return tmp_path / "index.sqlite3"


def test_an_article_and_its_quotes_come_back_as_stored(index_path: Path) -> None:
    key = article_key(ARTICLE, EXTRACTOR)
    with open_index(index_path) as index:
        assert index.lookup([key]) == {}
        index.add(key, ARTICLE, [QUOTE, NESTED], EXTRACTOR)
        index.add(article_key(replace(ARTICLE, text="No quotes here.\n"), EXTRACTOR),
                  replace(ARTICLE, text="No quotes here.\n"), [], EXTRACTOR)
        assert index.counts() == (2, 2)
    with open_index(index_path) as index:
        assert index.lookup([key, "not-a-key"]) == {key: [QUOTE, NESTED]}


def test_storing_an_article_again_replaces_its_quotes(index_path: Path) -> None:
    key = article_key(ARTICLE, EXTRACTOR)
    with open_index(index_path) as index:
        index.add(key, ARTICLE, [QUOTE, NESTED], EXTRACTOR)
        index.add(key, ARTICLE, [QUOTE], EXTRACTOR)
        assert index.lookup([key]) == {key: [QUOTE]}
        assert index.counts() == (1, 1)


@pytest.mark.parametrize("change", [
    pytest.param(lambda a, e: (replace(a, text=a.text + "More.\n"), e), id="text"),
    pytest.param(lambda a, e: (replace(a, meta=replace(a.meta, authors=("B. Writer",))), e), id="metadata"),
    pytest.param(lambda a, e: (a, replace(e, version="0.2.0+test")), id="extractor version"),
    pytest.param(lambda a, e: (a, replace(e, pipeline="en_core_web_md")), id="pipeline"),
    pytest.param(lambda a, e: (a, replace(e, pipeline_version="3.8.1")), id="pipeline version"),
])
def test_the_key_changes_with_whatever_the_quotes_depend_on(change) -> None:
    article, extractor = change(ARTICLE, EXTRACTOR)
    assert article_key(article, extractor) != article_key(ARTICLE, EXTRACTOR)


def test_the_key_does_not_depend_on_the_path() -> None:
    assert article_key(replace(ARTICLE, path="elsewhere/copy.txt"), EXTRACTOR) == article_key(ARTICLE, EXTRACTOR)


def test_migrations_run_once_each_and_are_recorded(index_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def m900_for_the_test(db: sqlite3.Connection) -> None:
        calls.append("m900")
        db.execute("ALTER TABLE articles ADD COLUMN note TEXT")

    with open_index(index_path) as index:
        assert index.applied_migrations() == ["m001_articles_and_quotes", "m002_claim_runs", "m003_text_metadata"]
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, m900_for_the_test])
    for _ in range(3):
        with open_index(index_path) as index:
            assert index.applied_migrations() == ["m001_articles_and_quotes", "m002_claim_runs", "m003_text_metadata", "m900_for_the_test"]
    assert calls == ["m900"]


def test_an_index_from_a_newer_quotetrace_is_refused(index_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def m999_from_the_future(db: sqlite3.Connection) -> None:
        pass

    with monkeypatch.context() as patch:
        patch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, m999_from_the_future])
        open_index(index_path).close()
    with pytest.raises(StoreError, match="newer quotetrace"):
        open_index(index_path)


def _foreign_database(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")


@pytest.mark.parametrize(("make", "says"), [
    pytest.param(lambda p: p.write_text("these are my notes, not a database\n" * 50), "is not a quotetrace index",
                 id="text file"),
    pytest.param(lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200), "is not a quotetrace index",
                 id="damaged header"),
    pytest.param(_foreign_database, "another program's SQLite database", id="another program's database"),
])
def test_a_file_that_is_not_our_index_is_one_clear_error(index_path: Path, make, says: str) -> None:
    make(index_path)
    before = index_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_index(index_path)
    message = str(caught.value)
    assert says in message and str(index_path) in message and "--db" in message
    assert "\n" not in message
    assert index_path.read_bytes() == before, "a file that is not ours is never written to"


def test_a_write_that_fails_midway_leaves_no_part_of_the_article(index_path: Path) -> None:
    key = article_key(ARTICLE, EXTRACTOR)
    broken = replace(NESTED, id=None)  # type: ignore[arg-type]  # violates NOT NULL on the second row
    with open_index(index_path) as index:
        with pytest.raises(StoreError):
            index.add(key, ARTICLE, [QUOTE, broken], EXTRACTOR)
        assert index.lookup([key]) == {}
        assert index.counts() == (0, 0)


def test_the_path_comes_from_the_option_then_the_environment_then_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(DB_ENV, raising=False)
    assert db_path() == tmp_path / "cache" / "quotetrace" / "index.sqlite3"
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.sqlite3"))
    assert db_path() == tmp_path / "env.sqlite3"
    assert db_path(str(tmp_path / "option.sqlite3")) == tmp_path / "option.sqlite3"


def test_the_default_index_is_made_in_the_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(DB_ENV, raising=False)
    open_index().close()
    assert (tmp_path / "cache" / "quotetrace" / "index.sqlite3").is_file()


WRITER = textwrap.dedent("""
    import sys
    from quotetrace.models import Article
    from quotetrace.store import Extractor, article_key, open_index

    extractor = Extractor("test", "pipeline", "1")
    name, count = sys.argv[1], int(sys.argv[2])
    with open_index(sys.argv[3]) as index:
        for i in range(count):
            article = Article(f"{name}-{i}.txt", f"Article {i} of writer {name}.\\n")
            index.add(article_key(article, extractor), article, [], extractor)
    print("spacy" in sys.modules)
""")


def test_two_processes_writing_one_index_both_succeed(index_path: Path) -> None:
    # Started together, so their migrations and their per-article transactions overlap.
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, name, "300", str(index_path)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in "ab"]
    outcomes = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, outcomes):
        assert writer.returncode == 0, err
        assert out.strip() == "False", "the index alone never imports spaCy"
    with open_index(index_path) as index:
        assert index.counts() == (600, 0)
        assert index.applied_migrations() == ["m001_articles_and_quotes", "m002_claim_runs", "m003_text_metadata"]
