"""Reading and writing incidents.

An incident row keeps the reconciled values other stages filter on (dates, place, casualty ranges,
grade, review and publication flags) and the whole :class:`~docket.domain.Incident` in ``data``.
Filters on list fields (perpetrator, target, weapon) are applied to the JSON after the SQL filters
(:class:`ListFilter`), reading rows only until the page is full.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
import sqlalchemy as sa

from docket.domain import Incident
from docket.errors import NotFoundError
from docket.store.audit import (
    Change,
    Digest,
    batch_changes,
    deletion_of,
    insert_recorded,
    now,
    record_changes,
    text_digest,
)
from docket.store.bulk import bulk_insert, chunks, indexes_rebuilt
from docket.store.schema import incidents

_ROW_ONLY = {"id"}

# The columns ``incident_to_row`` copies out of an incident's JSON: column -> path in ``data``
# (``docket verify`` checks each stored incident's columns against it). The fast link path
# (``link.assess``) writes the same columns.
INCIDENT_MIRRORS: dict[str, tuple[str, ...]] = {
    "event_type": ("event_type",),
    "date_low": ("date_low",),
    "date_high": ("date_high",),
    "place_name": ("place", "name"),
    "admin1": ("place", "admin1"),
    "country": ("place", "country"),
    "lat": ("place", "lat"),
    "lon": ("place", "lon"),
    "precision": ("place", "precision"),
    "killed_low": ("killed", "low"),
    "killed_best": ("killed_best",),
    "killed_high": ("killed", "high"),
    "civilians_killed_low": ("civilians_killed", "low"),
    "civilians_killed_high": ("civilians_killed", "high"),
    "injured_low": ("injured", "low"),
    "injured_best": ("injured_best",),
    "injured_high": ("injured", "high"),
    "grade": ("grade",),
    "reviewed": ("reviewed",),
    "published": ("published",),
}


def incident_to_row(incident: Incident, *, with_data: bool = True) -> dict[str, Any]:
    place = incident.place
    row: dict[str, Any] = {
        "event_type": incident.event_type,
        "date_low": incident.date_low,
        "date_high": incident.date_high,
        "place_name": place.name if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "precision": place.precision.value if place else None,
        "killed_low": incident.killed.low,
        "killed_best": incident.killed_best,
        "killed_high": incident.killed.high,
        "civilians_killed_low": incident.civilians_killed.low,
        "civilians_killed_high": incident.civilians_killed.high,
        "injured_low": incident.injured.low,
        "injured_best": incident.injured_best,
        "injured_high": incident.injured.high,
        "grade": incident.grade,
        "reviewed": incident.reviewed,
        "published": incident.published,
    }
    if with_data:
        row["data"] = incident.model_dump(mode="json", exclude=_ROW_ONLY)
    return row


def row_to_incident(row: Any) -> Incident:
    return Incident.model_validate({**row.data, "id": row.id})


def insert_incidents(
    conn: sa.Connection, new: Sequence[Incident], actor: str, reason: str | None = None
) -> list[int]:
    """Insert incidents in one statement, audit-logged; returns their ids in order."""
    if not new:
        return []
    stamp = now()
    rows = [{**incident_to_row(i), "created_at": stamp, "updated_at": stamp} for i in new]
    return insert_recorded(
        conn, incidents, rows, record_type="incident", actor=actor, reason=reason
    )


def canonical_json(data: Any) -> str:
    """Compact JSON with sorted keys (what a batch digest covers; orjson: 3x faster than json)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS, default=str).decode()


def stored_digest(data: Any) -> Digest:
    """An incident's stored JSON as a link run's batch and the entries taking an incident over
    from it (:func:`update_incident`, :func:`delete_incidents`) record it: the SHA-256 of its
    canonical text (cheaper than the whole record's digest, and unmoved by new fields)."""
    return text_digest(canonical_json(data))


def prepare_incident(incident: Incident) -> tuple[dict[str, Any], str]:
    """An incident's column values and its canonical JSON, as :func:`insert_incidents_batched`
    takes them.

    The canonical text is both the stored ``data`` and what the batch digest covers, so
    ``canonical_json(row.data)`` recomputes it on either database (PostgreSQL's JSONB reorders
    keys, hence the sorting).
    """
    text = canonical_json(incident.model_dump(mode="json", exclude=_ROW_ONLY))
    return incident_to_row(incident, with_data=False), text


