"""quotetrace: find quotes in news articles and who said them."""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from quotetrace.articles import read_articles
from quotetrace.errors import QuotetraceError
from quotetrace.models import Article, ArticleMeta, Cue, Quote, Speaker, TextSpan, Via

if TYPE_CHECKING:
    from quotetrace.extract import extract, extract_articles

__version__ = "0.1.0"

__all__ = [
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
    "read_articles",
]


class _Package(types.ModuleType):
    """``extract`` and ``extract_articles`` come from ``quotetrace.extract`` on first use.

    They import spaCy, which takes most of a second, and ``import quotetrace`` (so every command,
    ``--help`` included) should not pay for it. Properties rather than a module ``__getattr__``:
    importing the submodule ``quotetrace.extract`` sets the package attribute ``extract`` to the
    module, which would hide the function of the same name; the setter keeps the function.
    """

    @property
    def extract(self) -> Any:
        return importlib.import_module("quotetrace.extract").extract

    @extract.setter
    def extract(self, submodule: Any) -> None:
        pass  # the import system recording the submodule: the function keeps the name

    @property
    def extract_articles(self) -> Any:
        return importlib.import_module("quotetrace.extract").extract_articles


sys.modules[__name__].__class__ = _Package
