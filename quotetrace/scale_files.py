"""Which files of a Parquet archive are live, and merging many small ones into a few (compaction).

``ingest`` writes a quote file per task and month and an article file per task (16 articles,
about 200 quotes), so a 10 M-quote archive holds tens of thousands of files, each opened by every
``--from`` query. Compaction merges each partition's (``quotes/month=X/``, ``articles/``) small
files into files of up to ``COMPACT_FILE_ROWS`` rows, in row groups of ``COMPACT_ROW_GROUP_ROWS``.

The live files are those the manifest (``manifest.json``) lists, once an archive has one; before
its first compaction, every ``*.parquet`` of the folders (as before manifests existed). The
manifest is only ever replaced whole (written beside, then ``os.replace``), so a reader sees the
old list or the new one. Compaction, step by step:

1. write the manifest of the live files as they are (where there is none yet): from here on,
   files not listed are invisible;
2. remove files not listed (left by a compaction or an ingest that stopped: an article counts as
   done only once its ``articles/`` file is listed, so a stopped ingest's files are of articles
   parsed again next time);
3. write each merged file whole under a name of its own, not listed;
4. replace the manifest by one listing the merged files instead of their inputs;
5. remove the inputs.

A stop anywhere leaves each row in exactly one listed file: before step 4 the inputs, after it the
merged file; a rerun repairs what is left (step 2). A merged file holds consecutive files of its
partition, rows in order, and is named after the first of them (``part-NAME-mXXXXXXXX.parquet``
sorts just before ``part-NAME.parquet``), so the files' order, which the claim linker numbers
quotes by, is the same. One process writes an archive at a time (as before: ``ingest`` runs are not
meant to overlap); another one's files written during step 2 would be removed.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quotetrace.errors import ScaleError

if TYPE_CHECKING:
    import pyarrow as pa

ARTICLES_DIR = "articles"
QUOTES_DIR = "quotes"
MANIFEST_FILE = "manifest.json"
# Rows of a merged file: 32 row groups. At 10 M quotes in one month that is 10 files where ingest
# left 50,000; larger files would gain little (each query opens a few dozen footers) and make
# each merge hold more.
COMPACT_FILE_ROWS = 1 << 20
# Rows a row group of a merged file: the derived tables' (``scale.KEYED_ROW_GROUP_ROWS``).
COMPACT_ROW_GROUP_ROWS = 32_768
# A file of this many rows or more is left as it is: it was merged already.
SMALL_FILE_ROWS = COMPACT_FILE_ROWS // 2
MERGED_COMPRESSION = "zstd"


@dataclass(frozen=True)
class Manifest:
    """The live files of an archive: quote files (paths under ``quotes/``) and article files
    (names under ``articles/``), each sorted; and ``indexed``, the stamp of the names file whose
    tables hold exactly these files' rows (a compaction changes names, not rows), or empty."""

    quote_files: tuple[str, ...]
    article_files: tuple[str, ...]
    indexed: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"quote_files": list(self.quote_files), "article_files": list(self.article_files),
                "indexed": self.indexed}


@dataclass(frozen=True)
class CompactionOutcome:
    """What a compaction did to one partition (``quotes/month=X`` or ``articles``)."""

    partition: str
    files_before: int
    files_after: int
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {"partition": self.partition, "files_before": self.files_before,
                "files_after": self.files_after, "rows": self.rows}


def read_manifest(root: Path) -> Manifest | None:
    """The archive's manifest; None where it has none (it was never compacted).

    Raises:
        ScaleError: The manifest cannot be read.
    """
    path = root / MANIFEST_FILE
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise ScaleError.unreadable(str(root), error) from None
    if not isinstance(found, dict):
        raise ScaleError.unreadable(str(root), ValueError(f"{MANIFEST_FILE} is not an object"))
    return Manifest(tuple(found.get("quote_files", ())), tuple(found.get("article_files", ())),
                    str(found.get("indexed") or ""))


def write_manifest(root: Path, manifest: Manifest) -> None:
    """Replace the manifest whole: written beside it, then renamed over it."""
    partial = root / f".{MANIFEST_FILE}.{uuid.uuid4().hex[:8]}.partial"
    with open(partial, "w", encoding="utf-8") as out:
        json.dump(manifest.to_dict(), out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, root / MANIFEST_FILE)


