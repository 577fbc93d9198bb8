"""``docket verify``: re-hash every stored original and evidence file, and walk the audit chain.

Each problem names the record and says what was expected and what was found. Beyond the hashes
stored beside each record, the hashes are compared with those committed to the audit log when
the record was created, so a record edited together with its stored hash is still caught; so is
a document's published date (committed to at creation, or by the entry that dated it later).
Claims and incidents change legitimately; they are checked against the entry with the latest
word on each (:mod:`docket.evidence.verify_records`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from docket.evidence.blobs import BlobStore
from docket.evidence.records import custody_digest
from docket.evidence.tables import evidence, testimonies
from docket.evidence.testimony_records import testimony_digest
from docket.evidence.verify_records import check_records, collector_paused, differs
from docket.intake.readers import normalize_text
from docket.store.audit import digest, verify_chain
from docket.store.documents import created_fields, published_fields
from docket.store.schema import audit_log, claims, documents, incidents, originals


@dataclass(frozen=True)
class Problem:
    """One thing that does not verify: which record, and what is wrong with it."""

    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.record}: {self.message}"


@dataclass
class VerifyReport:
    checked: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    head: tuple[int, str] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "problems": [{"record": p.record, "message": p.message} for p in self.problems],
            "notes": self.notes,
            "audit_head": {"entry": self.head[0], "hash": self.head[1]} if self.head else None,
        }


Tick = Callable[[int], None]  # advance the progress by this many items


def verify_store(
    conn: sa.Connection, blobs: BlobStore | None, tick: Tick | None = None
) -> VerifyReport:
    """Check every original, document text, evidence file, claim, incident and audit entry."""
    with collector_paused():
        return _verify(conn, blobs, tick or (lambda n: None))


def _verify(conn: sa.Connection, blobs: BlobStore | None, tick: Tick) -> VerifyReport:
    report = VerifyReport()
    created = _creation_digests(conn)
    report.checked["originals"] = _check_originals(conn, report, tick)
    report.checked["documents"] = _check_documents(conn, report, created, tick)
    if blobs is not None:
        report.checked["evidence files"] = _check_evidence(conn, blobs, report, created, tick)
    report.checked["testimonies"] = _check_testimonies(conn, report, created, tick)
    records = check_records(conn, tick)
    for record_type in ("claim", "incident"):
        report.checked[f"{record_type}s logged"] = records.records[record_type]
    report.problems += [Problem(record, message) for record, message in records.problems]
    report.notes += records.notes
    report.checked["batch entries re-hashed"] = records.batches_checked
    report.checked["audit entries"] = _check_chain(conn, report)
    return report


def total_items(conn: sa.Connection) -> int:
    tables = (originals, documents, evidence, testimonies, claims, incidents)
    return sum(
        int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()) for t in tables
    )


def _creation_digests(conn: sa.Connection) -> dict[tuple[str, str], tuple[int, str | None]]:
    """What the log last committed to for each record's checked fields: (entry id, digest).

    Documents and evidence files never change, so their ``create`` entry counts; a testimony's
    consent may change, so its latest ``create`` or ``update`` entry counts.
    """
    immutable = sa.and_(
        audit_log.c.action == "create", audit_log.c.record_type.in_(["document", "evidence"])
    )
    testimony = sa.and_(
        audit_log.c.action.in_(["create", "update"]), audit_log.c.record_type == "testimony"
    )
    query = (
        sa.select(
            audit_log.c.id, audit_log.c.record_type, audit_log.c.record_id, audit_log.c.after_digest
        )
        .where(sa.or_(immutable, testimony))
        .order_by(audit_log.c.id)
    )
    found: dict[tuple[str, str], tuple[int, str | None]] = {}
    for r in conn.execute(query):
        key = (r.record_type, r.record_id)
        if r.record_type == "testimony" or key not in found:
            found[key] = (r.id, r.after_digest)
    return found


def _check_created(
    report: VerifyReport,
    created: dict[tuple[str, str], tuple[int, str | None]],
    record_type: str,
    record_id: int,
    label: str,
    now: dict[str, Any],
) -> None:
    entry = created.get((record_type, str(record_id)))
    if entry is None:
        report.problems.append(Problem(label, "has no 'create' entry in the audit log"))
        return
    entry_id, recorded = entry
    found = digest(now)
    if found != recorded:
        report.problems.append(Problem(label, differs(entry_id, found, recorded)))


def _originals(conn: sa.Connection, per_query: int = 1_000) -> Iterator[Any]:
    """Every original in hash order, a page of ``per_query`` at a time (contents stay small)."""
    last = ""
    while True:
        page = conn.execute(
            sa.select(originals.c.sha256, originals.c.size, originals.c.content)
            .where(originals.c.sha256 > last)
            .order_by(originals.c.sha256)
            .limit(per_query)
        ).all()
        yield from page
        if len(page) < per_query:
            return
        last = page[-1].sha256


def _check_originals(conn: sa.Connection, report: VerifyReport, tick: Tick) -> int:
    count = 0
    for row in _originals(conn):
        sha256 = row.sha256
        content = bytes(row.content)
        found = hashlib.sha256(content).hexdigest()
        if found != sha256:
            report.problems.append(
                Problem(f"original {sha256}", f"content hashes to {found}, expected {sha256}")
            )
        elif len(content) != row.size:
            report.problems.append(
                Problem(f"original {sha256}", f"size is {len(content)}, expected {row.size}")
            )
        count += 1
        tick(1)
    return count


def _check_documents(
    conn: sa.Connection,
    report: VerifyReport,
    created: dict[tuple[str, str], tuple[int, str | None]],
    tick: Tick,
) -> int:
    stored = set(conn.execute(sa.select(originals.c.sha256)).scalars())
    dated = _dating_entries(conn)
    count = 0
    query = sa.select(
        documents.c.id,
        documents.c.raw_sha256,
        documents.c.text_sha256,
        documents.c.text,
        documents.c.published,
    ).order_by(documents.c.id)
    for row in conn.execute(query):
        label = f"document {row.id}"
        if row.raw_sha256 not in stored:
            report.problems.append(Problem(label, f"original {row.raw_sha256} is missing"))
        found = hashlib.sha256(normalize_text(row.text).encode("utf-8")).hexdigest()
        if found != row.text_sha256:
            report.problems.append(
                Problem(label, f"text hashes to {found}, expected text_sha256 {row.text_sha256}")
            )
        _check_document_entries(report, created, dated.get(str(row.id)), row, label)
        count += 1
        tick(1)
    return count


def _dating_entries(conn: sa.Connection) -> dict[str, tuple[int, str | None]]:
    """Each document's latest ``update`` entry (a published date given after it was stored):
    record id -> (entry id, digest)."""
    query = (
        sa.select(audit_log.c.id, audit_log.c.record_id, audit_log.c.after_digest)
        .where(audit_log.c.action == "update", audit_log.c.record_type == "document")
        .order_by(audit_log.c.id)
    )
    return {r.record_id: (r.id, r.after_digest) for r in conn.execute(query)}


def _check_document_entries(
    report: VerifyReport,
    created: dict[tuple[str, str], tuple[int, str | None]],
    dating: tuple[int, str | None] | None,
    row: Any,
    label: str,
) -> None:
    """A document against its ``create`` entry (hashes and the published date it was stored
    with) and the entry that gave it a published date later, if any. An entry written before
    the published date was logged commits to the hashes alone."""
    entry = created.get(("document", str(row.id)))
    hashes_only = {"raw_sha256": row.raw_sha256, "text_sha256": row.text_sha256}
    if entry is None or entry[1] != digest(hashes_only):
        then = None if dating else row.published
        now = created_fields(row.raw_sha256, row.text_sha256, then)
        _check_created(report, created, "document", row.id, label, now)
    if dating is not None:
        entry_id, recorded = dating
        found = digest(published_fields(row.published))
        if found != recorded:
            report.problems.append(
                Problem(f"{label} published date", differs(entry_id, found, recorded))
            )


def _check_evidence(
    conn: sa.Connection,
    blobs: BlobStore,
    report: VerifyReport,
    created: dict[tuple[str, str], tuple[int, str | None]],
    tick: Tick,
) -> int:
    known: set[str] = set()
    count = 0
    query = sa.select(evidence.c.id, evidence.c.sha256, evidence.c.size, evidence.c.filename)
    for row in conn.execute(query.order_by(evidence.c.id)):
        label = f"evidence {row.id} ({row.filename})"
        known.add(row.sha256)
        where = blobs.relative(row.sha256)
        found = blobs.rehash(row.sha256)
        if found is None:
            report.problems.append(Problem(label, f"file {where} is missing"))
        elif found[0] != row.sha256:
            report.problems.append(
                Problem(label, f"file {where} hashes to {found[0]}, expected {row.sha256}")
            )
        elif found[1] != row.size:
            report.problems.append(
                Problem(label, f"file {where} is {found[1]} bytes, expected {row.size}")
            )
        _check_created(
            report, created, "evidence", row.id, label, custody_digest(dict(row._mapping))
        )
        count += 1
        tick(1)
    for name in blobs.stored():
        if name not in known:
            report.notes.append(f"file {blobs.relative(name)} is not recorded as evidence")
    return count


def _check_testimonies(
    conn: sa.Connection,
    report: VerifyReport,
    created: dict[tuple[str, str], tuple[int, str | None]],
    tick: Tick,
) -> int:
    count = 0
    for row in conn.execute(sa.select(testimonies).order_by(testimonies.c.id)).mappings():
        label = f"testimony {row['id']} ({row['pseudonym']})"
        _check_created(report, created, "testimony", row["id"], label, testimony_digest(dict(row)))
        count += 1
        tick(1)
    return count


def _check_chain(conn: sa.Connection, report: VerifyReport) -> int:
    problems = verify_chain(conn)
    for problem in problems:
        report.problems.append(Problem(f"audit log entry {problem.entry_id}", problem.problem))
    if problems:
        report.notes.append(f"audit chain first broken at entry {problems[0].entry_id}")
    head = conn.execute(
        sa.select(audit_log.c.id, audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
    ).first()
    if head is not None:
        report.head = (head.id, head.hash)
        report.notes.append(
            f"audit head: entry {head.id}, hash {head.hash} (keep it elsewhere: "
            "a log cut short ends before it)"
        )
    return int(conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one())
