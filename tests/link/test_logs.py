"""Observer and radio logs: reading CSV, operator rules, joining by time window and place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from docket.domain import Incident, LocationPrecision, ResolvedPlace
from docket.errors import InputError
from docket.link.logs import Observation, match_observations, read_log, suggest_operator

ARIHA = ResolvedPlace(
    name="Ariha", lat=35.8126, lon=36.6108, precision=LocationPrecision.settlement
)


def sighting(at: str, aircraft: str = "Su-34", **extra: object) -> Observation:
    return Observation(
        kind="observer", observed_at=dt.datetime.fromisoformat(at), aircraft=aircraft, **extra
    )  # type: ignore[arg-type]


def incident(day: str = "2020-01-29", event_type: str = "air_drone_strike") -> Incident:
    return Incident(
        date_low=dt.date.fromisoformat(day),
        date_high=dt.date.fromisoformat(day),
        place=ARIHA,
        event_type=event_type,
    )


def test_operator_rules_prefer_the_most_specific() -> None:
    assert suggest_operator(sighting("2020-01-29 00:05", "Su 34", airbase="Hmeimim")) == {
        "actor_id": "ru",
        "actor": "Russian forces",
        "rule": "Russian fixed-wing aircraft operate from Hmeimim",
    }
    assert suggest_operator(sighting("2020-01-29 00:05", "Mi-17"))["actor_id"] == "sy_gov"  # type: ignore[index]
    assert (
        suggest_operator(sighting("2020-01-29 00:05", "L-39", airbase="Hama"))["actor_id"]
        == "sy_gov"
    )  # type: ignore[index]
    assert suggest_operator(sighting("2020-01-29 00:05", "Cessna")) is None


def test_time_window_and_distance() -> None:
    logs = [
        sighting("2020-01-29 00:05", airbase="Hmeimim", heading="east towards Ariha"),
        sighting("2020-01-29 01:30", airbase="Hmeimim", area="Ariha"),
        sighting("2020-01-29 00:10", lat=36.5, lon=37.5),  # 110 km away
    ]
    found = match_observations(incident(), logs, at=dt.time(0, 20), window_minutes=30)
    assert [(m["minutes_apart"], m["day_only"], m["actor_id"]) for m in found] == [
        (-15, False, "ru")
    ]
    assert found[0]["summary"] == (
        "observer sighting 2020-01-29 00:05 (unknown observer): Su-34 from Hmeimim heading east "
        "towards Ariha; 15 min before the attack, names Ariha -> Russian forces "
        "(Russian fixed-wing aircraft operate from Hmeimim)"
    )
    wider = match_observations(incident(), logs, at=dt.time(0, 20), window_minutes=90)
    assert len(wider) == 2


@pytest.mark.parametrize(
    ("heading", "told"),
    [
        ("east towards Ariha", "Su-34 heading east towards Ariha over Ariha"),
        ("South-East", "Su-34 heading South-East over Ariha"),
        ("towards Sarmin", "Su-34 heading towards Sarmin over Ariha"),
        ("circling", "Su-34 circling over Ariha"),
        ("orbiting low", "Su-34 orbiting low over Ariha"),
    ],
)
def test_a_sighting_tells_a_direction_as_a_heading_and_other_movements_as_written(
    heading: str, told: str
) -> None:
    described = sighting("2020-01-29 00:05", area="Ariha", heading=heading).describe()
    assert described == f"observer sighting 2020-01-29 00:05 (unknown observer): {told}"


def test_day_only_matches_say_so() -> None:
    logs = [sighting("2020-01-29 13:00", area="Ariha"), sighting("2020-01-30 00:05", area="Ariha")]
    [found] = match_observations(incident(), logs)
    assert found["day_only"] and found["minutes_apart"] is None
    assert "only the day is matched" in found["summary"]


def test_ground_attacks_take_no_aircraft_logs() -> None:
    logs = [sighting("2020-01-29 13:00", area="Ariha")]
    assert match_observations(incident(event_type="armed_clash"), logs) == []


def test_read_log_reports_bad_rows_by_line(tmp_path: Path) -> None:
    path = tmp_path / "radio.csv"
    path.write_text(
        "timestamp,station,summary,area\n"
        "2020-01-29T00:11:00Z,Relay north,Hmeimim control clears two aircraft,Ariha\n"
        "2020-01-29 00:15,Relay north,,Ariha\n"
        "\n"
        "yesterday,Relay north,helicopter heard,Sarmin\n"
    )
    parsed = read_log(path, "radio")
    assert [(o.observed_at, o.observer, o.area) for o in parsed.observations] == [
        (dt.datetime(2020, 1, 29, 0, 11), "Relay north", "Ariha")
    ]
    assert [str(p) for p in parsed.problems] == [
        f"{path}:3: empty summary",
        f"{path}:5: timestamp 'yesterday' is not ISO 8601 (YYYY-MM-DD HH:MM)",
    ]


def test_read_log_needs_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "observer.csv"
    path.write_text("when,what\n2020-01-01,Su-24\n")
    with pytest.raises(InputError, match="observer.csv:1: missing column"):
        read_log(path, "observer")
    with pytest.raises(InputError, match="log kind 'satellite'"):
        read_log(path, "satellite")


def test_read_log_refuses_binary_and_non_utf8_files_in_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "radio.csv"
    binary.write_bytes(b"timestamp,station\n\x00\x01\x02")
    with pytest.raises(InputError) as info:
        read_log(binary, "radio")
    assert (
        str(info.value) == f"{binary}: binary data (NUL bytes), not text; is the extension right?"
    )
    latin = tmp_path / "observer.csv"
    latin.write_bytes(
        "timestamp,observer,summary\n2020-01-29 10:00,Tal\u00e9,jet\n".encode("latin-1")
    )
    with pytest.raises(
        InputError, match=r"observer.csv: not valid utf-8 \(byte 0xe9 at offset 47\)"
    ):
        read_log(latin, "observer")


def test_read_log_keeps_a_quoted_note_over_several_lines(tmp_path: Path) -> None:
    path = tmp_path / "radio.csv"
    path.write_text(
        "timestamp,station,summary,area\n"
        '2020-01-29 00:11,Relay north,"Two jets called in;\nthen silence",Ariha\n'
        "2020-01-29 00:15,Relay north,helicopter heard,Sarmin\n"
        "2020-01-29 00:20,Relay north,,Sarmin\n"
    )
    parsed = read_log(path, "radio")
    assert [(o.summary, o.area, o.line) for o in parsed.observations] == [
        ("Two jets called in;\nthen silence", "Ariha", 2),
        ("helicopter heard", "Sarmin", 4),
    ]
    assert [str(p) for p in parsed.problems] == [f"{path}:5: empty summary"]


def test_read_log_reads_on_after_broken_quoting(tmp_path: Path) -> None:
    # the rows after a broken one are read as CSV again (they were split line by line, so a
    # later quoted note over two lines became two rows), and each broken row says what is wrong
    path = tmp_path / "radio.csv"
    path.write_text(
        "timestamp,station,summary,area\n"
        '2020-01-29 00:11,Relay north,"jets" heard,Ariha\n'
        '2020-01-29 00:15,Relay north,"helicopter heard,Sarmin\n'
        "2020-01-29 00:20,Relay north,drone overhead,Sarmin\n"
        '2020-01-29 00:25,Relay north,"blast;\nthen sirens",Sarmin\n'
        "2020-01-29 00:30,Relay north,jets heard,Ariha\n"
        '2020-01-29 00:35,Relay north,"shelling heard,Sarmin\n'
    )
    parsed = read_log(path, "radio")
    assert [(o.summary, o.line) for o in parsed.observations] == [
        ("drone overhead", 4),
        ("blast;\nthen sirens", 5),
        ("jets heard", 7),
    ]
    assert [str(p) for p in parsed.problems] == [
        *(
            f"{path}:{line}: a quote opened here closes further on with text after it (a quote "
            "never closed, or one inside an unquoted value)"
            for line in (2, 3)
        ),
        f"{path}:8: a quote opened here is never closed",
    ]
