"""``chain --from DIR`` by two versions of quotetrace, alternating, on one archive.

    python benchmarks/chain_bench.py ARCHIVE --old SRC [--old-archive DIR] [--runs 3] [--query TEXT ...]
                                     [--explain]

Each run is a process of its own that imports the version (``SRC``: a checkout of the older
code; the newer is this repository), opens the archive and asks ``archive_chain`` (timed from the
open to the chain, imports apart), and ``matching_claims`` alone after it in the same open. The
versions alternate (old, new, new, old, ...), so that a change of the machine's load falls on
both alike. ``--old-archive`` is the same archive as the older code indexed it (its tables as
that version writes them, the quote files shared), for the older code to read; by default it
reads ARCHIVE. Each figure is the median of ``--runs`` opens, with every run's own and the
1-minute load average before it; and the ratio old / new. Both versions must find the same
claims: the runs' results (the claims traced, the count matched) are compared, and a difference
is an error.

Without ``--query``, the queries ``scale_bench.py`` asks: a quote's first six words (the first
quote by id longer than 80 letters) and the 10th-percentile speaker's name. ``--explain`` adds
DuckDB's ``EXPLAIN ANALYZE`` of the postings' read (row groups scanned) for the first query.

Prints the figures as JSON, last, with the core count and load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from _common import REPO, machine, note, report

# One run, in a process of its own: the version on sys.path, the archive, the query.
_RUN = """
import json, sys, time
from quotetrace.parquet_query import archive_chain, matching_claims, open_archive
root, query = sys.argv[1], sys.argv[2]
start = time.perf_counter()
with open_archive(root) as opened:
    chain, _ = archive_chain(opened, query)
    traced = time.perf_counter() - start
    began = time.perf_counter()
    matched = matching_claims(opened, query)
    matching = time.perf_counter() - began
print(json.dumps({"seconds": traced, "matching_seconds": matching, "matched": len(matched),
                  "traced": sorted(c.id for c in chain.claims), "indexed": getattr(opened, "text_index", False)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--old", type=Path, required=True, help="a checkout of the older code")
    parser.add_argument("--old-archive", type=Path, help="the archive as the older code indexed it")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", action="append", help="a chain query (repeat for more)")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    queries = args.query or asked(args.archive)
    old_archive = args.old_archive or args.archive
    figures: dict[str, Any] = {"benchmark": "chain", "archive": str(args.archive), "old_archive": str(old_archive),
                               "runs": args.runs,
                               "machine_before": machine(), "queries": {}}
    for query in queries:
        runs: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
        for i in range(args.runs):
            for version in (("old", "new") if i % 2 == 0 else ("new", "old")):
                load = os.getloadavg()[0]
                result = (one_run(args.old, old_archive, query) if version == "old"
                          else one_run(REPO, args.archive, query))
                result["load_before"] = round(load, 2)
                runs[version].append(result)
                note(f"{version} {query!r}: {result['seconds']:.2f} s, matching {result['matching_seconds']:.2f} s")
        for key in ("matched", "traced"):
            if len({json.dumps(r[key]) for rs in runs.values() for r in rs}) != 1:
                sys.exit(f"benchmarks: the versions differ on {query!r} ({key})")
        out: dict[str, Any] = {"matched": runs["new"][0]["matched"], "indexed": runs["new"][0]["indexed"]}
        for version, rs in runs.items():
            out[version] = {"seconds": round(statistics.median(r["seconds"] for r in rs), 3),
                            "matching_seconds": round(statistics.median(r["matching_seconds"] for r in rs), 3),
                            "each": [round(r["seconds"], 3) for r in rs], "load_before": [r["load_before"] for r in rs]}
        out["old_over_new"] = round(out["old"]["seconds"] / out["new"]["seconds"], 2)
        out["matching_old_over_new"] = round(out["old"]["matching_seconds"] / out["new"]["matching_seconds"], 2)
        figures["queries"][query] = out
    if args.explain:
        figures["explain_postings"] = explain(args.archive, queries[0])
    report(figures)


def one_run(source: Path, archive: Path, query: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run([sys.executable, "-c", _RUN, str(archive), query], env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"benchmarks: a run failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def asked(archive: Path) -> list[str]:
    """The queries ``scale_bench.py`` asks of this archive: a quote's first six words, and the
    10th-percentile speaker."""
    from quotetrace.parquet_query import open_archive

    with open_archive(archive) as opened:
        text = opened.values("SELECT text FROM quotes WHERE length(text) > 80 ORDER BY id LIMIT 1")[0]
        ranked = opened.values("SELECT q.speaker.name FROM quotes q GROUP BY 1 ORDER BY count(*) DESC, 1")
    return [" ".join(text.split()[:6]), ranked[len(ranked) // 10]]


def explain(archive: Path, query: str) -> dict[str, Any]:
    """DuckDB's account of the postings' read for ``query``: row groups scanned of all."""
    from quotetrace.parquet_query import open_archive
    from quotetrace.scale import TEXT_INDEX, gram_code

    codes = sorted({gram_code(query.lower().strip()[i : i + 3]) for i in range(len(query.strip()) - 2)})
    out = {}
    with open_archive(archive) as opened:
        for name in (TEXT_INDEX.grams, TEXT_INDEX.bits):
            plan = opened.tuples(f"EXPLAIN ANALYZE SELECT count(*) FROM {name} WHERE list_contains(?, gram)", [codes])
            text = "\n".join(str(cell) for row in plan for cell in row)
            out[name] = [line.strip(" │") for line in text.splitlines() if "Row Groups" in line or "Total Time" in line]
    return out


if __name__ == "__main__":
    main()
