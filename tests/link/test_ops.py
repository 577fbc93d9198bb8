"""Linking over the store: incidents, reconciliation, re-linking, review persistence, logs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

import docket
import docket.link.ops as link_ops
from docket.domain import (
    ActorRef,
    Casualties,
    CasualtyCount,
    Claim,
    LocationPrecision,
    Range,
    ResolvedPlace,
    ReviewStatus,
    TargetRef,
)
from docket.errors import InputError, NotFoundError
from docket.link.tables import link_scores
from docket.store.audit import (
    BATCH_FORMAT,
    BATCH_MARKER,
    batch_range,
    batch_summary,
    digest,
    text_digest,
    verify_chain,
)
from docket.store.claims import insert_claims, link_digest, set_review_status
from docket.store.incidents import canonical_json, list_incidents
from docket.store.schema import audit_log, incidents
from docket.store.schema import claims as claims_table

TOWNS = {
    "Ariha": (35.8135, 36.6078),
    "Mhambal": (35.7820, 36.5290),
    "Sarmin": (35.9040, 36.7250),
}

DOCS = [
    (
        "wire",
        "Levant Wire",
        "news",
        "Jets struck the main hospital of Ariha after midnight, killing ten.",
    ),
    (
        "copy",
        "Gulf Daily",
        "news",
        "Jets struck the main hospital of Ariha after midnight, killing ten!",
    ),
    (
        "ngo",
        "Medical Relief",
        "ngo",
        "Our hospital in Ariha was bombed; twelve patients and staff died.",
    ),
    (
        "monitor",
        "Civilian Monitor",
        "monitor",
        "Ariha: 00:20, hospital hit, 11 dead. Sarmin: school.",
    ),
    ("local", "Mhambal Voice", "news", "A house in Mhambal was hit the same night, killing two."),
]


def ingest(db: docket.Docket, tmp_path: Path) -> dict[str, int]:
    ids = {}
    for key, source, kind, text in DOCS:
        path = tmp_path / f"{key}.json"
        path.write_text(
            json.dumps(
                {
                    "text": text,
                    "source": source,
                    "source_kind": kind,
                    "url": f"https://example.org/{key}",
                    "published": "2020-01-30",
                }
            )
        )
        [ids[key]] = db.ingest([path]).stored
    return ids


def claim(doc: int, town: str, day: str, killed: int | None, **extra: object) -> Claim:
    lat, lon = TOWNS[town]
    return Claim(
        document_id=doc,
        event_type=str(extra.get("event_type", "air_drone_strike")),
        date=dt.date.fromisoformat(day),
        place=ResolvedPlace(
            name=town, lat=lat, lon=lon, precision=LocationPrecision.settlement, admin1="Idlib"
        ),
        admin1="Idlib",
        country="SY",
        perpetrators=[ActorRef(actor_id=a, name=a) for a in extra.get("perps", ["ru"])],  # type: ignore[union-attr]
        targets=[TargetRef(category=str(extra.get("target", "hospital")))],
        casualties=Casualties(
            killed=CasualtyCount(civilians=Range(low=killed, high=killed)),
        ),
        quote=extra.get("quote"),  # type: ignore[arg-type]
    )


def add_claims(db: docket.Docket, claims: list[Claim]) -> list[int]:
    with db.store.write() as conn:
        return insert_claims(conn, claims, "tester")


def setup_store(db: docket.Docket, tmp_path: Path) -> tuple[dict[str, int], list[int]]:
    d = ingest(db, tmp_path)
    ids = add_claims(
        db,
        [
            claim(d["wire"], "Ariha", "2020-01-29", 10),
            claim(d["copy"], "Ariha", "2020-01-29", 10),
            claim(d["ngo"], "Ariha", "2020-01-29", 12),
            claim(d["monitor"], "Ariha", "2020-01-29", 11, quote="Ariha: 00:20, hospital hit"),
            claim(d["monitor"], "Sarmin", "2020-01-29", None, target="school"),
            claim(d["local"], "Mhambal", "2020-01-29", 2, target="residential"),
        ],
    )
    return d, ids


def by_place(db: docket.Docket) -> dict[str, docket.domain.Incident]:
    return {i.place.name: i for i in db.incidents(limit=None) if i.place}


def test_link_builds_reconciled_incidents(db: docket.Docket, tmp_path: Path) -> None:
    d, ids = setup_store(db, tmp_path)
    report = db.link()
    assert (report.claims, report.new_incidents) == (6, 3)
    found = by_place(db)
    ariha = found["Ariha"]
    assert ariha.claim_ids == ids[:4]
    assert (ariha.killed.low, ariha.killed_best, ariha.killed.high) == (10, 11, 12)
    assert (ariha.civilians_killed.low, ariha.civilians_killed.high) == (10, 12)
    assert [(f.source, f.killed.low) for f in ariha.source_figures] == [
        ("Levant Wire", 10),
        ("Gulf Daily", 10),
        ("Medical Relief", 12),
        ("Civilian Monitor", 11),
    ]
    assert ariha.disagreements == []
    # four documents, but the Gulf Daily text is a copy of the wire story: three independent
    assert ariha.grade == "confirmed"
    assert ariha.grade_reasons[1] == "4 sources, 3 independent, 2 credible (monitor, news, ngo)"
    assert ariha.grade_reasons[2] == "copies of one story count once: Levant Wire, Gulf Daily"
    assert found["Mhambal"].claim_ids == [ids[5]]
    assert found["Mhambal"].grade == "weak"
    view = db.incident(ariha.id)
    assert [c["url"] for c in view.as_dict()["claims"]][0] == "https://example.org/wire"
    assert all(lk["probability"] >= 0.9 for lk in view.links if lk["joined"])
    assert len([lk for lk in view.links if lk["joined"]]) == 3


GRADED_REPORTS = {
    "news": (
        "news",
        "Shelling hit the vegetable market in Sarmin on Tuesday, killing three civilians.",
    ),
    "count": ("monitor", "Rockets struck homes in Binnish on Friday, killing two civilians."),
    "name": (
        "monitor",
        "An air strike hit a bakery in Ariha on Sunday. The nurse Salma Haddad was killed.",
    ),
}
ONE_MONITOR = "1 source, 1 independent, 1 credible (monitor)"


def test_a_named_victim_corroborates_and_civilians_do_not(
    db: docket.Docket, tmp_path: Path
) -> None:
    doc_ids = {}
    for key, (kind, text) in GRADED_REPORTS.items():
        path = tmp_path / f"{key}.json"
        report = {"text": text, "source": f"{key} desk", "source_kind": kind}
        path.write_text(json.dumps({**report, "published": "2020-02-10"}))
        [doc_ids[key]] = db.ingest([path]).stored
    db.extract(processes=1)
    db.link()
    graded = {}
    for key, doc in doc_ids.items():
        [claim] = db.claims(document_id=doc)
        incident = db.incident(claim.incident_id or 0).incident
        graded[key] = (claim.named_victims, incident.grade, incident.grade_reasons)
    assert graded == {
        "news": ([], "weak", ["a single source", "1 source, 1 independent, 0 credible (news)"]),
        "count": ([], "weak", ["a single source", ONE_MONITOR]),
        "name": (
            ["Salma Haddad"],
            "fair",
            ["one credible source with corroboration", ONE_MONITOR, "victims named"],
        ),
    }


def test_link_run_is_audited_in_verifiable_batches(db: docket.Docket, tmp_path: Path) -> None:
    setup_store(db, tmp_path)
    db.link()
    with db.store.read() as conn:
        entries = conn.execute(
            sa.select(audit_log).where(audit_log.c.reason.like("docket link run %"))
        ).all()
        stored = {i.id: i for i in list_incidents(conn, limit=None)}
        data = dict(conn.execute(sa.select(incidents.c.id, incidents.c.data)).all())
        assert verify_chain(conn) == []
    assert [(e.action, e.record_type) for e in entries] == [
        ("create", "incident"),
        ("link", "claim"),
    ]
    created, linked = entries
    first, last = batch_range(created.record_id)
    assert (first, last) == (min(stored), max(stored))
    texts = [(i, text_digest(canonical_json(data[i]))) for i in sorted(stored)]
    assert created.after_digest == digest(batch_summary(texts, version=BATCH_FORMAT))
    claims = sorted((c, link_digest(i)) for i in stored for c in stored[i].claim_ids)
    assert linked.after_digest == digest(batch_summary(claims, version=BATCH_FORMAT))
    assert created.before_digest == linked.before_digest == BATCH_MARKER
    assert linked.record_id == f"{claims[0][0]}..{claims[-1][0]}"
    assert db.verify().problems == []


def test_forked_workers_assess_as_one_process_does(
    db: docket.Docket, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_store(db, tmp_path)
    db.link()
    alone = [i.model_dump(exclude={"id"}) for i in db.incidents(limit=None)]
    alone_links = stored_links(db)
    monkeypatch.setattr(link_ops, "_PARALLEL_MIN", 1)  # fork workers even for three incidents
    monkeypatch.setattr(link_ops, "_FRAME_PARALLEL_MIN", 1)  # and for the frame of six claims
    monkeypatch.setattr(link_ops, "_workers", lambda: 2)
    report = db.link(rebuild=True)  # incidents written as the workers send them, one by one
    assert report.new_incidents == 3
    assert [i.model_dump(exclude={"id"}) for i in db.incidents(limit=None)] == alone
    assert stored_links(db) == alone_links
    assert db.verify().problems == []


def test_forked_map_gives_every_result_in_task_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers share the tasks; the results come back in task order."""
    if not link_ops._can_fork(2):
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(link_ops, "_workers", lambda: 3)
    results = link_ops._fork_map(10, lambda state, task: (task, state * task), list(range(40)))
    assert results == [(task, 10 * task) for task in range(40)]
    assert link_ops._FORKED is None


