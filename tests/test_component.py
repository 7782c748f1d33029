"""The spaCy component: found by name through the entry point, quotes in ``doc.spans``."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

from quotetrace.component import COMPONENT, EXTENSIONS, SPANS_KEY
from quotetrace.extraction import PARAGRAPH_COMPONENT
from quotetrace.nlp import DEFAULT_PIPELINES, MODEL_ENV
from quotetrace.runner import extract

from .conftest import CORPUS

ARTICLE = CORPUS / "2019-06-29_korea-herald_putin-relays-kim-words-to-moon.txt"
SOURCE = os.environ.get(MODEL_ENV) or next(n for n in DEFAULT_PIPELINES if importlib.util.find_spec(n))
# A pipeline built from a config alone: the trained components sourced from the English
# pipeline, ours named by factory.
CONFIG = f"""
[nlp]
lang = "en"
pipeline = ["tok2vec", "tagger", "{PARAGRAPH_COMPONENT}", "parser", "attribute_ruler", "lemmatizer", "ner", "{COMPONENT}"]

[components]

[components.tok2vec]
source = "{SOURCE}"

[components.tagger]
source = "{SOURCE}"

[components.{PARAGRAPH_COMPONENT}]
factory = "{PARAGRAPH_COMPONENT}"

[components.parser]
source = "{SOURCE}"

[components.attribute_ruler]
source = "{SOURCE}"

[components.lemmatizer]
source = "{SOURCE}"

[components.ner]
source = "{SOURCE}"

[components.{COMPONENT}]
factory = "{COMPONENT}"
"""
# Run in a fresh interpreter that never imports quotetrace itself: spaCy must find the
# factories through the package's entry points.
FROM_CONFIG = """
import json, sys
from spacy.util import load_model_from_config
from thinc.api import Config

before = "quotetrace.component" in sys.modules
nlp = load_model_from_config(Config().from_str(sys.argv[1]), auto_fill=True)
doc = nlp(sys.stdin.read())
print(json.dumps({
    "imported": [before, "quotetrace.component" in sys.modules],
    "factories": [nlp.get_pipe_meta(name).factory for name in nlp.pipe_names],
    "quotes": [{"id": s.id_, "label": s.label_, "speaker": s._.speaker, "cue": s._.cue, "kind": s._.kind,
                "record": s._.quote} for s in doc.spans["quotes"]],
}))
"""


@pytest.fixture(scope="module")
def quote_nlp():
    nlp = spacy.load(SOURCE)
    nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    nlp.add_pipe(COMPONENT)
    return nlp


def test_a_pipeline_from_a_config_finds_the_component_by_name() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", FROM_CONFIG, CONFIG], input=text, capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["imported"] == [False, True]  # spaCy imported it, through the entry point
    assert out["factories"][-1] == COMPONENT and PARAGRAPH_COMPONENT in out["factories"]
    expected = extract(text, article="-")
    assert [q["id"] for q in out["quotes"]] == [q.id for q in expected]
    for got, quote in zip(out["quotes"], expected):
        assert got["label"] == got["kind"] == quote.kind
        assert got["speaker"] == (quote.speaker.name if quote.speaker else None)
        assert got["cue"] == (quote.cue.text if quote.cue else None)
        assert got["record"] == quote.to_dict()


def test_factory_and_extensions_follow_spacys_rules(quote_nlp) -> None:
    meta = quote_nlp.get_pipe_meta(COMPONENT)
    assert meta.default_config == {"spans_key": SPANS_KEY, "aliases": None}
    assert "doc.spans" in meta.assigns
    assert all(Span.has_extension(name) for name in EXTENSIONS)


def test_finding_is_separate_from_setting(quote_nlp) -> None:
    finder = quote_nlp.get_pipe(COMPONENT)
    text = ARTICLE.read_text(encoding="utf-8")
    doc = quote_nlp.make_doc(text)
    for _, pipe in quote_nlp.pipeline[:-1]:
        doc = pipe(doc)
    quotes = finder.find(doc)
    assert quotes and SPANS_KEY not in doc.spans  # finding changes nothing
    finder.set_annotations(doc, quotes)
    spans = list(doc.spans[SPANS_KEY])
    assert [s.id_ for s in spans] == [q.id for q in quotes]
    for span, quote in zip(spans, quotes):
        # whole tokens around the exact words, which the record keeps
        assert span.start_char <= quote.start and quote.end <= span.end_char
        assert text[span._.quote["start"]:span._.quote["end"]] == quote.text


def test_annotations_survive_serialisation(quote_nlp) -> None:
    doc = quote_nlp(ARTICLE.read_text(encoding="utf-8"))
    again = Doc(quote_nlp.vocab).from_bytes(doc.to_bytes())
    before = [(s.text, s._.speaker, s._.cue, s._.kind, s._.quote) for s in doc.spans[SPANS_KEY]]
    after = [(s.text, s._.speaker, s._.cue, s._.kind, s._.quote) for s in again.spans[SPANS_KEY]]
    assert before and before == after


def test_aliases_setting_renames_speakers(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[aliases]\n"Vladimir Vladimirovich Putin" = ["Vladimir Putin"]\n', encoding="utf-8")
    nlp = spacy.load(SOURCE)
    nlp.add_pipe(COMPONENT, config={"aliases": str(aliases), "spans_key": "said"})
    doc = nlp(ARTICLE.read_text(encoding="utf-8"))
    speakers = {s._.speaker for s in doc.spans["said"]}
    assert "Vladimir Vladimirovich Putin" in speakers and "Vladimir Putin" not in speakers
