"""The gold format (``quotetrace-gold/1``): a hand annotation of a folder of articles.

A gold file is one JSON object: its articles (with the outlet, date and url a run is given),
its entities (canonical names with aliases), its quotes, must-link and cannot-link pairs of
quote ids, and chain queries with the paths ``chain`` should find. Its JSON Schema ships as
``quotetrace/data/gold.schema.json``; the README describes every key.

``load_gold`` checks a file against that schema (read here, keyword by keyword, so that the
check needs no dependency and each problem is one line naming its place, ``quotes[3].kind``),
then what a schema cannot say: ids used once, quotes in named articles, speakers and chain
nodes that are entities, pairs of known quotes. ``gold_articles`` reads the gold's articles,
giving each the gold's metadata, and checks that each quote's text is in its article.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePath
from typing import Any

from quotetrace.articles import read_articles, with_metadata
from quotetrace.errors import GoldError, InputError
from quotetrace.models import Article, ArticleMeta

GOLD_SCHEMA_FILE = "gold.schema.json"
GOLD_FORMAT = "quotetrace-gold/1"
# A message quotes at most this much of a bad value: enough to recognise it, one line always.
_SHOWN_VALUE_CHARS = 60
_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_TYPE_WORDS = {"object": "an object", "array": "a list", "string": "a string", "integer": "an integer",
               "number": "a number", "boolean": "true or false", "null": "null"}


@dataclass(frozen=True)
class GoldArticle:
    """An article file of the gold, with the metadata the run is given for it."""

    file: str
    outlet: str | None = None
    published: str | None = None  # the gold's published, else its event_date
    url: str | None = None


@dataclass(frozen=True)
class GoldEntity:
    """A speaker, source or outlet: its canonical name and the other ways the text writes it."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    file: str | None = None  # an entity of this article only


@dataclass(frozen=True)
class GoldQuote:
    """One annotated quote."""

    id: str
    file: str
    kind: str
    text: str
    speaker: str | None
    cue: str | None = None
    addressee: str | None = None
    parent: str | None = None
    via: str | None = None
    optional: bool = False
    start: int | None = None
    end: int | None = None
    speaker_span: tuple[int, int] | None = None


