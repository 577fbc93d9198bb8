"""Reading and writing claims and aggregate claims.

A claim row keeps the columns other stages filter and join on (date, place, casualties, extractor,
review status) and the whole :class:`~docket.domain.Claim` as JSON in ``data``. The incident a
claim belongs to is a row of ``claim_incidents`` (none while unlinked): read claims through
:func:`select_claims`, assign them through :func:`set_incidents`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from docket.domain import AggregateClaim, Claim, ReviewStatus
from docket.errors import NotFoundError
from docket.store.audit import Change, Digest, insert_recorded, now, record_changes
from docket.store.bulk import bulk_insert, chunks, indexes_rebuilt
from docket.store.schema import aggregate_claims, claim_incidents, claims

_ROW_ONLY = {"id", "document_id", "incident_id", "review_status"}
_CHUNK = 5_000  # ids per IN (...) list
claim_incident = claim_incidents.c.incident_id  # a claim's incident in select_claims (or NULL)


def select_claims(*columns: Any) -> sa.Select[Any]:
    """``SELECT columns`` (default: every claim column and ``incident_id``) from the claims
    joined with their incidents: the one way claims are read with their incident."""
    chosen = columns or (claims, claim_incident)
    joined = claims.outerjoin(claim_incidents, claim_incidents.c.claim_id == claims.c.id)
    return sa.select(*chosen).select_from(joined)


def set_incidents(conn: sa.Connection, assignment: Mapping[int, int | None]) -> None:
    """Point claims at incidents (``None``: at none).

    No audit entry: the caller records the change.
    """
    # in key order: pages written in sequence
    set_incidents_in_order(conn, sorted(assignment.items()))


def set_incidents_in_order(conn: sa.Connection, ordered: Sequence[tuple[int, int | None]]) -> None:
    """:func:`set_incidents` of ``(claim id, incident id or None)`` pairs sorted by claim id."""
    detached = [k for k, v in ordered if v is None]
    for chunk in chunks(detached, _CHUNK):
        conn.execute(sa.delete(claim_incidents).where(claim_incidents.c.claim_id.in_(chunk)))
    rows = [kv for kv in ordered if kv[1] is not None] if detached else ordered
    with indexes_rebuilt(conn, claim_incidents, len(rows)):
        bulk_insert(conn, claim_incidents, ["claim_id", "incident_id"], rows, replacing="claim_id")


def link_digest(incident_id: int | None) -> Digest:
    """``digest({"incident_id": incident_id})``, what a claim's link entries record, written
    out (a link run takes it for every claim it links: 4x faster)."""
    said = "null" if incident_id is None else str(int(incident_id))
    return Digest(hashlib.sha256(f'{{"incident_id":{said}}}'.encode()).hexdigest())


def incidents_of(conn: sa.Connection, claim_ids: Sequence[int]) -> dict[int, int]:
    """The incident each of ``claim_ids`` points at (claims pointing at none left out)."""
    found: dict[int, int] = {}
    for chunk in chunks(claim_ids, _CHUNK):
        query = sa.select(claim_incidents.c.claim_id, claim_incident)
        found.update(
            tuple(r) for r in conn.execute(query.where(claim_incidents.c.claim_id.in_(chunk)))
        )
    return found


def claim_to_row(claim: Claim) -> dict[str, Any]:
    """The column values of ``claim`` (without ``id``)."""
    place = claim.place
    killed_low, killed_high = claim.casualties.killed.total_bounds
    injured_low, injured_high = claim.casualties.injured.total_bounds
    return {
        "document_id": claim.document_id,
        "event_type": claim.event_type,
        "date": claim.date,
        "date_precision": claim.date_precision.value if claim.date_precision else None,
        "place_name": place.name if place else (claim.places[0].text if claim.places else None),
        "admin1": claim.admin1 or (place.admin1 if place else None),
        "country": claim.country or (place.country if place else None),
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "precision": place.precision.value if place else None,
        "killed_low": killed_low,
        "killed_high": killed_high,
        "injured_low": injured_low,
        "injured_high": injured_high,
        "extractor": claim.extractor,
        "extractor_version": claim.extractor_version,
        "review_status": claim.review_status.value,
        "data": claim.model_dump(mode="json", exclude=_ROW_ONLY),
    }


def row_to_claim(row: Any) -> Claim:
    return Claim.model_validate(
        {
            **row.data,
            "id": row.id,
            "document_id": row.document_id,
            "incident_id": row.incident_id,
            "review_status": row.review_status,
        }
    )


def insert_claims(
    conn: sa.Connection, new: Sequence[Claim], actor: str, reason: str | None = None
) -> list[int]:
    """Insert claims in one statement, audit-logged; returns their ids in order (claims that
    name an incident are assigned to it)."""
    ids = insert_claim_rows(conn, [claim_to_row(c) for c in new], actor, reason=reason)
    set_incidents(conn, {i: c.incident_id for i, c in zip(ids, new, strict=True) if c.incident_id})
    return ids


def insert_claim_rows(
    conn: sa.Connection, rows: Sequence[dict[str, Any]], actor: str, reason: str | None = None
) -> list[int]:
    """:func:`insert_claims` of claims given as their :func:`claim_to_row` rows (made where
    the claims were, e.g. in extraction workers). Rows carry no incident (``claim_incidents``
    holds it): :func:`insert_claims` sets those its claims name; an extracted claim has none."""
    if not rows:
        return []
    stamp = now()
    stamped = [{**row, "created_at": stamp, "updated_at": stamp} for row in rows]
    return insert_recorded(conn, claims, stamped, record_type="claim", actor=actor, reason=reason)


def get_claim(conn: sa.Connection, claim_id: int, *, for_update: bool = False) -> Claim:
    """One claim with its incident; ``for_update`` locks its row as
    :func:`docket.store.incidents.get_incident` does."""
    query = select_claims().where(claims.c.id == claim_id)
    row = conn.execute(query.with_for_update(of=claims) if for_update else query).first()
    if row is None:
        raise NotFoundError(f"no claim with id {claim_id}; `docket claims` lists them")
    return row_to_claim(row)


def list_claims(
    conn: sa.Connection,
    *,
    document_id: int | None = None,
    document_ids: Iterable[int] | None = None,
    incident_id: int | None = None,
    ids: Iterable[int] | None = None,
    extractor: str | None = None,
    review_status: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    unlinked: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[Claim]:
    """Claims in id order, filtered by document, incident, extractor, review status and date."""
    query = select_claims().order_by(claims.c.id).offset(offset)
    conditions = {
        claims.c.document_id: document_id,
        claim_incident: incident_id,
        claims.c.extractor: extractor,
        claims.c.review_status: review_status,
    }
    for column, value in conditions.items():
        if value is not None:
            query = query.where(column == value)
    if document_ids is not None:
        query = query.where(claims.c.document_id.in_(list(document_ids)))
    if ids is not None:
        query = query.where(claims.c.id.in_(list(ids)))
    if since:
        query = query.where(claims.c.date >= since)
    if until:
        query = query.where(claims.c.date <= until)
    if unlinked:
        query = query.where(claim_incident.is_(None))
    if limit is not None:
        query = query.limit(limit)
    return [row_to_claim(r) for r in conn.execute(query)]


def update_claim(
    conn: sa.Connection, claim: Claim, actor: str, reason: str | None, action: str = "update"
) -> None:
    """Replace a stored claim with ``claim`` (same id), recording before and after (a new
    incident also as a ``link`` entry first, so that only link entries change a claim's link:
    a link run's batch relies on it, see ``docket.evidence.verify_records``)."""
    if claim.id is None:
        raise ValueError("update_claim needs a claim with an id")
    before = get_claim(conn, claim.id)
    row = {**claim_to_row(claim), "updated_at": now()}
    conn.execute(sa.update(claims).where(claims.c.id == claim.id).values(**row))
    changes = [Change(action, "claim", claim.id, before=before, after=claim, reason=reason)]
    if claim.incident_id != before.incident_id:
        set_incidents(conn, {claim.id: claim.incident_id})
        relinked = _link_change(claim.id, before.incident_id, claim.incident_id, reason)
        changes.insert(0, relinked)
    record_changes(conn, actor, changes)


def replace_claims(
    conn: sa.Connection, changed: Sequence[tuple[Claim, Claim]], actor: str, reason: str | None
) -> None:
    """Replace stored claims, each ``(before, after)``: ``before`` as read in this transaction,
    ``after`` of the same id and incident; one statement for all, each change recorded as
    :func:`update_claim` records it."""
    stamp = now()
    rows = []
    for before, after in changed:
        if after.id is None or after.id != before.id or after.incident_id != before.incident_id:
            raise ValueError("replace_claims keeps each claim's id and incident")
        rows.append({**claim_to_row(after), "updated_at": stamp, "claim_id": after.id})
    if not rows:
        return
    conn.execute(sa.update(claims).where(claims.c.id == sa.bindparam("claim_id")), rows)
    changes = [
        Change("update", "claim", after.id or 0, before=before, after=after, reason=reason)
        for before, after in changed
    ]
    record_changes(conn, actor, changes)


def set_review_status(
    conn: sa.Connection, claim_id: int, status: ReviewStatus, actor: str, reason: str | None
) -> Claim:
    """Accept, reject or mark a claim edited, recording who, when and why."""
    claim = get_claim(conn, claim_id, for_update=True)
    updated = claim.model_copy(update={"review_status": status})
    update_claim(conn, updated, actor, reason, action="review")
    return updated


def assign_incident(
    conn: sa.Connection,
    claim_ids: Sequence[int],
    incident_id: int | None,
    actor: str,
    reason: str | None = None,
) -> None:
    """Attach claims to an incident (or detach with ``None``), one audit entry per claim (a
    claim named twice counts once) recording its incident before and after."""
    assignment = dict.fromkeys(claim_ids, incident_id)
    if not assignment:
        return
    was = incidents_of(conn, list(assignment))
    set_incidents(conn, assignment)
    record_changes(
        conn, actor, (_link_change(c, was.get(c), incident_id, reason) for c in assignment)
    )


def _link_change(
    claim_id: int, before: int | None, after: int | None, reason: str | None
) -> Change:
    return Change(
        "link",
        "claim",
        claim_id,
        before={"incident_id": before},
        after={"incident_id": after},
        reason=reason,
    )


def aggregate_to_row(aggregate: AggregateClaim) -> dict[str, Any]:
    """The column values of ``aggregate`` (without ``id``)."""
    return {
        "document_id": aggregate.document_id,
        "counted": aggregate.counted,
        "count_low": aggregate.count.low,
        "count_high": aggregate.count.high,
        "period_start": aggregate.period_start,
        "period_end": aggregate.period_end,
        "extractor": aggregate.extractor,
        "extractor_version": aggregate.extractor_version,
        "data": aggregate.model_dump(mode="json", exclude={"id", "document_id"}),
    }


def insert_aggregates(conn: sa.Connection, new: Sequence[AggregateClaim], actor: str) -> list[int]:
    return insert_aggregate_rows(conn, [aggregate_to_row(a) for a in new], actor)


def insert_aggregate_rows(
    conn: sa.Connection, rows: Sequence[dict[str, Any]], actor: str
) -> list[int]:
    """:func:`insert_aggregates` of aggregate claims given as their :func:`aggregate_to_row`
    rows."""
    if not rows:
        return []
    stamp = now()
    stamped = [{**row, "created_at": stamp} for row in rows]
    return insert_recorded(
        conn, aggregate_claims, stamped, record_type="aggregate_claim", actor=actor
    )


def list_aggregates(conn: sa.Connection, *, document_id: int | None = None) -> list[AggregateClaim]:
    query = sa.select(aggregate_claims).order_by(aggregate_claims.c.id)
    if document_id is not None:
        query = query.where(aggregate_claims.c.document_id == document_id)
    return [
        AggregateClaim.model_validate({**r.data, "id": r.id, "document_id": r.document_id})
        for r in conn.execute(query)
    ]
