"""The scale path on a local Dask cluster: distributed claim linking equals the single-process
linker, Parquet archives written by ``ingest --output`` and queried by ``--from``.

Every wait on the cluster is bounded (``TIMEOUT``): a stalled step fails its test, it does not hang."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from quotetrace.articles import default_corpus_paths
from quotetrace.claims import link_claims
from quotetrace.cli import app
from quotetrace.models import Quote, Speaker, Via
from quotetrace.scale import ingest_parquet
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


# --- Parquet archives: ingest on the cluster, questions answered in place -------------------------

runner = CliRunner()


def run_cli(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def archive(client: Client, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    outcomes = ingest_parquet([str(p) for p in default_corpus_paths()], root, scheduler=client, timeout=TIMEOUT)
    assert [o.status for o in outcomes] == ["added"] * len(outcomes)
    return root


def records(*args: str) -> list[dict]:
    result = run_cli(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("command", [
    ["list"],
    ["list", "--speaker", "putin"],
    ["list", "--kind", "indirect"],
    ["claims", "--min-outlets", "2"],
    ["chain", "security guarantee"],
    ["speakers"],
])
def test_from_an_archive_answers_as_from_the_articles(archive: Path, command: list[str]) -> None:
    from_archive = records(*command, "--from", str(archive))
    from_articles = records(*command, *[str(p) for p in default_corpus_paths()])
    assert from_archive, "the question must find something, or the comparison says nothing"
    if command[0] == "list":  # the archive keeps each article's own spellings (no run-level unify)
        assert [(r["id"], r["claim"], r["text"]) for r in from_archive] == \
               [(r["id"], r["claim"], r["text"]) for r in from_articles]
    else:
        assert from_archive == from_articles


def test_an_article_already_in_the_archive_is_not_parsed_again(client: Client, archive: Path) -> None:
    paths = [str(p) for p in default_corpus_paths()]
    outcomes = ingest_parquet(paths[:2], archive, scheduler=client, timeout=TIMEOUT)
    assert [o.status for o in outcomes] == ["skipped", "skipped"]
    assert all(o.quotes > 0 for o in outcomes)


@pytest.mark.parametrize(("args", "status", "message"), [
    (["list", "--from", "{missing}"], 1, "is not a quotetrace Parquet archive"),
    (["ingest", "corpus", "--scheduler", "local"], 2, "--output"),
    (["ingest", "corpus", "--scheduler", "tcp://127.0.0.1:9", "--output", "{missing}"], 1,
     "no Dask scheduler answers at tcp://127.0.0.1:9"),
])
def test_bad_scale_input_is_one_line_on_stderr(tmp_path: Path, args: list[str], status: int, message: str) -> None:
    result = run_cli(*(a.format(missing=tmp_path / "nothing") for a in args))
    assert result.exit_code == status
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
