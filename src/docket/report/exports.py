"""Standard exports of incidents: ACLED-style CSV, UCDP GED-style CSV, GeoJSON, HXL CSV, JSON.

Each writer takes incidents and a text stream and returns the number of incidents written; the
column sets follow the published codebooks (ACLED 2024, UCDP GED 24.1) as far as Docket's records
carry the information, and leave the rest empty rather than guess.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from pydantic import TypeAdapter

from docket import vocab
from docket.domain import Attribution, DatePrecision, Incident
from docket.errors import InputError

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]  # fmt: skip
UCDP_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_name",
    "dyad_name", "side_a", "side_b", "number_of_sources", "source_article", "source_headline",
    "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude",
    "longitude", "geom_wkt", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low",
]  # fmt: skip
HXL_COLUMNS: list[tuple[str, str]] = [
    ("Incident ID", "#event+id"),
    ("Date", "#date+occurred"),
    ("Country", "#country+code"),
    ("Admin 1", "#adm1+name"),
    ("Location", "#loc+name"),
    ("Latitude", "#geo+lat"),
    ("Longitude", "#geo+lon"),
    ("Event type", "#event+type"),
    ("Perpetrator", "#group+perpetrator"),
    ("Weapon", "#item+weapon"),
    ("Target", "#loc+type"),
    ("Killed (low)", "#affected+killed+min"),
    ("Killed (high)", "#affected+killed+max"),
    ("Injured (low)", "#affected+injured+min"),
    ("Injured (high)", "#affected+injured+max"),
    ("Grade", "#meta+grade"),
    ("Potential violations", "#meta+legal"),
    ("Sources", "#meta+source"),
]

# ACLED interaction codes (inter1/inter2) by actor kind; civilians are 7.
ACLED_INTER = {"state": 1, "coalition": 8, "non_state": 2, "unknown": 0}
# ACLED time_precision: 1 day, 2 week, 3 month (year falls back to 3).
ACLED_TIME = {"day": 1, "week": 2, "month": 3, "year": 3}
# ACLED geo_precision: 1 town/site, 2 near or part of a region, 3 larger region.
ACLED_GEO = {"site": 1, "settlement": 1, "district": 2, "admin1": 3, "country": 3}
# UCDP where_prec: 1 exact, 2 within 25 km, 3 second-order admin, 4 first-order admin, 6 country.
UCDP_WHERE = {"site": 1, "settlement": 2, "district": 3, "admin1": 4, "country": 6}
# UCDP date_prec: 1 exact day, 2 2-6 days, 3 a week, 4 a month, 5 a year.
UCDP_DATE = {"day": 1, "week": 3, "month": 4, "year": 5}


def _perpetrators(incident: Incident) -> list[tuple[str, str]]:
    actors = vocab.actors()
    out = []
    for p in incident.perpetrators:
        term = actors.get(p.actor_id)
        out.append((p.name, str(term["kind"]) if term else "unknown"))
    return out


def _date_precision(incident: Incident) -> str:
    if incident.date_low is None:
        return "year"
    days = ((incident.date_high or incident.date_low) - incident.date_low).days
    if days == 0:
        return DatePrecision.day.value
    if days <= 7:
        return DatePrecision.week.value
    return DatePrecision.month.value if days <= 31 else DatePrecision.year.value


def _sources(incident: Incident) -> list[str]:
    return list(dict.fromkeys(f.source for f in incident.source_figures if f.source))


def _best(incident: Incident) -> int | None:
    return incident.killed_best if incident.killed_best is not None else incident.killed.low


def _event(incident: Incident) -> tuple[str, str]:
    term = vocab.event_types().get(incident.event_type or "")
    if term is None:
        return "", incident.event_type or ""
    return str(term["parent"] or ""), term.name


def _country_name(code: str | None) -> str:
    if not code:
        return ""
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return found.name if found else code


def _iso_numeric(code: str | None) -> str:
    if not code:
        return ""
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return str(int(found.numeric)) if found else ""


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _num(value: float | int | None) -> str:
    return "" if value is None else str(value)


def acled_row(incident: Incident) -> dict[str, Any]:
    parent, sub = _event(incident)
    perps = _perpetrators(incident)
    actor1, kind1 = perps[0] if perps else ("Unidentified Armed Group", "unknown")
    place = incident.place
    targets = vocab.targets()
    civilian = any(
        t.category in targets and targets[t.category]["civilian_object"] for t in incident.targets
    )
    notes = "; ".join(
        [f"{t.name or t.category}" for t in incident.targets]
        + [f"weapon: {w}" for w in incident.weapons]
        + [
            f"{p.name} (suspected)"
            for p in incident.perpetrators
            if p.attribution == Attribution.suspected
        ]
    )
    return {
        "event_id_cnty": f"{(place.country if place else None) or 'XX'}{incident.id}",
        "event_date": incident.date_low.isoformat() if incident.date_low else "",
        "year": incident.date_low.year if incident.date_low else "",
        "time_precision": ACLED_TIME[_date_precision(incident)],
        "disorder_type": "Political violence",
        "event_type": parent,
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": "; ".join(n for n, _ in perps[1:]),
        "inter1": ACLED_INTER.get(kind1, 0),
        "actor2": f"Civilians ({_country_name(place.country if place else None)})"
        if civilian
        else "",
        "assoc_actor_2": "",
        "inter2": 7 if civilian else "",
        "interaction": f"{ACLED_INTER.get(kind1, 0)}7" if civilian else "",
        "civilian_targeting": "Civilian targeting" if civilian else "",
        "iso": _iso_numeric(place.country if place else None),
        "region": "",
        "country": _country_name(place.country if place else None),
        "admin1": (place.admin1 or "") if place else "",
        "admin2": "",
        "admin3": "",
        "location": place.name if place else "",
        "latitude": _num(place.lat if place else None),
        "longitude": _num(place.lon if place else None),
        "geo_precision": ACLED_GEO.get(place.precision.value, 3) if place else 3,
        "source": "; ".join(_sources(incident)),
        "source_scale": "",
        "notes": notes,
        "fatalities": _best(incident) or 0,
        "tags": "; ".join(f.get("rule", "") for f in incident.legal_flags),
        "timestamp": "",
    }


def ucdp_row(incident: Incident) -> dict[str, Any]:
    perps = _perpetrators(incident)
    place = incident.place
    killed = incident.killed
    civilians = incident.civilians_killed
    lat = place.lat if place else None
    lon = place.lon if place else None
    side_a = perps[0][0] if perps else "Unidentified"
    return {
        "id": incident.id,
        "relid": f"DOCKET-{incident.id}",
        "year": incident.date_low.year if incident.date_low else "",
        "active_year": "",
        "code_status": "Clear" if incident.reviewed else "Check",
        "type_of_violence": 3,  # one-sided violence: attacks on civilians and protected places
        "conflict_name": "",
        "dyad_name": f"{side_a} - Civilians",
        "side_a": side_a,
        "side_b": "Civilians",
        "number_of_sources": len(_sources(incident)) or len(incident.claim_ids),
        "source_article": "; ".join(_sources(incident)),
        "source_headline": "",
        "where_prec": UCDP_WHERE.get(place.precision.value, 6) if place else 6,
        "where_coordinates": place.name if place else "",
        "where_description": (place.name + (f", {place.admin1}" if place.admin1 else ""))
        if place
        else "",
        "adm_1": (place.admin1 or "") if place else "",
        "adm_2": "",
        "latitude": _num(lat),
        "longitude": _num(lon),
        "geom_wkt": f"POINT ({lon} {lat})" if lat is not None and lon is not None else "",
        "country": _country_name(place.country if place else None),
        "country_id": "",
        "region": "",
        "event_clarity": 1 if len(incident.claim_ids) > 1 or len(_sources(incident)) > 1 else 2,
        "date_prec": UCDP_DATE[_date_precision(incident)],
        "date_start": incident.date_low.isoformat() if incident.date_low else "",
        "date_end": _iso(incident.date_high or incident.date_low),
        "deaths_a": 0,
        "deaths_b": 0,
        "deaths_civilians": _num(civilians.low) if not civilians.is_empty else 0,
        "deaths_unknown": max(0, (killed.low or 0) - (civilians.low or 0)),
        "best": _best(incident) or 0,
        "high": killed.high if killed.high is not None else (killed.low or 0),
        "low": killed.low or 0,
    }


def hxl_row(incident: Incident) -> list[Any]:
    place = incident.place
    return [
        incident.id,
        incident.date_low.isoformat() if incident.date_low else "",
        (place.country or "") if place else "",
        (place.admin1 or "") if place else "",
        place.name if place else "",
        _num(place.lat if place else None),
        _num(place.lon if place else None),
        incident.event_type or "",
        "; ".join(p.name for p in incident.perpetrators),
        "; ".join(incident.weapons),
        "; ".join(t.category for t in incident.targets),
        _num(incident.killed.low),
        _num(incident.killed.high),
        _num(incident.injured.low),
        _num(incident.injured.high),
        incident.grade or "",
        "; ".join(f.get("rule", "") for f in incident.legal_flags),
        "; ".join(_sources(incident)),
    ]


def write_acled(incidents: Iterable[Incident], out: TextIO) -> int:
    writer = csv.DictWriter(out, ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for incident in incidents:
        writer.writerow(acled_row(incident))
        n += 1
    return n


def write_ucdp(incidents: Iterable[Incident], out: TextIO) -> int:
    writer = csv.DictWriter(out, UCDP_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for incident in incidents:
        writer.writerow(ucdp_row(incident))
        n += 1
    return n


def write_hxl(incidents: Iterable[Incident], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([label for label, _ in HXL_COLUMNS])
    writer.writerow([tag for _, tag in HXL_COLUMNS])
    n = 0
    for incident in incidents:
        writer.writerow(hxl_row(incident))
        n += 1
    return n


def geojson_feature(incident: Incident) -> dict[str, Any]:
    place = incident.place
    located = place is not None and place.lat is not None and place.lon is not None
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]}
        if located and place
        else None,
        "properties": {
            "id": incident.id,
            "date_low": incident.date_low.isoformat() if incident.date_low else None,
            "date_high": incident.date_high.isoformat() if incident.date_high else None,
            "event_type": incident.event_type,
            "place": place.name if place else None,
            "admin1": place.admin1 if place else None,
            "country": place.country if place else None,
            "precision": place.precision.value if place else None,
            "perpetrators": [p.name for p in incident.perpetrators],
            "weapons": incident.weapons,
            "targets": [t.category for t in incident.targets],
            "killed_low": incident.killed.low,
            "killed_high": incident.killed.high,
            "injured_low": incident.injured.low,
            "injured_high": incident.injured.high,
            "grade": incident.grade,
            "legal_flags": [f.get("rule") for f in incident.legal_flags],
            "sources": _sources(incident),
        },
    }


def write_geojson(incidents: Iterable[Incident], out: TextIO) -> int:
    features = [geojson_feature(i) for i in incidents]
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


def write_json(incidents: Iterable[Incident], out: TextIO) -> int:
    """Every field of every incident (``Incident.model_dump``), loadable back as incidents."""
    records = list(incidents)
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    out.write(f'{{"exported": "{stamp}", "incidents": ')
    out.write(_INCIDENT_LIST.dump_json(records).decode("utf-8"))
    out.write("}\n")
    return len(records)


_INCIDENT_LIST = TypeAdapter(list[Incident])


def read_json(stream: TextIO) -> list[Incident]:
    """Incidents back from a JSON export."""
    return [Incident.model_validate(r) for r in json.load(stream)["incidents"]]


WRITERS: dict[str, Callable[[Iterable[Incident], TextIO], int]] = {
    "acled": write_acled,
    "ucdp": write_ucdp,
    "geojson": write_geojson,
    "hxl": write_hxl,
    "json": write_json,
}


def writer_for(fmt: str) -> Callable[[Iterable[Incident], TextIO], int]:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise InputError(
            f"unknown export format {fmt!r}; use one of {', '.join(WRITERS)}"
        ) from None
