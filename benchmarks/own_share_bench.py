"""quotetrace's own share of a run: extraction's CPU against the parse it follows.

    python benchmarks/own_share_bench.py [--articles 120] [--rounds 3]

In one process, with quotetrace's pipeline loaded (as a run loads it): each round parses the
PolNeAR articles (``extraction.parse``, the spaCy part) and then extracts the quotes of every
parsed document (``extraction.extract_doc``: marks, frames, speakers, everything quotetrace
adds), timing the CPU of each. The parse of one round is what that round's extraction reads,
so the two meet the same machine. The share is extraction / (parse + extraction); issue 13's
target is 5%. Reading files, the index and rendering are not in it (``list_bench.py`` measures
whole processes). Prints the figures as JSON, last.
"""

from __future__ import annotations

import argparse
import time

from _common import compiled_package, median, note, polnear_paths, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    compiled_package()
    from quotetrace.articles import read_articles
    from quotetrace.extraction import extract_doc, parse
    from quotetrace.lexicon import default_lexicon
    from quotetrace.nlp import load_pipeline

    articles = list(read_articles(polnear_paths(args.articles)))
    nlp, lexicon = load_pipeline(), default_lexicon()
    lexicon.built()
    extract_doc(next(parse(nlp, [(articles[0].text, None)], 1))[0], lexicon, meta=articles[0].meta)  # warm
    parse_cpu, own_cpu, shares, quotes = [], [], [], 0
    for round_ in range(args.rounds):
        note(f"round {round_ + 1} of {args.rounds}")
        cpu = time.process_time()
        docs = [doc for doc, _ in parse(nlp, ((a.text, None) for a in articles), 32)]
        parsed = time.process_time() - cpu
        cpu = time.process_time()
        # the text parsed is given, as a run gives it (``extraction.extract_texts``)
        quotes = sum(len(extract_doc(doc, lexicon, article=a.path, meta=a.meta, warnings=[], text=a.text))
                     for doc, a in zip(docs, articles))
        own = time.process_time() - cpu
        parse_cpu.append(parsed)
        own_cpu.append(own)
        shares.append(own / (parsed + own))
    report({"articles": len(articles), "quotes": quotes, "rounds": args.rounds,
            "parse_cpu_seconds": [round(x, 3) for x in parse_cpu],
            "extraction_cpu_seconds": [round(x, 3) for x in own_cpu],
            "own_share": [round(x, 4) for x in shares], "own_share_median": median(shares)})


if __name__ == "__main__":
    main()
