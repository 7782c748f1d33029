"""Many articles at once: answered from the index where it can, parsed in batches where it must.

    articles -> key -> index -> parse and extract the rest (here, or in worker processes)
             -> store -> one spelling per person over the run

Finding the quotes of an article depends on that article alone (``extract_raw``: parse, then
``pipeline.extract_doc``), so the same core runs here, in a process pool (``--workers``) or in a
distributed engine (``examples/dask_extract.py``). What depends on the whole run (one spelling
per person, ``unify_names``; aliases; claim linking) runs afterwards, over every article, whether
its quotes came from the index or from a parse.

spaCy is imported only when some article must be parsed: everything here up to ``_parse`` reads
files, hashes and SQLite.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from importlib import resources
from importlib.resources.abc import Traversable
from multiprocessing import get_context
from typing import TYPE_CHECKING, Literal, Protocol

from quotetrace import __version__
from quotetrace.invisible import exact_quotes, for_parsing, has_invisible
from quotetrace.models import Article, Quote
from quotetrace.nlp import chosen_pipeline, pipeline_identity
from quotetrace.speakers import CorpusNames
from quotetrace.worklog import call_logged, replay

if TYPE_CHECKING:
    from spacy.language import Language

    from quotetrace.store import Extractor, Index

# Articles nlp.pipe takes at once. On 60 PolNeAR articles (about 600 words each), batches of 1, 8,
# 32 and 128 took 8.9, 8.3, 8.4 and 8.9 s: anything from 8 to 32 is as good.
PARSE_BATCH_SIZE = 32
# Articles a worker process takes per task: enough that sending them costs nothing next to
# parsing them (a tenth of a second or more each), few enough that two workers end together.
ARTICLES_PER_TASK = 4
# Below this many articles to parse per worker, the pool is not worth starting: each worker
# process pays about two seconds to import spaCy and load the pipeline.
MIN_ARTICLES_PER_WORKER = 8

Source = Literal["index", "parsed", "failed"]
_Raw = tuple[Article, "list[Quote] | Exception"]


@dataclass(frozen=True)
class Extracted:
    """One article's quotes as found in that article alone, and where they came from."""

    article: Article
    quotes: list[Quote]
    source: Source  # "index", "parsed", or "failed" (extraction raised ``error``)
    error: Exception | None = None


class Progress(Protocol):
    """What ``extract_indexed`` reports while it parses (the command line draws a bar)."""

    def start(self, total: int) -> None:
        """``total`` articles are to be parsed."""

    def advance(self, count: int) -> None:
        """``count`` more are done."""


def extract_indexed(articles: Iterable[Article], *, model: str | None = None, index: Index | None = None,
                    workers: int = 1, batch_size: int = PARSE_BATCH_SIZE,
                    progress: Progress | None = None) -> Iterator[Extracted]:
    """Each article with its quotes, in input order: from the index when it holds them, else
    parsed (and then stored).

    Args:
        articles: The run's articles. They are all read before the first is answered, so that
            the index is asked once and the parse knows its size.
        model: The spaCy pipeline (as for ``nlp.load_pipeline``); only its name and version are
            read unless something must be parsed.
        index: Where to look quotes up and store new ones; None parses everything.
        workers: Processes to parse in. More than one starts a pool of that many (each loads
            the pipeline), unless there is too little to parse to be worth it.
        batch_size: Articles per ``nlp.pipe`` batch.
        progress: Told how many articles are to be parsed, and as each is done.

    Yields:
        An ``Extracted`` per article. Quotes are as found in the article alone: apply
        ``unify_names`` over the run before showing them.

    Raises:
        ModelError: The pipeline is missing or cannot be loaded (only when something must be
            parsed, or its name cannot be resolved).
        StoreError: The index cannot be read or written.
    """
    articles = list(articles)
    model = chosen_pipeline(model)
    extractor = current_extractor(model) if index is not None else None
    keys = _keys(articles, extractor) if extractor is not None else [None] * len(articles)
    known = index.lookup(k for k in keys if k) if index is not None else {}
    todo = [art for art, key in zip(articles, keys) if key not in known]
    if progress is not None and todo:
        progress.start(len(todo))
    parsed = _parse(todo, model, workers, batch_size)
    for art, key in zip(articles, keys):
        if key in known:
            yield Extracted(art, [replace(q, article=art.path) for q in known[key]], "index")
            continue
        result = next(parsed)
        if progress is not None:
            progress.advance(1)
        if isinstance(result, Exception):
            yield Extracted(art, [], "failed", result)
            continue
        if index is not None and key is not None and extractor is not None:
            index.add(key, art, result, extractor)
        yield Extracted(art, result, "parsed")


def extract_raw(articles: Iterable[Article], nlp: Language,
                batch_size: int = PARSE_BATCH_SIZE) -> Iterator[tuple[Article, list[Quote] | Exception]]:
    """The extraction core: each article with its quotes, found in that article alone, in order;
    the exception instead when extraction fails on one (a bug of ours: the run goes on).

    Pure: the same articles and pipeline give the same records in any process. ``nlp`` must
    have been through ``pipeline.prepare``.
    """
    return _one_by_one_on_failure(_extract_batches, articles, nlp, batch_size)


def _one_by_one_on_failure(extract: Callable[[Iterable[Article], Language, int], Iterator[_Raw]],
                           articles: Iterable[Article], nlp: Language, batch_size: int) -> Iterator[_Raw]:
    """``extract`` over ``batch_size`` articles at a time; when spaCy itself raises on a batch
    (outside the per-article guard), that batch again one article at a time, so that only the
    article that fails is lost, reported as its exception."""
    batch: list[Article] = []
    for art in itertools.chain(articles, [None]):
        if art is not None:
            batch.append(art)
            if len(batch) < batch_size:
                continue
        if not batch:
            break
        try:
            yield from list(extract(batch, nlp, batch_size))
        except Exception:  # noqa: BLE001 - which article failed is found by reading them alone
            for alone in batch:
                try:
                    yield from list(extract([alone], nlp, batch_size))
                except Exception as error:  # noqa: BLE001 - one article must not end the run
                    yield alone, error
        batch = []


