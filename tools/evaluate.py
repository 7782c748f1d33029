#!/usr/bin/env python3
"""Score quotetrace on the hand-annotated sets in ../shared/eval, the way the issues measure it.

    python tools/evaluate.py [seeds basil polnear] [--shared PATH] [--json]

For each set, runs ``quotetrace eval SET/gold.json -f json`` (which gives the run each article's
outlet, date and url from the gold, as a user would, and scores as the evaluation's own
``score.py`` does) with a fresh index, so that every article is parsed by the code as it is.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def evaluate(name: str, shared: Path, workdir: Path) -> dict:
    gold_path = shared / "eval" / name / "gold.json"
    run = subprocess.run([sys.executable, "-m", "quotetrace", "eval", str(gold_path), "-f", "json",
                          "--db", str(workdir / f"{name}.db")], stdout=subprocess.PIPE, check=False)
    if not run.stdout.strip():
        # quotetrace said why on stderr (one line)
        raise SystemExit(f"evaluate: {name}: quotetrace eval failed (exit {run.returncode})")
    result = json.loads(run.stdout)
    edges = result["chain_edges"]
    return {"set": name, "gold_quotes": result["gold_required"], "predicted": result["predicted"],
            "detection_f1": result["detection"]["f1"], "attribution_f1": result["attribution"]["f1"],
            "speaker_accuracy": result["speaker_accuracy"], "linking": result["linking"],
            "chain_edges_found": f"{edges['found']}/{edges['gold']}"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*", default=["seeds", "basil"])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [evaluate(name, args.shared, Path(tmp)) for name in args.sets]
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        for r in rows:
            link = r["linking"]
            print(f"{r['set']:8} detection F1 {r['detection_f1']:.3f}  attribution F1 {r['attribution_f1']:.3f}  "
                  f"speaker accuracy {r['speaker_accuracy']:.3f}  must-link {link['must_link_joined']}/{link['must_link']}  "
                  f"cannot-link {link['cannot_link_kept_apart']}/{link['cannot_link']}  chain edges {r['chain_edges_found']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
