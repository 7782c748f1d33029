"""The scale path on a local Dask cluster: distributed claim linking equals the single-process
linker, Parquet archives written by ``ingest --output`` and queried by ``--from``.

Every wait on the cluster is bounded (``TIMEOUT``): a stalled step fails its test, it does not hang."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

import pytest
from distributed import Client, LocalCluster

from quotetrace.claims import link_claims
from quotetrace.models import Quote, Speaker, Via
from quotetrace.scale_claims import link_quotes

# Seconds any one step on the cluster may take before the test fails.
TIMEOUT = 120

# Invented words and names: the quotes' shape matters here (shared rare words, variants), not their sense.
_SYLLABLES = ["ka", "lo", "mi", "ter", "van", "sol", "dre", "pu", "nix", "ora", "bel", "quin", "ru", "set", "ma"]
_COMMON = ["the", "we", "will", "not", "should", "if", "said", "people", "very", "new", "plan", "year", "2019", "40"]
_NAMES = ["Ana Lind", "Bo Carver", "Cy Dorn", "Di Ember", "Ed Frost", "Flo Garr", "Gus Hale", "Ida Jorn"]


def synthetic_quotes(count: int, seed: int = 3) -> list[Quote]:
    """Quotes with paraphrases, wire copies, partial quotes and borrowed words; relays (via, an
    outlet told, a parent quote) on some, so that every field the linker reads is exercised."""
    rng = random.Random(seed)
    vocab = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(900)})
    bases = [" ".join(rng.choice(vocab) if rng.random() < 0.6 else rng.choice(_COMMON)
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
        speaker = rng.choice(_NAMES)
        kind = rng.random()
        via = (Via(rng.choice(_NAMES), "person", "according_to"),) if kind < 0.1 else ()
        addressee = Speaker("Daily Ledger", "outlet") if 0.1 <= kind < 0.15 else None
        quote = Quote(id=f"q{i}", article=f"article-{i // 9}", start=0, end=1, text=" ".join(words), kind="direct",
                      cue=None, speaker=Speaker(speaker, "unnamed" if kind > 0.95 else "person"),
                      addressee=addressee, via=via, confidence=0.8, method="synthetic")
        if 0.15 <= kind < 0.2 and quotes and quotes[-1].article == quote.article:
            quote = replace(quote, parent=quotes[-1].id)
        quotes.append(quote)
    return quotes


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="1GB") as cluster, Client(cluster, timeout=TIMEOUT) as c:
        yield c


@pytest.mark.parametrize(("quotes", "per_partition", "in_one_table"), [
    (3000, 700, 3_000_000),  # components by one merged table of vertices
    (600, 150, 0),  # components by rounds of label propagation
    (40, 7, 3_000_000),  # more partitions than some have quotes
])
def test_distributed_linker_gives_the_single_process_claim_ids(client: Client, quotes: int, per_partition: int,
                                                                in_one_table: int) -> None:
    made = synthetic_quotes(quotes)
    expected, links = link_claims(made)
    assert links, "the synthetic quotes must link somewhere, or the comparison says nothing"
    got = link_quotes(made, client, quotes_per_partition=per_partition, timeout=TIMEOUT,
                      vertices_in_one_table=in_one_table)
    assert got == expected


def test_no_quotes_no_claims(client: Client) -> None:
    assert link_quotes([], client, timeout=TIMEOUT) == {}
