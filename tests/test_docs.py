"""Docs that cannot drift: every command has help ending with an example; the public API is complete."""

import typer.main

import docket
from docket.cli import app


def _commands(group, prefix=""):  # type: ignore[no-untyped-def]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_docs_every_command_has_help_with_an_example() -> None:
    group = typer.main.get_command(app)
    missing = [name for name, cmd in _commands(group) if "Example:" not in (cmd.help or "")]
    assert missing == []


def test_docs_every_command_is_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    group = typer.main.get_command(app)
    assert [n for n, _ in _commands(group) if f"docket {n}" not in readme] == []


def test_docs_public_api_is_complete_and_sorted() -> None:
    exported = [name for name in dir(docket) if not name.startswith("_") and name[0].isupper()]
    assert sorted(docket.__all__) == docket.__all__
    assert set(exported) <= set(docket.__all__)
