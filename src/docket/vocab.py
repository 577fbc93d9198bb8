"""Vocabularies loaded from data files: event types, weapons, targets, actors.

Files live in ``docket/data/``. A user extends a vocabulary by pointing ``DOCKET_DATA`` at a folder
holding files of the same names: their entries are added to (or replace, by id) the built-in ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from docket.errors import ConfigError, one_line


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable id, a display name, aliases and any extra columns."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.extra.get(key)


def data_path(name: str) -> Path:
    """Path of a built-in data file."""
    return Path(str(resources.files("docket") / "data" / name))


def _user_dirs() -> list[Path]:
    extra = os.environ.get("DOCKET_DATA", "")
    return [Path(p) for p in extra.split(os.pathsep) if p]


def load_yaml(name: str) -> Any:
    path = data_path(name)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read vocabulary ({one_line(exc)})") from exc


def _terms_from(path: Path, key: str) -> list[Term]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read vocabulary ({one_line(exc)})") from exc
    entries = raw.get(key)
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected a list under '{key}:'")
    terms = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "id" not in entry:
            raise ConfigError(f"{path}: entry {i + 1} under '{key}:' has no 'id'")
        extra = {k: v for k, v in entry.items() if k not in {"id", "name", "aliases"}}
        aliases = tuple(str(a).lower() for a in entry.get("aliases") or ())
        terms.append(Term(str(entry["id"]), str(entry.get("name", entry["id"])), aliases, extra))
    return terms


@cache
def vocabulary(kind: str) -> dict[str, Term]:
    """Terms of one vocabulary (``event_types``, ``weapons``, ``targets``, ``actors``) by id."""
    terms = {t.id: t for t in _terms_from(data_path(f"{kind}.yaml"), kind)}
    for folder in _user_dirs():
        path = folder / f"{kind}.yaml"
        if path.exists():
            terms.update({t.id: t for t in _terms_from(path, kind)})
    return terms


def event_types() -> dict[str, Term]:
    return vocabulary("event_types")


def weapons() -> dict[str, Term]:
    return vocabulary("weapons")


def targets() -> dict[str, Term]:
    return vocabulary("targets")


def actors() -> dict[str, Term]:
    return vocabulary("actors")


def coarse_event_type(event_type: str | None) -> str | None:
    """The evaluation gold's coarse type for an ACLED sub-event id."""
    if event_type is None:
        return None
    term = event_types().get(event_type)
    return str(term["coarse"]) if term is not None else "other"
