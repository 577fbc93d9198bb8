"""CLI commands of the geo stage (thin wrappers over :class:`docket.Docket` methods)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from docket._console import console, counted, error_line, print_json, progress
from docket.errors import IntakeError
from docket.geo.importer import count_lines

gazetteer_app = typer.Typer(help="The gazetteer of places: import GeoNames dumps and site lists.")
facilities_app = typer.Typer(
    help="Protected facilities (hospitals, schools, markets, camps...).",
    invoke_without_command=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL or SQLite file.")]


def _open(db: str | None):  # type: ignore[no-untyped-def]
    from docket.cli import open_db

    return open_db(db)


def places(
    query: Annotated[str, typer.Argument(help="A place name, in any spelling.")],
    limit: Annotated[int, typer.Option(help="How many at most.")] = 10,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search the gazetteer, best matches first, with name-match scores.

    Example: docket places "Maaret al-Noman"
    """
    with _open(db) as workspace:
        found = workspace.search_places(query, limit=limit)
    if as_json:
        print_json(found)
        return
    table = Table(
        "id", "name", "kind", "admin1", "country", "lat", "lon", "population", "score", box=None
    )
    for p in found:
        table.add_row(
            str(p["place_id"]),
            p["name"],
            p["feature"],
            p["admin1"] or "—",
            p["country"] or "—",
            f"{p['lat']:.4f}",
            f"{p['lon']:.4f}",
            f"{p['population']:,}",
            f"{p['score']:.2f}",
        )
    console.print(table)


