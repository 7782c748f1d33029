"""Speaker resolution: tables of invented sentences and the speaker each quote resolves to.

The rows exercise the name index (``speakers.NameIndex``) through which ``Resolver._match``
narrows the entities it scores: last names, titles, one-edit misspellings of long names, two
people sharing a last name, bylines and pronouns. Each row names the speaker as it should be
resolved; an index that missed a form or a misspelling would resolve another (or a new) one.
"""

from __future__ import annotations

import pytest

from quotetrace.extraction import parse
from quotetrace.lexicon import load_lexicon
from quotetrace.runner import extract
from quotetrace.speakers import Entity, NameIndex, Resolver, _name_match, _untitled_tokens, name_tokens

LEXICON = load_lexicon()


def speaker_of(text: str, content: str, nlp, authors: tuple[str, ...] = ()) -> str | None:
    meta = {"author": list(authors)} if authors else None
    found = [q for q in extract(text, meta, nlp=nlp, lexicon=LEXICON) if q.text == content]
    assert found, [(q.kind, q.text) for q in extract(text, meta, nlp=nlp, lexicon=LEXICON)]
    return found[0].speaker.name if found[0].speaker is not None else None


RESOLVED = [
    # a last name alone: the person named in full before
    ('Halvard Brenneke chairs the port authority. "The cranes are old," Brenneke said.',
     "The cranes are old", (), "Halvard Brenneke"),
    # a title before the last name
    ('Amara Tekwani visited the harbour on Monday. "It will reopen," President Tekwani said.',
     "It will reopen", (), "Amara Tekwani"),
    ('Daniel Okafor runs the bakery. "Sales are up this year," Mr. Okafor said.',
     "Sales are up this year", (), "Daniel Okafor"),
    # the title comes first, then the full name, then the last name with another title
    ('Governor Ilse Vandermeer toured the dam. "The water is safe," Ms. Vandermeer said.',
     "The water is safe", (), "Ilse Vandermeer"),
    # one-edit misspellings of a long last name: a letter dropped, added, changed
    ('Marguerite Lindqvist chairs the board. "We are solvent," Lindqvst said.',
     "We are solvent", (), "Marguerite Lindqvist"),
    ('Marguerite Lindqvist chairs the board. "We are solvent," Lindqvisst said.',
     "We are solvent", (), "Marguerite Lindqvist"),
    ('Marguerite Lindqvist chairs the board. "We are solvent," Lindqvest said.',
     "We are solvent", (), "Marguerite Lindqvist"),
    # two people share a last name: the full name says which, the last name alone the latest
    ('Ruth Harlan and Tom Harlan run the farm. "Rain is late this spring," Ruth Harlan said.',
     "Rain is late this spring", (), "Ruth Harlan"),
    ('Ruth Harlan and Tom Harlan run the farm. "We will sell the herd," Tom Harlan said.',
     "We will sell the herd", (), "Tom Harlan"),
    ('Tom Harlan spoke first on Monday. Ruth Harlan spoke after him. "We will sell the herd," Harlan said.',
     "We will sell the herd", (), "Ruth Harlan"),
    ('Ruth Harlan spoke first on Monday. Tom Harlan spoke after her. "We will sell the herd," Harlan said.',
     "We will sell the herd", (), "Tom Harlan"),
    # a reporter in the byline is never the speaker, even when a speaker shares the last name
    ('Anna Brenner, the mayor, opened the bridge. "We needed this bridge," Brenner said.',
     "We needed this bridge", ("Paul Brenner",), "Anna Brenner"),
    # pronouns: the person introduced before, by gender
    ('Senator Ilse Vandermeer spoke on Monday. "This bill is a disgrace," she told reporters.',
     "This bill is a disgrace", (), "Ilse Vandermeer"),
    ('Halvard Brenneke met reporters on Friday. "The cranes are old," he said.',
     "The cranes are old", (), "Halvard Brenneke"),
    ('Kofi Mensah and Ingrid Solberg met in Oslo. "The deal is close," she said.',
     "The deal is close", (), "Ingrid Solberg"),
]


@pytest.mark.parametrize("text,content,authors,speaker", RESOLVED)
def test_resolved_speaker(text, content, authors, speaker, nlp):
    assert speaker_of(text, content, nlp, authors) == speaker


def _doc(text: str, nlp):
    return next(parse(nlp, [(text, None)], 8))[0]


def _every_entity_match(resolver: Resolver, form: str, before: int | None, include_authors: bool,
                        person: bool | None):
    """``Resolver._match`` as it was before the index: every entity scored, in id order."""
    toks = _untitled_tokens(form, resolver.words.titles)
    if not toks:
        return None
    recent = resolver._recency(before)
    best = None
    for ent in resolver.entities:
        if ent.is_author and not include_authors:
            if " ".join(toks) == " ".join(name_tokens(ent.name)):
                return ent
            continue
        score = _name_match(toks, ent, resolver.words, person)
        if score and (best is None or (score, recent.get(ent.id, -1)) > (best[0], best[1])):
            best = (score, recent.get(ent.id, -1), ent)
    return best[2] if best else None


