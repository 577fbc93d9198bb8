"""Demo step of the web stage: publish the better-sourced incidents so that a viewer account
sees something; and ``docket demo --serve``: a demo admin account, its credentials, the app."""

from __future__ import annotations

import secrets
from typing import Any

DEMO_USER = "demo-admin"
PUBLISHED_GRADES = ("confirmed", "fair")


def run(ctx: Any) -> None:
    """Publish the demo incidents graded confirmed or fair (an editor's decision, with reason)."""
    from docket.web.data import set_published

    if not callable(getattr(ctx.db, "incidents", None)):
        return  # no link stage, no incidents to publish
    chosen = [i for i in ctx.db.incidents(limit=None) if i.grade in PUBLISHED_GRADES]
    for incident in chosen:
        set_published(
            ctx.db, incident.id, True, "demo: graded confirmed or fair, published for viewers"
        )
    ctx.console.print(
        f"[bold]web[/bold]  published {len(chosen)} incidents graded "
        f"{' or '.join(PUBLISHED_GRADES)} (viewers see only published incidents); "
        "`docket demo --serve` opens the web app"
    )


def serve(ctx: Any, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Create (or reset) the demo admin account, print how to log in, and serve until Ctrl-C."""
    from docket.web import auth
    from docket.web.commands import serve_app
    from docket.web.tables import users

    password = secrets.token_urlsafe(12)
    with ctx.db.store.write() as conn:
        conn.execute(users.delete().where(users.c.name == DEMO_USER))
        auth.add_user(conn, DEMO_USER, "admin", password)
    ctx.console.print(
        f"\n[bold]web[/bold]  http://{host}:{port}/  log in as [bold]{DEMO_USER}[/bold] "
        f"with password [bold]{password}[/bold]",
        highlight=False,
    )
    serve_app(str(ctx.db_path), host=host, port=port, reports_dir=ctx.out_dir / "reports")
