"""Exports of incidents, claims and document metadata as CSV or JSON, streamed in batches."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from docket import Docket
from docket.domain import Claim, Document, Incident
from docket.store import claims as claim_store
from docket.store import incidents as incident_store
from docket.store.documents import list_documents

BATCH = 1000
FORMATS = ("csv", "json")


def incident_row(i: Incident) -> dict[str, Any]:
    place = i.place
    return {
        "id": i.id,
        "event_type": i.event_type,
        "date_low": i.date_low,
        "date_high": i.date_high,
        "place": place.name if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "precision": place.precision.value if place else None,
        "killed_low": i.killed.low,
        "killed_best": i.killed_best,
        "killed_high": i.killed.high,
        "civilians_killed_low": i.civilians_killed.low,
        "civilians_killed_high": i.civilians_killed.high,
        "injured_low": i.injured.low,
        "injured_best": i.injured_best,
        "injured_high": i.injured.high,
        "perpetrators": "; ".join(p.name for p in i.perpetrators),
        "weapons": "; ".join(i.weapons),
        "targets": "; ".join(t.category for t in i.targets),
        "grade": i.grade,
        "published": i.published,
        "sources": len(i.claim_ids),
    }


def claim_row(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "document_id": c.document_id,
        "incident_id": c.incident_id,
        "event_type": c.event_type,
        "date": c.date,
        "place": c.place.name if c.place else (c.places[0].text if c.places else None),
        "killed_low": c.casualties.killed.total.low,
        "killed_high": c.casualties.killed.total.high,
        "injured_low": c.casualties.injured.total.low,
        "injured_high": c.casualties.injured.total.high,
        "perpetrators": "; ".join(p.name for p in c.perpetrators),
        "weapons": "; ".join(c.weapons),
        "targets": "; ".join(t.category for t in c.targets),
        "review_status": c.review_status.value,
        "extractor": f"{c.extractor} {c.extractor_version}",
    }


def document_row(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "source": d.source,
        "source_kind": d.source_kind.value,
        "title": d.title,
        "url": d.url,
        "published": d.published,
        "language": d.language,
        "filename": d.filename,
        "sha256": d.raw_sha256,
    }


def _batches(fetch: Callable[[sa.Connection, int], list[Any]], db: Docket) -> Iterator[list[Any]]:
    offset = 0
    while True:
        with db.store.read() as conn:
            batch = fetch(conn, offset)
        if not batch:
            return
        yield batch
        offset += len(batch)


def rows(
    db: Docket, dataset: str, *, published_only: bool = False, include_witness: bool = False
) -> Iterator[dict[str, Any]]:
    """Every record of ``dataset`` (incidents, claims, documents) as a flat row; witness
    accounts' metadata only with ``include_witness``."""
    fetchers: dict[str, tuple[Callable[[sa.Connection, int], list[Any]], Callable[..., Any]]] = {
        "incidents": (
            lambda conn, offset: incident_store.list_incidents(
                conn, published=True if published_only else None, limit=BATCH, offset=offset
            ),
            incident_row,
        ),
        "claims": (
            lambda conn, offset: claim_store.list_claims(conn, limit=BATCH, offset=offset),
            claim_row,
        ),
        "documents": (
            lambda conn, offset: list_documents(conn, limit=BATCH, offset=offset),
            document_row,
        ),
    }
    fetch, flatten = fetchers[dataset]
    for batch in _batches(fetch, db):
        for record in batch:
            if dataset == "documents" and not include_witness and record.source_kind == "witness":
                continue
            yield flatten(record)


def _cell(value: Any) -> Any:
    # Spreadsheet programs run cells that start with these as formulas.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def as_csv(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for record in records:
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(record))
            writer.writeheader()
        writer.writerow({k: _cell(v) for k, v in record.items()})
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def as_json(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for index, record in enumerate(records):
        yield ("," if index else "") + json.dumps(record, default=str, ensure_ascii=False)
    yield "]"