def stored_links(db: docket.Docket) -> list[tuple[int, int, float, bool]]:
    c = link_scores.c
    query = sa.select(c.claim_a, c.claim_b, c.probability, c.joined).order_by(c.claim_a, c.claim_b)
    with db.store.read() as conn:
        return [tuple(r) for r in conn.execute(query)]


def test_relinking_adds_new_claims_and_keeps_the_rest(db: docket.Docket, tmp_path: Path) -> None:
    d, ids = setup_store(db, tmp_path)
    db.link()
    before = {i.id: i.claim_ids for i in db.incidents(limit=None)}
    again = db.link()
    assert (again.new_incidents, again.updated_incidents) == (0, 0)
    [late] = add_claims(db, [claim(d["local"], "Ariha", "2020-01-30", 14)])
    report = db.link()
    assert (report.new_incidents, report.updated_incidents) == (0, 1)
    ariha = by_place(db)["Ariha"]
    assert ariha.claim_ids == [*ids[:4], late]
    assert ariha.killed.high == 14
    assert ariha.id in before and set(before) == {i.id for i in db.incidents(limit=None)}


def test_reviews_survive_relinking(db: docket.Docket, tmp_path: Path) -> None:
    d, ids = setup_store(db, tmp_path)
    db.link()
    ariha = by_place(db)["Ariha"]
    [kept] = db.review("reject", ariha.id, claim_ids=[ids[2]], reason="a different hospital")
    assert kept.reviewed and kept.claim_ids == [ids[0], ids[1], ids[3]]
    db.review("grade", ariha.id, grade_value="fair", reason="the monitor retracted its figure")
    report = db.link(rebuild=True)
    assert report.new_incidents == 3  # Sarmin, Mhambal and the rejected claim on its own
    found = db.incident(ariha.id).incident
    assert found.claim_ids == [ids[0], ids[1], ids[3]]
    assert found.grade == "fair"
    assert found.grade_reasons[0] == "set by tester: the monitor retracted its figure"
    alone = [i for i in db.incidents(limit=None) if ids[2] in i.claim_ids]
    assert alone[0].claim_ids == [ids[2]]
    reviews = db.incident(ariha.id).reviews
    assert [(r["action"], r["actor"], r["reason"]) for r in reviews] == [
        ("reject", "tester", "a different hospital"),
        ("grade", "tester", "the monitor retracted its figure"),
    ]


