"""Hostile input: every file gets through or gets one line, and the good files beside a bad one
lose nothing. One test per category; each runs the real command in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "“We will build the bridge before winter,” said Ana Ruiz, the mayor.\n"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "quotetrace", *args], input=stdin, capture_output=True,
                          timeout=600, env=env)


def listed(folder: Path, *extra: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    proc = run("list", str(folder), "-f", "json", "--no-link", *extra)
    records = json.loads(proc.stdout.decode("utf-8")) if proc.stdout.strip() else []
    return proc, records


def warnings(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stderr.decode("utf-8").splitlines() if line.strip()]


def with_good(folder: Path) -> Path:
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def assert_good_kept(records: list[dict]) -> None:
    assert any(Path(r["article"]).name == "good.txt" and r["text"] == "We will build the bridge before winter"
               and r["speaker"]["name"] == "Ana Ruiz" for r in records)


BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"  \n\n\t \n", "empty file"),
    "binary.txt": (bytes(range(256)) * 8, "binary file"),
    "bad.jsonl": (b'{"text": "fine"}\n{not json}\n', "line 2"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gets_one_line_and_good_files_lose_nothing(tmp_path: Path, name: str) -> None:
    data, reason = BAD_FILES[name]
    (tmp_path / name).write_bytes(data)
    proc, records = listed(with_good(tmp_path))
    lines = warnings(proc)
    assert proc.returncode == 1
    assert len(lines) == 1 and name in lines[0] and lines[0].startswith("quotetrace: warning: ")
    assert reason.split()[0] in lines[0]
    assert b"Traceback" not in proc.stderr
    assert_good_kept(records)


ENCODINGS = [
    ("cp1252.txt", "\u201cWe will fight,\u201d said Jos\u00e9 Garc\u00eda.\n".encode("cp1252"), "We will fight", "José García"),
    ("latin1.txt", "\"Nous restons,\" said Ren\u00e9 Dub\u00e9.\n".encode("latin-1"), "Nous restons", "René Dubé"),
    ("utf16.txt", "\ufeff\u201cWe agree,\u201d said Li Wei.\n".encode("utf-16-le"), "We agree", "Li Wei"),
    ("utf8bom.txt", "\ufeff\u201cWe agree,\u201d said Li Wei.\n".encode("utf-8"), "We agree", "Li Wei"),
]


@pytest.mark.parametrize("name,data,quote,speaker", ENCODINGS)
def test_encodings_are_detected_and_offsets_index_the_decoded_text(tmp_path: Path, name, data, quote, speaker) -> None:
    (tmp_path / name).write_bytes(data)
    proc, records = listed(with_good(tmp_path))
    assert proc.returncode == 0, proc.stderr
    mine = [r for r in records if Path(r["article"]).name == name]
    assert mine and mine[0]["text"] == quote and mine[0]["speaker"]["name"] == speaker
    decoded = data.decode("utf-16") if name == "utf16.txt" else None
    if decoded is not None:
        assert decoded[mine[0]["start"]:mine[0]["end"]] == quote
    assert_good_kept(records)


def test_stray_nul_and_control_characters_do_not_cost_the_article(tmp_path: Path) -> None:
    (tmp_path / "nul.txt").write_bytes("\u201cNo surrender\x00 today,\u201d said Tom Baker.\x07\n".encode())
    proc, records = listed(with_good(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert any(r["text"] == "No surrender\x00 today" for r in records)
    assert_good_kept(records)


def test_broken_symlink_and_folder_named_like_a_file(tmp_path: Path) -> None:
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere")
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "folder.txt" / "inside.txt").write_text("“Inside too,” said Ben Ode.\n", encoding="utf-8")
    proc, records = listed(with_good(tmp_path))
    lines = warnings(proc)
    assert proc.returncode == 1
    assert len(lines) == 1 and "broken.txt" in lines[0]
    assert any(r["text"] == "Inside too" for r in records)
    assert_good_kept(records)


def test_missing_path_is_one_line(tmp_path: Path) -> None:
    proc, records = listed(with_good(tmp_path), str(tmp_path / "missing.txt"))
    assert proc.returncode == 1
    assert len(warnings(proc)) == 1 and "missing.txt" in warnings(proc)[0]
    assert_good_kept(records)


def test_unbalanced_and_deeply_nested_marks(tmp_path: Path) -> None:
    nested = "“" + "".join(f"level {i} ‘“" for i in range(30)) + "deep" + "”’" * 30 + ",” said Kim Ho.\n"
    (tmp_path / "nested.txt").write_text(nested + "“Never closed, said nobody.\n” stray close.\n", encoding="utf-8")
    proc, records = listed(with_good(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    text = (tmp_path / "nested.txt").read_text(encoding="utf-8")
    for r in records:
        if Path(r["article"]).name == "nested.txt":
            assert text[r["start"]:r["end"]] == r["text"]
    assert_good_kept(records)


def test_a_thousand_files(tmp_path: Path) -> None:
    for i in range(1000):
        (tmp_path / f"a{i:04}.txt").write_text(f"“Point {i} stands,” said Ana Ruiz.\n", encoding="utf-8")
    proc, records = listed(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len({r["article"] for r in records}) == 1000


def test_terminal_sees_what_the_article_says_and_nothing_more(tmp_path: Path) -> None:
    (tmp_path / "markup.txt").write_text(
        "“We will [bold]build[/bold] it [link=http://x]now[/link] \x1b[31mred\x1b[0m\x1b]0;title\x07,” said Ana Ruiz.\n",
        encoding="utf-8")
    proc = run("list", str(tmp_path))
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0
    assert "[bold]build[/bold]" in out and "[link=http://x]now[/link]" in out
    assert "\x1b" not in out and "\x07" not in out
    json_proc, records = listed(tmp_path)
    assert "\x1b[31mred" in records[0]["text"]  # JSON keeps the exact text


def test_stdin(tmp_path: Path) -> None:
    proc = run("list", "-", "-f", "json", "--no-link", stdin=GOOD.encode())
    assert proc.returncode == 0
    assert json.loads(proc.stdout)[0]["article"] == "-"
    empty = run("list", "-", "-f", "json", stdin=b"")
    assert empty.returncode == 1 and len(warnings(empty)) == 1


def test_a_paragraph_longer_than_spacys_max_length(tmp_path: Path) -> None:
    # 1.2 million characters in one paragraph (mostly white space, so that parsing stays quick)
    text = "“The first part stands,” said Ana Ruiz." + " " * 1_200_000 + "“The last part stands,” said Ben Ode.\n"
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    proc, records = listed(with_good(tmp_path))
    assert proc.returncode == 0, proc.stderr
    mine = {r["text"]: r for r in records if Path(r["article"]).name == "long.txt"}
    assert set(mine) == {"The first part stands", "The last part stands"}
    for r in mine.values():
        assert text[r["start"]:r["end"]] == r["text"]
        m = r["speaker"]["mention"]
        assert text[m["start"]:m["end"]] == m["text"]
    assert mine["The last part stands"]["speaker"]["name"] == "Ben Ode"
    assert_good_kept(records)
