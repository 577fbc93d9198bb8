from __future__ import annotations

import datetime as dt

from docket.domain import Incident, LocationPrecision, Range, ResolvedPlace
from docket.store.incidents import INCIDENT_MIRRORS, incident_to_row


def _at(data: dict, path: tuple[str, ...]) -> object:
    for key in path:
        data = data[key]
    return data


def test_every_incident_column_mirrors_its_json_path() -> None:
    incident = Incident(
        event_type="air_strike",
        date_low=dt.date(2020, 1, 29),
        date_high=dt.date(2020, 1, 29),
        place=ResolvedPlace(
            name="Ariha",
            admin1="Idlib",
            country="Syria",
            lat=35.81,
            lon=36.61,
            precision=LocationPrecision.settlement,
        ),
        killed=Range(low=10, high=12),
        killed_best=12,
        injured=Range(low=35, high=35),
        grade="confirmed",
    )
    row = incident_to_row(incident)
    data = row.pop("data")
    assert set(row) == set(INCIDENT_MIRRORS)
    stored_as_text = {"date_low", "date_high"}  # dates are ISO strings in the JSON
    for column, path in INCIDENT_MIRRORS.items():
        expected = str(row[column]) if column in stored_as_text else row[column]
        assert _at(data, path) == expected, column
