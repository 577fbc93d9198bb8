"""Right of reply: inquiries sent to parties about incidents or findings, and their answers.

A reply's ``status`` is ``awaiting`` until an answer is recorded (``answered`` or ``declined``),
or ``no_response`` once the deadline passed in silence. Every change is audit-logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from docket.errors import InputError, NotFoundError
from docket.law.tables import replies
from docket.store.audit import Change, now, record_changes
from docket.store.schema import incidents

STATUSES = ("awaiting", "answered", "declined", "no_response")


class Reply(BaseModel):
    """One inquiry to a party and what came back."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    incident_id: int | None = None
    finding: str | None = None
    party: str
    sent_on: dt.date
    channel: str | None = None
    inquiry: str
    status: str = "awaiting"
    response_on: dt.date | None = None
    response: str | None = None

    @property
    def summary(self) -> str:
        """One line for reports: who was asked when, and what they said (or that they did not)."""
        asked = f"{self.party} was asked on {self.sent_on:%-d %B %Y}"
        if self.status == "answered" and self.response:
            when = f" on {self.response_on:%-d %B %Y}" if self.response_on else ""
            return f'{asked}; it replied{when}: "{self.response}"'
        if self.status == "declined":
            return f"{asked}; it declined to comment"
        if self.status == "no_response":
            return f"{asked}; no response was received"
        return f"{asked}; a response is awaited"


def _check(reply: Reply) -> None:
    if reply.status not in STATUSES:
        raise InputError(f"reply status {reply.status!r} is not one of {', '.join(STATUSES)}")
    if reply.incident_id is None and not reply.finding:
        raise InputError("a reply concerns an incident (--incident) or a finding (--finding)")


def add_reply(conn: sa.Connection, reply: Reply, actor: str) -> int:
    """Store an inquiry (and its answer, if already in), audit-logged; returns its id."""
    if reply.response and reply.status == "awaiting":
        reply = reply.model_copy(update={"status": "answered"})
    _check(reply)
    if reply.incident_id is not None:
        found = conn.execute(
            sa.select(incidents.c.id).where(incidents.c.id == reply.incident_id)
        ).first()
        if found is None:
            raise NotFoundError(
                f"no incident with id {reply.incident_id}; `docket incidents` lists them"
            )
    stamp = now()
    values = reply.model_dump(exclude={"id"})
    new_id = conn.execute(
        sa.insert(replies).returning(replies.c.id),
        [{**values, "created_by": actor, "created_at": stamp, "updated_at": stamp}],
    ).scalar_one()
    record_changes(conn, actor, [Change("create", "reply", new_id, after=values)])
    return int(new_id)


def answer_reply(
    conn: sa.Connection,
    reply_id: int,
    actor: str,
    *,
    status: str,
    response: str | None = None,
    response_on: dt.date | None = None,
) -> Reply:
    """Record the answer (or silence) to an inquiry."""
    before = get_reply(conn, reply_id)
    after = before.model_copy(
        update={"status": status, "response": response, "response_on": response_on}
    )
    _check(after)
    conn.execute(
        sa.update(replies)
        .where(replies.c.id == reply_id)
        .values(status=status, response=response, response_on=response_on, updated_at=now())
    )
    record_changes(conn, actor, [Change("update", "reply", reply_id, before=before, after=after)])
    return after


def _row(row: Any) -> Reply:
    return Reply.model_validate({c: getattr(row, c) for c in Reply.model_fields})


def get_reply(conn: sa.Connection, reply_id: int) -> Reply:
    row = conn.execute(sa.select(replies).where(replies.c.id == reply_id)).first()
    if row is None:
        raise NotFoundError(f"no reply with id {reply_id}; `docket reply list` lists them")
    return _row(row)


def list_replies(
    conn: sa.Connection,
    *,
    incident_ids: Iterable[int] | None = None,
    finding: str | None = None,
    party: str | None = None,
) -> list[Reply]:
    """Replies by date sent, optionally only those about some incidents, a finding or a party."""
    query = sa.select(replies).order_by(replies.c.sent_on, replies.c.id)
    if incident_ids is not None:
        query = query.where(replies.c.incident_id.in_(list(incident_ids)))
    if finding is not None:
        query = query.where(replies.c.finding == finding)
    if party is not None:
        query = query.where(sa.func.lower(replies.c.party) == party.lower())
    return [_row(r) for r in conn.execute(query)]
