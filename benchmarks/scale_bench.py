"""The scale path on a local Dask cluster: extraction, claim linking, Parquet queries.

    python benchmarks/scale_bench.py [--articles 40] [--quotes 100000,1000000] [--workers 2]
                                     [--memory-limit 2GB] [--seed 7] [--skip-extraction]
                                     [--keep DIR] [--query-runs 3]
    python benchmarks/scale_bench.py --queries-only DIR [--query-runs 3] [--index]

1. Extraction: the first ``--articles`` PolNeAR articles parsed in this process
   (``runner.extract_chunk``), then written as a Parquet archive by ``scale.ingest_parquet`` on a
   local cluster of 1 and of 2 worker processes (cluster start and each worker's pipeline load
   included, and given apart).
2. Linking: for each count, a synthetic archive is written by the workers themselves (quotes
   shaped as ``claims_bench.py`` makes them: every PolNeAR gold quote once, then wire copies,
   paraphrases, partial quotes and borrowed words of random ones; twelve quotes an article,
   forty outlets), then ``scale.link_archive`` links every quote of it on the cluster, reading
   the files where they lie. Peak memory is each process's maximum resident set: every worker,
   the scheduler, and this process.
3. Queries on the largest archive, through ``parquet_query`` (DuckDB over the files): a speaker
   filter, a chain query, the claims carried by five outlets or more; each ``--query-runs`` times
   from a cold open, the median given.

``--keep DIR`` writes the archives into ``DIR/archive-COUNT`` and leaves the largest there;
``--queries-only DIR`` then times the queries on that archive again, without writing or linking;
with ``--index``, after ``scale.index_archive`` has given it what it lacks of the names file, each
quote row's claim id and the derived tables (archives linked before they existed), the time
that took and the sizes of the files in ``names/`` given too.

Prints the figures as JSON, last, with the core count and load average.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import POLNEAR, machine, note, polnear_paths, report

GOLD = POLNEAR / "gold.json"
QUOTES_PER_ARTICLE = 12
# A whole number of articles a file: an article cut between two files was written (as an article
# row) in both, and its quotes then counted twice in queries (13 articles of a million quotes).
QUOTES_PER_FILE = QUOTES_PER_ARTICLE * 4_167  # 50,004
OUTLETS = [f"Outlet {i:02d}" for i in range(40)]
TIMEOUT = 1800
QUERIES = ("list_speaker", "list_speaker_outlet", "chain", "claims_min_outlets_5_first_10")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--quotes", default="100000,1000000", help="counts, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="2GB", help="each worker's, as Dask reads it")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-extraction", action="store_true")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="write the archives here and keep the largest")
    parser.add_argument("--queries-only", metavar="DIR", type=Path,
                        help="only time the queries, on this archive (one that --keep left)")
    parser.add_argument("--index", action="store_true",
                        help="with --queries-only: first add the names file, claim ids and derived tables "
                             "(scale.index_archive)")
    parser.add_argument("--query-runs", type=int, default=3, help="cold opens per query; the median is given")
    parser.add_argument("--queries", default=",".join(QUERIES), help="which queries to time, comma-separated")
    args = parser.parse_args()
    figures: dict[str, Any] = {"benchmark": "scale", "machine": machine(), "load_before": os.getloadavg()}
    if args.queries_only is not None:
        if not (args.queries_only / "quotes").is_dir():
            sys.exit(f"benchmarks: {args.queries_only} is not an archive (no quotes/ folder)")
        if args.index:
            from quotetrace.scale import index_archive

            note(f"indexing {args.queries_only} ...")
            started = time.perf_counter()
            index_archive(args.queries_only)
            figures["index_seconds"] = round(time.perf_counter() - started, 2)
            figures["names_mb"] = {f.name: round(f.stat().st_size / 2**20, 2)
                                   for f in sorted((args.queries_only / "names").glob("*.parquet"))}
        figures["queries"] = queries(args.queries_only, args.query_runs, args.queries.split(","))
        figures["load_after"] = os.getloadavg()
        report(figures)
        return
    from distributed import Client, LocalCluster

    if not args.skip_extraction:
        figures["extraction"] = extraction(args.articles)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = args.keep if args.keep is not None else Path(tempfile.mkdtemp(prefix="quotetrace-scale-"))
    linking: dict[str, Any] = {}
    try:
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, memory_limit=args.memory_limit,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            largest = None
            for count in (int(c) for c in args.quotes.split(",")):
                note(f"linking {count} synthetic quotes on {args.workers} workers ...")
                client.restart()  # each size's peak memory its own
                root = work / f"archive-{count}"
                linking[str(count)] = link_synthetic(client, root, count, args.seed)
                note(json.dumps(linking[str(count)]))
                if largest is not None:
                    shutil.rmtree(largest, ignore_errors=True)
                largest = root
            figures["linking"] = {"workers": args.workers, "memory_limit": args.memory_limit, "sizes": linking}
            if largest is not None:
                figures["queries"] = queries(largest, args.query_runs, args.queries.split(","))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    figures["load_after"] = os.getloadavg()
    report(figures)


def extraction(count: int) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    from quotetrace.articles import read_articles
    from quotetrace.runner import extract_chunk
    from quotetrace.scale import ingest_parquet

    paths = polnear_paths(count)
    articles = list(read_articles(paths))
    note(f"extraction: {count} articles in this process ...")
    start = time.perf_counter()
    extract_chunk(articles[:1])  # the pipeline loaded, as each worker loads it
    loaded = time.perf_counter()
    extract_chunk(articles)
    done = time.perf_counter()
    out: dict[str, Any] = {"articles": count, "single_process": {
        "seconds": round(done - loaded, 2), "articles_per_second": round(count / (done - loaded), 2),
        "pipeline_load_seconds": round(loaded - start, 2)}}
    for workers in (1, 2):
        note(f"extraction: {count} articles on a local cluster of {workers} ...")
        folder = Path(tempfile.mkdtemp(prefix="quotetrace-ingest-"))
        try:
            started = time.perf_counter()
            with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                up = time.perf_counter()
                client.run(_load_pipeline)  # what each worker pays once, apart from the parsing
                ready = time.perf_counter()
                outcomes = ingest_parquet(paths, folder, scheduler=client, link=False, articles_per_task=4)
                parsed = time.perf_counter()
            assert all(o.status == "added" for o in outcomes)
            out[f"cluster_{workers}"] = {
                "seconds": round(parsed - ready, 2), "articles_per_second": round(count / (parsed - ready), 2),
                "cluster_start_seconds": round(up - started, 2), "pipeline_load_seconds": round(ready - up, 2),
                "speedup_over_single_process": round((done - loaded) / (parsed - ready), 2)}
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return out


def _load_pipeline() -> None:
    from quotetrace.nlp import load_pipeline

    load_pipeline()


def link_synthetic(client: Any, root: Path, count: int, seed: int) -> dict[str, Any]:
    from quotetrace.scale import link_archive

    started = time.perf_counter()
    files = list(range(-(-count // QUOTES_PER_FILE)))
    written = client.map(write_synthetic, files, count=count, seed=seed, root=str(root), pure=False)
    client.gather(written)
    made = time.perf_counter()
    stats = link_archive(root, client, timeout=TIMEOUT)
    linked = time.perf_counter()
    peaks = client.run(_peak_mb)
    scheduler = _peak_mb()
    assert stats is not None
    return {
        "quotes": count,
        "archive_write_seconds": round(made - started, 2),
        "link_seconds": round(linked - made, 2),
        "quotes_per_second": round(count / (linked - made)),
        "largest_worker_peak_mb": max(peaks.values()),
        "worker_peak_mb": sorted(peaks.values()),
        "client_and_scheduler_peak_mb": scheduler,  # a LocalCluster's scheduler runs in this process
        "steps_seconds": stats.seconds,
        "sizes": {k: v for k, v in stats.to_dict().items() if k != "seconds"},
        "parquet_mb": round(sum(f.stat().st_size for f in root.rglob("*.parquet")) / 2**20, 1),
    }


def _peak_mb() -> int:
    """This process's peak resident set (Linux's VmHWM: its own, where ``ru_maxrss`` would carry
    the peak of the process that started it across the exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def write_synthetic(file: int, count: int, seed: int, root: str) -> int:
    """On a worker: quotes ``file * QUOTES_PER_FILE`` on of the synthetic archive, as ingest writes them."""
    import sys

    import pyarrow as pa

    from quotetrace.models import Article, ArticleMeta, Quote, Speaker

    sys.path.insert(0, str(Path(__file__).resolve().parent))  # on a worker too, for claims_bench
    from claims_bench import variant
    from quotetrace.scale import ARTICLES_DIR, QUOTES_DIR, _write, article_schema, quote_row, quote_schema

    gold = json.loads(GOLD.read_text(encoding="utf-8"))["quotes"]
    speakers = sorted({q["speaker"] for q in gold if q.get("speaker")})
    rng = random.Random(f"{seed}-{file}")
    bases = [(q["text"], q.get("speaker") or speakers[i % len(speakers)], q["kind"])
             for i, q in enumerate(gold) if q["text"].strip()]
    first, last = file * QUOTES_PER_FILE, min(count, (file + 1) * QUOTES_PER_FILE)
    quote_rows, article_rows = [], []
    for article_no, block in itertools.groupby(range(first, last), key=lambda i: i // QUOTES_PER_ARTICLE):
        day = 1 + article_no % 28
        meta = ArticleMeta(outlet=OUTLETS[article_no % len(OUTLETS)], published=f"2016-{1 + article_no % 12:02d}-{day:02d}")
        path = f"synthetic/article-{article_no:07d}.txt"
        key = f"synthetic-{article_no:07d}"
        article = Article(path, "", meta)
        quotes = []
        for i in block:
            if i < len(bases):
                text, speaker, kind = bases[i]
            else:
                text, speaker, kind = variant(rng, bases, speakers)
            quotes.append(Quote(id=f"q{i}", article=path, start=0, end=len(text), text=text, kind=kind, cue=None,
                                speaker=Speaker(speaker, "person"), confidence=0.8, method="synthetic"))
        by_id = {q.id: q for q in quotes}
        quote_rows += [quote_row(q, article, key, n, by_id) for n, q in enumerate(quotes)]
        article_rows.append({"article_key": key, "path": path, **meta.to_dict(), "chars": 0, "quotes": len(quotes)})
    _write(pa.Table.from_pylist(quote_rows, schema=quote_schema()), Path(root) / QUOTES_DIR / "month=2016",
           f"part-{file:06d}.parquet")
    _write(pa.Table.from_pylist(article_rows, schema=article_schema()), Path(root) / ARTICLES_DIR,
           f"part-{file:06d}.parquet")
    return len(quote_rows)


def queries(root: Path, runs: int = 3, which: Any = QUERIES) -> dict[str, Any]:
    """What a user types, against the largest archive: seconds for each from a cold open (the
    median of ``runs``, each run's given too), for the queries named in ``which``."""
    from quotetrace.parquet_query import archive_chain, archive_claims, open_archive, select_quotes

    out: dict[str, Any] = {"archive_quotes": None, "runs": runs}

    def clock(name: str, work: Any) -> None:
        if name not in which:
            return
        seconds, found = [], None
        for _ in range(max(1, runs)):
            start = time.perf_counter()
            with open_archive(root) as opened:
                found = work(opened)
            seconds.append(round(time.perf_counter() - start, 2))
        out[name] = {"seconds": round(statistics.median(seconds), 2), "each": seconds, "results": found,
                     "load_average": [round(x, 2) for x in os.getloadavg()]}
        note(f"query {name}: {out[name]}")

    # what to ask, from the archive itself: a speaker of middling frequency, a quote's opening words
    with open_archive(root) as opened:
        out["archive_quotes"] = opened.values("SELECT count(*) FROM quotes")[0]
        ranked = opened.values("SELECT q.speaker.name FROM quotes q GROUP BY 1 ORDER BY count(*) DESC, 1")
        speaker = ranked[len(ranked) // 10]
        text = opened.values("SELECT text FROM quotes WHERE length(text) > 80 ORDER BY id LIMIT 1")[0]
    query = " ".join(text.split()[:6])
    out["asked"] = {"speaker": "the 10th-percentile speaker by quote count", "chain": "a quote's first six words"}
    clock("list_speaker", lambda a: sum(1 for _ in select_quotes(a, speaker=speaker)))
    clock("list_speaker_outlet", lambda a: sum(1 for _ in select_quotes(a, speaker=speaker, outlet=OUTLETS[7])))
    clock("chain", lambda a: len(archive_chain(a, query)[0].claims))
    clock("claims_min_outlets_5_first_10", lambda a: len(list(itertools.islice(archive_claims(a, 5), 10))))
    return out


if __name__ == "__main__":
    main()
