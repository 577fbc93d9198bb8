"""Ingesting files and folders into the store, in batches, reporting every failure by file."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docket.domain import SourceKind
from docket.errors import IntakeError
from docket.intake.readers import READERS, Parsed
from docket.store import Store
from docket.store.audit import Change, now, record_changes
from docket.store.documents import (
    created_fields,
    date_undated,
    insert_documents,
    insert_originals,
    known_raw_hashes,
    latest_by_url,
    source_ids,
)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
BATCH = 500


@dataclass
class Overrides:
    """Values given on the command line that replace what a file says."""

    source: str | None = None
    source_kind: str | None = None
    published: dt.date | None = None
    url: str | None = None
    language: str | None = None


@dataclass
class IngestReport:
    stored: list[int] = field(default_factory=list)
    already_stored: list[int] = field(default_factory=list)
    dated: list[int] = field(default_factory=list)  # already stored, given a published date
    new_versions: list[int] = field(default_factory=list)
    failed: list[IntakeError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, object]:
        return {
            "stored": len(self.stored),
            "already_stored": len(self.already_stored),
            "dated": len(self.dated),
            "new_versions": len(self.new_versions),
            "failed": len(self.failed),
            "skipped": len(self.skipped),
            "document_ids": self.stored,
            "errors": [str(e) for e in self.failed],
        }


def iter_files(paths: Sequence[str | os.PathLike[str]]) -> Iterator[Path | IntakeError]:
    """Files under ``paths`` (folders recursively, sorted); missing paths become errors."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _files_under(path)
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield IntakeError(path, "no such file or directory")


def _files_under(folder: Path) -> Iterator[Path | IntakeError]:
    """Files under ``folder`` but hidden ones, sorted by path; a folder inside that cannot be
    listed (no permission) is an error in its place rather than passed over unseen."""
    unreadable: list[OSError] = []
    found: list[tuple[Path, Path | IntakeError]] = []
    for root, _dirs, names in os.walk(folder, onerror=unreadable.append):
        found.extend((Path(root, n), Path(root, n)) for n in names if not n.startswith("."))
    for error in unreadable:
        where = Path(error.filename)
        found.append((where, IntakeError(where, f"cannot read folder ({error.strerror})")))
    for _, item in sorted(found, key=lambda pair: pair[0]):
        yield item


def read_path(path: Path, encoding: str, max_bytes: int) -> list[Parsed | IntakeError]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise IntakeError(
            path,
            f"unsupported file type {path.suffix or '(none)'!r}; "
            f"supported: {', '.join(sorted(READERS))}",
        )
    try:
        if not path.is_file():
            raise IntakeError(path, "not a regular file (a device, pipe or broken link)")
        size = path.stat().st_size
        if size > max_bytes:
            raise IntakeError(
                path,
                f"{size / 2**20:.1f} MiB is over the {max_bytes / 2**20:g} MiB limit; "
                "raise it with --max-size if this is really one document",
            )
        raw = path.read_bytes()
    except IntakeError:
        raise
    except OSError as exc:
        raise IntakeError(path, f"cannot read: {exc.strerror or exc}") from None
    return list(reader(path, raw, encoding))


def _kind(value: str | None) -> str:
    if value and value in SourceKind.__members__:
        return value
    return SourceKind.other.value


class _Batch:
    """Parsed documents waiting to be written in one transaction."""

    def __init__(self) -> None:
        self.items: list[tuple[Path, Parsed]] = []

    def add(self, path: Path, parsed: Parsed) -> None:
        self.items.append((path, parsed))

    def __len__(self) -> int:
        return len(self.items)


def _apply_overrides(parsed: Parsed, overrides: Overrides) -> None:
    for name in ("source", "source_kind", "published", "url", "language"):
        value = getattr(overrides, name)
        if value is not None:
            setattr(parsed, name, value)


def _write_batch(store: Store, batch: _Batch, actor: str, report: IngestReport) -> None:
    if not batch:
        return
    with store.write() as conn:
        known = known_raw_hashes(conn, [p.raw_sha256 for _, p in batch.items])
        fresh: dict[str, tuple[Path, Parsed]] = {}
        given: dict[int, dt.date] = {}  # a published date for content already stored
        for path, parsed in batch.items:
            digest = parsed.raw_sha256
            if digest in known:
                report.already_stored.append(known[digest])
                if parsed.published is not None:
                    given[known[digest]] = parsed.published
            elif digest not in fresh:
                fresh[digest] = (path, parsed)
        report.dated += date_undated(conn, given, actor, "published date given at ingest")
        if not fresh:
            return
        items = list(fresh.values())
        sources = source_ids(conn, {(p.source, _kind(p.source_kind)) for _, p in items if p.source})
        previous = latest_by_url(conn, [p.url for _, p in items if p.url])
        insert_originals(conn, {p.raw_sha256: p.raw for _, p in items})
        retrieved = now()
        rows = [
            {
                "source_id": sources.get(p.source) if p.source else None,
                "source_kind": _kind(p.source_kind),
                "url": p.url,
                "title": p.title,
                "language": p.language,
                "published": p.published,
                "retrieved": retrieved,
                "raw_sha256": p.raw_sha256,
                "text_sha256": p.text_sha256,
                "text": p.text,
                "filename": path.name if p.line is None else f"{path.name}:{p.line}",
                "media_type": p.media_type,
                "metadata": p.metadata,
                "previous_version_id": previous.get(p.url) if p.url else None,
                "created_by": actor,
            }
            for path, p in items
        ]
        ids = insert_documents(conn, rows)
        record_changes(
            conn,
            actor,
            (
                Change(
                    "create",
                    "document",
                    doc_id,
                    after=created_fields(p.raw_sha256, p.text_sha256, p.published),
                )
                for doc_id, (_, p) in zip(ids, items, strict=True)
            ),
        )
    report.stored.extend(ids)
    report.new_versions.extend(
        i for i, r in zip(ids, rows, strict=True) if r["previous_version_id"]
    )


def ingest(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    overrides: Overrides | None = None,
    actor: str = "cli",
    encoding: str = "utf-8",
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[Path | None, IntakeError | None], None] | None = None,
) -> IngestReport:
    """Store every readable document under ``paths``; report the rest without stopping.

    ``on_file`` is called once per input (for progress bars and per-file error lines).
    """
    overrides = overrides or Overrides()
    report = IngestReport()
    batch = _Batch()
    explicit = {Path(p) for p in paths}
    for item in iter_files(paths):
        if isinstance(item, IntakeError):
            report.failed.append(item)
            if on_file:
                on_file(None, item)
            continue
        if item not in explicit and item.suffix.lower() not in READERS:
            report.skipped.append(str(item))
            continue
        try:
            results = read_path(item, encoding, max_bytes)
        except IntakeError as exc:
            report.failed.append(exc)
            if on_file:
                on_file(item, exc)
            continue
        for result in results:
            if isinstance(result, IntakeError):
                report.failed.append(result)
                if on_file:
                    on_file(item, result)
                continue
            _apply_overrides(result, overrides)
            batch.add(item, result)
        if on_file:
            on_file(item, None)
        if len(batch) >= BATCH:
            _write_batch(store, batch, actor, report)
            batch = _Batch()
    _write_batch(store, batch, actor, report)
    return report
