"""The public API: what ``import quotetrace`` offers, and what it costs."""

from __future__ import annotations

import subprocess
import sys

import quotetrace


def test_public_names() -> None:
    for name in quotetrace.__all__:
        assert getattr(quotetrace, name) is not None
    assert quotetrace.__version__ == "0.1.0"


def test_import_does_not_load_spacy() -> None:
    code = "import sys, quotetrace; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_extract_is_the_library_function() -> None:
    assert callable(quotetrace.extract) and quotetrace.extract.__name__ == "extract"
    assert quotetrace.extract_articles.__name__ == "extract_articles"


def test_extract_offsets_point_into_the_text() -> None:
    text = "The council met on Monday.\n“We will build the bridge before winter,” said John Carver, the mayor.\n"
    quotes = quotetrace.extract(text, {"outlet": "The Dunmore Gazette"})
    assert quotes, "a plainly attributed direct quote is found"
    assert all(text[q.start:q.end] == q.text for q in quotes)
    direct = [q for q in quotes if q.kind == "direct"]
    assert [q.speaker.name for q in direct if q.speaker] == ["John Carver"]
