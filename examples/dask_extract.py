"""Quotes of a large corpus with Dask: quotetrace's extraction core, unchanged, in each partition.

    pip install 'quotetrace[dask]'
    python examples/dask_extract.py ARTICLES... [--scheduler processes] [--partitions N] > quotes.jsonl

The articles become a ``dask.bag``; each partition goes through ``quotetrace.runner.extract_chunk``,
the function a ``--workers`` process runs: it loads the spaCy pipeline once per worker process and
finds each article's quotes from that article alone, so it needs nothing from the other
partitions. What depends on the whole corpus (one spelling per person) then runs on the
gathered results, in input order, as the command line does; so does claim linking, if wanted
(``quotetrace.claims.assign_claims``). Writes one JSON record per quote, as ``quotetrace list
-f jsonl --no-link`` does, without ``schema_version``.

With ``--scheduler processes`` (the default) Dask uses local worker processes; point it at a
``dask.distributed`` cluster by creating a ``Client`` before ``extract_corpus`` runs and passing
``scheduler=None``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence

import dask.bag

from quotetrace.articles import read_articles
from quotetrace.models import Article, Quote
from quotetrace.runner import extract_chunk, finish_run

log = logging.getLogger("dask_extract")


def extract_corpus(paths: Sequence[str], *, scheduler: str | None = "processes", partitions: int | None = None,
                   model: str | None = None) -> list[tuple[Article, list[Quote]]]:
    """Every article of ``paths`` with its quotes, found partition by partition with Dask.

    Args:
        paths: Article files, folders and JSONL files, as for ``quotetrace list``.
        scheduler: A Dask local scheduler (``processes``, ``threads``, ``synchronous``), or None
            for the default one (a ``dask.distributed.Client``'s, when one exists).
        partitions: How many pieces to cut the corpus into; by default about 16 articles each.
        model: The spaCy pipeline, as for ``--model``.
    """
    articles = list(read_articles(paths))
    if not articles:
        return []
    bag = dask.bag.from_sequence(articles, npartitions=partitions or max(1, len(articles) // 16))
    # The bag keeps input order, so its flattened results line up with ``articles``.
    raw = bag.map_partitions(extract_chunk, model).compute(scheduler=scheduler)
    results = []
    for article, found in zip(articles, raw, strict=True):
        if found.error is not None:
            log.warning("%s: finding quotes failed: %s", article.path, found.error)
        results.append((article, found.quotes))
    return list(finish_run(results))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="article files, folders, .jsonl files")
    parser.add_argument("--scheduler", default="processes", choices=("processes", "threads", "synchronous"))
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="dask_extract: %(message)s")
    for _, quotes in extract_corpus(args.paths, scheduler=args.scheduler, partitions=args.partitions,
                                    model=args.model):
        for quote in quotes:
            sys.stdout.write(json.dumps(quote.to_dict(), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
