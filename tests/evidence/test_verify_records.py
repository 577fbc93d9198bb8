"""``docket verify`` re-checks claims and incidents against the audit entry with the latest word."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import docket
from docket import domain
from docket.evidence.verify_records import differs
from docket.link import ops as link_ops
from docket.link.tables import link_scores
from docket.store import audit
from docket.store import incidents as incident_store
from docket.store.audit import (
    BATCH_FORMAT,
    batch_summary,
    digest,
    record_batches,
)
from docket.store.claims import (
    assign_incident,
    get_claim,
    insert_claims,
    link_digest,
    set_review_status,
    update_claim,
)
from docket.store.incidents import delete_incidents, stored_digest
from docket.store.schema import audit_log, claim_incidents, claims, documents, incidents

VILLAGES = {"Kfar Tala": (34.61, 36.12), "Deir Saman": (34.92, 36.48)}

REPORTS = [
    "Shelling hit the bakery of Kfar Tala at dawn; four people queuing for bread were killed.",
    "Four civilians died when shells struck a bakery in Kfar Tala early in the morning.",
    "A rocket destroyed the clinic of Deir Saman on the same day; one nurse was killed.",
]


def claim(document_id: int, village: str, killed: int, target: str) -> domain.Claim:
    lat, lon = VILLAGES[village]
    civilians = domain.Range(low=killed, high=killed)
    return domain.Claim(
        document_id=document_id,
        event_type="shelling",
        date=dt.date(2021, 3, 14),
        place=domain.ResolvedPlace(
            name=village, lat=lat, lon=lon, precision="settlement", admin1="Homs"
        ),
        admin1="Homs",
        country="SY",
        targets=[domain.TargetRef(category=target)],
        casualties=domain.Casualties(killed=domain.CasualtyCount(civilians=civilians)),
    )


def linked_store(db: docket.Docket, tmp_path: Path) -> None:
    """Three reports, three claims, one link run: incidents of two and of one claim."""
    paths = []
    for n, text in enumerate(REPORTS):
        path = tmp_path / f"report{n}.json"
        path.write_text(
            json.dumps({"text": text, "source": f"Outlet {n}", "published": "2021-03-15"})
        )
        paths.append(path)
    stored = db.ingest(paths).stored
    with db.store.write() as conn:
        insert_claims(
            conn,
            [
                claim(stored[0], "Kfar Tala", 4, "residential"),
                claim(stored[1], "Kfar Tala", 4, "residential"),
                claim(stored[2], "Deir Saman", 1, "hospital"),
            ],
            "tester",
        )
    db.link()


def problems(db: docket.Docket) -> list[str]:
    return [str(p) for p in db.verify().problems]


def raw(db: docket.Docket, statement: Any) -> None:
    """A change made behind Docket's back: no audit entry."""
    with db.store.write() as conn:
        conn.execute(statement)


def batch_entry(db: docket.Docket, record_type: str) -> tuple[int, str, str]:
    """The link run's batch entry about ``record_type``: (entry id, record id, digest)."""
    with db.store.read() as conn:
        row = conn.execute(
            sa.select(audit_log.c.id, audit_log.c.record_id, audit_log.c.after_digest).where(
                audit_log.c.record_type == record_type, audit_log.c.record_id.like("%..%")
            )
        ).one()
    return row.id, row.record_id, row.after_digest


def rehashed(lines: list[tuple[int, str]]) -> str | None:
    """A link run's batch digest over these ``(id, digest)`` lines."""
    return digest(batch_summary(lines, version=BATCH_FORMAT))


def incident_rows(db: docket.Docket) -> dict[int, dict[str, Any]]:
    with db.store.read() as conn:
        return dict(conn.execute(sa.select(incidents.c.id, incidents.c.data)).all())


def test_linked_store_verifies(db: docket.Docket, tmp_path: Path) -> None:
    linked_store(db, tmp_path)
    report = db.verify()
    assert report.problems == []
    assert report.checked["batch entries re-hashed"] == 2
    assert report.checked["claims logged"] == 3
    assert report.checked["incidents logged"] == 2
    assert incident_rows(db)[1]["claim_ids"] == [1, 2]