def test_split_and_merge(db: docket.Docket, tmp_path: Path) -> None:
    d, ids = setup_store(db, tmp_path)
    db.link()
    ariha = by_place(db)["Ariha"]
    first, second = db.review("split", ariha.id, claim_ids=[ids[3]], reason="two strikes")
    assert (first.claim_ids, second.claim_ids) == ([ids[0], ids[1], ids[2]], [ids[3]])
    [merged] = db.review("merge", first.id, other_ids=[second.id], reason="one strike after all")
    assert merged.claim_ids == ids[:4]
    assert second.id not in {i.id for i in db.incidents(limit=None)}
    db.link()
    assert by_place(db)["Ariha"].claim_ids == ids[:4]


def test_a_rejected_claim_leaves_its_incident(db: docket.Docket, tmp_path: Path) -> None:
    d, ids = setup_store(db, tmp_path)
    db.link()
    ariha = by_place(db)["Ariha"]
    alice = docket.Docket(db.store, actor="web:alice")
    rejected = alice.review_claim(ids[2], "rejected", "the monitor counted another hospital")
    found = db.incident(ariha.id).incident
    assert (rejected.review_status.value, rejected.incident_id) == ("rejected", None)
    assert (found.claim_ids, found.reviewed) == ([ids[0], ids[1], ids[3]], False)
    assert [f.claim_id for f in found.source_figures] == [ids[0], ids[1], ids[3]]
    # rejected as untrue, not as another event's: accepted again, the next run links it back
    alice.review_claim(ids[2], "accepted", "the monitor's correction was withdrawn")
    db.link()
    assert db.claim(ids[2]).incident_id == ariha.id
    assert db.verify().ok


