"""quotetrace: find quotes in news articles and who said them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from quotetrace.aliases import Aliases, load_aliases
from quotetrace.articles import read_articles
from quotetrace.errors import QuotetraceError
from quotetrace.models import Article, ArticleMeta, Cue, Quote, Speaker, TextSpan, Via

if TYPE_CHECKING:
    from quotetrace.runner import extract, extract_articles, run

__version__ = "0.1.0"

__all__ = [
    "Aliases",
    "Article",
    "ArticleMeta",
    "Cue",
    "Quote",
    "QuotetraceError",
    "Speaker",
    "TextSpan",
    "Via",
    "__version__",
    "extract",
    "extract_articles",
    "load_aliases",
    "read_articles",
    "run",
]


_LAZY = {"extract", "extract_articles", "run"}


def __getattr__(name: str) -> Any:
    """``run``, ``extract`` and ``extract_articles`` live in the runner, which imports the whole
    engine: loaded on first use, so that ``import quotetrace`` and every command's ``--help``
    stay fast."""
    if name in _LAZY:
        return getattr(importlib.import_module("quotetrace.runner"), name)
    raise AttributeError(f"module 'quotetrace' has no attribute {name!r}")
