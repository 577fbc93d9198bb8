"""Signed evidence packages: everything known about one incident, in one zip, checkable offline.

A package holds the incident, its claims, the documents they come from (metadata and original
bytes), media evidence files with their metadata and location notes, testimonies (by pseudonym,
only where consent allows), the audit entries of all those records, a human-readable summary,
and ``manifest.json`` listing every file's SHA-256, signed with Ed25519 (``manifest.sig``).
Identities are included only on request and with the key that opens them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from docket.domain import Claim, Document, Incident
from docket.errors import InputError, IntegrityError
from docket.evidence.blobs import CHUNK, BlobStore
from docket.evidence.keys import IdentityKey, load_public_key, public_key_id, public_pem
from docket.evidence.models import Evidence, Testimony
from docket.evidence.records import list_evidence
from docket.evidence.sealed import unseal
from docket.evidence.testimony_records import list_testimonies, sealed_identity
from docket.evidence.vocab import signatures, terms
from docket.store.audit import entry_hash, now
from docket.store.claims import list_claims
from docket.store.documents import get_document, original_bytes
from docket.store.incidents import get_incident
from docket.store.schema import audit_log

FORMAT = "docket-evidence-package/1"
MANIFEST, SIGNATURE, PUBLIC_KEY = "manifest.json", "manifest.sig", "signing.pub"
UNLISTED = {MANIFEST, SIGNATURE, PUBLIC_KEY}


@dataclass
class Contents:
    """The records one incident's package holds, and what was withheld and why."""

    incident: Incident
    claims: list[Claim]
    documents: list[Document]
    evidence: list[Evidence]
    testimonies: list[Testimony]
    withheld: list[dict[str, str]] = field(default_factory=list)


def gather(conn: sa.Connection, incident_id: int, for_body: str | None) -> Contents:
    incident = get_incident(conn, incident_id)
    claims = {c.id: c for c in list_claims(conn, incident_id=incident_id)}
    if incident.claim_ids:
        claims.update({c.id: c for c in list_claims(conn, ids=incident.claim_ids)})
    doc_ids = {c.document_id for c in claims.values() if c.document_id is not None}
    testimonies = list_testimonies(conn, incident_id=incident_id, document_ids=doc_ids)
    shared, withheld = _by_consent(testimonies, for_body)
    hidden_docs = {t.document_id for t in testimonies if t not in shared}
    doc_ids = (doc_ids | {t.document_id for t in shared if t.document_id}) - hidden_docs
    return Contents(
        incident=incident,
        claims=[c for c in claims.values() if c.document_id not in hidden_docs],
        documents=[get_document(conn, d) for d in sorted(doc_ids)],
        evidence=list_evidence(conn, incident_id=incident_id),
        testimonies=shared,
        withheld=withheld,
    )


def _by_consent(
    testimonies: list[Testimony], for_body: str | None
) -> tuple[list[Testimony], list[dict[str, str]]]:
    scopes = terms("consent_scopes")
    shared, withheld = [], []
    for t in testimonies:
        scope = scopes[t.consent]
        if not scope["shareable"]:
            reason = f"consent {t.consent}: never shared"
        elif scope["named_bodies"] and for_body not in t.share_with:
            reason = f"consent {t.consent}: only for {', '.join(t.share_with)}"
        else:
            shared.append(t)
            continue
        withheld.append({"testimony": t.pseudonym, "reason": reason})
    return shared, withheld


def custody_entries(conn: sa.Connection, contents: Contents) -> list[dict[str, Any]]:
    """Audit entries of every record in the package, in log order."""
    wanted = {
        "incident": [contents.incident.id],
        "claim": [c.id for c in contents.claims],
        "document": [d.id for d in contents.documents],
        "evidence": [e.id for e in contents.evidence],
        "testimony": [t.id for t in contents.testimonies],
    }
    conditions = [
        sa.and_(audit_log.c.record_type == kind, audit_log.c.record_id.in_([str(i) for i in ids]))
        for kind, ids in wanted.items()
        if ids
    ]
    query = sa.select(audit_log).where(sa.or_(*conditions)).order_by(audit_log.c.id)
    return [{**dict(row), "at": row["at"].isoformat()} for row in conn.execute(query).mappings()]