def test_a_review_never_leaves_an_incident_without_claims(
    db: docket.Docket, tmp_path: Path
) -> None:
    d, ids = setup_store(db, tmp_path)
    db.link()
    ariha = by_place(db)["Ariha"]
    with db.store.write() as conn:  # rejected before rejecting took claims out of incidents
        for claim_id in ids[:3]:
            set_review_status(conn, claim_id, ReviewStatus.rejected, "tester", "copied")
    with pytest.raises(InputError, match="would be left with no claims that are not rejected"):
        db.review("split", ariha.id, claim_ids=[ids[3]], reason="two strikes")
    assert db.incident(ariha.id).incident.claim_ids == ids[:4]


def test_an_incident_whose_only_claim_is_rejected_is_discounted(
    db: docket.Docket, tmp_path: Path
) -> None:
    d, ids = setup_store(db, tmp_path)
    db.link()
    sarmin = by_place(db)["Sarmin"]
    [claim_id] = sarmin.claim_ids
    docket.Docket(db.store, actor="web:bob").review_claim(claim_id, "rejected", "a drill")
    found = db.incident(sarmin.id).incident
    assert (found.claim_ids, found.grade, found.reviewed) == ([claim_id], "discounted", True)
    assert found.grade_reasons[0] == (
        f"set by web:bob: its only claim ({claim_id}) was rejected: a drill"
    )
    assert [(r["action"], r["actor"]) for r in db.incident(sarmin.id).reviews] == [
        ("grade", "web:bob")
    ]


def test_a_merged_incident_says_who_merged_it(db: docket.Docket, tmp_path: Path) -> None:
    d, ids = setup_store(db, tmp_path)
    db.link()
    ariha = by_place(db)["Ariha"]
    first, second = db.review("split", ariha.id, claim_ids=[ids[3]], reason="two strikes")
    docket.Docket(db.store, actor="web:alice").review(
        "merge", first.id, other_ids=[second.id], reason="one strike after all"
    )
    with pytest.raises(NotFoundError) as missing:
        db.review("grade", second.id, grade_value="weak", reason="one source")
    said = str(missing.value)
    assert said.startswith(f"incident {second.id} no longer exists: web:alice removed it at ")
    assert said.endswith(f" UTC (merged into incident {first.id}: one strike after all)")
    # reading it (a viewer's page) names no one: the reason is the team's
    with pytest.raises(NotFoundError, match=f"^no incident with id {second.id};"):
        db.incident(second.id)


def test_merging_an_incident_a_rejected_claim_still_points_at(
    db: docket.Docket, tmp_path: Path
) -> None:
    d, ids = setup_store(db, tmp_path)
    db.link()
    ariha, sarmin = by_place(db)["Ariha"], by_place(db)["Sarmin"]
    with db.store.write() as conn:  # rejected before rejecting took claims out of incidents
        set_review_status(conn, ids[2], ReviewStatus.rejected, "tester", "another hospital")
    db.review("accept", ariha.id, reason="checked")  # re-assessed without it
    [merged] = db.review("merge", sarmin.id, other_ids=[ariha.id], reason="one night's raid")
    assert merged.claim_ids == sorted([*sarmin.claim_ids, ids[0], ids[1], ids[3]])
    assert db.claim(ids[2]).incident_id is None


def test_perpetrator_review(db: docket.Docket, tmp_path: Path) -> None:
    setup_store(db, tmp_path)
    db.link()
    sarmin = by_place(db)["Sarmin"]
    [after] = db.review("perpetrator", sarmin.id, actor_id="sy_gov", reason="shell fragments")
    assert [p.name for p in after.perpetrators] == ["Syrian government forces"]
    db.link(rebuild=True)
    assert [p.actor_id for p in db.incident(sarmin.id).incident.perpetrators] == ["sy_gov"]


