"""What the benchmarks share: the PolNeAR articles, timed subprocesses, the JSON they print."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "eval" / "polnear"
QUOTETRACE = [sys.executable, "-m", "quotetrace"]


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
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env={**os.environ, **(env or {})}, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"benchmarks: {' '.join(command[:4])} ... failed:\n{done.stderr.decode(errors='replace')}")
    return seconds, done.stdout


def report(figures: dict[str, Any]) -> None:
    """The figures as JSON, last on stdout (progress notes go to stderr)."""
    print(json.dumps({"cores": os.cpu_count(), **figures}, indent=2))


def note(message: str) -> None:
    print(f"benchmarks: {message}", file=sys.stderr, flush=True)
