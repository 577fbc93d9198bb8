"""The data files under data/places agree with the packaged gazetteer built from them."""

from __future__ import annotations

import csv

import yaml

from docket.geo.gazetteer import packaged_gazetteer
from docket.vocab import data_path


def test_data_admin1_aliases_name_existing_areas() -> None:
    aliases = yaml.safe_load(data_path("places/aliases.yaml").read_text(encoding="utf-8"))
    areas = {f"{p.country}.{p.admin1_code}": p for p in packaged_gazetteer().of_feature("admin1")}
    missing = [key for key in aliases["admin1"] if key not in areas]
    assert missing == []
    for key, names in aliases["admin1"].items():
        for name in names:
            assert areas[key].id in {p.id for p in packaged_gazetteer().lookup(name)}, (key, name)


def test_data_extra_places_are_in_the_packaged_gazetteer() -> None:
    with data_path("places/extra_places.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    gaz = packaged_gazetteer()
    for row in rows:
        place = gaz.get(int(row["id"]))
        assert place is not None, row["name"]
        assert (place.name, place.lat, place.lon) == (
            row["name"],
            float(row["lat"]),
            float(row["lon"]),
        )


def test_data_second_level_areas_have_short_and_abbreviated_names() -> None:
    gaz = packaged_gazetteer()
    found = {
        name: [(p.name, p.feature, p.admin1) for p in gaz.lookup(name)]
        for name in ("Avoyelles", "Avoyelles Par.", "Loudon Co.")
    }
    assert found == {
        "Avoyelles": [("Avoyelles Parish", "admin2", "Louisiana")],
        "Avoyelles Par.": [("Avoyelles Parish", "admin2", "Louisiana")],
        "Loudon Co.": [("Loudon County", "admin2", "Tennessee")],
    }


def test_data_regions_are_in_the_packaged_gazetteer() -> None:
    with data_path("places/regions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len({row["id"] for row in rows}) == len(rows)
    gaz = packaged_gazetteer()
    for row in rows:
        place = gaz.get(int(row["id"]))
        assert place is not None, row["name"]
        assert (
            place.name,
            place.feature,
            place.lat,
            place.lon,
            place.country,
            place.admin1_code,
        ) == (
            row["name"],
            "region",
            float(row["lat"]),
            float(row["lon"]),
            row["country"],
            row["admin1_code"],
        )
    ghouta = gaz.lookup("East Ghouta")
    assert [(p.name, p.admin1) for p in ghouta] == [("Eastern Ghouta", "Rif-dimashq")]