def test_claim_and_incident_edited_after_link_are_reported(
    db: docket.Docket, tmp_path: Path
) -> None:
    linked_store(db, tmp_path)
    data = incident_rows(db)
    edited = {**data[1], "killed": {**data[1]["killed"], "high": 9}}
    raw(db, sa.update(incidents).where(incidents.c.id == 1).values(data=edited))
    raw(
        db,
        sa.update(claim_incidents).where(claim_incidents.c.claim_id == 3).values(incident_id=1),
    )
    incident_entry, incident_span, incident_digest = batch_entry(db, "incident")
    claim_entry, claim_span, claim_digest = batch_entry(db, "claim")
    incidents_now = rehashed([(1, stored_digest(edited)), (2, stored_digest(data[2]))])
    claims_now = rehashed([(1, link_digest(1)), (2, link_digest(1)), (3, link_digest(1))])
    assert (incident_span, claim_span) == ("1..2", "1..3")
    assert problems(db) == [
        "incident 1: column killed_high is 4, its JSON says 9",
        f"incidents 1..2: differ from what audit entry {incident_entry} recorded: "
        f"digest {incidents_now}, expected {incident_digest}",
        f"claims 1..3: differ from what audit entry {claim_entry} recorded: "
        f"digest {claims_now}, expected {claim_digest}",
        f"claim 3: likely changed since audit entry {claim_entry}: it points at incident 1, "
        "incident 2 lists it",
    ]


def test_incident_column_edited_alone_is_reported(db: docket.Docket, tmp_path: Path) -> None:
    linked_store(db, tmp_path)
    raw(db, sa.update(incidents).where(incidents.c.id == 2).values(killed_best=3))
    assert problems(db) == ["incident 2: column killed_best is 3, its JSON says 1"]


def test_claim_content_edited_is_reported_against_its_create_entry(
    db: docket.Docket, tmp_path: Path
) -> None:
    linked_store(db, tmp_path)
    with db.store.read() as conn:
        data = conn.execute(sa.select(claims.c.data).where(claims.c.id == 2)).scalar_one()
        entry, recorded = conn.execute(
            sa.select(audit_log.c.id, audit_log.c.after_digest).where(
                audit_log.c.record_type == "claim", audit_log.c.record_id == "2"
            )
        ).one()
    edited = {**data, "event_type": "air_drone_strike"}
    raw(db, sa.update(claims).where(claims.c.id == 2).values(data=edited))
    assert problems(db) == [
        f"claim 2: differs from what audit entry {entry} recorded: "
        f"digest {digest(edited)}, expected {recorded}"
    ]


def latest_entry(db: docket.Docket, record_type: str, record_id: int) -> Any:
    """The last audit entry naming this one record."""
    with db.store.read() as conn:
        return latest_entry_in(conn, record_type, record_id)


def stale_notes(db: docket.Docket) -> list[str]:
    return [n for n in db.verify().notes if "cannot be re-computed" in n]


REJECTED = "the second report describes another bakery"


def reviewed_store(db: docket.Docket, tmp_path: Path) -> None:
    """:func:`linked_store`, then claim 2 rejected from incident 1: a link entry takes claim 2
    over from the claims' batch, a review entry incident 1 from the incidents' batch."""
    linked_store(db, tmp_path)
    db.review("reject", 1, reason=REJECTED, claim_ids=[2])


def test_reviewed_batches_are_re_hashed_from_the_entries_that_took_over(
    db: docket.Docket, tmp_path: Path
) -> None:
    reviewed_store(db, tmp_path)
    report = db.verify()
    assert report.problems == []
    assert report.checked["batch entries re-hashed"] == 2
    assert stale_notes(db) == []
    review = latest_entry(db, "incident", 1)
    edited = {**incident_rows(db)[1], "grade_reasons": ["added later"]}
    raw(db, sa.update(incidents).where(incidents.c.id == 1).values(data=edited))
    [problem] = problems(db)
    assert problem.startswith(
        f"incident 1: differs from what audit entry {review.id} recorded: digest "
    )
    assert problem.endswith(f", expected {review.after_digest}")


