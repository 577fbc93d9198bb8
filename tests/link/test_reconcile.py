"""Reconciling one incident's claims: dates, place, casualties low / best / high, disagreements."""

from __future__ import annotations

import datetime as dt

from docket.domain import (
    ActorRef,
    Attribution,
    Casualties,
    CasualtyCount,
    Claim,
    DatePrecision,
    LocationPrecision,
    Range,
    ResolvedPlace,
)
from docket.link.reconcile import SourceInfo, format_range, reconcile, reconcile_range

INFOS = {
    1: SourceInfo(1, "Levant Wire", "news"),
    2: SourceInfo(2, "Medical Relief", "ngo"),
    3: SourceInfo(3, "Civilian Monitor", "monitor"),
}


def claim(cid: int, doc: int, day: str, killed: Range, **extra: object) -> Claim:
    return Claim(
        id=cid,
        document_id=doc,
        event_type="air_drone_strike",
        date=dt.date.fromisoformat(day),
        date_precision=extra.get("precision", DatePrecision.day),
        place=extra.get("place"),
        perpetrators=extra.get("perps", []),
        casualties=Casualties(
            killed=CasualtyCount(civilians=killed, combatants=extra.get("combatants", Range()))
        ),
    )


def test_reconcile_range_low_best_high() -> None:
    figures = [(Range(low=10), 2), (Range(low=12, high=12), 4), (Range(low=9, high=14), 3)]
    assert reconcile_range(figures) == (Range(low=9, high=14), 12)
    assert reconcile_range([(Range(), 4)]) == (Range(), None)
    # an open "at least 10" contributes 10, and is less specific than a point figure of equal rank
    assert reconcile_range([(Range(low=10), 3), (Range(low=8, high=8), 3)]) == (
        Range(low=8, high=10),
        8,
    )


def test_format_range() -> None:
    assert format_range(Range(low=7, high=25), 9) == "7-25 (best 9)"
    assert format_range(Range(low=12)) == "at least 12"
    assert format_range(Range(high=14)) == "up to 14"
    assert format_range(Range()) == "—"


def test_reconcile_keeps_every_source_figure_and_lists_disagreements() -> None:
    town = ResolvedPlace(name="Ariha", precision=LocationPrecision.settlement, lat=35.8, lon=36.6)
    site = ResolvedPlace(
        name="al-Shami hospital", precision=LocationPrecision.site, lat=35.81, lon=36.61
    )
    ru = ActorRef(actor_id="ru", name="Russian forces")
    sy = ActorRef(
        actor_id="sy_gov", name="Syrian government forces", attribution=Attribution.stated
    )
    incident = reconcile(
        [
            claim(1, 1, "2020-01-29", Range(low=7, high=7), place=town, perps=[ru]),
            claim(2, 2, "2020-01-30", Range(low=25, high=25), place=site, perps=[sy]),
            claim(3, 3, "2020-01-29", Range(low=9, high=9), place=town),
        ],
        INFOS,
    )
    assert (incident.date_low, incident.date_high) == (dt.date(2020, 1, 29), dt.date(2020, 1, 30))
    assert incident.place == site
    assert (incident.killed.low, incident.killed_best, incident.killed.high) == (7, 9, 25)
    assert [(f.source, f.killed.low) for f in incident.source_figures] == [
        ("Levant Wire", 7),
        ("Medical Relief", 25),
        ("Civilian Monitor", 9),
    ]
    assert incident.disagreements == [
        "date: 2020-01-29 (Levant Wire); 2020-01-30 (Medical Relief); 2020-01-29 (Civilian Monitor)",
        "killed: 7 (Levant Wire); 25 (Medical Relief); 9 (Civilian Monitor)",
        "perpetrator: Russian forces (Levant Wire); Syrian government forces (Medical Relief)",
    ]
    assert [p.actor_id for p in incident.perpetrators] == ["ru", "sy_gov"]


def test_reconcile_month_dates_narrow_to_their_overlap() -> None:
    incident = reconcile(
        [
            claim(1, 1, "2019-05-01", Range(), precision=DatePrecision.month),
            claim(2, 2, "2019-05-05", Range(), precision=DatePrecision.week),
        ],
        INFOS,
    )
    assert (incident.date_low, incident.date_high) == (dt.date(2019, 5, 1), dt.date(2019, 5, 9))


def test_combatant_figures_are_kept_apart() -> None:
    incident = reconcile(
        [claim(1, 1, "2020-01-29", Range(low=3, high=3), combatants=Range(low=2, high=2))], INFOS
    )
    assert (incident.civilians_killed.low, incident.killed.low) == (3, 5)
    assert incident.details["combatants_killed"] == {"low": 2, "high": 2}
