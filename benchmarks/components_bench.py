"""Which spaCy components can quotetrace do without? Parse time and records with each one off.

    python benchmarks/components_bench.py [--articles 40]

Extraction reads part-of-speech tags (tagger, attribute_ruler), the dependency parse and the
sentences it makes (parser), lemmas of cue verbs (lemmatizer) and entity types (ner). Each row
parses the same PolNeAR articles with one component disabled and compares the records with the
full pipeline's: a component can go only if every record stays the same. (``senter`` is off in
en_core_web_sm already: the parser makes the sentences.)

Prints the figures as JSON, last.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
import warnings
from typing import Any

from _common import note, polnear_paths, report

CANDIDATES = ("ner", "lemmatizer", "attribute_ruler", "tagger", "parser")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--measure", metavar="COMPONENT", help="(internal) one row, in this process")
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.articles, args.measure)))
        return
    # Each row in a process of its own: without some components spaCy crashes outright.
    rows: dict[str, Any] = {}
    for name in ("", *CANDIDATES):
        note(f"without {name} ..." if name else "full pipeline ...")
        done = subprocess.run([sys.executable, __file__, "--articles", str(args.articles), "--measure", name],
                              capture_output=True, text=True, check=False)
        row = json.loads(done.stdout) if done.returncode == 0 else {
            "identical": False, "crashed": f"exit status {done.returncode}"}
        rows[f"without_{name}" if name else "full"] = row
    full = rows["full"]
    for name in CANDIDATES:
        row = rows[f"without_{name}"]
        if "records" in row:
            changed = sum(1 for mine, theirs in zip(row.pop("records"), full["records"]) if mine != theirs)
            row.update(identical=changed == 0, articles_changed=changed)
        if "pipe_seconds" in row:
            row["time_saved"] = f"{1 - row['pipe_seconds'] / full['pipe_seconds']:.0%}"
    full.pop("records")
    report({"benchmark": "components", "articles": args.articles, **rows})


def measure(articles: int, disabled: str) -> dict[str, Any]:
    """Parse time with one component off (none when ``disabled`` is empty), and the records."""
    logging.disable(logging.WARNING)  # unpaired quotation marks, reported per article
    warnings.filterwarnings("ignore", message=r"\[W108\]")  # the lemmatizer, without tags to go by
    from quotetrace.articles import read_articles
    from quotetrace.extraction import extract_doc, parse
    from quotetrace.lexicon import load_lexicon
    from quotetrace.nlp import load_pipeline

    nlp = load_pipeline()
    lexicon = load_lexicon()
    read = list(read_articles(polnear_paths(articles), lexicon=lexicon))
    texts = [a.text for a in read]
    list(nlp.pipe(texts[:2]))  # warm up
    with nlp.select_pipes(disable=[disabled] if disabled else []):
        start = time.perf_counter()
        docs = [doc for doc, _ in parse(nlp, ((text, None) for text in texts), 32)]
        seconds = time.perf_counter() - start
        pipes = list(nlp.pipe_names)
    row: dict[str, Any] = {"pipe_seconds": round(seconds, 2), "pipes": pipes}
    try:
        records = [[q.to_dict() for q in extract_doc(doc, lexicon, article=a.path, meta=a.meta)]
                   for doc, a in zip(docs, read)]
    except Exception as error:  # noqa: BLE001 - a missing annotation may break extraction outright
        return {**row, "identical": False, "extraction_fails": f"{type(error).__name__}: {error}"}
    return {**row, "quotes": sum(map(len, records)), "records": records}


if __name__ == "__main__":
    main()
