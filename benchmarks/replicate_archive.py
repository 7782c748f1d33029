"""A larger archive for timing queries, made by replicating a linked one: not a linked archive.

    python benchmarks/replicate_archive.py SOURCE TARGET --copies 10

Linking ten million synthetic quotes from scratch takes longer than this project's 2-core
machine has; what the queries cost depends on the files' sizes and the tables' rows, not on how
the claims were found. So TARGET holds ``--copies`` copies of SOURCE's quote, article and claim
files (SOURCE: an archive ``scale_bench.py --keep`` left, linked and with claim ids in its quote
rows), copy ``k`` (from 1; copy 0 is SOURCE as it is) with every id and key shifted: quote ids,
parents, article keys and paths, claim ids get ``-rK``, and each quote's text has the case of
its K-th character turned, so that the distinct texts, the claims and the articles grow with the
copies as they would in a larger archive, while every question matches in each copy what it
matches in SOURCE (``chain`` compares texts lower-cased). The speakers and outlets stay those of SOURCE (a larger archive has more of
them, but far fewer than it has quotes more). Claims never span two copies.

The copies are then indexed as an archive indexed before the derived tables existed is
(``scale.index_archive`` over quote files that carry their claim ids): a names file with the
copies' coverage is written first, so that ``index_archive`` keeps the quote files, and it then
writes every derived table and the names file over the whole. Prints the time that took and
the sizes, as JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

from _common import note, report

from quotetrace.scale import (
    ARTICLES_DIR,
    CLAIM_COLUMN,
    CLAIMS_DIR,
    COVERAGE_KEY,
    NAMES_DIR,
    NAMES_FILE,
    QUOTES_DIR,
    Coverage,
    archive_files,
    connect_duckdb,
    index_archive,
    names_schema,
    quote_files,
    sql_string,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    if args.target.exists():
        raise SystemExit(f"benchmarks: {args.target} exists; give a new folder")
    started = time.perf_counter()
    replicate(args.source, args.target, args.copies)
    copied = time.perf_counter()
    note("indexing the copies ...")
    index_archive(args.target)
    indexed = time.perf_counter()
    with connect_duckdb() as db:
        quotes = db.execute(f"SELECT count(*) FROM read_parquet({sql_string(str(args.target / QUOTES_DIR / '*/*.parquet'))})"
                            ).fetchone()
    report({"benchmark": "replicate_archive", "source": str(args.source), "copies": args.copies,
            "quotes": quotes[0] if quotes else 0, "copy_seconds": round(copied - started, 1),
            "index_seconds": round(indexed - copied, 1),
            "quotes_mb": round(sum(f.stat().st_size for f in quote_files(args.target)) / 2**20, 1),
            "names_mb": {f.name: round(f.stat().st_size / 2**20, 1)
                         for f in sorted((args.target / NAMES_DIR).glob("*.parquet"))}})


def replicate(source: Path, target: Path, copies: int) -> None:
    """``copies`` copies of ``source``'s quote, article and claim files in ``target`` (see above)."""
    files = quote_files(source)
    with connect_duckdb() as db:
        for k in range(copies):
            note(f"copy {k + 1} of {copies} ...")
            for path in files:
                out = target / path.relative_to(source)
                _copy(db, path, out.with_name(f"{out.stem}-r{k:02d}.parquet"), k,
                      ("article_key", "id", "article", "parent", CLAIM_COLUMN), text=True)
            for path in sorted((source / ARTICLES_DIR).glob("*.parquet")):
                _copy(db, path, target / ARTICLES_DIR / f"{path.stem}-r{k:02d}.parquet", k, ("article_key", "path"))
            for path in sorted((source / CLAIMS_DIR).glob("*.parquet")):
                _copy(db, path, target / CLAIMS_DIR / f"{path.stem}-r{k:02d}.parquet", k, ("id", "claim"))
    # what an archive indexed before the derived tables existed has: a names file that covers its
    # files (no stamp), so that index_archive keeps the quote files and their claim ids
    import pyarrow as pa
    import pyarrow.parquet as pq

    quote_names, article_names = archive_files(target)
    coverage = Coverage(quote_names, article_names, True)
    names = pa.Table.from_pylist([], schema=names_schema())
    (target / NAMES_DIR).mkdir(parents=True, exist_ok=True)
    pq.write_table(names.replace_schema_metadata({COVERAGE_KEY: json.dumps(coverage.to_dict())}),
                   str(target / NAMES_DIR / NAMES_FILE))


def _copy(db: Any, source: Path, target: Path, k: int, shifted: tuple[str, ...], text: bool = False) -> None:
    """One file again, its id and key columns shifted for copy ``k`` (copy 0: the file as it is)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if k == 0:
        shutil.copy(source, target)
        return
    replaced = [f'"{column}" || \'-r{k:02d}\' AS "{column}"' for column in shifted]
    if text:
        replaced.append(f"{_case_flipped(k)} AS \"text\"")
    db.execute(f"COPY (SELECT * REPLACE ({', '.join(replaced)}) FROM read_parquet({sql_string(str(source))})) "
               f"TO {sql_string(str(target))} (FORMAT PARQUET)")


def _case_flipped(k: int) -> str:
    """SQL for the text with the case of its ``k``-th character (counted round) turned: another
    text to the archive's tables, the same to every question (``chain`` compares texts
    lower-cased; the stems, the linker's ``link_words``, are kept)."""
    at = f"(({k} - 1) % length(text) + 1)"
    char = f"substring(text, {at}, 1)"
    return (f"CASE WHEN length(text) = 0 THEN text ELSE substring(text, 1, {at} - 1) || "
            f"CASE WHEN upper({char}) = {char} THEN lower({char}) ELSE upper({char}) END || "
            f"substring(text, {at} + 1) END")


if __name__ == "__main__":
    main()