def test_claim_re_pointed_behind_the_log_is_named_inside_a_reviewed_batch(
    db: docket.Docket, tmp_path: Path
) -> None:
    reviewed_store(db, tmp_path)
    entry, _, recorded = batch_entry(db, "claim")
    relinked = latest_entry(db, "claim", 2)
    assert relinked.before_digest == link_digest(1)
    raw(db, sa.update(claim_incidents).where(claim_incidents.c.claim_id == 1).values(incident_id=2))
    found = rehashed([(1, link_digest(2)), (2, link_digest(1)), (3, link_digest(2))])
    assert problems(db) == [
        f"claims 1..3: differ from what audit entry {entry} recorded: "
        f"digest {found}, expected {recorded}",
        f"claim 1: likely changed since audit entry {entry}: it points at incident 2, "
        "incident 1 lists it",
    ]


def test_reviewed_claim_re_pointed_behind_the_log_is_named(
    db: docket.Docket, tmp_path: Path
) -> None:
    reviewed_store(db, tmp_path)
    relinked = latest_entry(db, "claim", 2)
    raw(db, sa.insert(claim_incidents).values(claim_id=2, incident_id=2))
    assert problems(db) == [
        f"claim 2: differs from what audit entry {relinked.id} recorded: "
        f"digest {link_digest(2)}, expected {link_digest(None)}"
    ]


def test_incident_edited_behind_the_log_is_named_inside_a_reviewed_batch(
    db: docket.Docket, tmp_path: Path
) -> None:
    reviewed_store(db, tmp_path)
    review = latest_entry(db, "incident", 1)
    entry, _, recorded = batch_entry(db, "incident")
    data = incident_rows(db)[2]
    edited = {**data, "killed": {**data["killed"], "high": 7}}
    raw(db, sa.update(incidents).where(incidents.c.id == 2).values(data=edited))
    found = rehashed([(1, review.before_digest), (2, stored_digest(edited))])
    assert problems(db) == [
        "incident 2: column killed_high is 1, its JSON says 7",
        f"incidents 1..2: differ from what audit entry {entry} recorded: "
        f"digest {found}, expected {recorded}",
    ]


def test_batches_stay_verifiable_after_records_are_taken_over_twice_or_deleted(
    db: docket.Docket, tmp_path: Path
) -> None:
    reviewed_store(db, tmp_path)
    db.review("merge", 2, reason="the same shelling after all", other_ids=[1])  # 1 deleted
    with db.store.write() as conn:
        assign_incident(conn, [2], 2, "tester", reason="the bakery was the same")  # 2nd link
        set_review_status(conn, 3, domain.ReviewStatus.accepted, "tester", "read again")
    report = db.verify()
    assert report.problems == []
    assert report.checked["batch entries re-hashed"] == 2
    assert stale_notes(db) == []
    assert [(i.id, i.claim_ids) for i in db.incidents(limit=None)] == [(2, [1, 3])]


def claim_reviewed_then_moved(db: docket.Docket, tmp_path: Path) -> Any:
    """:func:`linked_store`, then claim 3 accepted and moved from incident 2 to incident 1: a
    review entry on the whole claim, then a link entry changing its link alone. Returns the
    review entry."""
    linked_store(db, tmp_path)
    with db.store.write() as conn:
        set_review_status(conn, 3, domain.ReviewStatus.accepted, "tester", "read again")
        review = latest_entry_in(conn, "claim", 3)
        assign_incident(conn, [3], 1, "tester", reason="the same shelling after all")
    return review


def latest_entry_in(conn: sa.Connection, record_type: str, record_id: int) -> Any:
    """:func:`latest_entry` inside a transaction."""
    query = (
        sa.select(audit_log)
        .where(audit_log.c.record_type == record_type, audit_log.c.record_id == str(record_id))
        .order_by(audit_log.c.id.desc())
        .limit(1)
    )
    return conn.execute(query).one()


def claim_reviewed_then_linked_by_a_run(db: docket.Docket, tmp_path: Path) -> Any:
    """:func:`linked_store`'s claims, claim 3 accepted before the link run links it: a review
    entry on the whole claim, then the run's batch changing its link alone. Returns the review
    entry."""
    linked_store(db, tmp_path)
    with db.store.write() as conn:
        assign_incident(conn, [3], None, "tester", reason="read the clinic report again")
        set_review_status(conn, 3, domain.ReviewStatus.accepted, "tester", "read again")
        review = latest_entry_in(conn, "claim", 3)
    db.link()
    return review


