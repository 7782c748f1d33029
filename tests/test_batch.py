"""Many articles at once: answers from the index and from worker processes equal a fresh parse."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quotetrace import runner
from quotetrace.articles import default_corpus_paths, read_articles
from quotetrace.lexicon import default_lexicon
from quotetrace.models import Article, Quote
from quotetrace.names import name_words, speaker_query
from quotetrace.runner import (
    extract_articles,
    extract_indexed,
    fingerprint,
    unify_names,
)
from quotetrace.speakers import CorpusNames
from quotetrace.store import open_index

from .conftest import DATA, REPO

Results = list[tuple[Article, list[Quote]]]


def records(results: Results) -> list[list[dict]]:
    return [[q.to_dict() for q in quotes] for _, quotes in results]


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return list(read_articles(default_corpus_paths()))


@pytest.fixture(scope="module")
def reference(corpus: list[Article]) -> Results:
    return list(extract_articles(corpus))


def gold_names() -> list[str]:
    names = ["Kim Jong Un", "Kim Jong-un", "kim jong un's", "Adam B. Schiff", "Adam Schiff", "Adam Q. R. Schiff",
             "Moon Jae-in", "Moon Jae In", "Putin", "Vladimir Putin", "Vladimir  Putin", "VLADIMIR PUTIN",
             "O’Neill’s", "O'Neill", "J. K. Rowling", "Rowling", "Ｆｕｌｌ Ｗｉｄｔｈ", "Full Width", "—", ""]
    # every name and variant of the dev gold, carried by the tests
    names += json.loads((DATA / "gold_names.json").read_text(encoding="utf-8"))["names"]
    return names


def test_every_gold_name_finds_itself_and_keeps_one_spelling() -> None:
    """Over 16,000 names and variants of the dev gold: a speaker query of a name finds that
    name, and the run-level spelling rule is stable (applying it twice changes nothing)."""
    titles = default_lexicon().speakers.titles
    names = [n for n in gold_names() if name_words(n)]
    assert len(names) > 10_000
    assert [n for n in names if not speaker_query(n, titles).matches(n)] == []
    run = CorpusNames()
    assert [n for n in names if run.canonical(run.canonical(n)) != run.canonical(n)] == []


def test_answering_from_the_index_needs_no_spacy() -> None:
    # the run-level name rule (speakers.CorpusNames) is shared with the engine, so the modules
    # an index answer goes through must import without spaCy
    code = "import sys, quotetrace.runner, quotetrace.speakers, quotetrace.claims; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_fresh_parse_and_the_index_both_give_what_extract_articles_gives(
        tmp_path: Path, corpus: list[Article], reference: Results) -> None:
    with open_index(tmp_path / "index.sqlite3") as index:
        first = list(extract_indexed(corpus, index=index))
        second = list(extract_indexed(corpus, index=index))
    assert [e.source for e in first] == ["parsed"] * len(corpus)
    assert [e.source for e in second] == ["index"] * len(corpus)
    for run in (first, second):
        assert records(list(unify_names((e.article, e.quotes) for e in run))) == records(reference)


def test_without_an_index_everything_is_parsed(corpus: list[Article], reference: Results) -> None:
    run = list(extract_indexed(corpus[:2]))
    assert [e.source for e in run] == ["parsed", "parsed"]
    assert records(list(unify_names((e.article, e.quotes) for e in run))) == records(reference[:2])


def test_the_same_text_under_another_path_is_answered_under_that_path(tmp_path: Path, corpus: list[Article]) -> None:
    article = corpus[0]
    copy = Article("copies/renamed.txt", article.text, article.meta)
    with open_index(tmp_path / "index.sqlite3") as index:
        (parsed,) = extract_indexed([article], index=index)
        (answered,) = extract_indexed([copy], index=index)
    assert answered.source == "index"
    assert parsed.quotes and {q.article for q in answered.quotes} == {"copies/renamed.txt"}
    assert [q.to_dict() | {"article": None} for q in answered.quotes] == [
        q.to_dict() | {"article": None} for q in parsed.quotes]


def test_a_failing_article_is_reported_not_stored_and_the_run_goes_on(
        tmp_path: Path, corpus: list[Article], reference: Results, monkeypatch: pytest.MonkeyPatch) -> None:
    import quotetrace.extraction

    real = quotetrace.extraction.extract_doc
    bad = corpus[1].path

    def flaky(doc, lexicon, *, article: str = "-", meta=None, warnings=None, text=None):  # type: ignore[no-untyped-def]
        if article == bad:
            raise ValueError("a bug of ours")
        return real(doc, lexicon, article=article, meta=meta, warnings=warnings, text=text)

    with open_index(tmp_path / "index.sqlite3") as index:
        with monkeypatch.context() as patch:
            patch.setattr(quotetrace.extraction, "extract_doc", flaky)
            run = list(extract_indexed(corpus[:3], index=index))
        assert [e.source for e in run] == ["parsed", "failed", "parsed"]
        assert isinstance(run[1].error, ValueError) and run[1].quotes == []
        again = list(extract_indexed(corpus[:3], index=index))
    assert [e.source for e in again] == ["index", "parsed", "index"], "a failure is never stored"
    assert records([(e.article, e.quotes) for e in again])[1] == records(reference)[1]


@pytest.mark.parametrize("forked", [
    pytest.param(True, id="forked from a parent that loaded the pipeline"),
    pytest.param(False, id="spawned, each loading it"),
])
def test_two_worker_processes_give_the_records_one_process_gives(
        corpus: list[Article], reference: Results, monkeypatch: pytest.MonkeyPatch, forked: bool) -> None:
    if forked and not runner.fork_shares_pipeline():
        pytest.xfail("this platform does not fork workers")
    monkeypatch.setattr(runner, "fork_shares_pipeline", lambda: forked)
    # The pool is only worth it on long runs; here it is forced on the five articles.
    monkeypatch.setattr(runner, "MIN_ARTICLES_PER_WORKER", 1)
    monkeypatch.setattr(runner, "ARTICLES_PER_TASK", 2)
    run = list(extract_indexed(corpus, workers=2))
    assert [e.source for e in run] == ["parsed"] * len(corpus)
    assert records(list(unify_names((e.article, e.quotes) for e in run))) == records(reference)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def start(self, total: int) -> None:
        self.events.append(("start", total))

    def advance(self, count: int) -> None:
        self.events.append(("advance", count))

    def finish(self) -> None:
        self.events.append(("finish", 0))


def test_progress_counts_only_what_is_parsed(tmp_path: Path, corpus: list[Article]) -> None:
    with open_index(tmp_path / "index.sqlite3") as index:
        list(extract_indexed(corpus[:1], index=index))
        recorder = Recorder()
        list(extract_indexed(corpus[:3], index=index, progress=recorder))
        assert recorder.events == [("start", 2), ("advance", 1), ("advance", 1), ("finish", 0)]
        quiet = Recorder()
        list(extract_indexed(corpus[:3], index=index, progress=quiet))
        assert quiet.events == []


def test_the_code_fingerprint_changes_when_a_rule_changes(tmp_path: Path) -> None:
    copy = tmp_path / "quotetrace"
    shutil.copytree(REPO / "quotetrace", copy, ignore=shutil.ignore_patterns("__pycache__", "corpus"))
    assert fingerprint(copy) == runner.code_fingerprint()
    rules = copy / "extraction.py"
    source = rules.read_text(encoding="utf-8")
    bumped = re.sub(r"^MAX_CUE_GAP = \d+", "MAX_CUE_GAP = 201", source, flags=re.MULTILINE)
    assert bumped != source
    rules.write_text(bumped, encoding="utf-8")
    assert fingerprint(copy) != runner.code_fingerprint()
