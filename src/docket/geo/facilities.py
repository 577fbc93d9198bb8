"""The protected-facility registry: hospitals, clinics, schools, markets, camps, water stations.

A facility is a place with a type (a target id from ``data/targets.yaml``), aliases, an optional
status history (operating / damaged / closed / destroyed, each with a date and a source) and an
optional deconfliction flag (its coordinates were shared with the parties to the conflict).

``find_facility`` matches a claim's named target ("al-Shami hospital", in Ariha) to the registry;
``link_facility`` does that and, when the named facility is unknown, adds it as a *candidate* for
review, so that no named facility is lost.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import Field
from rapidfuzz import fuzz

from docket.domain import Claim, Record
from docket.errors import InputError, IntakeError, NotFoundError
from docket.geo.normalize import normalize
from docket.geo.tables import facilities, facility_status
from docket.intake.readers import cut_short, read_table_text
from docket.store.audit import Change, now, record_changes
from docket.vocab import targets

STATUSES = ("operating", "damaged", "closed", "destroyed")
# Targets that are not facilities one can list (a neighbourhood, "other").
NOT_FACILITIES = frozenset({"residential", "other"})
MATCH_CUTOFF = 88


class StatusEvent(Record):
    status: str
    date: dt.date | None = None
    source: str | None = None
    note: str | None = None


class Facility(Record):
    """A protected site in the registry."""

    id: int | None = None
    name: str
    facility_type: str
    settlement: str | None = None
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    aliases: list[str] = Field(default_factory=list)
    external_ids: dict[str, str] = Field(default_factory=dict)
    status: str | None = None
    deconflicted: bool = False
    deconflicted_on: dt.date | None = None
    candidate: bool = False
    source: str | None = None
    history: list[StatusEvent] = Field(default_factory=list)


def facility_types() -> list[str]:
    return [t for t in targets() if t not in NOT_FACILITIES]


def _check_type(kind: str) -> str:
    kind = kind.strip().lower()
    known = facility_types()
    if kind not in known:
        aliases = {a.lower(): t.id for t in targets().values() for a in t.aliases}
        if kind in aliases and aliases[kind] in known:
            return aliases[kind]
        raise ValueError(f"unknown facility type {kind!r}; use one of {', '.join(known)}")
    return kind


def _check_status(status: str) -> str:
    status = status.strip().lower()
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    return status


# -- reading ---------------------------------------------------------------------------


def _from_row(row: Any, history: list[StatusEvent] | None = None) -> Facility:
    return Facility(
        id=row.id,
        name=row.name,
        facility_type=row.facility_type,
        settlement=row.settlement,
        admin1=row.admin1,
        country=row.country,
        lat=row.lat,
        lon=row.lon,
        aliases=list(row.aliases or []),
        external_ids=dict(row.external_ids or {}),
        status=row.status,
        deconflicted=bool(row.deconflicted),
        deconflicted_on=row.deconflicted_on,
        candidate=bool(row.candidate),
        source=row.source,
        history=history or [],
    )


def list_facilities(
    conn: sa.Connection,
    *,
    facility_type: str | None = None,
    status: str | None = None,
    candidates: bool | None = None,
) -> list[Facility]:
    query = sa.select(facilities).order_by(facilities.c.id)
    if facility_type:
        query = query.where(facilities.c.facility_type == facility_type)
    if status:
        query = query.where(facilities.c.status == status)
    if candidates is not None:
        query = query.where(facilities.c.candidate == candidates)
    return [_from_row(r) for r in conn.execute(query)]


def get_facility(conn: sa.Connection, facility_id: int) -> Facility:
    row = conn.execute(sa.select(facilities).where(facilities.c.id == facility_id)).first()
    if row is None:
        raise NotFoundError(
            f"facility {facility_id} is not in the registry; see `docket facilities`"
        )
    events = conn.execute(
        sa.select(facility_status)
        .where(facility_status.c.facility_id == facility_id)
        .order_by(facility_status.c.date, facility_status.c.id)
    )
    history = [
        StatusEvent(status=e.status, date=e.date, source=e.source, note=e.note) for e in events
    ]
    return _from_row(row, history)


# -- matching ----------------------------------------------------------------------------


def _names(f: Facility) -> list[str]:
    return [normalize(n) for n in [f.name, *f.aliases] if n]


def find_facility(
    conn: sa.Connection,
    name: str,
    *,
    facility_type: str | None = None,
    settlement: str | None = None,
) -> Facility | None:
    """The registered facility called ``name`` (spelling variants allowed), if any.

    With several matches, one of ``facility_type`` and in ``settlement`` wins.
    """
    key = normalize(name)
    if not key:
        return None
    best: tuple[float, Facility] | None = None
    town = normalize(settlement) if settlement else None
    for f in list_facilities(conn, facility_type=facility_type):
        score = max((fuzz.token_sort_ratio(key, n) for n in _names(f)), default=0)
        if score < MATCH_CUTOFF:
            continue
        if town and f.settlement and normalize(f.settlement) == town:
            score += 5
        if best is None or score > best[0]:
            best = (score, f)
    return best[1] if best else None


# -- writing ------------------------------------------------------------------------------


def add_facility(conn: sa.Connection, actor: str, facility: Facility, *, reason: str) -> int:
    at = now()
    values = facility.model_dump(exclude={"id", "history"})
    values["facility_type"] = _check_type(facility.facility_type)
    if facility.status:
        values["status"] = _check_status(facility.status)
    new_id = conn.execute(
        facilities.insert()
        .values(**values, created_at=at, updated_at=at)
        .returning(facilities.c.id)
    ).scalar_one()
    for event in facility.history:
        add_status(conn, actor, new_id, event, record=False)
    record_changes(conn, actor, [Change("create", "facility", new_id, after=values, reason=reason)])
    return int(new_id)


def add_status(
    conn: sa.Connection, actor: str, facility_id: int, event: StatusEvent, *, record: bool = True
) -> None:
    """Append a status event; the facility's current status is that of its latest event."""
    status = _check_status(event.status)
    conn.execute(
        facility_status.insert().values(
            facility_id=facility_id,
            status=status,
            date=event.date,
            source=event.source,
            note=event.note,
            created_at=now(),
        )
    )
    latest = conn.execute(
        sa.select(facility_status.c.status)
        .where(facility_status.c.facility_id == facility_id)
        .order_by(facility_status.c.date.desc().nulls_last(), facility_status.c.id.desc())
        .limit(1)
    ).scalar_one()
    conn.execute(
        facilities.update()
        .where(facilities.c.id == facility_id)
        .values(status=latest, updated_at=now())
    )
    if record:
        record_changes(
            conn,
            actor,
            [Change("status", "facility", facility_id, after=event, reason=event.source)],
        )


