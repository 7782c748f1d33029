"""A stray quotation mark costs its span, with one warning naming the file; the run succeeds."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from quotetrace.cli import app


def test_unpaired_mark_warns_with_the_file_and_keeps_the_rest(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    # in this process: the command line loads the pipeline the session already has
    bad = tmp_path / "stray.txt"
    bad.write_text("The lawyer said the inquiry has gone too far.” Nobody agreed.\n\n“We will appeal,” attorney Mark Fine said.\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("“Prices will rise next year,” said Maria Lopez, an economist.\n", encoding="utf-8")
    proc = CliRunner().invoke(app, ["list", str(tmp_path), "-f", "json"])
    assert proc.exit_code == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.strip()]
    assert warnings and all(line.startswith("quotetrace: warning: ") for line in warnings)
    assert any(str(bad) in line and "unpaired" in line for line in warnings)
    records = json.loads(proc.stdout)
    texts = {(Path(r["article"]).name, r["text"]) for r in records}
    assert ("stray.txt", "We will appeal") in texts
    assert ("good.txt", "Prices will rise next year") in texts
    assert "Traceback" not in proc.stderr
