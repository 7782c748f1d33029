"""Processes as Linux's /proc shows them, for the tests of killed runs."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we looked
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"



def survivors_of_a_kill(proc: subprocess.Popen, start_timeout: float = 120) -> tuple[set[int], list[int]]:
    """Wait until ``proc`` has two children, SIGKILL it, and give its children 30 s to end.
    Returns the children seen and those still alive (killed here, not left to other tests)."""
    workers: set[int] = set()
    deadline = time.monotonic() + start_timeout
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
        workers = children(proc.pid)
    if len(workers) < 2:
        proc.kill()
        proc.wait(timeout=60)
        return workers, []
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    return workers, left
