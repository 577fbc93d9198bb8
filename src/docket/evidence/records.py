"""Reading and writing evidence rows and location notes (audit-logged in the same transaction)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from docket.errors import NotFoundError
from docket.evidence.models import Evidence, LocationNote, SimilarMedia
from docket.evidence.tables import evidence, evidence_locations
from docket.store.audit import Change, now, record_changes
from docket.store.schema import sources

NEAR_DUPLICATE_BITS = 10  # of 64 perceptual-hash bits; re-encoded or resized copies stay below


def custody_digest(row: Mapping[str, Any]) -> dict[str, Any]:
    """What the audit entry of a new evidence row commits to (re-checked by ``docket verify``)."""
    return {"sha256": row["sha256"], "size": row["size"]}


def insert_evidence(conn: sa.Connection, row: dict[str, Any], actor: str) -> int:
    stamp = now()
    row = {**row, "created_at": stamp, "created_by": actor}
    new_id = conn.execute(sa.insert(evidence).returning(evidence.c.id), row).scalar_one()
    record_changes(conn, actor, [Change("create", "evidence", new_id, after=custody_digest(row))])
    return int(new_id)


def _select() -> sa.Select[Any]:
    return sa.select(evidence, sources.c.name.label("source_name")).outerjoin(
        sources, sources.c.id == evidence.c.source_id
    )


def _to_evidence(row: Any, locations: Sequence[LocationNote] = ()) -> Evidence:
    return Evidence(
        id=row.id,
        sha256=row.sha256,
        size=row.size,
        kind=row.kind,
        media_type=row.media_type,
        filename=row.filename,
        source=row.source_name,
        captured=row.captured,
        incident_id=row.incident_id,
        notes=row.notes,
        phash=row.phash,
        metadata=row.metadata or {},
        created_at=row.created_at,
        created_by=row.created_by,
        locations=list(locations),
    )


def find_by_sha256(conn: sa.Connection, sha256: str) -> Evidence | None:
    row = conn.execute(_select().where(evidence.c.sha256 == sha256)).first()
    return _to_evidence(row) if row else None


def get_evidence(conn: sa.Connection, evidence_id: int) -> Evidence:
    row = conn.execute(_select().where(evidence.c.id == evidence_id)).first()
    if row is None:
        raise NotFoundError(f"no evidence with id {evidence_id}; `docket evidence list` lists it")
    return _to_evidence(row, list_locations(conn, evidence_id))


def list_evidence(
    conn: sa.Connection, *, incident_id: int | None = None, limit: int | None = None
) -> list[Evidence]:
    query = _select().order_by(evidence.c.id)
    if incident_id is not None:
        query = query.where(evidence.c.incident_id == incident_id)
    if limit is not None:
        query = query.limit(limit)
    rows = list(conn.execute(query))
    notes = _locations_of(conn, [r.id for r in rows])
    return [_to_evidence(r, notes.get(r.id, [])) for r in rows]


def similar_images(
    conn: sa.Connection, phash: str, *, exclude: int | None = None
) -> list[SimilarMedia]:
    """Stored images whose perceptual hash is within ``NEAR_DUPLICATE_BITS`` of ``phash``."""
    wanted = int(phash, 16)
    found = []
    query = _select().where(evidence.c.phash.is_not(None))
    for row in conn.execute(query):
        if row.id == exclude:
            continue
        distance = (int(row.phash, 16) ^ wanted).bit_count()
        if distance <= NEAR_DUPLICATE_BITS:
            found.append(
                SimilarMedia(
                    evidence_id=row.id,
                    filename=row.filename,
                    source=row.source_name,
                    captured=row.captured,
                    created_at=row.created_at,
                    distance=distance,
                )
            )
    return sorted(found, key=lambda s: (s.distance, s.evidence_id))


def insert_location(conn: sa.Connection, note: LocationNote, actor: str) -> LocationNote:
    row = note.model_dump(exclude={"id", "created_at", "created_by"})
    row.update(created_at=now(), created_by=actor)
    new_id = conn.execute(
        sa.insert(evidence_locations).returning(evidence_locations.c.id), row
    ).scalar_one()
    stored = note.model_copy(update={"id": new_id, **row})
    record_changes(
        conn,
        actor,
        [
            Change(
                "locate",
                "evidence",
                note.evidence_id,
                after=stored.model_dump(mode="json", exclude={"created_at"}),
                reason=note.note,
            )
        ],
    )
    return stored


def list_locations(conn: sa.Connection, evidence_id: int) -> list[LocationNote]:
    return _locations_of(conn, [evidence_id]).get(evidence_id, [])


def _locations_of(conn: sa.Connection, ids: Sequence[int]) -> dict[int, list[LocationNote]]:
    found: dict[int, list[LocationNote]] = {}
    if not ids:
        return found
    query = (
        sa.select(evidence_locations)
        .where(evidence_locations.c.evidence_id.in_(list(ids)))
        .order_by(evidence_locations.c.id)
    )
    for row in conn.execute(query).mappings():
        found.setdefault(row["evidence_id"], []).append(LocationNote.model_validate(dict(row)))
    return found


def attach_evidence(
    conn: sa.Connection, evidence_id: int, incident_id: int | None, actor: str, reason: str | None
) -> Evidence:
    """Attach evidence to an incident (or detach with ``None``), recording before and after."""
    before = get_evidence(conn, evidence_id)
    conn.execute(
        sa.update(evidence).where(evidence.c.id == evidence_id).values(incident_id=incident_id)
    )
    record_changes(
        conn,
        actor,
        [
            Change(
                "update",
                "evidence",
                evidence_id,
                before={"incident_id": before.incident_id},
                after={"incident_id": incident_id},
                reason=reason,
            )
        ],
    )
    return before.model_copy(update={"incident_id": incident_id})


def review_evidence(
    conn: sa.Connection, evidence_id: int, status: str, note: str | None, actor: str
) -> Evidence:
    """Record an analyst's verdict on a piece of media (kept in its metadata and the log)."""
    item = get_evidence(conn, evidence_id)
    before = item.metadata.get("review")
    review = {"status": status, "note": note, "by": actor, "at": now().isoformat()}
    metadata = {**item.metadata, "review": review}
    conn.execute(sa.update(evidence).where(evidence.c.id == evidence_id).values(metadata=metadata))
    record_changes(
        conn,
        actor,
        [
            Change(
                "review",
                "evidence",
                evidence_id,
                before={"review": before},
                after={"review": review},
                reason=note,
            )
        ],
    )
    return item.model_copy(update={"metadata": metadata})
