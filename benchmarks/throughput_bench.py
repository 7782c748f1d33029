"""Words per second per core and articles per second, at 1 and 2 worker processes.

    python benchmarks/throughput_bench.py [--articles 120]

Each figure is a whole ``quotetrace ingest PATHS --workers N`` process on a new index: reading,
parsing, extracting and storing, with the pipeline loaded once per worker (``--workers 1``
parses in the command's own process). For comparison, the same texts through spaCy alone in one
process, ``nlp.pipe(n_process=1)`` and ``n_process=2`` (spaCy's own multiprocessing sends whole
Docs back, so quotetrace's workers extract where they parse and send quotes instead).

Prints the figures as JSON, last. The machine's core count is in the figures: on two cores, two
busy processes each run slower than one alone, so two workers are measured, not assumed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from _common import QUOTETRACE, note, polnear_paths, report, timed, words_in

SPACY_ALONE = """
import json, sys, time
from quotetrace.articles import read_articles
from quotetrace.nlp import load_pipeline
nlp = load_pipeline()
texts = [article.text for article in read_articles(sys.argv[2:])]
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[1])):
    pass
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120)
    args = parser.parse_args()
    paths = polnear_paths(args.articles)
    words = words_in(paths)
    runs = {}
    with tempfile.TemporaryDirectory() as scratch:
        for workers in (1, 2):
            note(f"quotetrace ingest --workers {workers} ...")
            seconds, out = timed([*QUOTETRACE, "ingest", *paths, "--workers", str(workers), "-f", "json",
                                  "--db", str(Path(scratch) / f"workers-{workers}.sqlite3")])
            added = sum(1 for r in json.loads(out) if r["status"] == "added")
            runs[f"quotetrace_workers_{workers}"] = {
                "seconds": round(seconds, 2),
                "articles_per_second": round(added / seconds, 2),
                "words_per_second": round(words / seconds),
                "words_per_second_per_core": round(words / seconds / workers),
            }
    for processes in (1, 2):
        note(f"spaCy alone, nlp.pipe(n_process={processes}) ...")
        _, out = timed([sys.executable, "-c", SPACY_ALONE, str(processes), *paths])
        seconds = json.loads(out)["seconds"]
        runs[f"spacy_pipe_n_process_{processes}"] = {
            "seconds": round(seconds, 2),
            "articles_per_second": round(len(paths) / seconds, 2),
            "words_per_second": round(words / seconds),
            "words_per_second_per_core": round(words / seconds / processes),
        }
    speedup = runs["quotetrace_workers_1"]["seconds"] / runs["quotetrace_workers_2"]["seconds"]
    report({"benchmark": "throughput", "articles": len(paths), "words": words, **runs,
            "speedup_2_workers": round(speedup, 2)})


if __name__ == "__main__":
    main()
