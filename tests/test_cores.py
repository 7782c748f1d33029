"""``cores.forked_map``: the results of the tasks in order, from forked workers or here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quotetrace import cores
from tests.processes import alive, children


def test_forked_map_gives_each_task_its_result_in_order() -> None:
    tasks = list(range(37))
    assert cores.forked_map(lambda n: n * n, tasks, 2) == [n * n for n in tasks]


# In a fresh interpreter: the test process may run other threads (a test cluster's), and with
# another thread alive forked_map works in this process (tested below).
_FORKED = """
import os
from quotetrace import cores
big = [object() for _ in range(5)]  # not picklable: only a forked worker can have it
seen = cores.forked_map(lambda pair: (os.getpid(), pair[1] is big[pair[0]]), list(enumerate(big)), 2)
print(all(same for _, same in seen), os.getpid() in {pid for pid, _ in seen})
"""


@pytest.mark.skipif(not cores.can_fork(), reason="this system cannot fork: forked_map runs here (tested below)")
def test_forked_map_runs_in_other_processes_that_inherit_the_tasks() -> None:
    done = subprocess.run([sys.executable, "-c", _FORKED], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["True", "False"]  # each task saw the parent's objects, in a child


def test_while_another_thread_runs_the_tasks_run_here() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert cores.forked_map(lambda _: os.getpid(), [1, 2, 3], 2) == [os.getpid()] * 3
    finally:
        stop.set()
        other.join()


def test_one_worker_or_one_task_stays_in_this_process() -> None:
    parent = os.getpid()
    assert cores.forked_map(lambda _: os.getpid(), [1, 2, 3], 1) == [parent] * 3
    assert cores.forked_map(lambda _: os.getpid(), [1], 4) == [parent]


def test_without_fork_the_tasks_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cores, "can_fork", lambda: False)
    assert cores.forked_map(lambda n: (n, os.getpid()), [1, 2], 2) == [(1, os.getpid()), (2, os.getpid())]


_FAILING = """
from quotetrace import cores
def fail_on_three(n):
    if n == 3:
        raise ValueError("three")
    return n
try:
    cores.forked_map(fail_on_three, list(range(40)), 2)
except ValueError as error:
    print("raised", error)
"""


def test_a_failing_task_fails_the_map() -> None:
    done = subprocess.run([sys.executable, "-c", _FAILING], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "raised three"


_KILLED = """
import os, signal
from quotetrace import cores
parent = os.getpid()
def die_in_a_worker(n):
    if n == 2 and os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return n * 10
print(cores.forked_map(die_in_a_worker, list(range(6)), 2))
"""


@pytest.mark.skipif(not cores.can_fork(), reason="this system cannot fork: no worker to lose")
def test_a_worker_that_dies_costs_time_not_results() -> None:
    done = subprocess.run([sys.executable, "-c", _KILLED], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[0, 10, 20, 30, 40, 50]"
    assert "a worker process died" in done.stderr


_PARENT_KILLED = """
import time
from quotetrace import cores
cores.forked_map(lambda n: time.sleep(300), list(range(4)), 2)
"""


@pytest.mark.skipif(not cores.can_fork() or not Path("/proc/self/stat").exists(),
                    reason="forks workers and reads them from Linux's /proc")
def test_the_workers_end_with_a_killed_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _PARENT_KILLED])
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
        workers = children(parent.pid)
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, "a worker went on after its parent was killed"


def test_the_usable_cores_are_at_least_one() -> None:
    assert cores.usable_cores() >= 1
