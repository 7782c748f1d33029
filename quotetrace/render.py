"""Writing quotes out: a rich table for people, JSON and JSON Lines for programs.

Records are ``Quote.to_dict()``. JSON never goes through rich (it would wrap lines and read
``[brackets]`` as markup); article text goes into the table only as ``rich.text.Text``, with
control characters and terminal escapes removed first.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TextIO

from quotetrace.errors import OutputError
from quotetrace.invisible import INVISIBLE
from quotetrace.models import (
    Article,
    Chain,
    Claim,
    IngestOutcome,
    Quote,
    SpeakerProfile,
)
from quotetrace.schema import versioned

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from quotetrace.evaluation import Evaluation
    from quotetrace.scale_files import CompactionOutcome

# rich is imported by the functions that draw (tables, trees): JSON never goes through it, and a
# command answered from the index in JSON does not load it (a twentieth of a second).


class OutputFormat(str, Enum):
    """How ``quotetrace list`` writes its results."""

    table = "table"
    json = "json"
    jsonl = "jsonl"


# ANSI/VT escape sequences (CSI, OSC, and two-character escapes), then any other control
# character: article text must not move the cursor, recolour or retitle a terminal.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
# Below this many columns a table squeezes its columns to nothing: each record is shown as lines
# of "column: value" instead.
NARROW_COLUMNS = 60
# What a width of 0 (COLUMNS=0) stands for when stdout is not a terminal that knows its own.
_DEFAULT_COLUMNS = 80
# Shares of the terminal's width, the quote getting the most; the cue (a word or two) is never
# folded, so it takes the width it needs.
_TABLE_COLUMNS = (("speaker", 2), ("role", 2), ("cue", None), ("quote", 6), ("outlet", 2), ("article", 2))


def render(rows: Iterable[tuple[Quote, Article]], fmt: OutputFormat, out: TextIO | None = None) -> int:
    """Write quotes in one format.

    Args:
        rows: Each quote with the article it was found in (the table shows its outlet).
        fmt: ``table``, ``json`` (one array) or ``jsonl`` (one record a line, streamed).
        out: Where to write; standard output by default.

    Returns:
        How many quotes were written.
    """
    out = out if out is not None else sys.stdout
    if fmt is OutputFormat.jsonl:
        return write_jsonl((quote for quote, _ in rows), out)
    if fmt is OutputFormat.json:
        return write_json((quote for quote, _ in rows), out)
    return write_table(rows, out)


def write_jsonl(quotes: Iterable[Quote], out: TextIO) -> int:
    """One JSON record a line, flushed as each is found so a reader can follow along."""
    return write_records((quote.to_dict() for quote in quotes), OutputFormat.jsonl, out)


def write_json(quotes: Iterable[Quote], out: TextIO) -> int:
    """One JSON array of all records."""
    return write_records((quote.to_dict() for quote in quotes), OutputFormat.json, out)


def write_records(records: Iterable[dict[str, Any]], fmt: OutputFormat, out: TextIO) -> int:
    """Records as one JSON array (``json``) or one a line (``jsonl``, each flushed as it comes),
    every record with ``schema_version`` first (``quotetrace schema`` prints the contract)."""
    if fmt is OutputFormat.jsonl:
        count = 0
        for record in records:
            out.write(json.dumps(versioned(record), ensure_ascii=False) + "\n")
            out.flush()
            count += 1
        return count
    listed = [versioned(record) for record in records]
    out.write(indented_json(listed) + "\n")
    return len(listed)


def indented_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, the same text, in a third of the time.

    The standard library writes indented JSON in pure Python, through a generator per level of
    nesting that every piece of text passes up through: a fifth of a command answered from the
    index. Here each container is one call and each string goes to the C escaper. Anything
    other than str keys and plain JSON values goes to ``json.dumps`` as before.
    """
    pieces: list[str] = []
    try:
        _indented(value, pieces, "\n")
    except (TypeError, ValueError, RecursionError):
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(pieces)


_string = json.encoder.encode_basestring  # the C escaper json.dumps(ensure_ascii=False) uses
_CONSTANTS = {None: "null", True: "true", False: "false"}
_NESTED = (dict, list, tuple)


