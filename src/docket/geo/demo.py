"""Demo step of the geo stage: load the demo facilities, resolve the sample reports' places."""

from __future__ import annotations

import json
from typing import Any

from docket.vocab import data_path

DEMO_FACILITIES = "places/facilities_nw_syria.csv"
# Phrases written for the demo, in the style of the sample reports.
DEMO_PHRASES = [
    "Kafr Nubl",
    "Maaret al-Noman",
    "معرة النعمان",
    "12 km south of Saraqib",
    "the outskirts of Idlib city",
    "southern Idlib countryside",
    "al-Shami hospital in Ariha",
]


def run(ctx: Any) -> None:
    db = ctx.db
    report = db.import_facilities(data_path(DEMO_FACILITIES))
    ctx.console.print(
        f"[bold]geo[/bold]     registered {report.created} demo facilities "
        f"({len(db.facilities(status='damaged'))} damaged, "
        f"{sum(f.deconflicted for f in db.facilities())} deconflicted)"
    )
    report = db.geocode_claims()
    if report.claims:
        ctx.console.print(
            f"         resolved the places of {report.placed} of {report.claims} claims "
            f"({report.unresolved} left unresolved, with reasons); "
            f"{report.facilities_linked} linked to facilities"
        )
        for claim in db.claims(limit=5) if hasattr(db, "claims") else []:
            where = "no place" if claim.place is None else _line(claim.place)
            ctx.console.print(f"         claim #{claim.id}: {where}", highlight=False)
    else:
        for phrase in DEMO_PHRASES:
            place = db.geocode(phrase, context="Idlib, north-west Syria")
            ctx.console.print(f"         {phrase!r} -> {_line(place)}", highlight=False)
    out = ctx.out_dir / "places.json"
    out.write_text(
        json.dumps(
            [f.model_dump(mode="json") for f in db.facilities()], ensure_ascii=False, indent=1
        ),
        encoding="utf-8",
    )
    ctx.outputs["facilities (JSON)"] = out


def _line(place: Any) -> str:
    if place.lat is None:
        return str(place.reason)
    return (
        f"{place.name} ({place.admin1}, {place.country}) {place.lat:.4f}, {place.lon:.4f} "
        f"{place.precision.value}{' centroid' if place.centroid else ''}"
    )