def link_facility(
    conn: sa.Connection,
    actor: str,
    claim: Claim,
    *,
    settlement: str | None = None,
) -> int | None:
    """Id of the facility the claim's first named facility target is (created as candidate if new).

    Sets ``facility_id`` on the matching :class:`~docket.domain.TargetRef` of ``claim`` (in memory;
    storing the claim is the caller's, with its audit entry). None when no target is named.
    """
    place = claim.place
    town = settlement or (place.name if place and place.lat is not None else None)
    for target in claim.targets:
        if not target.name or target.category in NOT_FACILITIES:
            continue
        if target.facility_id is not None:
            return target.facility_id
        kind = target.category if target.category in facility_types() else None
        found = find_facility(conn, target.name, facility_type=kind, settlement=town)
        if found is not None and found.id is not None:
            target.facility_id = found.id
            return found.id
        candidate = Facility(
            name=target.name,
            facility_type=kind or "hospital",
            settlement=town,
            admin1=place.admin1 if place else None,
            country=place.country if place else None,
            lat=place.lat if place and place.precision.value in ("site", "settlement") else None,
            lon=place.lon if place and place.precision.value in ("site", "settlement") else None,
            candidate=True,
            source=f"claim {claim.id}" if claim.id else "claim",
        )
        new_id = add_facility(
            conn, actor, candidate, reason="named in a claim, not in the registry: review"
        )
        target.facility_id = new_id
        return new_id
    return None


