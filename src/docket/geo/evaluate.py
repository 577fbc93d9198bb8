"""Measuring the geocoder: toponym resolution on ``toponyms.jsonl``, and distance helpers.

``evaluate(directory, predictions)`` scores a folder holding ``toponyms.jsonl`` (one mention a line
with gold coordinates: ``corpus``, ``doc``, ``context``, ``mention``, ``lat``, ``lon``,
``feature``); the mention is given, so this measures resolution, not detection. Each mention is
resolved with its own context plus the other contexts of the same document (the document's other
places), never with the gold. Reported per corpus and overall:

- ``acc161``: share resolved within 161 km (100 miles) of the gold point;
- ``acc10_city``: share of settlement mentions (``feature == "city"``) within 10 km;
- ``median_km``: median error (unresolved mentions count as 20,000 km).

For the dev folder (documents with gold ``incidents``) the extraction stage scores places; it can
use :func:`distance_km` and :func:`within_km` from here. Run on its own with
``python -m docket.geo.evaluate DIR``.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docket.domain import Claim, ResolvedPlace
from docket.geo.gazetteer import distance_km
from docket.geo.geocoder import Geocoder, default_geocoder
from docket.geo.normalize import normalize

UNRESOLVED_KM = 20_000.0
ADMIN_WORDS = {"governorate", "province", "oblast", "state", "region", "muhafazat", "wilayat"}
TOPONYMS = "toponyms.jsonl"

__all__ = [
    "admin1_matches",
    "distance_km",
    "evaluate",
    "evaluate_gold_places",
    "evaluate_toponyms",
    "scores_toponyms_only",
    "within_km",
]


def within_km(place: ResolvedPlace | None, lat: float | None, lon: float | None, km: float) -> bool:
    """Whether ``place`` has coordinates within ``km`` of the gold point."""
    if place is None or place.lat is None or place.lon is None or lat is None or lon is None:
        return False
    return distance_km(place.lat, place.lon, lat, lon) <= km


def evaluate(directory: Path, predictions: dict[str, list[Claim]]) -> dict[str, Any] | None:
    """Geo metrics for ``directory``, or None when it holds nothing this stage scores.

    - a folder with ``toponyms.jsonl``: toponym resolution (see the module docstring);
    - a folder of documents with gold ``incidents`` (the dev corpus): each gold place name resolved
      with its document's text, scored against the gold point (10 km) and admin1. This measures
      the gazetteer and geocoder alone; the extraction stage scores its claims' places.

    ``predictions`` (document id -> claims) is not needed for either.
    """
    directory = Path(directory)
    path = directory / TOPONYMS
    if path.is_file():
        return {"title": "Toponym resolution (geo)", "metrics": evaluate_toponyms(path)}
    metrics = evaluate_gold_places(directory)
    if metrics is None:
        return None
    return {"title": "Geocoding of gold place names (geo)", "metrics": metrics}


def scores_toponyms_only(directory: Path) -> bool:
    """Whether ``directory`` holds ``toponyms.jsonl`` and no gold documents (``*.json``)."""
    directory = Path(directory)
    return (directory / TOPONYMS).is_file() and not any(directory.glob("*.json"))


def admin1_matches(predicted: str | None, gold: str | None) -> bool:
    """Whether two admin1 names are the same area ("Idleb" = "Idlib Governorate" = "إدلب")."""
    if not predicted or not gold:
        return predicted == gold
    a, b = _admin1_key(predicted), _admin1_key(gold)
    if a == b:
        return True
    ids_a = {p.id for p in default_geocoder().gazetteer.lookup(predicted) if p.feature == "admin1"}
    ids_b = {p.id for p in default_geocoder().gazetteer.lookup(gold) if p.feature == "admin1"}
    return bool(ids_a & ids_b)


def _admin1_key(name: str) -> str:
    words = normalize(name).split()
    kept = [w for w in words if w not in ADMIN_WORDS]
    return " ".join(kept or words)


def evaluate_gold_places(directory: Path) -> dict[str, Any] | None:
    """Gold ``place`` of each dev incident resolved in its document: within 10 km, admin1 agrees."""
    geo = default_geocoder()
    n = within = admin1_ok = country_ok = 0
    for path in sorted(directory.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(doc, dict):
            continue
        for incident in doc.get("incidents") or []:
            if not incident.get("place") or incident.get("lat") is None:
                continue
            place = geo.resolve(incident["place"], context=doc.get("text", ""))
            n += 1
            within += within_km(place, incident["lat"], incident["lon"], 10)
            admin1_ok += admin1_matches(place.admin1, incident.get("admin1"))
            country_ok += place.country == incident.get("country")
    if not n:
        return None
    return {
        "n": n,
        "within_10km": round(within / n, 4),
        "admin1": round(admin1_ok / n, 4),
        "country": round(country_ok / n, 4),
    }


def load_toponyms(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                print(f"{path}:{n}: not JSON ({exc.msg}); skipped", file=sys.stderr)
    return rows


def evaluate_toponyms(
    path: Path,
    *,
    geocoder: Geocoder | None = None,
    errors: list[dict[str, Any]] | None = None,
    rows: list[dict[str, Any]] | None = None,
    on_mention: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Accuracy within 161 km, within 10 km for settlements, median error; overall, per corpus.

    ``rows`` (default: read from ``path``) saves reading the file twice; ``on_mention`` is called
    after each mention (a progress bar)."""
    geo = geocoder or default_geocoder()
    rows = load_toponyms(path) if rows is None else rows
    doc_text: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        doc_text[(row["corpus"], row["doc"])].append(row["context"])
    results: dict[str, list[tuple[float, dict[str, Any]]]] = defaultdict(list)
    for row in rows:
        own = row["context"]
        others = [c for c in doc_text[(row["corpus"], row["doc"])] if c != own]
        context = own + "\n" + "\n".join(others)
        place = geo.resolve(row["mention"], context=context)
        km = (
            UNRESOLVED_KM
            if place.lat is None or place.lon is None
            else distance_km(place.lat, place.lon, row["lat"], row["lon"])
        )
        if on_mention:
            on_mention()
        results[row["corpus"]].append((km, row))
        results["all"].append((km, row))
        if errors is not None and km > 161:
            errors.append(
                {
                    "id": row["id"],
                    "mention": row["mention"],
                    "km": round(km),
                    "got": f"{place.name} ({place.country}, {place.precision.value})",
                    "gold": row.get("gold_name"),
                }
            )
    return {name: _summary(items) for name, items in sorted(results.items())}


