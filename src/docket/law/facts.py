"""Facts about an incident that legal rules and reports read: facilities hit, populated places.

Facility facts (type, status, deconfliction) come from the geo stage's facility registry (the
``facilities`` table, joined through ``TargetRef.facility_id``) when it exists, and otherwise from
the incident itself: ``Incident.details["facility"]`` (one dict) or ``details["facilities"]`` (a
list) with ``name``, ``type``, ``status`` (a word, or a history of ``{"date", "status"}``) and
``deconflicted``, and from named targets. All coupling to the registry lives here:
:func:`attach_registry` (reads the table) and :func:`facilities_of` (reads an incident).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sqlalchemy as sa

from docket.domain import Incident

# Where registry facts are put on incidents read for reports and assessment (never stored).
REGISTRY_KEY = "registry_facilities"

CLOSED = {"closed", "destroyed", "out_of_service", "non_functional"}
DAMAGED = {"damaged", "partially_functional", "partially_damaged"}


@dataclass(frozen=True)
class FacilityFacts:
    """One facility an incident hit, as far as the record knows it."""

    name: str | None
    type: str | None
    status: str | None = None
    deconflicted: bool = False
    facility_id: int | None = None

    @cached_property
    def key(self) -> str | None:
        """What identifies the site across incidents: registry id, else type and name."""
        if self.facility_id is not None:
            return f"id:{self.facility_id}"
        if self.name:
            return f"name:{(self.type or '').lower()}:{self.name.lower()}"
        return None

    @property
    def closed(self) -> bool:
        return (self.status or "") in CLOSED

    @property
    def damaged(self) -> bool:
        return (self.status or "") in DAMAGED


_SEEN: dict[int, tuple[Incident, list[FacilityFacts]]] | None = None


@contextmanager
def remembering_facilities() -> Iterator[None]:
    """Within this block, :func:`facilities_of` remembers its answer per incident object.

    Reports ask many times per incident; the memo holds the incidents it has seen, so it is
    dropped when the block ends.
    """
    global _SEEN
    outer = _SEEN
    if outer is None:
        _SEEN = {}
    try:
        yield
    finally:
        if outer is None:
            _SEEN = None


def facilities_of(incident: Incident) -> list[FacilityFacts]:
    """The facilities ``incident`` hit (the single adapter to the facility registry)."""
    memo = _SEEN  # one read: another thread may end its block meanwhile
    if memo is None:
        return _facilities(incident)
    seen = memo.get(id(incident))
    if seen is not None and seen[0] is incident:
        return seen[1]
    found = _facilities(incident)
    memo[id(incident)] = (incident, found)
    return found


def _facilities(incident: Incident) -> list[FacilityFacts]:
    details = incident.details
    if not (
        details.get(REGISTRY_KEY)
        or details.get("facilities")
        or "facility" in details
        or any(t.name or t.facility_id is not None for t in incident.targets)
    ):
        return []  # most incidents name no facility: skip building the lists below
    raw = list(incident.details.get(REGISTRY_KEY) or [])
    raw += incident.details.get("facilities") or []
    if isinstance(incident.details.get("facility"), dict):
        raw = [incident.details["facility"], *raw]
    found: list[FacilityFacts] = []
    for entry in raw:
        fact = _facility(entry) if isinstance(entry, dict) else None
        if fact and not any(_same(fact, other) for other in found):
            found.append(fact)
    named = {(f.name or "").lower() for f in found}
    known_ids = {f.facility_id for f in found if f.facility_id is not None}
    for target in incident.targets:
        if target.facility_id is not None and target.facility_id in known_ids:
            continue
        if (target.name or target.facility_id) and (target.name or "").lower() not in named:
            found.append(
                FacilityFacts(target.name, target.category, None, False, target.facility_id)
            )
    return found


def _same(a: FacilityFacts, b: FacilityFacts) -> bool:
    if a.facility_id is not None and a.facility_id == b.facility_id:
        return True
    return bool(a.name) and (a.name or "").lower() == (b.name or "").lower()


def _facility(entry: dict[str, Any]) -> FacilityFacts:
    return FacilityFacts(
        name=entry.get("name"),
        type=entry.get("type"),
        status=_latest_status(entry.get("status")),
        deconflicted=bool(entry.get("deconflicted", False)),
        facility_id=entry.get("id") or entry.get("facility_id"),
    )


def _latest_status(status: Any) -> str | None:
    if isinstance(status, list):
        dated = [s for s in status if isinstance(s, dict) and s.get("status")]
        if not dated:
            return None
        return str(max(dated, key=lambda s: str(s.get("date") or ""))["status"]).lower()
    return str(status).lower() if status else None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


@dataclass
class Registry:
    """The geo stage's facility registry as far as reports need it: facts by id and by name."""

    by_id: dict[int, dict[str, Any]]
    by_name: dict[tuple[str, str], dict[str, Any]]

    def lookup(self, target: Any) -> dict[str, Any] | None:
        if target.facility_id is not None:
            return self.by_id.get(target.facility_id)
        if target.name:
            return self.by_name.get((target.category, _norm(target.name)))
        return None


def load_registry(conn: sa.Connection) -> Registry | None:
    """The registry (``None`` when the geo stage's ``facilities`` table is absent)."""
    inspector = sa.inspect(conn)
    if not inspector.has_table("facilities"):
        return None
    present = {c["name"] for c in inspector.get_columns("facilities")}
    wanted = ["id", "name", "facility_type", "status", "deconflicted"]
    table = sa.table("facilities", *(sa.column(c) for c in wanted + ["aliases"] if c in present))
    by_id: dict[int, dict[str, Any]] = {}
    by_name: dict[tuple[str, str], dict[str, Any]] = {}
    for row in conn.execute(sa.select(table)).mappings():
        facts = {
            "id": row["id"],
            "name": row["name"],
            "type": row["facility_type"],
            "status": row["status"],
            "deconflicted": bool(row["deconflicted"]),
        }
        by_id[row["id"]] = facts
        aliases = row.get("aliases") or []
        if isinstance(aliases, str):  # a JSON column read without its type
            aliases = json.loads(aliases)
        for name in [row["name"], *aliases]:
            by_name.setdefault((row["facility_type"], _norm(str(name))), facts)
    return Registry(by_id, by_name)


def attach_registry(conn: sa.Connection, incidents: Sequence[Incident]) -> None:
    """Put registry facts on incidents read for reporting (``details[REGISTRY_KEY]``): targets
    carrying a registry id, or named like a registry facility of the same type.

    The incidents must be fresh copies read for this purpose: they are changed in place and must
    not be written back.
    """
    if not incidents or not any(t.facility_id or t.name for i in incidents for t in i.targets):
        return
    registry = load_registry(conn)
    if registry is None or not registry.by_id:
        return
    for incident in incidents:
        found = [f for f in (registry.lookup(t) for t in incident.targets) if f is not None]
        if found:
            incident.details[REGISTRY_KEY] = list({f["id"]: f for f in found}.values())
            memo = _SEEN
            if memo is not None:
                memo.pop(id(incident), None)
