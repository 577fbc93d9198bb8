"""Reading and writing documents, their originals and their sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from docket.domain import Document, SourceKind
from docket.errors import NotFoundError
from docket.store.audit import Change, record_changes
from docket.store.bulk import chunks
from docket.store.schema import documents, extraction_runs, originals, sources


def source_ids(conn: sa.Connection, named: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Ids of sources by name, creating the missing ones with their kind."""
    wanted = dict(named)
    if not wanted:
        return {}
    found = {
        name: id_
        for id_, name in conn.execute(
            sa.select(sources.c.id, sources.c.name).where(sources.c.name.in_(wanted))
        )
    }
    missing = [{"name": n, "kind": k} for n, k in wanted.items() if n not in found]
    if missing:
        conn.execute(sa.insert(sources), missing)
        return source_ids(conn, wanted.items())
    return found


def known_raw_hashes(conn: sa.Connection, hashes: Sequence[str]) -> dict[str, int]:
    """Document ids of the given raw SHA-256 sums that are already stored."""
    found: dict[str, int] = {}
    for chunk in chunks(list(set(hashes)), 500):
        query = sa.select(documents.c.raw_sha256, documents.c.id).where(
            documents.c.raw_sha256.in_(chunk)
        )
        found.update({h: i for h, i in conn.execute(query)})
    return found


def latest_by_url(conn: sa.Connection, urls: Sequence[str]) -> dict[str, int]:
    """The newest stored document id for each URL."""
    latest: dict[str, int] = {}
    for chunk in chunks(list(set(urls)), 500):
        query = (
            sa.select(documents.c.url, sa.func.max(documents.c.id))
            .where(documents.c.url.in_(chunk))
            .group_by(documents.c.url)
        )
        latest.update({u: i for u, i in conn.execute(query)})
    return latest


def created_fields(raw_sha256: str, text_sha256: str, published: dt.date | None) -> dict[str, Any]:
    """What a document's ``create`` audit entry commits to: its hashes and published date (a
    date given later is an ``update`` entry of :func:`published_fields`)."""
    return {"raw_sha256": raw_sha256, "text_sha256": text_sha256, **published_fields(published)}


def published_fields(published: dt.date | None) -> dict[str, Any]:
    """What an ``update`` entry giving a stored document its published date commits to."""
    return {"published": published.isoformat() if published else None}


def date_undated(
    conn: sa.Connection, given: Mapping[int, dt.date], actor: str, reason: str
) -> list[int]:
    """Give the documents of ``given`` that have no published date theirs (a stored date is
    never changed), audit-logged; returns the ids dated. Their extraction runs are forgotten:
    the date anchors "on Saturday" and the like, so ``docket extract`` reads them again."""
    undated = {
        i
        for chunk in chunks(sorted(given), 500)
        for i in conn.execute(
            sa.select(documents.c.id).where(
                documents.c.id.in_(chunk), documents.c.published.is_(None)
            )
        ).scalars()
    }
    dated = sorted(undated)
    for document_id in dated:
        conn.execute(
            sa.update(documents)
            .where(documents.c.id == document_id)
            .values(published=given[document_id])
        )
    for chunk in chunks(dated, 500):
        conn.execute(sa.delete(extraction_runs).where(extraction_runs.c.document_id.in_(chunk)))
    record_changes(
        conn,
        actor,
        (
            Change(
                "update",
                "document",
                i,
                before=published_fields(None),
                after=published_fields(given[i]),
                reason=reason,
            )
            for i in dated
        ),
    )
    return dated


def insert_originals(conn: sa.Connection, blobs: dict[str, bytes]) -> None:
    present = set()
    for chunk in chunks(list(blobs), 500):
        present |= set(
            conn.execute(
                sa.select(originals.c.sha256).where(originals.c.sha256.in_(chunk))
            ).scalars()
        )
    rows = [
        {"sha256": h, "size": len(b), "content": b} for h, b in blobs.items() if h not in present
    ]
    if rows:
        conn.execute(sa.insert(originals), rows)


def insert_documents(conn: sa.Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert document rows in one statement; returns their ids in order."""
    if not rows:
        return []
    result = conn.execute(
        sa.insert(documents).returning(documents.c.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in result]


_COLUMNS = [c for c in documents.c if c.name not in {"text"}]


def _to_document(row: Any, source_name: str | None, with_text: bool = True) -> Document:
    return Document(
        id=row.id,
        source=source_name,
        source_kind=SourceKind(row.source_kind),
        url=row.url,
        title=row.title,
        language=row.language,
        published=row.published,
        retrieved=row.retrieved,
        raw_sha256=row.raw_sha256,
        text_sha256=row.text_sha256,
        text=row.text if with_text else "",
        filename=row.filename,
        media_type=row.media_type,
        metadata=row.metadata or {},
        previous_version_id=row.previous_version_id,
    )


def get_document(conn: sa.Connection, document_id: int) -> Document:
    query = (
        sa.select(documents, sources.c.name.label("source_name"))
        .outerjoin(sources, sources.c.id == documents.c.source_id)
        .where(documents.c.id == document_id)
    )
    row = conn.execute(query).first()
    if row is None:
        raise NotFoundError(f"no document with id {document_id}; `docket documents` lists them")
    return _to_document(row, row.source_name)


def list_documents(
    conn: sa.Connection,
    *,
    source: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    search: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
    with_text: bool = False,
) -> list[Document]:
    """Documents, newest first, filtered by source name, published dates and a text search."""
    columns = list(documents.c) if with_text else _COLUMNS
    query = (
        sa.select(*columns, sources.c.name.label("source_name"))
        .outerjoin(sources, sources.c.id == documents.c.source_id)
        .order_by(documents.c.id.desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    if source:
        query = query.where(sources.c.name == source)
    if since:
        query = query.where(documents.c.published >= since)
    if until:
        query = query.where(documents.c.published <= until)
    if search:
        needle = f"%{search.lower()}%"
        query = query.where(
            sa.or_(
                sa.func.lower(documents.c.text).like(needle),
                sa.func.lower(documents.c.title).like(needle),
            )
        )
    return [_to_document(row, row.source_name, with_text) for row in conn.execute(query)]


def original_bytes(conn: sa.Connection, sha256: str) -> bytes:
    content = conn.execute(
        sa.select(originals.c.content).where(originals.c.sha256 == sha256)
    ).scalar()
    if content is None:
        raise NotFoundError(f"no stored original with SHA-256 {sha256}")
    return bytes(content)


def count_rows(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
