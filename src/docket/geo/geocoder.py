"""Resolving place mentions to gazetteer entries, with honest precision.

A mention ("Kafr Nubl", "12 km south of Maarat al-Numan", "southern Idlib countryside") is first
split into a relation and an anchor by the patterns in ``data/places/relations.yaml``; the anchor is
looked up in the :class:`~docket.geo.gazetteer.Gazetteer` (exact normalised name, else spelling
variants scored with rapidfuzz) and the candidates are ranked by

- how well the name matched,
- a prior by kind of place (countries and capitals are named more often than namesakes) and
  population,
- context: countries, first-level areas and large towns named elsewhere in the text, the admin1
  and country given by the caller, and the kinds of place the relation asks for,

added up into one score per candidate; then, for a bare name that places of several kinds share,
one ranking rule (:func:`_rank_namesakes`) says which kind it means: a prominent place (country,
region, capital) over namesakes the text does not place, a town over its namesake area, an area
over a foreign country of its name in a text about the area's country. How the text uses the
name ("New York state", "the mayor of Quebec": ``context.yaml`` ``area_usage``) decides between a
town and its area.

This module holds the :class:`Geocoder` and its ranking; the steps around it live beside it:

- :mod:`docket.geo.phrases` reads a mention as relation + anchor and applies the relation to the
  anchor's place;
- :mod:`docket.geo.scan` reads the text into a :class:`~docket.geo.context.Context` (the names
  it holds and the areas they vote for), passing over the names of people and organisations
  (:mod:`docket.geo.people`), with the name words of :mod:`docket.geo.names`;
- :mod:`docket.geo.sites` places what the gazetteer lacks (a street, a building, an unknown
  name) in the town or area the text writes it in;
- :mod:`docket.geo.context` holds the cues and word lists all of them read (``context.yaml``,
  ``people.yaml``).

The result is a :class:`docket.domain.ResolvedPlace`: place id, point, precision (never finer than
the phrase allows; areas are marked ``centroid``), admin1 and country, a 0..1 score and the
candidates it rejected. A mention that matches nothing stays unresolved, with a reason: there is no
fallback to a country centroid.

>>> geo = default_geocoder()
>>> place = geo.resolve("Kafr Nubl")
>>> place.name, place.precision.value, place.admin1, place.country
('Kafranbel', 'settlement', 'Idlib', 'SY')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pycountry

from docket.domain import Claim, LocationPrecision, PlaceMention, ResolvedPlace
from docket.geo.context import (
    AREA_USE,
    TOWN_USE,
    Context,
    abbreviations,
    area_adjectives,
    background_weight,
    cued_kinds,
    demonyms,
    feature_cues,
    names_before,
    written_usage,
)
from docket.geo.gazetteer import (
    Gazetteer,
    GazPlace,
    Match,
    is_geonames_id,
    packaged_gazetteer,
)
from docket.geo.names import name_key, relations_file
from docket.geo.normalize import normalize
from docket.geo.phrases import PRECISION_RANK, apply_relation, readings_of
from docket.geo.scan import (
    CONTEXT_CAP,
    CONTEXT_TOWN_POPULATION,
    NAMESAKE_SHARE,
    SURE_COUNTRY_VOTES,
    County,
    Scanner,
    add_votes,
    is_famous,
    names_an_area,
    place_votes,
    scaled_votes,
)
from docket.geo.sites import (
    SITE_IN_TOWN_FACTOR,
    in_town_written_after,
    is_site_name,
    namesake_in_town_written_after,
    resolve_inner_name,
    site_in_town,
    site_near,
    town_elsewhere,
    unknown_in_town,
    unknown_in_written_area,
    variant_apart,
)
from docket.memo import remember

FEATURE_PRIOR = {
    "country": 1.6,
    "capital": 1.4,
    "continent": 1.2,
    "admin1": 0.9,
    "site": 0.3,
    "city": 0.0,
    "admin2": -0.6,
    "region": 2.0,
}
# Areas that a bare name shared with a town usually means (plus the nations of relations.yaml).
WIDE_AREA_FEATURES = frozenset({"country", "continent", "region"})
POPULATION_WEIGHT = 0.3
# GeoNames' cities500 lists a town without a population when it is an administrative seat
# (Ariha, a district seat in Idlib): scored as a small town, not as an empty hamlet.
UNKNOWN_SEAT_POPULATION = 1_000
NAME_WEIGHT = 4.0
COUNTRY_IN_CONTEXT = 1.2
ADMIN1_IN_CONTEXT = 1.8
HINT_BONUS = 3.0
PREFER_BONUS = 2.5
# An entry whose kind the text talks about ("airport" in context.yaml's feature_cues): enough
# to outweigh a lower alias score and a small namesake town ("Heathrow", Florida: 5,900 people).
FEATURE_CUE_BONUS = 2.0
# A namesake town inside the area of the same name (holding at least 1/NAMESAKE_SHARE of its
# people: see docket.geo.scan) is what a bare name usually means.
NAMESAKE_TOWN_BONUS = 0.1
MIN_NAME_SCORE = 0.8
# The reading of a capitalised direction word and an area ("West Midlands", "Central Plateau": a
# region's own name the gazetteer lacks) that gives way to the text's area when the area read
# lies in a country the text never names (``Geocoder._anchor_abroad``); "southern Idlib" and
# "north of Aleppo" keep their anchor whatever the text names.
NAMED_PART = "part of area"
# A first-level area beats a country of the same name when the text votes this much more for
# the area's country ("Georgia" in an American text).
AREA_COUNTRY_VOTES = 0.5
# A town matched only by an alternate name never beats a place this many times bigger whose
# own name the mention is.
ALIAS_TOWN_SHARE = 10
# How much of the text's other places must lie around a town (see Context.nearby) for the text
# to place it, against a famous namesake.
PLACED_NEARBY = 0.5
MAX_REJECTED = 5
# Places near the other places the text names (within about a degree) score higher.
NEARBY_WEIGHT = 1.5
# A town with other names of the text around it (each name once, however many places share
# it) is the reading a reader picks: "Crieff and Auchterarder ... Perth" in Scotland. Two names
# at least: one alone lies near some namesake too often (a street, a firm, a first name).
COLOCATED_KM = 50.0
COLOCATED_MIN = 2
COLOCATED_WEIGHT = 2.0
COLOCATED_CAP = 2
# A town and its county named in the same text ("Athens" and "Henderson County") support each
# other: the town inside a named county, the county holding a named town.
COUNTY_IN_CONTEXT = 2.5
# A town of a name shared by several towns gains this much times the share of the people of
# each of the text's other such names living in its first-level area ("Rep. X, D-Charleston
# ... in Anderson": both most likely in South Carolina), STATE_SHARE_CAP shares at most: a
# tie-breaker between namesakes of about the same size, not a vote.
STATE_COHERENCE_WEIGHT = 0.5
STATE_SHARE_CAP = 1.0
# How much an exact-named place of the kind the text's usage says (context.AREA_USE or
# TOWN_USE) gains.
USAGE_BONUS = 2.5
# The town a mention's name means on its own (scan.dominant_town: the biggest, DOMINANT_SHARE
# times any namesake) gains this much per power of ten it is bigger than its biggest namesake
# (DOMINANCE_CAP at most): what a reader takes a bare "Atlanta" for, against a hamlet of the
# name in a state the text names for another reason, not against the text's own places
# around a namesake ("Edmonton" beside Enfield is in London). It is the mention's only say in
# its own reading: its name casts no vote for its areas (``Geocoder.context_of``). Not for a
# capital, whose prominence is its feature prior and ``_rank_namesakes``' rule 1.
DOMINANCE_WEIGHT = 0.8
DOMINANCE_CAP = 2.0
# A city this big, in a country the text names, is not outranked by a capital of its name
# abroad whose country the text never names.
CAPITAL_RIVAL = 100_000

# ", Ga." / ", New Mexico" / ", north-east South Africa" right after a name.
_AREA_AFTER = re.compile(
    r",\s+(?:(?:north|south|east|west|central)(?:ern)?(?:[- ]?(?:east|west)(?:ern)?)?\s+)?"
    r"([A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*)?)"
)


@cache
def _nations() -> frozenset[tuple[str, str]]:
    """First-level areas ranked like countries (relations.yaml ``nations``: "GB.WLS")."""
    return frozenset(
        (code.partition(".")[0], code.partition(".")[2])
        for code in relations_file().get("nations", [])
    )


def _known_population(place: GazPlace) -> int:
    """The population, or for a GeoNames town listed without one (cities500 keeps such towns
    because they are administrative seats) the size such a seat is assumed to have."""
    if place.population or place.feature != "city" or not is_geonames_id(place.id):
        return place.population
    return UNKNOWN_SEAT_POPULATION


def _feature_prior(place: GazPlace) -> float:
    if place.feature == "admin1" and (place.country, place.admin1_code) in _nations():
        return FEATURE_PRIOR["country"]
    return FEATURE_PRIOR.get(place.feature, 0.0)


def _is_wide_area(place: GazPlace) -> bool:
    """A country, nation, continent, sea or macro-region: what a bare name shared with a town
    usually means in news and reports ("Wales", "the Atlantic", "Greece")."""
    if place.feature in WIDE_AREA_FEATURES:
        return True
    return place.feature == "admin1" and (place.country, place.admin1_code) in _nations()


class Geocoder:
    """Resolves place mentions against a :class:`Gazetteer` (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.scanner = Scanner(gazetteer)
        self._context_cache: dict[str, Context] = {}
        self._state_shares_cache: dict[str, dict[tuple[str, str], float]] = {}
        self._areas: dict[str, GazPlace] | None = None
        self._cues_cache: dict[str, frozenset[str]] = {}

    # -- public API -------------------------------------------------------------------

    def resolve(
        self,
        mention: str,
        *,
        context: str = "",
        admin1: str | None = None,
        country: str | None = None,
    ) -> ResolvedPlace:
        """Where ``mention`` is, given the text around it and any known admin1 / country."""
        ctx = self.context_of(context, exclude=mention)
        name = mention.strip()
        usage = written_usage(name, context) if context else None
        if not admin1 and not country and context:
            admin1, country = self._area_after(name, context)
            if not admin1 and not country:
                admin1, country = self._area_of_town_before(name, context)
                if admin1 or country:
                    usage = AREA_USE
        hints = Hints(self._country_code(country), admin1, usage, context)
        return self._resolve_phrase(name, ctx, hints, depth=0)

    def _cued_features(self, text: str) -> frozenset[str]:
        """The kinds of entries (``feature_cues`` in context.yaml) that ``text`` talks about."""
        found = self._cues_cache.get(text)
        if found is None:
            found = frozenset(f for f, cue in feature_cues() if text and cue.search(text))
            remember(self._cues_cache, text, found, 5000)
        return found

    def _area_after(self, mention: str, context: str) -> tuple[str | None, str | None]:
        """The admin1 or country written right after the mention in the text ("Athens, Ga.",
        "Cambridge, England"): (admin1, country), or (None, None)."""
        if not mention:
            return None, None
        for area in _areas_after(mention, context):
            for words in (area, area.split(" ")[0]):
                places = self.gazetteer.lookup(words)
                areas = {p.name for p in places if p.feature == "admin1"}
                countries = {p.country for p in places if p.feature == "country"}
                if len(areas) == 1 and not countries:
                    return areas.pop(), None
                if len(countries) == 1 and not areas:
                    return None, countries.pop()
                if len(areas) == 1 and len(countries) == 1:
                    # "Atlanta, Georgia": the state or the country, whichever holds the town.
                    return self._area_holding(mention, areas.pop(), countries.pop())
        return None, None

    def _area_of_town_before(self, mention: str, context: str) -> tuple[str | None, str | None]:
        """The area ``mention`` names when the text writes it after a town of that area and a
        comma ("Buffalo, New York", "Atlanta, Georgia"): (admin1, None) or (None, country);
        for a second-level area ("Calamba City, Laguna"), its admin1 and country."""
        if f", {mention}" not in context:
            return None, None
        areas = [
            p
            for p in self.gazetteer.lookup(mention)
            if p.feature in ("admin1", "admin2", "country")
        ]
        if not areas:
            return None, None
        for town_name in names_before(mention, context):
            towns = [
                m.place
                for m in self.gazetteer.candidates(town_name, fuzzy=False)
                if m.place.feature in ("city", "capital")
            ]
            for area in areas:
                if area.feature == "admin1" and any(
                    (t.country, t.admin1_code) == (area.country, area.admin1_code) for t in towns
                ):
                    return area.name, None
            for area in areas:
                if area.feature == "admin2" and any(_holds_town(area, t) for t in towns):
                    return area.admin1 or None, area.country  # "Calamba City, Laguna"
            for area in areas:
                if area.feature == "country" and any(t.country == area.country for t in towns):
                    return None, area.country
        return None, None

    def _area_holding(
        self, mention: str, admin1: str, country: str
    ) -> tuple[str | None, str | None]:
        """(admin1, None) when a place named ``mention`` lies in ``admin1``, else (None,
        country) when one lies in ``country``, else (None, None)."""
        places = [m.place for m in self.gazetteer.candidates(mention, fuzzy=False)]
        if any(_same_admin1(p, admin1) for p in places):
            return admin1, None
        if any(p.country == country for p in places):
            return None, country
        return None, None

    def resolve_claim(
        self, claim: Claim, *, document_text: str, places: list[PlaceMention] | None = None
    ) -> ResolvedPlace | None:
        """The most specific place among ``claim.places`` (or ``places``, the claim's mentions
        to read; None when it names none)."""
        mentions = claim.places if places is None else places
        if not mentions:
            return None
        names = " ; ".join(m.text for m in mentions)
        context = f"{document_text}\n{names}"
        scanned = context not in self._context_cache
        if scanned:
            self._remember_context(context, self.scanner.scan_with_tail(document_text, names))
        results = [self._resolve_mention(m, context, claim.admin1, claim.country) for m in mentions]
        if scanned:
            # (read by this claim's mentions only: kept, it would only make the garbage
            # collector walk it, once a claim)
            self._context_cache.pop(context, None)
        resolved = [r for r in results if r.lat is not None]
        if not resolved:
            return results[0]
        return min(resolved, key=lambda r: (PRECISION_RANK[r.precision], -r.score))

    def resolve_many(self, mentions: Iterable[str], *, context: str = "") -> list[ResolvedPlace]:
        return [self.resolve(m, context=context) for m in mentions]

    # -- context ----------------------------------------------------------------------

    def context_of(self, text: str, *, exclude: str = "") -> Context:
        """Countries and admin1 areas named in ``text`` (the mention itself left out)."""
        if not text:
            return Context()
        cached = self._cached_scan(text)
        if not exclude or (exclude not in text and exclude.upper() not in text):
            return cached  # (a dateline writes the mention in capitals: "MANSFIELD --")
        # Do not let the mention vote for itself (when its name voted in the text: not a
        # "Georgia's" the scan could not read).
        own = self._cached_scan(exclude)
        if not own.keys & cached.keys:
            own = Context(excluded=own.excluded)
        elif own.keys & cached.background:
            own = scaled_votes(own, background_weight())
        excluded = set(own.keys)
        # A one-word mention casts no vote alone (a sentence start), but its name cast one in
        # the text: taken out too (its best known town gets DOMINANCE_WEIGHT instead).
        whole = name_key(exclude)
        factor = _cast_only_in(cached, own, whole)
        if factor is not None:
            own = Context(countries=dict(own.countries), admin1s=dict(own.admin1s))
            add_votes(own, self.scanner.votes_of(whole), factor)
        # Nor through a shorter name inside it ("DeKalb" in the text for "DeKalb County").
        inside = [k for k in self._shorter_names(exclude) if k in cached.keys and k not in excluded]
        excluded.update(inside)
        # ... nor through a longer form of it, which still supports it by its counties
        # (kept in the keys, not excluded).
        longer = self._longer_names(exclude, cached.keys)
        voting = inside + longer
        if voting:
            own = Context(countries=dict(own.countries), admin1s=dict(own.admin1s))
            for key in voting:
                add_votes(own, self.scanner.votes_of(key))
        return Context(
            cells=cached.cells,
            lent=cached.lent,
            keys=cached.keys,
            excluded=frozenset(excluded),
            counties=cached.counties,
            town_counties=cached.town_counties,
            towns=cached.towns,
            county_names=cached.county_names,
            people=cached.people,
            longer=frozenset(longer),
            mention=whole,
            countries={
                k: v - own.countries.get(k, 0)
                for k, v in cached.countries.items()
                if v - own.countries.get(k, 0) > 0
            },
            admin1s={
                k: v - own.admin1s.get(k, 0)
                for k, v in cached.admin1s.items()
                if v - own.admin1s.get(k, 0) > 0
            },
        )

    @staticmethod
    def _shorter_names(mention: str) -> list[str]:
        """The keys of the runs of words at the start of a mention of two words or more
        ("dekalb" for "DeKalb County")."""
        words = [name_key(w) for w in mention.split()]
        return [" ".join(words[:n]) for n in range(1, len(words))]

    @staticmethod
    def _longer_names(mention: str, keys: set[str]) -> list[str]:
        """The keys of ``keys`` that write the mention with more words after it ("dublin
        city" for "Dublin"): the mention's own place under a longer name, whose vote for its
        country and first-level area is the mention's own (its counties still support the
        mention: "DeKalb County" beside "DeKalb")."""
        head = name_key(mention) + " "
        return [k for k in keys if k.startswith(head)]

    def _cached_scan(self, text: str) -> Context:
        found = self._context_cache.get(text)
        if found is None:
            found = self.scanner.scan_context(text)
            self._remember_context(text, found)
        return found

    def _remember_context(self, text: str, ctx: Context) -> None:
        remember(self._context_cache, text, ctx, 5000)

    # -- resolution -------------------------------------------------------------------

    def _resolve_mention(
        self, mention: PlaceMention, context: str, admin1: str | None, country: str | None
    ) -> ResolvedPlace:
        result = self.resolve(mention.text, context=context, admin1=admin1, country=country)
        if result.lat is None and mention.anchor and mention.anchor != mention.text:
            phrase = f"{mention.relation} {mention.anchor}" if mention.relation else mention.anchor
            result = self.resolve(phrase, context=context, admin1=admin1, country=country)
            if result.lat is None:
                result = self.resolve(
                    mention.anchor, context=context, admin1=admin1, country=country
                )
        return result

    def resolve_within(
        self, phrase: str, ctx: Context, hints: Hints, prefer: tuple[str, ...] = ()
    ) -> ResolvedPlace:
        """``phrase`` read as part of a mention ("the Wedza district" beside a site): its
        readings as for a mention, without the checks only a whole mention gets (an anchor
        abroad, a spelling variant far from the text's places)."""
        return self._resolve_phrase(phrase, ctx, hints, 1, prefer)

    def _resolve_phrase(
        self, text: str, ctx: Context, hints: Hints, depth: int, prefer: tuple[str, ...] = ()
    ) -> ResolvedPlace:
        key = normalize(text)
        if not key:
            return _unresolved(text, "empty place name")
        exact_name = self.gazetteer.has_key(key) or _is_adjective(text)
        for reading in readings_of(text) if depth < 3 else ():
            if exact_name and reading.relation not in (
                "distance",
                "outskirts",
                "near",
                "in",
                "within",
            ):
                break  # "North Darfur", "West Bank": the whole phrase is a name
            inner_ctx = self._with_area(ctx, reading.within) if reading.within else ctx
            inner = self._resolve_phrase(
                reading.anchor, inner_ctx, hints, depth + 1, reading.prefer or prefer
            )
            if inner.lat is None:
                continue
            if depth == 0 and reading.relation == NAMED_PART and text[:1].isupper():
                abroad = self._anchor_abroad(text, inner, ctx, hints)
                if abroad is not None:
                    return abroad
            if reading.site:
                site = site_near(self, reading.site, inner, ctx, hints)
                if site is not None:
                    return site
            return apply_relation(inner, reading)
        found = self.resolve_name(text, ctx, hints, prefer)
        if not exact_name and found.lat is not None and is_site_name(text):
            # a street or building of another name ("Penn Park" is not Penns Park)
            found = _unresolved(text, f"no gazetteer entry is named {text!r}")
        if depth == 0 and not exact_name and found.lat is not None:
            alone = variant_apart(self, text, found, ctx, hints)
            if alone is not None:
                return alone
        # A town known by the name only as an alternate name, or lying in an area the text does
        # not name, or only in countries the text rules out, is placed so too, by a town
        # written as holding it ("the city's Abbassiya district", "Houston's Maryville district").
        if (
            depth == 0
            and hints.text
            and (not exact_name or found.lat is None or town_elsewhere(self, found, key, ctx))
        ):
            placed = in_town_written_after(self, text, found, ctx, hints, holding_only=exact_name)
            if placed is not None:
                return placed
        if depth == 0 and hints.text and exact_name:
            placed = namesake_in_town_written_after(self, text, found, ctx, hints)
            if placed is not None:
                return placed
        if found.lat is None and depth == 0:
            named = resolve_inner_name(self, text, ctx, hints)
            if is_site_name(text):
                return (
                    site_in_town(self, text, named, ctx, hints)
                    or unknown_in_written_area(self, text, ctx, hints)
                    or _unresolved(
                        text,
                        "a street, building or site the gazetteer lacks, in no town the text names",
                    )
                )
            return (
                named
                or unknown_in_written_area(self, text, ctx, hints)
                or unknown_in_town(self, text, ctx, hints)
                or found
            )
        return found

    def _anchor_abroad(
        self, text: str, anchor: ResolvedPlace, ctx: Context, hints: Hints
    ) -> ResolvedPlace | None:
        """For ``anchor``, the place a reading of ``text`` relates to ("West Midlands": the west
        of Midlands, Zimbabwe), lying in a country the text never names while it surely names
        another (as :func:`_ruled_out`): ``text`` in the area the text is surely about
        (:meth:`_sure_area`); None when the anchor is not ruled out so."""
        if hints.country or not _text_rules_out(anchor.country, ctx):
            return None  # (the caller's country, or a country the text may mean: it stands)
        area = self._sure_area(ctx)
        if area is None:
            return None
        placed = self.resolve_name(area.name, ctx, hints, (area.feature,))
        if placed.place_id != area.id:
            return None  # (the area's name reads as another place here)
        return placed.model_copy(
            update={
                "centroid": True,
                "score": round(placed.score * SITE_IN_TOWN_FACTOR, 3),
                "rejected": [],
                "reason": f"{text!r} read around {anchor.name!r}, in a country the text rules "
                f"out: placed in the area the text is surely about; {placed.reason}",
            }
        )

    def _sure_area(self, ctx: Context) -> GazPlace | None:
        """The first-level area the text votes for most (``SURE_COUNTRY_VOTES`` or more) in the
        country it votes for most, else that country."""
        if not ctx.countries:
            return None
        country = max(ctx.countries, key=ctx.countries.__getitem__)
        admin1s = {
            code: votes
            for (nation, code), votes in ctx.admin1s.items()
            if nation == country and votes >= SURE_COUNTRY_VOTES
        }
        if admin1s:
            area = self._area(f"{country}.{max(admin1s, key=admin1s.__getitem__)}")
            if area is not None:
                return area
        return self._area(country)

    def _with_area(self, ctx: Context, area: str) -> Context:
        """``ctx`` plus the areas named in ``area`` ("Idlib", "Ga."), counted twice."""
        named = self.scanner.scan_context(area if area[:1].isupper() else area.title())
        countries = dict(ctx.countries)
        admin1s = dict(ctx.admin1s)
        for cc, w in named.countries.items():
            countries[cc] = countries.get(cc, 0) + 2 * w
        for key, w in named.admin1s.items():
            admin1s[key] = admin1s.get(key, 0) + 2 * w
        return Context(countries, admin1s)

    def resolve_name(
        self, text: str, ctx: Context, hints: Hints, prefer: tuple[str, ...] = ()
    ) -> ResolvedPlace:
        """``text`` as a name the gazetteer holds, not read as a phrase ("near X", "X's
        north"); entries of a kind in ``prefer`` (``feature``: "site", "admin2") score higher.
        For rules placing a site by a town or area the text writes (:mod:`docket.geo.sites`)."""
        matches = self.gazetteer.candidates(text)
        matches = [m for m in matches if m.name_score >= MIN_NAME_SCORE]
        namesakes = bool(matches)
        if matches and matches[0].matched_key != name_key(text):
            # Spelling variants (no exact name fits): none in a country the text rules out.
            matches = [m for m in matches if not _ruled_out(m.place, ctx, hints)]
        elif matches and not any(m.name_score == 1.0 for m in matches):
            matches = [m for m in matches if not _alias_town_ruled_out(m.place, ctx, hints)]
        county = ctx.county_names.get(name_key(text)) if ctx.county_names else None
        if county:
            # The text calls this name a county ("Clarke" beside "Clarke County").
            key = name_key(county)
            matches += [
                Match(p, 1.0, key) for p in self.gazetteer.lookup_key(key) if p.feature == "admin2"
            ]
            prefer = (*prefer, "admin2")
        own_name = any(m.name_score == 1.0 for m in matches)
        area = self._area_of_abbreviation(text, ctx, named_only=own_name)
        if area is None and not own_name:
            area = self._country_of_demonym(text)
        if area is not None:
            matches = [Match(area, 1.0, name_key(text))]
        elif text.strip() in area_adjectives():
            # (the region competes with any place of the word's own name: "Welsh", Louisiana)
            matches += self._areas_of_adjective(text.strip())
        if not matches and namesakes:
            return _unresolved(text, f"{text!r} names only places in countries the text rules out")
        if not matches:
            return _unresolved(text, f"no gazetteer entry is named {text!r} or a close spelling")
        scored = self._rank(matches, ctx, hints, prefer)
        best_score, best = scored[0]
        total = sum(math.exp(s - best_score) for s, _ in scored)
        confidence = round(best.name_score / total, 3)
        place = best.place
        return ResolvedPlace(
            place_id=place.id,
            name=place.name,
            lat=place.lat,
            lon=place.lon,
            precision=place.precision,
            admin1=place.admin1 or None,
            country=place.country or None,
            score=confidence,
            centroid=place.is_area,
            rejected=[_rejected(m, s) for s, m in scored[1 : 1 + MAX_REJECTED]],
            reason=_why(best, ctx, hints, text, dominant=self._dominance_bonus(best, ctx) > 0),
        )

    def _country_of_demonym(self, text: str) -> GazPlace | None:
        """The country ``text`` is the demonym of ("German": Germany), or None."""
        code = demonyms().get(text.strip())
        if code is None:
            return None
        return self._area(code)

    def _areas_of_adjective(self, adjective: str) -> list[Match]:
        """The areas named by the region ``adjective`` is the adjective of ("Basque": the
        Basque Country; context.yaml ``area_adjectives``), as exact matches."""
        key = name_key(area_adjectives()[adjective])
        return [Match(p, 1.0, key) for p in self.gazetteer.lookup_key(key) if p.is_area]

    def _area(self, code: str) -> GazPlace | None:
        """The country ("DE") or first-level area ("AU.05") of ``code``."""
        if self._areas is None:
            self._areas = {
                p.country if p.feature == "country" else f"{p.country}.{p.admin1_code}": p
                for feature in ("admin1", "country")
                for p in self.gazetteer.of_feature(feature)
            }
        return self._areas.get(code)

    def _area_of_abbreviation(
        self, text: str, ctx: Context, *, named_only: bool
    ) -> GazPlace | None:
        """The country or first-level area ``text`` abbreviates ("NSW", "T&T"; context.yaml
        ``abbreviations``): the reading in the country the text names most, else (unless
        ``named_only``: a place has the name as its own, "Wa" in Ghana for "WA") its only
        reading; None otherwise."""
        codes = abbreviations().get(text.strip())
        if not codes:
            return None
        areas = [area for area in map(self._area, codes) if area is not None]
        named = [a for a in areas if ctx.countries.get(a.country, 0.0) > 0]
        if named:
            return max(named, key=lambda a: ctx.countries[a.country])
        return areas[0] if len(areas) == 1 and not named_only else None

    def _score(
        self,
        match: Match,
        ctx: Context,
        hints: Hints,
        prefer: tuple[str, ...],
    ) -> float:
        place = match.place
        score = NAME_WEIGHT * match.name_score
        score += _feature_prior(place)
        score += POPULATION_WEIGHT * math.log10(_known_population(place) + 1)
        score += self._dominance_bonus(match, ctx)
        score += self._country_vote(place, ctx)
        score += ADMIN1_IN_CONTEXT * min(
            ctx.admin1s.get((place.country, place.admin1_code), 0.0), CONTEXT_CAP
        )
        if hints.country and place.country == hints.country:
            score += HINT_BONUS
        if hints.admin1 and _same_admin1(place, hints.admin1):
            score += HINT_BONUS
        if not place.is_area:
            score += NEARBY_WEIGHT * ctx.nearby(place.lat, place.lon)
        if ctx.counties or ctx.town_counties:
            score += COUNTY_IN_CONTEXT * _county_support(place, ctx)
        if prefer and place.feature in prefer:
            score += PREFER_BONUS
        if place.feature in cued_kinds() and place.feature in self._cued_features(hints.text):
            score += FEATURE_CUE_BONUS
        return score

    def _dominance_bonus(self, match: Match, ctx: Context) -> float:
        """``DOMINANCE_WEIGHT`` per power of ten ``match`` is bigger than its biggest namesake
        when it is, by the mention's own name, the town that name means on its own
        (``scan.dominant_town``); else 0."""
        place = match.place
        if (
            match.matched_key != ctx.mention
            or place.feature != "city"
            or place.population < CONTEXT_TOWN_POPULATION  # (no town this small dominates)
        ):
            return 0.0
        found = self.scanner.dominant_town(match.matched_key)
        if found is None or found[0].id != place.id:
            return 0.0
        return DOMINANCE_WEIGHT * min(math.log10(found[1]), DOMINANCE_CAP)

    def _state_shares(self, ctx: Context) -> dict[tuple[str, str], float]:
        """The first-level areas of the text's other names of several towns, each with the
        sum of those names' shares of people living there (:meth:`_state_shares_of`)."""
        total: dict[tuple[str, str], float] = {}
        for key in dict.fromkeys(ctx.towns):
            if key not in ctx.excluded:
                for area, share in self._state_shares_of(key).items():
                    total[area] = total.get(area, 0.0) + share
        return total

    def _state_shares_of(self, key: str) -> dict[tuple[str, str], float]:
        """For a name of several towns, none famous, that votes for no area on its own (the
        biggest at least ``CONTEXT_TOWN_POPULATION``): the share of their people living in
        each first-level area. Empty for any other name (kept by key)."""
        found = self._state_shares_cache.get(key)
        if found is None:
            found = _state_shares(self.gazetteer.lookup_key(key))
            remember(self._state_shares_cache, key, found)
        return found

    @staticmethod
    def _country_vote(place: GazPlace, ctx: Context) -> float:
        return COUNTRY_IN_CONTEXT * min(ctx.countries.get(place.country, 0.0), CONTEXT_CAP)

    def _rank(
        self, matches: list[Match], ctx: Context, hints: Hints, prefer: tuple[str, ...]
    ) -> list[tuple[float, Match]]:
        scores = {id(m): self._score(m, ctx, hints, prefer) for m in matches}
        if hints.usage:
            _apply_usage(matches, scores, hints.usage)
        if ctx.lent:
            _apply_colocation(matches, scores, ctx)
        if ctx.towns and _among_namesake_towns(matches):
            _apply_state_coherence(matches, scores, self._state_shares(ctx))
        if not prefer:
            _rank_namesakes(matches, scores, ctx, hints)
        if ctx.longer:
            _discount_own_counties(matches, scores, ctx)
        _own_names_first(matches, scores)
        _own_names_at_home(matches, scores, ctx)
        return sorted(((scores[id(m)], m) for m in matches), key=lambda sm: -sm[0])

    @staticmethod
    @lru_cache(maxsize=512)
    def _country_code(country: str | None) -> str | None:
        if not country:
            return None
        if len(country) == 2:
            return country.upper()
        try:
            return str(pycountry.countries.lookup(country).alpha_2)
        except LookupError:
            places = packaged_gazetteer().lookup(country)
            found = [p.country for p in places if p.feature == "country"]
            return found[0] if found else None


def _cast_only_in(text: Context, taken_out: Context, key: str) -> float | None:
    """The factor of the vote the name ``key`` cast in ``text`` (``Context.cast``) when
    ``taken_out``, the mention read alone, cast none; None otherwise."""
    if key in taken_out.cast:
        return None
    return text.cast.get(key)


def _apply_usage(matches: list[Match], scores: dict[int, float], usage: str) -> None:
    """Raise the exact-named areas (``AREA_USE``: "New York state", "governor of Georgia") or
    towns (``TOWN_USE``: "the mayor of Quebec") by ``USAGE_BONUS``."""
    for match in matches:
        if match.name_score == 1.0 and match.place.is_area == (usage == AREA_USE):
            scores[id(match)] += USAGE_BONUS


def _apply_colocation(matches: list[Match], scores: dict[int, float], ctx: Context) -> None:
    """Raise the towns of the name that have other names of the text around them
    (``COLOCATED_KM``), by ``COLOCATED_WEIGHT`` a name (``COLOCATED_CAP`` at most), when some
    town of the name has ``COLOCATED_MIN`` of them; not for a name of a country or
    first-level area (``names_an_area``: "Florida" beside two towns of New York is still the
    state)."""
    if len(matches) < 2 or ctx.lenders_besides() < COLOCATED_MIN:
        return  # (nothing to choose between, or too few names to place one)
    counts = []
    for m in matches:
        if m.name_score == 1.0 and not m.place.is_area:
            found = ctx.names_around(m.place.lat, m.place.lon, COLOCATED_KM, enough=COLOCATED_CAP)
            if found:
                counts.append((m, found))
    if max((found for _, found in counts), default=0) < COLOCATED_MIN:
        return
    if names_an_area([m.place for m in matches if m.name_score == 1.0]):
        return
    for m, found in counts:
        scores[id(m)] += COLOCATED_WEIGHT * found


def _among_namesake_towns(matches: list[Match]) -> bool:
    """Whether the mention's own name is shared by towns in several first-level areas, none
    of them famous, and names no area (state coherence is for the Andersons)."""
    towns = [m.place for m in matches if m.name_score == 1.0 and not m.place.is_area]
    areas = {(p.country, p.admin1_code) for p in towns}
    return (
        len(areas) > 1
        and not any(is_famous(p) for p in towns)
        and not names_an_area([m.place for m in matches if m.name_score == 1.0])
    )


def _apply_state_coherence(
    matches: list[Match], scores: dict[int, float], shares: dict[tuple[str, str], float]
) -> None:
    """Raise each town of the mention's name by ``STATE_COHERENCE_WEIGHT`` times the shares of
    the text's other namesake towns' people in its first-level area (``STATE_SHARE_CAP`` at
    most)."""
    if not shares:
        return
    for m in matches:
        if m.name_score == 1.0 and not m.place.is_area:
            share = shares.get((m.place.country, m.place.admin1_code), 0.0)
            scores[id(m)] += STATE_COHERENCE_WEIGHT * min(share, STATE_SHARE_CAP)


def _state_shares(places: list[GazPlace]) -> dict[tuple[str, str], float]:
    """See :meth:`Geocoder._state_shares_of`."""
    towns = [p for p in places if p.feature in ("city", "capital")]
    if len(towns) < 2 or names_an_area(places) or any(is_famous(p) for p in towns):
        return {}
    people = sum(p.population for p in towns)
    if max(p.population for p in towns) < CONTEXT_TOWN_POPULATION or place_votes(places) != (
        (),
        (),
    ):
        return {}
    shares: dict[tuple[str, str], float] = {}
    for p in towns:
        area = (p.country, p.admin1_code)
        shares[area] = shares.get(area, 0.0) + p.population / people
    return shares


def _own_names_first(matches: list[Match], scores: dict[int, float]) -> None:
    """A town known by the name only as an alternate name ("Cartersville" is also listed as
    "Birmingham") ranks below a place ``ALIAS_TOWN_SHARE`` times its size whose own name it
    is, whatever the context."""
    own = [m.place.population for m in matches if m.name_score == 1.0 and not m.place.is_area]
    if not own:
        return
    biggest = max(own)
    cap = max(scores[id(m)] for m in matches if m.name_score == 1.0) - NAMESAKE_TOWN_BONUS
    for alias in matches:
        if (
            alias.name_score < 1.0
            and alias.place.feature in ("city", "capital", "locality")
            and alias.place.population * ALIAS_TOWN_SHARE < biggest
        ):
            scores[id(alias)] = min(scores[id(alias)], cap)


def _own_names_at_home(matches: list[Match], scores: dict[int, float], ctx: Context) -> None:
    """A town known by the name only as an alternate name ranks below the towns of its country
    whose own name it is, when the biggest of them is bigger ("Maryville" is also listed for
    Beeville, Texas: not the Texan town in a text that names Texas for another reason;
    "Newcastle" for Newcastle upon Tyne stays), unless the text places it: names its county, or
    places around it."""
    aliases = [
        m
        for m in matches
        if m.name_score < 1.0 and m.place.feature in ("city", "capital", "locality")
    ]
    if not aliases:
        return
    # country -> (population of its biggest own-name town, best score of its own-name towns)
    own: dict[str, tuple[int, float]] = {}
    for m in matches:
        if m.name_score == 1.0 and not m.place.is_area:
            people, score = own.get(m.place.country, (0, -math.inf))
            own[m.place.country] = (max(people, m.place.population), max(score, scores[id(m)]))
    for alias in aliases:
        people, score = own.get(alias.place.country, (0, 0.0))
        if people <= alias.place.population or _county_support(alias.place, ctx):
            continue
        if ctx.nearby(alias.place.lat, alias.place.lon) >= PLACED_NEARBY:
            continue
        scores[id(alias)] = min(scores[id(alias)], score - NAMESAKE_TOWN_BONUS)


def _rank_namesakes(
    matches: list[Match], scores: dict[int, float], ctx: Context, hints: Hints
) -> None:
    """The ranking rule for a bare name that places of several kinds share, on top of the
    additive score (name, kind and population priors, context votes: how likely each place
    is on its own). Which kind a shared name means, from the most prominent kind down,
    unless the text places the other:

    1. A prominent place -- a country, nation, continent, sea or region by any of its names,
       a capital by its own -- ranks above every town of that name elsewhere that the text
       does not place (its first-level area or county named, the caller's admin1 or country,
       or for a capital's namesake its neighbours: "Turkey, N.C.", "Paris, Texas", "the
       Atlantic"), except that a capital the text does not place ranks below a big city of its
       name in a country the text names (``_rival_of_capital``); a country also ranks above
       its own areas of its name (the country "Mexico", not the State of Mexico) and its own
       towns known by the name only as an alias (not Mexico City). A text that uses the name
       for a town (a dateline, "the mayor of") ranks no area first.
    2. A town inside an area of its name, holding a fifth of its people, ranks just above the
       area ("Idlib", "Gaza"), unless the text uses the name for the area ("New York state").
    3. A first-level area ranks above a country of its name abroad when the text is about the
       area's country (``AREA_COUNTRY_VOTES`` more): "Georgia" in an American text.
    """
    for famous in matches:
        if not _is_prominent(famous) or (hints.usage == TOWN_USE and famous.place.is_area):
            continue  # (a text using the name for a town: no area ranks first)
        rival = _rival_of_capital(famous, matches, ctx, hints)
        if rival is not None:
            scores[id(famous)] = min(scores[id(famous)], scores[id(rival)] - NAMESAKE_TOWN_BONUS)
        cap = scores[id(famous)] - NAMESAKE_TOWN_BONUS
        for other in matches:
            if (
                other is not famous
                and other is not rival
                and _ranks_below(other, famous, ctx, hints)
            ):
                scores[id(other)] = min(scores[id(other)], cap)
    if hints.usage != AREA_USE:
        for area in matches:
            if area.place.feature in ("admin1", "admin2"):
                for town in matches:
                    if _is_namesake_town_of(town, area):
                        scores[id(town)] = max(
                            scores[id(town)], scores[id(area)] + NAMESAKE_TOWN_BONUS
                        )
    for country in matches:
        if country.place.feature != "country" or country.name_score < 1.0:
            continue
        against = ctx.countries.get(country.place.country, 0.0)
        for area in matches:
            if (
                area.place.feature == "admin1"
                and area.name_score == 1.0
                and ctx.countries.get(area.place.country, 0.0) >= AREA_COUNTRY_VOTES + against
            ):
                scores[id(area)] = max(scores[id(area)], scores[id(country)] + NAMESAKE_TOWN_BONUS)


def _is_prominent(match: Match) -> bool:
    """A wide area by any of its names ("Britain", "the Atlantic"), or a capital by its own."""
    return _is_wide_area(match.place) or (
        match.place.feature == "capital" and match.name_score == 1.0
    )


def _ranks_below(other: Match, famous: Match, ctx: Context, hints: Hints) -> bool:
    """Whether ``other`` ranks below the prominent place ``famous`` (rule 1 of
    :func:`_rank_namesakes`)."""
    place, prominent = other.place, famous.place
    if place.is_area:
        return (
            prominent.feature == "country"
            and place.feature in ("admin1", "admin2")
            and place.country == prominent.country
            and other.matched_key == famous.matched_key
        )
    if place.country == prominent.country:
        return prominent.feature == "country" and other.name_score < 1.0
    if place.feature == "capital":
        return False
    return not _placed_by_text(place, ctx, hints, nearby=prominent.feature == "capital")


def _rival_of_capital(
    famous: Match, matches: list[Match], ctx: Context, hints: Hints
) -> Match | None:
    """The city of ``famous``'s name that outranks it when ``famous`` is a capital the text
    does not place (its country never named, nothing around it): a city big enough to be
    meant on its own (``CAPITAL_RIVAL`` people) in a country the text names surely. "A London
    rally ... thanked Canada" is in Ontario."""
    capital = famous.place
    if capital.feature != "capital" or ctx.countries.get(capital.country):
        return None
    rivals = [
        m
        for m in matches
        if m.place.feature == "city"
        and m.place.population >= CAPITAL_RIVAL
        and ctx.countries.get(m.place.country, 0.0) >= SURE_COUNTRY_VOTES
    ]
    if not rivals or _placed_by_text(capital, ctx, hints, nearby=True):
        return None
    return max(rivals, key=lambda m: m.place.population)


def _is_namesake_town_of(town: Match, area: Match) -> bool:
    """A town inside ``area``, of its name, holding at least 1/``NAMESAKE_SHARE`` of its
    people."""
    return (
        town.place.feature in ("city", "capital")
        and town.place.country == area.place.country
        and town.place.admin1_code == area.place.admin1_code
        and town.matched_key == area.matched_key
        and town.place.population * NAMESAKE_SHARE >= area.place.population
    )


@dataclass(frozen=True)
class Hints:
    """What is known of a mention beside its words: the country and admin1 that the caller or
    the text around it gives, how the text uses a name shared by a town and its area, the text."""

    country: str | None
    admin1: str | None
    # AREA_USE or TOWN_USE when the text says how a name shared by a town and its area is
    # meant ("New York state", "Quebec City"); None when it does not.
    usage: str | None = None
    # The text around the mention, read for feature cues only when a candidate is of a cued kind
    # (an airport): most mentions have none, and a search of the whole text costs.
    text: str = ""


def _holds_town(county: GazPlace, town: GazPlace) -> bool:
    """Whether the second-level area ``county`` holds ``town`` (the town's county is written
    with or without its kind: "Laguna", "Province of Laguna")."""
    if (town.country, town.admin1_code) != (county.country, county.admin1_code):
        return False
    name, held = name_key(county.name), name_key(town.admin2)
    return bool(held) and f" {name} " in f" {held} "


def _county_support(place: GazPlace, ctx: Context) -> int:
    """1 when the text names the county of this town, or a town in this county; else 0."""
    if not place.admin2:
        return 0
    county = _county_of(place)
    if place.feature in ("city", "capital", "locality"):
        return int(ctx.names_county(county))
    if place.feature == "admin2":
        return int(ctx.names_town_in(county))
    return 0


def _discount_own_counties(matches: list[Match], scores: dict[int, float], ctx: Context) -> None:
    """A town whose county the text names only by a longer form of the mention ("Dublin City"
    for "Dublin") loses that county's support when the text names the county of another
    candidate apart from the mention ("Franklin County" beside "Dublin"): a name's own longer
    form is not independent evidence against it."""
    supported = [
        m for m in matches if m.place.admin2 and m.place.feature in ("city", "capital", "locality")
    ]
    if not any(ctx.names_county_apart(_county_of(m.place)) for m in supported):
        return
    for match in supported:
        county = _county_of(match.place)
        if ctx.names_county(county) and not ctx.names_county_apart(county):
            scores[id(match)] -= COUNTY_IN_CONTEXT


def _county_of(place: GazPlace) -> County:
    return (place.country, place.admin1_code, place.admin2)


def _placed_by_text(place: GazPlace, ctx: Context, hints: Hints, *, nearby: bool) -> bool:
    """Whether the text names the first-level area or the county of ``place``, or (with
    ``nearby``) places around it (or ``COLOCATED_MIN`` names within ``COLOCATED_KM``: "Paris"
    beside two towns of Lamar County, Texas), or the caller gave its admin1 or country
    ("Paris, Texas")."""
    if (hints.admin1 and _same_admin1(place, hints.admin1)) or hints.country == place.country:
        return True
    if place.population and ctx.admin1s.get((place.country, place.admin1_code), 0.0) >= 1.0:
        return True  # (a hamlet of unknown size needs its county named)
    if nearby and (
        ctx.nearby(place.lat, place.lon) >= PLACED_NEARBY
        or (
            ctx.lenders_besides() >= COLOCATED_MIN
            and ctx.names_around(place.lat, place.lon, COLOCATED_KM, enough=COLOCATED_MIN)
            >= COLOCATED_MIN
        )
    ):
        return True
    return _county_support(place, ctx) > 0


def _is_adjective(text: str) -> bool:
    """Whether ``text`` is the adjective of a country or region ("German", "Basque"), which
    names its area as surely as the area's own name."""
    written = text.strip()
    return written in demonyms() or written in area_adjectives()


def _is_adjective_of(text: str, place: GazPlace) -> bool:
    """Whether ``text`` is the adjective of ``place`` itself ("German": Germany; "Basque": the
    Basque Country), not of some other place that won by its name ("El Bosque")."""
    written = text.strip()
    if place.feature == "country" and demonyms().get(written) == place.country:
        return True
    region = area_adjectives().get(written)
    return place.is_area and region is not None and name_key(region) == name_key(place.name)


def _ruled_out(place: GazPlace, ctx: Context, hints: Hints) -> bool:
    """Whether the caller's country, or the country the text names surely
    (``SURE_COUNTRY_VOTES``) while never naming ``place``'s, rules ``place`` out."""
    if hints.country:
        return place.country != hints.country
    return _text_rules_out(place.country, ctx)


def _text_rules_out(country: str | None, ctx: Context) -> bool:
    """Whether the text names a country surely (``SURE_COUNTRY_VOTES``) while never naming
    ``country``."""
    if not country or ctx.countries.get(country):
        return False
    return max(ctx.countries.values(), default=0.0) >= SURE_COUNTRY_VOTES


def _alias_town_ruled_out(place: GazPlace, ctx: Context, hints: Hints) -> bool:
    """Whether ``place``, a town known by the name only as an alternate name ("Toco" is listed
    for Tocco da Casauria), lies in a country the text rules out (:func:`_ruled_out`); a
    capital or an area keeps its alternate names ("Bombay", "Holland") whatever the text."""
    return place.feature != "capital" and not place.is_area and _ruled_out(place, ctx, hints)


def _same_admin1(place: GazPlace, admin1: str) -> bool:
    return bool(place.admin1) and normalize(place.admin1) == normalize(admin1)


def _unresolved(text: str, reason: str) -> ResolvedPlace:
    return ResolvedPlace(
        name=text, precision=LocationPrecision.country, score=0.0, reason=f"unresolved: {reason}"
    )


def _rejected(match: Match, score: float) -> dict[str, Any]:
    p = match.place
    return {
        "place_id": p.id,
        "name": p.name,
        "feature": p.feature,
        "admin1": p.admin1 or None,
        "country": p.country or None,
        "population": p.population,
        "score": round(score, 2),
    }


def _why(match: Match, ctx: Context, hints: Hints, text: str, *, dominant: bool) -> str:
    p = match.place
    if _is_adjective_of(text, p):
        how = f" ({text.strip()!r} is its adjective)"
    elif match.name_score == 1:
        how = " (exact name)"
    else:
        how = f" (spelling {match.name_score:.2f})"
    parts = [f"{p.feature} {p.name!r}{how}"]
    if hints.country == p.country or (hints.admin1 and _same_admin1(p, hints.admin1)):
        parts.append("matches the given admin1/country")
    if ctx.admin1s.get((p.country, p.admin1_code)):
        parts.append(f"{p.admin1} named in the text")
    elif ctx.countries.get(p.country):
        parts.append(f"{p.country} named in the text")
    if dominant:
        parts.append("the best known place of that name")
    if p.population:
        parts.append(f"population {p.population:,}")
    return "; ".join(parts)


def _areas_after(mention: str, context: str) -> Iterator[str]:
    """The capitalised words after each ``mention, `` in ``context`` (no regex compiled per
    mention: a plain search, then one precompiled pattern at each place found)."""
    start = context.find(mention)
    while start >= 0:
        found = _AREA_AFTER.match(context, start + len(mention))
        if found:
            yield found.group(1)
            start = context.find(mention, found.end())
        else:
            start = context.find(mention, start + 1)


@cache
def default_geocoder() -> Geocoder:
    """A geocoder on the packaged gazetteer (no database needed), built once per process."""
    return Geocoder(packaged_gazetteer())
