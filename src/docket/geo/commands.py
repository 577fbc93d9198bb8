"""CLI commands of the geo stage (thin wrappers over :class:`docket.Docket` methods)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main docket app."""
