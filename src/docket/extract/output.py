"""The machine-readable shape of a claim (a contract with external evaluation: keep names exact).

Keys and types follow the gold of ``shared/corpus/README.md``: ``date`` (``YYYY-MM-DD``, or
``YYYY-MM`` at month precision), ``date_precision``, ``place``, ``admin1``, ``country``, ``lat``,
``lon``, ``perpetrators`` (normalised names), ``event_type`` (ACLED sub-event id), ``weapons``,
``targets``, ``killed_min``, ``killed_max``, ``civilians_killed_min``, ``civilians_killed_max``,
``injured_min``, ``injured_max``, ``quote``; then ``spans`` and more detail.

``lat``/``lon`` mean what the gold says they mean: coordinates the text states, or the GeoNames
point of a named settlement. A village from Docket's own extra places, a district or a province
keeps its point in ``place_lat``/``place_lon`` with ``place_precision`` instead.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from docket.domain import AggregateClaim, Claim, DatePrecision, LocationPrecision, ResolvedPlace
from docket.extract.components import STATED_COORDINATES
from docket.extract.run import Extracted, Shaped, shaped
from docket.geo.gazetteer import is_geonames_id


def extracted_json(result: Extracted) -> Shaped:
    """:func:`claim_json` of each claim of ``result``, and its aggregate claims as JSON (a
    :data:`docket.extract.run.Shape`)."""
    return shaped(result, claim_json, _aggregate_json)


def _aggregate_json(aggregate: AggregateClaim) -> dict[str, Any]:
    return aggregate.model_dump(mode="json")


def claim_date(claim: Claim) -> str | None:
    if claim.date is None:
        return None
    if claim.date_precision == DatePrecision.month:
        return claim.date.strftime("%Y-%m")
    return claim.date.isoformat()


def claim_json(claim: Claim) -> dict[str, Any]:
    """The gold-shaped dict of one claim, plus spans, mentions, victims and attributions."""
    killed = claim.casualties.killed
    injured = claim.casualties.injured
    total_killed = killed.total
    total_injured = injured.total
    place = claim.place
    lat, lon = settlement_point(place)
    return {
        "date": claim_date(claim),
        "date_precision": claim.date_precision.value if claim.date_precision else None,
        "place": place_name(claim),
        "admin1": claim.admin1 or (place.admin1 if place else None),
        "country": claim.country or (place.country if place else None),
        "lat": lat,
        "lon": lon,
        "perpetrators": [a.name for a in claim.perpetrators],
        "event_type": claim.event_type,
        "weapons": list(claim.weapons),
        "targets": [t.category for t in claim.targets],
        "killed_min": total_killed.low,
        "killed_max": total_killed.high,
        "civilians_killed_min": killed.civilians.low,
        "civilians_killed_max": killed.civilians.high,
        "injured_min": total_injured.low,
        "injured_max": total_injured.high,
        "quote": claim.quote,
        "spans": [s.model_dump() for s in claim.spans],
        "place_gazetteer": place.name if place and place.lat is not None else None,
        "place_id": place.place_id if place else None,
        "place_lat": place.lat if place else None,
        "place_lon": place.lon if place else None,
        "place_precision": place.precision.value if place and place.lat is not None else None,
        "attributions": {a.name: a.attribution.value for a in claim.perpetrators},
        "victims": [a.name for a in claim.victims],
        "named_victims": list(claim.named_victims),
        "named_targets": [t.name for t in claim.targets if t.name],
        "place_mentions": [p.model_dump(exclude_none=True) for p in claim.places],
        "children_killed": _range(killed.children),
        "women_killed": _range(killed.women),
        "combatants_killed_min": killed.combatants.low,
        "combatants_killed_max": killed.combatants.high,
        "extractor": claim.extractor,
        "extractor_version": claim.extractor_version,
    }


def settlement_point(place: ResolvedPlace | None) -> tuple[float | None, float | None]:
    """The gold's ``lat``/``lon``: a point the text states, or a GeoNames settlement's."""
    if place is None or place.lat is None:
        return None, None
    stated = place.reason == STATED_COORDINATES
    settlement = place.precision == LocationPrecision.settlement and not place.centroid
    if stated or (settlement and is_geonames_id(place.place_id)):
        return place.lat, place.lon
    return None, None


def place_name(claim: Claim) -> str | None:
    """The place as the text spells it when written in Latin script (gold spellings differ only by
    transliteration), else the gazetteer's name (an Arabic-script mention resolved to "Hass")."""
    if claim.place is None:
        return None
    written = next((s.text for s in claim.spans if s.field == "place"), None)
    if written and _LATIN.fullmatch(written):
        return written.title() if written.isupper() else written
    return _fold(claim.place.name)


def _fold(name: str) -> str:
    """ "Arīḩā" -> "Ariha": gazetteer names without diacritics or ayn/hamza marks."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub("[ʿʾ‘’`]", "", plain)


_LATIN = re.compile(r"[A-Za-z' ’\-]+")


def _range(value: Any) -> dict[str, int | None] | None:
    if value is None:
        return None
    return {"min": value.low, "max": value.high}