def geocode(
    text: Annotated[str, typer.Argument(help='A place phrase, e.g. "12 km south of Saraqib".')],
    context: Annotated[str, typer.Option(help="Text around the phrase, for disambiguation.")] = "",
    admin1: Annotated[str | None, typer.Option(help="Known province / governorate.")] = None,
    country: Annotated[str | None, typer.Option(help="Known country (ISO code or name).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show how a place phrase resolves: place, point, precision, score and why.

    Example: docket geocode "southern Idlib countryside"
    """
    with _open(db) as workspace:
        place = workspace.geocode(text, context=context, admin1=admin1, country=country)
    if as_json:
        print_json(place)
        return
    if place.lat is None:
        console.print(f"[yellow]{text}[/yellow]: {place.reason}", highlight=False)
        return
    where = ", ".join(x for x in (place.admin1, place.country) if x)
    console.print(
        f"[bold]{place.name}[/bold] ({where})  {place.lat:.5f}, {place.lon:.5f}  "
        f"precision [cyan]{place.precision.value}[/cyan]"
        + (" (centroid)" if place.centroid else "")
        + f"  score {place.score:.2f}",
        highlight=False,
    )
    console.print(f"[dim]why:[/dim] {place.reason}", highlight=False)
    for r in place.rejected:
        console.print(
            f"[dim]  rejected: {r['name']} ({r['feature']}, {r['admin1'] or '—'}, "
            f"{r['country'] or '—'}) score {r['score']}[/dim]",
            highlight=False,
        )


@gazetteer_app.command("import")
def gazetteer_import(
    path: Annotated[Path, typer.Argument(help="GeoNames dump (SY.txt) or CSV of sites.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load a GeoNames dump or a CSV of sites (name,type,lat,lon,admin1,country,...).

    Example: docket gazetteer import SY.txt
    """
    total = count_lines(path) if path.is_file() else None

    def on_error(problem: IntakeError) -> None:
        error_line(str(problem))

    with _open(db) as workspace, progress("Importing places", total, disable=as_json) as bar:
        report = workspace.import_gazetteer(path, on_error=on_error, on_rows=bar.advance)
    if as_json:
        print_json(report.as_dict())
        return
    console.print(
        f"[green]{counted(report.imported, 'place')} imported[/green] ({report.format}), "
        f"[{'red' if report.failed else 'green'}]{counted(len(report.failed), 'bad row')} "
        "skipped[/]"
    )


@facilities_app.callback()
def facilities_list(
    ctx: typer.Context,
    facility_type: Annotated[str | None, typer.Option("--type", help="hospital, school...")] = None,
    status: Annotated[
        str | None, typer.Option(help="operating, damaged, closed, destroyed.")
    ] = None,
    candidates: Annotated[bool, typer.Option("--candidates", help="Only those to review.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List protected facilities with their status.

    Example: docket facilities --type hospital
    """
    if ctx.invoked_subcommand is not None:
        return
    with _open(db) as workspace:
        found = workspace.facilities(
            facility_type=facility_type, status=status, candidates=True if candidates else None
        )
    if as_json:
        print_json(found)
        return
    table = Table(
        "id", "name", "type", "settlement", "status", "deconflicted", "lat", "lon", box=None
    )
    for f in found:
        table.add_row(
            str(f.id),
            f.name + (" [yellow](candidate)[/yellow]" if f.candidate else ""),
            f.facility_type,
            f.settlement or "—",
            f.status or "—",
            str(f.deconflicted_on or "yes") if f.deconflicted else "no",
            f"{f.lat:.4f}" if f.lat is not None else "—",
            f"{f.lon:.4f}" if f.lon is not None else "—",
        )
    console.print(table)


@facilities_app.command("show")
def facilities_show(
    facility_id: Annotated[int, typer.Argument(help="Facility id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one facility with its status history.

    Example: docket facilities show 1
    """
    with _open(db) as workspace:
        facility = workspace.facility(facility_id)
    if as_json:
        print_json(facility)
        return
    kind = facility.facility_type + (" (candidate for review)" if facility.candidate else "")
    console.print(f"[bold]#{facility.id} {facility.name}[/bold] — {kind}", highlight=False)
    where = ", ".join(x for x in (facility.settlement, facility.admin1, facility.country) if x)
    point = f"{facility.lat:.5f}, {facility.lon:.5f}" if facility.lat is not None else "no point"
    console.print(f"{where or 'place unknown'}  {point}", highlight=False)
    if facility.deconflicted:
        console.print(f"coordinates shared with the parties: {facility.deconflicted_on or 'yes'}")
    for event in facility.history:
        console.print(
            f"  {event.date or '—'}  {event.status}  [dim]{event.source or ''}[/dim]",
            highlight=False,
        )


@facilities_app.command("status")
def facilities_status(
    facility_id: Annotated[int, typer.Argument(help="Facility id.")],
    status: Annotated[str, typer.Argument(help="operating, damaged, closed or destroyed.")],
    date: Annotated[str | None, typer.Option(help="Date of the status, YYYY-MM-DD.")] = None,
    source: Annotated[str | None, typer.Option(help="Who says so.")] = None,
    db: DbOption = None,
) -> None:
    """Record a facility's status (operating / damaged / closed / destroyed) on a date.

    Example: docket facilities status 1 damaged --date 2020-01-30 --source "NGO report"
    """
    from docket.cli import parse_day
    from docket.errors import InputError
    from docket.geo.facilities import StatusEvent

    with _open(db) as workspace:
        try:
            event = StatusEvent(status=status, date=parse_day(date, "--date"), source=source)
            workspace.add_facility_status(facility_id, event)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    console.print(f"facility {facility_id}: {status}" + (f" on {date}" if date else ""))


@facilities_app.command("import")
def facilities_import(
    path: Annotated[Path, typer.Argument(help="CSV: name,type,lat,lon,settlement,status,...")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load facilities (and status history rows) from a CSV file.

    Example: docket facilities import hospitals.csv
    """

    def on_error(problem: IntakeError) -> None:
        error_line(str(problem))

    with _open(db) as workspace:
        report = workspace.import_facilities(path, on_error=on_error)
    if as_json:
        print_json(report.as_dict())
        return
    console.print(
        f"[green]{counted(report.created, 'facility', 'facilities')} added[/green], "
        f"{report.updated} updated, "
        f"[{'red' if report.failed else 'green'}]{counted(len(report.failed), 'bad row')} "
        "skipped[/]"
    )


@facilities_app.command("link")
def facilities_link(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Link stored claims whose target is a named facility ("al-Shami hospital") to it; a
    facility not yet known becomes a candidate to review. Claims left without a place are
    geocoded again. Each changed claim is audit-logged.

    Example: docket facilities link
    """
    with _open(db) as workspace:
        report = workspace.geocode_claims()
    if as_json:
        print_json(report.as_dict())
        return
    console.print(
        f"{counted(report.claims, 'claim')}: "
        f"{counted(report.facilities_linked, 'linked to a facility', 'linked to facilities')}, "
        f"{report.placed} placed, {report.unresolved} left unresolved"
    )


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main docket app."""
    app.command()(places)
    app.command()(geocode)
    app.add_typer(gazetteer_app, name="gazetteer")
    app.add_typer(facilities_app, name="facilities")


def print_toponym_scores(directory: Path, *, as_json: bool = False) -> None:
    """Score ``directory/toponyms.jsonl`` (see :mod:`docket.geo.evaluate`) and print a table per
    corpus, or JSON (``docket eval`` on a toponym folder)."""
    from docket.geo.evaluate import TOPONYMS, evaluate_toponyms, load_toponyms

    path = directory / TOPONYMS
    rows = load_toponyms(path)
    with progress("Geocoding toponyms", total=len(rows), disable=as_json) as bar:
        metrics = evaluate_toponyms(path, rows=rows, on_mention=bar.advance)
    if as_json:
        print_json({"title": "Toponym resolution (geo)", "metrics": metrics})
        return
    table = Table(title=f"Toponym resolution on {path} ({len(rows)} mentions)")
    for name in ("corpus", "n", "acc161", "acc10_city", "n_city", "median_km", "unresolved"):
        table.add_column(name, justify="left" if name == "corpus" else "right")
    for corpus, m in metrics.items():
        table.add_row(
            corpus,
            str(m["n"]),
            f"{m['acc161']:.3f}",
            "-" if m["acc10_city"] is None else f"{m['acc10_city']:.3f}",
            str(m["n_city"]),
            f"{m['median_km']:.1f}",
            str(m["unresolved"]),
        )
    console.print(table)
