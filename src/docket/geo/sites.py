"""Streets, buildings, sites and unknown names placed in the text's town or area.

A mention the gazetteer lacks, or holds only as a spelling variant far from the text's other
places, is not left unresolved when the text says where it is: a site near its anchor
("al-Shami hospital in Ariha": :func:`site_near`); a street or building in the town its name
holds, the town written as owning it ("Whittier's Penn Park") or the town the text names
(:func:`site_in_town`); a name written with a town after it ("Balintawak, Quezon City":
:func:`in_town_written_after`) or inside an area with its kind ("the Wedza district":
:func:`unknown_in_written_area`); a place named inside an unknown name ("Vancouver Art
Gallery": :func:`resolve_inner_name`); else the town the text is surely about
(:func:`unknown_in_town`). Each is placed no finer than ``district`` and less sure than its
town.

These rules are steps of :meth:`Geocoder.resolve <docket.geo.geocoder.Geocoder.resolve>`; they
resolve the towns and areas they need through the geocoder they are given
(:meth:`~docket.geo.geocoder.Geocoder.resolve_name`,
:meth:`~docket.geo.geocoder.Geocoder.resolve_within`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING

from docket.domain import LocationPrecision, ResolvedPlace
from docket.geo.context import (
    Context,
    areas_around,
    names_after,
    owners_before,
    towns_before,
    towns_written_in,
    written_apart,
)
from docket.geo.gazetteer import GazPlace, distance_km
from docket.geo.names import generic_words, name_key, name_titles, relations_file, site_words
from docket.geo.normalize import normalize
from docket.geo.phrases import ParsedPhrase, apply_relation
from docket.geo.scan import CONTEXT_CAP, CONTEXT_TOWN_POPULATION, SURE_COUNTRY_VOTES

if TYPE_CHECKING:
    from docket.geo.geocoder import Geocoder, Hints

# Looking for a place inside an unknown name: shortest name, least confidence to accept.
MIN_INNER_NAME = 4
MIN_INNER_SCORE = 0.5
SITE_RADIUS_KM = 15.0
# A street or building named after a place ("Windsor Castle") is taken to be in that place when
# it lies this close to the town the text names; otherwise in that town.
SITE_TOWN_KM = 50.0
# How much less sure a street or building placed in the text's town is than the town itself.
SITE_IN_TOWN_FACTOR = 0.5
# The areas a name the gazetteer lacks may be placed at when the text writes it inside one
# (``unknown_in_written_area``): the kinds of entries looked for and taken.
WRITTEN_AREA_FEATURES = ("admin1", "admin2")
# The precisions of a namesake that a town the text writes a name in may overrule (areas hold
# towns of other names; a town or district abroad cannot lie in the written town).
NAMESAKE_PRECISIONS = frozenset({LocationPrecision.settlement, LocationPrecision.district})
MAX_CONTEXT_TOWNS = 12
_COMPASS = frozenset({"north", "south", "east", "west"})


def _after_title(words: list[str], start: int) -> bool:
    """Whether a title that makes a new name ("St", "Fort") comes right before
    ``words[start]`` ("St Edmund" is not Edmund)."""
    return start > 0 and normalize(words[start - 1]) in name_titles()


def _ends_unknown_name(words: list[str], start: int) -> bool:
    """Whether a word that is no generic one comes before ``words[start]`` ("Cherry Hinton",
    "Barangay Paciano Rizal"; not "North London", "Old Town Manassas")."""
    return any(normalize(w) not in generic_words() for w in words[:start])


@cache
def _road_number() -> re.Pattern[str]:
    return re.compile(relations_file()["road_number"], re.IGNORECASE)


def is_site_name(text: str) -> bool:
    """Whether ``text`` names a street, building or site ("Hampton Avenue", "A417")."""
    words = text.split()
    if not words:
        return False
    if _road_number().match(text.strip()):
        return True
    while len(words) > 1 and normalize(words[-1]) in _COMPASS:  # "Eglinton Avenue West"
        words = words[:-1]
    return len(words) > 1 and normalize(words[-1].rstrip(".")) in site_words()


def variant_apart(
    geo: Geocoder, text: str, found: ResolvedPlace, ctx: Context, hints: Hints
) -> ResolvedPlace | None:
    """For ``found``, a spelling variant of ``text`` that none of the text's other places lie
    around ("Anfield" read as Enfield, London, in a text about Liverpool): ``text`` in the
    area the text writes it inside (:func:`unknown_in_written_area`), else in the town the
    text is surely about (:func:`unknown_in_town`); None otherwise."""
    if found.lat is None or found.lon is None or ctx.nearby(found.lat, found.lon) > 0:
        return None
    why = f"{found.name!r} is no place around the text's; in the town the text names"
    return unknown_in_written_area(geo, text, ctx, hints) or unknown_in_town(
        geo, text, ctx, hints, why
    )


def unknown_in_town(
    geo: Geocoder,
    text: str,
    ctx: Context,
    hints: Hints,
    why: str = "a name the gazetteer lacks, in the town the text names",
) -> ResolvedPlace | None:
    """A name the gazetteer lacks, with no place inside it ("Lujhu", a suburb): in the town
    the text names, when the text is surely about that town's country and area."""
    if max(ctx.admin1s.values(), default=0.0) < SURE_COUNTRY_VOTES:
        return None  # (no area named surely: no town to look for)
    town = _context_town(geo, ctx, hints)
    if town is None or not _surely_placed(geo, town, ctx):
        return None
    return _placed_in_town(text, None, town, why)


