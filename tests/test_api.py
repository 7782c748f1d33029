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


BYLINE_ARTICLE = (
    "Bridge vote delayed again\n\nBy Jane Okafor\n\n"
    "“We will build the bridge before winter comes to the valley,” said John Carver, the mayor of Dunmore.\n"
)


def test_given_metadata_wins_field_by_field_and_keeps_what_the_text_says(nlp) -> None:  # type: ignore[no-untyped-def]
    from quotetrace.articles import article_from_text

    read = article_from_text("-", BYLINE_ARTICLE)
    given = article_from_text("-", BYLINE_ARTICLE, {"outlet": "The Dunmore Gazette"})
    assert read.meta.authors == ("Jane Okafor",) and read.meta.outlet is None
    # the outlet given wins; the byline the text gives is kept (it used to be lost)
    assert given.meta.outlet == "The Dunmore Gazette" and given.meta.authors == ("Jane Okafor",)
    assert article_from_text("-", BYLINE_ARTICLE, {"author": "A. Writer"}).meta.authors == ("A. Writer",)
    (quote,) = quotetrace.extract(BYLINE_ARTICLE, {"outlet": "The Dunmore Gazette"}, nlp=nlp)
    assert quote.speaker is not None and quote.speaker.name == "John Carver"


def test_run_over_paths_and_articles_gives_the_same(tmp_path, nlp) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.txt"
    path.write_text(BYLINE_ARTICLE, encoding="utf-8")
    failures: list[Exception] = []
    by_path = list(quotetrace.run([str(path), str(tmp_path / "missing.txt")], nlp=nlp, on_error=failures.append))
    by_article = list(quotetrace.run(quotetrace.read_articles([str(path)]), nlp=nlp))
    assert [(a.path, [q.to_dict() for q in qs]) for a, qs in by_path] == \
           [(a.path, [q.to_dict() for q in qs]) for a, qs in by_article]
    assert [type(e).__name__ for e in failures] == ["InputError"]
    (linked,) = quotetrace.run([str(path)], nlp=nlp, link=True)
    assert all(q.claim for q in linked[1])


def test_the_callers_pipeline_is_never_changed(nlp) -> None:  # type: ignore[no-untyped-def]
    import spacy

    from quotetrace.extraction import PARAGRAPH_COMPONENT

    text = "Vote delayed\n“We will build the bridge before winter,” said John Carver\nThe mayor of Dunmore spoke."
    before = list(nlp.pipe_names)
    found = quotetrace.extract(text, nlp=nlp)
    assert nlp.pipe_names == before and PARAGRAPH_COMPONENT not in before
    # the same as a pipeline that carries the paragraph component itself
    with_component = spacy.load(nlp.path if nlp.path else "en_core_web_sm")
    with_component.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    assert [q.to_dict() for q in quotetrace.extract(text, nlp=with_component)] == [q.to_dict() for q in found]
