#!/usr/bin/env python3
"""Check that a change leaves the output alone: ``quotetrace list -f json`` on PolNeAR articles,
by a git revision and by the working copy, each on a new index, then again from that index.

    python tools/same_output.py [--rev HEAD] [--articles 120] [--workers N] [--shared PATH]

The revision's ``quotetrace`` package is exported to a temporary folder (``git archive``) and put
first on ``PYTHONPATH``; both run with this interpreter. Prints one JSON line (which outputs were
the same, and how long each command took); exits 1 when any output differs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="HEAD", help="the revision to compare with (default: HEAD)")
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--workers", type=int, help="as for quotetrace list (default: its default)")
    parser.add_argument("--shared", type=Path, help="the shared folder (default: found beside the repository)")
    args = parser.parse_args()
    shared = args.shared or next((f / "shared" for f in REPO.parents if (f / "shared" / "eval").is_dir()), None)
    if shared is None:
        sys.exit("same_output: no shared/eval folder found; give --shared")
    paths = sorted(str(p) for p in (shared / "eval" / "polnear").glob("*.txt"))[: args.articles]
    extra = ["--workers", str(args.workers)] if args.workers else []
    with tempfile.TemporaryDirectory() as scratch:
        old = Path(scratch) / "rev"
        archive = subprocess.run(["git", "-C", str(REPO), "archive", args.rev, "quotetrace"], capture_output=True,
                                 check=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(old)
        outputs: dict[str, bytes] = {}
        seconds: dict[str, float] = {}
        for name, pythonpath in (("rev", str(old)), ("working_copy", str(REPO))):
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPATH"] = pythonpath
            db = str(Path(scratch) / f"{name}.sqlite3")
            for run in ("fresh", "indexed"):
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "quotetrace", "list", *paths, "-f", "json", "--db", db,
                                       *extra], capture_output=True, env=env, cwd=scratch, check=False)
                seconds[f"{name}_{run}"] = round(time.perf_counter() - start, 2)
                if done.returncode != 0:
                    sys.exit(f"same_output: {name} {run} failed:\n{done.stderr.decode(errors='replace')}")
                outputs[f"{name}_{run}"] = done.stdout
    reference = outputs["rev_fresh"]
    same = {name: out == reference for name, out in outputs.items()}
    print(json.dumps({"rev": args.rev, "articles": len(paths), "same": same, "seconds": seconds}))
    return 0 if all(same.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
