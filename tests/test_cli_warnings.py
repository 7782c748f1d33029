"""A stray quotation mark costs its span, with one warning naming the file; the run succeeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_unpaired_mark_warns_with_the_file_and_keeps_the_rest(tmp_path: Path) -> None:
    bad = tmp_path / "stray.txt"
    bad.write_text("The lawyer said the inquiry has gone too far.” Nobody agreed.\n\n“We will appeal,” attorney Mark Fine said.\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("“Prices will rise next year,” said Maria Lopez, an economist.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "quotetrace", "list", str(tmp_path), "-f", "json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.strip()]
    assert warnings and all(line.startswith("quotetrace: warning: ") for line in warnings)
    assert any(str(bad) in line and "unpaired" in line for line in warnings)
    records = json.loads(proc.stdout)
    texts = {(Path(r["article"]).name, r["text"]) for r in records}
    assert ("stray.txt", "We will appeal") in texts
    assert ("good.txt", "Prices will rise next year") in texts
    assert "Traceback" not in proc.stderr
