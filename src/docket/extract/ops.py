"""Operations of the extract stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from docket._ops import Ops
from docket.domain import Claim
from docket.extract.dates import date_in_url
from docket.extract.pipeline import EXTRACTOR_NAME, EXTRACTOR_VERSION
from docket.extract.reread import Rereading, plan_rereading
from docket.extract.run import Extracted, Item, Shaped, extraction_workers, shaped
from docket.link.ops import reassess_incidents
from docket.store.audit import Change, now, record_changes
from docket.store.bulk import chunks
from docket.store.claims import (
    aggregate_to_row,
    claim_to_row,
    insert_aggregate_rows,
    insert_claim_rows,
    replace_claims,
    row_to_claim,
    select_claims,
)
from docket.store.schema import aggregate_claims, claims, documents, extraction_runs, incidents


@dataclass
class ExtractReport:
    """What one ``extract`` run did (to stored claims: see :mod:`docket.extract.reread`)."""

    documents: int = 0
    claims: int = 0  # claims read
    aggregates: int = 0
    added: int = 0
    unchanged: int = 0  # stored claims their new reading equals, left as they were
    replaced: int = 0  # stored claims that took their new reading in place
    removed: int = 0
    kept_reviewed: int = 0  # reviewed claims, claims of reviewed incidents, linked ones unread
    incidents_reassessed: int = 0  # incidents reconciled again around claims read anew
    messages: list[str] = field(default_factory=list)


def stored_rows(result: Extracted) -> Shaped:
    """The rows the store inserts for ``result`` (``document_id`` still to be set; a
    :data:`docket.extract.run.Shape`)."""
    return shaped(result, claim_to_row, aggregate_to_row)


# Documents read from the store at a time (their texts are held in memory together) and written
# in one transaction, with the incidents of the claims that took a new reading reconciled again
# once at its end: an incident whose documents are spread over the batch is graded once, not once
# per few documents, and a run stopped part-way leaves no incident behind its stored claims.
READ_BATCH = 512


class ExtractOps(Ops):
    def pending_extraction(self, *, redo: bool = False) -> list[int]:
        """Ids of stored documents this extractor version has not read (all with ``redo``)."""
        query = sa.select(documents.c.id).order_by(documents.c.id)
        if not redo:
            done = sa.select(extraction_runs.c.document_id).where(
                extraction_runs.c.extractor == EXTRACTOR_NAME,
                extraction_runs.c.extractor_version == EXTRACTOR_VERSION,
            )
            query = query.where(documents.c.id.not_in(done))
        with self.store.read() as conn:
            return [row.id for row in conn.execute(query)]

    def extract(
        self,
        *,
        redo: bool = False,
        document_ids: list[int] | None = None,
        on_document: Callable[[int], None] | None = None,
        processes: int | None = None,
    ) -> ExtractReport:
        """Extract claims from stored documents not yet read by this extractor version.

        Idempotent: a document is read once per extractor name and version. With ``redo`` every
        document is read again: a stored claim of this version its new reading equals stays as
        it is, an unreviewed one takes its event's new reading in place (keeping its incident,
        which is reconciled again), claims a person has reviewed are kept, and claims of other
        versions are never touched (:mod:`docket.extract.reread`); running it twice changes
        nothing the second time.
        Many documents are read on ``processes`` worker processes (default: one per CPU, see
        :func:`docket.extract.run.extraction_workers`); all writes stay in this process, one
        transaction per ``READ_BATCH`` documents.
        """
        report = ExtractReport()
        reassessed: set[int] = set()  # an incident may be reconciled again in several batches
        ids = document_ids if document_ids is not None else self.pending_extraction(redo=redo)
        with extraction_workers(len(ids), processes, shape=stored_rows) as run:
            for batch in chunks(ids, READ_BATCH):
                items = self._documents_to_read(batch)
                found = {item[0] for item in items}
                reassessed |= self._store_batch(batch, found, run(items), report, on_document)
        report.incidents_reassessed = len(reassessed)
        return report

    def _documents_to_read(self, ids: list[int]) -> list[Item]:
        """(id, text, published, language) of the stored documents among ``ids``, in order."""
        with self.store.read() as conn:
            rows = {
                row.id: row
                for row in conn.execute(
                    sa.select(
                        documents.c.id,
                        documents.c.text,
                        documents.c.published,
                        documents.c.language,
                        documents.c.url,
                    ).where(documents.c.id.in_(ids))
                )
            }
        return [
            (i, rows[i].text, rows[i].published or date_in_url(rows[i].url), rows[i].language)
            for i in ids
            if i in rows
        ]

    def _store_batch(
        self,
        ids: list[int],
        found: set[int],
        results: Iterator[Shaped],
        report: ExtractReport,
        on_document: Callable[[int], None] | None,
    ) -> set[int]:
        """Store what was read from the documents ``ids`` (in order; ``results`` those of the
        ``found`` ones) in one transaction, and reconcile again, once, the incidents whose claims
        took a new reading; returns those that changed."""
        with self.store.write() as conn:
            reread: set[int] = set()
            for document_id in ids:
                if document_id in found:
                    reread |= self._store_extracted(conn, next(results), report)
                else:
                    report.messages.append(f"document {document_id}: not found; skipped")
                if on_document:
                    on_document(document_id)
            if reread:
                reason = f"claims re-extracted by {_extractor()}"
                changed = reassess_incidents(conn, reread, self.actor, reason, action="update")
                return {i.id for i in changed if i.id is not None}
        return set()

    def _store_extracted(
        self, conn: sa.Connection, result: Shaped, report: ExtractReport
    ) -> set[int]:
        """Store one document's reading; returns the incidents of claims it replaced."""
        document_id = result.key
        report.messages.extend(f"document {document_id}: {m}" for m in result.messages)
        readings = [{**row, "document_id": document_id} for row in result.claims]
        new_aggregates = [{**row, "document_id": document_id} for row in result.aggregates]
        stored, reviewed_incidents = self._stored_claims(conn, document_id)
        plan = plan_rereading(stored, readings, reviewed_incidents)
        self._write_rereading(conn, plan)
        conn.execute(
            sa.delete(aggregate_claims).where(
                aggregate_claims.c.document_id == document_id,
                aggregate_claims.c.extractor == EXTRACTOR_NAME,
                aggregate_claims.c.extractor_version == EXTRACTOR_VERSION,
            )
        )
        insert_aggregate_rows(conn, new_aggregates, self.actor)
        conn.execute(
            sa.delete(extraction_runs).where(
                extraction_runs.c.document_id == document_id,
                extraction_runs.c.extractor == EXTRACTOR_NAME,
                extraction_runs.c.extractor_version == EXTRACTOR_VERSION,
            )
        )
        conn.execute(
            sa.insert(extraction_runs).values(
                document_id=document_id,
                extractor=EXTRACTOR_NAME,
                extractor_version=EXTRACTOR_VERSION,
                claims=len(readings),
                ran_at=now(),
            )
        )
        report.documents += 1
        report.claims += len(readings)
        report.aggregates += len(new_aggregates)
        report.added += len(plan.added)
        report.unchanged += len(plan.unchanged)
        report.replaced += len(plan.replaced)
        report.removed += len(plan.removed)
        report.kept_reviewed += len(plan.kept)
        return {c.incident_id for c, _ in plan.replaced if c.incident_id is not None}

    def _stored_claims(self, conn: sa.Connection, document_id: int) -> tuple[list[Claim], set[int]]:
        """This version's claims of a document, and which of their incidents are reviewed."""
        stored = [
            row_to_claim(r)
            for r in conn.execute(
                select_claims()
                .where(
                    claims.c.document_id == document_id,
                    claims.c.extractor == EXTRACTOR_NAME,
                    claims.c.extractor_version == EXTRACTOR_VERSION,
                )
                .order_by(claims.c.id)
            )
        ]
        linked = {c.incident_id for c in stored if c.incident_id is not None}
        reviewed = sa.select(incidents.c.id).where(incidents.c.id.in_(linked), incidents.c.reviewed)
        return stored, set(conn.execute(reviewed).scalars()) if linked else set()

    def _write_rereading(self, conn: sa.Connection, plan: Rereading) -> None:
        """Apply a document's :class:`Rereading`, every change audit-logged."""
        reason = f"re-extracted by {_extractor()}"
        if plan.removed:
            conn.execute(sa.delete(claims).where(claims.c.id.in_([c.id for c in plan.removed])))
            record_changes(
                conn,
                self.actor,
                [
                    Change("delete", "claim", c.id or 0, before=c, reason=reason)
                    for c in plan.removed
                ],
            )
        replaced = [(claim, _taking_reading(claim, reading)) for claim, reading in plan.replaced]
        replace_claims(conn, replaced, self.actor, reason)
        insert_claim_rows(conn, plan.added, self.actor, reason=f"extracted by {_extractor()}")


def _taking_reading(claim: Claim, reading: dict[str, Any]) -> Claim:
    """``claim`` (its id, document, incident and review status) with the content of ``reading``."""
    kept = {
        "id": claim.id,
        "document_id": claim.document_id,
        "incident_id": claim.incident_id,
        "review_status": claim.review_status,
    }
    return Claim.model_validate({**reading["data"], **kept})


def _extractor() -> str:
    return f"{EXTRACTOR_NAME} {EXTRACTOR_VERSION}"
