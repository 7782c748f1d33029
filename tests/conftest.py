"""Shared fixtures: one spaCy pipeline per test session (loading it costs a second).

Tests marked ``evaluation`` score against the hand-annotated gold in ``../shared/eval``, beside the
repository; where that folder is absent (a fresh clone) they are deselected, not skipped: the
project's own tests carry their own data (``tests/data``, ``tests/golden``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from quotetrace.nlp import load_pipeline

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
# The evaluation's gold sets, beside the repository (QUOTETRACE_SHARED_EVAL names them elsewhere,
# as from a worktree). Tests marked ``evaluation`` read them and are deselected without them.
SHARED_EVAL = Path(os.environ.get("QUOTETRACE_SHARED_EVAL") or REPO.parent / "shared" / "eval")
DATA = Path(__file__).resolve().parent / "data"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ``../shared/eval``, the evaluation tests are deselected (and say so in the summary)."""
    if (SHARED_EVAL / "score.py").is_file():
        return
    deselected = [item for item in items if item.get_closest_marker("evaluation")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("evaluation")]



@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session", autouse=True)
def session_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The index of module- and session-scoped fixtures, which run before ``own_index``."""
    path = tmp_path_factory.mktemp("session-index") / "index.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QUOTETRACE_DB", str(path))
        yield path


@pytest.fixture(autouse=True)
def own_index(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test reads into an index of its own (subprocesses too, through the environment):
    never the user's, and never answered from what another test stored."""
    path = tmp_path_factory.mktemp("index") / "index.sqlite3"
    monkeypatch.setenv("QUOTETRACE_DB", str(path))
    return path


@pytest.fixture(scope="session", autouse=True)
def no_user_aliases(tmp_path_factory):
    """The aliases file of whoever runs the tests must not change what they see: the default
    location points into a fresh folder, and QUOTETRACE_ALIASES is unset."""
    config = tmp_path_factory.mktemp("config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("quotetrace.aliases.default_aliases_path", lambda: config / "aliases.toml")
        patch.delenv("QUOTETRACE_ALIASES", raising=False)
        patch.setenv("XDG_CONFIG_HOME", str(config))  # for commands run in a subprocess (Linux)
        yield config


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.json from the current output")
