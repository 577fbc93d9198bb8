"""Reading and writing testimonies; the account is a document of source kind ``witness``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from docket.errors import NotFoundError
from docket.evidence.models import Testimony
from docket.evidence.tables import testimonies
from docket.store.audit import Change, record_changes
from docket.store.schema import documents

PREFIX = "W-"


def testimony_digest(row: Mapping[str, Any]) -> dict[str, Any]:
    """What the audit log commits to for a testimony (the identity only as a ciphertext hash)."""
    sealed = row.get("identity")
    return {
        "pseudonym": row["pseudonym"],
        "document_id": row["document_id"],
        "role": row["role"],
        "interview_date": str(row["interview_date"]) if row["interview_date"] else None,
        "consent": row["consent"],
        "share_with": list(row["share_with"] or []),
        "identity_sha256": hashlib.sha256(bytes(sealed)).hexdigest() if sealed else None,
    }


def next_pseudonym(conn: sa.Connection) -> str:
    last = conn.execute(sa.select(sa.func.max(testimonies.c.id))).scalar() or 0
    return f"{PREFIX}{last + 1:04d}"


def insert_testimony(conn: sa.Connection, row: dict[str, Any], actor: str) -> int:
    new_id = conn.execute(sa.insert(testimonies).returning(testimonies.c.id), row).scalar_one()
    record_changes(
        conn, actor, [Change("create", "testimony", new_id, after=testimony_digest(row))]
    )
    return int(new_id)


def _select() -> sa.Select[Any]:
    return sa.select(testimonies, documents.c.text.label("account")).join(
        documents, documents.c.id == testimonies.c.document_id
    )


def _to_testimony(row: Any) -> Testimony:
    return Testimony(
        id=row.id,
        pseudonym=row.pseudonym,
        document_id=row.document_id,
        role=row.role,
        interview_date=row.interview_date,
        place=row.place,
        language=row.language,
        consent=row.consent,
        share_with=list(row.share_with or []),
        interviewer=row.interviewer,
        incident_id=row.incident_id,
        account=row.account,
        identity_key_id=row.identity_key_id,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def sealed_identity(conn: sa.Connection, testimony_id: int) -> tuple[bytes | None, str | None]:
    row = conn.execute(
        sa.select(testimonies.c.identity, testimonies.c.identity_key_id).where(
            testimonies.c.id == testimony_id
        )
    ).first()
    if row is None:
        raise NotFoundError(f"no testimony with id {testimony_id}; `docket testimony list`")
    return (bytes(row.identity) if row.identity else None), row.identity_key_id


def get_testimony(conn: sa.Connection, testimony_id: int) -> Testimony:
    row = conn.execute(_select().where(testimonies.c.id == testimony_id)).first()
    if row is None:
        raise NotFoundError(
            f"no testimony with id {testimony_id}; `docket testimony list` lists them"
        )
    return _to_testimony(row)


def list_testimonies(
    conn: sa.Connection,
    *,
    incident_id: int | None = None,
    document_ids: Iterable[int] | None = None,
) -> list[Testimony]:
    """Testimonies in id order; with both filters, those matching either."""
    query = _select().order_by(testimonies.c.id)
    conditions = []
    if incident_id is not None:
        conditions.append(testimonies.c.incident_id == incident_id)
    if document_ids is not None:
        conditions.append(testimonies.c.document_id.in_(list(document_ids)))
    if conditions:
        query = query.where(sa.or_(*conditions))
    return [_to_testimony(r) for r in conn.execute(query)]


def set_consent(
    conn: sa.Connection,
    testimony_id: int,
    consent: str,
    share_with: list[str],
    actor: str,
    reason: str | None,
) -> None:
    """Change what a witness agreed to, recording the testimony's digest before and after."""
    before = conn.execute(sa.select(testimonies).where(testimonies.c.id == testimony_id)).first()
    if before is None:
        raise NotFoundError(f"no testimony with id {testimony_id}; `docket testimony list`")
    conn.execute(
        sa.update(testimonies)
        .where(testimonies.c.id == testimony_id)
        .values(consent=consent, share_with=share_with)
    )
    after = {**dict(before._mapping), "consent": consent, "share_with": share_with}
    change = Change(
        "update",
        "testimony",
        testimony_id,
        before=testimony_digest(dict(before._mapping)),
        after=testimony_digest(after),
        reason=reason,
    )
    record_changes(conn, actor, [change])


def reseal_identities(
    conn: sa.Connection,
    reseal: Callable[[str, bytes, str | None], tuple[bytes, str]],
    actor: str,
) -> int:
    """Replace every sealed identity with ``reseal(pseudonym, sealed, key_id)``; audit-logged."""
    rows = conn.execute(
        sa.select(testimonies).where(testimonies.c.identity.is_not(None)).order_by(testimonies.c.id)
    ).mappings()
    changes = []
    for row in list(rows):
        before = dict(row)
        sealed, key_id = reseal(row["pseudonym"], bytes(row["identity"]), row["identity_key_id"])
        conn.execute(
            sa.update(testimonies)
            .where(testimonies.c.id == row["id"])
            .values(identity=sealed, identity_key_id=key_id)
        )
        after = {**before, "identity": sealed}
        changes.append(
            Change(
                "update",
                "testimony",
                row["id"],
                before=testimony_digest(before),
                after=testimony_digest(after),
                reason=f"identity key rotated to {key_id}",
            )
        )
    record_changes(conn, actor, changes)
    return len(changes)
