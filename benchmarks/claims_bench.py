"""Claim linking at 1,000, 10,000 and 100,000 quotes: time, peak memory, pairs compared.

    python benchmarks/claims_bench.py [--quotes 1000,10000,100000] [--seed 7]

The quotes are synthetic but shaped like news: every gold quote of PolNeAR (24,448 of them, in
``../shared/eval/polnear/gold.json``) once, then variants of randomly drawn ones until the count
is reached, as a corpus of many outlets has them: the same words carried by another article
(wire copy), a paraphrase (words dropped and two neighbours swapped), a partial quote (a
stretch of the words), and the same words attributed to someone else. (Below 24,448 the count
is the first gold quotes.) Claim linking never builds an all-pairs matrix
(``claims._candidate_pairs`` is an inverted index over rare stems); the figure
``candidate_pairs`` shows how far that narrows the ``n * (n - 1) / 2`` pairs.

Each size runs twice, each in a process of its own: with the default workers (the usable cores,
forked, from ``claims.MIN_QUOTES_FOR_WORKERS`` quotes) and with one. Peak memory is the
process's maximum resident set (quotes included) and the largest forked worker's (which counts
the pages it shares with the parent too). Prints the figures as JSON, last.
Floors (issue 13): at 100,000 quotes, at most 20 s and 800 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from typing import Any

from _common import POLNEAR, note, report

from quotetrace import claims
from quotetrace.models import Quote, Speaker

GOLD = POLNEAR / "gold.json"
SECONDS_FLOOR = 20.0
MEMORY_FLOOR_MB = 800.0
FLOOR_AT_QUOTES = 100_000


def synthetic_quotes(count: int, seed: int) -> list[Quote]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["quotes"]
    speakers = sorted({q["speaker"] for q in gold if q.get("speaker")})
    rng = random.Random(seed)
    bases = [(q["text"], q.get("speaker") or rng.choice(speakers), q["kind"]) for q in gold if q["text"].strip()]
    made = list(bases)
    while len(made) < count:
        made.append(variant(rng, bases, speakers))
    return [Quote(id=f"q{i}", article=f"article-{i // 12}.txt", start=0, end=len(text), text=text, kind=kind, cue=None,
                  speaker=Speaker(speaker, "person"), confidence=0.8, method="synthetic")
            for i, (text, speaker, kind) in enumerate(made[:count])]


def variant(rng: random.Random, bases: list[tuple[str, str, str]], speakers: list[str]) -> tuple[str, str, str]:
    """One of the bases, randomly drawn, as a corpus of many outlets carries it again."""
    text, speaker, kind = rng.choice(bases)
    words = text.split()
    draw = rng.random()
    if draw < 0.35:  # the same words in another article
        pass
    elif draw < 0.7 and len(words) > 4:  # a paraphrase
        for _ in range(rng.randint(1, max(1, len(words) // 6))):
            del words[rng.randrange(len(words))]
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif draw < 0.85 and len(words) > 6:  # a partial quote
        start = rng.randrange(len(words) // 2)
        words = words[start : start + rng.randint(3, len(words) - start)]
    else:  # the same words, someone else's
        speaker = rng.choice(speakers)
    return " ".join(words), speaker, kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", default="1000,10000,100000", help="counts, comma-separated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure", type=int, help="(internal) one count, in this process")
    parser.add_argument("--workers", type=int, help="(internal, with --measure) as link_claims takes them")
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.seed, args.workers)))
        return
    sizes: dict[str, dict[str, Any]] = {}
    for count in (int(c) for c in args.quotes.split(",")):
        # the default (the usable cores, from claims.MIN_QUOTES_FOR_WORKERS quotes), then one
        # worker, one after the other, so that the machine's load hits both alike
        for name, workers in (("default", None), ("one_worker", 1)):
            note(f"linking {count} quotes, {name.replace('_', ' ')} ...")
            command = [sys.executable, __file__, "--measure", str(count), "--seed", str(args.seed)]
            if workers is not None:
                command += ["--workers", str(workers)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            sizes.setdefault(str(count), {})[name] = json.loads(done.stdout)
    at_floor = sizes.get(str(FLOOR_AT_QUOTES), {}).get("default")
    report({
        "benchmark": "claim linking",
        "sizes": sizes,
        "floors": {"quotes": FLOOR_AT_QUOTES, "seconds": SECONDS_FLOOR, "peak_memory_mb": MEMORY_FLOOR_MB},
        "within_floors": None if at_floor is None else (
            at_floor["seconds"] <= SECONDS_FLOOR
            and max(at_floor["peak_memory_mb"], at_floor["largest_worker_peak_mb"]) <= MEMORY_FLOOR_MB),
    })


def measure(count: int, seed: int, workers: int | None) -> dict[str, Any]:
    """Link ``count`` synthetic quotes from this process (``workers``: as ``link_claims`` takes
    them; None, the default, is the usable cores): time, peak memory, pairs."""
    quotes = synthetic_quotes(count, seed)
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    cpu = time.process_time()
    claim_of, links = claims.link_claims(quotes, workers=workers)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the largest forked worker's peak (its pages shared with the parent counted in it too)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    by_id = {q.id: q for q in quotes}
    items, idf, _ = claims.link_items([claims.link_fields(q, by_id) for q in quotes])
    return {
        "quotes": len(quotes),
        "workers": claims.linking_workers(len(quotes), workers),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds + children.ru_utime + children.ru_stime, 2),
        "quotes_per_second": round(len(quotes) / seconds),
        "peak_memory_mb": round(peak_mb),
        "largest_worker_peak_mb": round(children.ru_maxrss / 1024),
        "memory_before_linking_mb": round(before_mb),
        "candidate_pairs": sum(1 for _ in claims._candidate_pairs(items, idf)),  # counted afterwards
        "all_pairs": len(quotes) * (len(quotes) - 1) // 2,
        "links": len(links),
        "claim_groups": len(set(claim_of.values())),
        "groups_of_two_or_more": sum(1 for c in _sizes(claim_of).values() if c > 1),
    }


def _sizes(claim_of: dict[str, str]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for claim in claim_of.values():
        sizes[claim] = sizes.get(claim, 0) + 1
    return sizes


if __name__ == "__main__":
    main()
