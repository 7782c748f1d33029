"""Reading articles: decoding, folders, JSONL, stdin, HTML, and failures that never stop a run."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotetrace import articles
from quotetrace.articles import corpus_dir, decode, default_corpus_paths, read_articles
from quotetrace.errors import InputError
from quotetrace.models import ArticleMeta

from .conftest import SHARED_EVAL


def read(paths: list[str]) -> tuple[list, list[InputError]]:
    failures: list[InputError] = []
    found = list(read_articles(paths, on_error=failures.append))
    return found, failures


@pytest.mark.parametrize(
    ("data", "text"),
    [
        pytest.param("He said “yes”.".encode(), "He said “yes”.", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + "“Oui”, dit-il.".encode(), "“Oui”, dit-il.", id="utf-8 bom dropped"),
        pytest.param("“Ja”, sagte er.".encode("utf-16"), "“Ja”, sagte er.", id="utf-16 with bom"),
        pytest.param(codecs.BOM_UTF16_BE + "“Sí”".encode("utf-16-be"), "“Sí”", id="utf-16 big-endian"),
        pytest.param("“Да”".encode("utf-32"), "“Да”", id="utf-32 with bom"),
        pytest.param(b"caf\xe9 \x93quoted\x94", "café “quoted”", id="cp1252 fallback"),
        pytest.param(b"line one\r\nline two\rline three", "line one\nline two\nline three", id="line endings"),
    ],
)
def test_decode(data: bytes, text: str) -> None:
    assert decode(data, "a.txt") == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", id="binary"),
        pytest.param(b"", "empty file", id="empty"),
        pytest.param(b" \n\t\r\n ", "empty file", id="whitespace only"),
        pytest.param(codecs.BOM_UTF8 + b"\n", "empty file", id="bom only"),
    ],
)
def test_decode_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        decode(data, "x.txt")
    assert caught.value.reason == reason
    assert caught.value.path == "x.txt"


@given(
    text=st.text(st.characters(codec="utf-8", exclude_characters="\0\ufeff")),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
)
def test_decoded_text_is_what_python_text_mode_reads(text: str, encoding: str) -> None:
    # Offsets index the decoded text: it must be what open(path, encoding=...).read() gives.
    data = text.encode(encoding)
    expected = io.TextIOWrapper(io.BytesIO(data), encoding=encoding).read()
    if expected.strip():
        assert decode(data, "t.txt") == expected
    else:
        with pytest.raises(InputError):
            decode(data, "t.txt")


def test_bad_files_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text("“We will win,” said the mayor.", encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_good.md").write_text("The minister said the plan would work.", encoding="utf-8")
    found, failures = read([str(tmp_path), str(tmp_path / "missing.txt")])
    assert [Path(a.path).name for a in found] == ["a_good.txt", "d_good.md"]
    assert [(Path(f.path).name, f.reason) for f in failures] == [
        ("b_binary.txt", "binary file"),
        ("c_empty.txt", "empty file"),
        ("missing.txt", "no such file or folder"),
    ]


def test_folder_is_read_recursively_sorted_without_hidden_or_other_files(tmp_path: Path) -> None:
    names = ["b.txt", "a.md", "sub/c.txt", "sub/deeper/d.text", ".hidden.txt", ".git/e.txt", "gold.json", "pic.png"]
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Text of {name}.", encoding="utf-8")
    given_folder = str(tmp_path) + "/"
    found, failures = read([given_folder])
    assert failures == []
    # Paths keep the folder as the user wrote it.
    expected = ["a.md", "b.txt", "sub/c.txt", "sub/deeper/d.text"]
    assert [a.path for a in found] == [given_folder + relative for relative in expected]
    assert found[2].text == "Text of sub/c.txt."


def test_a_file_named_explicitly_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    path = tmp_path / "notes.log"
    path.write_text("She said it was fine.", encoding="utf-8")
    found, failures = read([str(path)])
    assert failures == []
    assert [(a.path, a.text) for a in found] == [(str(path), "She said it was fine.")]


def test_jsonl_one_article_a_line_with_given_metadata(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": "“Yes,” he said.", "outlet": "The Daily", "author": "A. Writer", "url": "https://x.test/1",
                    "published": "2020-01-02", "title": "Yes"}),
        "",
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Second article.", "author": ["B. One", "C. Two"]}),
        json.dumps({"text": "Third.", "outlet": 7}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found, failures = read([str(path)])
    assert [a.path for a in found] == [f"{path}:1", f"{path}:5"]
    first = found[0]
    assert first.text == "“Yes,” he said."
    assert (first.meta.outlet, first.meta.authors, first.meta.url, first.meta.published, first.meta.title) == (
        "The Daily", ("A. Writer",), "https://x.test/1", "2020-01-02", "Yes")
    assert found[1].meta.authors == ("B. One", "C. Two")
    assert [f.path for f in failures] == [f"{path}:3", f"{path}:4", f"{path}:6"]
    assert failures[0].reason.startswith("not valid JSON")
    assert '"text"' in failures[1].reason
    assert '"outlet"' in failures[2].reason


def test_given_metadata_wins_field_by_field_over_what_the_text_says(tmp_path: Path, monkeypatch) -> None:
    read_from_text = ArticleMeta(outlet="Outlet In Text", authors=("Byline Author",), title="Headline In Text")
    monkeypatch.setattr("quotetrace.metadata.read_metadata", lambda text, outlets, furniture: read_from_text)
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": "Body.", "outlet": "Given Outlet"}) + "\n", encoding="utf-8")
    (article,), _ = read([str(path)])
    assert article.meta.outlet == "Given Outlet"
    assert article.meta.authors == ("Byline Author",)
    assert article.meta.title == "Headline In Text"


def test_plain_files_get_metadata_read_from_their_text(tmp_path: Path, monkeypatch) -> None:
    seen: list[str] = []

    def fake_read_metadata(text: str, outlets: object, furniture: object) -> ArticleMeta:
        seen.append(text)
        return ArticleMeta(outlet="From Text")

    monkeypatch.setattr("quotetrace.metadata.read_metadata", fake_read_metadata)
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"Headline\r\nBody.")
    (article,), _ = read([str(path)])
    assert seen == ["Headline\nBody."]
    assert article.meta.outlet == "From Text"


def test_stdin_is_read_as_dash(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("“Hi,” she said.\r\n".encode("utf-16"))))
    (article,), failures = read(["-"])
    assert failures == []
    assert (article.path, article.text) == ("-", "“Hi,” she said.\n")


def test_html_without_trafilatura_says_how_to_get_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails as if not installed
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>“Hi,” she said.</p></body></html>", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("“Hi,” he said.", encoding="utf-8")
    found, failures = read([str(tmp_path)])
    assert [Path(a.path).name for a in found] == ["plain.txt"]
    assert [f.path for f in failures] == [str(path)]
    assert "pip install 'quotetrace[html]'" in failures[0].reason


def test_html_text_and_metadata_come_from_trafilatura(tmp_path: Path, monkeypatch) -> None:
    calls: list[bytes] = []

    class Document:
        def as_dict(self) -> dict[str, str]:
            return {"text": "“Hi,” she said.\r\nMore.", "sitename": "The Page", "author": "A. One; B. Two",
                    "date": "2021-03-04", "title": "Hi", "url": "https://page.test/hi"}

    def bare_extraction(data: bytes, **options: object) -> Document:
        calls.append(data)
        assert options.get("include_comments") is False  # comment sections yield no quotes
        return Document()

    monkeypatch.setitem(sys.modules, "trafilatura", types.SimpleNamespace(bare_extraction=bare_extraction))
    path = tmp_path / "page.htm"
    path.write_bytes(b"<html>...</html>")
    (article,), failures = read([str(path)])
    assert failures == []
    assert calls == [b"<html>...</html>"]
    assert article.text == "“Hi,” she said.\nMore."
    assert article.meta.outlet == "The Page"
    assert article.meta.authors == ("A. One", "B. Two")
    assert (article.meta.published, article.meta.title, article.meta.url) == ("2021-03-04", "Hi", "https://page.test/hi")


def test_html_without_article_text_is_a_failure(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", types.SimpleNamespace(bare_extraction=lambda data, **_: None))
    path = tmp_path / "empty.html"
    path.write_bytes(b"<html></html>")
    found, failures = read([str(path)])
    assert found == []
    assert [f.reason for f in failures] == ["no article text found in the HTML"]


def test_failures_are_logged_when_no_handler_is_given(tmp_path: Path, caplog) -> None:
    found = list(read_articles([str(tmp_path / "nope.txt")]))
    assert found == []
    assert [r.getMessage() for r in caplog.records] == [f"{tmp_path / 'nope.txt'}: no such file or folder"]


@pytest.mark.evaluation
def test_bundled_corpus_is_the_seeds_byte_for_byte() -> None:
    paths = default_corpus_paths()
    assert len(paths) == 5 and all(p.endswith(".txt") for p in paths)
    assert all(Path(p).parent == corpus_dir() for p in paths)

    def digest(path: str | Path) -> str:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()

    assert sorted(map(digest, paths)) == sorted(map(digest, (SHARED_EVAL / "seeds").glob("*.txt")))
