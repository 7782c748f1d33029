"""The pipeline quotetrace loads gives spaCy's own annotations (``nlp.fast_lemma_index``)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import spacy

from quotetrace.nlp import chosen_pipeline, fast_lemma_index

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
# Words the rule lemmatizer must look up in its index, in every inflection it handles, with
# the corpus: plurals, past forms, comparatives, hyphenated and capitalised words.
EXTRA = ("The ministers' studies were denied; analysts argued, hoping the cities' busiest ferries "
         "had stopped. She was quoted as saying the well-known spokeswomen flew, swam and bought "
         "oxen, mice and geese. Costlier, happier, worse: ORGANISATIONS reorganised themselves.")


@pytest.fixture(scope="module")
def plain():
    """The pipeline as spaCy loads it, untouched."""
    return spacy.load(chosen_pipeline())


def test_lemmas_are_the_plain_pipelines(plain, nlp) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))] + [EXTRA]
    assert len(texts) > 3
    for ours, theirs in zip(nlp.pipe(texts), plain.pipe(texts)):
        got = [(t.text, t.lemma_, t.pos_, t.tag_, t.dep_) for t in ours]
        want = [(t.text, t.lemma_, t.pos_, t.tag_, t.dep_) for t in theirs]
        assert got == want


def test_the_index_answers_as_the_list(nlp) -> None:
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    nouns = table.get("noun")
    assert len(nouns) > 1000 and "ferry" in nouns and "ferries" not in nouns
    assert isinstance(nouns, list) and type(nouns) is not list  # still a list, wrapped
    assert pickle.loads(pickle.dumps(list(nouns))) == list(nouns)


def test_wrapping_twice_changes_nothing(nlp) -> None:
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    before = {key: list(words) for key, words in table.items()}
    fast_lemma_index(nlp)
    assert {key: list(words) for key, words in table.items()} == before
