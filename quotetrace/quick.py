"""The ``quotetrace`` command's entry point: the commonest query answered from the index without
loading the command line's machinery, everything else handed to ``cli.app``.

``quotetrace list PATHS -f json`` (or ``jsonl``) again over articles the index holds is answered
in a fraction of a second, of which typer's import (with pydantic, which typer 0.29 coerces
parameters with) and rich's would be half. So ``main`` reads that one command's arguments
itself (``list_arguments``: the plain forms only, anything else goes to typer) and answers it
with the library (``runner.run_from_index``) only when the answer is certain to be the one the
command line would give: every input read, every article in the index, nothing warned. Then
nothing has been written yet, and anything less goes to ``cli.app``, which does it all again
the usual way: reports, parses, warns. The answer is the same either way, byte for byte
(tests/test_quick.py); only what it costs differs.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# The options of ``quotetrace list`` (cli.list_quotes) that take a value, by the name it has there.
_VALUED = {"--speaker": "speaker", "--outlet": "outlet", "--kind": "kind", "--format": "fmt", "-f": "fmt",
           "--model": "model", "--aliases": "aliases_file", "--db": "db", "--workers": "workers"}
_FLAGS = {"--link": True, "--no-link": False}
# What the quick answer writes: JSON only (a table goes through rich).
_FORMATS = frozenset({"json", "jsonl"})
_KINDS = frozenset({"direct", "indirect", "mixed"})


@dataclass(frozen=True)
class ListArguments:
    """``quotetrace list``'s arguments, as ``cli.list_quotes`` receives them from typer."""

    paths: tuple[str, ...] = ()
    speaker: str | None = None
    outlet: str | None = None
    kind: str | None = None
    fmt: str = "table"
    link: bool | None = None
    model: str | None = None
    aliases_file: Path | None = None
    db: Path | None = None
    workers: int | None = None


def main() -> None:
    """``quotetrace``: a quick answer from the index where there is one, else ``cli.app``."""
    arguments = list_arguments(sys.argv[1:])
    if arguments is None or not answer_from_index(arguments):
        from quotetrace.cli import app

        app(prog_name="quotetrace")


def list_arguments(argv: Sequence[str]) -> ListArguments | None:
    """The arguments of ``quotetrace list ... -f json|jsonl`` in the forms typer reads the same
    way (``--opt value``, ``--opt=value``, ``-f value``), or None for anything else: another
    command, help, a value typer would refuse, stdin (``-``), ``--``, a table."""
    if not argv or argv[0] != "list":
        return None
    values: dict[str, str | bool] = {}
    paths: list[str] = []
    rest = iter(argv[1:])
    for arg in rest:
        option, equals, value = arg.partition("=")
        if arg in _FLAGS:
            values["link"] = _FLAGS[arg]
        elif arg in _VALUED:
            following = next(rest, None)
            if following is None or following.startswith("-"):
                return None
            values[_VALUED[arg]] = following
        elif equals and option.startswith("--") and option in _VALUED:
            values[_VALUED[option]] = value
        elif arg.startswith("-"):
            return None
        else:
            paths.append(arg)
    return _checked(paths, values)


def _checked(paths: list[str], values: dict[str, str | bool]) -> ListArguments | None:
    """The arguments, or None where typer would refuse or convert them otherwise."""
    fmt, kind, workers = values.get("fmt", "table"), values.get("kind"), values.get("workers")
    if fmt not in _FORMATS or (kind is not None and kind not in _KINDS):
        return None
    if workers is not None and not (isinstance(workers, str) and workers.isascii() and workers.isdigit()
                                    and int(workers) >= 1):
        return None
    files: dict[str, Path] = {}
    for name in ("db", "aliases_file"):
        if name in values:
            given = str(values[name])
            if not given or Path(given).is_dir():  # typer refuses a folder (dir_okay=False)
                return None
            files[name] = Path(given)
    link = values.get("link")
    return ListArguments(
        paths=tuple(paths), speaker=_text(values.get("speaker")), outlet=_text(values.get("outlet")),
        kind=_text(kind), fmt=str(fmt), link=link if isinstance(link, bool) else None, model=_text(values.get("model")),
        aliases_file=files.get("aliases_file"), db=files.get("db"), workers=int(workers) if workers else None)


def _text(value: str | bool | None) -> str | None:
    return value if isinstance(value, str) else None


def answer_from_index(arguments: ListArguments) -> bool:
    """Write the answer of ``quotetrace list`` and return True if the index holds all of it and
    nothing was warned; else write nothing and return False."""
    if sys.stdout is None:
        return False
    from quotetrace.errors import QuotetraceError
    from quotetrace.worklog import call_logged

    try:
        text, logged = call_logged(_answer, arguments)
    except QuotetraceError:
        return False  # the command line says what went wrong
    if text is None or logged:
        return False
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, UnicodeEncodeError) as error:
        from quotetrace.cli import exit_on

        exit_on(error)
    return True


class _Unanswerable(Exception):
    """An input could not be read: the command line reports it (and exits 1)."""


def _unanswerable(error: object) -> None:
    raise _Unanswerable  # at once: nothing more (claim linking) is done for an answer not given


def _answer(arguments: ListArguments) -> str | None:
    """What ``cli.list_quotes`` writes, when the index holds every article of the run."""
    from quotetrace.aliases import load_aliases
    from quotetrace.articles import default_corpus_paths
    from quotetrace.filters import select_from_articles
    from quotetrace.lexicon import load_lexicon, overrides_from_env
    from quotetrace.render import OutputFormat, render
    from quotetrace.runner import run_from_index
    from quotetrace.store import open_index

    aliases = load_aliases(arguments.aliases_file)
    lexicon = load_lexicon(overrides_from_env())
    fmt = OutputFormat(arguments.fmt)
    link = arguments.link if arguments.link is not None else fmt is not OutputFormat.jsonl
    try:
        with open_index(arguments.db) as index:
            found = run_from_index(list(arguments.paths) or default_corpus_paths(), index=index,
                                   model=arguments.model, aliases=aliases, link=link, lexicon=lexicon,
                                   on_error=_unanswerable, workers=arguments.workers)
    except _Unanswerable:
        return None
    if found is None:
        return None
    out = io.StringIO()
    render(select_from_articles(found, arguments.speaker, arguments.outlet, arguments.kind, aliases,
                                titles=lexicon.speakers.titles), fmt, out)
    return out.getvalue()

