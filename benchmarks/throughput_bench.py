"""Extraction at 30, 120 and 480 articles: quotetrace against spaCy alone, one worker and default.

    python benchmarks/throughput_bench.py [--articles 30,120,480] [--rounds 1]

For each size, one after the other in each round (so that the machine's load hits them alike):

* raw: spaCy alone in a fresh process, ``nlp.pipe`` over the texts with quotetrace's paragraph
  boundaries (``extraction.parse``): the ``nlp.pipe`` part;
* ``quotetrace ingest PATHS --workers 1`` on a new index: reading, parsing, extracting and
  storing, the whole process;
* ``quotetrace ingest PATHS`` with the default workers (the usable cores; ``runner.pool_size``
  decides whether a pool starts).

Wall and CPU seconds (the whole process tree) are medians over the rounds; the ratios are raw
``nlp.pipe`` wall over quotetrace's whole process, so that growth with the size shows, and
whether the pool pays. Prints the figures as JSON, last.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from _common import (
    QUOTETRACE,
    RAW_PARSE,
    median,
    note,
    polnear_paths,
    report,
    timed_cpu,
    words_in,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="30,120,480", help="sizes, comma-separated")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    sizes = [int(n) for n in args.articles.split(",")]
    runs: dict[int, dict[str, list[float]]] = {n: {} for n in sizes}
    identical: dict[int, bool] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(args.rounds):
            for n in sizes:
                paths = polnear_paths(n)
                note(f"round {round_ + 1}, {n} articles: raw nlp.pipe ...")
                _, _, raw_out = timed_cpu([sys.executable, "-c", RAW_PARSE, *paths])
                raw = json.loads(raw_out)
                runs[n].setdefault("raw_pipe_seconds", []).append(raw["pipe_seconds"])
                runs[n].setdefault("raw_pipe_cpu_seconds", []).append(raw["pipe_cpu_seconds"])
                outs = []
                for name, workers in (("one_worker", ["--workers", "1"]), ("default", [])):
                    note(f"round {round_ + 1}, {n} articles: quotetrace ingest {' '.join(workers) or '(default)'} ...")
                    db = str(Path(scratch) / f"{n}-{name}-{round_}.sqlite3")
                    wall, cpu, out = timed_cpu([*QUOTETRACE, "ingest", *paths, "-f", "json", "--db", db, *workers])
                    runs[n].setdefault(f"{name}_seconds", []).append(wall)
                    runs[n].setdefault(f"{name}_cpu_seconds", []).append(cpu)
                    outs.append([(r["article"], r["status"], r["quotes"]) for r in json.loads(out)])
                identical[n] = identical.get(n, True) and outs[0] == outs[1]
    figures = {}
    for n in sizes:
        med = {name: median(values) for name, values in runs[n].items()}
        figures[str(n)] = {
            "words": words_in(polnear_paths(n)),
            **med,
            "ratio_raw_pipe_over_one_worker": round(med["raw_pipe_seconds"] / med["one_worker_seconds"], 3),
            "ratio_raw_pipe_over_default": round(med["raw_pipe_seconds"] / med["default_seconds"], 3),
            "same_quote_counts": identical[n],
        }
    report({"benchmark": "extraction", "rounds": args.rounds, "sizes": figures})


if __name__ == "__main__":
    main()
