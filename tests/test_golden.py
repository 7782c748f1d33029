"""Golden tests for the five bundled articles.

Two kinds of check:

* the dev floors of the extraction issue, scored with the project's scorer against the
  hand-annotated gold in ``../shared/eval/seeds`` (detection F1 >= 0.90, attribution F1 >= 0.85);
* a golden file per article (``tests/golden/<article>.json``): every quote's span, kind,
  speaker and cue as last reviewed. A change in extraction shows up here as a readable diff;
  after reviewing it, rewrite the files with ``pytest tests/test_golden.py --update-golden``.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from quotetrace.articles import read_articles
from quotetrace.runner import extract_articles

from .conftest import CORPUS, SHARED_EVAL

GOLDEN = Path(__file__).parent / "golden"
SEED_FILES = {
    "000_14e38f845b9aef97.txt": "2019-06-29_korea-times_kim-jong-un-wants-security-guarantee.txt",
    "001_3f6ee85b3c238d10.txt": "2019-06-29_korea-herald_putin-relays-kim-words-to-moon.txt",
    "002_8635bc4527b2f994.txt": "2019-06-28_nk-news_putin-reiterates-north-korea-requires-security-guarantees.txt",
    "003_beb9b865160a6992.txt": "2019-04-25_the-hindu_n-korea-needs-security-guarantees.txt",
    "004_dfd909dab3a5d0b8.txt": "2019-04-25_kbs-world_kim-putin-hold-summit.txt",
}


def _scorer():
    spec = importlib.util.spec_from_file_location("qt_score", SHARED_EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_quotes(nlp):
    paths = [str(CORPUS / name) for name in sorted(SEED_FILES.values())]
    return {Path(a.path).name: qs for a, qs in extract_articles(read_articles(paths), nlp=nlp)}


@pytest.mark.evaluation
def test_bundled_corpus_is_the_seed_set():
    for seed, name in SEED_FILES.items():
        assert (CORPUS / name).read_bytes() == (SHARED_EVAL / "seeds" / seed).read_bytes()


@pytest.mark.evaluation
def test_seed_scores_meet_the_floors(corpus_quotes, tmp_path):
    # the scorer finds articles by file name next to the gold: give it the seed names
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SHARED_EVAL / "seeds" / "gold.json", folder / "gold.json")
    records = []
    for seed, name in SEED_FILES.items():
        shutil.copy(CORPUS / name, folder / seed)
        for q in corpus_quotes[name]:
            rec = q.to_dict()
            rec["article"] = seed
            records.append(rec)
    out = tmp_path / "quotes.json"
    out.write_text(json.dumps(records), encoding="utf-8")
    result = _scorer().score(folder / "gold.json", out)
    assert result["detection"]["f1"] >= 0.90, result["missed"]
    assert result["attribution"]["f1"] >= 0.85, result["wrong_speaker"]


def _summary(quotes):
    return [
        {
            "span": [q.start, q.end],
            "kind": q.kind,
            "text": q.text,
            "speaker": q.speaker.name if q.speaker else None,
            "cue": q.cue.lemma if q.cue else None,
            "nested": q.parent is not None,
        }
        for q in quotes
    ]


@pytest.mark.parametrize("name", sorted(SEED_FILES.values()))
def test_golden_article(name, corpus_quotes, request):
    got = _summary(corpus_quotes[name])
    path = GOLDEN / (Path(name).stem + ".json")
    if request.config.getoption("--update-golden"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected
