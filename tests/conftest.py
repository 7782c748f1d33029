"""Shared fixtures: one spaCy pipeline per test session (loading it costs a second)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotetrace.pipeline import prepare
from quotetrace.nlp import load_pipeline

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHARED_EVAL = REPO.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def nlp():
    return prepare(load_pipeline())


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.json from the current output")
