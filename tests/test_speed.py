"""The machinery that makes runs cheap: claim groups kept in the index, the worker count, the
cached answer's imports. What it answers must not change; only what it costs."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from quotetrace import runner
from quotetrace.claims import assign_claims
from quotetrace.models import Article, ArticleMeta, Quote, Speaker
from quotetrace.store import CLAIM_RUNS_KEPT, open_index

TEXTS = [
    ("The bridge will be finished before the winter floods reach the valley.", "John Carver"),
    ("Carver said the bridge would be done before the winter floods came.", "John Carver"),
    ("The council will vote on the new budget for the harbour on Monday.", "Mary Doyle"),
    ("Exports of rice fell sharply after the long drought in the north.", "the ministry"),
    ("Rice exports dropped sharply following the drought in the north.", "Ana Ruiz"),
]


def _run() -> list[tuple[Article, list[Quote]]]:
    results = []
    for i, (text, speaker) in enumerate(TEXTS):
        art = Article(path=f"a{i}.txt", text=text, meta=ArticleMeta())
        quote = Quote(id=f"q{i}", article=art.path, start=0, end=len(text), text=text, kind="indirect", cue=None,
                      speaker=Speaker(speaker, "person"))
        results.append((art, [quote]))
    return results


@pytest.fixture
def index_path(tmp_path: Path) -> Path:
    return tmp_path / "index.sqlite3"


def test_claims_from_the_index_are_those_the_linker_gives(index_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = assign_claims(_run())
    with open_index(index_path) as index:
        assert runner.linked_claims(_run(), index) == expected
    monkeypatch.setattr(runner, "link_claims", lambda quotes, workers=None: pytest.fail("linked again"))
    with open_index(index_path) as index:
        assert runner.linked_claims(_run(), index) == expected


def _renamed(results: list[tuple[Article, list[Quote]]]) -> list[tuple[Article, list[Quote]]]:
    art, (quote,) = results[0]
    assert quote.speaker is not None
    return [(art, [replace(quote, speaker=replace(quote.speaker, name="Jack Carver"))]), *results[1:]]


def _worded(results: list[tuple[Article, list[Quote]]]) -> list[tuple[Article, list[Quote]]]:
    art, (quote,) = results[2]
    return [*results[:2], (art, [replace(quote, text=quote.text + " Perhaps.")]), *results[3:]]


def _nested(results: list[tuple[Article, list[Quote]]]) -> list[tuple[Article, list[Quote]]]:
    art, (quote,) = results[1]
    return [results[0], (art, [replace(quote, parent="q0")]), *results[2:]]


def _moved(results: list[tuple[Article, list[Quote]]]) -> list[tuple[Article, list[Quote]]]:
    return [(replace(art, path="elsewhere/" + art.path), [replace(q, article="elsewhere/" + q.article) for q in qs])
            for art, qs in results]


@pytest.mark.parametrize("change, relinks", [
    pytest.param(_renamed, True, id="a speaker renamed (an alias)"),
    pytest.param(_worded, True, id="a quote's words"),
    pytest.param(_nested, True, id="a quote nested in another"),
    pytest.param(lambda results: list(reversed(results)), True, id="the order of the articles"),
    pytest.param(lambda results: results[:-1], True, id="an article fewer"),
    pytest.param(_moved, False, id="the same articles under other paths"),
    pytest.param(lambda results: results, False, id="nothing"),
])
def test_what_the_linker_reads_decides_whether_it_runs_again(index_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              change, relinks: bool) -> None:  # type: ignore[no-untyped-def]
    with open_index(index_path) as index:
        runner.linked_claims(_run(), index)
    calls: list[int] = []
    real = runner.link_claims

    def counted(quotes, workers=None):  # type: ignore[no-untyped-def]
        calls.append(len(quotes))
        return real(quotes, workers)

    monkeypatch.setattr(runner, "link_claims", counted)
    with open_index(index_path) as index:
        assert runner.linked_claims(change(_run()), index) == assign_claims(change(_run()))
    assert bool(calls) is relinks


def test_only_the_latest_linked_runs_are_kept(index_path: Path) -> None:
    with open_index(index_path) as index:
        keys = []
        for n in range(CLAIM_RUNS_KEPT + 3):
            run = [(art, [replace(q, id=f"{q.id}-{n}")]) for art, (q,) in _run()]
            runner.linked_claims(run, index)
            keys.append(runner.claims_key([q for _, qs in run for q in qs]))
        assert [index.claims(key) is not None for key in keys] == [False] * 3 + [True] * CLAIM_RUNS_KEPT


@pytest.mark.parametrize("asked, cores, articles, expected", [
    (None, 2, 200, 2),  # the default: the usable cores
    (None, 1, 200, 1),
    (1, 8, 200, 1),  # asked for one: no pool
    (4, 2, 200, 4),  # asked for more than the cores: as asked
    (None, 2, 2 * runner.MIN_ARTICLES_PER_WORKER - 1, 1),  # too little to parse for a pool
    (None, 2, 2 * runner.MIN_ARTICLES_PER_WORKER, 2),
    (None, 8, 3 * runner.MIN_ARTICLES_PER_WORKER, 3),  # one worker per MIN_ARTICLES_PER_WORKER
    (None, 2, 0, 1),
])
def test_the_pool_starts_only_where_there_is_enough_to_parse(monkeypatch: pytest.MonkeyPatch, asked: int | None,
                                                             cores: int, articles: int, expected: int) -> None:
    monkeypatch.setattr(runner, "usable_cores", lambda: cores)
    assert runner.pool_size(articles, asked) == expected


def test_the_usable_cores_are_at_least_one() -> None:
    assert runner.usable_cores() >= 1


CACHED_IMPORTS = """
import sys
from quotetrace.cli import app
try:
    app(prog_name="quotetrace", args=sys.argv[1:])
except SystemExit:
    pass
heavy = ["spacy", "thinc", "numpy", "quotetrace.extraction", "quotetrace.quotes", "quotetrace.marks",
         "concurrent.futures.process", "quotetrace.metadata"]
print(" ".join(name for name in heavy if name in sys.modules))
"""


def test_an_answer_from_the_index_imports_nothing_of_the_parse(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("“We will build the bridge before winter,” said John Carver, the mayor.\n",
                                  encoding="utf-8")
    args = ["list", str(folder), "-f", "json", "--db", str(tmp_path / "index.sqlite3")]
    first = subprocess.run([sys.executable, "-c", CACHED_IMPORTS, *args], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", CACHED_IMPORTS, *args], capture_output=True, text=True, check=True)
    assert "spacy" in first.stdout.splitlines()[-1]
    assert again.stdout.splitlines()[-1] == ""
    assert again.stdout.splitlines()[:-1] == first.stdout.splitlines()[:-1]


def test_what_a_text_says_of_its_article_is_read_once_per_index(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from quotetrace import metadata

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Bridge to open\n\nBy Jane Doe\n\nThe bridge opens in May.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Harbour plan\n\nThe council met on Monday.\n", encoding="utf-8")
    lexicon = runner.load_lexicon()
    plain = runner._articles([str(folder)], runner._log_error, lexicon)
    read: list[str] = []
    real = metadata.read_metadata

    def counted(text, known, patterns):  # type: ignore[no-untyped-def]
        read.append(text)
        return real(text, known, patterns)

    monkeypatch.setattr(metadata, "read_metadata", counted)
    for expected_reads in (2, 2):  # the second time, from the index
        with open_index(tmp_path / "index.sqlite3") as index:
            assert runner._articles([str(folder)], runner._log_error, lexicon, index) == plain
        assert len(read) == expected_reads
