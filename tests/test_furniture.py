"""Page furniture: the word filter before an unanchored pattern (``needs``) never hides a match."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetrace.furniture import Furniture, furniture_spans
from quotetrace.lexicon import default_lexicon

BUNDLED = default_lexicon().furniture
WITH_NEEDS = [p for p in BUNDLED.patterns if p.needs]


def test_the_bundled_unanchored_patterns_carry_their_words() -> None:
    # the four patterns tried at every character of a line are the ones worth a word filter
    assert {p.id for p in WITH_NEEDS} >= {"cookie-notice", "comment-rules", "copyright", "sign-in-prompt"}


@pytest.mark.parametrize("pattern", WITH_NEEDS, ids=lambda p: p.id)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_match_of_a_pattern_holds_one_of_its_words(pattern, data) -> None:  # type: ignore[no-untyped-def]
    # strings the regular expression matches, in any case: each must hold one of the words in
    # lower case, or the filter would drop a furniture line the pattern alone flags
    text = data.draw(st.from_regex(pattern.regex))
    match = pattern.regex.search(text)
    assert match is not None
    found = match.group(0)
    if not set("ıſİ") & set(found):  # letters the filter does not trust (furniture._FOLDED_APART)
        assert any(w in found.lower() for w in pattern.needs), found


@pytest.mark.parametrize(("line", "flagged"), [
    ("We use cookies to improve your experience on this site.", True),
    ("WE USE COOKIES TO IMPROVE YOUR EXPERIENCE.", True),
    ("© 2026 The Harbor Courier. All rights reserved.", True),
    ("Comments have to be approved before they appear.", True),
    ("Sign in to unlock member-only benefits!", True),
    # the filter's words alone are no furniture
    ("The council said the cookie factory would close.", False),
    ("She said the copyright claim was baseless.", False),
    # a letter that folds apart: the line is searched whole, as without the filter
    ("We uſe cookies on this website.", True),
])
def test_furniture_lines_are_flagged_as_before(line: str, flagged: bool) -> None:
    text = f"Port shuts\n\n{line}\n\nThe harbour master said the port would reopen."
    spans = furniture_spans(text, BUNDLED)
    assert (any(text[s:e] == line for s, e in spans)) is flagged


def test_needs_only_narrows_what_the_pattern_finds() -> None:
    # the same patterns without their words flag the same lines
    plain = Furniture(tuple(p.__class__(p.id, p.regex, p.max_words, p.block, p.names_site) for p in BUNDLED.patterns),
                      BUNDLED.label_words)
    text = "\n".join([
        "Our site uses cookies. By continuing to browse this website you agree.",
        "Comments are welcome. Please read the community guidelines before posting comments.",
        "Copyright 2026 Nordwire",
        "Register to continue reading",
        "The minister said the talks would go on.",
        "Log in to post comments",
    ])
    assert furniture_spans(text, plain) == furniture_spans(text, BUNDLED)