def _found_quote_files(root: Path) -> list[str]:
    return sorted(str(f.relative_to(root / QUOTES_DIR)) for f in (root / QUOTES_DIR).glob("*/*.parquet"))


def _found_article_files(root: Path) -> list[str]:
    return sorted(f.name for f in (root / ARTICLES_DIR).glob("*.parquet"))


def live_quote_files(root: Path) -> list[Path]:
    """The archive's live quote files, sorted by name (month, then run and task)."""
    manifest = read_manifest(root)
    names = manifest.quote_files if manifest is not None else _found_quote_files(root)
    return sorted(root / QUOTES_DIR / name for name in names)


def live_article_files(root: Path) -> list[Path]:
    """The archive's live article files, sorted by name."""
    manifest = read_manifest(root)
    names = manifest.article_files if manifest is not None else _found_article_files(root)
    return [root / ARTICLES_DIR / name for name in names]


def add_files(root: Path, run: str) -> None:
    """List the files a run wrote (``part-RUN-*``) in the manifest, once all are written (where
    the archive has a manifest; else every file is live already)."""
    manifest = read_manifest(root)
    if manifest is None:
        return
    quotes = {str(f.relative_to(root / QUOTES_DIR)) for f in (root / QUOTES_DIR).glob(f"*/part-{run}-*.parquet")}
    articles = {f.name for f in (root / ARTICLES_DIR).glob(f"part-{run}-*.parquet")}
    if quotes or articles:
        write_manifest(root, Manifest(tuple(sorted({*manifest.quote_files, *quotes})),
                                      tuple(sorted({*manifest.article_files, *articles}))))


def compact_files(root: Path, indexed: str = "", *, file_rows: int = COMPACT_FILE_ROWS) -> list[CompactionOutcome]:
    """Merge each partition's small live files (the module's steps 1 to 5).

    Args:
        root: The archive folder.
        indexed: The stamp of the names file that covers the live files as they are now (empty
            if none does): the manifest says that its tables hold the merged files' rows too.
        file_rows: Rows a merged file holds at most.

    Returns:
        One outcome per partition that holds files.
    """
    manifest = read_manifest(root)
    if manifest is not None:
        remove_unlisted(root, manifest)  # step 2
        listed = manifest
    else:  # every file is live: only half-written ones can be left
        remove_partials(root)
        listed = Manifest(tuple(_found_quote_files(root)), tuple(_found_article_files(root)), indexed)
    partitions: dict[str, list[str]] = {}
    for name in listed.quote_files:
        partitions.setdefault(f"{QUOTES_DIR}/{Path(name).parent}", []).append(f"{QUOTES_DIR}/{name}")
    if listed.article_files:
        partitions[ARTICLES_DIR] = [f"{ARTICLES_DIR}/{name}" for name in listed.article_files]
    plans = {partition: _chunks(root, files, file_rows) for partition, files in sorted(partitions.items())}
    outcomes = [CompactionOutcome(partition, sum(len(c) for c in chunks), len(chunks),
                                  sum(rows for c in chunks for _, rows in c)) for partition, chunks in plans.items()]
    to_merge = [[name for name, _ in chunk] for chunks in plans.values() for chunk in chunks if len(chunk) > 1]
    if not to_merge:
        if manifest is not None and manifest.indexed != indexed:
            write_manifest(root, replace(manifest, indexed=indexed))
        return outcomes
    if manifest is None or manifest.indexed != indexed:
        write_manifest(root, listed if manifest is None else replace(manifest, indexed=indexed))  # step 1
    manifest = replace(listed, indexed=indexed)
    merged = {merge_chunk(root, names): names for names in to_merge}  # step 3
    gone = {name for inputs in merged.values() for name in inputs}
    live = [*(f"{QUOTES_DIR}/{n}" for n in manifest.quote_files),
            *(f"{ARTICLES_DIR}/{n}" for n in manifest.article_files)]
    live = [name for name in live if name not in gone] + list(merged)
    quotes = sorted(n.removeprefix(f"{QUOTES_DIR}/") for n in live if n.startswith(f"{QUOTES_DIR}/"))
    articles = sorted(n.removeprefix(f"{ARTICLES_DIR}/") for n in live if n.startswith(f"{ARTICLES_DIR}/"))
    write_manifest(root, Manifest(tuple(quotes), tuple(articles), indexed))  # step 4
    for name in sorted(gone):  # step 5
        remove_file(root / name)
    return outcomes


