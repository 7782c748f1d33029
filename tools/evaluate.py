#!/usr/bin/env python3
"""Score quotetrace on the hand-annotated sets in ../shared/eval, the way the issues measure it.

    python tools/evaluate.py [seeds basil polnear] [--shared PATH] [--json]

For each set: copies its articles to a temporary folder with a ``metadata.csv`` holding the
outlet and date the gold gives (the texts themselves often do not say them; a user would
give them the same way), runs ``quotetrace list -f json`` and ``quotetrace chain QUERY -f json``
for every chain query of the gold, and scores them with the set's own ``score.py``.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def evaluate(name: str, shared: Path, workdir: Path) -> dict:
    gold_path = shared / "eval" / name / "gold.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    folder = workdir / name
    folder.mkdir()
    with (folder / "metadata.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "outlet", "published", "url"])
        for art in gold["articles"]:
            shutil.copy(gold_path.parent / art["file"], folder / art["file"])
            writer.writerow([art["file"], art.get("outlet") or "",
                             art.get("published") or art.get("event_date") or "", art.get("url") or ""])
    db = workdir / f"{name}.db"
    env_args = {"env": {**__import__("os").environ, "QUOTETRACE_DB": str(db)}}
    quotetrace = [sys.executable, "-m", "quotetrace"]
    quotes = workdir / f"{name}.json"
    with quotes.open("w", encoding="utf-8") as out:
        subprocess.run([*quotetrace, "list", str(folder), "-f", "json"], stdout=out, check=False, **env_args)
    chains = []
    for i, chain in enumerate(gold.get("chains", [])):
        path = workdir / f"{name}-chain{i}.json"
        with path.open("w", encoding="utf-8") as out:
            subprocess.run([*quotetrace, "chain", chain["query"], str(folder), "-f", "json"], stdout=out,
                           stderr=subprocess.DEVNULL, check=False, **env_args)
        chains.append(str(path))
    cmd = [sys.executable, str(shared / "eval" / "score.py"), str(gold_path), str(quotes), "--articles",
           str(gold_path.parent), "--json"]
    if chains:
        cmd += ["--chains", *chains]
    result = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    edges = sum(c["edges_found"] for c in result["chains"]), sum(c["gold_edges"] for c in result["chains"])
    return {"set": name, "gold_quotes": result["gold_required"], "predicted": result["predicted"],
            "detection_f1": result["detection"]["f1"], "attribution_f1": result["attribution"]["f1"],
            "speaker_accuracy": result["speaker_accuracy"], "linking": result["linking"],
            "chain_edges_found": f"{edges[0]}/{edges[1]}"}


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
