"""Findings and headline numbers against the hand-counted samples (tests/findings_samples.py)."""

from __future__ import annotations

import datetime as dt
import json

from docket.domain import Range
from docket.report.headline import headline, months_phrase, number
from docket.report.scope import Scope, load_polygon
from findings_samples import store_samples


def test_findings_totals_and_ranges(db) -> None:
    ids = store_samples(db)
    found = db.findings()
    assert found.total.count == 12
    assert found.total.killed == Range(low=66, high=82)
    assert found.civilians_killed == Range(low=65, high=81)
    assert found.total.injured == Range(low=62, high=72)
    assert [(f.key, f.count) for f in found.by_month] == [
        ("2019-05", 2), ("2019-07", 1), ("2019-11", 1),
        ("2020-01", 2), ("2020-02", 5), ("2020-03", 1),
    ]  # fmt: skip
    assert [(f.key, f.count) for f in found.by_perpetrator] == [
        ("Syrian government forces", 6), ("Russian forces", 5), ("Unidentified", 1),
    ]  # fmt: skip
    assert [(f.key, f.count) for f in found.by_area] == [("Idlib", 9), ("Aleppo", 2), ("Hama", 1)]
    assert next(f for f in found.by_target if f.key == "hospital").incident_ids == [
        ids[0], ids[1], ids[4],
    ]  # fmt: skip


def test_findings_facility_impact_counts_distinct_facilities(db) -> None:
    ids = store_samples(db)
    impact = [(f.status, f.type, f.count, f.incident_ids) for f in db.findings().facilities]
    assert impact == [
        ("closed", "hospital", 2, [ids[0], ids[1], ids[4]]),
        ("closed", "clinic", 1, [ids[10]]),
        ("damaged", "clinic", 1, [ids[6]]),
        ("damaged", "school", 1, [ids[11]]),
    ]


def test_findings_filters(db) -> None:
    ids = store_samples(db)

    def chosen(**kw: object) -> list[int]:
        return sorted(db.findings(Scope(**kw)).total.incident_ids)

    assert chosen(area="aleppo") == [ids[6], ids[8]]
    assert chosen(perpetrators=("ru",), targets=("hospital", "clinic")) == [
        ids[0],
        ids[1],
        ids[4],
        ids[6],
    ]
    assert chosen(weapons=("barrel bomb",)) == [ids[5], ids[7]]
    assert chosen(grades=("possible",)) == [ids[6], ids[9]]
    assert chosen(grades=("possible", "probable")) == [ids[1], ids[3], ids[6], ids[9], ids[10]]
    assert chosen(since=dt.date(2020, 2, 1), until=dt.date(2020, 2, 29)) == [
        ids[3], ids[5], ids[6], ids[7], ids[8],
    ]  # fmt: skip


def test_findings_polygon_area(db, tmp_path) -> None:
    ids = store_samples(db)
    # A box around Aleppo's western countryside (Atarib, Darat Izza).
    box = {
        "type": "Polygon",
        "coordinates": [[[36.7, 36.1], [36.9, 36.1], [36.9, 36.3], [36.7, 36.3], [36.7, 36.1]]],
    }
    path = tmp_path / "box.geojson"
    path.write_text(
        json.dumps({"type": "Feature", "geometry": box, "properties": {}}), encoding="utf-8"
    )
    scope = Scope(polygon=load_polygon(path))
    assert sorted(db.findings(scope).total.incident_ids) == [ids[6], ids[8]]


def test_findings_compare_periods(db) -> None:
    ids = store_samples(db)
    comparison = db.compare(dt.date(2020, 3, 5))
    assert comparison.before.total.count == 11
    assert comparison.after.total.incident_ids == [ids[11]]
    assert comparison.before.total.killed == Range(low=66, high=82)


def test_headline_reads_like_a_finding(db) -> None:
    store_samples(db)
    db.assess_incidents()
    found = db.findings(Scope(targets=("school", "hospital", "clinic"), until=dt.date(2020, 2, 29)))
    head = headline(found)
    assert head.sentences[0].text() == (
        "7 attacks on schools, hospitals and clinics between May 2019 and February 2020, most in"
        " May 2019 and February 2020; two hospitals and one clinic forced to close; one clinic"
        " damaged; barrel bombs used on a school in Sarmin; cluster munitions used on a school in"
        " Idlib."
    )
    assert (
        head.sentences[1].text()
        == "Sources report 18 to 24 people killed, 18 to 24 of them civilians, and 10 injured."
    )
    assert (
        head.sentences[2].text()
        == "Attributed to Russian forces (4) and Syrian government forces (3)."
    )
    assert [(n.number, n.label, len(n.incident_ids)) for n in head.notes[:3]] == [
        (1, "7 incidents in scope", 7),
        (2, "incidents in May 2019 and February 2020", 5),
        (
            3,
            "facilities closed: Kafr Nabl Surgical Hospital, Al-Shami Hospital, Kafr Zita clinic",
            4,
        ),
    ]


def test_headline_words() -> None:
    assert [number(n) for n in (1, 5, 10, 11, 1200)] == ["one", "five", "ten", "11", "1,200"]
    assert months_phrase(["2020-02", "2020-01"]) == "January and February 2020"
    assert months_phrase(["2019-12", "2020-01"]) == "December 2019 and January 2020"


def test_headline_empty_selection(db) -> None:
    assert headline(db.findings()).text() == "No incidents match this selection."


def test_headline_says_incidents_when_not_all_are_attacks(db) -> None:
    from docket.domain import Incident
    from docket.store.incidents import insert_incidents

    store_samples(db)
    protest = Incident(event_type="peaceful_protest", date_low=dt.date(2020, 2, 7))
    with db.store.write() as conn:
        insert_incidents(conn, [protest], actor="tester")
    lead = headline(db.findings()).sentences[0].text()
    assert lead.startswith("13 incidents, among them attacks on hospitals, schools, clinics")
