"""Claim linking over 100,000 quotes: time, peak memory, and how many pairs were compared.

    python benchmarks/claims_bench.py [--quotes 100000] [--seed 7]

The quotes are synthetic but shaped like news: every gold quote of PolNeAR (24,448 of them, in
``../shared/eval/polnear/gold.json``) once, then variants of randomly drawn ones until the count
is reached, as a corpus of many outlets has them: the same words carried by another article
(wire copy), a paraphrase (words dropped and two neighbours swapped), a partial quote (a
stretch of the words), and the same words attributed to someone else. Claim linking never builds
an all-pairs matrix (``claims._candidate_pairs`` is an inverted index over rare stems); the
figure ``candidate_pairs`` shows how far that narrows the ``n * (n - 1) / 2`` pairs.

Prints the figures as JSON, last. Floors (issue 4): at most 60 s and 2 GB peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import time
from pathlib import Path

from quotetrace import claims
from quotetrace.models import Quote, Speaker

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear" / "gold.json"
SECONDS_FLOOR = 60.0
MEMORY_FLOOR_MB = 2048.0


def synthetic_quotes(count: int, seed: int) -> list[Quote]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["quotes"]
    speakers = sorted({q["speaker"] for q in gold if q.get("speaker")})
    rng = random.Random(seed)
    bases = [(q["text"], q.get("speaker") or rng.choice(speakers), q["kind"]) for q in gold if q["text"].strip()]
    made = list(bases)
    while len(made) < count:
        text, speaker, kind = rng.choice(bases)
        words = text.split()
        variant = rng.random()
        if variant < 0.35:  # the same words in another article
            pass
        elif variant < 0.7 and len(words) > 4:  # a paraphrase
            for _ in range(rng.randint(1, max(1, len(words) // 6))):
                del words[rng.randrange(len(words))]
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif variant < 0.85 and len(words) > 6:  # a partial quote
            start = rng.randrange(len(words) // 2)
            words = words[start : start + rng.randint(3, len(words) - start)]
        else:  # the same words, someone else's
            speaker = rng.choice(speakers)
        made.append((" ".join(words), speaker, kind))
    return [Quote(id=f"q{i}", article=f"article-{i // 12}.txt", start=0, end=len(text), text=text, kind=kind, cue=None,
                  speaker=Speaker(speaker, "person"), confidence=0.8, method="synthetic")
            for i, (text, speaker, kind) in enumerate(made[:count])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    quotes = synthetic_quotes(args.quotes, args.seed)
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    pairs_seen: list[int] = []
    candidate_pairs = claims._candidate_pairs

    def counted(items, idf):  # type: ignore[no-untyped-def]
        pairs = candidate_pairs(items, idf)
        pairs_seen.append(len(pairs))
        return pairs

    claims._candidate_pairs = counted  # count, do not change
    start = time.perf_counter()
    claim_of, links = claims.link_claims(quotes)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    groups = len(set(claim_of.values()))
    figures = {
        "benchmark": "claim linking",
        "cores": os.cpu_count(),
        "quotes": len(quotes),
        "seconds": round(seconds, 2),
        "quotes_per_second": round(len(quotes) / seconds),
        "peak_memory_mb": round(peak_mb),
        "memory_before_linking_mb": round(before_mb),
        "candidate_pairs": pairs_seen[0],
        "all_pairs": len(quotes) * (len(quotes) - 1) // 2,
        "links": len(links),
        "claim_groups": groups,
        "groups_of_two_or_more": sum(1 for c in _sizes(claim_of).values() if c > 1),
        "floors": {"seconds": SECONDS_FLOOR, "peak_memory_mb": MEMORY_FLOOR_MB},
        "within_floors": seconds <= SECONDS_FLOOR and peak_mb <= MEMORY_FLOOR_MB,
    }
    print(json.dumps(figures, indent=2))


def _sizes(claim_of: dict[str, str]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for claim in claim_of.values():
        sizes[claim] = sizes.get(claim, 0) + 1
    return sizes


if __name__ == "__main__":
    main()
