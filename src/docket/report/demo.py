"""Demo step of the report stage: the HTML and PDF report over the demo incidents, and exports."""

from __future__ import annotations

from typing import Any

from docket.store.incidents import list_incidents


def run(ctx: Any) -> None:
    with ctx.db.store.read() as conn:
        found = list_incidents(conn, limit=1)
    if not found:
        ctx.console.print("[bold]report[/bold]  no incidents yet (linking has not run): skipped")
        return
    html = ctx.out_dir / "report.html"
    pdf = ctx.out_dir / "report.pdf"
    report = ctx.db.report(
        html=html, pdf=pdf, title="Attacks on civilians and protected places: demo findings"
    )
    ctx.outputs["report (HTML)"] = html
    ctx.outputs["report (PDF)"] = pdf
    for fmt, name in (
        ("geojson", "export.geojson"),
        ("acled", "export-acled.csv"),
        ("json", "export.json"),
    ):
        path = ctx.out_dir / name
        ctx.db.export(fmt, path)
        ctx.outputs[f"export ({fmt})"] = path
    ctx.console.print(
        f"[bold]report[/bold]  {report.headline.sentences[0].text()}", highlight=False
    )
