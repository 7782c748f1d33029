"""The ``quotetrace`` command: a few lines per command around the library.

This is the one place that catches ``QuotetraceError``: it prints one line on stderr and exits 1.
Results go to stdout; warnings and errors go to stderr.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Self

import typer
from rich.console import Console
from rich.text import Text

from quotetrace import __version__
from quotetrace.aliases import ALIASES_ENV, Aliases, default_aliases_path, load_aliases
from quotetrace.articles import default_corpus_paths, read_articles
from quotetrace.errors import InputError, QuotetraceError
from quotetrace.filters import select_from_articles
from quotetrace.lexicon import Lexicon, load_lexicon, overrides_from_env
from quotetrace.models import Article, IngestOutcome, Quote
from quotetrace.nlp import MODEL_ENV
from quotetrace.render import OutputFormat, clean, render
from quotetrace.store import DB_ENV, default_db_path

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from quotetrace.runner import Extracted

app = typer.Typer(
    add_completion=False,
    # A traceback's locals would dump whole articles on the terminal.
    pretty_exceptions_show_locals=False,
)
_stderr = Console(stderr=True, soft_wrap=True, highlight=False)


class ChainFormat(str, Enum):
    """How ``quotetrace chain`` writes its result: as text, or as a picture (diagram.py)."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    html = "html"
    mermaid = "mermaid"
    dot = "dot"


class Kind(str, Enum):
    """Which quotes ``--kind`` keeps."""

    direct = "direct"
    indirect = "indirect"
    mixed = "mixed"


class EvalFormat(str, Enum):
    """How ``quotetrace eval`` writes its figures."""

    table = "table"
    json = "json"


class ClaimFormat(str, Enum):
    """How ``quotetrace claims`` writes its result: as ``list`` does, or as schema.org JSON-LD."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    schema_org = "schema-org"


ModelOption = Annotated[str | None, typer.Option(help=f"spaCy pipeline to use (or set {MODEL_ENV}).")]
PathsArgument = Annotated[list[str] | None, typer.Argument(
    help="Articles, as for list. Default: the bundled corpus.", show_default=False)]
AliasesOption = Annotated[Path | None, typer.Option(
    "--aliases", metavar="FILE", dir_okay=False, show_default=False,
    help=f"TOML file of speaker aliases (or set {ALIASES_ENV}). Default: {default_aliases_path()}, if it exists.")]


DbOption = Annotated[Path | None, typer.Option(
    "--db", metavar="FILE", dir_okay=False, show_default=False,
    help=f"The index of articles already read (or set {DB_ENV}). Default: {default_db_path()}.")]
WorkersOption = Annotated[int | None, typer.Option(
    "--workers", min=1, show_default=False,
    help="Processes to parse and to link claims in (at most the usable cores for linking). Default: the "
         "usable cores, on runs with enough work to pay for starting them.")]
FromOption = Annotated[Path | None, typer.Option(
    "--from", metavar="DIR", file_okay=False, show_default=False,
    help="Answer from a Parquet archive (made by ingest --output) with DuckDB, instead of reading articles.")]
# Runs that parse fewer articles than this finish too soon to want a progress bar.
PROGRESS_FROM_ARTICLES = 10


def _version(value: bool) -> None:
    if value:
        typer.echo(f"quotetrace {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Find quotes in news articles and who said them."""


