"""CLI commands of the law stage (thin wrappers over :class:`docket.Docket` methods)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from docket._console import console, print_json
from docket.report.scope import Scope, split_list

law_app = typer.Typer(
    help="Legal assessment: potential IHL violations and patterns.", no_args_is_help=True
)
reply_app = typer.Typer(
    help="Right of reply: inquiries sent to parties and their answers.", no_args_is_help=True
)


def _scope(
    since: str | None,
    until: str | None,
    area: str | None,
    perpetrator: str | None,
    target: str | None,
) -> Scope:
    from docket.cli import parse_day

    return Scope(
        since=parse_day(since, "--from"),
        until=parse_day(until, "--to"),
        area=area,
        perpetrators=split_list(perpetrator),
        targets=split_list(target),
    )


Since = Annotated[str | None, typer.Option("--from", help="Incidents on or after YYYY-MM-DD.")]
Until = Annotated[str | None, typer.Option("--to", help="Incidents on or before YYYY-MM-DD.")]
Area = Annotated[str | None, typer.Option(help="First-level administrative area (admin1).")]
Perp = Annotated[
    str | None, typer.Option(help="Alleged perpetrator ids or names, comma-separated.")
]
Target = Annotated[str | None, typer.Option(help="Target categories, comma-separated.")]
Db = Annotated[str | None, typer.Option("--db", help="Database URL or SQLite file.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


@law_app.command("assess")
def assess(
    since: Since = None,
    until: Until = None,
    area: Area = None,
    perpetrator: Perp = None,
    target: Target = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Flag incidents as potential IHL violations (rules in data/law/rules.yaml), audit-logged.

    Example: docket law assess --from 2020-01-01 --area Idlib
    """
    from docket.cli import open_db

    with open_db(db) as workspace:
        report = workspace.assess_incidents(_scope(since, until, area, perpetrator, target))
    if as_json:
        print_json(report.as_dict())
        return
    console.print(f"assessed {report.assessed} incidents; flags changed on {len(report.changed)}")
    for rule, ids in sorted(report.flags_by_rule.items()):
        console.print(f"  {rule}: {len(ids)} ({_ids(ids)})")


@law_app.command("rules")
def rules(as_json: Json = False) -> None:
    """List the legal rules in force and the provisions each cites.

    Example: docket law rules
    """
    from docket.law.rules import load_rules

    book = load_rules()
    if as_json:
        print_json([vars(r) for r in book.rules])
        return
    table = Table("rule", "title", "basis", box=None)
    for rule in book.rules:
        table.add_row(rule.id, rule.title, "; ".join(b.get("provision", "") for b in rule.basis))
    console.print(table)


@law_app.command("patterns")
def patterns(
    since: Since = None,
    until: Until = None,
    area: Area = None,
    perpetrator: Perp = None,
    target: Target = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Figures bearing on "widespread" and "systematic", each with the incidents behind it.

    Example: docket law patterns --target hospital,clinic
    """
    from docket.cli import open_db

    with open_db(db) as workspace:
        found = workspace.patterns(_scope(since, until, area, perpetrator, target))
    if as_json:
        print_json(found.as_dict())
        return
    for heading, figures in (("Widespread", found.widespread), ("Systematic", found.systematic)):
        table = Table(heading, "figure", "incidents", box=None)
        for f in figures:
            ids = ", ".join(f"#{i}" for i in f.incident_ids[:10]) + (
                " …" if len(f.incident_ids) > 10 else ""
            )
            table.add_row(f.label, f.value, ids)
        console.print(table)


@reply_app.command("add")
def reply_add(
    party: Annotated[str, typer.Option(help="Party asked (e.g. 'Russian forces').")],
    sent: Annotated[str, typer.Option(help="Date the inquiry was sent, YYYY-MM-DD.")],
    inquiry: Annotated[str, typer.Option(help="What was asked.")],
    incident: Annotated[int | None, typer.Option(help="Incident id it concerns.")] = None,
    finding: Annotated[str | None, typer.Option(help="Finding it concerns (free key).")] = None,
    channel: Annotated[
        str | None, typer.Option(help="How it was sent (letter, email, ...).")
    ] = None,
    status: Annotated[
        str, typer.Option(help="awaiting, answered, declined or no_response.")
    ] = "awaiting",
    response: Annotated[str | None, typer.Option(help="The answer, if already in.")] = None,
    responded: Annotated[str | None, typer.Option(help="Date of the answer, YYYY-MM-DD.")] = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Record an inquiry sent to a party about an incident or finding (and its answer).

    Example: docket reply add --party "Russian forces" --incident 3 --sent 2020-03-01
    --inquiry "Did your aircraft strike the hospital in Ariha on 29 January 2020?"
    """
    from docket.cli import open_db, parse_day

    sent_on = parse_day(sent, "--sent")
    assert sent_on is not None
    with open_db(db) as workspace:
        reply = workspace.add_reply(
            party=party,
            sent_on=sent_on,
            inquiry=inquiry,
            incident_id=incident,
            finding=finding,
            channel=channel,
            status=status,
            response=response,
            response_on=parse_day(responded, "--responded"),
        )
    if as_json:
        print_json(reply)
        return
    console.print(f"reply #{reply.id}: {reply.summary}", highlight=False)


@reply_app.command("answer")
def reply_answer(
    reply_id: Annotated[int, typer.Argument(help="Reply id.")],
    status: Annotated[str, typer.Option(help="answered, declined or no_response.")] = "answered",
    response: Annotated[str | None, typer.Option(help="The answer.")] = None,
    responded: Annotated[str | None, typer.Option(help="Date of the answer, YYYY-MM-DD.")] = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Record a party's answer to an inquiry, or that none came.

    Example: docket reply answer 1 --status no_response
    """
    from docket.cli import open_db, parse_day

    with open_db(db) as workspace:
        reply = workspace.answer_reply(
            reply_id,
            status=status,
            response=response,
            response_on=parse_day(responded, "--responded"),
        )
    if as_json:
        print_json(reply)
        return
    console.print(f"reply #{reply.id}: {reply.summary}", highlight=False)


@reply_app.command("list")
def reply_list(
    incident: Annotated[int | None, typer.Option(help="Only about this incident.")] = None,
    party: Annotated[str | None, typer.Option(help="Only to this party.")] = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """List inquiries sent to parties and what came back.

    Example: docket reply list --incident 3
    """
    from docket.cli import open_db

    with open_db(db) as workspace:
        found = workspace.replies(incident_id=incident, party=party)
    if as_json:
        print_json(found)
        return
    table = Table("id", "incident", "finding", "status", "summary", box=None)
    for r in found:
        table.add_row(str(r.id), str(r.incident_id or "—"), r.finding or "—", r.status, r.summary)
    console.print(table)


def _ids(ids: list[int], most: int = 12) -> str:
    return ", ".join(f"#{i}" for i in ids[:most]) + (" …" if len(ids) > most else "")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main docket app."""
    app.add_typer(law_app, name="law")
    app.add_typer(reply_app, name="reply")
