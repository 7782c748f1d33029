"""``marks.find_quoted_spans``: which marks pair into quoted spans, on plain text alone."""

from __future__ import annotations

import pytest

from quotetrace.marks import find_quoted_spans

# (text, the quoted words found, how many marks are left unpaired)
CASES = [
    # markup left in a text: the marks around attribute values are markup
    ('<tweet id="672" author="@ana" datetime="2015-12-02">Roads close at noon</tweet>.', [], 0),
    ('<post id="9" user="ben">"We are ready," he wrote.</post>', ["We are ready"], 0),
    ('She posted <a href="https://example.org/x">the list</a>, calling it "final".', ["final"], 0),
    ("<img src='map.png' alt='the flood map'/> \"Stay home,\" the mayor said.", ["Stay home"], 0),
    # a quote that holds markup keeps it; comparisons are no tags
    ('"Read the <b>small print</b>," she said.', ["Read the <b>small print</b>"], 0),
    ('He said "x < y" and "a > b" both hold.', ["x < y", "a > b"], 0),
    ('The rule "if a<b then stop" was kept.', ["if a<b then stop"], 0),
    # without markup, unpaired marks are still unpaired
    ('The code said id="672" twice.', [], 1),
]


@pytest.mark.parametrize("text,quoted,unpaired", CASES)
def test_quoted_spans_and_markup(text: str, quoted: list[str], unpaired: int) -> None:
    warnings: list[str] = []
    spans = find_quoted_spans(text, warnings)
    assert [text[s.start : s.end] for s in spans if s.depth == 0] == quoted
    assert len(warnings) == unpaired, warnings