def unknown_in_written_area(
    geo: Geocoder, text: str, ctx: Context, hints: Hints
) -> ResolvedPlace | None:
    """A name the gazetteer lacks (or names only places ruled out), written with its kind
    inside an area the text names ("the Wedza district, Mashonaland East province";
    :func:`areas_around`): that area, at its precision, as a centroid; None when no area
    is written so or none resolves to a first- or second-level area."""
    for words, kind in areas_around(text, hints.text):
        for name in (f"{words} {kind}", words):
            area = geo.resolve_within(name, ctx, hints, WRITTEN_AREA_FEATURES)
            place = _place_of(geo, area)
            if place is not None and place.feature in WRITTEN_AREA_FEATURES:
                return area.model_copy(
                    update={
                        "centroid": True,
                        "score": round(area.score * SITE_IN_TOWN_FACTOR, 3),
                        "reason": f"{text!r}, a name the gazetteer lacks, written inside "
                        f"{name!r}: placed at that area; {area.reason}",
                    }
                )
    return None


def _surely_placed(geo: Geocoder, town: ResolvedPlace, ctx: Context) -> bool:
    """Whether the text votes for the first-level area of ``town`` (``SURE_COUNTRY_VOTES``)
    and, by other names than the town's own, as much for its country."""
    place = _place_of(geo, town)
    if place is None:
        return False
    own = dict(geo.scanner.votes_of(name_key(place.name))[0]).get(place.country, 0.0)
    return (
        ctx.admin1s.get((place.country, place.admin1_code), 0.0) >= SURE_COUNTRY_VOTES
        and ctx.countries.get(place.country, 0.0) - own >= SURE_COUNTRY_VOTES
    )


def site_in_town(
    geo: Geocoder, text: str, inner: ResolvedPlace | None, ctx: Context, hints: Hints
) -> ResolvedPlace | None:
    """A street or building not in the gazetteer: in the sizeable town its name holds
    ("Colchester Hospital"), or the place its name holds when that lies near the town the
    text names, else in that town ("Hampton Avenue" in a text about St. Louis)."""
    if inner is not None and _is_sizeable_town(geo, inner):
        return inner
    owner = _town_owning(geo, text, ctx, hints)
    if owner is not None:
        return _placed_in_town(text, inner, owner, "street or building of this town")
    town = _context_town(geo, ctx, hints)
    if town is None:
        return None
    return _placed_in_town(text, inner, town, "street or building in the town the text names")


def _town_owning(geo: Geocoder, text: str, ctx: Context, hints: Hints) -> ResolvedPlace | None:
    """The town the text writes as owning ``text`` ("Whittier's Penn Park"; "the city's
    Penn Park": the town the text names), resolved in its context; None when none is."""
    return _first_written_town(geo, owners_before(text, hints.text), ctx, hints)


def _placed_in_town(
    text: str, inner: ResolvedPlace | None, town: ResolvedPlace, why: str
) -> ResolvedPlace | None:
    """``inner`` when it lies within ``SITE_TOWN_KM`` of ``town``, else ``text`` in
    ``town`` (no finer than ``district``, and less sure than the town), for ``why``."""
    if town.lat is None or town.lon is None:
        return None
    if (
        inner is not None
        and inner.lat is not None
        and inner.lon is not None
        and distance_km(inner.lat, inner.lon, town.lat, town.lon) <= SITE_TOWN_KM
    ):
        return inner
    reading = ParsedPhrase(
        "in town", town.name, LocationPrecision.district, description=f"{text!r} in"
    )
    placed = apply_relation(town, reading)
    return placed.model_copy(
        update={
            "score": round(town.score * SITE_IN_TOWN_FACTOR, 3),
            "reason": f"{why}; {placed.reason}",
        }
    )