def _extract_batches(articles: Iterable[Article], nlp: Language,
                     batch_size: int = PARSE_BATCH_SIZE) -> Iterator[_Raw]:
    from quotetrace.pipeline import (
        CURRENT_ARTICLE,
        extract_doc,
        pieces,
        shift_quotes,
        text_digest,
    )

    def texts() -> Iterator[tuple[str, tuple[Article, int, bool, bool]]]:
        for art in articles:
            spans = pieces(art.text)
            for k, (start, end) in enumerate(spans):
                piece = art.text[start:end]
                # bidi controls and zero-width spaces would hide names from spaCy (invisible.py)
                hidden = has_invisible(piece)
                yield for_parsing(piece) if hidden else piece, (art, start, k == len(spans) - 1, hidden)

    found: list[Quote] | Exception = []
    for doc, (art, base, last, hidden) in nlp.pipe(texts(), as_tuples=True, batch_size=batch_size):
        token = CURRENT_ARTICLE.set(art.path)
        try:
            if not isinstance(found, Exception):
                quotes = extract_doc(doc, article=art.path, meta=art.meta)
                if hidden:
                    quotes = exact_quotes(quotes, art.text[base:base + len(doc.text)])
                # a long article is read in pieces (pipeline.MAX_PIECE_CHARS): offsets and ids
                # are made whole-article again (and ids of the text as read, not as parsed)
                found = found + (shift_quotes(quotes, base, text_digest(art.text))
                                 if base or not last or hidden else quotes)
        except Exception as error:  # noqa: BLE001 - one article must not end the run
            found = error
        finally:
            CURRENT_ARTICLE.reset(token)
        if last:
            yield art, found
            found = []


def extract_chunk(articles: Sequence[Article], model: str | None = None,
                  batch_size: int = PARSE_BATCH_SIZE) -> list[list[Quote] | Exception]:
    """``extract_raw`` over a list, loading the pipeline (once per process): what a worker
    process or a Dask task runs. Failures come back as exceptions that survive pickling."""
    from quotetrace.nlp import load_pipeline
    from quotetrace.pipeline import prepare

    nlp = prepare(load_pipeline(model))
    return [_picklable(result) for _, result in extract_raw(articles, nlp, batch_size)]


def unify_names(results: Iterable[tuple[Article, list[Quote]]]) -> Iterator[tuple[Article, list[Quote]]]:
    """One spelling per person over a run, as ``pipeline.extract_articles`` gives: the first
    spelling of a full name seen wins ("Lee Min Ho" and later "Lee Min-ho" become one)."""
    names = CorpusNames()
    for art, quotes in results:
        yield art, [names.apply(q) for q in quotes]


def current_extractor(model: str | None = None) -> Extractor:
    """What would extract an article now: this quotetrace's code and the pipeline's name and
    version, all read without importing spaCy.

    Raises:
        ModelError: The pipeline is not installed.
    """
    from quotetrace.store import Extractor

    name, version = pipeline_identity(model)
    return Extractor(f"{__version__}+{code_fingerprint()[:16]}", name, version)


@functools.cache
def code_fingerprint() -> str:
    """A digest of quotetrace's modules and data files.

    It stands for the extractor's version in the index key: ``pipeline.EXTRACTOR_VERSION`` is in
    one of these files, so bumping it changes the digest, and so does any change a release or a
    working copy makes to the rules without bumping it. An index therefore never answers with
    records that other code made; the price is re-reading after changes that could not have
    altered them.
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


def _keys(articles: Sequence[Article], extractor: Extractor) -> list[str | None]:
    from quotetrace.store import article_key

    return [article_key(art, extractor) for art in articles]


def _parse(articles: list[Article], model: str, workers: int, batch_size: int) -> Iterator[list[Quote] | Exception]:
    """The articles' raw results in order; spaCy is loaded on the first one asked for."""
    if not articles:
        return
    if workers > 1 and len(articles) >= MIN_ARTICLES_PER_WORKER * 2:
        yield from _parse_in_pool(articles, model, min(workers, len(articles) // MIN_ARTICLES_PER_WORKER), batch_size)
        return
    from quotetrace.nlp import load_pipeline
    from quotetrace.pipeline import prepare

    for _, result in extract_raw(articles, prepare(load_pipeline(model)), batch_size):
        yield result


def _parse_in_pool(articles: list[Article], model: str, workers: int,
                   batch_size: int) -> Iterator[list[Quote] | Exception]:
    # spawn, not fork: the parent may run a progress bar's thread, and a forked child of a
    # threaded process can deadlock. Each worker imports spaCy and loads the pipeline once.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        tasks = [pool.submit(call_logged, extract_chunk, articles[i : i + ARTICLES_PER_TASK], model, batch_size)
                 for i in range(0, len(articles), ARTICLES_PER_TASK)]
        try:
            for task in tasks:
                results, warnings = task.result()
                replay(warnings)  # each with its article, as in one process
                yield from results
        finally:
            for task in tasks:
                task.cancel()


def _picklable(result: list[Quote] | Exception) -> list[Quote] | Exception:
    if not isinstance(result, Exception):
        return result
    try:
        pickle.dumps(result)
    except Exception:  # noqa: BLE001 - any exception may fail to pickle, in any way
        return RuntimeError(f"{type(result).__name__}: {result}")
    return result
