"""Many articles at once: one ``run()`` for every caller, answered from the index where it can.

    inputs -> articles -> key -> index -> parse and extract the rest (here, or in worker
           processes) -> store -> run-level steps (one spelling per person, aliases, claims)

Finding the quotes of an article depends on that article alone (``extraction.extract_texts``), so
the same core runs here, in a process pool (``workers``) or in a distributed engine
(``examples/dask_extract.py``, through ``extract_chunk``). What depends on the whole run
(``finish_run``: one spelling per person, the user's aliases, claim linking) runs afterwards,
over every article, whether its quotes came from the index or from a parse. The command line,
``extract_articles``, ``extract`` and the spaCy component all go through it.

spaCy is imported only when some article must be parsed: everything up to ``_parse`` reads
files, hashes and SQLite. So is everything else that only parsing needs (the extraction rules,
the process pool), and claim linking only when the index has not linked the same quotes before:
a run answered wholly from the index loads neither.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from quotetrace import __version__
from quotetrace.articles import article_from_text, read_articles, text_metadata
from quotetrace.cores import can_fork, end_with_parent, usable_cores
from quotetrace.errors import ExtractionError, QuotetraceError
from quotetrace.lexicon import Lexicon, load_lexicon, overrides_from_env
from quotetrace.models import Article, ArticleMeta, Quote
from quotetrace.nlp import (
    chosen_pipeline,
    load_pipeline,
    pipeline_identity,
    pipeline_name_version,
)
from quotetrace.speakers import CorpusNames
from quotetrace.store import Extractor, Index, article_key, open_index, text_sha256

if TYPE_CHECKING:
    from spacy.language import Language

    from quotetrace.aliases import Aliases
    from quotetrace.extraction import ArticleResult

log = logging.getLogger(__name__)

# Articles nlp.pipe takes at once. On 60 PolNeAR articles (about 600 words each), batches of 1, 8,
# 32 and 128 took 8.9, 8.3, 8.4 and 8.9 s: anything from 8 to 32 is as good.
PARSE_BATCH_SIZE = 32
# Articles a worker process takes per task: enough that sending them costs nothing next to
# parsing them (a tenth of a second or more each), few enough that two workers end together.
ARTICLES_PER_TASK = 4
# Below this many articles to parse per worker, the pool is not worth starting. Spawned workers
# (macOS, Windows) each pay about two seconds to import spaCy and load the pipeline; forked ones
# (Linux) share the parent's and start in milliseconds, but each article is still pickled twice
# and the parent has loaded the pipeline before the first worker parses. Measured on 2 cores:
# quiet, two spawned workers ran 1.8 times as fast as one from 24 articles up; busy (load
# average 11), 1.24 times on 120 articles (benchmarks/list_bench.py, throughput_bench.py).
MIN_ARTICLES_PER_WORKER = 8

Source = Literal["index", "parsed", "failed"]
ErrorHandler = Callable[[QuotetraceError], None]


@dataclass(frozen=True)
class Extracted:
    """One article's quotes as found in that article alone, and where they came from."""

    article: Article
    quotes: list[Quote]
    source: Source  # "index", "parsed", or "failed" (extraction raised ``error``)
    error: Exception | None = None
    warnings: tuple[str, ...] = ()


class Progress(Protocol):
    """What ``extract_indexed`` reports while it parses (the command line draws a bar)."""

    def start(self, total: int) -> None:
        """``total`` articles are to be parsed."""

    def advance(self, count: int) -> None:
        """``count`` more are done."""

    def finish(self) -> None:
        """All are done: a bar's thread stops here, before the run links claims (which may
        fork workers, and a process must not fork while another of its threads runs)."""


