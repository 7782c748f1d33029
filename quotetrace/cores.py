"""The machine's cores: how many this process may use, and work spread over forked workers.

Extraction (``runner``) and claim linking (``claims``) both use more than one core when there
is enough work for it. Forked workers inherit the parent's memory copy-on-write, so that what
the work reads (a loaded pipeline, a run's quotes and their index) is never pickled: only the
results come back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

# What the forked workers of ``forked_map`` run, and over what: set in the parent just before
# the fork, so that each worker inherits it (nothing is pickled on the way out).
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

    In this process when there is one worker, one task, or no fork on this system.
    """
    if workers <= 1 or len(tasks) <= 1 or not can_fork():
        return [function(task) for task in tasks]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    global _job
    _job = (function, tasks)
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=get_context("fork")) as pool:
            return list(pool.map(_run_task, range(len(tasks))))
    finally:
        _job = None


def _run_task(number: int) -> Any:
    assert _job is not None, "a forked worker inherits its job"
    function, tasks = _job
    return function(tasks[number])
