"""Demo step of the extract stage: read the stored sample reports into claims, show a few."""

from __future__ import annotations

import json
from typing import Any

from docket.extract.output import claim_json
from docket.store.claims import list_aggregates, list_claims


def run(ctx: Any) -> None:
    report = ctx.db.extract()
    ctx.console.print(
        f"[bold]extract[/bold] read {report.documents} documents: {report.claims} claims, "
        f"{report.aggregates} aggregate claims (background statistics); each field keeps its "
        "evidence span"
    )
    with ctx.db.store.read() as conn:
        claims = list_claims(conn)
        aggregates = list_aggregates(conn)
    for claim in claims[:4]:
        c = claim_json(claim)
        killed = (
            c["killed_min"]
            if c["killed_min"] == c["killed_max"]
            else (f"{c['killed_min']}-{c['killed_max'] or ''}")
        )
        ctx.console.print(
            f"  {c['date'] or '?'}  {c['place'] or '?'}  {c['event_type']}  "
            f"by {', '.join(c['perpetrators']) or 'unknown'}  "
            f"weapons {', '.join(c['weapons']) or '-'}  targets {', '.join(c['targets']) or '-'}  "
            f"killed {killed if killed is not None else '?'}",
            highlight=False,
        )
    if aggregates:
        a = aggregates[0]
        ctx.console.print(
            f"  aggregate: {a.counted} {a.count.low}  ({a.quote[:80]})", highlight=False
        )
    path = ctx.out_dir / "claims.json"
    path.write_text(
        json.dumps([claim_json(c) for c in claims], ensure_ascii=False, indent=2), encoding="utf-8"
    )
    ctx.outputs["Extracted claims (JSON)"] = path
