"""``find_frames`` passes over the tokens that cannot be a cue: the same frames as asking
``_verb_frame`` about every verb, on the bundled articles and on sentences whose cue is a verdict
("denounced ... as"), takes an object ("accused ... of") or reports through its infinitive ("urged
residents to ...", "declined to comment")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quotetrace import quotes
from quotetrace.extraction import parse
from quotetrace.lexicon import load_lexicon

from .conftest import CORPUS

LEXICON = load_lexicon()


def _every_verb_asked(doc, lex):
    """``find_frames`` as it was: ``_verb_frame`` called on every verb, a Token made for every word."""
    frames = []
    for tok in doc:
        frame = quotes._according_frame(doc, tok, lex) if tok.lower_ in ("according", "per") else None
        if frame is None and tok.text == ":":
            frame = quotes._colon_frame(doc, tok, lex)
        if frame is None and tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.tag_ in ("VBZ", "VBD")):
            frame = quotes._verb_frame(doc, tok, lex)
            if frame is not None and frame.content is not None and frame.method == "ccomp":
                frames.extend(replace(frame, content=extra) for extra in quotes.more_contents(doc, tok, lex))
        if frame is not None:
            frames.append(frame)
    quotes._attach_according_vias(doc, frames)
    return sorted(frames, key=lambda f: f.cue_start)


SENTENCES = [
    "The minister denounced the arrests as an attack on democracy.",
    "Ana Ode accused the council of hiding the report, according to the Ledger.",
    "Piet Varenna blamed the floods on the dam. He called for talks: \"We must act now.\"",
    "Officials said the bridge would reopen, and the mayor thinks it will be safe.",
    "\"It is over,\" she says. Per the statement, the firm rejected the offer.",
    # requests, refusals and a document's findings report through their object or infinitive
    "The water board urged residents to boil tap water. The mayor declined to comment on the report.",
    "The minister refused to answer questions. The poll showed Ode with a lead of ten points.",
]


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")) + [f"sentence {i}" for i in range(len(SENTENCES))])
def test_find_frames_as_every_verb_asked(name, nlp):
    text = (CORPUS / name).read_text(encoding="utf-8") if name.endswith(".txt") else SENTENCES[int(name.split()[1])]
    doc = next(parse(nlp, [(text, None)], 8))[0]
    expected = _every_verb_asked(doc, LEXICON.cues)
    assert expected, "the text must hold frames for the comparison to say anything"
    assert quotes.find_frames(doc, LEXICON.cues) == expected
