"""``cores.forked_map``: the results of the tasks in order, from forked workers or here."""

from __future__ import annotations

import os

import pytest

from quotetrace import cores


def test_forked_map_gives_each_task_its_result_in_order() -> None:
    tasks = list(range(37))
    assert cores.forked_map(lambda n: n * n, tasks, 2) == [n * n for n in tasks]


@pytest.mark.skipif(not cores.can_fork(), reason="this system cannot fork: forked_map runs here (tested below)")
def test_forked_map_runs_in_other_processes_that_inherit_the_tasks() -> None:
    parent = os.getpid()
    big = [object() for _ in range(5)]  # not picklable: only a forked worker can have it
    pids = cores.forked_map(lambda pair: (os.getpid(), pair[1] is big[pair[0]]), list(enumerate(big)), 2)
    assert all(same for _, same in pids)
    assert parent not in {pid for pid, _ in pids}


def test_one_worker_or_one_task_stays_in_this_process() -> None:
    parent = os.getpid()
    assert cores.forked_map(lambda _: os.getpid(), [1, 2, 3], 1) == [parent] * 3
    assert cores.forked_map(lambda _: os.getpid(), [1], 4) == [parent]


def test_without_fork_the_tasks_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cores, "can_fork", lambda: False)
    assert cores.forked_map(lambda n: (n, os.getpid()), [1, 2], 2) == [(1, os.getpid()), (2, os.getpid())]


def test_a_failing_task_fails_the_map() -> None:
    def fail_on_three(n: int) -> int:
        if n == 3:
            raise ValueError("three")
        return n

    with pytest.raises(ValueError, match="three"):
        cores.forked_map(fail_on_three, [1, 2, 3, 4], 2)


def test_the_usable_cores_are_at_least_one() -> None:
    assert cores.usable_cores() >= 1
