import datetime as dt
import hashlib

import sqlalchemy as sa

import docket
from docket.domain import Casualties, CasualtyCount, Claim, Range, ReviewStatus
from docket.store.audit import (
    BATCH_MARKER,
    GENESIS,
    Change,
    digest,
    entries_for,
    record_batches,
    record_changes,
    text_digest,
    verify_chain,
)
from docket.store.claims import (
    get_claim,
    insert_claims,
    link_digest,
    set_review_status,
)
from docket.store.schema import audit_log


def entries(db: docket.Docket) -> list[sa.Row]:
    with db.store.read() as conn:
        return list(conn.execute(sa.select(audit_log).order_by(audit_log.c.id)))


def test_audit_chain_links_every_entry(db: docket.Docket) -> None:
    with db.store.write() as conn:
        record_changes(
            conn,
            "ana",
            [
                Change("create", "claim", 1, after={"a": 1}),
                Change("update", "claim", 1, before={"a": 1}, after={"a": 2}, reason="typo"),
            ],
        )
    first, second = entries(db)
    assert (first.prev_hash, second.prev_hash) == (GENESIS, first.hash)
    assert (second.actor, second.action, second.record_id, second.reason) == (
        "ana",
        "update",
        "1",
        "typo",
    )
    with db.store.read() as conn:
        assert verify_chain(conn) == []


def test_audit_detects_edited_and_deleted_rows(db: docket.Docket) -> None:
    with db.store.write() as conn:
        record_changes(conn, "ana", [Change("create", "claim", i) for i in range(1, 5)])
    with db.store.write() as conn:
        conn.execute(sa.update(audit_log).where(audit_log.c.id == 2).values(actor="mallory"))
        conn.execute(sa.delete(audit_log).where(audit_log.c.id == 3))
    with db.store.read() as conn:
        problems = [(p.entry_id, p.problem.split(":")[0]) for p in verify_chain(conn)]
    assert problems == [(2, "entry altered"), (4, "entries 3..3 are missing"), (4, "broken link")]


def test_audit_review_records_who_when_why(db: docket.Docket) -> None:
    claim = Claim(
        document_id=None,
        event_type="air_drone_strike",
        date=dt.date(2020, 1, 29),
        named_victims=["Salma Haddad"],
        casualties=Casualties(killed=CasualtyCount(civilians=Range(low=11, high=12))),
    )
    db.ingest([])  # no-op batch writes nothing
    with db.store.write() as conn:
        conn.execute(
            sa.text("INSERT INTO originals (sha256, size, content) VALUES ('h', 1, :c)"),
            {"c": b"x"},
        )
        conn.execute(
            sa.text(
                "INSERT INTO documents (source_kind, retrieved, raw_sha256, text_sha256, text, metadata, created_by)"
                " VALUES ('news', :t, 'h', 'h', 'x', '{}', 't')"
            ),
            {"t": dt.datetime(2020, 1, 30)},
        )
        (claim_id,) = insert_claims(
            conn, [claim.model_copy(update={"document_id": 1})], "extractor"
        )
        set_review_status(
            conn, claim_id, ReviewStatus.accepted, "ana", "matches hospital statement"
        )
    with db.store.read() as conn:
        assert get_claim(conn, claim_id).review_status is ReviewStatus.accepted
        assert get_claim(conn, claim_id).casualties.killed.total == Range(low=11, high=12)
        assert get_claim(conn, claim_id).named_victims == ["Salma Haddad"]
    last = entries(db)[-1]
    assert (last.actor, last.action, last.record_type, last.reason) == (
        "ana",
        "review",
        "claim",
        "matches hospital statement",
    )
    assert last.before_digest != last.after_digest


def test_history_of_a_record_includes_the_batch_entry_that_holds_it(db: docket.Docket) -> None:
    with db.store.write() as conn:
        record_batches(
            conn,
            "docket link",
            "create",
            "incident",
            [(i, f'{{"id": {i}}}') for i in range(1, 6)],
            reason="link run 1",
            batch_size=3,
        )
        record_changes(conn, "ana", [Change("update", "incident", 4, reason="grade to fair")])
        history = entries_for(conn, "incident", 4)
        outside = entries_for(conn, "incident", 9)
    assert [(h["actor"], h["action"], h["reason"]) for h in history] == [
        ("docket link", "create", "link run 1"),
        ("ana", "update", "grade to fair"),
    ]
    assert outside == []


def test_batch_entries_name_only_consecutive_ids(db: docket.Docket) -> None:
    with db.store.write() as conn:
        record_batches(
            conn,
            "docket link",
            "link",
            "claim",
            [(i, "{}") for i in (1, 2, 3, 5, 6)],
            reason="link run 2",
            batch_size=10,
        )
        skipped = entries_for(conn, "claim", 4)
        held = entries_for(conn, "claim", 5)
    assert skipped == []
    assert [h["reason"] for h in held] == ["link run 2"]
    with db.store.read() as conn:
        ids = conn.execute(sa.select(audit_log.c.record_id).order_by(audit_log.c.id)).scalars()
        assert list(ids) == ["1..3", "5..6"]


def test_batch_entries_split_at_every_gap_and_at_the_batch_size(db: docket.Docket) -> None:
    with db.store.write() as conn:
        record_batches(
            conn,
            "docket link",
            "link",
            "claim",
            [(i, "{}") for i in (1, 2, 3, 4, 5, 7, 8, 9, 20, 22, 23)],
            reason="link run 3",
            batch_size=3,
        )
    with db.store.read() as conn:
        ids = conn.execute(sa.select(audit_log.c.record_id).order_by(audit_log.c.id)).scalars()
        assert list(ids) == ["1..3", "4..5", "7..9", "20..20", "22..23"]


def test_a_claims_link_digest_is_the_digest_its_link_entries_record() -> None:
    for incident_id in (None, 0, 7, 123456789):
        assert link_digest(incident_id) == digest({"incident_id": incident_id})


def test_a_digest_already_taken_is_recorded_as_it_is(db: docket.Docket) -> None:
    with db.store.write() as conn:
        record_changes(conn, "ana", [Change("update", "incident", 3, before=text_digest("{}"))])
    [entry] = entries(db)
    assert entry.before_digest == hashlib.sha256(b"{}").hexdigest()
    assert entry.after_digest is None


def test_batch_entries_carry_the_format_marker_and_name_their_version(db: docket.Docket) -> None:
    items = [(i, text_digest(str(i))) for i in (1, 2)]
    with db.store.write() as conn:
        record_batches(conn, "docket link", "create", "incident", items, reason="link run 4")
    [entry] = entries(db)
    lines = "".join(f"{i}\t{d}\n" for i, d in items)
    summary = {"version": 2, "records": 2, "sha256": hashlib.sha256(lines.encode()).hexdigest()}
    assert (entry.before_digest, entry.after_digest) == (BATCH_MARKER, digest(summary))