# (how claim 3 was reviewed and then re-pointed, its incident now, as the review left it)
REVIEWED_THEN_RE_POINTED = [
    pytest.param(claim_reviewed_then_moved, 1, 2, id="moved"),
    pytest.param(claim_reviewed_then_linked_by_a_run, 3, None, id="linked by a run"),
]


@pytest.mark.parametrize(("re_pointed", "now", "reviewed"), REVIEWED_THEN_RE_POINTED)
def test_a_claim_reviewed_then_re_pointed_is_checked_against_its_review(
    db: docket.Docket, tmp_path: Path, re_pointed: Any, now: int, reviewed: int | None
) -> None:
    review = re_pointed(db, tmp_path)
    assert db.verify().problems == []
    assert stale_notes(db) == []
    with db.store.read() as conn:
        claim = get_claim(conn, 3)
    assert (claim.incident_id, claim.review_status) == (now, domain.ReviewStatus.accepted)
    assert digest(claim.model_copy(update={"incident_id": reviewed})) == review.after_digest


@pytest.mark.parametrize(("re_pointed", "now", "reviewed"), REVIEWED_THEN_RE_POINTED)
def test_a_claim_reviewed_then_re_pointed_and_edited_behind_the_log_is_named(
    db: docket.Docket, tmp_path: Path, re_pointed: Any, now: int, reviewed: int | None
) -> None:
    review = re_pointed(db, tmp_path)
    with db.store.read() as conn:
        data = conn.execute(sa.select(claims.c.data).where(claims.c.id == 3)).scalar_one()
    edited = {**data, "event_type": "air_drone_strike"}
    raw(db, sa.update(claims).where(claims.c.id == 3).values(data=edited))
    with db.store.read() as conn:
        as_reviewed = get_claim(conn, 3).model_copy(update={"incident_id": reviewed})
    assert (as_reviewed.event_type, as_reviewed.incident_id) == ("air_drone_strike", reviewed)
    assert problems(db) == [
        f"claim 3: {differs(review.id, digest(as_reviewed), review.after_digest)}"
    ]


def test_an_incident_updated_twice_verifies_and_an_edit_behind_the_log_is_named(
    db: docket.Docket, tmp_path: Path
) -> None:
    linked_store(db, tmp_path)
    with db.store.write() as conn:
        for reasons in (["first reading"], ["second reading"]):
            updated = incident_store.get_incident(conn, 2).model_copy(
                update={"grade_reasons": reasons}
            )
            incident_store.update_incident(conn, updated, "tester", "graded again")
        second = latest_entry_in(conn, "incident", 2)
    report = db.verify()
    assert report.problems == []
    assert stale_notes(db) == []
    edited = {**incident_rows(db)[2], "grade_reasons": ["third reading"]}
    raw(db, sa.update(incidents).where(incidents.c.id == 2).values(data=edited))
    with db.store.read() as conn:
        found = digest(incident_store.get_incident(conn, 2))
    assert problems(db) == [f"incident 2: {differs(second.id, found, second.after_digest)}"]


def test_claim_edited_onto_another_incident_is_logged_as_a_link_first(
    db: docket.Docket, tmp_path: Path
) -> None:
    linked_store(db, tmp_path)
    with db.store.write() as conn:
        moved = get_claim(conn, 3).model_copy(update={"incident_id": 1})
        update_claim(conn, moved, "tester", "same bakery after all")
        assign_incident(conn, [1], 2, "tester", reason="checking")
    with db.store.read() as conn:
        logged = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.record_id, audit_log.c.before_digest)
            .where(audit_log.c.reason.in_(["same bakery after all", "checking"]))
            .order_by(audit_log.c.id)
        ).all()
    assert [tuple(e[:2]) for e in logged] == [("link", "3"), ("update", "3"), ("link", "1")]
    assert (logged[0].before_digest, logged[2].before_digest) == (link_digest(2), link_digest(1))
    report = db.verify()
    assert report.problems == []
    assert report.checked["batch entries re-hashed"] == 2


