"""The built-in extraction components, registered exactly as third-party ones would be."""

from __future__ import annotations

import datetime as dt
import importlib
import operator
import re
from functools import cache, lru_cache
from typing import Any

from rapidfuzz.fuzz import ratio

from docket.domain import (
    AggregateClaim,
    Attribution,
    Claim,
    DatePrecision,
    LocationPrecision,
    PlaceMention,
    Range,
    ResolvedPlace,
    Span,
)
from docket.extract.casualties import (
    NAMED_GROUP,
    Bounds,
    Figure,
    combine,
    combined_bounds,
    find_figures,
    labelled_figures,
    named_victim_figures,
    none_reported,
)
from docket.extract.casualties import totals as count_totals
from docket.extract.dates import find_dates
from docket.extract.events import (
    Event,
    aggregate_sentences,
    cue_sentences,
    event_hits,
    in_range,
    is_aggregate,
    is_headline,
    other_kind_sentences,
    resolve_dates,
    segment_events,
)
from docket.extract.fastre import ends_after, first_char_guard, holds_any
from docket.extract.phrases import Hit, normalize_phrase
from docket.extract.pipeline import (
    EXTRACTOR_NAME,
    EXTRACTOR_VERSION,
    MAX_CHARS,
    DocState,
    Sentence,
    component,
    pad_entities,
)
from docket.extract.places import PlaceHit, find_places, skeleton
from docket.extract.resources import Resources, actor_name, resources
from docket.extract.splitter import sentence_starts
from docket.geo.gazetteer import distance_km
from docket.memo import remember

_NOT_PERPETRATOR_AFTER = re.compile(
    r"^(?:-run|-held|-controlled|-affiliated|-backed|-aligned|-allied|-led\s+(?:health|media)|['’]s?\s+"
    r"(?:health|foreign|defen[cs]e)?\s*ministry|\s+(?:spokesm[ae]n|spokesperson|officials?|said|says|"
    r"media|news|health ministry|ministry|statement|told|denied|accused|blamed|claimed|state media|"
    r"television|tv|ambassador|envoy|embassy|president|foreign minister|defen[cs]e ministry|sources?|"  # noqa: E501
    r"monitor|activists?|rebels? said|residents))\b",
    re.IGNORECASE,
)
_VICTIM_BEFORE = re.compile(
    r"(?:\b\d+|\bkilling|\bkilled|\bkill|\bwounding|\bwounded|\bagainst|\bon|\btargeting|"
    r"\bfighting|\bfought|\bcondemned by|\bdenounced by|\bcriticised by|\bcriticized by|\bwith|"
    r"\bstronghold of|\bheld by|\bcontrolled by|\bterritory of)"
    r"\s+(?:(?:\d+|several|dozens of|many|the|a|an|at least \d+)\s+)?$",
    re.IGNORECASE,
)
_FORCE_AFTER = re.compile(
    r"^(?:[\s,/-]+(?:and|or|regime|government|war|fighter|military|air|led|backed|s|[A-Z][\w-]+|"
    r"(?i:intensif(?:y|ied|ies)|step(?:ped|s)?\s+up|escalat(?:e|ed|es)|renew(?:ed|s)?|"
    r"continu(?:e|ed|es)\s+(?:its|their)|carried\s+out|conduct(?:ed|s)?|launch(?:ed|es)?)"
    r"(?:\s+(?:its|their|the|new|fresh|heavy))?)){0,4}?"
    r"[\s,/-]+(?i:forces|force|troops|army|military|jets?|warplanes?|war planes?|planes?|aircraft|"
    r"bombers?|helicopters?|drones?|artillery|missiles?|rockets?|strikes?|airstrikes?|air strikes?|"
    r"raids?|air raids?|shelling|bombardment|bombing|attacks?|airforce|air force|soldiers|navy|"
    r"militias?|militants|fighters|gunmen|shelled|bombed|struck|launched|attacked|killed|"
    r"targeted|hit|fired|pounded|operations?)\b"
)
_WEAK_OK_BEFORE = re.compile(
    r"(?:\b(?:believed to be|thought to be|suspected to be|likely|probably|presumably|either|by)\s+"
    r"(?:the\s+|an?\s+)?|-led\s+(?:military\s+)?)$",
    re.IGNORECASE,
)
_BY_START = operator.attrgetter("start")  # a C key function: no Python call per item
_PRECISION = {"day": DatePrecision.day, "week": DatePrecision.week, "month": DatePrecision.month}


@component("normalize", assigns=["text"])
def normalize(state: DocState) -> None:
    """Bound the text length and turn HTML entities into characters without moving offsets."""
    if len(state.text) > MAX_CHARS:
        state.messages.append(
            f"text of {len(state.text):,} characters: only the first {MAX_CHARS:,} were read"
        )
        state.text = state.text[:MAX_CHARS]
    if "&" in state.text:
        state.text = pad_entities(state.text)


@component("sentences", requires=["text"], assigns=["sentences"])
def sentences(state: DocState) -> None:
    """Sentences where spaCy's rule-based sentencizer puts them; a line break always ends one."""
    text = state.text
    if not text.strip():
        return
    starts = sentence_starts(text)
    for sent_start, sent_end in zip(starts, [*starts[1:], len(text)], strict=True):
        pos = sent_start
        for piece in text[sent_start:sent_end].split("\n"):
            stripped = piece.strip()
            if stripped:
                start = pos + piece.index(stripped[0])
                state.sentences.append(Sentence(start, start + len(stripped)))
            pos += len(piece) + 1
    if state.sentences and is_headline(state, 0):
        state.sentences[0].headline = True


@component("phrases", requires=["sentences"], assigns=["hits"])
def phrases(state: DocState) -> None:
    """Actors, weapons, targets, event triggers, hedges and aggregate cues from the data files."""
    res = state.res
    text = state.text
    state.hits = {
        "actor": res.actors.find(text),
        "weapon": res.weapons.find(text),
        "target": res.targets.find(text),
        "trigger": res.triggers.find(text),
        "hedge": res.hedges.find(text),
        "aggregate_cue": res.aggregate_cues.find(text),
        "new_event": res.new_event_cues.find(text),
        "aggregate_tight": res.aggregate_tight_cues.find(text),
        "aggregate_counted": res.aggregate_counted.find(text),
    }


@component("dates", requires=["sentences"], assigns=["dates"])
def dates(state: DocState) -> None:
    """Date phrases resolved against the published date (see :mod:`docket.extract.dates`)."""
    state.dates = find_dates(state.text, state.published, state.language, state.res)


