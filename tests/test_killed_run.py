"""A run killed mid-way (SIGKILL) leaves an index the next run uses without error, with no
half-written article: the next run's answers equal a fresh run's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import alive, children


def test_killed_ingest_leaves_a_usable_index(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for i in range(60):
        (articles / f"a{i:02}.txt").write_text(
            f"“Point {i} stands, and we will defend it,” said Ana Ruiz, the mayor.\n\n"
            f"The council, she said, would vote on plan {i} next week.\n", encoding="utf-8")
    env = {**os.environ, "QUOTETRACE_DB": str(tmp_path / "index.sqlite3")}
    cmd = [sys.executable, "-m", "quotetrace"]
    proc = subprocess.Popen([*cmd, "ingest", str(articles)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(4)  # spaCy loaded and some articles stored, or not: either way must be safe
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    after = subprocess.run([*cmd, "list", str(articles), "-f", "json"], env=env, capture_output=True, timeout=600)
    assert after.returncode == 0, after.stderr
    fresh_env = {**os.environ, "QUOTETRACE_DB": str(tmp_path / "fresh.sqlite3")}
    fresh = subprocess.run([*cmd, "list", str(articles), "-f", "json"], env=fresh_env, capture_output=True, timeout=600)
    assert fresh.returncode == 0
    assert after.stdout == fresh.stdout
    assert b"Traceback" not in after.stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from Linux's /proc")
def test_workers_end_with_a_killed_ingest(tmp_path: Path) -> None:
    """SIGKILL gives the parent no time to stop its pool: its workers must end by themselves,
    not go on parsing for nobody."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for i in range(200):
        (articles / f"a{i:03}.txt").write_text(
            f"“Road {i} will reopen in spring,” said Ines Park, the county engineer.\n\n"
            + "The crews, she said, had found the old drains blocked and the bridge deck worn. " * 40,
            encoding="utf-8")
    env = {**os.environ, "QUOTETRACE_DB": str(tmp_path / "index.sqlite3")}
    proc = subprocess.Popen([sys.executable, "-m", "quotetrace", "ingest", str(articles), "--workers", "2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = children(proc.pid)
    assert len(workers) >= 2, "the ingest started no pool of two workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [w for w in workers if alive(w)]
    for w in left:  # do not leave them to the next test
        os.kill(w, signal.SIGKILL)
    assert not left, f"{len(left)} worker(s) went on after their parent was killed"