SIGHTINGS = """timestamp,aircraft,callsign,airbase,heading,area,lat,lon,observer
2020-01-29 00:05,Su-34,RF-95001,Hmeimim,east towards Ariha,Jabal al-Zawiya,,,Spotter network north
2020-01-29 09:00,Mi-8,,Hama,north,Kafr Nabl,,,Spotter network south
not a time,Su-24,,Hmeimim,east,Ariha,,,Spotter network north
2020-01-29 00:10,L-39,,,,,91.5,36.6,Spotter network south
"""


def test_logs_import_and_attribution(db: docket.Docket, tmp_path: Path) -> None:
    setup_store(db, tmp_path)
    db.link()
    log = tmp_path / "sightings.csv"
    log.write_text(SIGHTINGS)
    report = db.import_logs(log, "observer")
    assert (report.imported, report.already_imported) == (2, 0)
    assert report.problems == [
        f"{log}:4: timestamp 'not a time' is not ISO 8601 (YYYY-MM-DD HH:MM)",
        f"{log}:5: lat 91.5 is outside -90..90",
    ]
    assert db.import_logs(log, "observer").already_imported == 2
    db.attribute()
    ariha = by_place(db)["Ariha"]
    [match] = ariha.details["logs"]
    assert (match["minutes_apart"], match["day_only"], match["actor_id"]) == (-15, False, "ru")
    assert match["summary"].endswith(
        "15 min before the attack, names Ariha -> Russian forces "
        "(Russian fixed-wing aircraft operate from Hmeimim)"
    )
    assert ariha.details["log_attribution"][0]["actor"] == "Russian forces"
    # a review reads only the observations of its claims' days, and keeps the match (by day
    # now: the claim rejected gave the time of attack)
    [after] = db.review("reject", ariha.id, claim_ids=ariha.claim_ids[-1:], reason="elsewhere")
    assert [(m["day_only"], m["actor_id"]) for m in after.details["logs"]] == [(True, "ru")]
    mhambal = by_place(db)["Mhambal"]
    assert mhambal.details["logs"] == []


def test_rebuild_and_merge_keep_other_stages_references(db: docket.Docket, tmp_path: Path) -> None:
    import sqlalchemy as sa

    from docket.law.tables import replies

    setup_store(db, tmp_path)
    db.link()
    found = by_place(db)
    ariha, sarmin = found["Ariha"], found["Sarmin"]
    stamp = dt.datetime(2020, 3, 1)
    with db.store.write() as conn:
        conn.execute(
            sa.insert(replies),
            {"incident_id": sarmin.id, "party": "Ministry of Defence", "sent_on": stamp.date(),
             "inquiry": "Did your forces strike the school?", "status": "sent",
             "created_by": "tester", "created_at": stamp, "updated_at": stamp},
        )  # fmt: skip
    db.link(rebuild=True)
    after = by_place(db)
    assert after["Sarmin"].id == sarmin.id  # a reply points at it: kept, not rebuilt
    assert after["Ariha"].id != ariha.id  # unreviewed and unreferenced: rebuilt
    ariha = after["Ariha"]
    db.review("merge", ariha.id, other_ids=[sarmin.id], reason="test merge")
    with db.store.read() as conn:
        assert conn.execute(sa.select(replies.c.incident_id)).scalar() == ariha.id


@pytest.mark.parametrize("chunk", [5000, 1])  # claims looked up by id, or all ids scanned
def test_a_claim_deleted_while_linking_stops_the_write(
    db: docket.Docket, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(link_ops, "_CHUNK", chunk)
    _, ids = setup_store(db, tmp_path)

    def delete_one_claim(step: str) -> None:
        if step == "writing":  # another user removes a claim the run has read
            with db.store.write() as conn:
                conn.execute(sa.delete(claims_table).where(claims_table.c.id == ids[2]))

    with pytest.raises(NotFoundError, match=rf"1 claims were deleted while linking \({ids[2]}\)"):
        db.link(on_step=delete_one_claim)
    with db.store.write() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(incidents)).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(link_scores)).scalar() == 0
        if conn.dialect.name == "sqlite":  # references are checked again for the next writer
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    report = db.link()
    assert (report.claims, report.new_incidents) == (5, 3)
