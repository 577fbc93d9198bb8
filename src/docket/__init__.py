"""Docket: document, verify and attribute attacks on civilians and protected places.

>>> import docket
>>> db = docket.open(":memory:")
>>> db.stats()["documents"]
0
"""

from __future__ import annotations

from os import PathLike as _PathLike

from docket.errors import (
    ConfigError,
    DocketError,
    InputError,
    IntakeError,
    IntegrityError,
    NotFoundError,
    PermissionDenied,
)
from docket.store import Store
from docket.workspace import Docket

__version__ = "0.1.0"


def open(url: str | _PathLike[str] | None = None, *, actor: str = "cli") -> Docket:  # noqa: A001
    """Open (creating or migrating as needed) the Docket database at ``url``.

    ``url`` is a SQLAlchemy URL or a file path; default ``$DOCKET_DB`` or ``./docket.db``.
    """
    return Docket(Store(url), actor=actor)


__all__ = [
    "ConfigError",
    "Docket",
    "DocketError",
    "InputError",
    "IntakeError",
    "IntegrityError",
    "NotFoundError",
    "PermissionDenied",
    "Store",
    "open",
]