def insert_incidents_batched(
    conn: sa.Connection,
    prepared: Sequence[tuple[dict[str, Any], str]],
    actor: str,
    reason: str,
    *,
    meanwhile: Callable[[list[int]], None] | None = None,
) -> list[int]:
    """Insert a machine run's incidents (from :func:`prepare_incident`) in bulk, audit-logged as
    batches (``record_batches``; ``reason`` should name the run). Returns the ids in order.

    ``meanwhile(ids)``: the caller's Python work (no database) on the new ids, done once, with
    the batches' hashing while SQLite builds the table's indexes (see ``bulk.alongside``).
    """
    if not prepared:
        if meanwhile is not None:
            meanwhile([])
        return []
    stamp = now()
    texts = [text for _, text in prepared]
    changes: list[Change] = []

    def summarise() -> None:
        items = sorted(zip(ids, map(text_digest, texts), strict=True))
        changes.extend(batch_changes("create", "incident", items, reason=reason))
        if meanwhile is not None:
            meanwhile(ids)

    if conn.dialect.name == "sqlite":
        # the write transaction holds SQLite's lock (BEGIN IMMEDIATE): the next ids are ours
        top = conn.execute(sa.select(sa.func.max(incidents.c.id))).scalar() or 0
        ids = list(range(top + 1, top + 1 + len(prepared)))
        columns = ["id", *prepared[0][0], "created_at", "updated_at", "data"]
        values = [
            (i, *row.values(), stamp, stamp, text)
            for i, (row, text) in zip(ids, prepared, strict=True)
        ]
        with indexes_rebuilt(conn, incidents, len(values), meanwhile=summarise):
            bulk_insert(conn, incidents, columns, values)
    else:
        rows = [
            {**row, "created_at": stamp, "updated_at": stamp, "data_text": t} for row, t in prepared
        ]
        data = sa.cast(sa.bindparam("data_text", type_=sa.Text), incidents.c.data.type)
        statement = (
            sa.insert(incidents)
            .values(data=data)
            .returning(incidents.c.id, sort_by_parameter_order=True)
        )
        ids = []
        for batch in chunks(rows, 20_000):
            ids += [r[0] for r in conn.execute(statement, batch)]
        summarise()
    record_changes(conn, actor, changes)
    return ids


def get_incident(conn: sa.Connection, incident_id: int, *, for_update: bool = False) -> Incident:
    """One incident; ``for_update`` when the caller writes it back: on PostgreSQL the row stays
    locked until the transaction ends, so that two reviewers' changes cannot overwrite each
    other (SQLite's write transaction already holds the whole database). Only such a caller
    is told who removed an incident that is gone, and why: a reader (a viewer on the public
    pages) must not learn the team's names and reasons."""
    query = sa.select(incidents).where(incidents.c.id == incident_id)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    if row is None:
        deleted = deletion_of(conn, "incident", incident_id) if for_update else None
        raise _missing(incident_id, deleted)
    return row_to_incident(row)


def _missing(incident_id: int, deleted: dict[str, Any] | None = None) -> NotFoundError:
    if deleted is not None:
        # a colleague merged it away a moment ago: say so rather than "no such incident"
        return NotFoundError(
            f"incident {incident_id} no longer exists: {deleted['actor']} removed it at "
            f"{deleted['at']:%Y-%m-%d %H:%M} UTC ({deleted['reason'] or 'no reason given'})"
        )
    return NotFoundError(f"no incident with id {incident_id}; `docket incidents` lists them")


def update_incident(
    conn: sa.Connection, incident: Incident, actor: str, reason: str | None, action: str = "update"
) -> None:
    """Replace a stored incident with ``incident`` (same id), recording before (its stored
    JSON, :func:`stored_digest`) and after."""
    if incident.id is None:
        raise ValueError("update_incident needs an incident with an id")
    before = _stored_digests(conn, [incident.id]).get(incident.id)
    if before is None:
        raise _missing(incident.id)
    conn.execute(
        sa.update(incidents)
        .where(incidents.c.id == incident.id)
        .values(**incident_to_row(incident), updated_at=now())
    )
    record_changes(
        conn,
        actor,
        [Change(action, "incident", incident.id, before=before, after=incident, reason=reason)],
    )


def delete_incidents(
    conn: sa.Connection, ids: Sequence[int], actor: str, reason: str | None
) -> None:
    """Delete incidents (their claims must already be detached), recording each deletion
    (before: :func:`stored_digest`)."""
    if not ids:
        return
    before = _stored_digests(conn, ids)
    conn.execute(sa.delete(incidents).where(incidents.c.id.in_(list(ids))))
    record_changes(
        conn,
        actor,
        (Change("delete", "incident", i, before=before.get(i), reason=reason) for i in ids),
    )