class _Writer:
    """Adds files to the zip while recording their SHA-256 and size for the manifest."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.files: dict[str, dict[str, Any]] = {}

    def add_bytes(self, name: str, data: bytes) -> None:
        self.archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        self.files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    def add_json(self, name: str, value: Any) -> None:
        text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
        self.add_bytes(name, text.encode("utf-8") + b"\n")

    def add_file(self, name: str, path: Path, expected: str) -> None:
        digest, size = hashlib.sha256(), 0
        with path.open("rb") as src, self.archive.open(name, "w", force_zip64=True) as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected:
            raise IntegrityError(
                f"{path}: stored file hashes to {digest.hexdigest()}, expected {expected}; "
                "run `docket verify`"
            )
        self.files[name] = {"sha256": expected, "size": size}


@dataclass
class PackageSummary:
    path: Path
    incident_id: int
    files: int
    signer: str
    withheld: list[dict[str, str]]
    identities: bool


def build_package(
    conn: sa.Connection,
    blobs: BlobStore,
    incident_id: int,
    out: Path,
    signing_key: Ed25519PrivateKey,
    actor: str,
    *,
    for_body: str | None = None,
    identity_key: IdentityKey | None = None,
) -> PackageSummary:
    contents = gather(conn, incident_id, for_body)
    custody = custody_entries(conn, contents)
    extension = {s.media_type: s.ext for s in signatures()}
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(out.name + ".partial")
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_STORED) as archive:
            w = _Writer(archive)
            w.add_json("incident.json", contents.incident.model_dump(mode="json"))
            w.add_json("claims.json", [c.model_dump(mode="json") for c in contents.claims])
            w.add_json(
                "documents.json",
                [d.model_dump(mode="json", exclude={"text"}) for d in contents.documents],
            )
            for doc in contents.documents:
                w.add_bytes(f"originals/{doc.raw_sha256}", original_bytes(conn, doc.raw_sha256))
            w.add_json("evidence.json", [e.model_dump(mode="json") for e in contents.evidence])
            for item in contents.evidence:
                name = f"evidence/{item.sha256}.{extension.get(item.media_type, 'bin')}"
                w.add_file(name, blobs.path_for(item.sha256), item.sha256)
            w.add_json(
                "testimonies.json", [t.model_dump(mode="json") for t in contents.testimonies]
            )
            if identity_key is not None:
                w.add_json("identities.json", _identities(conn, contents, identity_key))
            w.add_json("custody.json", custody)
            w.add_bytes("SUMMARY.md", summary(contents, custody, for_body).encode("utf-8"))
            manifest = {
                "format": FORMAT,
                "incident_id": incident_id,
                "created_at": now().isoformat(),
                "created_by": actor,
                "prepared_for": for_body,
                "signer": public_key_id(signing_key.public_key()),
                "includes_identities": identity_key is not None,
                "withheld": contents.withheld,
                "files": w.files,
            }
            manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            archive.writestr(MANIFEST, manifest_bytes, compress_type=zipfile.ZIP_DEFLATED)
            archive.writestr(SIGNATURE, base64.b64encode(signing_key.sign(manifest_bytes)) + b"\n")
            archive.writestr(PUBLIC_KEY, public_pem(signing_key.public_key()))
        temp.replace(out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return PackageSummary(
        out,
        incident_id,
        len(w.files),
        str(manifest["signer"]),
        contents.withheld,
        identity_key is not None,
    )


def _identities(conn: sa.Connection, contents: Contents, key: IdentityKey) -> dict[str, Any]:
    found = {}
    for t in contents.testimonies:
        sealed, key_id = sealed_identity(conn, t.id or 0)
        if sealed is not None:
            found[t.pseudonym] = unseal(sealed, key, t.pseudonym, key_id).model_dump(
                exclude_none=True
            )
    return found


def summary(contents: Contents, custody: list[dict[str, Any]], for_body: str | None) -> str:
    """The package's contents in plain words, for a reader without tools."""
    i = contents.incident
    place = i.place.name if i.place else "unknown place"
    lines = [
        f"# Evidence package: incident {i.id}",
        "",
        f"- Event: {i.event_type or 'unspecified'} at {place}, "
        f"{i.date_low or '?'}" + (f" to {i.date_high}" if i.date_high != i.date_low else ""),
        f"- Killed: {_range(i.killed.low, i.killed.high)}; injured: "
        f"{_range(i.injured.low, i.injured.high)}",
        f"- Grade: {i.grade or 'not graded'}",
        f"- Prepared for: {for_body or 'no named body'}",
        "",
        f"## Claims ({len(contents.claims)})",
    ]
    titles = {d.id: d.title or d.filename or f"document {d.id}" for d in contents.documents}
    for c in contents.claims:
        lines.append(f"- claim {c.id}, from {titles.get(c.document_id, '?')}: {c.quote or ''}")
    lines += ["", f"## Media ({len(contents.evidence)})"]
    for e in contents.evidence:
        lines.append(
            f"- evidence {e.id}: {e.filename} ({e.kind}, {e.size:,} bytes), source "
            f"{e.source or 'unnamed'}, captured {e.captured or 'unknown'}, SHA-256 {e.sha256}"
        )
        for loc in e.locations:
            lines.append(f"  - located at {loc.lat}, {loc.lon} by {loc.method}: {loc.note or ''}")
    lines += ["", f"## Testimonies ({len(contents.testimonies)})"]
    for t in contents.testimonies:
        lines.append(
            f"- {t.pseudonym}, {t.role}, interviewed {t.interview_date or '?'} in "
            f"{t.place or '?'} (consent: {t.consent})"
        )
    for w in contents.withheld:
        lines.append(f"- {w['testimony']} withheld ({w['reason']})")
    lines += [
        "",
        f"## Custody: {len(custody)} audit log entries in custody.json",
        "",
        "Check this package offline with `docket verify-package FILE.zip`: every file's SHA-256 "
        "is listed in manifest.json, which is signed with the Ed25519 key in signing.pub.",
        "",
    ]
    return "\n".join(lines)


