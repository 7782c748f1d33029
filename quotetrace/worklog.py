"""Warnings raised in a worker process, carried back to the parent with the results.

A worker (``--workers N``) runs in a process of its own, where the command line's handler is
not installed: its warnings would reach stderr bare, without the article they are about, or
not at all. Collected there (with the article being parsed) and logged again in the parent,
they read as they do when everything runs in one process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

_LOGGER = "quotetrace"

Result = TypeVar("Result")
# (level, logger name, article or None, message)
LogRecord = tuple[int, str, "str | None", str]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.name, getattr(record, "article", None),
                             record.getMessage()))


def call_logged(function: Callable[..., Result], *args: Any) -> tuple[Result, list[LogRecord]]:
    """``function(*args)`` and the warnings quotetrace logged meanwhile, each with its article."""
    logger = logging.getLogger(_LOGGER)
    collect = _Collect()
    # Only the collector: a worker forked from the command line has its handler too, which
    # would print each warning here as well as in the parent.
    handlers, propagate = logger.handlers, logger.propagate
    logger.handlers = [collect]
    logger.propagate = False
    try:
        return function(*args), collect.records
    finally:
        logger.handlers = handlers
        logger.propagate = propagate


def replay(records: list[LogRecord]) -> None:
    """Log again, here, what ``call_logged`` collected elsewhere."""
    for level, name, article, message in records:
        logging.getLogger(name).log(level, "%s", message, extra={"article": article})