def in_town_written_after(
    geo: Geocoder,
    text: str,
    found: ResolvedPlace,
    ctx: Context,
    hints: Hints,
    *,
    holding_only: bool = False,
) -> ResolvedPlace | None:
    """``text``, a name the gazetteer does not hold (``found``: unresolved or a spelling
    variant), placed by the town the text writes after it (or before it, as holding it:
    "Cairo's suburb of X"); None when no town is written so, or when ``found`` lies in that
    town's country and only a comma stands between ("Kafr Nubl, Raqqa and Palmyra" may be a
    list). With ``holding_only``, only a town written as holding it counts."""
    town, inside = _town_written_after(geo, text, ctx, hints, holding_only=holding_only)
    if town is None:
        return None
    why = "written with this town"
    if found.lat is None:
        return _placed_in_town(text, None, town, why)
    if inside or found.country != town.country:
        return _placed_in_town(text, found, town, why)
    return None


def namesake_in_town_written_after(
    geo: Geocoder, text: str, found: ResolvedPlace, ctx: Context, hints: Hints
) -> ResolvedPlace | None:
    """``found``, a town or district of the name that none of the text's other places lie
    around, in another country than the town the text writes ``text`` in ("Hampton Park
    in Charleston" is not Hampton Park, Victoria): ``text`` in that town; None otherwise."""
    if (
        found.lat is None
        or found.lon is None
        or found.precision not in NAMESAKE_PRECISIONS
        or ctx.nearby(found.lat, found.lon) > 0
    ):
        return None
    town = _first_written_town(geo, towns_written_in(text, hints.text), ctx, hints)
    if town is None or town.country == found.country:
        return None
    return _placed_in_town(text, None, town, "a namesake abroad; written in this town")


def _town_written_after(
    geo: Geocoder, text: str, ctx: Context, hints: Hints, *, holding_only: bool = False
) -> tuple[ResolvedPlace | None, bool]:
    """The town the text writes right after ``text`` ("Balintawak, Quezon City", "Akuressa,
    in Matara district", "the Hardeetown area of Chiefland"), resolved in its context, and
    whether the words between say that ``text`` lies in it ("in", "area of"; not a bare
    comma); else (or with ``holding_only`` only) the town written before it as holding it
    ("the Baghdad suburb of X", "Aleppo's X district"; "the city's X district": the town
    the text names), which does; (None, False) when no town is written so."""
    after = () if holding_only else names_after(text, hints.text)
    written = chain(after, ((t, True) for t in towns_before(text, hints.text)))
    for name, inside in written:
        town = _written_town(geo, name, ctx, hints)
        if town is not None:
            return town, inside or name == "the city"
    return None, False


def _first_written_town(
    geo: Geocoder, names: Iterable[str], ctx: Context, hints: Hints
) -> ResolvedPlace | None:
    """The town named by the first of ``names`` that names one (:func:`_written_town`)."""
    towns = (_written_town(geo, name, ctx, hints) for name in names)
    return next((town for town in towns if town is not None), None)


def _written_town(geo: Geocoder, name: str, ctx: Context, hints: Hints) -> ResolvedPlace | None:
    """The town ``name`` (words the text writes next to a mention) names, resolved in its
    context ("the city": the town the text names); None when it names no town."""
    if name == "the city":
        return _context_town(geo, ctx, hints)
    if not geo.gazetteer.has_key(name_key(name)):
        return None
    town = geo.resolve_name(name, ctx, hints)
    if town.place_id is not None and town.precision is LocationPrecision.settlement:
        return town
    return None


def _is_sizeable_town(geo: Geocoder, resolved: ResolvedPlace) -> bool:
    """A capital, or a town of ``CONTEXT_TOWN_POPULATION`` people or more."""
    place = _place_of(geo, resolved)
    return place is not None and (
        place.feature == "capital"
        or (place.feature == "city" and place.population >= CONTEXT_TOWN_POPULATION)
    )


