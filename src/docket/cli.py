"""The ``docket`` command line: thin typer commands over :class:`docket.Docket` methods.

Each stage package adds its own commands in ``<stage>/commands.py`` (``register(app)``); this module
holds the core ones (ingest, documents, show, stats, demo) and the error handling at the edge.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

import docket
from docket._console import console, error_line, print_json, progress
from docket.errors import DocketError, IntakeError
from docket.link.reconcile import format_range

app = typer.Typer(
    name="docket",
    help="Document, verify and attribute attacks on civilians and protected places.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)

STAGE_COMMANDS = [
    "docket.extract.commands",
    "docket.geo.commands",
    "docket.link.commands",
    "docket.evidence.commands",
    "docket.law.commands",
    "docket.report.commands",
    "docket.web.commands",
]


class State:
    db_url: str | None = None
    debug: bool = False
    actor: str = os.environ.get("DOCKET_ACTOR") or os.environ.get("USER") or "cli"


state = State()

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file (default $DOCKET_DB or ./docket.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


@app.callback()
def _main(
    db: DbOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    actor: Annotated[str | None, typer.Option("--actor", help="Who is acting (audit log).")] = None,
) -> None:
    state.db_url = db
    state.debug = debug
    if actor:
        state.actor = actor


def open_db(db: str | None = None) -> docket.Docket:
    """The project database named by ``--db`` (command or global), ``$DOCKET_DB`` or ./docket.db."""
    return docket.open(db or state.db_url, actor=state.actor)


def parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DocketError(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    source: Annotated[str | None, typer.Option(help="Publisher name for every document.")] = None,
    source_kind: Annotated[
        str | None, typer.Option(help="news, ngo, un, monitor, witness, ...")
    ] = None,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD.")] = None,
    url: Annotated[str | None, typer.Option(help="URL the document was published at.")] = None,
    language: Annotated[str | None, typer.Option(help="ISO 639-1 language code.")] = None,
    encoding: Annotated[str, typer.Option(help="Text encoding of .txt/.md/.html files.")] = "utf-8",
    max_size: Annotated[float, typer.Option(help="Largest file to accept, in MiB.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store documents (.txt .md .html .pdf .json .jsonl) immutably, with their SHA-256.

    Example: docket ingest reports/ --source "Syrian Archive" --source-kind ngo
    """
    files = [p for p in paths]
    with open_db(db) as workspace, progress("Ingesting", None, disable=as_json) as bar:

        def on_file(path: Path | None, problem: IntakeError | None) -> None:
            if problem is not None:
                error_line(str(problem))
            elif path is not None:
                bar.advance()

        report = workspace.ingest(
            files,
            source=source,
            source_kind=source_kind,
            published=parse_day(published, "--published"),
            url=url,
            language=language,
            encoding=encoding,
            max_bytes=int(max_size * 2**20),
            on_file=on_file,
        )
    if as_json:
        print_json(report.as_dict())
    else:
        console.print(
            f"[green]{len(report.stored)} stored[/green] "
            f"({len(report.new_versions)} new versions), "
            f"{len(report.already_stored)} already stored"
            + (f" ({len(report.dated)} given a published date)" if report.dated else "")
            + ", "
            f"[{'red' if report.failed else 'green'}]{len(report.failed)} failed[/]"
            + (f", {len(report.skipped)} skipped (unsupported type)" if report.skipped else "")
        )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def documents(
    source: Annotated[str | None, typer.Option(help="Only this publisher.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    search: Annotated[str | None, typer.Option(help="Words to find in title or text.")] = None,
    limit: Annotated[int, typer.Option(help="How many at most.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List stored documents, newest first.

    Example: docket documents --search hospital --since 2020-01-01
    """
    with open_db(db) as workspace:
        docs = workspace.documents(
            source=source,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
            search=search,
            limit=limit,
            offset=offset,
        )
    if as_json:
        print_json([d.model_dump(mode="json", exclude={"text"}) for d in docs])
        return
    table = Table("id", "published", "source", "title / file", "url", box=None)
    for d in docs:
        table.add_row(
            str(d.id),
            str(d.published or "—"),
            d.source or "—",
            (d.title or d.filename or "")[:60],
            (d.url or "")[:60],
        )
    console.print(table)


@app.command()
def show(
    document_id: Annotated[int, typer.Argument(help="Document id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one document with its metadata and text.

    Example: docket show 12
    """
    with open_db(db) as workspace:
        doc = workspace.document(document_id)
    if as_json:
        print_json(doc)
        return
    console.print(f"[bold]#{doc.id} {doc.title or doc.filename or ''}[/bold]", highlight=False)
    for label, value in [
        ("source", f"{doc.source or '—'} ({doc.source_kind})"),
        ("url", doc.url),
        ("published", doc.published),
        ("language", doc.language),
        ("sha256", doc.raw_sha256),
        ("previous version", doc.previous_version_id),
    ]:
        if value:
            console.print(f"[dim]{label}:[/dim] {value}", highlight=False)
    console.print()
    console.print(doc.text, highlight=False, markup=False)


@app.command()
def claims(
    document: Annotated[int | None, typer.Option(help="Only claims from this document id.")] = None,
    incident: Annotated[
        int | None, typer.Option(help="Only claims linked to this incident.")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="unreviewed, accepted, rejected, edited.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Event on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Event on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="How many at most.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List extracted claims: one source's account of one event each.

    Example: docket claims --document 3 --json
    """
    with open_db(db) as workspace:
        found = workspace.claims(
            document_id=document,
            incident_id=incident,
            review_status=status,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
            limit=limit,
            offset=offset,
        )
    if as_json:
        print_json(found)
        return
    table = Table(
        "id", "doc", "date", "event", "place", "perpetrators", "killed", "status", box=None
    )
    for c in found:
        table.add_row(
            str(c.id),
            str(c.document_id),
            str(c.date or "—"),
            c.event_type or "—",
            c.place.name if c.place else (c.places[0].text if c.places else "—"),
            ", ".join(p.name for p in c.perpetrators) or "—",
            format_range(c.casualties.killed.total),
            c.review_status.value,
        )
    console.print(table)


@app.command()
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Count the records in the store.

    Example: docket stats --json
    """
    with open_db(db) as workspace:
        counts = workspace.stats()
    if as_json:
        print_json(counts)
        return
    table = Table("records", "count", box=None)
    for name, value in counts.items():
        table.add_row(name, str(value))
    console.print(table)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Database file to build.")] = Path("docket-demo.db"),
    serve: Annotated[bool, typer.Option("--serve", help="Then open the web app on it.")] = False,
) -> None:
    """Build ./docket-demo.db from bundled sample reports and run every pipeline stage.

    Example: docket demo && docket --db docket-demo.db stats
    """
    from docket.demo import run_demo

    run_demo(out, console=console, serve=serve)


def _register_stage_commands() -> None:
    for module_name in STAGE_COMMANDS:
        module: Any = importlib.import_module(module_name)
        module.register(app)


_register_stage_commands()


def main() -> None:
    """Entry point: run the app, turning Docket errors into one red line and exit code 1."""
    try:
        code = app(standalone_mode=False)
    except DocketError as exc:
        if state.debug:
            raise
        error_line(str(exc))
        raise SystemExit(1) from None
    except OSError as exc:  # a file or folder named on the command line that cannot be used
        if state.debug:
            raise
        reason = exc.strerror or str(exc)
        error_line(reason if exc.filename is None else f"{exc.filename}: {reason}")
        raise SystemExit(1) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        error_line("aborted")
        raise SystemExit(1) from None
    except Exception as exc:
        if not _is_usage_error(exc):
            raise
        exc.show()  # type: ignore[attr-defined]
        raise SystemExit(exc.exit_code) from None  # type: ignore[attr-defined]
    raise SystemExit(code if isinstance(code, int) else 0)


def _is_usage_error(exc: Exception) -> bool:
    """A usage error (missing argument, unknown option, unreadable path, value of the wrong type):
    click's ``ClickException``, or the same class in the copy of click that Typer 0.2x ships as
    ``typer._click``, which is not click's; both can ``show()`` themselves."""
    return callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int)
