"""The append-only, hash-chained audit log.

Every change to documents, claims, incidents, evidence and testimonies is written here in the same
transaction as the change. Each entry's hash covers its content and the previous entry's hash, so
deleting or editing a row breaks the chain at that row (``docket verify`` walks it).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from docket.store.schema import audit_log

GENESIS = "0" * 64
BATCH_SIZE = 10_000  # records per audit entry of a machine run (see record_batches)


class Digest(str):
    """A digest already taken (of a stored text, or a batch's format marker): recorded as is."""


def text_digest(text: str) -> Digest:
    """The SHA-256 of a stored text (an incident's canonical JSON, as a batch line holds it)."""
    return Digest(hashlib.sha256(text.encode()).hexdigest())


def digest(record: Any) -> str | None:
    """A stable SHA-256 of a record's JSON form (``None`` stays ``None``; a :class:`Digest`
    stays itself)."""
    if record is None:
        return None
    if isinstance(record, Digest):
        return str(record)
    if hasattr(record, "model_dump"):
        record = record.model_dump(mode="json")
    payload = json.dumps(record, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    """One change to record: who did what to which record, and why."""

    action: str  # create, update, delete, review, link, ...
    record_type: str
    record_id: str | int
    before: Any = None
    after: Any = None
    reason: str | None = None


def entry_hash(entry: Mapping[Any, Any]) -> str:
    fields = (
        entry["prev_hash"],
        entry["at"].isoformat() if isinstance(entry["at"], dt.datetime) else str(entry["at"]),
        entry["actor"],
        entry["action"],
        entry["record_type"],
        str(entry["record_id"]),
        entry["before_digest"] or "",
        entry["after_digest"] or "",
        entry["reason"] or "",
    )
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def _lock_chain(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        # Writers append one at a time so two transactions never fork the chain.
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(726172)"))


def _last_hash(conn: sa.Connection) -> str:
    row = conn.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).first()
    return row[0] if row else GENESIS


def now() -> dt.datetime:
    """Current UTC time without tzinfo (stored as naive UTC on both databases)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def record_changes(conn: sa.Connection, actor: str, changes: Iterable[Change]) -> int:
    """Append ``changes`` to the log inside the caller's transaction; returns how many."""
    _lock_chain(conn)
    prev = _last_hash(conn)
    at = now()
    rows = []
    for change in changes:
        entry = {
            "at": at,
            "actor": actor,
            "action": change.action,
            "record_type": change.record_type,
            "record_id": str(change.record_id),
            "before_digest": digest(change.before),
            "after_digest": digest(change.after),
            "reason": change.reason,
            "prev_hash": prev,
        }
        entry["hash"] = prev = entry_hash(entry)
        rows.append(entry)
    if rows:
        conn.execute(sa.insert(audit_log), rows)
    return len(rows)


def insert_recorded(
    conn: sa.Connection,
    table: sa.Table,
    rows: list[dict[str, Any]],
    *,
    record_type: str,
    actor: str,
    reason: str | None = None,
) -> list[int]:
    """Insert ``rows`` (each with its record's JSON in ``data``) and log one ``create`` each.

    Returns the new ids in the order of ``rows``.
    """
    if not rows:
        return []
    inserted = conn.execute(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    ids = [row[0] for row in inserted]
    record_changes(
        conn,
        actor,
        (
            Change("create", record_type, i, after=r["data"], reason=reason)
            for i, r in zip(ids, rows, strict=True)
        ),
    )
    return ids


BATCH_FORMAT = 2  # the batch form record_batches writes (see batch_summary)
# A batch entry has no state before it; from format 2 on its before-digest is this marker, so
# ``docket verify`` knows which form its after-digest covers.
BATCH_MARKER = text_digest(f"docket audit batch format {BATCH_FORMAT}")


def batch_summary(items: Sequence[tuple[int, str]], *, version: int = 1) -> dict[str, Any]:
    """What a batch entry commits to: how many records and a SHA-256 over ``(id, text)`` lines.

    Format 1 (no marker) took each record's text; format 2 takes each record's digest in the
    form a later entry's before-digest records it, and names its version.
    """
    lines = "".join([f"{record_id}\t{text}\n" for record_id, text in items])
    summary = {"records": len(items), "sha256": hashlib.sha256(lines.encode()).hexdigest()}
    return summary if version == 1 else {"version": version, **summary}


def batch_range(record_id: str) -> tuple[int, int] | None:
    """``(first, last)`` of a batch entry's ``"first..last"`` record id, else ``None``."""
    first, sep, last = record_id.partition("..")
    if not sep or not first.isdigit() or not last.isdigit():
        return None
    return int(first), int(last)


def entries_for(conn: sa.Connection, record_type: str, record_id: int) -> list[dict[str, Any]]:
    """When, who, what and why for one record, oldest first, including the batch entries of
    machine runs whose ``first..last`` range holds it."""
    own = audit_log.c.record_id == str(record_id)
    batched = audit_log.c.record_id.like("%..%")
    query = (
        sa.select(
            audit_log.c.at,
            audit_log.c.actor,
            audit_log.c.action,
            audit_log.c.reason,
            audit_log.c.record_id,
        )
        .where(audit_log.c.record_type == record_type, sa.or_(own, batched))
        .order_by(audit_log.c.id)
    )
    return [
        {k: v for k, v in row.items() if k != "record_id"}
        for row in conn.execute(query).mappings()
        if row["record_id"] == str(record_id) or _holds(row["record_id"], record_id)
    ]


def deletion_of(conn: sa.Connection, record_type: str, record_id: int) -> dict[str, Any] | None:
    """When, by whom and why a record was deleted (its latest ``delete`` entry), if it was."""
    query = (
        sa.select(audit_log.c.at, audit_log.c.actor, audit_log.c.reason)
        .where(
            audit_log.c.record_type == record_type,
            audit_log.c.record_id == str(record_id),
            audit_log.c.action == "delete",
        )
        .order_by(audit_log.c.id.desc())
        .limit(1)
    )
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def _holds(batch_id: str, record_id: int) -> bool:
    span = batch_range(batch_id)
    return span is not None and span[0] <= record_id <= span[1]


def record_batches(
    conn: sa.Connection,
    actor: str,
    action: str,
    record_type: str,
    items: Sequence[tuple[int, str]],
    *,
    reason: str,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Record a machine run's changes as one entry per batch instead of one per record.

    ``items`` are ``(record id, digest)`` sorted by id (each id once), the digest being the
    record's state as the run wrote it, in the form the entry that takes the record over later
    records as its before-digest (an incident: :func:`text_digest` of its canonical JSON; a
    claim's link: ``digest({"incident_id": ...})``). Each entry names its ids as
    ``"first..last"``, its before-digest is :data:`BATCH_MARKER` and its after-digest covers
    :func:`batch_summary` of its items (format 2), so the batch stays verifiable after a review
    takes over some of its records; ``reason`` should name the run. Reviews and other human
    changes stay one entry per change.
    """
    changes = batch_changes(action, record_type, items, reason=reason, batch_size=batch_size)
    return record_changes(conn, actor, changes)


def batch_changes(
    action: str,
    record_type: str,
    items: Sequence[tuple[int, str]],
    *,
    reason: str,
    batch_size: int = BATCH_SIZE,
) -> list[Change]:
    """The entries :func:`record_batches` appends, made without the database (a link run
    hashes its batches in a helper thread while SQLite builds indexes)."""
    return [
        Change(
            action,
            record_type,
            f"{batch[0][0]}..{batch[-1][0]}",
            before=BATCH_MARKER,
            after=batch_summary(batch, version=BATCH_FORMAT),
            reason=reason,
        )
        for batch in _consecutive_batches(items, batch_size)
    ]


def _consecutive_batches(
    items: Sequence[tuple[int, str]], batch_size: int
) -> Iterable[Sequence[tuple[int, str]]]:
    """Runs of at most ``batch_size`` items with consecutive ids, so that a ``first..last`` name
    holds exactly the records of its entry (a reviewed record left out breaks the run)."""
    start = 0
    while start < len(items):
        end = min(len(items), start + batch_size)
        first = items[start][0]
        if items[end - 1][0] - first != end - 1 - start:  # a gap: the run ends before it
            # ids rise by at least one per item, by exactly one up to the first gap
            end = start + bisect.bisect_left(
                range(start, end), True, key=lambda k: items[k][0] - first != k - start
            )
        yield items[start:end]
        start = end


def record_change(conn: sa.Connection, actor: str, change: Change) -> None:
    record_changes(conn, actor, [change])


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    problem: str


def verify_chain(conn: sa.Connection) -> list[ChainProblem]:
    """Walk the log in order; report every entry whose link or hash does not hold."""
    problems = []
    prev = GENESIS
    expected_id = None
    for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings():
        if expected_id is not None and row["id"] != expected_id:
            problems.append(
                ChainProblem(row["id"], f"entries {expected_id}..{row['id'] - 1} are missing")
            )
        if row["prev_hash"] != prev:
            problems.append(
                ChainProblem(
                    row["id"],
                    f"broken link: prev_hash {row['prev_hash'][:12]}… expected {prev[:12]}…",
                )
            )
        found = entry_hash(row)
        if found != row["hash"]:
            problems.append(
                ChainProblem(
                    row["id"],
                    f"entry altered: hash {row['hash'][:12]}… recomputes to {found[:12]}…",
                )
            )
        prev = row["hash"]
        expected_id = row["id"] + 1
    return problems