@app.command("list")
def list_quotes(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Article files, folders, .jsonl files, or - for stdin. Default: the bundled corpus.",
                       show_default=False),
    ] = None,
    speaker: Annotated[str | None, typer.Option(help="Only quotes by this speaker (forgives hyphens, typos).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only quotes from articles of this outlet.")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Only quotes of this kind.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    link: Annotated[bool | None, typer.Option(
        "--link/--no-link",
        help="Give each quote its claim id, linked over all the articles read (waits for the whole run). "
             "Default: on, except for jsonl, which streams.")] = None,
    model: ModelOption = None,
    aliases_file: AliasesOption = None,
    db: DbOption = None,
    workers: WorkersOption = None,
    archive: FromOption = None,
) -> None:
    """List every quote in the articles, with who said it and how we know."""
    with _command() as failures:
        aliases = load_aliases(aliases_file)
        lexicon = _lexicon()
        if archive is not None:
            from quotetrace.parquet_query import open_archive, select_quotes

            with open_archive(archive) as opened:
                rows = select_quotes(opened, speaker, outlet, kind.value if kind else None, aliases,
                                     lexicon.speakers.titles)
                if not (link if link is not None else fmt is not OutputFormat.jsonl):
                    rows = ((replace(q, claim=None), a) for q, a in rows)  # as from the articles, unlinked
                render(rows, fmt)
            return
        linked = link if link is not None else fmt is not OutputFormat.jsonl
        found = _run(paths, model, failures, aliases, db, workers, lexicon, link=linked)
        render(select_from_articles(found, speaker, outlet, kind.value if kind else None, aliases,
                                    titles=lexicon.speakers.titles), fmt)


@app.command("claims")
def list_claims(
    paths: PathsArgument = None,
    min_outlets: Annotated[int, typer.Option(min=1, help="Only claims carried by at least this many outlets.")] = 1,
    fmt: Annotated[ClaimFormat, typer.Option(
        "--format", "-f", help="Output format; schema-org writes JSON-LD Claim objects for fact-check tools. "
                               "jsonl streams once claims are linked, which needs the whole run.")] = ClaimFormat.table,
    model: ModelOption = None,
    aliases_file: AliasesOption = None,
    db: DbOption = None,
    workers: WorkersOption = None,
    archive: FromOption = None,
) -> None:
    """Claim groups: quotes that state the same claim, with outlets, speakers and first appearance."""
    from quotetrace.claims import select_claims
    from quotetrace.render import render_claims, write_json_ld
    from quotetrace.schemaorg import schema_org_claims

    if archive is not None:
        with _command():
            from quotetrace.parquet_query import archive_claims, claim_articles, open_archive

            with open_archive(archive) as opened:
                if fmt is ClaimFormat.schema_org:
                    found = list(archive_claims(opened, min_outlets))
                    write_json_ld(schema_org_claims(found, claim_articles(opened, [c.id for c in found])))
                else:
                    render_claims(archive_claims(opened, min_outlets), OutputFormat(fmt.value))
        return
    with _command() as failures:
        results = list(_run(paths, model, failures, load_aliases(aliases_file), db, workers, link=True))
        claims = select_claims(results, min_outlets)
        if fmt is ClaimFormat.schema_org:
            write_json_ld(schema_org_claims(claims, results))
        else:
            render_claims(claims, OutputFormat(fmt.value))


@app.command("chain")
def chain(
    query: Annotated[str, typer.Argument(help="Words of the claim (or its speaker) to trace.")],
    paths: PathsArgument = None,
    fmt: Annotated[ChainFormat, typer.Option(
        "--format", "-f", help="Output format: html (one self-contained page), mermaid, dot (Graphviz), jsonl "
                               "(one graph a line) draw each claim group as a graph.")] = ChainFormat.table,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", dir_okay=False, show_default=False,
        help="Write to FILE instead of standard output.")] = None,
    model: ModelOption = None,
    aliases_file: AliasesOption = None,
    db: DbOption = None,
    workers: WorkersOption = None,
    archive: FromOption = None,
) -> None:
    """Trace how the claims matching QUERY travelled: origin, relays, outlets."""
    from quotetrace.chains import MIN_QUERY_CHARS, trace

    if len(query.strip()) < MIN_QUERY_CHARS:
        raise typer.BadParameter(f"give at least {MIN_QUERY_CHARS} characters to look for", param_hint="QUERY")
    from quotetrace.diagram import render_diagram
    from quotetrace.render import output_to, render_chain

    with _command() as failures:
        if archive is not None:
            from quotetrace.parquet_query import archive_chain, open_archive

            _configure_logging()
            with open_archive(archive) as opened:
                found, results = archive_chain(opened, query, load_aliases(aliases_file))
        else:
            results = list(_run(paths, model, failures, load_aliases(aliases_file), db, workers, link=True))
            found = trace(query, results)
        with output_to(output) as out:
            if fmt in (ChainFormat.table, ChainFormat.json):
                render_chain(found, fmt, out)
            else:
                render_diagram(found, results, fmt.value, out)