def remove_unlisted(root: Path, manifest: Manifest) -> None:
    """Remove the quote and article files the manifest does not list, and any file left half-written."""
    listed = ({root / QUOTES_DIR / n for n in manifest.quote_files}
              | {root / ARTICLES_DIR / n for n in manifest.article_files})
    for path in [*(root / QUOTES_DIR).glob("*/*.parquet"), *(root / ARTICLES_DIR).glob("*.parquet")]:
        if path not in listed:
            remove_file(path)
    remove_partials(root)


def remove_partials(root: Path) -> None:
    """Remove the files a stopped write left half-written (never live: under no final name)."""
    for path in [*(root / QUOTES_DIR).glob("*/.*.partial"), *(root / ARTICLES_DIR).glob(".*.partial")]:
        remove_file(path)


def remove_file(path: Path) -> None:
    """Remove one file no longer live (a step of its own, so that a test can stop a compaction here)."""
    path.unlink(missing_ok=True)


def _chunks(root: Path, files: Sequence[str], file_rows: int) -> list[list[tuple[str, int]]]:
    """A partition's files (in order) as runs of consecutive small files of one schema, of at
    most ``file_rows`` rows together; a large file is a run of its own."""
    import pyarrow.parquet as pq

    chunks: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    schema = None
    total = 0
    for name in files:
        try:
            meta = pq.ParquetFile(str(root / name)).metadata
        except Exception as error:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file
            raise ScaleError.unreadable(str(root), error) from None
        rows, file_schema = meta.num_rows, nullable_schema(meta.schema.to_arrow_schema())
        small = rows < min(SMALL_FILE_ROWS, file_rows)
        if current and (not small or total + rows > file_rows or not file_schema.equals(schema)):
            chunks.append(current)
            current, total = [], 0
        if not small:
            chunks.append([(name, rows)])
            continue
        current.append((name, rows))
        schema = file_schema
        total += rows
    if current:
        chunks.append(current)
    return chunks


def nullable_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` without its metadata, every field (nested too) nullable: what files of one
    table have in common when DuckDB wrote some (it marks a column without nulls required)."""
    import pyarrow as pa

    def loose(kind: pa.DataType) -> pa.DataType:
        if pa.types.is_struct(kind):
            return pa.struct([pa.field(f.name, loose(f.type)) for f in kind])
        if pa.types.is_list(kind):
            return pa.list_(pa.field(kind.value_field.name, loose(kind.value_type)))
        return kind

    return pa.schema([pa.field(f.name, loose(f.type)) for f in schema])


def merge_chunk(root: Path, names: Sequence[str]) -> str:
    """Write the rows of these files (paths under ``root``, one folder, one schema), in order, as
    one file named after the first, whole or not at all; return its path under ``root``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    first = Path(names[0])
    target = first.with_name(f"{first.stem}-m{uuid.uuid4().hex[:8]}.parquet")
    partial = root / target.with_name(f".{target.name}.partial")
    schema = nullable_schema(pq.read_schema(str(root / first)))
    pending: list[pa.Table] = []
    held = 0
    try:
        with pq.ParquetWriter(str(partial), schema, compression=MERGED_COMPRESSION) as writer:
            for name in names:
                table = pq.read_table(str(root / name)).cast(schema)
                pending.append(table)
                held += table.num_rows
                if held >= COMPACT_ROW_GROUP_ROWS:
                    whole = pa.concat_tables(pending)
                    cut = held - held % COMPACT_ROW_GROUP_ROWS
                    writer.write_table(whole.slice(0, cut), row_group_size=COMPACT_ROW_GROUP_ROWS)
                    pending, held = [whole.slice(cut)], held - cut
            if held:
                writer.write_table(pa.concat_tables(pending), row_group_size=COMPACT_ROW_GROUP_ROWS)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(root / target)
    return str(target)
