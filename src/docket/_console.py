"""Shared terminal output helpers for the CLI: one console, JSON printing, progress bars."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

PIPED_WIDTH = 160  # output to a file or a pipe: tables keep their dates whole, lines unbroken


def _width(stream: Any) -> int | None:
    """Rich's own width on a terminal or with $COLUMNS set, else ``PIPED_WIDTH`` (rich would use
    80 columns, cutting an incident table's dates to "2020-…")."""
    if os.environ.get("COLUMNS") or getattr(stream, "isatty", lambda: False)():
        return None
    return PIPED_WIDTH


console = Console(width=_width(sys.stdout))
err_console = Console(stderr=True, width=_width(sys.stderr))


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun it counts: "1 link", "3 links", "1 facility", "2 facilities"."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def to_jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def print_json(value: Any) -> None:
    """Machine output on stdout: plain JSON, no colours, no wrapping."""
    sys.stdout.write(
        json.dumps(to_jsonable(value), ensure_ascii=False, indent=2, default=str) + "\n"
    )


def error_line(message: str) -> None:
    """One red line on stderr; markup in ``message`` is not interpreted (it may hold file names)."""
    err_console.print(f"[red]Error:[/red] {_escape(message)}", soft_wrap=True, highlight=False)


def warning_line(message: str) -> None:
    """One yellow line on stderr for what went through with a caveat (the exit code stays 0)."""
    err_console.print(
        f"[yellow]Warning:[/yellow] {_escape(message)}", soft_wrap=True, highlight=False
    )


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@contextmanager
def progress(description: str, total: int | None, *, disable: bool = False) -> Iterator[Any]:
    """A rich progress bar on stderr; ``advance()`` it once per item."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=disable,
    )
    with bar:
        task = bar.add_task(description, total=total)

        class _Handle:
            def advance(self, n: int = 1) -> None:
                bar.advance(task, n)

            def describe(self, text: str) -> None:
                bar.update(task, description=text)

        yield _Handle()
