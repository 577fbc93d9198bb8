"""Demo step of the link stage: link the demo claims, import the sample logs, show incidents.

When the store holds no claims (the extraction stage is not installed), the claims of
``demo_claims.yaml`` (invented facts matching the demo documents) are stored first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from docket.domain import Claim
from docket.link.reconcile import format_range
from docket.store.claims import insert_claims
from docket.store.schema import claims, documents

DEMO_CLAIMS = Path(__file__).with_name("demo_claims.yaml")


def store_demo_claims(db: Any) -> int:
    """Store the bundled demo claims when there are none; returns how many were stored."""
    with db.store.read() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(claims)).scalar():
            return 0
        doc_ids = dict(conn.execute(sa.select(documents.c.url, documents.c.id)).all())
    raw = yaml.safe_load(DEMO_CLAIMS.read_text(encoding="utf-8"))
    new = [
        Claim.model_validate({**entry, "document_id": doc_ids[url], "extractor": "demo"})
        for url, entries in raw["claims"].items()
        if url in doc_ids
        for entry in entries
    ]
    with db.store.write() as conn:
        insert_claims(conn, new, db.actor, reason="demo claims")
    return len(new)


def run(ctx: Any) -> None:
    db, out = ctx.db, ctx.console
    stored = store_demo_claims(db)
    if stored:
        out.print(f"[bold]link[/bold]    stored {stored} demo claims (no extractor installed)")
    for kind in ("observer", "radio"):
        report = db.import_logs(ctx.samples / "logs" / f"{kind}.csv", kind)
        out.print(
            f"[bold]link[/bold]    imported {report.imported} {kind} log rows; "
            f"{len(report.problems)} bad rows skipped"
        )
        for problem in report.problems:
            out.print(f"          [yellow]skipped[/yellow] {problem}", highlight=False)
    report = db.link()
    out.print(
        f"[bold]link[/bold]    {report.claims} claims -> {report.new_incidents} incidents "
        f"({report.candidate_pairs} pairs scored, {report.links_stored} links stored)"
    )
    found = db.incidents(limit=None)
    for incident in found:
        _print_incident(out, incident)
    path = ctx.out_dir / "incidents.json"
    views = [db.incident(i.id).as_dict() for i in found if i.id is not None]
    path.write_text(json.dumps(views, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    ctx.outputs["incidents (JSON)"] = path
    ctx.outputs["incidents"] = f"docket --db {ctx.db_path} incidents | incident show ID"


def _print_incident(out: Any, incident: Any) -> None:
    place = incident.place.name if incident.place else "?"
    killed = format_range(incident.killed, incident.killed_best)
    out.print(
        f"  [bold]#{incident.id}[/bold] {incident.date_low} {place}: {incident.event_type or '?'}, "
        f"killed {killed}, grade [bold]{incident.grade}[/bold] ({incident.grade_reasons[0]})",
        highlight=False,
    )
    figures = [f"{format_range(f.killed)} — {f.source}" for f in incident.source_figures]
    out.print(f"      sources: {'; '.join(figures)}", highlight=False)
    for item in incident.details.get("log_attribution", []):
        out.print(f"      logs suggest {item['actor']}:", highlight=False)
        for line in item["evidence"]:
            out.print(f"        {line}", highlight=False)
    for text in incident.disagreements:
        out.print(f"      [yellow]disagreement[/yellow] {text}", highlight=False)
