"""Pattern findings (widespread / systematic) and the right of reply."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from docket.errors import InputError, NotFoundError
from docket.store.schema import audit_log
from findings_samples import store_samples


def _figure(figures, key):
    return next(f for f in figures if f.key == key)


def test_patterns_widespread_figures_with_incidents(db) -> None:
    ids = store_samples(db)
    found = db.patterns()
    assert [(f.key, f.value) for f in found.widespread] == [
        ("incidents", "12"),
        ("areas", "3 (Aleppo, Hama, Idlib)"),
        ("places", "10"),
        ("months", "6 (May 2019 to March 2020)"),
        ("killed", "66–82"),
        ("civilians_killed", "65–81"),
        ("injured", "62–72"),
    ]
    assert sorted(_figure(found.widespread, "killed").incident_ids) == sorted(
        ids[n] for n in (0, 1, 2, 4, 9, 7, 8, 3)
    )


def test_patterns_systematic_repetition_sites_and_deconfliction(db) -> None:
    ids = store_samples(db)
    found = db.patterns()
    values = {f.key: f.value for f in found.systematic}
    assert values["target:hospital"] == "3 of 12 (25%)"
    assert values["weapon:aircraft"] == "5 of 12 (42%)"
    assert values["perpetrator:sy_gov"] == "6 of 12 (50%)"
    assert values["perpetrator:ru"] == "5 of 12 (42%)"
    assert values["combination:Russian forces / Aircraft / Hospital"] == "3 of 12 (25%)"
    site = _figure(found.systematic, "site:name:hospital:kafr nabl surgical hospital")
    assert site.value == "2 strikes (14 May 2019)"
    assert site.incident_ids == [ids[0], ids[1]]
    assert _figure(found.systematic, "deconflicted").incident_ids == [ids[0], ids[1], ids[4]]


def test_replies_add_answer_list_audit(db) -> None:
    ids = store_samples(db)
    asked = db.add_reply(
        party="Russian forces",
        sent_on=dt.date(2020, 3, 1),
        inquiry="Did your aircraft strike the Al-Shami Hospital in Ariha on 30 January 2020?",
        incident_id=ids[4],
        channel="letter to the embassy",
    )
    assert asked.summary == "Russian forces was asked on 1 March 2020; a response is awaited"
    db.add_reply(
        party="Syrian government forces",
        sent_on=dt.date(2020, 3, 2),
        inquiry="Please comment on the strikes on schools listed in our finding.",
        finding="schools",
        response="The strikes targeted terrorist positions.",
        response_on=dt.date(2020, 3, 20),
    )
    silent = db.answer_reply(asked.id, status="no_response")
    assert silent.summary == "Russian forces was asked on 1 March 2020; no response was received"
    assert [r.status for r in db.replies()] == ["no_response", "answered"]
    assert db.replies(finding="schools")[0].summary == (
        "Syrian government forces was asked on 2 March 2020; it replied on 20 March 2020: "
        '"The strikes targeted terrorist positions."'
    )
    assert [r.id for r in db.replies(incident_id=ids[4])] == [asked.id]
    with db.store.read() as conn:
        logged = conn.execute(
            sa.select(audit_log.c.action)
            .where(audit_log.c.record_type == "reply")
            .order_by(audit_log.c.id)
        ).scalars()
        assert list(logged) == ["create", "create", "update"]


def test_replies_reject_bad_input(db) -> None:
    with pytest.raises(InputError, match="concerns an incident"):
        db.add_reply(party="x", sent_on=dt.date(2020, 1, 1), inquiry="?")
    with pytest.raises(NotFoundError, match="no incident with id 99"):
        db.add_reply(party="x", sent_on=dt.date(2020, 1, 1), inquiry="?", incident_id=99)
    with pytest.raises(InputError, match="not one of"):
        db.add_reply(
            party="x", sent_on=dt.date(2020, 1, 1), inquiry="?", finding="f", status="maybe"
        )


def test_patterns_from_findings_equal_patterns_from_incidents(db) -> None:
    from docket.law.patterns import find_patterns
    from docket.report.findings import compute_findings

    store_samples(db)
    found = db.findings()
    direct = find_patterns(found.incidents)
    assert find_patterns(found.incidents, compute_findings(found.incidents).spread) == direct
