"""The word lists quotetrace reads from package data (``quotetrace/data/*.toml``).

Knowledge lives in data the user can see and extend; this module only loads it. Set
``QUOTETRACE_CUES`` or ``QUOTETRACE_SPEAKER_WORDS`` to the path of an edited copy to use it
instead of the bundled file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def load_data(name: str, env: str) -> dict[str, Any]:
    """A TOML data file of the package, or the user's copy named by the environment variable."""
    override = os.environ.get(env)
    if override:
        return tomllib.loads(Path(override).read_text(encoding="utf-8"))
    return tomllib.loads(resources.files("quotetrace.data").joinpath(name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Cues:
    reporting: frozenset[str]
    cognition: frozenset[str]
    direct: frozenset[str]
    relay: frozenset[str]
    source_participles: frozenset[str]
    source_nouns: frozenset[str]
    according: tuple[str, ...]

    def any(self, lemma: str) -> bool:
        return lemma in self.reporting or lemma in self.cognition or lemma in self.direct


@dataclass(frozen=True)
class SpeakerWords:
    titles: frozenset[str]
    male_titles: frozenset[str]
    female_titles: frozenset[str]
    role_synonyms: dict[str, frozenset[str]]  # word -> every word of its group
    organization_nouns: frozenset[str]
    outlet_nouns: frozenset[str]
    outlet_name_words: frozenset[str]
    unnamed_nouns: frozenset[str]
    document_nouns: frozenset[str]
    partitive_nouns: frozenset[str]
    wrapper_nouns: frozenset[str]
    headline_labels: frozenset[str]
    pronouns: dict[str, frozenset[str]]  # group -> pronouns

    def pronoun_group(self, word: str) -> str | None:
        w = word.lower()
        for group, words in self.pronouns.items():
            if w in words:
                return group
        return None


@cache
def cues() -> Cues:
    data = load_data("cues.toml", "QUOTETRACE_CUES")
    lemmas = lambda key: frozenset(w.lower() for w in data.get(key, {}).get("lemmas", []))
    return Cues(
        reporting=lemmas("reporting"),
        cognition=lemmas("cognition") - lemmas("reporting"),
        direct=lemmas("direct") - lemmas("reporting"),
        relay=lemmas("relay"),
        source_participles=lemmas("source_participles"),
        source_nouns=lemmas("source_nouns"),
        according=tuple(data.get("phrases", {}).get("according", [])),
    )


@cache
def speaker_words() -> SpeakerWords:
    data = load_data("speakers.toml", "QUOTETRACE_SPEAKER_WORDS")
    low = lambda key: frozenset(w.lower().rstrip(".") for w in data.get(key, []))
    synonyms: dict[str, frozenset[str]] = {}
    for group in data.get("role_synonyms", []):
        words = frozenset(w.lower() for w in group)
        for w in words:
            synonyms[w] = synonyms.get(w, frozenset()) | words
    return SpeakerWords(
        titles=low("titles"),
        male_titles=low("male_titles"),
        female_titles=low("female_titles"),
        role_synonyms=synonyms,
        organization_nouns=low("organization_nouns"),
        outlet_nouns=low("outlet_nouns"),
        outlet_name_words=low("outlet_name_words"),
        unnamed_nouns=low("unnamed_nouns"),
        document_nouns=low("document_nouns"),
        partitive_nouns=low("partitive_nouns"),
        wrapper_nouns=low("wrapper_nouns"),
        headline_labels=low("headline_labels"),
        pronouns={k: frozenset(v) for k, v in data.get("pronouns", {}).items()},
    )


@cache
def first_name_genders() -> dict[str, str]:
    """First name -> ``male``/``female`` where census data shows a clear majority."""
    text = resources.files("quotetrace.data").joinpath("first_names.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        name, gender = line.split("\t", 1)
        out[name.strip().lower()] = "male" if gender.strip() == "m" else "female"
    return out
