"""CLI commands of the web app (``docket serve``, ``docket users``)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the web commands to the main ``docket`` app."""