@component("casualties", requires=["sentences"], assigns=["figures", "named_victims"])
def casualties(state: DocState) -> None:
    """Killed and injured figures with their ranges and who they were; people named."""
    spans = [(s.start, s.end) for s in state.sentences]
    figures = find_figures(state.text, spans, state.res)
    starts = [s for s, _ in spans]
    counted = {(f.sentence, f.kind) for f in figures}
    state.named_victims = named_victim_figures(state.text, starts, state.res)
    extra = labelled_figures(state.text, starts, state.res) + [
        f  # a named person counts only where no number counts the same people
        for f in state.named_victims
        if (f.sentence, f.kind) not in counted
    ]
    state.figures = sorted(figures + extra, key=lambda f: f.start) if extra else figures
    state.none_reported = none_reported(state.text, state.res)


@component("places", requires=["sentences"], assigns=["places"])
def places(state: DocState) -> None:
    """Place mentions as written, with their relation ("near", "12 km south of")."""
    state.places = find_places(state.text, state.res)


@component(
    "events", requires=["hits", "dates", "figures", "places"], assigns=["events", "aggregates"]
)
def events(state: DocState) -> None:
    """One event per distinct attack or other event; background statistics as aggregates."""
    state.events = segment_events(state)
    resolve_dates(state, state.events)
    state.aggregates = _aggregates(state)


@component("event_type", requires=["events"], assigns=["event_type"])
def event_type(state: DocState) -> None:
    """Weapons and the ACLED sub-event type of each event, by the rules in event_rules.yaml."""
    res = state.res
    single = len(state.events) == 1
    previous: Event | None = None
    for event in state.events:
        hits = event_hits(state, event, "weapon")
        if not hits:
            hits = _sentence_hits(state, event, "weapon")
        if single:
            hits = hits + _cue_sentence_hits(state, "weapon", exclude=event)
        event.weapons = _weapons(hits, state)
        groups: list[str] = []
        for hit in event_hits(state, event, "trigger"):
            groups.extend(g for g in hit.labels if g not in groups)
        event.triggers = groups
        listed = previous is not None and not _stands_apart(event) and set(groups) <= {"attack"}
        if not event.weapons and listed and previous is not None:
            # one of a list ("... and eight in Belyun"): the means of the event before
            event.weapons = list(previous.weapons)
        previous = event
        event.event_type = _event_type(res, event.weapons, groups)


@component("claims", requires=["event_type"], assigns=["claims"])
def claims(state: DocState) -> None:
    """A :class:`~docket.domain.Claim` per event, every filled field with its evidence span."""
    single = len(state.events) == 1
    state.claims = []
    previous: Claim | None = None
    for event in state.events:
        claim = _claim(state, event, single)
        if (
            not claim.perpetrators
            and previous is not None
            and previous.perpetrators
            and not _stands_apart(event)
        ):
            claim.perpetrators = [p.model_copy() for p in previous.perpetrators]
        state.claims.append(claim)
        previous = claim


@component("geocode", requires=["claims"], assigns=["place"])
def geocode(state: DocState) -> None:
    """Resolve each claim's place with the geo stage's geocoder, when that stage is installed;
    coordinates the text states next to the place's name come first."""
    stated = _stated_coordinates(state)
    geocoder = _geocoder()
    for claim in state.claims:
        if claim.place is not None and _apply_stated(state, claim, stated):
            continue
        chosen = _chosen_mention(claim)
        if chosen is None or geocoder is None:
            continue
        try:
            resolved = geocoder.resolve_claim(claim, document_text=state.text, places=[chosen])
        except Exception as exc:  # noqa: BLE001 - a geocoder failure must not lose the claim
            state.messages.append(f"geocoding failed: {exc}")
            continue
        if resolved is None or resolved.lat is None:
            continue
        if not _same_name(resolved.name, chosen.text):
            continue  # resolved to another place than the one the text names
        if claim.country and resolved.country and resolved.country != claim.country:
            continue  # in another country than the text says
        admin1 = _canonical_admin1(state, resolved.admin1)
        resolved.admin1 = admin1 or resolved.admin1  # (a fresh result: set, not copied)
        claim.place = resolved
        claim.admin1 = admin1 or claim.admin1
        claim.country = resolved.country or claim.country


STATED_COORDINATES = "coordinates in the text"  # the reason of a point the text itself gives

# "36.1375975, 36.8284035", "14.07344°N 37.76440°E", "14.07344; 37.76440": decimal degrees.
# Possessive runs, each space taken one way only: no backtracking on long blank stretches.
_COORDINATES = re.compile(
    r"(?<![\d.])(?P<lat>-?\d{1,2}\.\d{3,}+)\s*+(?P<deg>°\s*+)?(?:(?P<ns>[NS])\s*+)?"
    r"(?:[,;/]\s*+)?(?P<lon>-?\d{1,3}\.\d{3,}+)\s*+(?:°\s*+)?(?P<ew>[EW])?(?!\d|\.\d)"
)
# Every stated point has a decimal point followed by three digits: a text without one is not
# scanned (a literal-led search, ~100x faster than the full pattern).
_DECIMALS = re.compile(r"\.\d{3}")
# A stated point further than this from where the gazetteer puts the named place is some other
# pair of numbers ("12.500, 18.250 displaced families").
STATED_POINT_MAX_KM = 50.0


def _stated_coordinates(state: DocState) -> list[tuple[int, float, float, bool]]:
    """Decimal coordinates written in the text: where they stand, the point, and whether they
    are marked as such (a degree sign, a hemisphere letter or four decimals and more)."""
    out: list[tuple[int, float, float, bool]] = []
    if _DECIMALS.search(state.text) is None:
        return out
    for m in _COORDINATES.finditer(state.text):
        lat, lon = float(m["lat"]), float(m["lon"])
        if m["ns"] == "S":
            lat = -abs(lat)
        if m["ew"] == "W":
            lon = -abs(lon)
        marked = bool(m["deg"] or m["ns"] or m["ew"]) or len(m["lat"].split(".")[1]) >= 4
        if abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0.0, 0.0):
            out.append((m.start(), lat, lon, marked))
    return out


def _apply_stated(
    state: DocState, claim: Claim, stated: list[tuple[int, float, float, bool]]
) -> bool:
    """Coordinates stated within a few lines after the claim's place name are its point, when
    they lie near where the gazetteer puts it (or, for a place it lacks, look like coordinates)."""
    assert claim.place is not None
    name = claim.place.name.lower()
    for pos, lat, lon, marked in stated:
        if not _plausible_point(claim.place, lat, lon, marked):
            continue
        if name and name in state.text[max(0, pos - 300) : pos].lower():
            claim.place = claim.place.model_copy(
                update={"lat": lat, "lon": lon, "score": 0.9, "reason": STATED_COORDINATES}
            )
            return True
    return False