def _range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "unknown"
    return str(low) if low == high else f"{low if low is not None else '?'}-{high or '?'}"


# --- checking a package ----------------------------------------------------------------------


@dataclass
class PackageCheck:
    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "path": str(self.path),
            "signer": self.manifest.get("signer"),
            "incident_id": self.manifest.get("incident_id"),
            "files_checked": self.files_checked,
            "problems": self.problems,
        }


def verify_package(path: Path, expected_public_key: bytes | None = None) -> PackageCheck:
    """Check a package offline: signature, every file's hash, no extra files, custody hashes."""
    check = PackageCheck(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: not a readable zip file ({exc})") from None
    with archive:
        names = set(archive.namelist())
        missing = [n for n in (MANIFEST, SIGNATURE, PUBLIC_KEY) if n not in names]
        if missing:
            raise InputError(f"{path}: not a Docket evidence package (no {', '.join(missing)})")
        manifest_bytes = archive.read(MANIFEST)
        check.manifest = json.loads(manifest_bytes)
        _check_signature(archive, manifest_bytes, expected_public_key, check)
        listed: dict[str, dict[str, Any]] = check.manifest.get("files", {})
        for name, expected in sorted(listed.items()):
            _check_file(archive, names, name, expected, check)
        for name in sorted(names - set(listed) - UNLISTED):
            check.problems.append(f"file {name} is not in the manifest")
        if "custody.json" in listed and "custody.json" in names:
            _check_custody(json.loads(archive.read("custody.json")), check)
    return check


def _check_signature(
    archive: zipfile.ZipFile,
    manifest_bytes: bytes,
    expected_public_key: bytes | None,
    check: PackageCheck,
) -> None:
    pem = archive.read(PUBLIC_KEY)
    key = load_public_key(pem, f"{check.path}:{PUBLIC_KEY}")
    if expected_public_key is not None:
        trusted = load_public_key(expected_public_key, "--public-key")
        if public_key_id(trusted) != public_key_id(key):
            check.problems.append(
                f"signed by key {public_key_id(key)}, not the expected key {public_key_id(trusted)}"
            )
    try:
        key.verify(base64.b64decode(archive.read(SIGNATURE)), manifest_bytes)
    except (InvalidSignature, ValueError):
        check.problems.append(
            f"{MANIFEST}: signature does not verify with key {public_key_id(key)}"
        )


def _check_file(
    archive: zipfile.ZipFile,
    names: set[str],
    name: str,
    expected: dict[str, Any],
    check: PackageCheck,
) -> None:
    if name not in names:
        check.problems.append(f"file {name} listed in the manifest is missing")
        return
    digest = hashlib.sha256()
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    check.files_checked += 1
    if digest.hexdigest() != expected["sha256"]:
        check.problems.append(
            f"file {name}: hashes to {digest.hexdigest()}, expected {expected['sha256']}"
        )


def _check_custody(entries: list[dict[str, Any]], check: PackageCheck) -> None:
    for entry in entries:
        at = dt.datetime.fromisoformat(entry["at"])
        if entry_hash({**entry, "at": at}) != entry["hash"]:
            check.problems.append(f"custody entry {entry['id']}: hash does not recompute")
