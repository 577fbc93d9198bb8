"""Recording a testimony: the account becomes a ``witness`` document (so extraction reads it like
any report), the witness is named only by a pseudonym, and their identity is sealed with AES-GCM.

If the account itself names the witness or gives their contact, those words are replaced by the
pseudonym before anything is stored, and the number of replacements is noted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from docket.errors import InputError
from docket.evidence.keys import IdentityKey
from docket.evidence.models import Identity, Testimony
from docket.evidence.sealed import seal
from docket.evidence.testimony_records import get_testimony, insert_testimony, next_pseudonym
from docket.evidence.vocab import check_term, terms
from docket.intake.readers import normalize_text
from docket.store import Store
from docket.store.audit import Change, now, record_changes
from docket.store.documents import created_fields, insert_documents, insert_originals, source_ids
from docket.store.incidents import get_incident
from docket.store.schema import documents

CONTACT_WITHHELD = "[contact withheld]"


@dataclass
class Interview:
    """Everything an interviewer records, except who the witness is."""

    account: str
    role: str
    consent: str
    interview_date: dt.date | None = None
    place: str | None = None
    language: str | None = None
    share_with: list[str] = field(default_factory=list)
    interviewer: str | None = None
    incident_id: int | None = None

    def check(self) -> None:
        check_term("testimony_roles", self.role, "--role")
        check_term("consent_scopes", self.consent, "--consent")
        if not self.account.strip():
            raise InputError("the account is empty; give the interview text")
        needs_bodies = bool(terms("consent_scopes")[self.consent]["named_bodies"])
        if needs_bodies and not self.share_with:
            raise InputError(f"consent {self.consent!r} needs the bodies: add --share-with NAME")
        if not needs_bodies and self.share_with:
            raise InputError(f"--share-with goes with --consent named_bodies, not {self.consent!r}")


def redact(account: str, identity: Identity | None, pseudonym: str) -> tuple[str, int]:
    """The account with the witness's name and contact replaced; and how many were replaced."""
    if identity is None:
        return account, 0
    count = 0
    for secret, replacement in ((identity.name, pseudonym), (identity.contact, CONTACT_WITHHELD)):
        if secret and secret.strip():
            pattern = re.compile(re.escape(secret.strip()), re.IGNORECASE)
            account, n = pattern.subn(replacement, account)
            count += n
    return account, count


def add_testimony(
    store: Store,
    given: Interview,
    identity: Identity | None,
    key: IdentityKey | None,
    actor: str,
) -> Testimony:
    given.check()
    if identity is not None and not any(identity.model_dump().values()):
        identity = None
    if identity is not None and key is None:
        raise InputError(
            "identity fields need a key to be stored encrypted: create one with "
            "`docket keys init`, or give --key-file or --passphrase"
        )
    with store.write() as conn:
        if given.incident_id is not None:
            get_incident(conn, given.incident_id)
        pseudonym = next_pseudonym(conn)
        account, redacted = redact(given.account, identity, pseudonym)
        document_id = _store_account(conn, given, account, pseudonym, redacted, actor)
        sealed = seal(identity, key, pseudonym) if identity and key else None
        row = {
            "pseudonym": pseudonym,
            "document_id": document_id,
            "role": given.role,
            "interview_date": given.interview_date,
            "place": given.place,
            "language": given.language,
            "consent": given.consent,
            "share_with": given.share_with,
            "interviewer": given.interviewer,
            "incident_id": given.incident_id,
            "identity": sealed,
            "identity_key_id": key.key_id if sealed and key else None,
            "created_at": now(),
            "created_by": actor,
        }
        testimony_id = insert_testimony(conn, row, actor)
        return get_testimony(conn, testimony_id)


def _store_account(
    conn: sa.Connection,
    given: Interview,
    account: str,
    pseudonym: str,
    redacted: int,
    actor: str,
) -> int:
    raw = account.encode("utf-8")
    raw_sha256 = hashlib.sha256(raw).hexdigest()
    existing = conn.execute(
        sa.select(documents.c.id).where(documents.c.raw_sha256 == raw_sha256)
    ).scalar()
    if existing is not None:
        raise InputError(f"this account is already stored as document {existing}")
    source = f"Witness {pseudonym}"
    source_id = source_ids(conn, [(source, "witness")])[source]
    role_name = terms("testimony_roles")[given.role].name
    metadata: dict[str, Any] = {"testimony": pseudonym, "role": given.role}
    if redacted:
        metadata["redacted_mentions"] = redacted
    insert_originals(conn, {raw_sha256: raw})
    text_sha256 = hashlib.sha256(normalize_text(account).encode("utf-8")).hexdigest()
    where = f", {given.place}" if given.place else ""
    row = {
        "source_id": source_id,
        "source_kind": "witness",
        "url": None,
        "title": f"Testimony of {pseudonym} ({role_name}{where})",
        "language": given.language,
        "published": given.interview_date,
        "retrieved": now(),
        "raw_sha256": raw_sha256,
        "text_sha256": text_sha256,
        "text": account,
        "filename": None,
        "media_type": "text/plain",
        "metadata": metadata,
        "previous_version_id": None,
        "created_by": actor,
    }
    [document_id] = insert_documents(conn, [row])
    after = created_fields(raw_sha256, text_sha256, given.interview_date)
    record_changes(conn, actor, [Change("create", "document", document_id, after=after)])
    return document_id