def _stored_digests(conn: sa.Connection, ids: Sequence[int]) -> dict[int, Digest]:
    query = sa.select(incidents.c.id, incidents.c.data).where(incidents.c.id.in_(list(ids)))
    return {i: stored_digest(data) for i, data in conn.execute(query)}


def filter_incidents(
    query: sa.Select[Any],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    admin1: str | None = None,
    country: str | None = None,
    event_type: str | None = None,
    grade: str | None = None,
    published: bool | None = None,
) -> sa.Select[Any]:
    """``query`` narrowed by the incident columns the CLI, API and reports filter on."""
    if since:
        query = query.where(incidents.c.date_high >= since)
    if until:
        query = query.where(incidents.c.date_low <= until)
    for column, value in (
        (incidents.c.country, country),
        (incidents.c.event_type, event_type),
        (incidents.c.grade, grade),
        (incidents.c.published, published),
    ):
        if value is not None:
            query = query.where(column == value)
    if admin1:
        query = query.where(sa.func.lower(incidents.c.admin1) == admin1.lower())
    return query


_PLAIN = re.compile(r"[\w .-]+", re.ASCII)
Row = TypeVar("Row")


@dataclass(frozen=True)
class ListFilter:
    """Perpetrator, target and weapon filters on incidents' JSON: a perpetrator by name or actor
    id (any case), a target by category, a weapon by name."""

    perpetrator: str | None = None
    target: str | None = None
    weapon: str | None = None

    @property
    def empty(self) -> bool:
        return self.perpetrator is None and self.target is None and self.weapon is None

    def narrow(self, query: sa.Select[Any]) -> sa.Select[Any]:
        """``query`` without rows whose JSON text cannot contain the wanted values.

        Only plain ASCII values are used: their JSON string is the value itself in quotes,
        whatever escaping the database's JSON text uses for other characters."""
        text = sa.cast(incidents.c.data, sa.Text)
        for value in (self.perpetrator, self.target, self.weapon):
            if value is not None and _PLAIN.fullmatch(value):
                query = query.where(text.ilike(f'%"{_like(value)}"%', escape="\\"))
        return query

    def matches(self, record: dict[str, Any]) -> bool:
        if self.perpetrator is not None:
            name = self.perpetrator.lower()
            if not any(
                name in (str(p.get("name") or "").lower(), str(p.get("actor_id") or "").lower())
                for p in record.get("perpetrators") or []
            ):
                return False
        if self.target is not None and not any(
            t.get("category") == self.target for t in record.get("targets") or []
        ):
            return False
        return self.weapon is None or self.weapon in (record.get("weapons") or [])

    def page(
        self,
        rows: Iterable[Row],
        count: int | None,
        offset: int,
        record: Callable[[Row], dict[str, Any]],
    ) -> list[Row]:
        """The ``count`` matching rows (all when None) after the first ``offset`` matches,
        reading no further; ``record`` gives a row's incident JSON."""
        found: list[Row] = []
        for row in rows:
            if not self.matches(record(row)):
                continue
            if offset:
                offset -= 1
                continue
            found.append(row)
            if len(found) == count:
                break
        return found


def _like(text: str) -> str:
    return text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_incidents(
    conn: sa.Connection,
    *,
    ids: Iterable[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    admin1: str | None = None,
    country: str | None = None,
    event_type: str | None = None,
    grade: str | None = None,
    perpetrator: str | None = None,
    target: str | None = None,
    weapon: str | None = None,
    published: bool | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[Incident]:
    """Incidents by date (oldest first), with SQL filters on columns and Python filters on lists."""
    query = sa.select(incidents).order_by(incidents.c.date_low, incidents.c.id)
    if ids is not None:
        query = query.where(incidents.c.id.in_(list(ids)))
    query = filter_incidents(
        query,
        since=since,
        until=until,
        admin1=admin1,
        country=country,
        event_type=event_type,
        grade=grade,
        published=published,
    )
    wanted = ListFilter(perpetrator, target, weapon)
    if wanted.empty:
        query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [row_to_incident(r) for r in conn.execute(query)]
    streamed = wanted.narrow(query).execution_options(yield_per=500)
    rows = wanted.page(conn.execute(streamed), limit, offset, lambda row: row.data)
    return [row_to_incident(r) for r in rows]