def run(inputs: Iterable[str | os.PathLike[str] | Article], *, model: str | None = None,
        nlp: Language | None = None, index: Index | str | os.PathLike[str] | None = None, workers: int | None = 1,
        aliases: Aliases | None = None, link: bool = False, lexicon: Lexicon | None = None,
        on_error: ErrorHandler | None = None, progress: Progress | None = None,
        batch_size: int = PARSE_BATCH_SIZE) -> Iterator[tuple[Article, list[Quote]]]:
    """Every quote of a run of articles: the one entry point of the library.

    Args:
        inputs: Paths (files, folders, ``.jsonl`` files, ``-`` for stdin) or ``Article`` values.
        model: The spaCy pipeline, by package name or path (see ``nlp.load_pipeline``).
        nlp: A loaded pipeline to use instead (in this process; ``workers`` is then ignored).
        index: An open ``Index``, or the path of one to open (and close); None parses all.
        workers: Processes to parse in; None: the usable cores (see ``pool_size``).
        aliases: The user's aliases (``aliases.load_aliases``).
        link: Give each quote its claim id, linked over the whole run (waits for all of it).
        lexicon: The word lists; default: the bundled ones, replaced by the copies the
            ``QUOTETRACE_*`` variables name (``lexicon.OVERRIDE_ENV``).
        on_error: Told of each input that cannot be read (``InputError``) and each article
            whose extraction failed (``ExtractionError``); by default they are logged. The run
            goes on either way.
        progress: Told how many articles are to be parsed, and as each is done.
        batch_size: Articles per ``nlp.pipe`` batch.

    Yields:
        Each article with its quotes, in input order (all at once at the end when ``link``).

    Raises:
        ModelError: The pipeline is missing or cannot be loaded.
        StoreError: The index cannot be read or written.
        LexiconError: An edited word list cannot be read.
    """
    report = on_error or _log_error
    lex = lexicon if lexicon is not None else load_lexicon(overrides_from_env())
    if isinstance(index, (str, os.PathLike)):
        with open_index(index) as opened:
            yield from run(inputs, model=model, nlp=nlp, index=opened, workers=workers, aliases=aliases, link=link,
                           lexicon=lex, on_error=report, progress=progress, batch_size=batch_size)
        return
    articles = _articles(inputs, report, lex, index)
    extracted = extract_indexed(articles, model=model, nlp=nlp, lexicon=lex, index=index, workers=workers,
                                batch_size=batch_size, progress=progress)
    yield from finish_run(_reported(extracted, report), aliases=aliases, link=link, index=index, workers=workers)


def finish_run(results: Iterable[tuple[Article, list[Quote]]], *, aliases: Aliases | None = None,
               link: bool = False, index: Index | None = None,
               workers: int | None = 1) -> Iterator[tuple[Article, list[Quote]]]:
    """The run-level steps, over articles whose quotes were found each alone: one spelling
    per person (the first seen wins: "Lee Min Ho", then "Lee Min-ho", become one), the user's
    aliases, and (``link``) claim ids over the whole run, taken from ``index`` when it has
    linked the same quotes before (``linked_claims``); ``workers`` as for ``claims.link_claims``."""
    names = CorpusNames()
    found = ((art, [names.apply(q) for q in quotes]) for art, quotes in results)
    if aliases:
        found = ((art, [aliases.apply(q) for q in quotes]) for art, quotes in found)
    if link and index is not None:
        yield from linked_claims(found, index, workers)
        return
    if link:
        from quotetrace.claims import assign_claims

        yield from assign_claims(found, workers)
        return
    yield from found


def linked_claims(results: Iterable[tuple[Article, list[Quote]]], index: Index,
                  workers: int | None = 1) -> list[tuple[Article, list[Quote]]]:
    """``claims.assign_claims`` with the answer kept in the index: a run whose quotes, as the
    linker reads them (``claims_key``), were linked before by this linker is not linked again."""
    results = list(results)
    quotes = [q for _, qs in results for q in qs]
    key = claims_key(quotes)
    stored = index.claims(key)
    if stored is None or len(stored) != len(quotes):
        claim_of, _ = link_claims(quotes, workers)
        stored = [claim_of.get(q.id) for q in quotes]
        index.add_claims(key, linker_version(), stored)
    claim_ids = iter(stored)
    return [(art, [replace(q, claim=next(claim_ids)) for q in qs]) for art, qs in results]


