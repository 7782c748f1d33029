"""Shared fixtures: one spaCy pipeline per test session (loading it costs a second)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quotetrace.nlp import load_pipeline

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHARED_EVAL = REPO.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def nlp():
    # paragraph boundaries are set by extract.parse, whatever pipeline it is given
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