def _indented(value: Any, pieces: list[str], newline: str) -> None:
    """Append ``value`` as indented JSON; ``newline`` is a newline and the current indent."""
    kind = type(value)
    if kind is dict or kind is list or kind is tuple:
        if not value:
            pieces.append("{}" if kind is dict else "[]")
            return
        inner = newline + "  "
        opening = ("{" if kind is dict else "[") + inner
        items = value.items() if kind is dict else ((None, item) for item in value)
        for key, item in items:
            if kind is dict:
                if type(key) is not str:
                    raise TypeError("a key that json.dumps converts")
                head = opening + _string(key) + ": "
            else:
                head = opening
            opening = "," + inner
            # scalars inline: a call for each would cost most of the time saved
            other = type(item)
            if other is str:
                pieces.append(head + _string(item))
            elif other is int:
                pieces.append(head + int.__repr__(item))
            elif item is None or other is bool:
                pieces.append(head + _CONSTANTS[item])
            else:
                pieces.append(head)
                _indented(item, pieces, inner)
        pieces.append(newline + ("}" if kind is dict else "]"))
    elif kind is str:
        pieces.append(_string(value))
    elif kind is int:
        pieces.append(int.__repr__(value))
    elif kind is float and value == value and value not in (float("inf"), float("-inf")):
        pieces.append(float.__repr__(value))
    elif value is None or kind is bool:
        pieces.append(_CONSTANTS[value])
    else:  # subclasses (an Enum of str), NaN, infinities: json.dumps's own rules
        raise TypeError("a value json.dumps converts")


def write_table(rows: Iterable[tuple[Quote, Article]], out: TextIO) -> int:
    """A table for reading: speaker, role, cue, quote, outlet, article."""
    from rich.table import Table
    table = Table(show_lines=True, expand=True)
    for column, share in _TABLE_COLUMNS:
        table.add_column(column, overflow="fold", ratio=share, no_wrap=share is None)
    count = 0
    for quote, article in rows:
        speaker = quote.speaker
        table.add_row(
            _cell(speaker.name if speaker else None),
            _cell(speaker.role if speaker else None),
            _cell(quote.cue.text if quote.cue else None),
            _cell(f"\u201c{quote.text}\u201d" if quote.kind == "direct" else quote.text),
            _cell(article.meta.outlet),
            _cell(PurePath(quote.article).name or quote.article),
        )
        count += 1
    _print_table(table, out)
    return count


def clean(text: str) -> str:
    """Text safe to show on a terminal: escapes removed, control characters and runs of
    whitespace turned into single spaces, invisible characters (``invisible.INVISIBLE``: bidi
    controls, zero-width spaces) shown as ``\\uXXXX``, so that a name cannot pass for another."""
    return INVISIBLE.sub(_escaped, " ".join(_CONTROLS.sub(" ", _ESCAPES.sub("", text)).split()))


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@functools.cache
def _data_console() -> type[Console]:
    from rich.console import Console

    class _DataConsole(Console):
        """A console for stdout that leaves a closed pipe (``| head``) to the command line, which
        ends quietly with status 0; rich's own handling exits with status 1."""

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _DataConsole


def _console(out: TextIO) -> Console:
    console = _data_console()(file=out)
    if console.width < 1:  # COLUMNS=0: the terminal's own width, else a common one
        try:
            console.width = os.get_terminal_size(out.fileno()).columns or _DEFAULT_COLUMNS
        except (OSError, ValueError, AttributeError):
            console.width = _DEFAULT_COLUMNS
    return console


def _print_table(table: Table, out: TextIO) -> None:
    """The table, or on a narrow terminal each row as lines of "column: value", so that no
    column (the speaker, the quote) is squeezed out of sight."""
    from rich.text import Text
    console = _console(out)
    if console.width >= NARROW_COLUMNS:
        console.print(table)
        return
    rows = zip(*(list(column.cells) for column in table.columns))
    for number, cells in enumerate(rows):
        if number:
            console.print()
        for column, cell in zip(table.columns, cells):
            line = Text(f"{column.header}: ", style="bold")
            line.append_text(cell if isinstance(cell, Text) else Text(str(cell)))
            console.print(line, overflow="fold")


def _cell(value: str | None) -> Text:
    # Text, never a str: rich would read "[the senator]" in an article as markup and drop it.
    from rich.text import Text
    return Text(clean(value)) if value else Text("-", style="dim")


