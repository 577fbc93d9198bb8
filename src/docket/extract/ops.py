"""Operations of the extract stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from docket._ops import Ops
from docket.domain import Claim, ReviewStatus
from docket.extract.dates import date_in_url
from docket.extract.pipeline import EXTRACTOR_NAME, EXTRACTOR_VERSION
from docket.extract.run import Extracted, Item, Shaped, extraction_workers, shaped
from docket.store.audit import Change, now, record_changes
from docket.store.bulk import chunks
from docket.store.claims import (
    aggregate_to_row,
    claim_to_row,
    insert_aggregate_rows,
    insert_claim_rows,
    row_to_claim,
    select_claims,
)
from docket.store.schema import aggregate_claims, claims, documents, extraction_runs


@dataclass
class ExtractReport:
    """What one ``extract`` run did."""

    documents: int = 0
    claims: int = 0
    aggregates: int = 0
    replaced: int = 0
    kept_reviewed: int = 0
    messages: list[str] = field(default_factory=list)


def stored_rows(result: Extracted) -> Shaped:
    """The rows the store inserts for ``result`` (``document_id`` still to be set; a
    :data:`docket.extract.run.Shape`)."""
    return shaped(result, claim_to_row, aggregate_to_row)


# Documents read from the store at a time (their texts are held in memory together).
READ_BATCH = 512
# Documents whose claims are written in one transaction (one commit, not one per document).
WRITE_BATCH = 64


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
        document is read again; its unreviewed claims from this version are replaced, claims a
        person has reviewed are kept, and claims of other versions are never touched.
        Many documents are read on ``processes`` worker processes (default: one per CPU, see
        :func:`docket.extract.run.extraction_workers`); all writes stay in this process, one
        transaction per ``WRITE_BATCH`` documents.
        """
        report = ExtractReport()
        ids = document_ids if document_ids is not None else self.pending_extraction(redo=redo)
        with extraction_workers(len(ids), processes, shape=stored_rows) as run:
            for batch in chunks(ids, READ_BATCH):
                items = self._documents_to_read(batch)
                results = run(items)
                found = {item[0] for item in items}
                for chunk in chunks(batch, WRITE_BATCH):
                    extracted = [next(results) for i in chunk if i in found]
                    self._store_chunk(chunk, extracted, report)
                    if on_document:
                        for document_id in chunk:
                            on_document(document_id)
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

    def _store_chunk(self, ids: list[int], extracted: list[Shaped], report: ExtractReport) -> None:
        """Store what was read from the documents ``ids`` (in order) in one transaction."""
        results = iter(extracted)
        found = {result.key for result in extracted}
        with self.store.write() as conn:
            for document_id in ids:
                if document_id in found:
                    self._store_extracted(conn, next(results), report)
                else:
                    report.messages.append(f"document {document_id}: not found; skipped")

    def _store_extracted(self, conn: sa.Connection, result: Shaped, report: ExtractReport) -> None:
        document_id = result.key
        report.messages.extend(f"document {document_id}: {m}" for m in result.messages)
        new_claims = [{**row, "document_id": document_id} for row in result.claims]
        new_aggregates = [{**row, "document_id": document_id} for row in result.aggregates]
        replaced, kept = self._clear_previous(conn, document_id)
        insert_claim_rows(conn, new_claims, self.actor, reason=f"extracted by {_extractor()}")
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
                claims=len(new_claims),
                ran_at=now(),
            )
        )
        report.documents += 1
        report.claims += len(new_claims)
        report.aggregates += len(new_aggregates)
        report.replaced += replaced
        report.kept_reviewed += kept

    def _clear_previous(self, conn: sa.Connection, document_id: int) -> tuple[int, int]:
        """Delete this version's unreviewed, unlinked claims of a document (audit-logged)."""
        rows = conn.execute(
            select_claims().where(
                claims.c.document_id == document_id,
                claims.c.extractor == EXTRACTOR_NAME,
                claims.c.extractor_version == EXTRACTOR_VERSION,
            )
        ).all()
        old: list[Claim] = [row_to_claim(r) for r in rows]
        removable = [
            c for c in old if c.review_status == ReviewStatus.unreviewed and c.incident_id is None
        ]
        if removable:
            conn.execute(sa.delete(claims).where(claims.c.id.in_([c.id for c in removable])))
            record_changes(
                conn,
                self.actor,
                [
                    Change(
                        "delete",
                        "claim",
                        c.id or 0,
                        before=c,
                        reason=f"re-extracted by {_extractor()}",
                    )
                    for c in removable
                ],
            )
        conn.execute(
            sa.delete(aggregate_claims).where(
                aggregate_claims.c.document_id == document_id,
                aggregate_claims.c.extractor == EXTRACTOR_NAME,
                aggregate_claims.c.extractor_version == EXTRACTOR_VERSION,
            )
        )
        return len(removable), len(old) - len(removable)


def _extractor() -> str:
    return f"{EXTRACTOR_NAME} {EXTRACTOR_VERSION}"
