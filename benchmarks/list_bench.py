"""``quotetrace list`` on 120 PolNeAR articles against spaCy alone, then again from the index.

    python benchmarks/list_bench.py [--articles 120]

1. raw: a fresh process imports spaCy, loads the same pipeline (with the paragraph component
   quotetrace adds) and runs ``nlp.pipe`` over the same texts: its whole wall time, and the
   ``nlp.pipe`` part alone.
2. fresh: ``quotetrace list PATHS -f json`` with a new, empty index: reading, parsing,
   extracting, storing, linking claims and writing JSON, the whole process.
3. indexed: the same command again, answered from the index (the whole process), and its
   output compared byte for byte with the fresh run's; then the default table format too.

Floors (issue 4): raw / fresh >= 0.8 (raw counted as ``nlp.pipe`` alone, the stricter), indexed
<= 1.5 s with identical output. Prints the figures as JSON, last.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from _common import QUOTETRACE, note, polnear_paths, report, timed, words_in

RATIO_FLOOR = 0.8
INDEXED_SECONDS_FLOOR = 1.5

RAW = """
import json, sys, time
start = time.perf_counter()
from quotetrace.articles import read_articles
from quotetrace.nlp import load_pipeline
nlp = load_pipeline()
texts = [article.text for article in read_articles(sys.argv[1:])]
loaded = time.perf_counter()
docs = list(nlp.pipe(texts, batch_size=32))
done = time.perf_counter()
print(json.dumps({"load_seconds": loaded - start, "pipe_seconds": done - loaded, "tokens": sum(map(len, docs))}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120)
    args = parser.parse_args()
    paths = polnear_paths(args.articles)
    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "index.sqlite3")
        note("raw nlp.pipe ...")
        raw_seconds, raw_out = timed([sys.executable, "-c", RAW, *paths])
        raw = json.loads(raw_out)
        note("quotetrace list, fresh index ...")
        fresh_seconds, fresh_out = timed([*QUOTETRACE, "list", *paths, "-f", "json", "--db", db])
        note("quotetrace list, from the index ...")
        indexed_seconds, indexed_out = timed([*QUOTETRACE, "list", *paths, "-f", "json", "--db", db])
        table_seconds, _ = timed([*QUOTETRACE, "list", *paths, "--db", db], env={"COLUMNS": "160"})
    ratio = raw["pipe_seconds"] / fresh_seconds
    report({
        "benchmark": "quotetrace list vs nlp.pipe",
        "articles": len(paths),
        "words": words_in(paths),
        "quotes": len(json.loads(fresh_out)),
        "raw_process_seconds": round(raw_seconds, 2),
        "raw_load_seconds": round(raw["load_seconds"], 2),
        "raw_pipe_seconds": round(raw["pipe_seconds"], 2),
        "fresh_list_seconds": round(fresh_seconds, 2),
        "ratio_raw_pipe_over_fresh": round(ratio, 3),
        "ratio_raw_process_over_fresh": round(raw_seconds / fresh_seconds, 3),
        "indexed_list_seconds": round(indexed_seconds, 2),
        "indexed_table_seconds": round(table_seconds, 2),
        "indexed_output_identical": indexed_out == fresh_out,
        "floors": {"ratio_raw_pipe_over_fresh": RATIO_FLOOR, "indexed_list_seconds": INDEXED_SECONDS_FLOOR},
        "within_floors": {
            "ratio": ratio >= RATIO_FLOOR,
            "indexed": indexed_seconds <= INDEXED_SECONDS_FLOOR and indexed_out == fresh_out,
        },
    })


if __name__ == "__main__":
    main()