@app.command("speakers")
def speakers(
    paths: PathsArgument = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    model: ModelOption = None,
    aliases_file: AliasesOption = None,
    db: DbOption = None,
    workers: WorkersOption = None,
    archive: FromOption = None,
) -> None:
    """Who is quoted: each speaker with the words that named them, roles, quote counts, outlets."""
    from quotetrace.profiles import speaker_profiles
    from quotetrace.render import render_speakers

    with _command() as failures:
        lexicon = _lexicon()
        if archive is not None:
            from quotetrace.parquet_query import archive_speakers, open_archive

            with open_archive(archive) as opened:
                render_speakers(archive_speakers(opened, lexicon.speakers, load_aliases(aliases_file)), fmt)
            return
        found = _run(paths, model, failures, load_aliases(aliases_file), db, workers, lexicon)
        render_speakers(speaker_profiles(found, lexicon.speakers), fmt)


@app.command("ingest")
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Article files, folders, .jsonl files, or - for stdin.",
                                               show_default=False)],
    fmt: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="table: how many articles were added, skipped and failed; json, jsonl: one "
                               "record per article.")] = OutputFormat.table,
    model: ModelOption = None,
    db: DbOption = None,
    workers: WorkersOption = None,
    scheduler: Annotated[str | None, typer.Option(
        metavar="ADDRESS|local", show_default=False,
        help="Parse and link on a Dask cluster: a scheduler address (tcp://host:8786), or local for a cluster "
             "of this machine's cores. Needs --output.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", metavar="DIR", file_okay=False, show_default=False,
        help="Write the records to this Parquet archive (for --from) instead of the index.")] = None,
) -> None:
    """Read articles into the index ahead of time, so that later commands answer without parsing."""
    from quotetrace.render import render_ingest

    if output is not None or scheduler is not None:
        if output is None:
            raise typer.BadParameter("--scheduler writes a Parquet archive: give --output DIR", param_hint="--output")
        with _command() as failures:
            from quotetrace.errors import ExtractionError
            from quotetrace.scale import ingest_parquet

            _configure_logging()
            done = ingest_parquet(paths, output, scheduler=scheduler or "local", model=model, lexicon=_lexicon(),
                                  on_error=failures.report)
            for outcome in done:
                if outcome.status == "failed":
                    failures.report(ExtractionError.failed(outcome.article, RuntimeError(outcome.error)))
            render_ingest(_with_unread(iter(done), failures), fmt)
        return
    with _command() as failures:
        outcomes = (IngestOutcome.of(e.article.path, e.source, len(e.quotes), e.error)
                    for e in _extracted(paths, model, failures, db, workers))
        render_ingest(_with_unread(outcomes, failures), fmt)


@app.command("compact")
def compact(
    archive: Annotated[Path, typer.Argument(metavar="DIR", file_okay=False, show_default=False,
                                            help="A Parquet archive (made by ingest --output).")],
    fmt: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="table, json, jsonl: each partition's files before and after.")] = OutputFormat.table,
) -> None:
    """Merge an archive's small Parquet files (ingest does it after adding articles); every --from
    answer stays the same, and a stopped compaction is repaired by the next."""
    from quotetrace.render import render_compaction

    with _command():
        from quotetrace.scale import compact_archive

        render_compaction(compact_archive(archive), fmt)


