"""Hand-counted incidents for the law and report tests (invented, in the style of Idlib 2019-20).

Counts a test may rely on (12 incidents):
- hospitals/clinics: #1, #2 (same hospital, same day), #5, #7, #11 -> 5 incidents on medical units
- schools: #4 (cluster munitions, Idlib city), #6 (barrel bomb, Sarmin), #12 (after 2020-03-05)
- markets/residential: #3 (market), #8 (residential, barrel bomb), #9 (market, open-ended count)
- #10: artillery on a factory, no perpetrator (matches no rule)
- admin1: Idlib #1-6, #8, #10, #12; Aleppo #7, #9; Hama #11
- killed (low/high): #1 2/3, #2 1/1, #3 31/39, #4 5/9, #5 10/11, #8 4/6, #9 12/None, #10 1/1
  -> sum of lows 66; sum of highs open (None) because #9 is open-ended
- facilities: closed #1/#2 (Kafr Nabl Surgical Hospital), #5 (Al-Shami Hospital), #11 (Kafr Zita
  clinic); damaged #7 (Darat Izza clinic), #12 (school); deconflicted: #1, #2, #5
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docket.domain import ActorRef, Incident, Range, ResolvedPlace, SourceFigure, TargetRef

RU = {"actor_id": "ru", "name": "Russian forces"}
SY = {"actor_id": "sy_gov", "name": "Syrian government forces"}


def _incident(
    day: str,
    place: tuple[str, float | None, float | None, str, str],
    *,
    perps: list[dict[str, str]] = (),  # type: ignore[assignment]
    suspected: bool = False,
    weapons: list[str],
    targets: list[tuple[str, str | None]],
    killed: tuple[int | None, int | None] = (None, None),
    civilians: tuple[int | None, int | None] = (None, None),
    injured: tuple[int | None, int | None] = (None, None),
    grade: str = "confirmed",
    facility: dict[str, Any] | None = None,
    sources: tuple[str, ...] = ("Monitor A", "Wire B"),
    event_type: str = "air_drone_strike",
) -> Incident:
    name, lat, lon, precision, admin1 = place
    date = dt.date.fromisoformat(day)
    return Incident(
        event_type=event_type,
        date_low=date,
        date_high=date,
        place=ResolvedPlace(
            name=name, lat=lat, lon=lon, precision=precision, admin1=admin1, country="SY"
        ),
        perpetrators=[
            ActorRef(**p, attribution="suspected" if suspected else "stated") for p in perps
        ],
        weapons=weapons,
        targets=[TargetRef(category=c, name=n) for c, n in targets],
        killed=Range(low=killed[0], high=killed[1]),
        killed_best=killed[0],
        civilians_killed=Range(low=civilians[0], high=civilians[1]),
        injured=Range(low=injured[0], high=injured[1]),
        grade=grade,
        claim_ids=[],
        source_figures=[
            SourceFigure(claim_id=k + 1, source=s, killed=Range(low=killed[0], high=killed[1]))
            for k, s in enumerate(sources)
        ],
        details={"facility": facility} if facility else {},
    )


KAFR_NABL = ("Kafr Nabl", 35.6133, 36.5611, "site", "Idlib")


def sample_incidents() -> list[Incident]:
    hospital = {"name": "Kafr Nabl Surgical Hospital", "type": "hospital", "deconflicted": True}
    return [
        _incident(  # 1
            "2019-05-14",
            KAFR_NABL,
            perps=[RU],
            weapons=["aircraft"],
            targets=[("hospital", "Kafr Nabl Surgical Hospital")],
            killed=(2, 3),
            civilians=(2, 3),
            injured=(5, 5),
            facility={**hospital, "status": [{"date": "2019-05-14", "status": "closed"}]},
        ),
        _incident(  # 2: second strike on the same hospital the same day
            "2019-05-14",
            KAFR_NABL,
            perps=[RU],
            weapons=["aircraft"],
            targets=[("hospital", "Kafr Nabl Surgical Hospital")],
            killed=(1, 1),
            civilians=(1, 1),
            grade="probable",
            facility={**hospital, "status": "closed"},
        ),
        _incident(  # 3
            "2019-07-22",
            ("Maarat al-Numan", 35.6476, 36.6743, "settlement", "Idlib"),
            perps=[SY],
            weapons=["aircraft"],
            targets=[("market", None)],
            killed=(31, 39),
            civilians=(31, 39),
            injured=(50, 60),
        ),
        _incident(  # 4
            "2020-02-25",
            ("Idlib", 35.9306, 36.6339, "site", "Idlib"),
            perps=[SY],
            weapons=["cluster munition"],
            targets=[("school", None)],
            killed=(5, 9),
            civilians=(5, 9),
            grade="probable",
        ),
        _incident(  # 5
            "2020-01-30",
            ("Ariha", 35.8137, 36.6098, "site", "Idlib"),
            perps=[RU],
            weapons=["aircraft"],
            targets=[("hospital", "Al-Shami Hospital")],
            killed=(10, 11),
            civilians=(10, 11),
            facility={
                "name": "Al-Shami Hospital",
                "type": "hospital",
                "status": "closed",
                "deconflicted": True,
            },
        ),
        _incident(  # 6
            "2020-02-04",
            ("Sarmin", 35.9030, 36.7256, "settlement", "Idlib"),
            perps=[SY],
            weapons=["barrel bomb"],
            targets=[("school", None)],
            injured=(3, 3),
            event_type="air_drone_strike",
        ),
        _incident(  # 7
            "2020-02-17",
            ("Darat Izza", 36.2803, 36.8511, "settlement", "Aleppo"),
            perps=[RU],
            suspected=True,
            weapons=["aircraft"],
            targets=[("clinic", "Darat Izza clinic")],
            injured=(2, 2),
            grade="possible",
            sources=("Monitor A",),
            facility={"name": "Darat Izza clinic", "type": "clinic", "status": "damaged"},
        ),
        _incident(  # 8
            "2020-02-10",
            ("Idlib", 35.9306, 36.6339, "settlement", "Idlib"),
            perps=[SY],
            weapons=["barrel bomb"],
            targets=[("residential", None)],
            killed=(4, 6),
            civilians=(4, 6),
        ),
        _incident(  # 9
            "2020-02-11",
            ("Atarib", 36.1385, 36.8302, "settlement", "Aleppo"),
            perps=[RU],
            weapons=["missile"],
            targets=[("market", None)],
            killed=(12, None),
            civilians=(12, None),
            event_type="shelling_artillery_missile_attack",
        ),
        _incident(  # 10: matches no rule
            "2020-01-15",
            ("Idlib governorate", None, None, "admin1", "Idlib"),
            weapons=["artillery"],
            targets=[("other", "factory")],
            killed=(1, 1),
            grade="possible",
            sources=("Monitor A",),
            event_type="shelling_artillery_missile_attack",
        ),
        _incident(  # 11
            "2019-11-05",
            ("Kafr Zita", 35.3740, 36.6014, "settlement", "Hama"),
            perps=[SY],
            weapons=["artillery"],
            targets=[("clinic", "Kafr Zita clinic")],
            grade="probable",
            facility={"name": "Kafr Zita clinic", "type": "clinic", "status": "closed"},
            event_type="shelling_artillery_missile_attack",
        ),
        _incident(  # 12: after the 5 March 2020 ceasefire
            "2020-03-10",
            ("Maarat Misrin", 36.0117, 36.6747, "settlement", "Idlib"),
            perps=[SY],
            weapons=["artillery"],
            targets=[("school", "Maarat Misrin school")],
            injured=(2, 2),
            facility={"name": "Maarat Misrin school", "type": "school", "status": "damaged"},
            event_type="shelling_artillery_missile_attack",
        ),
    ]


def store_samples(db: Any) -> list[int]:
    """Insert the samples into ``db`` (a Docket); returns their ids (1..12 on a fresh store)."""
    from docket.store.incidents import insert_incidents

    with db.store.write() as conn:
        return insert_incidents(conn, sample_incidents(), actor="tester")
