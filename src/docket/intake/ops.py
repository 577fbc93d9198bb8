"""Operations of the intake stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from docket._ops import Ops
from docket.domain import Document
from docket.errors import IntakeError
from docket.intake.ingest import DEFAULT_MAX_BYTES, IngestReport, Overrides, ingest
from docket.store import schema
from docket.store.documents import count_rows, get_document, list_documents


class IntakeOps(Ops):
    def ingest(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        source: str | None = None,
        source_kind: str | None = None,
        published: dt.date | None = None,
        url: str | None = None,
        language: str | None = None,
        encoding: str = "utf-8",
        max_bytes: int = DEFAULT_MAX_BYTES,
        on_file: Callable[[Path | None, IntakeError | None], None] | None = None,
    ) -> IngestReport:
        """Store the documents in files and folders; see :func:`docket.intake.ingest.ingest`."""
        overrides = Overrides(source, source_kind, published, url, language)
        return ingest(
            self.store,
            paths,
            overrides=overrides,
            actor=self.actor,
            encoding=encoding,
            max_bytes=max_bytes,
            on_file=on_file,
        )

    def documents(self, **filters: Any) -> list[Document]:
        """Stored documents, newest first (filters: source, since, until, search, limit, offset)."""
        with self.store.read() as conn:
            return list_documents(conn, **filters)

    def document(self, document_id: int) -> Document:
        with self.store.read() as conn:
            return get_document(conn, document_id)

    def stats(self) -> dict[str, Any]:
        """Counts of every kind of record in the store."""
        counted = {
            "documents": schema.documents,
            "sources": schema.sources,
            "claims": schema.claims,
            "aggregate_claims": schema.aggregate_claims,
            "incidents": schema.incidents,
            "audit_entries": schema.audit_log,
        }
        with self.store.read() as conn:
            counts: dict[str, Any] = {
                name: count_rows(conn, table) for name, table in counted.items()
            }
        counts["database"] = self.store.engine.url.render_as_string(hide_password=True)
        return counts
