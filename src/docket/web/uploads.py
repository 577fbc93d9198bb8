"""Taking an uploaded report: a safe file name, a size limit, then the intake stage."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

from docket import Docket
from docket.domain import SourceKind
from docket.errors import InputError
from docket.intake.readers import ENCODING_FIX, READERS

DEFAULT_MAX_UPLOAD = 20_000_000
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_filename(name: str) -> str:
    """The last part of an uploaded file's name, reduced to plain characters.

    Folders (``../``, ``C:\\``), control characters and leading dots are dropped; the type must
    be one the intake stage reads.
    """
    base = re.split(r"[/\\]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" .")[-120:]
    if not base:
        raise InputError(f"upload name {name!r} has no usable file name; rename the file")
    suffix = Path(base).suffix.lower()
    if suffix not in READERS:
        raise InputError(
            f"{base}: unsupported file type {suffix or '(none)'!r}; "
            f"upload one of {' '.join(sorted(READERS))}"
        )
    return base


def ingest_upload(
    db: Docket,
    filename: str,
    content: bytes,
    *,
    source: str | None = None,
    source_kind: str | None = None,
    url: str | None = None,
) -> list[int]:
    """Store one uploaded file; returns the ids of the documents it holds (new or known)."""
    name = safe_filename(filename)
    if not content:
        raise InputError(f"{name}: the file is empty")
    source = (source or "").strip() or None
    if source is not None and len(source) > 300:
        raise InputError(f"{name}: source name is longer than 300 characters")
    kind = (source_kind or "").strip() or None
    if kind is not None and kind not in SourceKind.__members__:
        raise InputError(
            f"{name}: source kind {kind!r} is unknown; use one of {', '.join(SourceKind)}"
        )
    url = (url or "").strip() or None
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise InputError(f"{name}: URL {url!r} is not an http(s) address")
    with tempfile.TemporaryDirectory(prefix="docket-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        report = db.ingest([path], source=source, source_kind=kind, url=url)
    if report.failed:
        raise InputError("; ".join(f"{name}: {_for_uploads(e.problem)}" for e in report.failed))
    ids = [*report.stored, *report.already_stored]
    extract = getattr(db, "extract", None)
    if callable(extract) and report.stored:
        extract(document_ids=list(report.stored))
    return ids


def _for_uploads(problem: str) -> str:
    """``problem`` with the command line's advice (``--encoding``) put as an uploader can act
    on it."""
    return problem.replace(ENCODING_FIX, "save it as UTF-8 and upload it again")