def _summary(items: list[tuple[float, dict[str, Any]]]) -> dict[str, Any]:
    kms = [km for km, _ in items]
    cities = [km for km, row in items if row.get("feature") == "city"]
    return {
        "n": len(kms),
        "acc161": round(sum(km <= 161 for km in kms) / len(kms), 4),
        "acc10_city": round(sum(km <= 10 for km in cities) / len(cities), 4) if cities else None,
        "n_city": len(cities),
        "median_km": round(statistics.median(kms), 1),
        "unresolved": sum(km >= UNRESOLVED_KM for km in kms),
    }


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    if not args:
        sys.exit("usage: python -m docket.geo.evaluate DIR [--errors]")
    directory = Path(args[0])
    errors: list[dict[str, Any]] | None = [] if "--errors" in args else None
    path = directory / TOPONYMS
    if not path.is_file():
        result = evaluate(directory, {})
        if result is None:
            sys.exit(f"{directory}: no {TOPONYMS} and no documents with gold incidents here")
        print(json.dumps(result, indent=2))
        return
    metrics = evaluate_toponyms(path, errors=errors)
    print(json.dumps({"title": "Toponym resolution (geo)", "metrics": metrics}, indent=2))
    if errors is not None:
        for e in errors:
            print(json.dumps(e, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
