"""Demo step of the intake stage: store the bundled sample reports."""

from __future__ import annotations

from typing import Any


def run(ctx: Any) -> None:
    report = ctx.db.ingest([ctx.samples / "documents"])
    ctx.console.print(
        f"[bold]intake[/bold]  stored {len(report.stored)} sample documents "
        f"(SHA-256 of each original kept; re-ingesting changes nothing)"
    )
