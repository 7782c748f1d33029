"""The gold format: its schema, the one-line message for each malformed gold, and reading the
gold's articles with the gold's metadata."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from quotetrace.errors import GoldError, InputError
from quotetrace.gold import gold_articles, load_gold, load_gold_schema, parse_gold

from .conftest import SHARED_EVAL

DATA = Path(__file__).parent / "data" / "eval"
GOLD_SCHEMA = Draft202012Validator(load_gold_schema())
TEXT = "Mara Quill said the ferry would run on Sundays. \"We are ready,\" Quill said.\n"
BASE: dict[str, Any] = {
    "format": "quotetrace-gold/1",
    "articles": [{"file": "a.txt", "outlet": "Lakeside Courier"}],
    "entities": [{"name": "Mara Quill", "type": "person", "aliases": ["Quill"]},
                 {"name": "Lakeside Courier", "type": "outlet"}],
    "quotes": [{"id": "q1", "file": "a.txt", "kind": "indirect", "text": "the ferry would run on Sundays",
                "speaker": "Mara Quill", "cue": "say"},
               {"id": "q2", "file": "a.txt", "kind": "direct", "text": "We are ready,", "speaker": "Mara Quill"}],
    "must_link": [["q1", "q2"]],
    "cannot_link": [],
    "chains": [{"query": "ferry", "paths": [["Mara Quill", "Lakeside Courier"]]}],
}
DROP = object()


def changed(where: str, value: Any) -> Any:
    """BASE with one value replaced (or dropped): ``where`` is a dotted path, numbers index lists."""
    data = copy.deepcopy(BASE)
    *parents, last = [int(p) if p.isdigit() else p for p in where.split(".")]
    target = data
    for part in parents:
        target = target[part]
    if value is DROP:
        del target[last]
    else:
        target[last] = value
    return data


# (gold, message after "gold g.json: ", whether the schema itself rejects it)
MALFORMED = [
    ([], "must be an object, not a list", True),
    (changed("format", DROP), 'missing "format"', True),
    (changed("format", "quotetrace-gold/2"), 'format: must be "quotetrace-gold/1", not "quotetrace-gold/2"', True),
    (changed("articles", []), "articles: must hold at least 1 item", True),
    (changed("articles.0.file", DROP), 'articles[0]: missing "file"', True),
    (changed("articles.0.outlet", 7), "articles[0].outlet: must be a string, not an integer", True),
    (changed("entities.0.type", "robot"),
     'entities[0].type: must be one of "person", "organization", "outlet", "unnamed", not "robot"', True),
    (changed("entities.0.aliases", "Quill"), "entities[0].aliases: must be a list, not a string", True),
    (changed("quotes.1.kind", "quote"), 'quotes[1].kind: must be one of "direct", "indirect", "mixed", not "quote"', True),
    (changed("quotes.0.speaker", DROP), 'quotes[0]: missing "speaker"', True),
    (changed("quotes.0.text", ""), "quotes[0].text: must not be empty", True),
    (changed("quotes.0.optional", "yes"), "quotes[0].optional: must be true or false or null, not a string", True),
    (changed("quotes.0.start", -1), "quotes[0].start: must be 0 or more, not -1", True),
    (changed("quotes.0.speaker_span", [3]), "quotes[0].speaker_span: must hold at least 2 items", True),
    (changed("must_link.0", ["q1", "q2", "q1"]), "must_link[0]: must hold at most 2 items", True),
    (changed("chains.0.query", "fe"), "chains[0].query: must be at least 3 characters", True),
    (changed("chains.0.paths.0", ["Mara Quill"]), "chains[0].paths[0]: must hold at least 2 items", True),
    # what the schema cannot say
    (changed("articles", [{"file": "a.txt"}, {"file": "a.txt"}]), 'articles[1].file: "a.txt" is named twice', False),
    (changed("articles.0.file", "sub/a.txt"), 'articles[0].file: "sub/a.txt" must be a file name, without folders',
     False),
    (changed("quotes.1.id", "q1"), 'quotes[1].id: "q1" is used twice', False),
    (changed("quotes.1.file", "b.txt"), 'quotes[1].file: "b.txt" is not one of the articles', False),
    (changed("quotes.0.speaker", "Quill"), 'quotes[0].speaker: "Quill" is not the name of an entity', False),
    (changed("quotes.1.parent", "q9"), 'quotes[1].parent: no quote has the id "q9"', False),
    (changed("must_link.0", ["q1", "q3"]), 'must_link[0][1]: no quote has the id "q3"', False),
    (changed("chains.0.paths.0", ["Mara Quill", "Courier"]),
     'chains[0].paths[0][1]: "Courier" is not the name of an entity', False),
    (changed("chains", [{"query": "ferry", "paths": [["Mara Quill", "Lakeside Courier"]]},
                        {"query": "FERRY", "paths": [["Mara Quill", "Lakeside Courier"]]}]),
     'chains[1].query: "FERRY" is asked twice', False),
]


@pytest.mark.parametrize(("data", "message", "by_schema"), MALFORMED, ids=[m for _, m, _ in MALFORMED])
def test_a_malformed_gold_is_one_line_naming_the_problem(data: Any, message: str, by_schema: bool) -> None:
    with pytest.raises(GoldError) as caught:
        parse_gold(data, "g.json")
    assert str(caught.value) == f"gold g.json: {message}"
    # the shipped schema agrees with the checker: it rejects exactly the rows it can see
    assert GOLD_SCHEMA.is_valid(data) is not by_schema


def test_the_base_gold_is_valid() -> None:
    assert GOLD_SCHEMA.is_valid(BASE)
    gold = parse_gold(BASE, "g.json")
    assert [q.id for q in gold.quotes] == ["q1", "q2"]
    assert gold.must_link == (("q1", "q2"),)
    assert gold.chains[0].paths == (("Mara Quill", "Lakeside Courier"),)


def test_a_long_bad_value_is_shortened_to_keep_one_line() -> None:
    with pytest.raises(GoldError) as caught:
        parse_gold(changed("quotes.1.kind", "x\n" * 100), "g.json")
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 160


def test_the_schema_uses_only_keywords_the_checker_reads() -> None:
    known = {"$schema", "$id", "title", "description", "type", "required", "properties", "$defs", "items",
             "minItems", "maxItems", "minLength", "minimum", "const", "enum", "$ref"}
    used: set[str] = set()

    def walk(schema: dict[str, Any]) -> None:
        used.update(schema)
        for key in ("properties", "$defs"):
            for sub in schema.get(key, {}).values():
                walk(sub)
        if isinstance(schema.get("items"), dict):
            walk(schema["items"])

    walk(load_gold_schema())
    Draft202012Validator.check_schema(load_gold_schema())
    assert used <= known


@pytest.mark.parametrize(("content", "message"), [
    (None, "gold {path}: no such file"),
    ('{"format": ', "gold {path}: not valid JSON: Expecting value: line 1 column 12 (char 11)"),
    (b"\xff\xfe{", "gold {path}: cannot read: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
])
def test_a_gold_file_that_cannot_be_read_is_one_line(tmp_path: Path, content: str | bytes | None,
                                                     message: str) -> None:
    path = tmp_path / "gold.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError) as caught:
        load_gold(path)
    assert str(caught.value) == message.format(path=path)


def write_gold(folder: Path, data: dict[str, Any], articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "gold.json").write_text(json.dumps(data), encoding="utf-8")
    return folder / "gold.json"


def test_articles_beside_the_gold_carry_its_outlet_date_and_url(tmp_path: Path) -> None:
    data = changed("articles", [{"file": "a.txt", "outlet": "Lakeside Courier", "published": "2026-01-05",
                                 "url": "https://courier.example/a"},
                                {"file": "b.txt", "event_date": "2026-01-06"}])
    path = write_gold(tmp_path, data, {"b.txt": "Nothing was said.\n", "a.txt": TEXT, "c.txt": "Not annotated.\n"})
    articles = gold_articles(load_gold(path))
    assert [Path(a.path).name for a in articles] == ["a.txt", "b.txt"]  # as a folder is read; c.txt left out
    a, b = articles
    assert (a.meta.outlet, a.meta.published, a.meta.url) == ("Lakeside Courier", "2026-01-05", "https://courier.example/a")
    assert (b.meta.outlet, b.meta.published, b.meta.url) == (None, "2026-01-06", None)


def test_paths_name_where_the_articles_are(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "gold", BASE, {})
    write_gold(tmp_path / "elsewhere" / "inner", BASE, {"a.txt": TEXT, "other.txt": "Not annotated.\n"})
    (tmp_path / "elsewhere" / "junk.txt").write_bytes(b"\0\1\2" * 400)
    unread: list[InputError] = []
    articles = gold_articles(load_gold(path), [str(tmp_path / "elsewhere")], on_error=unread.append)
    assert [Path(a.path).name for a in articles] == ["a.txt"]
    assert articles[0].meta.outlet == "Lakeside Courier"
    assert [Path(e.path).name for e in unread] == ["junk.txt"]  # not a gold article: reported, not fatal


@pytest.mark.parametrize(("data", "articles", "paths", "message"), [
    (BASE, {}, None, "gold {gold}: article a.txt is not in {folder}"),
    (BASE, {"a.txt": "Quill said nothing of the sort.\n"}, None, "gold {gold}: quotes[0].text: not found in a.txt"),
    (BASE, {"a.txt": TEXT, "sub/a.txt": TEXT}, ["{folder}"],
     "gold {gold}: article a.txt is given twice ({folder}/a.txt and {folder}/sub/a.txt); give one of them"),
    (BASE, {"b.txt": TEXT}, ["{folder}/b.txt"], "gold {gold}: article a.txt is not in {folder}/b.txt"),
])
def test_the_gold_articles_must_all_be_there(tmp_path: Path, data: dict[str, Any], articles: dict[str, str],
                                             paths: list[str] | None, message: str) -> None:
    (tmp_path / "sub").mkdir()
    gold = write_gold(tmp_path, data, articles)
    names = {"gold": gold, "folder": tmp_path}
    with pytest.raises(GoldError) as caught:
        gold_articles(load_gold(gold), [p.format(**names) for p in paths] if paths else None)
    assert str(caught.value) == message.format(**names)


def test_an_unreadable_gold_article_ends_the_run(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, BASE, {})
    (tmp_path / "a.txt").write_bytes(b"\0\1\2" * 400)
    with pytest.raises(InputError, match="binary file"):
        gold_articles(load_gold(gold))


def test_the_tests_own_gold_is_valid() -> None:
    gold = load_gold(DATA / "gold.json")
    assert GOLD_SCHEMA.is_valid(json.loads((DATA / "gold.json").read_text(encoding="utf-8")))
    assert len(gold_articles(gold)) == 3


@pytest.mark.evaluation
@pytest.mark.parametrize("name", ["seeds", "basil", "polnear"])
def test_the_shared_golds_are_valid(name: str) -> None:
    path = SHARED_EVAL / name / "gold.json"
    assert GOLD_SCHEMA.is_valid(json.loads(path.read_text(encoding="utf-8")))
    assert load_gold(path).quotes
