"""The machine's cores: how many this process may use, and work spread over forked workers.

Extraction (``runner``) and claim linking (``claims``) both use more than one core when there
is enough work for it. Forked workers inherit the parent's memory copy-on-write, so that what
the work reads (a loaded pipeline, a run's quotes and their index) is never pickled: only the
results come back.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger("quotetrace")

# What a forked worker of ``forked_map`` runs, and over what: given to each worker as it starts
# (``_set_job``; under fork nothing is pickled), never set in the parent.
_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def usable_cores() -> int:
    """The cores this process may run on: ``os.process_cpu_count()`` (Python 3.13), else the
    CPU affinity mask, else every core of the machine."""
    counted = getattr(os, "process_cpu_count", None)
    if counted is not None:
        return counted() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers can be forked from this process, sharing its memory: on Linux and the
    other POSIX systems but macOS (where fork is unsafe once system frameworks have started
    threads), not on Windows."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def forked_map(function: Callable[[Any], Any], tasks: Sequence[Any], workers: int) -> list[Any]:
    """``[function(t) for t in tasks]``, the tasks shared out among ``workers`` forked processes
    (which inherit ``function`` and ``tasks``; each result is pickled back), in task order.

    In this process when there is one worker or one task, where this system cannot fork, and
    while another thread runs in this process (a progress bar's, a caller's): a thread that holds
    a lock when the process forks leaves that lock held for ever in the child. If a worker dies
    (killed for memory, say), the tasks are run again here, with a warning.
    """
    if workers <= 1 or len(tasks) <= 1 or not can_fork() or threading.active_count() > 1:
        return [function(task) for task in tasks]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    pool = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=get_context("fork"),
                               initializer=_set_job, initargs=(function, tasks, os.getpid()))
    try:
        return list(pool.map(_run_task, range(len(tasks))))
    except BrokenProcessPool:
        log.warning("a worker process died; its work is done again in this process")
        return [function(task) for task in tasks]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # a task that raised cancels those not begun


def _set_job(function: Callable[[Any], Any], tasks: Sequence[Any], parent: int) -> None:
    global _job
    end_with_parent(parent)
    _job = (function, tasks)


def end_with_parent(parent: int) -> None:
    """In a worker process: end it when ``parent`` (the process that started it) ends, even by
    SIGKILL, which leaves the parent no time to stop its workers; a worker would otherwise go on
    parsing for nobody. On Linux the kernel sends SIGTERM on the parent's death
    (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread looks once a second. The initializer
    of every pool quotetrace starts."""
    if sys.platform.startswith("linux") and _parent_death_signal(signal.SIGTERM):
        if os.getppid() != parent:  # the parent ended before the signal was asked for
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="quotetrace-parent-watch").start()


def _parent_death_signal(number: int) -> bool:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, number, 0, 0, 0) == 0  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _run_task(number: int) -> Any:
    if _job is None:  # not in a worker that forked_map started
        raise RuntimeError("a forked_map task outside its worker")
    function, tasks = _job
    return function(tasks[number])