def claims_key(quotes: Sequence[Quote]) -> str:
    """A digest of everything claim linking reads of a run, in run order (order matters: it
    decides which groups meet first), and of the linker's version.

    That is, of each quote, its id, words, speaker (name and type, after one spelling per
    person and the aliases) and parent: the set of articles alone would miss edited aliases.
    """
    digest = hashlib.sha256(linker_version().encode())
    for q in quotes:
        speaker = [q.speaker.name, q.speaker.type] if q.speaker is not None else None
        record = json.dumps([q.id, q.text, speaker, q.parent], ensure_ascii=False)
        digest.update(record.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


@functools.cache
def linker_version() -> str:
    """The version of claim linking: this quotetrace's code and data (``code_fingerprint``),
    and rapidfuzz's, which scores pairs. (The Snowball stemmer's rules are frozen; its version
    is not read, since importlib.metadata alone costs a tenth of a second.)"""
    import rapidfuzz  # already loaded by quotetrace.names

    return f"{__version__}+{code_fingerprint()[:16]}+rapidfuzz-{rapidfuzz.__version__}"


def link_claims(quotes: Sequence[Quote], workers: int | None = 1) -> tuple[dict[str, str], list[Any]]:
    """``claims.link_claims``, imported on first use: it loads rapidfuzz's process module and
    the stemmer, which an answer from the index does not need."""
    from quotetrace import claims

    return claims.link_claims(quotes, workers)


def extract(text: str, metadata: ArticleMeta | dict[str, Any] | None = None, *, nlp: Language | None = None,
            article: str = "-", lexicon: Lexicon | None = None) -> list[Quote]:
    """Find every quote in one article's text.

    Args:
        text: the article as decoded; offsets in the result index into it.
        metadata: what is known of the article (``ArticleMeta`` or a dict with its fields); it
            wins, field by field, over what the text says (``articles.merge_metadata``).
        nlp: a loaded spaCy pipeline; the default English pipeline otherwise.
        article: the name to record in each quote's ``article`` field.
        lexicon: as for ``run``.
    """
    lex = lexicon if lexicon is not None else load_lexicon(overrides_from_env())
    art = article_from_text(article, text, metadata, lex)
    return next(run([art], nlp=nlp, lexicon=lex))[1]


def extract_articles(articles: Iterable[Article], *, nlp: Language | None = None, batch_size: int = PARSE_BATCH_SIZE,
                     on_error: Callable[[Article, Exception], None] | None = None, aliases: Aliases | None = None,
                     lexicon: Lexicon | None = None) -> Iterator[tuple[Article, list[Quote]]]:
    """Parse articles in batches and yield each with its quotes, in input order: ``run`` over
    ``Article`` values, without an index.

    An article whose extraction fails (a bug of ours, never the user's) does not stop the
    run: ``on_error`` is told (default: a logged error) and the article yields no quotes.
    """
    def told(error: QuotetraceError) -> None:
        if on_error is not None and isinstance(error, ExtractionError) and error.article is not None:
            on_error(error.article, error.cause or error)
        else:
            _log_error(error)

    yield from run(list(articles), nlp=nlp, batch_size=batch_size, on_error=told, aliases=aliases, lexicon=lexicon)


def extract_indexed(articles: Iterable[Article], *, model: str | None = None, nlp: Language | None = None,
                    lexicon: Lexicon | None = None, index: Index | None = None, workers: int | None = 1,
                    batch_size: int = PARSE_BATCH_SIZE, progress: Progress | None = None) -> Iterator[Extracted]:
    """Each article with its quotes, in input order: from the index when it holds them, else
    parsed (and then stored).

    Args:
        articles: The run's articles. They are all read before the first is answered, so that
            the index is asked once and the parse knows its size.
        model: The spaCy pipeline (as for ``nlp.load_pipeline``); only its name and version are
            read unless something must be parsed.
        nlp: A loaded pipeline to parse with, in this process, instead of ``model``.
        lexicon: The word lists (default: the bundled ones); its digest is part of the key.
        index: Where to look quotes up and store new ones; None parses everything.
        workers: Processes to parse in; None: the usable cores. More than one starts a pool
            (each worker loads the pipeline), unless there is too little to parse to be worth
            it (``pool_size``).
        batch_size: Articles per ``nlp.pipe`` batch.
        progress: Told how many articles are to be parsed, and as each is done.

    Yields:
        An ``Extracted`` per article. Quotes are as found in the article alone: ``finish_run``
        applies the run-level steps.
    """
    articles = list(articles)
    lex = lexicon if lexicon is not None else load_lexicon()
    extractor = current_extractor(model, lex, nlp) if index is not None else None
    keys = [article_key(art, extractor) for art in articles] if extractor is not None else [None] * len(articles)
    known = index.lookup(k for k in keys if k) if index is not None else {}
    todo = [art for art, key in zip(articles, keys) if key not in known]
    # Workers start before the progress bar's thread does: they may be forked.
    parsed = _parse(todo, model, nlp, lex, workers, batch_size)
    if progress is not None and todo:
        progress.start(len(todo))
    for art, key in zip(articles, keys):
        if key in known:
            yield _from_index(art, known[key])
            continue
        result = next(parsed)
        if progress is not None:
            progress.advance(1)
        if result.error is not None:
            yield Extracted(art, [], "failed", result.error, result.warnings)
            continue
        if index is not None and key is not None and extractor is not None:
            index.add(key, art, result.quotes, extractor)
        yield Extracted(art, result.quotes, "parsed", None, result.warnings)
    if progress is not None and todo:
        progress.finish()


def run_from_index(inputs: Iterable[str | os.PathLike[str] | Article], *, index: Index, model: str | None = None,
                   aliases: Aliases | None = None, link: bool = False, lexicon: Lexicon | None = None,
                   on_error: ErrorHandler | None = None,
                   workers: int | None = 1) -> list[tuple[Article, list[Quote]]] | None:
    """``run``'s answer when ``index`` holds every article of it, without loading spaCy (or
    the extraction rules); None when some article would have to be parsed.

    Args and Raises: as for ``run``.
    """
    lex = lexicon if lexicon is not None else load_lexicon(overrides_from_env())
    articles = _articles(inputs, on_error or _log_error, lex, index)
    extractor = current_extractor(model, lex)
    keys = [article_key(art, extractor) for art in articles]
    known = index.lookup(keys)
    if any(key not in known for key in keys):
        return None
    found = ((art, _from_index(art, known[key]).quotes) for art, key in zip(articles, keys))
    return list(finish_run(found, aliases=aliases, link=link, index=index, workers=workers))


def _from_index(article: Article, quotes: list[Quote]) -> Extracted:
    # the same text may come by another path (mostly it comes by the same: replace() is slow)
    return Extracted(article, [q if q.article == article.path else replace(q, article=article.path) for q in quotes],
                     "index")


def extract_chunk(articles: Sequence[Article], model: str | None = None, lexicon: Lexicon | None = None,
                  batch_size: int = PARSE_BATCH_SIZE) -> list[ArticleResult]:
    """``extraction.extract_texts`` over a list, loading the pipeline (once per process): what a
    worker process or a Dask task runs. Failures come back as exceptions that survive pickling."""
    from quotetrace.extraction import extract_texts

    lex = lexicon if lexicon is not None else load_lexicon()
    return [_picklable(result) for result in extract_texts(articles, load_pipeline(model), lex, batch_size)]


def unify_names(results: Iterable[tuple[Article, list[Quote]]]) -> Iterator[tuple[Article, list[Quote]]]:
    """One spelling per person over a run (``finish_run`` without aliases or links)."""
    return finish_run(results)


def current_extractor(model: str | None = None, lexicon: Lexicon | None = None,
                      nlp: Language | None = None) -> Extractor:
    """What would extract an article now: this quotetrace's code, the word lists, and the
    pipeline's name and version, all read without importing spaCy.

    Raises:
        ModelError: The pipeline is not installed.
    """
    name, version = pipeline_name_version(nlp) if nlp is not None else pipeline_identity(model)
    return Extractor(extractor_version(lexicon if lexicon is not None else load_lexicon()), name, version)


def extractor_version(lexicon: Lexicon) -> str:
    """This quotetrace's code (``code_fingerprint``) and word lists: the version of what reads
    an article's metadata and quotes, the pipeline aside."""
    return f"{__version__}+{code_fingerprint()[:16]}+{lexicon.digest[:16]}"


@functools.cache
def code_fingerprint() -> str:
    """A digest of quotetrace's modules and data files.

    It stands for the extractor's version in the index key: any change a release or a working
    copy makes to the rules or the bundled data changes it. An index therefore never answers
    with records that other code made; the price is re-reading after changes that could not
    have altered them.
    """
    return fingerprint(resources.files("quotetrace"))


def fingerprint(package: Traversable) -> str:
    """The digest ``code_fingerprint`` takes, of a package folder: its ``*.py`` files and
    everything in its ``data`` folder."""
    digest = hashlib.sha256()
    for folder, pattern in ((package, ".py"), (package / "data", "")):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith(pattern):
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()


def _articles(inputs: Iterable[str | os.PathLike[str] | Article], report: ErrorHandler,
              lexicon: Lexicon, index: Index | None = None) -> list[Article]:
    items = list(inputs)
    paths = [str(item) for item in items if isinstance(item, (str, Path, os.PathLike))]
    if paths and len(paths) != len(items):
        raise TypeError("run() takes paths or Article values, not a mix")
    if not paths:
        return [item for item in items if isinstance(item, Article)]
    if index is None:
        return list(read_articles(paths, on_error=report, lexicon=lexicon))
    remembered = _RememberedMetadata(index, lexicon)
    articles = list(read_articles(paths, on_error=report, lexicon=lexicon, metadata_reader=remembered))
    remembered.store()
    return articles


class _RememberedMetadata:
    """``articles.text_metadata`` that asks the index first, by the text's digest and the
    reader's version (this quotetrace's code and the word lists), and keeps what it had to read
    for ``store``, to write in one transaction."""

    def __init__(self, index: Index, lexicon: Lexicon) -> None:
        self._index = index
        self._lexicon = lexicon
        self._version = extractor_version(lexicon)
        self._read: Callable[[str], ArticleMeta] | None = None
        self._new: dict[str, ArticleMeta] = {}

    def __call__(self, text: str) -> ArticleMeta:
        digest = text_sha256(text)
        known = self._new.get(digest) or self._index.text_metadata(digest, self._version)
        if known is not None:
            return known
        if self._read is None:
            self._read = text_metadata(self._lexicon)
        meta = self._new[digest] = self._read(text)
        return meta

    def store(self) -> None:
        self._index.add_text_metadata(self._version, self._new)
        self._new.clear()


def _reported(extracted: Iterable[Extracted], report: ErrorHandler) -> Iterator[tuple[Article, list[Quote]]]:
    for outcome in extracted:
        for warning in outcome.warnings:
            log.warning("%s", warning, extra={"article": outcome.article.path})
        if outcome.error is not None:
            report(ExtractionError.failed(outcome.article.path, outcome.error, outcome.article))
        yield outcome.article, outcome.quotes


def _log_error(error: QuotetraceError) -> None:
    log.error("%s", error)


def pool_size(articles: int, workers: int | None) -> int:
    """How many processes parse ``articles`` articles when ``workers`` are asked for (None: the
    usable cores): 1 means no pool, in this process.

    A pool starts only with at least ``MIN_ARTICLES_PER_WORKER`` articles for each of at least
    two workers, and never has more workers than that allows: each worker pays the start-up
    (spaCy's import and the pipeline's load) that the parent would have paid once.
    """
    wanted = workers if workers is not None else usable_cores()
    if wanted <= 1 or articles < 2 * MIN_ARTICLES_PER_WORKER:
        return 1
    return min(wanted, articles // MIN_ARTICLES_PER_WORKER)


def _parse(articles: list[Article], model: str | None, nlp: Language | None, lexicon: Lexicon,
           workers: int | None, batch_size: int) -> Iterator[ArticleResult]:
    """The articles' results in order. A pool's workers start here (forked, where they can be,
    with the pipeline already loaded); in one process, spaCy is loaded on the first result asked
    for."""
    if not articles:
        return iter(())
    size = pool_size(len(articles), workers)
    if nlp is None and size > 1:
        return _parse_in_pool(articles, model, lexicon, size, batch_size)
    return _parse_here(articles, model, nlp, lexicon, batch_size)


def _parse_here(articles: list[Article], model: str | None, nlp: Language | None, lexicon: Lexicon,
                batch_size: int) -> Iterator[ArticleResult]:
    from quotetrace.extraction import extract_texts

    yield from extract_texts(articles, nlp if nlp is not None else load_pipeline(model), lexicon, batch_size)


# The pipeline and word lists a forked worker inherits from its parent (``_parse_in_pool``).
_inherited: tuple[Language, Lexicon] | None = None


def fork_shares_pipeline() -> bool:
    """Whether workers can be forked from a parent that has loaded the pipeline, sharing its
    memory (``cores.can_fork``)."""
    return can_fork()


def _parse_in_pool(articles: list[Article], model: str | None, lexicon: Lexicon, workers: int,
                   batch_size: int) -> Iterator[ArticleResult]:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from quotetrace.worklog import call_logged

    global _inherited
    chunks = [articles[i : i + ARTICLES_PER_TASK] for i in range(0, len(articles), ARTICLES_PER_TASK)]
    if fork_shares_pipeline():
        # The parent loads the pipeline once and forks the workers, which share it
        # copy-on-write: no worker imports spaCy or loads a model (a second or two each). They
        # are forked here, before the progress bar's thread starts.
        _inherited = (load_pipeline(model), lexicon.built())
        try:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"),
                                       initializer=end_with_parent, initargs=(os.getpid(),))
            tasks = [pool.submit(call_logged, _extract_inherited, chunk, batch_size) for chunk in chunks]
        finally:
            _inherited = None  # the workers have their copy; the parent keeps the pipeline cached
    else:
        # spawn: each worker imports spaCy and loads the pipeline once.
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                   initializer=end_with_parent, initargs=(os.getpid(),))
        tasks = [pool.submit(call_logged, extract_chunk, chunk, chosen_pipeline(model), lexicon, batch_size)
                 for chunk in chunks]
    return _pool_results(pool, tasks)


def _extract_inherited(articles: Sequence[Article], batch_size: int) -> list[ArticleResult]:
    """``extract_chunk`` in a forked worker, with the parent's pipeline and word lists."""
    from quotetrace.extraction import extract_texts

    assert _inherited is not None, "a forked worker inherits the pipeline"
    nlp, lexicon = _inherited
    return [_picklable(result) for result in extract_texts(articles, nlp, lexicon, batch_size)]


def _pool_results(pool: Any, tasks: list[Any]) -> Iterator[ArticleResult]:
    from quotetrace.worklog import replay

    with pool:
        try:
            for task in tasks:
                results, logged = task.result()
                replay(logged)  # what a worker logged, each with its article, as in one process
                yield from results
        finally:
            for task in tasks:
                task.cancel()


def _picklable(result: ArticleResult) -> ArticleResult:
    if result.error is None:
        return result
    try:
        pickle.dumps(result.error)
    except Exception:  # noqa: BLE001 - any exception may fail to pickle, in any way
        return replace(result, error=RuntimeError(f"{type(result.error).__name__}: {result.error}"))
    return result
