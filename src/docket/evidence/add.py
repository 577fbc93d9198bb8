"""Adding media files as evidence: stage, hash, inspect, then record and name them atomically.

Each file is handled on its own: a file that cannot be used is reported and leaves nothing
behind (its staged copy is removed, no row is written), and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from docket.errors import IntakeError
from docket.evidence.blobs import BlobStore, Staged
from docket.evidence.media import MediaInfo, UnknownFormat, inspect
from docket.evidence.models import Evidence, SimilarMedia
from docket.evidence.records import find_by_sha256, insert_evidence, similar_images
from docket.intake.ingest import iter_files
from docket.store import Store
from docket.store.documents import source_ids


@dataclass
class Added:
    """One file's outcome: the evidence record, whether it was new, and what was noticed."""

    path: str
    evidence: Evidence
    new: bool
    similar: list[SimilarMedia] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "evidence_id": self.evidence.id,
            "sha256": self.evidence.sha256,
            "new": self.new,
            "similar": [s.model_dump(mode="json") for s in self.similar],
            "warnings": self.warnings,
        }


@dataclass
class EvidenceReport:
    added: list[Added] = field(default_factory=list)
    failed: list[IntakeError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def stored(self) -> list[Added]:
        return [a for a in self.added if a.new]

    def as_dict(self) -> dict[str, object]:
        return {
            "stored": len(self.stored),
            "already_stored": len(self.added) - len(self.stored),
            "failed": len(self.failed),
            "skipped": len(self.skipped),
            "files": [a.as_dict() for a in self.added],
            "errors": [str(e) for e in self.failed],
        }


@dataclass(frozen=True)
class Provenance:
    """What the analyst says about where the files came from."""

    incident_id: int | None = None
    source: str | None = None
    captured: dt.datetime | None = None
    notes: str | None = None


def add_files(
    store: Store,
    blobs: BlobStore,
    paths: Sequence[str | os.PathLike[str]],
    provenance: Provenance,
    actor: str,
    on_file: Callable[[Path, Added | IntakeError], None] | None = None,
) -> EvidenceReport:
    report = EvidenceReport()
    explicit = {Path(p) for p in paths}
    for item in iter_files(paths):
        if isinstance(item, IntakeError):
            outcome: Added | IntakeError = item
        else:
            try:
                outcome = add_file(store, blobs, item, provenance, actor)
            except UnknownFormat as exc:
                if item in explicit:
                    outcome = exc
                else:  # found in a folder: chat logs and notes beside the media are passed over
                    report.skipped.append(str(item))
                    continue
            except IntakeError as exc:
                outcome = exc
        if isinstance(outcome, IntakeError):
            report.failed.append(outcome)
        else:
            report.added.append(outcome)
        if on_file is not None:
            on_file(Path(str(getattr(outcome, "path", item))), outcome)
    return report


def add_file(
    store: Store, blobs: BlobStore, path: Path, provenance: Provenance, actor: str
) -> Added:
    """Store one file as evidence (or find it already stored); raises :class:`IntakeError`."""
    if not path.is_file():
        raise IntakeError(path, "not a regular file")
    try:
        with blobs.staged(path) as staged:
            return _store_staged(store, blobs, path, staged, provenance, actor)
    except OSError as exc:
        raise IntakeError(path, f"cannot read or store: {exc.strerror or exc}") from None


def _store_staged(
    store: Store,
    blobs: BlobStore,
    path: Path,
    staged: Staged,
    provenance: Provenance,
    actor: str,
) -> Added:
    info = inspect(staged.temp, staged.size, path)
    try:
        with store.write() as conn:
            known = find_by_sha256(conn, staged.sha256)
            if known is not None:
                return Added(str(path), known, new=False, warnings=info.warnings)
            similar = similar_images(conn, info.phash) if info.phash else []
            source_id = None
            if provenance.source:
                source_id = source_ids(conn, [(provenance.source, "media")])[provenance.source]
            row = _row(path, staged.sha256, staged.size, info, provenance, source_id)
            new_id = insert_evidence(conn, row, actor)
            blobs.commit(staged)  # inside the transaction: a failed rename rolls the row back
    except sa.exc.IntegrityError:
        # Another writer stored the same file between our check and our insert.
        with store.read() as conn:
            known = find_by_sha256(conn, staged.sha256)
        if known is None:
            raise
        return Added(str(path), known, new=False, warnings=info.warnings)
    fields = {k: v for k, v in row.items() if k != "source_id"}
    stored = Evidence.model_validate({**fields, "id": new_id, "source": provenance.source})
    return Added(str(path), stored, new=True, similar=similar, warnings=info.warnings)


def _row(
    path: Path,
    sha256: str,
    size: int,
    info: MediaInfo,
    provenance: Provenance,
    source_id: int | None,
) -> dict[str, object]:
    metadata = dict(info.metadata)
    if info.warnings:
        metadata["notes"] = list(info.warnings)
    if info.captured and provenance.captured and info.captured != provenance.captured:
        metadata["metadata_captured"] = info.captured.isoformat()
    return {
        "sha256": sha256,
        "size": size,
        "kind": info.kind,
        "media_type": info.media_type,
        "filename": path.name,
        "source_id": source_id,
        "captured": provenance.captured or info.captured,
        "incident_id": provenance.incident_id,
        "notes": provenance.notes,
        "phash": info.phash,
        "metadata": metadata,
    }