def _context_town(geo: Geocoder, ctx: Context, hints: Hints) -> ResolvedPlace | None:
    """The first sizeable town the text names (the mention aside), resolved in its context
    (small namesakes of people and words, "Evans", "Snow", are passed over); a town in the
    country the text names most wins over an earlier one elsewhere. A town the text writes
    only by one of its alternate names is no such town: those are often words ("From" is
    listed for Frome) or people's names ("Nicolas")."""
    found: list[ResolvedPlace] = []
    for key in ctx.towns[:MAX_CONTEXT_TOWNS]:
        if key in ctx.excluded or key in ctx.people:
            continue
        places = geo.gazetteer.lookup_key(key)
        if not any(
            p.feature == "capital"
            or (p.feature == "city" and p.population >= CONTEXT_TOWN_POPULATION)
            for p in places
        ):
            continue
        town = geo.resolve_name(key, ctx, hints)
        if _is_sizeable_town(geo, town) and name_key(town.name or "") == key:
            found.append(town)
    if not found:
        return None
    return max(
        found,
        key=lambda t: min(ctx.countries.get(t.country or "", 0.0), CONTEXT_CAP),
    )


def resolve_inner_name(
    geo: Geocoder, text: str, ctx: Context, hints: Hints
) -> ResolvedPlace | None:
    """A place named inside an unknown name ("Vancouver Art Gallery", "North London"):
    that place, no finer than ``district`` (the named thing is in or near it), when sure
    enough of it or when the text also writes it on its own ("St. Marys River" in a text
    about St. Marys)."""
    words = text.split()
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            part = words[start : start + size]
            phrase = " ".join(part)
            key = normalize(phrase)
            if (
                len(key) < MIN_INNER_NAME
                or not part[0][:1].isupper()
                or key in generic_words()
                or key in site_words()
                or _after_title(words, start)
                or not geo.gazetteer.has_key(key)
            ):
                continue
            inner = geo.resolve_name(phrase, ctx, hints)
            if inner.lat is None or (
                inner.score < MIN_INNER_SCORE and not written_apart(phrase, text, hints.text)
            ):
                continue
            if (
                _ends_unknown_name(words, start)
                and not _is_sizeable_town(geo, inner)
                and not _admin1_named(geo, inner, ctx)
            ):
                continue  # the end of a longer name: a small place only in an area named
            if normalize(inner.name or "") != key and not ctx.countries.get(inner.country or ""):
                continue  # a place known so only by an alias, in a country the text never names
            reading = ParsedPhrase(
                "part of name",
                phrase,
                LocationPrecision.district,
                description=f"{text!r} names",
            )
            return apply_relation(inner, reading)
    return None


def town_elsewhere(geo: Geocoder, found: ResolvedPlace, key: str, ctx: Context) -> bool:
    """Whether ``found`` is a town known by ``key`` only as an alternate name, or lying in a
    first-level area the text does not name."""
    return found.precision is LocationPrecision.settlement and (
        normalize(found.name or "") != key or not _admin1_named(geo, found, ctx)
    )


def _admin1_named(geo: Geocoder, place: ResolvedPlace, ctx: Context) -> bool:
    """Whether the text names the first-level area of ``place``."""
    found = _place_of(geo, place)
    return found is not None and bool(ctx.admin1s.get((found.country, found.admin1_code)))


def _place_of(geo: Geocoder, resolved: ResolvedPlace) -> GazPlace | None:
    """The gazetteer entry ``resolved`` is, found by its name (``Gazetteer.get`` would index
    every entry by id on its first call)."""
    named = geo.gazetteer.lookup_key(name_key(resolved.name or ""))
    return next((p for p in named if p.id == resolved.place_id), None)


def site_near(
    geo: Geocoder, name: str, anchor: ResolvedPlace, ctx: Context, hints: Hints
) -> ResolvedPlace | None:
    """A site (facility) called ``name`` within ``SITE_RADIUS_KM`` of its anchor place."""
    found = geo.resolve_name(name, ctx, hints, ("site",))
    if (
        found.precision != LocationPrecision.site
        or found.lat is None
        or found.lon is None
        or anchor.lat is None
        or anchor.lon is None
        or (
            found.score < 1.0
            and distance_km(found.lat, found.lon, anchor.lat, anchor.lon) > SITE_RADIUS_KM
        )
    ):
        return None
    return found.model_copy(update={"reason": f"site in {anchor.name}; {found.reason}"})
