"""The role matrix (``data/roles.yaml``): which role holds which permission.

Every page and API route names one permission; :func:`allowed` answers from the matrix, so the
pages, the API and their tests read the same file.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from docket.errors import ConfigError, InputError


@cache
def matrix() -> dict[str, frozenset[str]]:
    """Permission name -> roles that hold it."""
    raw = yaml.safe_load(resources.files("docket.data").joinpath("roles.yaml").read_text("utf-8"))
    roles = set(raw["roles"])
    found: dict[str, frozenset[str]] = {}
    for permission, holders in raw["permissions"].items():
        unknown = set(holders) - roles
        if unknown:
            raise ConfigError(f"roles.yaml: permission {permission} names unknown roles {unknown}")
        found[permission] = frozenset(holders)
    return found


@cache
def roles() -> tuple[str, ...]:
    raw = yaml.safe_load(resources.files("docket.data").joinpath("roles.yaml").read_text("utf-8"))
    return tuple(raw["roles"])


def check_role(role: str) -> str:
    if role not in roles():
        raise InputError(f"unknown role {role!r}; use one of {', '.join(roles())}")
    return role


def allowed(role: str | None, permission: str) -> bool:
    """Whether ``role`` holds ``permission`` (an unknown permission is a programming error)."""
    holders = matrix().get(permission)
    if holders is None:
        raise KeyError(f"permission {permission!r} is not in roles.yaml")
    return role is not None and role in holders


def permissions_of(role: str | None) -> frozenset[str]:
    return frozenset(p for p, holders in matrix().items() if role in holders)
