"""Docket's errors: one tree, reported once at the edge (CLI or web).

    DocketError
    ├── ConfigError          bad settings, unknown database URL, missing key file
    ├── InputError           a file or value a user gave cannot be used
    │   └── IntakeError      one file of a batch could not be ingested (carries the path)
    ├── NotFoundError        a record id that is not in the store
    ├── IntegrityError       stored originals or the audit chain do not verify
    └── PermissionDenied     the current user's role does not allow the action

Each message names the file, record or component and, where there is one, the fix.
"""

from __future__ import annotations

from pathlib import Path


class DocketError(Exception):
    """Base of every error Docket raises on purpose."""


class ConfigError(DocketError):
    """Settings cannot be used as given."""


class InputError(DocketError):
    """A file or value given by a user cannot be used."""


class IntakeError(InputError):
    """One input of a batch could not be ingested; the rest of the batch goes on."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class NotFoundError(DocketError):
    """A record id that the store does not hold."""


class IntegrityError(DocketError):
    """Stored originals or the audit chain do not verify."""


class PermissionDenied(DocketError):
    """The current user's role does not allow the action."""


def one_line(exc: BaseException) -> str:
    """Why a file could not be read, in one line: an OS error's reason, a YAML error's place and
    problem (PyYAML's own message spans lines, with a caret drawing), a decoding error's byte."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"not valid {exc.encoding} (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        )
    mark, problem = getattr(exc, "problem_mark", None), getattr(exc, "problem", None)
    if mark is not None and problem:
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return " ".join(str(exc).split())