@dataclass(frozen=True)
class GoldChain:
    """A query and the attribution paths (entity names, origin first) ``chain`` should find."""

    query: str
    paths: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Gold:
    """A gold file as loaded: ``path`` as the user named it."""

    path: str
    articles: tuple[GoldArticle, ...]
    entities: tuple[GoldEntity, ...]
    quotes: tuple[GoldQuote, ...]
    must_link: tuple[tuple[str, str], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()
    chains: tuple[GoldChain, ...] = ()

    @property
    def folder(self) -> Path:
        """Where the articles are unless the run is given other paths: beside the gold file."""
        return Path(self.path).parent


@cache
def gold_schema_text() -> str:
    """The gold format's JSON Schema (draft 2020-12), as shipped."""
    return resources.files("quotetrace.data").joinpath(GOLD_SCHEMA_FILE).read_text(encoding="utf-8")


def load_gold_schema() -> dict[str, Any]:
    """The gold schema as a dict (a fresh copy each call)."""
    return json.loads(gold_schema_text())


def load_gold(path: str | Path) -> Gold:
    """Read and check a gold file.

    Raises:
        GoldError: The file is missing, unreadable, not JSON, or not a valid gold file; the
            message names the first problem and where it is.
    """
    shown = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GoldError.not_found(shown) from None
    except (OSError, UnicodeDecodeError) as error:
        raise GoldError.unreadable(shown, error) from error
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise GoldError.bad_json(shown, error) from error
    return parse_gold(data, shown)


def parse_gold(data: Any, path: str) -> Gold:
    """A gold file's JSON value, checked, as a ``Gold`` (``path`` names it in messages).

    Raises:
        GoldError: The first problem found.
    """
    schema = load_gold_schema()
    problem = _schema_problem(data, schema, "", schema)
    if problem is not None:
        raise GoldError.invalid(path, *problem)
    gold = _build(data, path)
    problem = _consistency_problem(gold)
    if problem is not None:
        raise GoldError.invalid(path, *problem)
    return gold


def gold_articles(gold: Gold, paths: Sequence[str] | None = None,
                  on_error: Callable[[InputError], None] | None = None) -> list[Article]:
    """The gold's articles as read, each with the gold's outlet, date and url winning over what
    its text (or a ``metadata.csv``) says.

    Args:
        gold: The gold.
        paths: Files and folders that hold the gold's articles (matched by file name; other
            files are left out). By default each article is read from beside the gold file.
        on_error: Told of inputs that cannot be read and are not gold articles.

    Returns:
        The articles in file-name order (as a folder is read) when read from beside the gold,
        else in the order ``paths`` give them.

    Raises:
        GoldError: A gold article is missing, given twice, or a quote's text is not in it.
        InputError: A gold article cannot be read.
    """
    wanted = {a.file: a for a in gold.articles}
    if paths is None:
        for file in wanted:
            if not (gold.folder / file).is_file():
                raise GoldError.article_missing(gold.path, file, str(gold.folder))
        inputs = [str(gold.folder / file) for file in sorted(wanted)]
        where = str(gold.folder)
    else:
        inputs, where = list(paths), ", ".join(paths)

    def report(error: InputError) -> None:
        if PurePath(error.path).name in wanted:
            raise error
        if on_error is not None:
            on_error(error)

    found: dict[str, Article] = {}
    for article in read_articles(inputs, on_error=report):
        name = PurePath(article.path).name
        if name not in wanted:
            continue
        if name in found:
            raise GoldError.article_twice(gold.path, name, found[name].path, article.path)
        meta = wanted[name]
        found[name] = with_metadata(article, ArticleMeta(outlet=meta.outlet, published=meta.published, url=meta.url))
    for file in wanted:
        if file not in found:
            raise GoldError.article_missing(gold.path, file, where)
    problem = _text_problem(gold, {name: a.text for name, a in found.items()})
    if problem is not None:
        raise GoldError.invalid(gold.path, *problem)
    return list(found.values())


def _schema_problem(value: Any, schema: dict[str, Any], where: str,
                    root: dict[str, Any]) -> tuple[str, str] | None:
    """The first place where ``value`` breaks ``schema``, and how; None when it follows it.

    Reads the keywords the gold schema uses (a test checks that it uses no others, and that
    jsonschema agrees with every verdict in the tests' table)."""
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        problem = _schema_problem(value, target, where, root)
        if problem is not None:
            return problem
    if "const" in schema and value != schema["const"]:
        return where, f"must be {_shown(schema['const'])}, not {_shown(value)}"
    if "enum" in schema and value not in schema["enum"]:
        return where, f"must be one of {', '.join(map(_shown, schema['enum']))}, not {_shown(value)}"
    if "type" in schema:
        types = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        if not any(_JSON_TYPES[t](value) for t in types):
            wanted = " or ".join(_TYPE_WORDS[t] for t in types)
            return where, f"must be {wanted}, not {_kind_of(value)}"
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        return where, "must not be empty" if schema["minLength"] == 1 else \
            f"must be at least {schema['minLength']} characters"
    if _JSON_TYPES["number"](value) and value < schema.get("minimum", value):
        return where, f"must be {schema['minimum']} or more, not {value}"
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                return where, f'missing "{key}"'
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                problem = _schema_problem(value[key], sub, f"{where}.{key}" if where else key, root)
                if problem is not None:
                    return problem
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return where, f"must hold at least {schema['minItems']} item{'s' if schema['minItems'] > 1 else ''}"
        if len(value) > schema.get("maxItems", len(value)):
            return where, f"must hold at most {schema['maxItems']} items"
        if "items" in schema:
            for i, item in enumerate(value):
                problem = _schema_problem(item, schema["items"], f"{where}[{i}]", root)
                if problem is not None:
                    return problem
    return None


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN_VALUE_CHARS else text[: _SHOWN_VALUE_CHARS - 1] + "…"


def _kind_of(value: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _JSON_TYPES[name](value):
            return _TYPE_WORDS[name]
    return type(value).__name__


def _build(data: dict[str, Any], path: str) -> Gold:
    """A schema-valid gold file as records."""
    articles = tuple(GoldArticle(a["file"], a.get("outlet") or None, a.get("published") or a.get("event_date") or None,
                                 a.get("url") or None) for a in data["articles"])
    entities = tuple(GoldEntity(e["name"], e["type"], tuple(e.get("aliases", ())), e.get("file"))
                     for e in data["entities"])
    quotes = tuple(GoldQuote(
        id=q["id"], file=q["file"], kind=q["kind"], text=q["text"], speaker=q["speaker"], cue=q.get("cue"),
        addressee=q.get("addressee"), parent=q.get("parent"), via=q.get("via"), optional=bool(q.get("optional")),
        start=q.get("start"), end=q.get("end"),
        speaker_span=(q["speaker_span"][0], q["speaker_span"][1]) if "speaker_span" in q else None,
    ) for q in data["quotes"])
    return Gold(
        path=path, articles=articles, entities=entities, quotes=quotes,
        must_link=tuple((a, b) for a, b in data.get("must_link", ())),
        cannot_link=tuple((a, b) for a, b in data.get("cannot_link", ())),
        chains=tuple(GoldChain(c["query"], tuple(tuple(p) for p in c["paths"])) for c in data.get("chains", ())),
    )


def _consistency_problem(gold: Gold) -> tuple[str, str] | None:
    """What the schema cannot check: each name and id refers to something that is there."""
    files: set[str] = set()
    for i, article in enumerate(gold.articles):
        if article.file in files:
            return f"articles[{i}].file", f"{_shown(article.file)} is named twice"
        # articles are found, and predictions matched to them, by file name alone
        if PurePath(article.file).name != article.file:
            return f"articles[{i}].file", f"{_shown(article.file)} must be a file name, without folders"
        files.add(article.file)
    names = {e.name for e in gold.entities}
    ids: set[str] = set()
    for i, q in enumerate(gold.quotes):
        if q.id in ids:
            return f"quotes[{i}].id", f"{_shown(q.id)} is used twice"
        ids.add(q.id)
        if q.file not in files:
            return f"quotes[{i}].file", f"{_shown(q.file)} is not one of the articles"
        if q.speaker is not None and q.speaker not in names:
            return f"quotes[{i}].speaker", f"{_shown(q.speaker)} is not the name of an entity"
    for i, q in enumerate(gold.quotes):
        if q.parent is not None and q.parent not in ids:
            return f"quotes[{i}].parent", f"no quote has the id {_shown(q.parent)}"
    for key, pairs in (("must_link", gold.must_link), ("cannot_link", gold.cannot_link)):
        for i, pair in enumerate(pairs):
            for j, quote_id in enumerate(pair):
                if quote_id not in ids:
                    return f"{key}[{i}][{j}]", f"no quote has the id {_shown(quote_id)}"
    queries: set[str] = set()
    for i, chain in enumerate(gold.chains):
        # queries are matched without regard to case
        if chain.query.lower() in queries:
            return f"chains[{i}].query", f"{_shown(chain.query)} is asked twice"
        queries.add(chain.query.lower())
        for j, path in enumerate(chain.paths):
            for k, node in enumerate(path):
                if node not in names:
                    return f"chains[{i}].paths[{j}][{k}]", f"{_shown(node)} is not the name of an entity"
    return None


def _text_problem(gold: Gold, texts: dict[str, str]) -> tuple[str, str] | None:
    for i, q in enumerate(gold.quotes):
        if q.text not in texts[q.file]:
            return f"quotes[{i}].text", f"not found in {q.file}"
    return None
