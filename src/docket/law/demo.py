"""Demo step of the law stage: assess the demo incidents and ask the alleged perpetrator of the
first attack on a medical unit for its account (right of reply)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docket.store.incidents import list_incidents


def run(ctx: Any) -> None:
    with ctx.db.store.read() as conn:
        found = list_incidents(conn, limit=1)
    if not found:
        ctx.console.print("[bold]law[/bold]  no incidents yet (linking has not run): skipped")
        return
    report = ctx.db.assess_incidents()
    counts = ", ".join(f"{rule} {len(ids)}" for rule, ids in sorted(report.flags_by_rule.items()))
    ctx.console.print(
        f"[bold]law[/bold]  assessed {report.assessed} incidents; potential violations flagged: "
        f"{counts or 'none'}"
    )
    medical = report.flags_by_rule.get("medical_units") or []
    with ctx.db.store.read() as conn:
        attributed = [i for i in list_incidents(conn, ids=medical, limit=None) if i.perpetrators]
    if attributed:
        incident = attributed[0]
        party = incident.perpetrators[0].name
        reply = ctx.db.add_reply(
            party=party,
            incident_id=incident.id,
            sent_on=dt.date.today(),
            channel="letter",
            inquiry=(
                f"We are documenting the attack on {incident.place.name if incident.place else 'a'}"
                f" medical facility on {incident.date_low}. Please tell us whether your forces"
                " carried out a strike there, the target, and the precautions taken."
            ),
        )
        ctx.console.print(f"      right of reply: {reply.summary}")
    patterns = ctx.db.patterns()
    repeated = [f for f in patterns.systematic if f.key.startswith("site:")]
    if repeated:
        ctx.console.print(f"      pattern: {repeated[0].label} — {repeated[0].value}")
