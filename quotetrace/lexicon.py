"""The word lists quotetrace reads from package data (``quotetrace/data/``), as one value.

Knowledge lives in data the user can see and extend; this module only loads it, into a
``Lexicon`` that is passed to everything that reads it. An edited copy of a file replaces the
bundled one when its path is given (``load_lexicon(overrides)``); the command line and
``quotetrace.run`` take those paths from the environment variables in ``OVERRIDE_ENV``. A
lexicon's ``digest`` covers every byte it was read from, and is part of the index key, so an
edited word list is never answered from records that the old one made.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from quotetrace.errors import LexiconError
from quotetrace.furniture import Furniture
from quotetrace.outlets import Outlets

T = TypeVar("T")

# Which data file each environment variable replaces with the user's edited copy.
OVERRIDE_ENV: Mapping[str, str] = {
    "cues.toml": "QUOTETRACE_CUES",
    "speakers.toml": "QUOTETRACE_SPEAKER_WORDS",
    "outlets.toml": "QUOTETRACE_OUTLETS",
    "boilerplate.toml": "QUOTETRACE_BOILERPLATE",
}


@dataclass(frozen=True)
class Cues:
    reporting: frozenset[str]
    cognition: frozenset[str]
    direct: frozenset[str]
    relay: frozenset[str]
    source_participles: frozenset[str]
    source_nouns: frozenset[str]
    according: tuple[str, ...]
    # "as X put it, ...": verbs that cue only in an aside opened by "as", with "it" for object
    as_only: frozenset[str] = frozenset()
    # "go" -> ("on",): '"...," he went on', "shot back": verbs that cue only with their particle
    particles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # "wrote on Chirper", "said via video link": prepositions of the medium a speech verb used
    media_prepositions: frozenset[str] = frozenset()
    credits: frozenset[str] = frozenset()
    intention: frozenset[str] = frozenset()  # "vowed to rebuild ...": the infinitive is the report
    # "declined to be named": the passive infinitives of a refusal that is how one speaks, no report
    anonymity: frozenset[str] = frozenset()
    # "call" -> ("for", "on"): "called for talks", "called on both sides to talk"
    calls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    verdicts: frozenset[str] = frozenset()  # "denounced the arrests as an attack on democracy"
    # "accuse" -> ("of",): "accused the mayor of lying": the object, with its preposition
    objects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pointers: frozenset[str] = frozenset()  # "denied the report": an object that reports nothing
    # "held a briefing to say that": an occasion of speech whose cue is its verb's subject's
    occasions: frozenset[str] = frozenset()
    occasion_verbs: frozenset[str] = frozenset()  # "held", "gave": who holds the occasion speaks
    recordings: frozenset[str] = frozenset()  # "footage of X saying": X says it
    # "interview" -> ("with",): "said in an interview with X", "speaking to X": whom the speaker told
    addressing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # "asked the board to resign": the object with its infinitive is what was asked
    requests: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()  # "called on Monday for ...": "on" + a time is no "call on"
    # "deflected questions before saying ...": the cue speaks with the subject of "deflected"
    subject_prepositions: frozenset[str] = frozenset()
    title_nouns: frozenset[str] = frozenset()  # 'his book "The Long Road"': the quoted words are a title
    title_words: frozenset[str] = frozenset()  # 'a class called "Perception"', 'an essay titled "..."'
    title_makers: frozenset[str] = frozenset()  # 'author of "The Long Road"'
    # "the poll showed Ode with a lead": verbs whose object is what a document (``source_nouns``) finds
    findings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # "you know that ...", "nobody thinks ...": subjects whose belief is no one's position
    cognition_not_by: frozenset[str] = frozenset()
    # "said it takes time but added, '...'": cues that go on with the words of the one who reported
    continuing: frozenset[str] = frozenset()

    def any(self, lemma: str) -> bool:
        return lemma in self.reporting or lemma in self.cognition or lemma in self.direct

    def opening_cue(self, word: str, lemma: str) -> str | None:
        """The reporting or direct cue of a capitalised word that opens an inverted introduction
        ("Added Perlo:", "Continued Varga:"), which the tagger may read as a name's first word
        (its lemma then the word itself): the lemma, or the word less a past or present ending."""
        if not word.istitle():
            return None
        lemma = lemma.lower()
        return lemma if lemma in self.reporting or lemma in self.direct else self.inflected_cue(word.lower())

    def inflected_cue(self, word: str) -> str | None:
        """The reporting or direct cue a lower-case word is, as it stands or less a past or
        present ending ("added", "jokes", "replies")."""
        stems = (word, word[:-3] + "y") if word.endswith("ies") else (word,)
        for cue in (*stems, word[:-2], word[:-1]):
            if cue and (cue in self.reporting or cue in self.direct):
                return cue
        return None


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
    issuing_verbs: frozenset[str]
    partitive_nouns: frozenset[str]
    wrapper_nouns: frozenset[str]
    headline_labels: frozenset[str]
    pronouns: dict[str, frozenset[str]]  # group -> pronouns
    media_nouns: frozenset[str] = frozenset()
    organization_name_words: frozenset[str] = frozenset()
    turn_labels: frozenset[str] = frozenset()
    qa_labels: dict[str, str] = field(default_factory=dict)  # "q" -> "questioner", "a" -> "interviewee"
    qa_answer_labels: frozenset[str] = frozenset()  # "a": turns by the person the page introduces
    role_verbs: dict[str, str] = field(default_factory=dict)  # "head" -> "head": "who heads X"
    shared_media_nouns: frozenset[str] = frozenset()
    media_qualifiers: frozenset[str] = frozenset()
    generic_organization_nouns: frozenset[str] = frozenset()  # "company": any organization may be it
    venue_nouns: frozenset[str] = frozenset()  # "court": "court documents" are not the court's
    demonym_endings: frozenset[str] = frozenset()  # "Lanrovia" + "n": "the Lanrovian leader"
    past_role_words: frozenset[str] = frozenset()  # "the ex-wife" is not the wife
    male_nouns: frozenset[str] = frozenset()  # "a man who ...": "he"
    female_nouns: frozenset[str] = frozenset()
    nonperson_sources: frozenset[str] = frozenset()  # "a poll said": no "he" or "she"

    def names_media(self, words: Sequence[str], head: str | None = None) -> bool:
        """The words name news media by their kind ("state TV", "a news agency"; ``head`` the
        phrase's head, else its last word), not a body that shares the noun ("the UN agency")."""
        head = head if head is not None else (words[-1] if words else "")
        if head not in self.media_nouns and head not in self.outlet_nouns:
            return False
        return head not in self.shared_media_nouns or bool(self.media_qualifiers & set(words))

    def same_place(self, word: str, other: str) -> bool:
        """One of the two words is the people's word of the place the other names ("lanrovian",
        "lanrovia"): a long shared start, the place's last vowel or "y" (or "en": "Sweden") dropped
        or none, and an ending from ``demonym_endings``. Lower-cased words; a plural is no
        people's word ("veterans" / "veteran")."""
        if word == other:
            return True
        for people, place in ((word, other), (other, word)):
            for cut in (0, 1, 2):
                stem, dropped = place[:len(place) - cut], place[len(place) - cut:]
                if cut and not (dropped in ("en",) or all(c in "aeiouy" for c in dropped)):
                    continue
                if len(stem) >= 4 and people.startswith(stem) and people[len(stem):] in self.demonym_endings:
                    return True
        return False

    def pronoun_group(self, word: str) -> str | None:
        w = word.lower()
        for group, words in self.pronouns.items():
            if w in words:
                return group
        return None


def _cues(data: Mapping[str, Any]) -> Cues:
    listed = lambda section, key: frozenset(w.lower() for w in data.get(section, {}).get(key, []))
    lemmas = lambda section: listed(section, "lemmas")
    return Cues(
        reporting=lemmas("reporting"),
        cognition=lemmas("cognition") - lemmas("reporting"),
        direct=lemmas("direct") - lemmas("reporting"),
        relay=lemmas("relay"),
        source_participles=lemmas("source_participles"),
        source_nouns=lemmas("source_nouns"),
        according=tuple(data.get("phrases", {}).get("according", [])),
        as_only=listed("phrases", "as_only"),
        particles=_preposition_table(data.get("particles", {})),
        media_prepositions=listed("phrases", "media_prepositions"),
        credits=lemmas("credits"),
        intention=lemmas("intention"),
        anonymity=listed("intention", "anonymity"),
        calls=_preposition_table(data.get("calls", {})),
        verdicts=lemmas("verdicts"),
        objects=_preposition_table(data.get("objects", {})),
        pointers=lemmas("pointers"),
        occasions=lemmas("occasions"),
        occasion_verbs=listed("occasions", "verbs"),
        recordings=listed("recordings", "nouns"),
        addressing=_preposition_table(data.get("addressing", {})),
        requests=lemmas("requests"),
        times=lemmas("times"),
        subject_prepositions=listed("shared_subject", "prepositions"),
        title_nouns=listed("titles", "nouns"),
        title_words=listed("titles", "words"),
        title_makers=listed("titles", "makers"),
        findings=_preposition_table(data.get("findings", {})),
        cognition_not_by=listed("cognition", "not_by"),
        continuing=lemmas("continuing"),
    )


def _preposition_table(table: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """``verb = "for"`` or ``verb = ["of", "for"]`` (or ``[]``): each verb's prepositions."""
    return {k.lower(): tuple(p.lower() for p in ([v] if isinstance(v, str) else v)) for k, v in table.items()}


def _speaker_words(data: Mapping[str, Any]) -> SpeakerWords:
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
        issuing_verbs=low("issuing_verbs"),
        partitive_nouns=low("partitive_nouns"),
        wrapper_nouns=low("wrapper_nouns"),
        # "Editor’s note" as typeset: each label with a typographic apostrophe too
        headline_labels=low("headline_labels") | {w.replace("'", "’") for w in low("headline_labels")},
        pronouns={k: frozenset(v) for k, v in data.get("pronouns", {}).items()},
        media_nouns=low("media_nouns"),
        organization_name_words=low("organization_name_words"),
        turn_labels=low("turn_labels"),
        qa_labels={k.lower(): str(v).lower() for k, v in data.get("qa_labels", {}).items()},
        qa_answer_labels=low("qa_answer_labels"),
        role_verbs={k.lower(): str(v).lower() for k, v in data.get("role_verbs", {}).items()},
        shared_media_nouns=low("shared_media_nouns"),
        media_qualifiers=low("media_qualifiers"),
        generic_organization_nouns=low("generic_organization_nouns"),
        venue_nouns=low("venue_nouns"),
        demonym_endings=low("demonym_endings"),
        past_role_words=low("past_role_words"),
        male_nouns=low("male_nouns"),
        female_nouns=low("female_nouns"),
        nonperson_sources=low("nonperson_sources"),
    )


def _first_name_genders(text: str) -> dict[str, str]:
    """First name -> ``male``/``female`` where census data shows a clear majority."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        name, gender = line.split("\t", 1)
        out[name.strip().lower()] = "male" if gender.strip() == "m" else "female"
    return out


@dataclass(frozen=True)
class Lexicon:
    """Every word list and pattern file the engine reads, loaded once and passed as a value.

    The outlet lookups, the furniture patterns and the first names are built on first use
    (their regular expressions are most of a load, and an answer from the index reads none of
    them); a user's edited copy of their file is built at once, so that its mistakes are told
    when it is loaded.

    Attributes:
        cues: Speech verbs and phrases (``cues.toml``).
        speakers: Titles, role nouns, document nouns, pronouns (``speakers.toml``).
        outlet_data: ``outlets.toml`` as parsed (``outlets`` is built from it).
        furniture_data: ``boilerplate.toml`` as parsed (``furniture`` is built from it).
        first_names_text: ``first_names.tsv`` as read (``first_names`` is built from it).
        digest: SHA-256 over the bytes of every file read: part of the index key.
        sources: Which files replaced bundled ones (data file name -> path), for messages.
    """

    cues: Cues
    speakers: SpeakerWords
    outlet_data: Mapping[str, Any] = field(repr=False)  # outlets.toml, parsed
    furniture_data: Mapping[str, Any] = field(repr=False)  # boilerplate.toml, parsed
    first_names_text: str = field(repr=False)  # first_names.tsv
    digest: str
    sources: Mapping[str, str] = field(default_factory=dict)

    @functools.cached_property
    def outlets(self) -> Outlets:
        """Known outlets and wire agencies (``outlets.toml``), with their lookups."""
        return self._built("outlets.toml", Outlets.from_data, self.outlet_data)

    @functools.cached_property
    def furniture(self) -> Furniture:
        """Page-furniture patterns and label words (``boilerplate.toml``)."""
        return self._built("boilerplate.toml", Furniture.from_data, self.furniture_data)

    @functools.cached_property
    def first_names(self) -> Mapping[str, str]:
        """First name -> gender (``first_names.tsv``)."""
        return _first_name_genders(self.first_names_text)

    def built(self) -> Lexicon:
        """This lexicon with every part built (before forking workers that share it)."""
        _ = self.outlets, self.furniture, self.first_names
        return self

    def _built(self, name: str, build: Callable[[Mapping[str, Any]], T], data: Mapping[str, Any]) -> T:
        if name not in self.sources:
            return build(data)  # the bundled file: a failure here is a bug of ours, not the user's
        try:
            return build(data)
        except (re.error, KeyError, TypeError, AttributeError) as error:
            raise LexiconError.bad_entry(self.sources[name], error) from None


def overrides_from_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The edited copies the environment names (``OVERRIDE_ENV``): data file name -> path."""
    env = os.environ if environ is None else environ
    return {name: env[var] for name, var in OVERRIDE_ENV.items() if env.get(var)}


def load_lexicon(overrides: Mapping[str, str | os.PathLike[str]] | None = None) -> Lexicon:
    """The lexicon from the bundled data files, each replaced by the copy ``overrides`` names.

    Args:
        overrides: Data file name (a key of ``OVERRIDE_ENV``) -> path of the user's copy.

    Raises:
        LexiconError: An override is missing, unreadable or not valid TOML.
    """
    given = {name: str(path) for name, path in (overrides or {}).items()}
    unknown = set(given) - set(OVERRIDE_ENV)
    if unknown:
        raise LexiconError.unknown_file(sorted(unknown)[0], sorted(OVERRIDE_ENV))
    stamps = tuple(sorted((name, path, *_stamp(path)) for name, path in given.items()))
    return _load(stamps)


def default_lexicon() -> Lexicon:
    """The bundled data files, unchanged."""
    return _load(())


def _stamp(path: str) -> tuple[int, int]:
    try:
        info = os.stat(path)
    except OSError as error:
        raise LexiconError.unreadable(path, error) from None
    return info.st_mtime_ns, info.st_size


@functools.lru_cache(maxsize=8)
def _load(stamps: tuple[tuple[str, str, int, int], ...]) -> Lexicon:
    # Keyed by each override's path, mtime and size, so an edited file is read again.
    paths = {name: path for name, path, *_ in stamps}
    digest = hashlib.sha256()
    parsed: dict[str, dict[str, Any]] = {}
    for name in OVERRIDE_ENV:
        raw = _read(name, paths.get(name))
        digest.update(name.encode() + b"\0" + raw + b"\0")
        try:
            parsed[name] = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise LexiconError.bad_file(paths.get(name, name), error) from None
    names = _read("first_names.tsv", None)
    digest.update(b"first_names.tsv\0" + names)
    lexicon = Lexicon(
        cues=_cues(parsed["cues.toml"]),
        speakers=_speaker_words(parsed["speakers.toml"]),
        outlet_data=parsed["outlets.toml"],
        furniture_data=parsed["boilerplate.toml"],
        first_names_text=names.decode("utf-8"),
        digest=digest.hexdigest(),
        sources=dict(paths),
    )
    if "outlets.toml" in paths:  # the user's own copies: their mistakes are told now
        _ = lexicon.outlets
    if "boilerplate.toml" in paths:
        _ = lexicon.furniture
    return lexicon


def _read(name: str, override: str | None) -> bytes:
    if override is None:
        return resources.files("quotetrace.data").joinpath(name).read_bytes()
    try:
        return Path(override).read_bytes()
    except OSError as error:
        raise LexiconError.unreadable(override, error) from None
