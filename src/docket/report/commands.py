"""CLI commands of the report stage (thin wrappers over :class:`docket.Docket` methods)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from docket._console import console, err_console, print_json
from docket.report.scope import Scope, load_polygon, split_list

Since = Annotated[str | None, typer.Option("--from", help="Incidents on or after YYYY-MM-DD.")]
Until = Annotated[str | None, typer.Option("--to", help="Incidents on or before YYYY-MM-DD.")]
Area = Annotated[str | None, typer.Option(help="First-level administrative area (admin1).")]
Polygon = Annotated[
    Path | None, typer.Option(help="Only incidents inside this GeoJSON or WKT polygon file.")
]
Country = Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 country code.")]
Perp = Annotated[
    str | None, typer.Option(help="Alleged perpetrator ids or names, comma-separated.")
]
Target = Annotated[str | None, typer.Option(help="Target categories, comma-separated.")]
Weapon = Annotated[str | None, typer.Option(help="Weapons, comma-separated.")]
Grade = Annotated[str | None, typer.Option(help="Grades of evidence, comma-separated.")]
Db = Annotated[str | None, typer.Option("--db", help="Database URL or SQLite file.")]
Published = Annotated[
    bool,
    typer.Option("--published", help="Only incidents published in the web app (what viewers see)."),
]


def make_scope(
    since: str | None = None,
    until: str | None = None,
    area: str | None = None,
    polygon: Path | None = None,
    country: str | None = None,
    perpetrator: str | None = None,
    target: str | None = None,
    weapon: str | None = None,
    grade: str | None = None,
    published: bool = False,
) -> Scope:
    from docket.cli import parse_day
    from docket.link.grading import check_grade

    return Scope(
        since=parse_day(since, "--from"),
        until=parse_day(until, "--to"),
        area=area,
        country=country.upper() if country else None,
        polygon=load_polygon(polygon) if polygon else None,
        polygon_name=polygon.name if polygon else None,
        perpetrators=split_list(perpetrator),
        targets=split_list(target),
        weapons=split_list(weapon),
        grades=tuple(check_grade(g, "--grade") for g in split_list(grade)),
        published_only=published,
    )


def report(
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("report.html"),
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also write this PDF.")] = None,
    title: Annotated[str | None, typer.Option(help="Report title.")] = None,
    compare: Annotated[
        str | None, typer.Option(help="Compare before/after this date (YYYY-MM-DD).")
    ] = None,
    since: Since = None,
    until: Until = None,
    area: Area = None,
    polygon: Polygon = None,
    country: Country = None,
    perpetrator: Perp = None,
    target: Target = None,
    weapon: Weapon = None,
    grade: Grade = None,
    published: Published = False,
    db: Db = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Write a self-contained HTML report (map, charts, footnoted headline) and optionally a PDF.

    Example: docket report --from 2019-05-01 --to 2020-02-29 --target school,hospital,clinic
    --out idlib.html --pdf idlib.pdf
    """
    from docket.cli import open_db, parse_day

    scope = make_scope(
        since, until, area, polygon, country, perpetrator, target, weapon, grade, published
    )
    with open_db(db) as workspace:
        built = workspace.report(
            scope, html=out, pdf=pdf, title=title, compare=parse_day(compare, "--compare")
        )
    if as_json:
        print_json({"headline": built.headline.text(), "findings": built.findings.as_dict()})
        return
    console.print(built.headline.sentences[0].text(), highlight=False)
    console.print(f"[green]wrote[/green] {out}" + (f" and {pdf}" if pdf else ""))


def findings(
    compare: Annotated[
        str | None, typer.Option(help="Also split before/after this date (YYYY-MM-DD).")
    ] = None,
    since: Since = None,
    until: Until = None,
    area: Area = None,
    polygon: Polygon = None,
    country: Country = None,
    perpetrator: Perp = None,
    target: Target = None,
    weapon: Weapon = None,
    grade: Grade = None,
    published: Published = False,
    db: Db = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Totals (casualty ranges), breakdowns and facility impact, each with its incident ids.

    Example: docket findings --target hospital,clinic --compare 2020-03-05 --json
    """
    from rich.table import Table

    from docket.cli import open_db, parse_day
    from docket.report.render import rng

    scope = make_scope(
        since, until, area, polygon, country, perpetrator, target, weapon, grade, published
    )
    pivot = parse_day(compare, "--compare")
    with open_db(db) as workspace:
        found = workspace.findings(scope)
        comparison = workspace.compare(pivot, scope) if pivot else None
    if as_json:
        print_json({**found.as_dict(), "comparison": comparison.as_dict() if comparison else None})
        return
    table = Table("figure", "incidents", "killed", "injured", box=None)

    def row(label: str, figure: Any) -> None:
        table.add_row(label, str(figure.count), rng(figure.killed), rng(figure.injured))

    row("All incidents", found.total)
    for title, figures in (
        ("perpetrator", found.by_perpetrator),
        ("target", found.by_target),
        ("weapon", found.by_weapon),
        ("area", found.by_area),
        ("month", found.by_month),
    ):
        for f in figures:
            row(f"{title}: {f.label}", f)
    for impact in found.facilities:
        table.add_row(f"{impact.type} {impact.status}", str(impact.count), "", "")
    if comparison:
        for label, part in (("before", comparison.before), ("from", comparison.after)):
            row(f"{label} {comparison.pivot}", part.total)
    console.print(table)


def export(
    fmt: Annotated[str, typer.Option("--format", help="acled, ucdp, geojson, hxl or json.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default stdout).")
    ] = None,
    since: Since = None,
    until: Until = None,
    area: Area = None,
    polygon: Polygon = None,
    country: Country = None,
    perpetrator: Perp = None,
    target: Target = None,
    weapon: Weapon = None,
    grade: Grade = None,
    published: Published = False,
    db: Db = None,
) -> None:
    """Export incidents as ACLED- or UCDP-style CSV, GeoJSON, HXL-tagged CSV or full JSON.

    Example: docket export --format acled --from 2020-01-01 --out incidents-acled.csv
    """
    from docket.cli import open_db

    scope = make_scope(
        since, until, area, polygon, country, perpetrator, target, weapon, grade, published
    )
    with open_db(db) as workspace:
        count = workspace.export(fmt, out, scope)
    if out is not None:
        noun = "incident" if count == 1 else "incidents"
        err_console.print(f"[green]wrote[/green] {count} {noun} to {out}")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main docket app."""
    app.command("report")(report)
    app.command("findings")(findings)
    app.command("export")(export)
