"""Hostile input, second round: nothing lost, nothing hidden, nothing hangs.

Each kind of bad input sits beside a good file; the good file loses nothing, the bad one gets one
line naming it and saying why, and the exit status says whether every input was read. Most cases
read without parsing (``read_articles``) or run the command in-process; the few that are about the
process itself (closed or full stdout, a closed pipe, closed stdin) run it in a subprocess.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from quotetrace import extraction, worklog
from quotetrace.articles import read_articles
from quotetrace.cli import app
from quotetrace.dates import parse_date
from quotetrace.errors import AliasError, InputError, SettingError
from quotetrace.extraction import article_digest, extract_texts
from quotetrace.invisible import INVISIBLE
from quotetrace.lexicon import default_lexicon
from quotetrace.marks import paragraphs
from quotetrace.metadata import _EMAIL_RE
from quotetrace.metadata import read_metadata as _read_metadata
from quotetrace.models import Article, ArticleMeta
from quotetrace.reading import MAX_BYTES_ENV, max_bytes
from quotetrace.render import clean
from quotetrace.runner import extract

LEXICON = default_lexicon()


def read_metadata(text: str) -> ArticleMeta:
    return _read_metadata(text, LEXICON.outlets, LEXICON.furniture)

GOOD = "“We will build the bridge before winter,” said Ana Ruiz, the mayor.\n"
GOOD_QUOTE = ("We will build the bridge before winter", "Ana Ruiz")
runner = CliRunner()


class Collected(logging.Handler):
    """Warnings the library logs, caught on its own logger (the command line's handler stops
    them from reaching the root logger, where caplog listens)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        article = getattr(record, "article", None)
        self.lines.append(f"{article}: {record.getMessage()}" if article else record.getMessage())


