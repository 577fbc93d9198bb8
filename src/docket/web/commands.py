"""CLI commands of the web app (``docket serve``, ``docket users``)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from docket._console import console, print_json
from docket.errors import InputError

users_app = typer.Typer(
    help="Local accounts of the web app and their API tokens.", no_args_is_help=True
)


def _open(db: str | None):  # type: ignore[no-untyped-def]
    from docket.cli import open_db

    return open_db(db)


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file (default $DOCKET_DB or ./docket.db)."),
]


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOption = None,
    reports_dir: Annotated[
        Path | None, typer.Option(help="Folder for generated reports (default beside the db).")
    ] = None,
    max_upload: Annotated[float, typer.Option(help="Largest upload, in MB.")] = 20,
    workers: Annotated[
        int, typer.Option(help="Server processes (login throttling is per process).")
    ] = 1,
) -> None:
    """Serve the web app and the HTTP API (/api/v1, docs at /api/docs).

    Example: docket serve --db docket-demo.db --port 8000
    """
    from docket.cli import state

    serve_app(
        db or state.db_url,
        host=host,
        port=port,
        reports_dir=reports_dir,
        max_upload=int(max_upload * 1e6),
        workers=workers,
    )


def serve_app(
    db: str | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    reports_dir: Path | None = None,
    max_upload: int | None = None,
    workers: int = 1,
    log_level: str = "info",
) -> None:
    """Run the app under uvicorn until interrupted. ``workers`` processes share the port, each
    with its own socket where the system allows (see :mod:`docket.web.workers`)."""
    import uvicorn

    from docket.store.engine import resolve_url
    from docket.web import workers as workers_module
    from docket.web.app import Settings, create_app
    from docket.web.uploads import DEFAULT_MAX_UPLOAD

    console.print(f"Docket web app on http://{host}:{port}/  (API docs: /api/docs)")
    if workers > 1:
        # Each worker process builds its own app from the environment; the schema is brought
        # up to date here first, so that the workers do not all migrate at once.
        import docket

        docket.open(db).close()
        os.environ["DOCKET_DB"] = resolve_url(db)
        if reports_dir is not None:
            os.environ["DOCKET_REPORTS_DIR"] = str(reports_dir)
        os.environ["DOCKET_MAX_UPLOAD"] = str(max_upload or DEFAULT_MAX_UPLOAD)
        if workers_module.supported():
            workers_module.serve(host, port, workers, log_level=log_level)
            return
        uvicorn.run(
            "docket.web.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            proxy_headers=True,
        )
        return
    settings = Settings(db=db, reports_dir=reports_dir, max_upload=max_upload or DEFAULT_MAX_UPLOAD)
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=True)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="viewer, analyst, investigator or admin.")] = "viewer",
    password: Annotated[
        str | None,
        typer.Option(help="Password (default: $DOCKET_PASSWORD, else asked for)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a local account to the web app.

    Example: docket users add amira --role analyst
    """
    secret = password or os.environ.get("DOCKET_PASSWORD") or getpass.getpass("Password: ")
    with _open(db) as workspace:
        user = workspace.add_user(name, role, secret)
    console.print(f"[green]added[/green] {user.name} ({user.role})", highlight=False)


@users_app.command("list")
def users_list(
    db: DbOption = None, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """List the accounts.

    Example: docket users list --json
    """
    with _open(db) as workspace:
        accounts = workspace.users()
    if as_json:
        print_json([{"name": u.name, "role": u.role, "totp": u.totp} for u in accounts])
        return
    table = Table("name", "role", "totp", box=None)
    for u in accounts:
        table.add_row(u.name, u.role, "on" if u.totp else "off")
    console.print(table)


@users_app.command("role")
def users_role(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Argument(help="viewer, analyst, investigator or admin.")],
    db: DbOption = None,
) -> None:
    """Change an account's role.

    Example: docket users role amira investigator
    """
    with _open(db) as workspace:
        user = workspace.set_user_role(name, role)
    console.print(f"{user.name} is now {user.role}", highlight=False)


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="Login name.")],
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    db: DbOption = None,
) -> None:
    """Create an API token for scripts (printed once; send as 'Authorization: Bearer TOKEN').

    Example: TOKEN=$(docket users token amira --label nightly-export)
    """
    with _open(db) as workspace:
        token = workspace.create_token(name, label)
    typer.echo(token)


@users_app.command("revoke")
def users_revoke(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOption = None,
) -> None:
    """Revoke every API token of an account and end its browser sessions.

    Example: docket users revoke amira
    """
    with _open(db) as workspace:
        count = workspace.revoke_access(name)
    console.print(f"revoked {count} tokens of {name}; its sessions are ended", highlight=False)


@users_app.command("totp")
def users_totp(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOption = None,
) -> None:
    """Turn on two-step login (TOTP) for an account; prints the otpauth:// URI for its app.

    Example: docket users totp amira
    """
    with _open(db) as workspace:
        uri = workspace.enable_totp(name)
    typer.echo(uri)


def register(app: typer.Typer) -> None:
    """Add the web commands to the main ``docket`` app."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")


__all__ = ["InputError", "register", "serve_app"]
