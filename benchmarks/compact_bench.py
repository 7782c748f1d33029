"""Queries on an archive of many small files, before and after compaction (``scale.compact_archive``).

    python benchmarks/compact_bench.py ARCHIVE WORK [--articles-per-file 16] [--runs 3]

``ARCHIVE`` is one ``scale_bench.py --keep`` left (linked and indexed, quote files of 50,004
quotes). Its quote and article files are cut into files of ``--articles-per-file`` articles
each, as ``ingest`` writes them (a task of 16 articles, about 200 quotes), the rows in order,
into ``WORK/small``; the names file's coverage is written again to list them (same stamp, so
that the tables beside it are read, as on an archive ingested so). ``WORK/compacted`` is a copy
of it, compacted (timed). Then ``list --speaker X --from DIR -f jsonl`` (the 10th-percentile
speaker by quote count: read from the table by speaker) and ``list --outlet Y`` (the least
common outlet: a scan of every quote file), a process of its own each time, alternating small, compacted,
compacted, small, small, compacted (``--runs`` each), with the 1-minute load average before each
run; the two archives' outputs must be byte-identical.

Prints the figures as JSON, last, with the core count and load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from _common import machine, note, report, timed


def split(source: Path, target: Path, articles_per_file: int) -> dict[str, int]:
    """``source``'s quote and article files cut into files of so many articles, rows in order."""
    import pyarrow.parquet as pq

    from quotetrace.scale import (
        ARTICLES_DIR,
        COVERAGE_KEY,
        NAMES_DIR,
        NAMES_FILE,
        QUOTES_DIR,
        archive_files,
        quote_files,
    )

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("quotes", "articles"))
    written = {"quote_files": 0, "article_files": 0}
    for path in quote_files(source):
        table = pq.read_table(str(path))
        keys = table.column("article_key").to_pylist()
        # the rows where a new article starts (an article's quotes are consecutive)
        starts = [0] + [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
        cuts = [*starts[::articles_per_file], len(keys)]
        folder = target / QUOTES_DIR / path.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        for n, (a, b) in enumerate(zip(cuts, cuts[1:])):
            pq.write_table(table.slice(a, b - a), str(folder / f"{path.stem}-{n:06d}.parquet"))
            written["quote_files"] += 1
    (target / ARTICLES_DIR).mkdir(parents=True)
    for path in sorted((source / ARTICLES_DIR).glob("*.parquet")):
        table = pq.read_table(str(path))
        for n, a in enumerate(range(0, table.num_rows, articles_per_file)):
            name = f"{path.stem}-{n:06d}.parquet"
            pq.write_table(table.slice(a, articles_per_file), str(target / ARTICLES_DIR / name))
            written["article_files"] += 1
    names = target / NAMES_DIR / NAMES_FILE
    table = pq.read_table(str(names))
    coverage = json.loads(table.schema.metadata[COVERAGE_KEY])
    coverage["quote_files"], coverage["article_files"] = (list(files) for files in archive_files(target))
    pq.write_table(table.replace_schema_metadata({COVERAGE_KEY: json.dumps(coverage)}), str(names))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--articles-per-file", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from quotetrace.parquet_query import open_archive
    from quotetrace.scale import compact_archive, fully_indexed, quote_files

    figures: dict[str, Any] = {"benchmark": "compact", "machine": machine()}
    small, compacted = args.work / "small", args.work / "compacted"
    note(f"cutting {args.archive} into files of {args.articles_per_file} articles ...")
    figures["small"] = split(args.archive, small, args.articles_per_file)
    if not fully_indexed(small):
        sys.exit("benchmarks: the cut archive's names file does not cover its files")
    shutil.rmtree(compacted, ignore_errors=True)
    shutil.copytree(small, compacted)
    started = time.perf_counter()
    outcomes = compact_archive(compacted)
    figures["compaction_seconds"] = round(time.perf_counter() - started, 2)
    figures["compacted"] = [o.to_dict() for o in outcomes]
    figures["still_indexed"] = fully_indexed(compacted)
    figures["quote_mb"] = {name: round(sum(f.stat().st_size for f in quote_files(root)) / 2**20, 1)
                           for name, root in (("small", small), ("compacted", compacted))}
    with open_archive(compacted) as opened:
        figures["archive_quotes"] = opened.values("SELECT count(*) FROM quotes")[0]
        ranked = opened.values("SELECT q.speaker.name FROM quotes q GROUP BY 1 ORDER BY count(*) DESC, 1")
        speaker = ranked[len(ranked) // 10]
        outlet = opened.values("SELECT name FROM names WHERE field = 'outlet' ORDER BY count, name LIMIT 1")[0]
    base = [sys.executable, "-m", "quotetrace", "list", "-f", "jsonl"]
    asked = {"list_speaker": ["--speaker", speaker], "list_outlet": ["--outlet", outlet]}
    for query, options in asked.items():
        order = ["small", "compacted", "compacted", "small"] * args.runs
        runs: dict[str, list[dict[str, Any]]] = {"small": [], "compacted": []}
        outputs: dict[str, bytes] = {}
        for name in order[: 2 * args.runs]:
            load = round(os.getloadavg()[0], 2)
            seconds, out = timed([*base, *options, "--from", str(small if name == "small" else compacted)])
            if outputs.setdefault(name, out) != out:
                sys.exit("benchmarks: one archive answered differently twice")
            runs[name].append({"seconds": round(seconds, 3), "load": load})
            note(f"{query} {name}: {seconds:.2f} s")
        if outputs["small"] != outputs["compacted"]:
            sys.exit(f"benchmarks: the compacted archive answered {query} differently")
        figures[query] = {
            "quotes_returned": outputs["small"].count(b"\n"),
            **{name: {"median_seconds": round(statistics.median(r["seconds"] for r in rs), 3), "runs": rs}
               for name, rs in runs.items()}}
    figures["load_after"] = os.getloadavg()
    report(figures)


if __name__ == "__main__":
    main()