# -- import -----------------------------------------------------------------------------

FACILITY_COLUMNS = (
    "name",
    "type",
    "lat",
    "lon",
    "settlement",
    "admin1",
    "country",
    "aliases",
    "status",
    "status_date",
    "status_source",
    "deconflicted",
    "deconflicted_on",
)


@dataclass
class FacilityImport:
    path: str
    created: int = 0
    updated: int = 0
    failed: list[IntakeError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "created": self.created,
            "updated": self.updated,
            "failed": [{"line": e.line, "problem": e.problem} for e in self.failed],
        }


def _date(value: str | None) -> dt.date | None:
    value = (value or "").strip()
    return dt.date.fromisoformat(value) if value else None


def _float(value: str | None, name: str) -> float | None:
    value = (value or "").strip()
    try:
        return float(value) if value else None
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a number") from None


def import_facilities(
    conn: sa.Connection,
    actor: str,
    path: Path,
    *,
    on_error: Callable[[IntakeError], None] | None = None,
) -> FacilityImport:
    """Load a CSV (``FACILITY_COLUMNS``; extra columns are ids). A row naming a facility already
    registered (same name, type and settlement) adds its status to that facility's history."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    report = FacilityImport(str(path))
    reader = csv.DictReader(io.StringIO(read_table_text(path), newline=""))
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
    missing = [c for c in ("name", "type") if c not in reader.fieldnames]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} in the header")
    id_columns = [c for c in reader.fieldnames if c not in FACILITY_COLUMNS]
    for row in reader:
        try:
            short = cut_short(row, ("name", "type"))
            if short is not None:
                raise ValueError(short)
            created = _import_row(conn, actor, path, row, id_columns)
        except ValueError as exc:
            error = IntakeError(path, str(exc), reader.line_num)
            report.failed.append(error)
            if on_error:
                on_error(error)
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report


def _import_row(
    conn: sa.Connection, actor: str, path: Path, row: dict[str, str], id_columns: list[str]
) -> bool:
    name = (row.get("name") or "").strip()
    if not name:
        raise ValueError("name is empty")
    kind = _check_type(row.get("type") or "")
    lat, lon = _float(row.get("lat"), "lat"), _float(row.get("lon"), "lon")
    if (lat is None) != (lon is None) or (
        lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        raise ValueError(f"coordinates {row.get('lat')!r}, {row.get('lon')!r} are not a point")
    settlement = (row.get("settlement") or "").strip() or None
    event = None
    if (row.get("status") or "").strip():
        event = StatusEvent(
            status=_check_status(row["status"]),
            date=_date(row.get("status_date")),
            source=(row.get("status_source") or "").strip() or None,
        )
    existing = _same_facility(conn, name, kind, settlement)
    if existing is not None and existing.id is not None:
        if event:
            add_status(conn, actor, existing.id, event)
        return False
    facility = Facility(
        name=name,
        facility_type=kind,
        settlement=settlement,
        admin1=(row.get("admin1") or "").strip() or None,
        country=((row.get("country") or "").strip().upper() or None),
        lat=lat,
        lon=lon,
        aliases=[a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()],
        external_ids={c: row[c] for c in id_columns if row.get(c)},
        deconflicted=(row.get("deconflicted") or "").strip().lower() in ("1", "true", "yes", "y"),
        deconflicted_on=_date(row.get("deconflicted_on")),
        source=path.name,
        history=[event] if event else [],
    )
    add_facility(conn, actor, facility, reason=f"imported from {path.name}")
    return True


def _same_facility(
    conn: sa.Connection, name: str, kind: str, settlement: str | None
) -> Facility | None:
    key = normalize(name)
    town = normalize(settlement) if settlement else None
    for f in list_facilities(conn, facility_type=kind):
        if normalize(f.name) == key and (normalize(f.settlement) if f.settlement else None) == town:
            return f
    return None