@app.command("eval")
def evaluate_gold(
    gold_file: Annotated[Path, typer.Argument(
        metavar="GOLD.json", dir_okay=False, show_default=False,
        help="A gold annotation (format quotetrace-gold/1; see the README).")],
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files or folders holding the gold's articles (by file name). Default: beside GOLD.json.",
        show_default=False)] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = EvalFormat.table,
    misses: Annotated[bool, typer.Option(
        "--misses", help="Also list each missed and wrongly attributed quote, and each gold pair linked wrongly, with its text.")] = False,
    model: ModelOption = None,
    aliases_file: AliasesOption = None,
    db: DbOption = None,
    workers: WorkersOption = 1,
) -> None:
    """Score quotetrace on a gold annotation: detection, attribution, claim links, chain edges."""
    from quotetrace.evaluation import evaluate
    from quotetrace.gold import gold_articles, load_gold
    from quotetrace.render import render_evaluation

    with _command() as failures:
        _configure_logging()
        gold = load_gold(gold_file)
        articles = gold_articles(gold, paths, on_error=failures.report)
        found = _run(None, model, failures, load_aliases(aliases_file), db, workers, articles=articles)
        render_evaluation(evaluate(gold, found), fmt, misses)


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of every record the json and jsonl formats write."""
    from quotetrace.schema import schema_text

    with _user_errors():
        sys.stdout.write(schema_text())


def _lexicon() -> Lexicon:
    """The word lists, with the user's edited copies that the environment names."""
    return load_lexicon(overrides_from_env())


def _run(paths: list[str] | None, model: str | None, failures: _Failures, aliases: Aliases | None = None,
         db: Path | None = None, workers: int | None = None, lexicon: Lexicon | None = None,
         link: bool = False, articles: Iterable[Article] | None = None) -> Iterator[tuple[Article, list[Quote]]]:
    """The run's articles with their quotes (``quotetrace.run``): from the index where it has
    them, parsed (and stored) otherwise. ``articles``, when given, are the run's articles instead
    of those ``paths`` name."""
    from quotetrace.runner import run
    from quotetrace.store import open_index

    _configure_logging()
    with open_index(db) as index, _ProgressBar() as progress:
        inputs = list(articles) if articles is not None else paths or default_corpus_paths()
        yield from run(inputs, model=model, index=index, workers=workers, aliases=aliases,
                       link=link, lexicon=lexicon or _lexicon(), on_error=failures.report, progress=progress)


def _extracted(paths: list[str] | None, model: str | None, failures: _Failures, db: Path | None,
               workers: int | None) -> Iterator[Extracted]:
    """Each article as the index or a parse gave it, for ingest (no run-level steps)."""
    from quotetrace.errors import ExtractionError
    from quotetrace.runner import extract_indexed
    from quotetrace.store import open_index

    _configure_logging()
    lexicon = _lexicon()
    articles = read_articles(paths or default_corpus_paths(), on_error=failures.report, lexicon=lexicon)
    with open_index(db) as index, _ProgressBar() as progress:
        for outcome in extract_indexed(articles, model=model, lexicon=lexicon, index=index, workers=workers,
                                       progress=progress):
            for warning in outcome.warnings:
                logging.getLogger("quotetrace").warning("%s", warning, extra={"article": outcome.article.path})
            if outcome.error is not None:
                failures.report(ExtractionError.failed(outcome.article.path, outcome.error, outcome.article))
            yield outcome


def _with_unread(outcomes: Iterator[IngestOutcome], failures: _Failures) -> Iterator[IngestOutcome]:
    """Ingest's outcomes, then the inputs that could not be read at all."""
    yield from outcomes
    for error in failures.unread:
        yield IngestOutcome(error.path, "failed", 0, error.reason)