def test_batch_taken_over_by_a_later_batch_is_noted(db: docket.Docket, tmp_path: Path) -> None:
    linked_store(db, tmp_path)
    with db.store.write() as conn:
        items = [(i, link_digest(1)) for i in (1, 2)]
        record_batches(conn, "tester", "link", "claim", items, reason="another run")
    report = db.verify()
    assert report.problems == []
    assert report.checked["batch entries re-hashed"] == 2  # the incidents' and the new one
    assert stale_notes(db) == [
        "1 audit entries about claims cover records changed since by later entries: "
        "their digests cannot be re-computed"
    ]


def test_format_1_batches_verify_as_before_and_are_noted_once_taken_over(
    db: docket.Docket, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store linked before batch format 2: batches of texts, no marker."""
    monkeypatch.setattr(audit, "BATCH_FORMAT", 1)
    monkeypatch.setattr(audit, "BATCH_MARKER", None)
    monkeypatch.setattr(incident_store, "text_digest", lambda text: text)
    monkeypatch.setattr(link_ops, "link_digest", str)
    linked_store(db, tmp_path)
    monkeypatch.undo()
    entry, _, recorded = batch_entry(db, "claim")
    assert recorded == digest(batch_summary([(1, "1"), (2, "1"), (3, "2")]))
    report = db.verify()
    assert report.problems == []
    assert report.checked["batch entries re-hashed"] == 2
    db.review("reject", 1, reason=REJECTED, claim_ids=[2])
    report = db.verify()
    assert report.problems == []
    assert report.checked["batch entries re-hashed"] == 0
    assert stale_notes(db) == [
        "1 audit entries about incidents cover records changed since by later entries: "
        "their digests cannot be re-computed",
        "1 audit entries about claims cover records changed since by later entries: "
        "their digests cannot be re-computed",
    ]


def test_document_text_altered_is_reported(db: docket.Docket, tmp_path: Path) -> None:
    linked_store(db, tmp_path)
    with db.store.read() as conn:
        stored = conn.execute(sa.select(documents.c.text_sha256).where(documents.c.id == 3))
        text_sha256 = stored.scalar_one()
    altered = REPORTS[2].replace("one nurse", "no one")
    raw(db, sa.update(documents).where(documents.c.id == 3).values(text=altered))
    [problem] = problems(db)
    assert problem.startswith("document 3: text hashes to ")
    assert problem.endswith(f", expected text_sha256 {text_sha256}")


def test_claim_deleted_behind_the_log_is_missing_from_its_batch(
    db: docket.Docket, tmp_path: Path
) -> None:
    linked_store(db, tmp_path)
    entry, span, _ = batch_entry(db, "claim")
    scores = link_scores.c
    raw(db, sa.delete(link_scores).where(sa.or_(scores.claim_a == 3, scores.claim_b == 3)))
    raw(db, sa.delete(claim_incidents).where(claim_incidents.c.claim_id == 3))
    raw(db, sa.delete(claims).where(claims.c.id == 3))
    assert problems(db) == [
        f"claims {span}: 1 of the 3 records audit entry {entry} recorded are missing"
    ]


def test_incident_stored_again_after_its_deletion_is_reported(
    db: docket.Docket, tmp_path: Path
) -> None:
    linked_store(db, tmp_path)
    with db.store.read() as conn:
        row = dict(conn.execute(sa.select(incidents).where(incidents.c.id == 2)).one()._mapping)
    with db.store.write() as conn:
        assign_incident(conn, [3], None, "tester", reason="wrong place")
        delete_incidents(conn, [2], "tester", reason="no claims left")
        deleted = conn.execute(sa.select(sa.func.max(audit_log.c.id))).scalar_one()
    raw(db, sa.insert(incidents).values(row))
    assert problems(db) == [f"incident 2: audit entry {deleted} deleted it, yet it is stored"]


def test_batch_changed_where_no_record_can_be_singled_out_says_so(
    db: docket.Docket, tmp_path: Path
) -> None:
    linked_store(db, tmp_path)
    edited = {**incident_rows(db)[2], "weapons": ["mortar"]}  # no column mirrors it
    raw(db, sa.update(incidents).where(incidents.c.id == 2).values(data=edited))
    entry, span, _ = batch_entry(db, "incident")
    report = db.verify()
    assert [p.record for p in report.problems] == [f"incidents {span}"]
    assert report.notes[0] == (
        f"incidents {span}: audit entry {entry} holds one digest for the batch; "
        "no record in it could be singled out"
    )