def _plausible_point(place: ResolvedPlace, lat: float, lon: float, marked: bool) -> bool:
    if place.lat is None or place.lon is None:
        return marked
    return distance_km(place.lat, place.lon, lat, lon) <= STATED_POINT_MAX_KM


def _canonical_admin1(state: DocState, name: str | None) -> str | None:
    """The regions file's name for a gazetteer's province ("Sa'dah" -> "Saada")."""
    if not name:
        return None
    for key in _admin1_keys(name):
        found = state.res.admin1.labels.get(key)
        if found:
            return found[0]
    return name


@lru_cache(maxsize=4096)
def _admin1_keys(name: str) -> tuple[str, str]:
    """The keys a province's name is looked up by: as written, and without its kind word."""
    plain = re.sub(
        r"\b(?:governorate|province|state|oblast|region|muhafazat)\b", "", name, flags=re.I
    )
    return normalize_phrase(unidecode_basic(name)), normalize_phrase(unidecode_basic(plain))


def unidecode_basic(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("‘", "'")


def _same_name(a: str, b: str) -> bool:
    """Names that differ only by transliteration ("Al Lataminah", "اللطامنة", "Latamneh")."""
    x, y = skeleton(a), skeleton(b)
    return x == y or (min(len(x), len(y)) >= 3 and ratio(x, y) >= 80)


def _chosen_mention(claim: Claim) -> PlaceMention | None:
    """The mention the claim's place was read from (None when the text names no place)."""
    if claim.place is None:
        return None
    return next((m for m in claim.places if m.text == claim.place.name), None) or next(
        (m for m in claim.places if skeleton(m.text) == skeleton(claim.place.name)), None
    )


@cache
def _geocoder() -> Any:
    try:
        module = importlib.import_module("docket.geo.geocoder")
    except ImportError:
        return None
    factory = getattr(module, "default_geocoder", None)
    if factory is None:
        return None
    try:
        return factory()
    except Exception:  # noqa: BLE001 - no gazetteer installed: extract without geocoding
        return None


# --- helpers ------------------------------------------------------------------------------


_TYPES_KEPT = 4096  # (weapons, triggers) answers remembered at most: a corpus names far fewer


def _event_type(res: Resources, weapons: list[str], groups: list[str]) -> str:
    """:func:`_rule_type`, remembered in ``res`` beside its rules: documents name few sets of
    weapons and triggers, and trying every rule for each event cost more than the rest of
    ``event_type``."""
    memo = res.event_types
    key = (tuple(weapons), tuple(groups))
    found = memo.get(key)
    if found is None:
        found = remember(memo, key, _rule_type(res.rules, weapons, groups), _TYPES_KEPT)
    return found


def _rule_type(rules: list[Any], weapons: list[str], groups: list[str]) -> str:
    """The first rule that holds; rules marked ``first_mention`` compete by the weapon named first
    (``weapons`` is in order of first mention)."""
    held = set(weapons)
    for i, rule in enumerate(rules):
        if rule.weapons_any and not held & rule.weapons_any:
            continue
        if rule.weapons_none and held & rule.weapons_none:
            continue
        if rule.triggers_any and not set(groups) & rule.triggers_any:
            continue
        if rule.first_mention:
            rivals = [r for r in rules[i:] if r.first_mention and held & r.weapons_any]
            first = next(w for w in weapons if any(w in r.weapons_any for r in rivals))
            return next(r.event_type for r in rivals if first in r.weapons_any)
        return str(rule.event_type)
    return "other"


def _stands_apart(event: Event) -> bool:
    """An event the text sets apart ("in a separate incident", "a day earlier"): it does not
    take the actor of the event before it."""
    first = event.segments[0]
    return first.separate or (event.date is not None and event.date.kind == "chain")


def _sentence_hits(state: DocState, event: Event, kind: str) -> list[Hit]:
    """Hits of ``kind`` in the whole sentences the event's segments come from."""
    out: list[Hit] = []
    for index in dict.fromkeys(seg.sentence for seg in event.segments):
        s = state.sentences[index]
        out.extend(in_range(state.hits[kind], s.start, s.end))
    return out


def _cue_sentence_hits(state: DocState, kind: str, exclude: Event) -> list[Hit]:
    """Hits of ``kind`` in other event-cue sentences of the body (for single-event texts)."""
    own = {seg.sentence for seg in exclude.segments}
    aggregate = aggregate_sentences(state)
    hits = state.hits[kind]
    out: list[Hit] = []
    for index in cue_sentences(state):
        if index not in own and index not in aggregate:
            s = state.sentences[index]
            out.extend(in_range(hits, s.start, s.end))
    return out


_NOT_WEAPON_AFTER = re.compile(
    r"^\s+(?:footage|video|videos|images|image|photos|photo|shots?|view|pilot|operators?|"
    r"launchers?|launch\s+(?:sites?|pads?|platforms?)|depots?|stockpiles?|factory|factories|"
    r"workshops?|warehouses?|storage|reconnaissance|surveillance|sightings?)\b",
    re.I,
)


def _weapons(hits: list[Hit], state: DocState) -> list[str]:
    res = state.res
    strong: list[str] = []
    weak: list[str] = []
    vague: list[str] = []
    ordered = sorted(hits, key=_BY_START)
    for i, hit in enumerate(ordered):
        if _NOT_WEAPON_AFTER.match(state.text[hit.end : hit.end + 20]):
            continue  # "drone footage", "missile launchers"
        phrase = normalize_phrase(hit.text)
        is_vague = phrase in res.vague_weapons
        if is_vague and i > 0 and not state.text[ordered[i - 1].end : hit.start].strip():
            continue  # "missile strikes", "drone strikes": the weapon before says it
        if is_vague:
            if not _labour_or_protest(state, hit):
                vague.extend(w for w in hit.labels if w not in vague)
            continue
        bucket = weak if phrase in res.weak_weapons else strong
        for label in hit.labels:
            if label not in bucket:
                bucket.append(label)
    families = {res.weapon_family.get(w) for w in strong}
    if not strong and not weak:
        return vague
    return strong + [
        w
        for w in weak
        if w not in strong
        and res.weapon_family.get(w) not in families
        and not (strong and w in res.weak_yields_to_any)
    ]


_LABOUR_STRIKE_BEFORE = re.compile(
    r"\b(?:hunger|general|labou?r|workers['’]?|teachers['’]?|held|staged|called|nationwide)\s+$",
    re.IGNORECASE,
)


def _labour_or_protest(state: DocState, hit: Hit) -> bool:
    """ "hunger strikes", "strikes and protests": a stoppage, not an attack."""
    if _LABOUR_STRIKE_BEFORE.search(state.text[max(0, hit.start - 30) : hit.start]):
        return True
    sentence = state.sentences[state.sentence_of(hit.start)]
    return any(
        "protest" in h.labels for h in in_range(state.hits["trigger"], sentence.start, sentence.end)
    )


def _figures(state: DocState, event: Event, single: bool) -> tuple[list[Figure], list[Figure]]:
    """The event's killed and injured figures; a text about one event lends it every figure
    outside statistics."""
    if single:
        aggregate = aggregate_sentences(state)
        sentences = state.sentences
        kept = [
            f
            for f in state.figures
            if f.kind in _COUNTED
            and f.sentence not in aggregate
            and not sentences[f.sentence].headline
        ]
        other = other_kind_sentences(state, {f.sentence for f in kept}, event)
        found = [f for f in kept if f.sentence not in other]
    else:
        figures = state.figures
        found = [f for seg in event.segments for f in in_range(figures, seg.start, seg.end)]
    return [f for f in found if f.kind == "killed"], [f for f in found if f.kind == "injured"]


_COUNTED = ("killed", "injured")

# A claim's records are built as plain dicts and validated once, with the claim (see _claim).
Fields = dict[str, Any]


def _count(figures: list[Figure]) -> Fields:
    """A :class:`~docket.domain.CasualtyCount`'s fields."""
    if not figures:
        return _NO_COUNT
    # a person named in one sentence is among those a number counts in another
    numbers = [f for f in figures if f.group > NAMED_GROUP]
    totals = count_totals(numbers or figures)
    if not totals:
        return _NO_COUNT
    total_low, total_high = total = combined_bounds(totals)
    civilian = [f for f in totals if f.civilian]
    combatant = [f for f in totals if f.victim == "combatant"]
    civilians = total if len(civilian) == len(totals) else combined_bounds(civilian)
    combatants = combined_bounds(combatant)
    if total_low is not None:
        civilians, combatants = _within_total(civilians, combatants, total_low)
    known_low = (civilians[0] or 0) + (combatants[0] or 0)
    unknown_low = total_low - known_low if total_low is not None else None
    if total_high is None:
        unknown_high = None
    else:
        known_high = (civilians[1] or 0) + (combatants[1] or 0)
        unknown_high = max(total_high - known_high, 0)
    unknown = (
        unknown_low if unknown_low else None,
        unknown_high if (unknown_high or unknown_low) else None,
    )
    if civilians == combatants == _OPEN:
        unknown = total
    return {
        "civilians": _range(civilians),
        "combatants": _range(combatants),
        "unknown": _range(unknown),
        "children": _subset_range([f for f in figures if f.victim == "child"]),
        "women": _subset_range([f for f in figures if f.victim == "woman"]),
    }


def _within_total(civilians: Bounds, combatants: Bounds, total_low: int) -> tuple[Bounds, Bounds]:
    """Civilians and combatants whose lows add up to at most ``total_low``: "4 people were
    killed" and later "9 civilians died" are 4 to 9 civilians, not 9 civilians and -5 others."""
    excess = (civilians[0] or 0) + (combatants[0] or 0) - total_low
    if excess <= 0:
        return civilians, combatants
    parts = []
    for low, high in (civilians, combatants):
        cut = min(excess, low or 0)
        excess -= cut
        parts.append((low - cut if low is not None else None, high))
    return parts[0], parts[1]


_OPEN: Bounds = (None, None)
_NO_RANGE: Fields = {"low": None, "high": None}
_NO_COUNT: Fields = {"civilians": _NO_RANGE, "combatants": _NO_RANGE, "unknown": _NO_RANGE}
_NONE_REPORTED: Fields = {"unknown": {"low": 0, "high": 0}}


def _range(bounds: Bounds) -> Fields:
    return {"low": bounds[0], "high": bounds[1]}


def _subset_range(figures: list[Figure]) -> Fields | None:
    """The children's or women's range, None when no figure bounds it."""
    bounds = combined_bounds(figures)
    return None if bounds == _OPEN else _range(bounds)


def _no_casualties(count: Fields) -> bool:
    """Whether a count's fields (from ``_count``) count no one: ``CasualtyCount.is_empty``."""
    return all(count[part] == _NO_RANGE for part in ("civilians", "combatants", "unknown"))


def _claim(state: DocState, event: Event, single: bool) -> Claim:
    spans: list[Fields] = []

    def span(name: str, start: int, end: int) -> None:
        spans.append({"field": name, "start": start, "end": end, "text": state.text[start:end]})

    for hit in event_hits(state, event, "weapon"):
        if any(w in event.weapons for w in hit.labels):
            span("weapons", hit.start, hit.end)
    if event.event_type:
        cue = _event_type_evidence(state, event)
        if cue is not None:
            span("event_type", cue.start, cue.end)
    date = None
    precision = None
    if event.date_value is not None and event.date_precision:
        date = event.date_value
        precision = _PRECISION.get(event.date_precision)
        if precision == DatePrecision.month:
            date = date.replace(day=1)
        if event.date is not None:
            span("date", event.date.start, event.date.end)
    perpetrators = _perpetrators(state, event, single)
    for _ref, hit in perpetrators:
        span("perpetrators", hit.start, hit.end)
    victims = _victims(state, event)
    targets = _targets(state, event, span)
    killed_figures, injured_figures = _figures(state, event, single)
    killed = _count(killed_figures)
    injured = _count(injured_figures)
    for f in killed_figures:
        span("killed", f.start, f.end)
    for f in injured_figures:
        span("injured", f.start, f.end)
    named = _named_victims(state, killed_figures + injured_figures)
    for f in named:
        span("named_victims", f.end - len(f.name or ""), f.end)
    none = (
        list(state.none_reported)
        if single
        else [
            h
            for seg in event.segments
            for h in in_range(state.none_reported, seg.start, seg.end + 200)
        ]
    )
    if none and _no_casualties(killed) and _no_casualties(injured):
        killed = injured = _NONE_REPORTED
        span("killed", none[0].start, none[0].end)
    place, admin1, country, mentions = _place(state, event, span, single)
    first = event.segments[0]
    quote_seg = next((s for s in event.segments if s.cue), first)
    quote = state.text[quote_seg.start : quote_seg.end].strip(" ,;.")
    qstart = state.text.find(quote, quote_seg.start)
    span("quote", qstart, qstart + len(quote))
    return Claim.model_validate(
        {
            "event_type": event.event_type,
            "date": date,
            "date_precision": precision,
            "places": mentions,
            "place": place,
            "admin1": admin1,
            "country": country,
            "perpetrators": [ref for ref, _ in perpetrators],
            "victims": victims,
            "named_victims": list(dict.fromkeys(f.name for f in named if f.name)),
            "weapons": event.weapons,
            "targets": targets,
            "casualties": {"killed": killed, "injured": injured},
            "quote": quote,
            "spans": spans,
            "extractor": EXTRACTOR_NAME,
            "extractor_version": EXTRACTOR_VERSION,
        }
    )


def _named_victims(state: DocState, figures: list[Figure]) -> list[Figure]:
    """The people named among those the event's ``figures`` count: a named victim's own figure,
    or one a number in its sentence counts ("three people, among them the nurse Salma Haddad,
    were killed")."""
    if not state.named_victims:
        return []
    counted = {(f.sentence, f.kind) for f in figures}
    return [f for f in state.named_victims if (f.sentence, f.kind) in counted]


def _event_type_evidence(state: DocState, event: Event) -> Hit | None:
    weapons = event_hits(state, event, "weapon")
    triggers = event_hits(state, event, "trigger")
    found = weapons or triggers
    return found[0] if found else None


def _perpetrators(state: DocState, event: Event, single: bool) -> list[tuple[Fields, Hit]]:
    """Actors the text puts forward for this event (:class:`ActorRef`'s fields): in its own words
    first, then around them."""
    found: list[tuple[Fields, Hit]] = []
    own = [
        s for s in event.segments if event.key and s.place and skeleton(s.place.name) == event.key
    ]
    for seg in own + [s for s in event.segments if s not in own]:
        # the first segment that names an actor attributes the event; the one naming the
        # event's place first ("Russian strikes killed nine in Balyun" over a day's lead)
        found = _actor_refs(state, in_range(state.hits["actor"], seg.start, seg.end))
        if found:
            break
    if not found:
        whole = []
        for index in dict.fromkeys(seg.sentence for seg in event.segments):
            s = state.sentences[index]
            whole.extend(in_range(state.hits["actor"], s.start, s.end))
        found = _actor_refs(state, whole)
    if not found and single:
        headline = [
            h
            for s in state.sentences
            if s.headline
            for h in in_range(state.hits["actor"], s.start, s.end)
        ]
        found = _actor_refs(state, headline) or _actor_refs(
            state, _cue_sentence_hits(state, "actor", exclude=event)
        )
    return found + _alternatives(state, event, found, single)


_ALTERNATIVE_JOIN = re.compile(r"^\s*,?\s*(?:or|and/or|and|أو)\s*$", re.IGNORECASE)
_AGENT_BEFORE = re.compile(
    r"\b(?:caused|carried\s+out|fired|launched|conducted|dropped)\s+by\s+(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)
_BOTH_BEFORE = re.compile(r"\bboth\s+(?:the\s+)?$", re.IGNORECASE)


def _alternatives(
    state: DocState, event: Event, found: list[tuple[Fields, Hit]], single: bool
) -> list[tuple[Fields, Hit]]:
    """An actor named as the alternative of one already found, elsewhere in the event's
    sentences: "it was unclear whether Syrian or Russian jets", "both the Syrian and Russian air
    forces fly over the province"."""
    known = {ref["actor_id"] for ref, _ in found}
    if not known:
        return []
    hits = _sentence_hits(state, event, "actor")
    if single:
        hits += _cue_sentence_hits(state, "actor", exclude=event)
    hits = sorted(dict.fromkeys(hits), key=_BY_START)
    out: list[tuple[Fields, Hit]] = []
    for hit in hits:  # "a tragic mishap caused by a Ukrainian missile"
        if hit.labels[0] not in known and _AGENT_BEFORE.search(
            state.text[max(0, hit.start - 30) : hit.start]
        ):
            for ref, h in _actor_refs(state, [hit]):
                known.add(ref["actor_id"])
                out.append((ref, h))
    for a, b in zip(hits, hits[1:], strict=False):
        ids = {a.labels[0], b.labels[0]}
        if (
            len(ids) < 2
            or not ids & known
            or not _ALTERNATIVE_JOIN.match(state.text[a.end : b.start])
        ):
            continue
        both = _BOTH_BEFORE.search(state.text[max(0, a.start - 12) : a.start])
        if " and" in state.text[a.end : b.start] and not both:
            continue
        for ref, hit in _actor_refs(state, [a, b]):
            if ref["actor_id"] not in known:
                known.add(ref["actor_id"])
                out.append((ref, hit))
    return out


def _actor_refs(state: DocState, hits: list[Hit]) -> list[tuple[Fields, Hit]]:
    """The fields of the actors (:class:`ActorRef`'s) that ``hits`` put forward, each with the
    hit that names it first."""
    ordered = sorted(hits, key=_BY_START)
    verdicts = [_actor_verdict(state, hit) for hit in ordered]
    weak = [weak_alone for weak_alone, _ in verdicts]
    out: dict[str, tuple[Fields, Hit]] = {}
    for i, hit in enumerate(ordered):
        ref = verdicts[i][1]
        if ref is None or ref["actor_id"] in out:
            continue
        if weak[i] and not _paired(state, ordered, weak, i):
            continue
        out[ref["actor_id"]] = (ref, hit)
    return list(out.values())


ActorVerdict = tuple[bool, Fields | None]  # (_weak_alone, the actor's fields if it may act)


def _actor_verdict(state: DocState, hit: Hit) -> ActorVerdict:
    """What an actor hit says on its own, found once per document (events ask of the same hits
    again): whether it is weak alone, and the fields of the perpetrator it names, None when it
    names none (civilians, "Russian officials said", "six SDF fighters")."""
    found = state.actor_verdicts.get(id(hit))
    if found is None:
        found = state.actor_verdicts[id(hit)] = (
            _weak_alone(state, hit),
            _perpetrator_ref(state, hit),
        )
    return found


def _perpetrator_ref(state: DocState, hit: Hit) -> Fields | None:
    actor_id = hit.labels[0]
    if (
        actor_id == "civilians"
        or _NOT_PERPETRATOR_AFTER.match(state.text[hit.end : hit.end + 40])
        or _VICTIM_BEFORE.search(state.text[max(0, hit.start - 20) : hit.start])
        or _counted_victims(state, hit)
    ):
        return None
    return {
        "actor_id": actor_id,
        "name": actor_name(actor_id),
        "attribution": _attribution(state, hit),
        "mention": hit.text,
    }


def _weak_alone(state: DocState, hit: Hit) -> bool:
    """A weak alias ("Russian", "Syria") with no force word after it and no hedge before it."""
    return (
        normalize_phrase(hit.text) in state.res.weak_actors
        and not _FORCE_AFTER.match(state.text[hit.end : hit.end + 60])
        and not _WEAK_OK_BEFORE.search(state.text[max(0, hit.start - 30) : hit.start])
    )


_PAIR_JOIN = re.compile(r"^\s*,?\s*(?:and|or|and/or|و|أو)\s*$", re.IGNORECASE)


def _paired(state: DocState, hits: list[Hit], weak: list[bool], i: int) -> bool:
    """A weak alias joined by "and"/"or" to an actor that attributes the attack on its own:
    "Syria and Russia intensify air raids", Arabic "طائرات روسية وسورية" (Russian and Syrian
    planes), "whether Syrian or Russian"."""
    for j in (i - 1, i + 1):
        if not 0 <= j < len(hits) or weak[j] or hits[j].labels[0] == hits[i].labels[0]:
            continue
        lo, hi = sorted((i, j))
        if _PAIR_JOIN.match(state.text[hits[lo].end : hits[hi].start]):
            return True
    return False


_COMBATANT_AFTER = re.compile(
    r"^\s*(?:fighters|soldiers|militants|members|troops|personnel|servicemen|officers|gunmen)\b",
    re.IGNORECASE,
)


def _counted_victims(state: DocState, hit: Hit) -> bool:
    """ "six SDF fighters": an actor counted among the dead or wounded is a victim."""
    before = state.text[max(0, hit.start - 30) : hit.start].split()
    if not before:
        return False
    last = before[-1].lower().strip(",")
    counted = last.isdigit() or state.res.number_values.get(last) is not None
    return counted and bool(_COMBATANT_AFTER.match(state.text[hit.end : hit.end + 20]))


def _attribution(state: DocState, hit: Hit) -> Attribution:
    sentence = state.sentences[state.sentence_of(hit.start)]
    for hedge in in_range(state.hits["hedge"], max(sentence.start, hit.start - 60), hit.end + 40):
        if hedge.end <= hit.start or hedge.start >= hit.end:
            return Attribution.suspected
    return Attribution.stated


_COUNTED_BEFORE = re.compile(r"(?:\d+|killing|killed)\s+(?:\w+\s+)?$")


def _victims(state: DocState, event: Event) -> list[Fields]:
    """The fields of the actors (:class:`ActorRef`'s) the event's words count among its
    victims."""
    out: dict[str, Fields] = {}
    for hit in event_hits(state, event, "actor"):
        actor_id = hit.labels[0]
        before = state.text[max(0, hit.start - 20) : hit.start]
        if actor_id == "civilians" or _COUNTED_BEFORE.search(before):
            out.setdefault(
                actor_id, {"actor_id": actor_id, "name": actor_name(actor_id), "mention": hit.text}
            )
    return list(out.values())


def _targets(state: DocState, event: Event, span: Any) -> list[Fields]:
    """The fields of the event's targets (:class:`TargetRef`'s)."""
    out: list[Fields] = []
    seen: set[str] = set()
    for hit in sorted(event_hits(state, event, "target"), key=_BY_START):
        category = hit.labels[0]
        if category in seen or _not_hit(state, hit) or _part_of_camp(state, hit):
            continue
        if normalize_phrase(hit.text) in state.res.weak_targets and not _attacked(state, hit):
            continue
        seen.add(category)
        out.append({"category": category, "name": _facility_name(state, hit)})
        span("targets", hit.start, hit.end)
    return out


_CAMP_NAME_BEFORE = re.compile(r"(?:مخيم|مخيمات)\s+$")
_CAMP_NAME_AFTER = re.compile(
    r"^\s+(?:(?!(?:and|or|in|at|near|of)\b)[\w'’-]+\s+)?camps?\b", re.IGNORECASE
)
_HOMES_IN_CAMP = re.compile(
    r"^\s+(?:in|inside|within|of)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:camp|camps)\b",
    re.IGNORECASE,
)


def _part_of_camp(state: DocState, hit: Hit) -> bool:
    """A word of a camp's name ("the Kafr Ruhin water station camp", Arabic "مخيم محطة مياه"), or
    homes inside a camp ("a residential area in a displaced persons camp"): the camp was hit."""
    if hit.labels[0] == "camp":
        return False
    before = state.text[max(0, hit.start - 12) : hit.start]
    after = state.text[hit.end : hit.end + 60]
    if _CAMP_NAME_BEFORE.search(before):
        return True
    if hit.labels[0] == "residential" and _HOMES_IN_CAMP.match(after):
        return True
    return bool(_CAMP_NAME_AFTER.match(after))


_TARGET_NOT_HIT_BEFORE = re.compile(
    r"(?:\b(?:to|from|according to|by|told|with|of)\s+(?:the\s+|a\s+|an\s+|nearby\s+|local\s+|"
    r"several\s+|[\w-]+['’]s\s+)*(?:[\w-]+\s+){0,2})$",
    re.IGNORECASE,
)
_IN_CARE = re.compile(r"\b(?:in|into|at)\s+$", re.IGNORECASE)
_DESTINATION_AR = re.compile(r"(?:إلى|الى|نحو)\s+$")
_TARGET_NOT_HIT_AFTER = re.compile(
    r"^(?:['’]s?)?\s*(?:(?:\([^)]*\)\s*)?(?:said|says|reported|told|received)|"
    r"(?:\([^)]*\)\s*)?(?:spokesm[ae]n|spokesperson|volunteers said|staff said|officials|director|"
    r"chief|teams?|workers|members said|organi[sz]ation))\b",
    re.IGNORECASE,
)


def _attacked(state: DocState, hit: Hit) -> bool:
    """An attack word shortly before the mention, or a casualty word right after it."""
    sentence = state.sentences[state.sentence_of(hit.start)]
    lo = max(sentence.start, hit.start - 60)
    groups = state.res.event_groups
    if any(
        "attack" in h.labels or set(h.labels) & groups
        for h in in_range(state.hits["trigger"], lo, hit.start)
    ):
        return True
    if in_range(state.hits["weapon"], lo, hit.start):
        return True
    after = state.text[hit.end : min(sentence.end, hit.end + 30)]
    kinds = state.res.kinds.find(after)
    return bool(kinds) and not re.search(r"[,;:()]", after[: kinds[0].start])


_HISTORY_AFTER = re.compile(
    r"^[^.;]{0,80}?\b(?:has|have|had)\s+been\s+(?:repeatedly|previously|frequently|often|"
    r"regularly)\s+(?:attacked|targeted|hit|bombed|shelled|struck)\b[^.;]*",
    re.IGNORECASE,
)
_HIT_NOW = re.compile(
    r"\b(?:again|once more|this time|(?:was|were)\s+(?:hit|struck|targeted|bombed|shelled|"
    r"attacked|damaged|destroyed))\b",
    re.IGNORECASE,
)
_TARGET_RECEIVED_AFTER = re.compile(
    r"^[^,;.]{0,50}?\b(?:received|receiving|treated|treating|admitted|took\s+in|was\s+treating)\s+"
    r"(?:the\s+)?(?:(?:\d+|[a-z]+)\s+)?(?:bodies|dead|wounded|injured|casualties|patients|victims|people|"
    r"of\s+the)\b",
    re.IGNORECASE,
)


# Words that _TARGET_RECEIVED_AFTER needs one of (see fastre.holds_any).
_RECEIVED_WORDS = ("receiv", "treat", "admitted", "took")


def _not_hit(state: DocState, hit: Hit) -> bool:
    """A target word used for a source, a destination or a helper, not for what was hit."""
    if _TARGET_NOT_HIT_AFTER.match(state.text[hit.end : hit.end + 40]):
        return True
    received = state.text[hit.end : hit.end + 90]
    if holds_any(received, _RECEIVED_WORDS) and _TARGET_RECEIVED_AFTER.match(received):
        return True  # "a hospital it supports in X received 30 bodies"
    after = state.text[hit.end : hit.end + 120]
    history = _HISTORY_AFTER.match(after) if holds_any(after, ("been",)) else None
    if history and not _HIT_NOW.search(history.group()):
        return True  # "the hospital ... has been repeatedly attacked": its history
    before = state.text[max(0, hit.start - 40) : hit.start]
    if ends_after(before, _IN_CARE, ("in", "into", "at")) and normalize_phrase(hit.text) in (
        "hospital",
        "hospitals",
    ):
        return True  # "shrapnel wounds in hospital": where the wounded are, not what was hit
    if not before.isascii() and _DESTINATION_AR.search(before):
        return True  # "إلى منازلهم": on the way to their homes
    return bool(_TARGET_NOT_HIT_BEFORE.search(before)) and not re.search(
        r"\b(?:attack|strike|strikes|raid|shelling|bombing|bombardment)s?\s+(?:on|of)\s+"
        r"(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+)?$",
        before,
        re.IGNORECASE,
    )


_FACILITY_NAME = re.compile(
    r"((?:(?:al|el|Al|El)[-\s])?[A-Z][\w'’-]*(?:\s+(?:(?:al|el|Al|El)[-\s])?[A-Z][\w'’-]*){0,4})"
    r"(\s+(?:primary|secondary|main|central|surgical|maternity|field|girls['’]?|boys['’]?|national|"
    r"public|old|new|general))?\s*$"
)


def _facility_name(state: DocState, hit: Hit) -> str | None:
    """ "al-Shami hospital", "Al Hikma Hospital": capitalised words right before the target word."""
    if not hit.text[:1].isalpha() or not hit.text.isascii():
        return None
    before = state.text[max(0, hit.start - 60) : hit.start]
    if "".join(before.rsplit(None, 2)[-2:]).islower():
        return None  # the name's last word (before a kind word) has a capital: no try needed
    m = _FACILITY_NAME.search(before)
    if not m or not m.group(1):
        return None
    name = m.group(1)
    first = normalize_phrase(name.split()[0])
    if first in state.res.not_place_words or state.res.actors.labels.get(normalize_phrase(name)):
        return None
    return f"{name}{m.group(2) or ''} {hit.text}"


_FACILITY_WORDS = re.compile(
    r"\s+(?:(?:Surgical|Primary|Health|Care|Medical|Maternity|Field|National|General|Central|Main|"
    r"Public|Girls|Boys|Old|New|Elementary|Secondary|High|Middle|Basic)\s+)*(?i:Hospital|Clinic|School|Schools|Centre|Center|Market|Mosque|"
    r"Bakery|Station)\b.*$"
)


def facility_town(state: DocState, hit: PlaceHit) -> PlaceHit | None:
    """ "Latamna Surgical Hospital" -> Latamna: a one-word town that names a facility."""
    if hit.kind != "facility":
        return None
    town = _FACILITY_WORDS.sub("", hit.text)
    if not town or town == hit.text or len(town) < 4:
        return None
    words = town.split()
    if len(words) > 1 and (
        len(words) > 3 or normalize_phrase(words[0]) not in state.res.settlement_prefixes
    ):
        return None  # "Al Hikma Hospital" names no town; "Kafr Nubl hospital" does
    if normalize_phrase(town) in state.res.not_place_words or town.lower().startswith(
        ("al-", "el-")
    ):
        return None
    return PlaceHit(hit.start, hit.start + len(town), town, town, "settlement", False, "in")


def _usable_admin(state: DocState, hit: PlaceHit) -> bool:
    """Not a distance anchor ("north of Damascus") nor a clock ("Damascus time")."""
    after = state.text[hit.end : hit.end + 6].lower()
    return hit.relation != "anchor" and not after.startswith(" time")


_COUNTRY_BEFORE = re.compile(
    r"(?:\b(?:in|of|across|inside|into|throughout|from|north|south|east|west|northern|southern|"
    r"eastern|western|north-west|northwest|north-west|north-east|northeast|central|rebel-held|"
    r"war-torn|en|au|dans|im|in|في)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)


def _locative_country(state: DocState, hit: PlaceHit) -> bool:
    """A country named as where something is ("in Syria", "Syria's"), not as an actor."""
    before = state.text[max(0, hit.start - 25) : hit.start]
    after = state.text[hit.end : hit.end + 3]
    return bool(_COUNTRY_BEFORE.search(before)) or after.startswith(("'s", "’s", ":", ","))


def _document_settlement(state: DocState) -> PlaceHit | None:
    """The settlement named most often in the document's event sentences."""
    counts = _settlements_in(state, cue_sentences(state))
    if not counts:  # "the only functional hospital in El Fasher": where the target stands
        targets = state.hits["target"]
        counts = _settlements_in(
            state,
            [i for i, s in enumerate(state.sentences) if in_range(targets, s.start, s.end)],
        )
    if not counts:
        return None
    return max(counts.values(), key=len)[0]


def _settlements_in(state: DocState, indexes: list[int]) -> dict[str, list[PlaceHit]]:
    """Settlements named in the body sentences ``indexes`` (in order), by name."""
    from docket.extract.events import receiving_place

    aggregate = aggregate_sentences(state)
    counts: dict[str, list[PlaceHit]] = {}
    for index in indexes:
        if index in aggregate:
            continue
        s = state.sentences[index]
        for h in in_range(state.places, s.start, s.end):
            if (
                h.kind == "settlement"
                and h.relation not in ("anchor", "dateline")
                and not receiving_place(state, h, s)
            ):
                counts.setdefault(skeleton(h.name), []).append(h)
    return counts


def _place(
    state: DocState, event: Event, span: Any, single: bool = False
) -> tuple[Fields | None, str | None, str | None, list[Fields]]:
    """The fields of the claim's place (a :class:`ResolvedPlace`'s), its province and country,
    and the fields of its place mentions (:class:`PlaceMention`'s)."""
    hits: list[PlaceHit] = []
    for seg in event.segments:
        hits.extend(in_range(state.places, seg.start, seg.end))
    mentions = [_mention(h) for h in hits if h.kind != "country"]
    chosen = event.place
    if chosen is None and single:
        chosen = _document_settlement(state)
    if chosen is None:
        chosen = next((p for h in hits if (p := facility_town(state, h)) is not None), None)
    if chosen is None and event is state.events[0]:
        chosen = next((h for h in state.places if h.relation == "dateline"), None)
    if chosen is None:
        chosen = next(
            (h for h in hits if h.city and h.relation == "in" and _usable_admin(state, h)),
            None,
        )
    admin1 = chosen.admin1 if chosen is not None and chosen.admin1 else None
    if admin1 is None and chosen is not None:
        admin1 = _address_admin1(state, chosen)
    if admin1 is None:
        admin1 = next((h.admin1 for h in hits if h.admin1 and _usable_admin(state, h)), None)
    if admin1 is None:
        admin1 = _document_admin1(state)
    country = state.res.admin1_country.get(admin1) if admin1 else None
    if country is None:
        country = next(
            (h.country for h in hits if h.kind == "country" and _locative_country(state, h)), None
        )
    if country is None:
        country = next(
            (
                h.country
                for h in state.places
                if h.kind == "country" and _locative_country(state, h)
            ),
            None,
        )
    for h in hits:
        if h.admin1 == admin1 and h.admin1:
            span("admin1", h.start, h.end)
            break
    if chosen is None:
        return None, admin1, country, mentions
    if chosen.kind != "admin1" and not any(m["start"] == chosen.start for m in mentions):
        # named outside the event's sentences (the document's town, a facility's town): the
        # geocoder still needs the mention
        mentions.append(_mention(chosen))
    span("place", chosen.start, chosen.end)
    name = chosen.name if chosen.kind != "admin1" else chosen.text
    resolved = {
        "name": name,
        "precision": LocationPrecision.settlement,
        "admin1": admin1,
        "country": country,
        "score": 0.5,
        "reason": "as written in the text (not geocoded)",
    }
    return resolved, admin1, country, mentions


def _mention(hit: PlaceHit) -> Fields:
    return {"text": hit.text, "start": hit.start, "end": hit.end, "relation": hit.relation}


def _address_admin1(state: DocState, chosen: PlaceHit) -> str | None:
    """The province of an address line anywhere in the text: "Khaldiyah, Raqqa, Syria"."""
    name = chosen.name.lower()
    for hit in state.places:
        if hit.kind != "admin1" or not hit.admin1 or hit.start < len(name) + 1:
            continue
        before = state.text[max(0, hit.start - len(name) - 4) : hit.start].lower()
        if re.search(re.escape(name) + r"\s*,\s*$", before):
            return hit.admin1
    return None


def _document_admin1(state: DocState) -> str | None:
    counts: dict[str, int] = {}
    for h in state.places:
        if not _usable_admin(state, h):
            continue
        if h.admin1 and not is_aggregate(state, state.sentence_of(h.start)):
            counts[h.admin1] = counts.get(h.admin1, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _aggregates(state: DocState) -> list[AggregateClaim]:
    out: list[AggregateClaim] = []
    for index in sorted(aggregate_sentences(state)):
        s = state.sentences[index]
        text = state.text[s.start : s.end]
        counted_hits = in_range(state.hits["aggregate_counted"], s.start, s.end)
        figures = [f for f in state.figures if f.sentence == index and not f.subset]
        count = combine(figures) if figures else _first_number(text)
        if count.is_empty:
            continue
        counted = figures[0].kind if figures else _counted(state, counted_hits)
        period = [d for d in in_range(state.dates, s.start, s.end) if d.date is not None]
        area = next(
            (p.name for p in in_range(state.places, s.start, s.end) if p.kind != "country"), None
        )
        actor = next((h.labels[0] for h in in_range(state.hits["actor"], s.start, s.end)), None)
        quote = text.strip()
        qstart = state.text.find(quote, s.start)
        out.append(
            AggregateClaim(
                counted=counted,
                count=count,
                period_start=period[0].date if period else None,
                period_end=period[1].date if len(period) > 1 else None,
                area=area,
                actor=actor_name(actor) if actor else None,
                quote=quote,
                spans=[Span(field="quote", start=qstart, end=qstart + len(quote), text=quote)],
                extractor=EXTRACTOR_NAME,
                extractor_version=EXTRACTOR_VERSION,
            )
        )
    return out


def _counted(state: DocState, hits: list[Hit]) -> str:
    """What a statistic counts, by the first matching group in ``aggregate_counted`` order."""
    labels = {label for h in hits for label in h.labels}
    order = list(state.res.aggregate_counted_order)
    return next((label for label in order if label in labels), "other")


def _first_number(text: str) -> Range:
    """The first count in a statistic ("almost a million", "18 attacks"), ignoring years."""
    from docket.extract.casualties import QUALIFIED, count_numbers

    for number in count_numbers(text, resources()):
        if number.value is None:
            continue
        tail = text[number.end : number.end + 12].lower()
        value = number.value
        if tail.lstrip().startswith("million"):
            value *= 1_000_000
        elif tail.lstrip().startswith("thousand"):
            value *= 1_000
        elif number.word in ("a", "an"):
            continue
        low, high = QUALIFIED["about"](value)
        return Range(low=low, high=high)
    return Range()


def published_from(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# The same matches, failing faster where a match cannot start (see docket.extract.fastre).
(
    _COUNTRY_BEFORE,
    _TARGET_NOT_HIT_BEFORE,
    _VICTIM_BEFORE,
    _WEAK_OK_BEFORE,
    _LABOUR_STRIKE_BEFORE,
    _FACILITY_NAME,
) = map(
    first_char_guard,
    (
        _COUNTRY_BEFORE,
        _TARGET_NOT_HIT_BEFORE,
        _VICTIM_BEFORE,
        _WEAK_OK_BEFORE,
        _LABOUR_STRIKE_BEFORE,
        _FACILITY_NAME,
    ),
)