def render_claims(claims: Iterable[Claim], fmt: OutputFormat, out: TextIO | None = None) -> int:
    """Claim groups: a table, one JSON array, or one record a line."""
    from rich.table import Table
    from rich.text import Text
    out = out if out is not None else sys.stdout
    claims = list(claims)
    if fmt is not OutputFormat.table:
        write_records((c.to_dict() for c in claims), fmt, out)
    else:
        table = Table(show_lines=True, expand=True)
        for column, share in (("claim", 6), ("size", None), ("outlets", 2), ("speakers", 2), ("first", None)):
            table.add_column(column, overflow="fold", ratio=share, no_wrap=share is None)
        for c in claims:
            table.add_row(_cell(c.text), Text(str(len(c.quotes))), _cell(", ".join(c.outlets)),
                          _cell(", ".join(c.speakers)), _cell(c.first_published))
        _print_table(table, out)
    return len(claims)


def render_chain(chain: Chain, fmt: OutputFormat | str, out: TextIO | None = None) -> None:
    """A chain as JSON, or as one rich Tree per claim group: origin at the root, each path
    down to its outlet, with the quote and its article at the end of each path."""
    from rich.text import Text
    from rich.tree import Tree
    out = out if out is not None else sys.stdout
    if getattr(fmt, "value", fmt) == "json":
        out.write(json.dumps(versioned(chain.to_dict()), ensure_ascii=False, indent=2) + "\n")
        return
    console = _console(out)
    if not chain.claims:
        console.print(Text(f"No claim matches {clean(chain.query)!r}."))
        return
    quotes = {q.id: q for q in chain.quotes}
    for claim in chain.claims:
        members = set(claim.quotes)
        head = Text(clean(claim.text), style="bold")
        head.append(f"  ({len(claim.quotes)} quotes, first {claim.first_published or 'undated'})", style="dim")
        tree = Tree(head)
        branches: dict[tuple[str, ...], Tree] = {}
        for path in chain.paths:
            if path.quote not in members:
                continue
            node, key = tree, ()
            for step in path.nodes:
                key = (*key, step.name)
                if key not in branches:
                    label = Text(clean(step.name))
                    if step.role:
                        label.append(f" ({clean(step.role)})", style="dim")
                    label.append(f" [{step.type}]", style="dim")
                    branches[key] = node.add(label)
                node = branches[key]
            q = quotes.get(path.quote)
            if q is not None:
                node.add(Text(f"\u201c{clean(q.text)}\u201d  \u2014 {PurePath(path.article).name}", style="italic"))
        console.print(tree)
    inferred = [e for e in chain.edges if e.kind == "inferred"]
    for e in inferred:
        console.print(Text(f"inferred: {clean(e.source)} -> {clean(e.target)} "
                           f"(near-verbatim reuse, {e.confidence:.2f})", style="dim"))


def render_speakers(profiles: Iterable[SpeakerProfile], fmt: OutputFormat, out: TextIO | None = None) -> int:
    """Speakers: a table, one JSON array, or one record a line."""
    from rich.table import Table
    from rich.text import Text
    out = out if out is not None else sys.stdout
    if fmt is not OutputFormat.table:
        return write_records((p.to_dict() for p in profiles), fmt, out)
    table = Table(show_lines=True, expand=True)
    for column, share in (("speaker", 2), ("type", None), ("quotes", None), ("roles", 3), ("aliases", 3),
                          ("outlets", 2)):
        table.add_column(column, overflow="fold", ratio=share, no_wrap=share is None)
    count = 0
    for p in profiles:
        table.add_row(_cell(p.name), Text(p.type), Text(str(p.quote_count)), _cell("; ".join(p.roles)),
                      _cell("; ".join(p.aliases)), _cell(", ".join(p.outlets)))
        count += 1
    _print_table(table, out)
    return count


def render_ingest(outcomes: Iterable[IngestOutcome], fmt: OutputFormat, out: TextIO | None = None) -> int:
    """What ingest did: one record per article (json, jsonl), or for the table how many articles
    (and quotes) were added, skipped and failed, then each failure."""
    from rich.table import Table
    from rich.text import Text
    out = out if out is not None else sys.stdout
    if fmt is not OutputFormat.table:
        return write_records((o.to_dict() for o in outcomes), fmt, out)
    listed = list(outcomes)
    table = Table()
    for column in ("status", "articles", "quotes"):
        table.add_column(column, justify="left" if column == "status" else "right")
    for status in ("added", "skipped", "failed"):
        rows = [o for o in listed if o.status == status]
        table.add_row(status, str(len(rows)), str(sum(o.quotes for o in rows)))
    console = _console(out)
    console.print(table)
    for o in listed:
        if o.status == "failed":
            console.print(Text(f"failed: {clean(o.article)}: {clean(o.error or '')}"))
    return len(listed)


