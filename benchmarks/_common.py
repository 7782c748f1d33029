"""What the benchmarks share: the PolNeAR articles, timed subprocesses, the JSON they print."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repository, or beside a folder of worktrees that holds it.
SHARED = next((folder / "shared" for folder in REPO.parents if (folder / "shared" / "eval").is_dir()),
              REPO.parent / "shared")
POLNEAR = SHARED / "eval" / "polnear"
QUOTETRACE = [sys.executable, "-m", "quotetrace"]
# Timed as an installed package runs: with its bytecode cached. (PYTHONDONTWRITEBYTECODE makes
# every process compile quotetrace's modules again, a second of CPU on each command.)
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# What a raw parse costs: the same pipeline and paragraph boundaries quotetrace parses with
# (``extraction.parse``), with nothing else. Prints its figures as JSON.
# The baseline: spaCy as it ships (``spacy.load``, none of quotetrace's changes to the loaded
# pipeline, such as ``nlp.fast_lemma_index``), with quotetrace's paragraph boundaries so that
# it parses the same sentences.
RAW_PARSE = """
import json, resource, sys, time
start = time.perf_counter()
import spacy
from quotetrace.articles import read_articles
from quotetrace.extraction import parse
from quotetrace.nlp import chosen_pipeline
nlp = spacy.load(chosen_pipeline())
texts = [article.text for article in read_articles(sys.argv[1:])]
loaded = time.perf_counter()
cpu = time.process_time()
docs = [doc for doc, _ in parse(nlp, ((text, None) for text in texts), 32)]
print(json.dumps({"load_seconds": loaded - start, "pipe_seconds": time.perf_counter() - loaded,
                  "pipe_cpu_seconds": time.process_time() - cpu, "tokens": sum(map(len, docs))}))
"""


def compiled_package() -> None:
    """Write quotetrace's bytecode before anything is timed, as an installed package has it
    (pip compiles it at install) and as Python writes it on a normal machine's first run: with
    ``PYTHONDONTWRITEBYTECODE`` set (as on this project's machine) an edited module would
    otherwise be compiled again by every process timed."""
    import compileall

    import quotetrace

    compileall.compile_dir(str(Path(quotetrace.__file__).parent), quiet=1)


def polnear_paths(count: int) -> list[str]:
    """The first ``count`` PolNeAR articles in name order (seven outlets, 2015-2016)."""
    paths = sorted(str(p) for p in POLNEAR.glob("*.txt"))
    if len(paths) < count:
        sys.exit(f"benchmarks: {POLNEAR} holds {len(paths)} articles, {count} wanted")
    return paths[:count]


def words_in(paths: list[str]) -> int:
    from quotetrace.articles import read_articles

    return sum(len(article.text.split()) for article in read_articles(paths))


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, bytes]:
    """Run a command to the end: its wall time in seconds, and its stdout."""
    seconds, _, out = timed_cpu(command, env)
    return seconds, out


def timed_cpu(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, bytes]:
    """Run a command to the end: its wall time, the CPU time (user + system) of it and its
    children, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env={**_ENV, **(env or {})}, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"benchmarks: {' '.join(command[:4])} ... failed:\n{done.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, done.stdout


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def machine() -> dict[str, Any]:
    """The machine the figures were taken on: cores, and how busy it was (load averages)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cores": os.cpu_count(), "usable_cores": usable, "load_average": [round(x, 2) for x in os.getloadavg()]}


def report(figures: dict[str, Any]) -> None:
    """The figures as JSON, last on stdout (progress notes go to stderr), with the machine's
    core count and load at the end of the run."""
    print(json.dumps({**machine(), **figures}, indent=2))


def note(message: str) -> None:
    print(f"benchmarks: {message} (load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