@pytest.fixture
def warned() -> Iterator[list[str]]:
    handler = Collected()
    logger = logging.getLogger("quotetrace")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One index for the module's command runs: the good file is parsed once, and runs whose other
    inputs all fail need no parse (nor spaCy) at all."""
    return str(tmp_path_factory.mktemp("hostile-db") / "index.sqlite3")


def read(paths: list[str]) -> tuple[list[Article], list[InputError]]:
    failures: list[InputError] = []
    return list(read_articles(paths, on_error=failures.append)), failures


def cli(*args: str, db: str, env: dict[str, str] | None = None):
    return runner.invoke(app, [*args, "--db", db], env={"COLUMNS": "200", **(env or {})})


def stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def good_kept(records: list[dict]) -> bool:
    return any(Path(r["article"]).name == "good.txt" and (r["text"], r["speaker"]["name"]) == GOOD_QUOTE
               for r in records)


# --- One bad input beside a good one, through the command -------------------------------------------

# name -> (files written beside good.txt, exit status, what the one stderr line names, and says)
BESIDE_GOOD = {
    "deep JSON": ({"bad.jsonl": b"[" * 100_000 + b"]" * 100_000 + b"\n"}, 1, "bad.jsonl:1", "not valid JSON"),
    "JSONL too long": ({"bad.jsonl": b'{"text": "' + b"x" * 5000 + b'"}\n'}, 1, "bad.jsonl:1", "larger than the limit"),
    "text file too long": ({"big.txt": b"x" * 5000}, 1, "big.txt", "QUOTETRACE_MAX_FILE_SIZE"),
    "sidecar header misspelled": ({"metadata.csv": b"flie,outlet\nother.txt,The Daily\n"}, 1, "metadata.csv",
                                  '"flie" is not "file"'),
    "sidecar field past csv's limit": ({"metadata.csv": b'file,title\nother.txt,"' + b"t" * 200_000 + b'"\n'}, 1,
                                       "metadata.csv", "line 2: field larger than field limit"),
    "sidecar quoting broken": ({"metadata.csv": b'file,outlet\nother.txt,"The "Daily"\n'}, 1, "metadata.csv",
                               "line 2: ',' expected after '\"'"),
    "sidecar column misspelled": ({"metadata.csv": b"file,outlte\nother.txt,The Daily\n"}, 0, "metadata.csv:1",
                                  'did you mean "outlet"'),
    "sidecar row given twice": ({"metadata.csv": b"file,outlet\nother.txt,A\nother.txt,B\n"}, 0, "metadata.csv:3",
                                "also on line 2"),
    "sidecar not UTF-8": ({"metadata.csv": b"file,outlet\nother.txt,Caf\xe9 Press\n"}, 0, "metadata.csv",
                          "cp1252"),
    "sidecar date not a date": ({"metadata.csv": b"file,published\nother.txt,soon\n"}, 0, "metadata.csv:2",
                                '"soon" is not a date'),
}


@pytest.mark.parametrize("case", sorted(BESIDE_GOOD))
def test_one_bad_input_is_one_line_and_the_good_file_loses_nothing(tmp_path: Path, shared_db: str, case: str) -> None:
    files, status, names, says = BESIDE_GOOD[case]
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    limit = {MAX_BYTES_ENV: "4000"} if "too long" in case else {}
    result = cli("list", str(tmp_path), "-f", "json", "--no-link", db=shared_db, env=limit)
    lines = stderr_lines(result)
    assert result.exit_code == status, result.stderr
    assert len(lines) == 1 and names in lines[0] and says in lines[0], lines
    assert lines[0].startswith("quotetrace: warning: ")
    assert "Traceback" not in result.stderr
    assert good_kept(json.loads(result.stdout))


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "link to /dev/null"])
def test_only_regular_files_are_read_from_a_folder(tmp_path: Path, shared_db: str, kind: str) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    odd = tmp_path / "odd.txt"
    if kind == "fifo":
        os.mkfifo(odd)  # opening it would wait for a writer forever
    else:
        odd.symlink_to(kind.removeprefix("link to "))
    result = cli("list", str(tmp_path), "-f", "json", "--no-link", db=shared_db)
    assert result.exit_code == 1
    assert stderr_lines(result) == [f"quotetrace: warning: {odd}: not a regular file (a FIFO, device or socket); "
                                    "not read"]
    assert good_kept(json.loads(result.stdout))


def test_a_folder_named_several_ways_is_read_once(tmp_path: Path, shared_db: str, monkeypatch) -> None:
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("list", "dir", "dir/", "./dir", str(folder), "dir/good.txt", "-f", "json", "--no-link", db=shared_db)
    assert result.exit_code == 0, result.stderr
    assert [r["article"] for r in json.loads(result.stdout)] == ["dir/good.txt"]
    speakers = cli("speakers", "dir", "./dir/", "-f", "json", db=shared_db)
    assert [(s["name"], s["quote_count"], s["article_count"]) for s in json.loads(speakers.stdout)] == [("Ana Ruiz", 1, 1)]


@pytest.mark.parametrize(("value", "expected"), [
    ("", 64 * 1024 * 1024), ("500000", 500_000), ("10K", 10 * 1024), ("200M", 200 * 1024**2), ("1g", 1024**3),
    ("2 MB", 2 * 1024**2),
])
def test_the_size_limit_is_read_from_the_environment(monkeypatch, value: str, expected: int) -> None:
    monkeypatch.setenv(MAX_BYTES_ENV, value)
    assert max_bytes() == expected


@pytest.mark.parametrize("value", ["ten", "-5", "0", "5 T", "1.5M"])
def test_a_size_limit_that_is_not_a_size_is_one_error(monkeypatch, tmp_path: Path, shared_db: str, value: str) -> None:
    monkeypatch.setenv(MAX_BYTES_ENV, value)
    with pytest.raises(SettingError):
        max_bytes()
    result = cli("list", str(tmp_path), db=shared_db, env={MAX_BYTES_ENV: value})
    assert result.exit_code == 1 and len(stderr_lines(result)) == 1 and MAX_BYTES_ENV in result.stderr


# --- Decoding, JSONL, dates, sidecar: read without parsing ----------------------------------------

# bytes of one file -> (what each article's text is, the warnings)
DECODED = {
    "stray byte in UTF-8 text": ("a.txt", "Caf\u00e9 \u201cok\u201d ".encode() + b"\xff here",
                                 ["Caf\u00e9 \u201cok\u201d \ufffd here"], ["a.txt: not valid UTF-8: 1 stray bytes"]),
    "cp1252 text": ("a.txt", b"caf\xe9 \x93quoted\x94", ["caf\u00e9 \u201cquoted\u201d"], ["a.txt: not UTF-8: read as"]),
    "one bad JSONL line": ("a.jsonl", b'{"text": "Caf\xc3\xa9 one"}\n{"text": "caf\xe9 two"}\n',
                           ["Caf\u00e9 one", "caf\u00e9 two"], ["a.jsonl:2: not UTF-8: read as"]),
    "lone surrogate": ("a.jsonl", b'{"text": "\\ud800 one"}\n{"text": "two \\ud83d\\ude00"}\n',
                       ["\ufffd one", "two \U0001f600"], ["a.jsonl:1: lone surrogate escapes"]),
    "raw CR as JSON white space": ("a.jsonl", b'{"text":\r"one",\r"title": "T"}\r\n{"text": "two"}\n',
                                   ["one", "two"], []),
    "U+2028 in a JSONL string": ("a.jsonl", '{"text": "one\u2028two\x85three"}\n'.encode(),
                                 ["one\u2028two\x85three"], []),
    "UTF-8 BOM on JSONL": ("a.jsonl", b'\xef\xbb\xbf{"text": "one"}\n', ["one"], []),
    "UTF-16 JSONL": ("a.jsonl", '{"text": "one"}\n{"text": "two"}\n'.encode("utf-16"), ["one", "two"], []),
}


@pytest.mark.parametrize("case", sorted(DECODED))
def test_decoding_is_per_line_and_every_fallback_is_warned(tmp_path: Path, warned: list[str], case: str) -> None:
    name, data, texts, warnings = DECODED[case]
    (tmp_path / name).write_bytes(data)
    found, failures = read([str(tmp_path)])
    assert failures == []
    assert [a.text for a in found] == texts
    assert len(warned) == len(warnings)
    for line, expected in zip(warned, warnings):
        assert line.startswith(f"{tmp_path}/") and expected in line


@pytest.mark.parametrize(("given", "published", "warned_about"), [
    ("2019-06-28", "2019-06-28", False),
    ("June 28, 2019", "2019-06-28", False),
    ("28 June 2019", "2019-06-28", False),
    ("2019-06-28T10:30:00+09:00", "2019-06-28", False),
    ("soon", None, True),
    ("2019-13-45", None, True),
    ("June 2019", None, True),
    ("", None, False),
])
def test_given_dates_are_iso_or_rejected_with_a_warning(tmp_path: Path, warned: list[str], given: str,
                                                        published: str | None, warned_about: bool) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "Text.", "published": given}) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(f'file,published\nb.txt,"{given}"\n', encoding="utf-8")
    (jsonl, text), failures = read([str(tmp_path)])
    assert failures == [] and jsonl.meta.published == published and text.meta.published == published
    assert len(warned) == (2 if warned_about else 0)
    assert all(given in line and "is not a date" in line for line in warned)


@pytest.mark.parametrize(("value", "iso"), [
    ("2019-06-28", "2019-06-28"), ("Fri, 28 June 2019", "2019-06-28"), ("Sept. 3, 2021", "2021-09-03"),
    ("20190628", "2019-06-28"), ("31 June 2019", None), ("yesterday", None), ("2019", None),
    ("June 28, 2019 and July 1, 2019", None), ("x" * 10_000, None),
])
def test_parse_date(value: str, iso: str | None) -> None:
    assert parse_date(value) == iso


def test_the_first_appearance_is_by_date_not_by_text(tmp_path: Path, shared_db: str) -> None:
    # As text, "June 28, 2019" sorts after "2019-07-01"; as a date it is earlier.
    quote = "“The bridge will open before winter,” said Ana Ruiz."
    lines = [{"text": quote, "outlet": "Later Daily", "published": "2019-07-01"},
             {"text": quote + " ", "outlet": "Early Times", "published": "June 28, 2019"}]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = cli("claims", str(tmp_path), "-f", "json", db=shared_db)
    assert result.exit_code == 0, result.stderr
    (claim,) = json.loads(result.stdout)
    assert claim["first_appearance"]["published"] == "2019-06-28"


def test_sidecar_rows_first_kept_unknown_columns_ignored(tmp_path: Path, warned: list[str]) -> None:
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "File, Outlet ,autor\na.txt,First Press,X\na.txt,Second Press,Y\n", encoding="utf-8")
    (article,), failures = read([str(tmp_path)])
    assert failures == [] and article.meta.outlet == "First Press" and article.meta.authors == ()
    sidecar = tmp_path / "metadata.csv"
    assert warned == [f'{sidecar}:1: unknown column "autor" (did you mean "author"?) is ignored; columns are '
                      "file, outlet, published, author, title, url, original_outlet",
                      f'{sidecar}:3: "a.txt" is also on line 2; line 2 is kept']


def test_a_sidecar_edited_between_runs_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    for outlet in ("First Press", "Second Press"):
        (tmp_path / "metadata.csv").write_text(f"file,outlet\na.txt,{outlet}\n", encoding="utf-8")
        (article,), _ = read([str(tmp_path)])
        assert article.meta.outlet == outlet


# --- Aliases -------------------------------------------------------------------------------------

ALIAS_FILES = {
    "not UTF-8": (b'[aliases]\n"Jos\xe9" = "J"\n', "not UTF-8 (byte 0xe9"),
    "nested thousands deep": (b"[aliases]\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
    "nested lists": (b'[aliases]\nx = [["a"]]\n', "must be given a name or a list of names"),
    "a table for a value": (b'[aliases]\nx = {y = "a"}\n', "must be given a name or a list of names"),
}


@pytest.mark.parametrize("case", sorted(ALIAS_FILES))
def test_a_bad_aliases_file_is_one_line(tmp_path: Path, shared_db: str, case: str) -> None:
    data, says = ALIAS_FILES[case]
    (tmp_path / "aliases.toml").write_bytes(data)
    result = cli("list", str(tmp_path), "--aliases", str(tmp_path / "aliases.toml"), db=shared_db)
    assert result.exit_code == 1
    (line,) = stderr_lines(result)
    assert line.startswith("quotetrace: error: aliases file ") and says in line, line


def test_an_aliases_file_that_is_a_device_is_refused(monkeypatch) -> None:
    from quotetrace.aliases import load_aliases

    monkeypatch.setenv("QUOTETRACE_ALIASES", "/dev/zero")
    with pytest.raises(AliasError, match="not a regular file"):
        load_aliases()


# --- A failure inside spaCy costs one article -----------------------------------------------------

def _articles(*names: str) -> list[Article]:
    return [Article(path=name, text=name, meta=ArticleMeta()) for name in names]


def extract_raw(articles, nlp):  # type: ignore[no-untyped-def]
    """Each article with its quotes, or the exception extraction raised on it."""
    return [(r.article, r.error if r.error is not None else r.quotes)
            for r in extract_texts(articles, nlp, default_lexicon())]


def _fails_on_bad(batch, nlp, lexicon, batch_size):  # type: ignore[no-untyped-def]
    batch = list(batch)
    if any(a.path.startswith("bad") for a in batch):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
    return iter([extraction.ArticleResult(a, []) for a in batch])


@pytest.mark.parametrize(("names", "batch_size"), [
    (("bad", "a", "b"), 2),
    (("a", "bad", "b"), 2),
    (("a", "b", "bad"), 32),
    (("a", "bad1", "b", "bad2", "c"), 1),
    (("a", "b", "c"), 2),
])
def test_a_batch_that_raises_is_read_again_one_by_one(names: tuple[str, ...], batch_size: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction, "_extract_batch", _fails_on_bad)
    results = list(extract_texts(_articles(*names), None, default_lexicon(), batch_size))
    assert [r.article.path for r in results] == list(names)
    assert [r.error is not None for r in results] == [n.startswith("bad") for n in names]


def test_a_text_spacy_cannot_take_fails_alone(nlp) -> None:
    texts = ["“One stands,” said Ana Ruiz.", "\ud800 “Two stands,” said Bo Li.", "“Three stands,” said Cy Do."]
    arts = [Article(path=f"a{i}", text=t, meta=ArticleMeta()) for i, t in enumerate(texts)]
    results = list(extract_raw(arts, nlp))
    assert isinstance(results[1][1], Exception)
    assert [[q.text for q in r] for _, r in (results[0], results[2])] == [["One stands"], ["Three stands"]]


# --- What the terminal sees, and what JSON keeps -----------------------------------------------------

@pytest.mark.parametrize(("text", "shown"), [
    ("John\u202e Smith", "John\\u202e Smith"),
    ("Mary\u200bJones", "Mary\\u200bJones"),
    ("a\u2066b\u2069c", "a\\u2066b\\u2069c"),
    ("\ufeffhead", "\\ufeffhead"),
    ("tag\U000e0041", "tag\\U000e0041"),
    ("lone \ud800", "lone \\ud800"),
    ("line\u2028break\x85next", "line break next"),
    ("plain café 日本", "plain café 日本"),
])
def test_clean_escapes_what_a_terminal_would_hide(text: str, shown: str) -> None:
    assert clean(text) == shown


def test_every_format_character_is_escaped() -> None:
    format_chars = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert [c for c in format_chars if not INVISIBLE.fullmatch(c)] == []


@pytest.mark.parametrize(("written", "name"), [
    ("John\u202e Smith", "John Smith"),
    ("Mary\u200bJones", "Mary Jones"),
    ("Lee\u2067 Min-ho", "Lee Min-ho"),
    ("Lee\u2067Min-ho", "Lee Min-ho"),
    ("Ana Ruiz\u200f", "Ana Ruiz"),
    ("Ana Ruiz", "Ana Ruiz"),
    # The control becomes a second space, and spaCy's entity recogniser does not always see one
    # person across two spaces ("Ana  Ruiz" alone gives "Ruiz" too).
    pytest.param("Ana\u202e Ruiz", "Ana Ruiz", marks=pytest.mark.xfail(strict=True, reason="two spaces split the name")),
])
def test_format_characters_stay_out_of_names_and_offsets_stay_exact(nlp, written: str, name: str) -> None:
    text = f"“We will build the bridge,” said {written}, the mayor.\n"
    ((_, quotes),) = list(extract_raw([Article(path="a", text=text, meta=ArticleMeta())], nlp))
    (quote,) = quotes
    assert quote.speaker.name == name
    mention = quote.speaker.mention
    assert text[mention.start:mention.end] == mention.text
    assert text[quote.start:quote.end] == quote.text
    assert quote.id.startswith(article_digest(text, ArticleMeta()) + "-")  # the id of the text as read


def test_table_escapes_json_keeps_exact(tmp_path: Path, shared_db: str) -> None:
    name = "bidi\u202etxt.txt"
    (tmp_path / name).write_text("“We said \u202eno,” said John\u202e Smith.\n", encoding="utf-8")
    table = cli("list", str(tmp_path), db=shared_db)
    assert table.exit_code == 0, table.stderr
    assert "\u202e" not in table.stdout and "\\u202e" in table.stdout and "John Smith" in table.stdout
    (record,) = json.loads(cli("list", str(tmp_path), "-f", "json", db=shared_db).stdout)
    assert record["text"] == "We said \u202eno" and record["article"].endswith(name)
    warned = cli("list", str(tmp_path / "missing\u202e.txt"), db=shared_db)
    assert "\u202e" not in warned.stderr and "missing\\u202e.txt" in warned.stderr


@pytest.mark.parametrize("columns", ["20", "0", "45", "200"])
@pytest.mark.parametrize("command", ["list", "speakers", "claims"])
def test_narrow_terminals_still_show_speaker_and_quote(tmp_path: Path, shared_db: str, command: str,
                                                       columns: str) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = cli(command, str(tmp_path), db=shared_db, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    shown = result.stdout.replace("│", " ").split()
    words = ["Ana", "Ruiz"] + (GOOD_QUOTE[0].split() if command != "speakers" else [])
    assert all(any(word in part for part in shown) for word in words), result.stdout


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
def test_a_line_separator_inside_a_quote_does_not_split_it(nlp, separator: str) -> None:
    text = f"“We will build{separator}the bridge,” said Ana Ruiz.\nAnd more.\n"
    assert [(p.start, p.end) for p in paragraphs(text)] == [(0, text.index("\n")), (text.index("\n") + 1, len(text) - 1)]
    (quote,) = extract(text, nlp=nlp)
    assert quote.text == f"We will build{separator}the bridge" and quote.speaker.name == "Ana Ruiz"


# --- Worker warnings, long tokens ---------------------------------------------------------------------

def _warns_about(path: str) -> int:
    logging.getLogger("quotetrace.marks").warning("unpaired closing quotation mark at offset %d", 7,
                                                  extra={"article": path})
    return 42


def test_worker_warnings_come_back_with_their_article(warned: list[str]) -> None:
    result, records = worklog.call_logged(_warns_about, "dir/a.txt")
    assert result == 42
    assert records == [(logging.WARNING, "quotetrace.marks", "dir/a.txt", "unpaired closing quotation mark at offset 7")]
    warned.clear()
    worklog.replay(records)
    assert warned == ["dir/a.txt: unpaired closing quotation mark at offset 7"]


@pytest.mark.parametrize(("line", "address"), [
    ("By Jane Doe (jdoe@example.com)", "jdoe@example.com"),
    ("mail first.last+tag@news.example.co.uk now", "first.last+tag@news.example.co.uk"),
    ("x" * 5000 + " a@b.org", "a@b.org"),
    ("x" * 5000, None),
    ("ab.cd-ef", None),
])
def test_addresses_are_found_from_the_start_of_a_word_only(line: str, address: str | None) -> None:
    found = _EMAIL_RE.search(line)
    assert (found.group() if found else None) == address


def test_a_long_token_reads_the_same_metadata() -> None:
    head = "By Jane Doe (jdoe@example.com)\n\n"
    assert read_metadata(head + "“We will " + "x" * 20_000 + " win,” said Ana Ruiz.\n").authors == ("Jane Doe",)


# --- The process: stdout closed, full or a closed pipe; stdin closed ---------------------------------

def process(args: list[str], db: str, **streams) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "100", "QUOTETRACE_DB": db}
    return subprocess.run([sys.executable, "-m", "quotetrace", *args], env=env, capture_output="stdout" not in streams,
                          stderr=subprocess.PIPE if "stdout" in streams else None, timeout=600, **streams)


@pytest.fixture(scope="module")
def good_folder(tmp_path_factory: pytest.TempPathFactory, shared_db: str) -> str:
    folder = tmp_path_factory.mktemp("good")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    assert process(["ingest", str(folder)], shared_db).returncode == 0  # later runs need no parse
    return str(folder)


COMMANDS = {
    "list": ["list", "{folder}"], "list json": ["list", "{folder}", "-f", "json"],
    "list jsonl": ["list", "{folder}", "-f", "jsonl"], "claims": ["claims", "{folder}"],
    "speakers": ["speakers", "{folder}"], "chain": ["chain", "bridge", "{folder}"],
    "ingest": ["ingest", "{folder}"], "schema": ["schema"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_reader_that_went_away_ends_every_command_quietly(good_folder: str, shared_db: str, command: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `| head` does once it has read enough
    try:
        proc = process([a.format(folder=good_folder) for a in COMMANDS[command]], shared_db, stdout=write_end)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (0, b"")


@pytest.mark.parametrize("command", ["list", "list json", "list jsonl", "schema"])
def test_a_full_or_closed_stdout_is_one_line(good_folder: str, shared_db: str, command: str) -> None:
    args = [a.format(folder=good_folder) for a in COMMANDS[command]]
    with open("/dev/full", "w") as full:
        proc = process(args, shared_db, stdout=full)
    assert proc.returncode == 1
    assert proc.stderr.decode().splitlines() == ["quotetrace: error: cannot write the output: No space left on device"]
    closed = subprocess.run(["sh", "-c", 'exec "$0" -m quotetrace "$@" >&-', sys.executable, *args],
                            env={**os.environ, "QUOTETRACE_DB": shared_db}, capture_output=True, timeout=600)
    assert closed.returncode == 1
    assert closed.stderr.decode().splitlines() == ["quotetrace: error: standard output is closed; nothing can be written"]


def test_closed_stdin_is_one_line(shared_db: str) -> None:
    proc = subprocess.run(["sh", "-c", 'exec "$0" -m quotetrace list - -f json <&-', sys.executable],
                          env={**os.environ, "QUOTETRACE_DB": shared_db}, capture_output=True, timeout=600)
    assert proc.returncode == 1
    assert proc.stderr.decode().splitlines() == ["quotetrace: warning: -: standard input is closed"]
    assert json.loads(proc.stdout) == []


# --- Any bytes beside good files ---------------------------------------------------------------------

GOOD_FILES = {"good.txt": GOOD, "other.md": "“The vote is on Friday,” the minister told reporters.\n"}


def _records(folder: Path, nlp) -> dict[str, list[dict]]:
    found = {}
    for article, quotes in extract_raw(read_articles([str(folder)], on_error=lambda error: None), nlp):
        if Path(article.path).name in GOOD_FILES:
            found[Path(article.path).name] = [{**q.to_dict(), "article": None} for q in quotes]
    return found


@pytest.fixture(scope="module")
def good_records(tmp_path_factory: pytest.TempPathFactory, nlp) -> dict[str, list[dict]]:
    folder = tmp_path_factory.mktemp("alone")
    for name, text in GOOD_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    records = _records(folder, nlp)
    assert all(records[name] for name in GOOD_FILES)
    return records


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.sampled_from(["a.txt", "bad.jsonl", "z.md", "metadata.csv"]),
       data=st.one_of(st.binary(max_size=300), st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.lists(st.sampled_from([b'{"text": ', b'"\\ud800', b"\xff", b"\r", b"\n", b"\x00", b"\xe2\x80\xae",
                                                b'"}', b"file,outlet\n", b"good.txt", b",", b"[", b"\\u2028"]),
                               max_size=20).map(b"".join)))
def test_any_bytes_beside_good_files_leave_their_records_unchanged(tmp_path_factory, nlp, good_records, name, data) -> None:
    folder = tmp_path_factory.mktemp("beside")
    for good, text in GOOD_FILES.items():
        (folder / good).write_text(text, encoding="utf-8")
    (folder / name).write_bytes(data)
    assume(not (name == "metadata.csv" and b"good.txt" in data))  # naming a good file may rightly change it
    assert _records(folder, nlp) == good_records
