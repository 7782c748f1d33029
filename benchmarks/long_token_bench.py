"""One very long token in a quote: does the cost stay linear in its length?

    python benchmarks/long_token_bench.py [--lengths 10000 40000 200000] [--runs 3]

Each row reads and extracts one article whose quote holds a single token of that many characters
(``read_articles``, which reads the metadata from the text, then ``extract_raw``), and parses the
same text with spaCy alone (``nlp.pipe``), alternated, medians of ``--runs``. Before the e-mail
pattern was anchored to the start of a word, the metadata read alone took 38 s at 40,000
characters (quadratic); the ratio to spaCy alone should now stay flat as the token grows.

Prints the figures as JSON, last.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _common import note, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[10_000, 40_000, 200_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from quotetrace.articles import read_articles
    from quotetrace.batch import extract_raw
    from quotetrace.metadata import read_metadata
    from quotetrace.nlp import load_pipeline
    from quotetrace.pipeline import prepare

    nlp = prepare(load_pipeline())
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        for length in args.lengths:
            text = "By Jane Doe (jdoe@example.com)\n\n“We will " + "x" * length + " win,” said Ana Ruiz.\n"
            path = Path(folder, f"long{length}.txt")
            path.write_text(text, encoding="utf-8")
            ours, alone, meta = [], [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                results = list(extract_raw(read_articles([str(path)]), nlp))
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                list(nlp.pipe([text]))
                alone.append(time.perf_counter() - start)
                start = time.perf_counter()
                read_metadata(text)
                meta.append(time.perf_counter() - start)
            rows[str(length)] = {
                "quotetrace_s": round(statistics.median(ours), 3),
                "spacy_alone_s": round(statistics.median(alone), 3),
                "read_metadata_s": round(statistics.median(meta), 3),
                "ratio_spacy_to_quotetrace": round(statistics.median(alone) / statistics.median(ours), 2),
                # past pipeline.MAX_PIECE_CHARS the token is cut in two pieces, and the quote with it
                "quotes_found": len(results[0][1]) if not isinstance(results[0][1], Exception) else None,
            }
            note(f"{length}: {rows[str(length)]}")
    report({"token_lengths": rows})


if __name__ == "__main__":
    main()
