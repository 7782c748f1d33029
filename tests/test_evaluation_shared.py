"""``quotetrace eval`` gives the figures of the evaluation's own ``score.py`` (../shared/eval).

score.py is run as the evaluation always ran it: on what ``list -f json`` and ``chain QUERY -f json``
print for a folder holding the gold's articles and a ``metadata.csv`` with their outlet, date and
url. Deselected where ../shared is absent (tests/conftest.py).
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrace.cli import app

from .conftest import SHARED_EVAL

pytestmark = pytest.mark.evaluation
runner = CliRunner()
GOLDS = {"seeds": SHARED_EVAL / "seeds" / "gold.json", "basil": SHARED_EVAL / "basil" / "gold.json",
         "tests": Path(__file__).parent / "data" / "eval" / "gold.json"}
FIGURES = ("gold_required", "predicted", "unlocatable_predictions", "found", "speaker_right", "detection",
           "attribution", "speaker_accuracy", "by_kind", "linking", "chains")


def stdout_of(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def score_py(gold_path: Path, workdir: Path, db: str) -> dict:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    folder = workdir / "articles"
    folder.mkdir()
    with (folder / "metadata.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "outlet", "published", "url"])
        for art in gold["articles"]:
            shutil.copy(gold_path.parent / art["file"], folder / art["file"])
            writer.writerow([art["file"], art.get("outlet") or "", art.get("published") or art.get("event_date") or "",
                             art.get("url") or ""])
    quotes = workdir / "quotes.json"
    quotes.write_text(stdout_of("list", str(folder), "-f", "json", "--db", db), encoding="utf-8")
    chains = []
    for i, chain in enumerate(gold.get("chains", [])):
        path = workdir / f"chain{i}.json"
        path.write_text(stdout_of("chain", chain["query"], str(folder), "-f", "json", "--db", db), encoding="utf-8")
        chains.append(str(path))
    run = subprocess.run([sys.executable, str(SHARED_EVAL / "score.py"), str(gold_path), str(quotes), "--json",
                          "--chains", *chains], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


@pytest.mark.parametrize("name", sorted(GOLDS))
def test_eval_gives_the_figures_of_score_py(name: str, tmp_path: Path) -> None:
    db = str(tmp_path / "index.sqlite3")
    expected = score_py(GOLDS[name], tmp_path, db)
    got = json.loads(stdout_of("eval", str(GOLDS[name]), "-f", "json", "--misses", "--db", db))
    assert {k: got[k] for k in FIGURES} == {k: expected[k] for k in FIGURES}
    assert [m["id"] for m in got["missed"]] == [m["id"] for m in expected["missed"]]
    assert [(w["id"], w["gold"], w["predicted"]) for w in got["wrong_speaker"]] == [
        (w["id"], w["gold"], w["pred"]) for w in expected["wrong_speaker"]]


def test_tools_evaluate_prints_the_figures_of_eval(tmp_path: Path) -> None:
    tool = Path(__file__).resolve().parents[1] / "tools" / "evaluate.py"
    run = subprocess.run([sys.executable, str(tool), "seeds", "--shared", str(SHARED_EVAL.parent), "--json"],
                         capture_output=True, text=True, check=True)
    (row,) = json.loads(run.stdout)
    got = json.loads(stdout_of("eval", str(GOLDS["seeds"]), "-f", "json", "--db", str(tmp_path / "index.sqlite3")))
    assert row == {"set": "seeds", "gold_quotes": got["gold_required"], "predicted": got["predicted"],
                   "detection_f1": got["detection"]["f1"], "attribution_f1": got["attribution"]["f1"],
                   "speaker_accuracy": got["speaker_accuracy"], "linking": got["linking"],
                   "chain_edges_found": f"{got['chain_edges']['found']}/{got['chain_edges']['gold']}"}