PAGE = ('By Paul Brenner\n'
        'Halvard Brenneke, the port chief, met President Amara Tekwani and Ruth Harlan. Tom Harlan, '
        'Mr. Daniel Okafor and Marguerite Lindqvist of Kelmar Shipping joined them later at the harbour.')
ASKED = ["Brenneke", "Brennecke", "Brenneek", "Tekwani", "President Tekwani", "Harlan", "Ruth Harlan",
         "Tom Harlan", "Mr. Okafor", "Okafor", "Daniel", "Lindqvst", "Lindqvisst", "Lindqvest", "Lindquist",
         "Kelmar Shipping", "Shipping", "Brenner", "Paul Brenner", "Anna Brenner", "Nobody", "Tekwan"]


@pytest.mark.parametrize("form", ASKED)
def test_match_as_every_entity_scored(form, nlp):
    resolver = Resolver(_doc(PAGE, nlp), LEXICON, authors=("Paul Brenner",))
    assert len(resolver.entities) >= 7
    for include_authors in (False, True):
        for person in (None, True, False):
            for before in (None, 60):
                expected = _every_entity_match(resolver, form, before, include_authors, person)
                assert resolver._match(form, before, include_authors, person) is expected, \
                    (form, before, include_authors, person)


def test_name_index_candidates():
    index = NameIndex(frozenset({"president", "mr."}))
    index.add(0, "Paul Brenner")
    index.add(1, "President Amara Tekwani")
    index.add(2, "Tekwani")
    index.add(3, "Ruth Harlan")
    index.add(4, "Tom Harlan")
    index.add(5, "Lee")
    assert index.candidates(["harlan"]) == {3, 4}
    assert index.candidates(["tekwani"]) == {1, 2}
    # one edit from a long first or last word: a letter dropped, added, changed, or the same
    for slip in ("brener", "brennerr", "brennar", "xbrenner", "brenne", "renner"):
        assert index.candidates([slip]) == {0}, slip
    assert index.candidates(["paulo"]) == set()  # "Paul": too short to forgive a slip
    assert index.candidates(["amar"]) == set()  # four letters: only the same word
    assert index.candidates(["brandt"]) == set()
    assert index.candidates(["ruth", "harlan"]) == {3, 4}  # two words: only shared words count
    assert index.candidates(["amara", "tekwani"]) == {1, 2}
    assert index.candidates(["lee"]) == {5}
    assert index.candidates(["president"]) == set()  # titles are not indexed
    assert index.candidates(["lea"]) == set()  # short words must be the same
    assert index.candidates(["nobody", "here"]) == set()


QUOTED = [
    [],
    [(10, 20)],
    [(10, 20), (30, 40)],
    [(30, 40), (10, 20)],  # given out of order
    [(10, 50), (20, 30), (45, 47)],  # one inside another
    [(10, 25), (20, 35)],  # overlapping
    [(5, 5), (10, 11)],  # empty and one character long
]


@pytest.mark.parametrize("quoted", QUOTED)
def test_in_quote(quoted, nlp):
    resolver = Resolver(_doc("Nothing here is quoted at all, nor said by anyone.", nlp), LEXICON, quoted=quoted)
    for pos in range(0, 60):
        assert resolver._in_quote(pos) == any(s <= pos < e for s, e in quoted), pos


def test_entity_name_follows_its_forms():
    ent = Entity(0, ["Okafor"], "person")
    assert ent.name == "Okafor"
    ent.forms.append("Daniel Okafor")  # a fuller form, later: the name is worked out again
    assert ent.name == "Daniel Okafor"
    ent.forms.append("Mr. Okafor")
    assert ent.name == "Daniel Okafor"  # the first of the fullest on a tie
    ent.forms.append("Daniel B. Okafor")
    assert ent.name == "Daniel B. Okafor"
    assert Entity(1, ["Kanal Nine"], "outlet", canonical="Kanal 9").name == "Kanal 9"


SENTENCES = [
    "Ana Ode spoke first. Then Piet Varenna spoke.\nA new paragraph starts here! Does it? Yes.",
    "One sentence only, with no final stop",
    "Headline Without A Stop\n\nThe body begins. It goes on.\n",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_sentence_bounds_as_spacy_gives_them(text, nlp):
    doc = _doc(text, nlp)
    resolver = Resolver(doc, LEXICON)
    assert resolver._sentence_starts is not None
    for tok in doc:
        assert resolver._sentence(tok.i) == (tok.sent.start, tok.sent.end), tok.i