class _ProgressBar:
    """A bar on stderr while articles are parsed, on runs long enough to want one; nothing when
    stderr is not a terminal (a pipe, a file, CI)."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def start(self, total: int) -> None:
        if total < PROGRESS_FROM_ARTICLES or not _stderr.is_terminal:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        # No redirection: rich would send what is printed to stdout (the data) through stderr.
        self._bar = Progress(TextColumn("parsing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                             console=_stderr, transient=True, redirect_stdout=False, redirect_stderr=False)
        self._task = self._bar.add_task("parsing", total=total)
        self._bar.start()

    def advance(self, count: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.stop()  # its refresh thread ends: claim linking may fork after this
            self._bar = None


class _Failures:
    """Inputs that could not be read or searched: one warning line each, and exit status 1."""

    def __init__(self) -> None:
        self.count = 0
        self.unread: list[InputError] = []

    def report(self, error: QuotetraceError) -> None:
        """An input that could not be read (``InputError``) or searched (``ExtractionError``)."""
        if isinstance(error, InputError):
            self.unread.append(error)
        self.count += 1
        _say("warning", str(error))


class _StderrLog(logging.Handler):
    """Library warnings (an unpaired quotation mark, say) as one line on stderr, naming the
    article. They do not change the exit status: the article was read."""

    def emit(self, record: logging.LogRecord) -> None:
        article = getattr(record, "article", None)
        message = record.getMessage()
        _say(record.levelname.lower(), f"{article}: {message}" if article and article != "-" else message)


def _configure_logging() -> None:
    logger = logging.getLogger("quotetrace")
    if not any(isinstance(h, _StderrLog) for h in logger.handlers):
        logger.addHandler(_StderrLog(logging.WARNING))
        logger.propagate = False


def _say(level: str, message: str) -> None:
    # Text, not markup: paths and messages may hold [brackets].
    _stderr.print(Text(f"quotetrace: {level}: {clean(message)}"))


@contextmanager
def _command() -> Iterator[_Failures]:
    """A command's run: user errors end it with one line; inputs that failed, exit status 1."""
    failures = _Failures()
    with _user_errors():
        yield failures
    if failures.count:
        raise typer.Exit(1)


# What writing stdout fails with, besides a closed pipe: a full disk (or /dev/full), a quota, a
# file too large, an I/O error, a descriptor closed under us.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


@contextmanager
def _user_errors() -> Iterator[None]:
    if sys.stdout is None:  # started with stdout closed (`>&-`): the results would go nowhere
        _say("error", "standard output is closed; nothing can be written")
        raise typer.Exit(1)
    try:
        yield
        # Written out here, where a failure is still one line, not at the interpreter's exit.
        sys.stdout.flush()
    except QuotetraceError as error:
        _say("error", str(error))
        raise typer.Exit(1) from None
    except UnicodeEncodeError as error:
        if "surrogate" in error.reason:  # not the terminal's fault: no encoding can write these
            _say("error", "the output holds a lone surrogate, which no encoding can write; please report this")
        else:
            _say("error", f"the terminal's encoding ({error.encoding}) cannot show this output; "
                          "set PYTHONIOENCODING=utf-8 or write to a file")
        raise typer.Exit(1) from None
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly.
        _silence_stdout()
        raise typer.Exit(0) from None
    except OSError as error:
        if error.errno not in _OUTPUT_ERRNOS:
            raise
        _say("error", f"cannot write the output: {error.strerror or error}")
        _silence_stdout()
        raise typer.Exit(1) from None


def exit_on(error: BaseException) -> NoReturn:
    """End the process as a command ends when writing its output fails with ``error``: for
    ``quick``, which answers from the index outside typer."""
    try:
        with _user_errors():
            raise error
    except typer.Exit as done:
        sys.exit(done.exit_code)
    raise error  # not reached: _user_errors ends it or lets it through


def _silence_stdout() -> None:
    """Point stdout at devnull, so that the interpreter's final flush of what could not be
    written does not fail again with a second message or traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