def render_compaction(outcomes: Iterable[CompactionOutcome], fmt: OutputFormat, out: TextIO | None = None) -> int:
    """What compact did: per partition, its files before and after and its rows (a table, or a
    record each)."""
    from rich.table import Table
    out = out if out is not None else sys.stdout
    if fmt is not OutputFormat.table:
        return write_records((o.to_dict() for o in outcomes), fmt, out)
    listed = list(outcomes)
    table = Table()
    for column in ("partition", "files before", "files after", "rows"):
        table.add_column(column, justify="left" if column == "partition" else "right")
    for o in listed:
        table.add_row(o.partition, str(o.files_before), str(o.files_after), str(o.rows))
    _console(out).print(table)
    return len(listed)


def write_json_ld(objects: Iterable[dict[str, Any]], out: TextIO | None = None) -> int:
    """JSON-LD objects (schema.org) as one JSON array: they carry their own ``@context`` and
    follow schema.org's vocabulary, so no ``schema_version`` is added."""
    out = out if out is not None else sys.stdout
    listed = list(objects)
    out.write(json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
    return len(listed)


@contextmanager
def output_to(path: PurePath | str | None) -> Iterator[TextIO]:
    """Where a command writes: standard output, or the file ``path``, written only once the
    output is complete (a run that fails leaves an existing file as it was)."""
    if path is None:
        yield sys.stdout
        return
    buffer = io.StringIO()
    yield buffer
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write(buffer.getvalue())
    except OSError as error:
        raise OutputError.cannot_write(str(path), error) from None

def render_evaluation(evaluation: Evaluation, fmt: OutputFormat | str, misses: bool = False,
                      out: TextIO | None = None) -> None:
    """Figures of a run against a gold: one JSON object (``schema_version`` first), or lines to
    read; with ``misses``, each missed and wrongly attributed quote with its text."""
    out = out if out is not None else sys.stdout
    if getattr(fmt, "value", fmt) == "json":
        out.write(json.dumps(versioned(evaluation.to_dict(misses)), ensure_ascii=False, indent=2) + "\n")
        return
    d, a, link = evaluation.detection, evaluation.attribution, evaluation.linking
    lines = [
        f"gold: {clean(evaluation.gold)} ({evaluation.articles} articles)",
        f"quotes: {evaluation.gold_required} in gold, {evaluation.predicted} predicted, {evaluation.found} found, "
        f"{evaluation.speaker_right} with the right speaker",
        f"detection    P {d.precision:.3f}  R {d.recall:.3f}  F1 {d.f1:.3f}",
        f"attribution  P {a.precision:.3f}  R {a.recall:.3f}  F1 {a.f1:.3f}   "
        f"speaker accuracy {evaluation.speaker_accuracy:.3f}",
        *(f"  {k.kind:9} found {k.found}/{k.gold}  speaker right {k.speaker_right}" for k in evaluation.by_kind),
        f"linking      must-link joined {link.must_link_joined}/{link.must_link}  "
        f"cannot-link kept apart {link.cannot_link_kept_apart}/{link.cannot_link}",
        "chain edges  {}/{} found".format(*evaluation.chain_edges),
    ]
    for c in evaluation.chains:
        lines.append(f"  chain {clean(c.query)!r}: {c.edges_found}/{c.gold_edges} gold edges found, "
                     f"{c.pred_edges} predicted")
        lines.extend(f"    missing {clean(edge)}" for edge in c.missing)
    if misses:
        lines.extend(f"missed {clean(m.id)} ({m.kind}, {clean(m.file)}): {clean(m.text)}" for m in evaluation.missed)
        lines.extend(f"wrong speaker {clean(w.id)} ({clean(w.file)}): gold {clean(w.gold or '-')}, "
                     f"got {clean(w.predicted or '-')}: {clean(w.text)}" for w in evaluation.wrong_speaker)
        lines.extend(f"{m.relation.replace('_', '-')} {clean(m.a)} + {clean(m.b)} "
                     f"{('not joined' if m.relation == 'must_link' else 'joined') if m.found else 'not found'}: "
                     f"{clean(m.a_text)} | {clean(m.b_text)}" for m in evaluation.link_misses)
    out.write("\n".join(lines) + "\n")
