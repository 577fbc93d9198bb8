"""CLI commands of the extract stage (thin wrappers over :class:`docket.Docket` methods)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from docket._console import (
    console,
    counted,
    error_line,
    print_json,
    progress,
    warning_line,
)
from docket.domain import Range
from docket.errors import DocketError
from docket.link.reconcile import format_range

FilesArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Extract from these .txt or corpus .json files without storing them."),
]


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main docket app."""
    app.command("extract")(extract)
    app.command("eval")(evaluate_command)


def extract(
    files: FilesArg = None,
    redo: Annotated[
        bool, typer.Option("--all", help="Read every stored document again (this version).")
    ] = False,
    published: Annotated[
        str | None, typer.Option("--published", help="Published date of .txt files (YYYY-MM-DD).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    db: Annotated[str | None, typer.Option("--db", help="Database URL or SQLite file.")] = None,
) -> None:
    """Turn report text into claims, field by field, with the words that say each field.

    Without FILE: reads every stored document this extractor version has not read yet and stores
    its claims and aggregate claims. With FILE: prints the claims of each file, storing nothing.

    Example: docket extract ../shared/corpus/dev/*.json --json
    """
    from docket.cli import open_db, parse_day

    if files:
        _extract_files(files, parse_day(published, "--published"), as_json)
        return
    with open_db(db) as workspace:
        pending = workspace.pending_extraction(redo=redo)
        with progress("Extracting", total=len(pending), disable=as_json) as bar:
            report = workspace.extract(
                redo=redo, document_ids=pending, on_document=lambda _id: bar.advance()
            )
    for message in report.messages:  # notes on documents read all the same (cut short, gone)
        warning_line(message)
    if as_json:
        print_json(report.__dict__)
        return
    stored = {
        "as stored": report.unchanged,
        "read anew": report.replaced,
        "removed": report.removed,
        "reviewed or linked kept": report.kept_reviewed,
    }
    changes = [f"{n} {what}" for what, n in stored.items() if n]
    if report.incidents_reassessed:
        changes.append(f"{counted(report.incidents_reassessed, 'incident')} reconciled again")
    console.print(
        f"Read {counted(report.documents, 'document')}: {counted(report.claims, 'claim')}, "
        f"{counted(report.aggregates, 'aggregate claim')}"
        + (f"; of the claims stored: {', '.join(changes)}" if changes else "")
    )


def _extract_files(files: list[Path], published: Any, as_json: bool) -> None:
    from docket.extract.output import extracted_json
    from docket.extract.run import Item, extract_many, read_input

    items: list[Item] = []
    failed = 0
    for path in files:
        try:
            text, day, language = read_input(path, published)
        except DocketError as exc:
            error_line(str(exc))
            failed += 1
            continue
        items.append((path, text, day, language))
    results: list[dict[str, Any]] = []
    for extracted in extract_many(items, shape=extracted_json):
        for message in extracted.messages:
            warning_line(f"{extracted.key}: {message}")
        results.append(
            {
                "document": str(extracted.key),
                "claims": extracted.claims,
                "aggregates": extracted.aggregates,
            }
        )
    if as_json:
        print_json(results)
    else:
        for result in results:
            _print_claims(result)
    if failed and not results:
        raise typer.Exit(1)


def _print_claims(result: dict[str, Any]) -> None:
    table = Table(title=result["document"], show_lines=False)
    for name in (
        "date",
        "place",
        "event_type",
        "perpetrators",
        "weapons",
        "targets",
        "killed",
        "injured",
    ):
        table.add_column(name)
    for c in result["claims"]:
        table.add_row(
            str(c["date"] or ""),
            str(c["place"] or ""),
            str(c["event_type"] or ""),
            ", ".join(c["perpetrators"]),
            ", ".join(c["weapons"]),
            ", ".join(c["targets"]),
            format_range(Range(low=c["killed_min"], high=c["killed_max"])),
            format_range(Range(low=c["injured_min"], high=c["injured_max"])),
        )
    console.print(table)


def evaluate_command(
    directory: Annotated[Path, typer.Argument(help="A gold folder in the shared/corpus format.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    worst: Annotated[int, typer.Option("--worst", help="How many worst errors to list.")] = 15,
) -> None:
    """Score extraction against a gold folder: per-field precision, recall and F1.

    A folder holding only ``toponyms.jsonl`` (mentions with gold points) is scored for toponym
    resolution instead: accuracy within 161 km, within 10 km for settlements, median error.

    Example: docket eval ../shared/corpus/dev
    """
    from docket.extract.evaluate import evaluate
    from docket.geo.commands import print_toponym_scores
    from docket.geo.evaluate import scores_toponyms_only

    if scores_toponyms_only(directory):
        print_toponym_scores(directory, as_json=as_json)
        return
    count = len(list(directory.glob("*.json"))) if directory.is_dir() else 0
    with progress("Evaluating", total=count, disable=as_json) as bar:
        result = evaluate(directory, on_document=bar.advance)
    if as_json:
        print_json(result.to_json(worst))
        return
    table = Table(title=f"Extraction on {directory} ({result.documents} documents)")
    for name in ("field", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(name, justify="left" if name == "field" else "right")
    for name, s in result.table().items():
        table.add_row(
            name,
            f"{s['precision']:.3f}",
            f"{s['recall']:.3f}",
            f"{s['f1']:.3f}",
            str(s["tp"]),
            str(s["fp"]),
            str(s["fn"]),
        )
    console.print(table)
    errors = result.worst(worst)
    if errors:
        console.print("[bold]Worst errors[/bold]")
        for e in errors:
            from rich.markup import escape

            console.print(
                f"  {escape(e.document)} [cyan]{escape(e.field)}[/cyan]: gold "
                f"{escape(repr(e.gold))}, predicted {escape(repr(e.predicted))}  "
                f"[dim]{escape(e.snippet)}[/dim]",
                highlight=False,
                markup=True,
            )
    for section in result.sections:
        console.print(f"[bold]{section['title']}[/bold]")
        for name, value in section["metrics"].items():
            console.print(f"  {name}: {value}")
