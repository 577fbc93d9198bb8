"""Which incidents a finding, report or export covers: period, area, perpetrator, target, ...

``Scope`` is the one description of a selection; :func:`select_incidents` applies it: the columns
it can (dates, admin1, country, grade) in SQL, the lists (perpetrators, targets, weapons) and the
polygon (shapely) on the records.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel

from docket.domain import (
    ActorRef,
    Attribution,
    Incident,
    LocationPrecision,
    Range,
    ResolvedPlace,
    SourceFigure,
    TargetRef,
)
from docket.errors import InputError
from docket.law.facts import attach_registry, remembering_facilities
from docket.memo import remember
from docket.store.schema import incidents as incidents_table


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects (and remember
    facility facts per incident meanwhile).

    Reading 100,000 incidents allocates millions of containers and none of them form cycles;
    with the collector running, its repeated passes over the growing heap cost more than the
    reading itself.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with remembering_facilities():
            yield
    finally:
        # Everything built meanwhile sits in the youngest generation; the first collection after
        # re-enabling would scan it all. Freezing and unfreezing moves it to the oldest one.
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


_loads: Callable[[str | bytes], Any] = json.loads
with suppress(ImportError):  # orjson parses stored records several times faster
    from orjson import loads as _loads


@dataclass(frozen=True)
class Scope:
    """A selection of incidents; every field left ``None`` (or empty) selects all."""

    since: dt.date | None = None
    until: dt.date | None = None
    area: str | None = None  # first-level administrative area (admin1), by name
    country: str | None = None
    polygon: Any = None  # a shapely geometry (see :func:`load_polygon`)
    perpetrators: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    published_only: bool = False
    polygon_name: str | None = field(default=None, compare=False)

    def describe(self) -> str:
        """The scope in words, for report headings ("Idlib; schools, hospitals; 2020-01-01 on")."""
        parts = []
        if self.area:
            parts.append(self.area)
        if self.polygon_name:
            parts.append(f"area in {self.polygon_name}")
        if self.country:
            parts.append(self.country)
        for label, values in (
            ("perpetrator", self.perpetrators),
            ("target", self.targets),
            ("weapon", self.weapons),
            ("grade", self.grades),
        ):
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        if self.since or self.until:
            parts.append(f"{self.since or '…'} to {self.until or '…'}")
        if self.published_only:
            parts.append("published incidents")
        return "; ".join(parts) or "all incidents"


def split_list(value: str | None) -> tuple[str, ...]:
    """``"school,hospital"`` → ``("school", "hospital")``."""
    if not value:
        return ()
    return tuple(v.strip() for v in value.split(",") if v.strip())


def load_polygon(path: str | Path) -> Any:
    """A shapely geometry from a GeoJSON file (Feature, FeatureCollection or geometry) or WKT."""
    from shapely import wkt
    from shapely.geometry import shape
    from shapely.ops import unary_union

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read polygon ({exc.strerror})") from None
    try:
        if text.lstrip().startswith("{"):
            raw = json.loads(text)
            if raw.get("type") == "FeatureCollection":
                return unary_union([shape(f["geometry"]) for f in raw["features"]])
            return shape(raw["geometry"] if raw.get("type") == "Feature" else raw)
        return wkt.loads(text)
    except Exception as exc:  # json, shapely and key errors all mean the same to a user
        raise InputError(f"{path}: not a GeoJSON or WKT polygon ({exc})") from None


def _matches(incident: Incident, scope: Scope) -> bool:
    if scope.perpetrators:
        wanted = {p.lower() for p in scope.perpetrators}
        names = {n.lower() for p in incident.perpetrators for n in (p.actor_id, p.name)}
        if not wanted & names:
            return False
    if scope.targets and not set(scope.targets) & {t.category for t in incident.targets}:
        return False
    return not scope.weapons or bool(set(scope.weapons) & set(incident.weapons))


def _in_polygon(incidents: Sequence[Incident], polygon: Any) -> list[Incident]:
    import numpy as np
    import shapely

    located = [
        i for i in incidents if i.place and i.place.lat is not None and i.place.lon is not None
    ]
    if not located:
        return []
    lon = np.array([i.place.lon for i in located if i.place])
    lat = np.array([i.place.lat for i in located if i.place])
    inside = shapely.contains_xy(polygon, lon, lat)
    return [i for i, keep in zip(located, inside, strict=True) if keep]


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


M = TypeVar("M", bound=BaseModel)


def _bare(cls: type[M], fields: dict[str, Any]) -> M:
    """A model instance over ``fields`` as they are: no validation, no defaults filled in.

    Only for data the store wrote with ``model_dump`` (every field present).
    """
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", fields)
    object.__setattr__(model, "__pydantic_fields_set__", set(fields))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


_STORED_FIELDS = len(Incident.model_fields) - 1  # all but "id", which is a column


_RANGES: dict[tuple[int | None, int | None], Range] = {}


def _range(value: dict[str, Any] | None) -> Range:
    """A shared read-only :class:`Range` per distinct (low, high): most figures repeat."""
    key = (value.get("low"), value.get("high")) if value else (None, None)
    found = _RANGES.get(key)
    if found is None:  # (bounded: figures are small numbers, but stay safe)
        found = remember(_RANGES, key, _bare(Range, {"low": key[0], "high": key[1]}), 100_000)
    return found


def trusted_incident(incident_id: int, data: dict[str, Any]) -> Incident:
    """An :class:`Incident` from its stored JSON without re-validating it.

    The store wrote ``data`` from a validated incident (``model_dump(mode="json")``, every field
    present), so reading it back for reports only needs the types restored (dates, enums, nested
    records). This is what makes reports over 100,000 incidents fast; anything that writes
    incidents back should read them with ``store.incidents.list_incidents`` instead.
    """
    if len(data) < _STORED_FIELDS:  # written by an older model: validate
        return Incident.model_validate({**data, "id": incident_id})
    fields = dict(data, id=incident_id)
    place = fields.get("place")
    if place:
        fields["place"] = _bare(
            ResolvedPlace, {**place, "precision": LocationPrecision(place["precision"])}
        )
    fields["perpetrators"] = [
        _bare(ActorRef, {**p, "attribution": Attribution(p["attribution"])})
        for p in fields["perpetrators"]
    ]
    fields["targets"] = [_bare(TargetRef, t) for t in fields["targets"]]
    for name in ("killed", "civilians_killed", "injured"):
        fields[name] = _range(fields[name])
    fields["source_figures"] = [
        _bare(
            SourceFigure,
            {
                **f,
                "killed": _range(f.get("killed")),
                "civilians_killed": _range(f.get("civilians_killed")),
                "injured": _range(f.get("injured")),
            },
        )
        for f in fields["source_figures"]
    ]
    fields["date_low"] = _day(fields["date_low"])
    fields["date_high"] = _day(fields["date_high"])
    return _bare(Incident, fields)


def select_incidents(conn: sa.Connection, scope: Scope) -> list[Incident]:
    """The incidents in ``scope``, oldest first, with registry facts on facilities they hit.

    These are read-only copies for reports and assessment: never write them back.

    Columns (dates, area, country, grade, publication) are filtered in SQL; lists (perpetrators,
    targets, weapons) and the polygon on the records.
    """
    t = incidents_table
    query = sa.select(t.c.id, sa.cast(t.c.data, sa.Text)).order_by(t.c.date_low, t.c.id)
    if scope.since:
        query = query.where(t.c.date_high >= scope.since)
    if scope.until:
        query = query.where(t.c.date_low <= scope.until)
    if scope.area:
        query = query.where(sa.func.lower(t.c.admin1) == scope.area.lower())
    if scope.country:
        query = query.where(t.c.country == scope.country)
    if scope.grades:
        query = query.where(t.c.grade.in_(scope.grades))
    if scope.published_only:
        query = query.where(t.c.published == sa.true())
    with paused_gc():
        found = [trusted_incident(row[0], _loads(row[1])) for row in conn.execute(query)]
    if scope.perpetrators or scope.targets or scope.weapons:
        found = [i for i in found if _matches(i, scope)]
    if scope.polygon is not None:
        found = _in_polygon(found, scope.polygon)
    attach_registry(conn, found)
    return found
