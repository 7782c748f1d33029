"""Properties that hold for any text: extraction never raises, every quote points at its exact
words, offsets lie in range, and a nested quote lies inside its parent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace.runner import extract

# News-like pieces, so that generated texts actually exercise quotes and cues, mixed with
# arbitrary characters (stray marks, control characters, other scripts).
PIECES = st.sampled_from([
    "“", "”", "‘", "’", '"', "'", "«", "»", "''", " said ", " told reporters ", "According to ", ", he said.",
    "Mr. Lee", "The minister", " that ", "\n", "\n\n", ". ", ", ", "she", "“We will win,”", " Putin ",
    "(", ")", ":", "—", "\x00", "\x1b[31m", "\u2028", "é", "日本",
])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_any_text(text, nlp):
    quotes = extract(text, nlp=nlp)
    by_id = {q.id: q for q in quotes}
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.kind in ("direct", "indirect", "mixed")
        if q.cue is not None:
            assert text[q.cue.start:q.cue.end] == q.cue.text
        if q.speaker is not None and q.speaker.mention is not None:
            m = q.speaker.mention
            assert text[m.start:m.end] == m.text
        if q.parent is not None:
            parent = by_id[q.parent]
            assert parent.start <= q.start and q.end <= parent.end


def test_pieces_of_a_long_article_give_the_same_offsets(nlp, monkeypatch):
    from quotetrace import extraction as engine

    text = "".join(f"“Point {i} stands firm,” said Ana Ruiz, the mayor.\n\n" for i in range(40))
    whole = extract(text, nlp=nlp)
    monkeypatch.setattr(engine, "MAX_PIECE_CHARS", 300)
    assert len(engine.pieces(text)) > 5
    cut = extract(text, nlp=nlp)
    assert [(q.id, q.start, q.end, q.text, q.speaker.name) for q in cut] == \
           [(q.id, q.start, q.end, q.text, q.speaker.name) for q in whole]
