"""CLI commands of the link stage (thin wrappers over :class:`docket.Docket` methods)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table

from docket._console import console, counted, error_line, print_json, progress
from docket.cli import DbOption, JsonOption, open_db, parse_day
from docket.domain import Incident
from docket.link.reconcile import format_range


def _incident_row(i: Incident) -> list[str]:
    dates = str(i.date_low or "—")
    if i.date_high and i.date_high != i.date_low:
        dates += f"..{i.date_high}"
    return [
        str(i.id),
        dates,
        i.place.name if i.place else "—",
        i.event_type or "—",
        ", ".join(dict.fromkeys(t.category for t in i.targets)) or "—",
        format_range(i.killed, i.killed_best),
        ", ".join(p.name for p in i.perpetrators) or "—",
        i.grade or "—",
        str(len(i.claim_ids)),
        "yes" if i.reviewed else "",
    ]


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main docket app."""

    @app.command()
    def link(
        rebuild: Annotated[
            bool, typer.Option("--rebuild", help="Relink all claims except reviewed incidents.")
        ] = False,
        window: Annotated[int, typer.Option(help="Log time window in minutes (±).")] = 30,
        max_km: Annotated[float, typer.Option(help="Log distance limit in km.")] = 25.0,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Link claims about the same attack into incidents, reconcile, attribute and grade them.

        Example: docket link && docket incidents
        """
        with open_db(db) as workspace, progress("Linking", None, disable=as_json) as bar:
            report = workspace.link(
                rebuild=rebuild, window_minutes=window, max_km=max_km, on_step=bar.describe
            )
        if as_json:
            print_json(report.as_dict())
            return
        console.print(
            f"{counted(report.claims, 'claim')}: "
            f"[green]{counted(report.new_incidents, 'new incident')}[/green], "
            f"{report.updated_incidents} updated, {report.unchanged_incidents} unchanged; "
            f"{counted(report.candidate_pairs, 'pair')} compared, "
            f"{counted(report.links_stored, 'link')} stored"
        )

    @app.command()
    def incidents(
        since: Annotated[str | None, typer.Option(help="On or after YYYY-MM-DD.")] = None,
        until: Annotated[str | None, typer.Option(help="On or before YYYY-MM-DD.")] = None,
        admin1: Annotated[str | None, typer.Option(help="Province / governorate.")] = None,
        country: Annotated[str | None, typer.Option(help="ISO country code.")] = None,
        grade: Annotated[str | None, typer.Option(help="confirmed, fair, weak, ...")] = None,
        perpetrator: Annotated[str | None, typer.Option(help="Actor id or name.")] = None,
        target: Annotated[str | None, typer.Option(help="Target category.")] = None,
        limit: Annotated[int, typer.Option(help="How many at most.")] = 100,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """List incidents with their reconciled figures, grade and claims.

        Example: docket incidents --grade fair --target hospital --json
        """
        with open_db(db) as workspace:
            found = workspace.incidents(
                since=parse_day(since, "--since"),
                until=parse_day(until, "--until"),
                admin1=admin1,
                country=country,
                grade=grade,
                perpetrator=perpetrator,
                target=target,
                limit=limit,
            )
            views = [workspace.incident(i.id) for i in found if i.id is not None]
        if as_json:
            print_json([v.as_dict() for v in views])
            return
        table = Table(
            "id", Column("date", overflow="fold", min_width=10), "place", "type", "targets",
            "killed", "perpetrators", "grade", "claims", "reviewed", "documents", box=None,
        )  # fmt: skip
        for view in views:
            docs = sorted({c.document_id for c in view.claims if c.document_id is not None})
            table.add_row(*_incident_row(view.incident), ", ".join(map(str, docs)))
        console.print(table)

    incident_app = typer.Typer(help="One incident.", no_args_is_help=True)
    app.add_typer(incident_app, name="incident")

    @incident_app.command("show")
    def incident_show(
        incident_id: Annotated[int, typer.Argument(help="Incident id.")],
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Show an incident: reconciled values, every source's figures, grade, logs, links.

        Example: docket incident show 3
        """
        with open_db(db) as workspace:
            view = workspace.incident(incident_id)
        if as_json:
            print_json(view.as_dict())
            return
        i = view.incident
        console.print(f"[bold]Incident {i.id}[/bold]  {' | '.join(_incident_row(i)[1:4])}")
        console.print(f"killed {format_range(i.killed, i.killed_best)}; "
                      f"civilians {format_range(i.civilians_killed)}; "
                      f"injured {format_range(i.injured, i.injured_best)}")  # fmt: skip
        for f in i.source_figures:
            console.print(f"  {format_range(f.killed)} killed — {f.source} (claim {f.claim_id})")
        console.print(f"[bold]grade[/bold] {i.grade}: " + "; ".join(i.grade_reasons))
        perps = ", ".join(f"{p.name} ({p.attribution})" for p in i.perpetrators) or "—"
        console.print(f"[bold]perpetrators[/bold] {perps}")
        for item in i.details.get("log_attribution", []):
            console.print(f"[bold]logs suggest[/bold] {item['actor']}:")
            for line in item["evidence"]:
                console.print(f"  {line}", highlight=False)
        for d in i.disagreements:
            console.print(f"[yellow]disagreement[/yellow] {d}", highlight=False)
        console.print("[bold]claims[/bold]")
        for c in view.claims:
            info = view.documents.get(c.document_id or -1)
            said = [
                f"claim {c.id}: document {c.document_id}",
                *((info.source, info.url) if info else ()),
            ]
            console.print("  " + " ".join(str(part) for part in said if part))
        for lk in view.links:
            mark = "joined" if lk["joined"] else "near-miss"
            console.print(f"  {mark} {lk['claim_a']}~{lk['claim_b']}: {lk['explanation']}")

    logs_app = typer.Typer(help="Aircraft-observer and radio logs.", no_args_is_help=True)
    app.add_typer(logs_app, name="logs")

    @logs_app.command("import")
    def logs_import(
        files: Annotated[list[Path], typer.Argument(help="CSV log files.")],
        kind: Annotated[str, typer.Option(help="observer or radio.")] = "observer",
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Import observer sightings or radio intercepts from CSV; bad rows reported by line.

        Example: docket logs import sightings.csv --kind observer && docket link
        """
        reports = []
        with open_db(db) as workspace:
            for path in files:
                report = workspace.import_logs(path, kind)
                reports.append(report)
                for problem in report.problems:
                    error_line(problem)
            workspace.attribute()
        if as_json:
            print_json([r.as_dict() for r in reports])
            return
        for r in reports:
            console.print(
                f"{r.file}: [green]{r.imported} imported[/green], "
                f"{r.already_imported} already there, {len(r.problems)} bad rows"
            )

    @app.command()
    def review(
        action: Annotated[
            str, typer.Argument(help="accept, reject, split, merge, grade, perpetrator")
        ],
        incident_id: Annotated[int, typer.Argument(help="Incident id.")],
        reason: Annotated[str, typer.Option(help="Why (kept in the record).")],
        claim: Annotated[
            list[int] | None, typer.Option(help="Claim id(s) for accept/reject/split.")
        ] = None,
        other: Annotated[list[int] | None, typer.Option(help="Incident id(s) to merge in.")] = None,
        grade: Annotated[str | None, typer.Option(help="Grade to set.")] = None,
        actor: Annotated[str | None, typer.Option(help="Perpetrator actor id to set.")] = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Review an incident: accept/reject a claim's link, split, merge, set grade or perpetrator.

        Example: docket review reject 4 --claim 17 --reason "different hospital, same town"
        """
        with open_db(db) as workspace:
            changed = workspace.review(
                action, incident_id, reason=reason, claim_ids=claim or [],
                other_ids=other or [], grade_value=grade, actor_id=actor,
            )  # fmt: skip
        if as_json:
            print_json(changed)
            return
        for i in changed:
            console.print(f"incident {i.id}: {len(i.claim_ids)} claims, grade {i.grade} (reviewed)")
