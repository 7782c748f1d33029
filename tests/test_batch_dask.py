"""examples/dask_extract.py on Dask's local process scheduler finds what one process finds."""

from __future__ import annotations

import json
import subprocess
import sys

from quotetrace.articles import read_articles
from quotetrace.runner import extract_articles

from .conftest import CORPUS, REPO


def test_the_dask_example_gives_the_single_process_records() -> None:
    # Three partitions over Dask's worker processes: each loads the pipeline on its own.
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "dask_extract.py"), str(CORPUS), "--scheduler", "processes",
         "--partitions", "3"], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    distributed = [json.loads(line) for line in done.stdout.splitlines()]
    single = [q.to_dict() for _, quotes in extract_articles(read_articles([str(CORPUS)])) for q in quotes]
    assert single, "the bundled corpus has quotes"
    assert distributed == single
