"""Synthetic quotes for the linker's tests: many, shaped like a run's, made from a seed."""

from __future__ import annotations

import random
from dataclasses import replace

from quotetrace.models import Quote, Speaker, Via

# Invented words and names: the quotes' shape matters here (shared rare words, variants), not their sense.
SYLLABLES = ["ka", "lo", "mi", "ter", "van", "sol", "dre", "pu", "nix", "ora", "bel", "quin", "ru", "set", "ma"]
COMMON_WORDS = ["the", "we", "will", "not", "should", "if", "said", "people", "very", "new", "plan", "year", "2019", "40"]
NAMES = ["Ana Lind", "Bo Carver", "Cy Dorn", "Di Ember", "Ed Frost", "Flo Garr", "Gus Hale", "Ida Jorn"]


def synthetic_quotes(count: int, seed: int = 3) -> list[Quote]:
    """Quotes with paraphrases, wire copies, partial quotes and borrowed words; relays (via, an
    outlet told, a parent quote) on some, so that every field the linker reads is exercised."""
    rng = random.Random(seed)
    vocab = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(900)})
    bases = [" ".join(rng.choice(vocab) if rng.random() < 0.6 else rng.choice(COMMON_WORDS)
                      for _ in range(rng.randint(3, 18))) for _ in range(count // 3)]
    quotes: list[Quote] = []
    for i in range(count):
        words = rng.choice(bases).split()
        if rng.random() < 0.4 and len(words) > 4:
            del words[rng.randrange(len(words))]
            j = rng.randrange(len(words) - 1)
            words[j], words[j + 1] = words[j + 1], words[j]
        elif rng.random() < 0.2 and len(words) > 6:
            words = words[2:]
        speaker = rng.choice(NAMES)
        kind = rng.random()
        via = (Via(rng.choice(NAMES), "person", "according_to"),) if kind < 0.1 else ()
        addressee = Speaker("Daily Ledger", "outlet") if 0.1 <= kind < 0.15 else None
        quote = Quote(id=f"q{i}", article=f"article-{i // 9}", start=0, end=1, text=" ".join(words), kind="direct",
                      cue=None, speaker=Speaker(speaker, "unnamed" if kind > 0.95 else "person"),
                      addressee=addressee, via=via, confidence=0.8, method="synthetic")
        if 0.15 <= kind < 0.2 and quotes and quotes[-1].article == quote.article:
            quote = replace(quote, parent=quotes[-1].id)
        quotes.append(quote)
    return quotes
