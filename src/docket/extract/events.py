"""Event segmentation: which sentences (or parts of sentences) tell of which event.

Each sentence that carries an event cue (an attack word, a weapon, a casualty figure, a protest or
arrest word...) is cut into segments, one per distinct settlement it names when it names several
with their own figures ("four in Al-Bara and eight in Belyun"). Segments naming the same place
join one event; segments naming no place join the event before them; a new place starts a new
event. Background statistics ("since December", "so far this year") become aggregate claims.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
import re
from dataclasses import dataclass, field

from docket.domain import Range
from docket.extract.casualties import Figure, combine
from docket.extract.dates import DateHit
from docket.extract.fastre import first_char_guard, holds_any
from docket.extract.phrases import Hit
from docket.extract.pipeline import DocState, Sentence
from docket.extract.places import PlaceHit, skeleton

_HEADLINE_END = re.compile(r"[.!?:؟]\s*$")


@dataclass(slots=True)
class Segment:
    sentence: int
    start: int
    end: int
    place: PlaceHit | None
    cue: bool
    headline: bool = False
    city: PlaceHit | None = None
    separate: bool = False
    groups: set[str] | None = field(default=None, compare=False)  # see _segment_groups


@dataclass(slots=True)
class Event:
    segments: list[Segment] = field(default_factory=list)
    key: str | None = None
    place: PlaceHit | None = None
    date: DateHit | None = None
    date_value: dt.date | None = None
    date_precision: str | None = None
    event_type: str | None = None
    weapons: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    killed: list[Figure] = field(default_factory=list)
    injured: list[Figure] = field(default_factory=list)
    none_reported: bool = False
    provinces: set[str] = field(default_factory=set)
    provinces_read: int = 0  # segments already read into ``provinces``
    hits: dict[str, list[Hit]] = field(default_factory=dict)  # see event_hits

    @property
    def start(self) -> int:
        return self.segments[0].start

    def killed_range(self) -> Range:
        return combine([f for f in self.killed if not f.subset])


def in_range(hits: list, start: int, end: int) -> list:
    """The items of ``hits`` (sorted by ``start``) that start in ``[start, end)``."""
    if not hits or hits[-1].start < start or hits[0].start >= end:
        return []  # (most asks, answered without a search)
    lo = bisect.bisect_left(hits, start, key=_START)
    hi = bisect.bisect_left(hits, end, lo, key=_START)
    return hits[lo:hi]


_START = operator.attrgetter("start")  # a C key function: no Python call per bisect step


def is_headline(state: DocState, index: int) -> bool:
    if index != 0 or len(state.sentences) < 2:
        return False
    s = state.sentences[0]
    text = state.text[s.start : s.end]
    following = state.text[s.end : s.end + 2]
    return len(text) < 220 and not _HEADLINE_END.search(text) and "\n" in (following or "\n")


def is_aggregate(state: DocState, index: int) -> bool:
    """Background statistics: a number close to a period or total cue ("since", "so far")."""
    return index in aggregate_sentences(state)


def aggregate_sentences(state: DocState) -> set[int]:
    """The sentences that give background statistics (see ``is_aggregate``), found once per
    document: only sentences with an aggregate cue can give them."""
    found = state.aggregate_sentences
    if found is None:
        counting = _sentences_holding(
            state, state.hits["aggregate_cue"], state.hits["aggregate_tight"]
        )
        found = state.aggregate_sentences = {i for i in counting if _states_aggregate(state, i)}
    return found


def _states_aggregate(state: DocState, index: int) -> bool:
    s = state.sentences[index]
    cues = in_range(state.hits["aggregate_cue"], s.start, s.end)
    if not cues and not in_range(state.hits["aggregate_tight"], s.start, s.end):
        return False
    numbers = [(f.start, f.end) for f in state.figures if f.sentence == index]
    if not numbers:
        from docket.extract.casualties import count_numbers

        sentence = state.text[s.start : s.end]
        numbers = [
            (s.start + n.start, s.start + n.end)
            for n in count_numbers(sentence, state.res)
            if n.word not in ("a", "an")
        ]
    found = False
    for cue in cues:
        word = cue.text.lower()
        if word == "between" and _number_follows(state, cue.end):
            continue
        clause = _clause(state.text, s.start, s.end, cue.start)
        if cue.start - s.start < 12 and not _dated(state, clause[1], s.end):
            clause = (s.start, s.end)  # "So far in 2020, ...; both ...": frames the sentence
        at_start = cue.start - clause[0] < 12
        near = [n for n in numbers if clause[0] <= n[0] < clause[1]]
        if any(
            at_start or -40 < n_start - cue.end < 70 or -70 < cue.start - n_end < 40
            for n_start, n_end in near
        ):
            found = True
            break
    if not found:
        for cue in in_range(state.hits["aggregate_tight"], s.start, s.end):
            after = state.text[cue.end : cue.end + 30]
            if re.match(
                r"\s+(?:(?:almost|nearly|about|around|more than|over|some|up to)\s+)?(?:a|\d)",
                after,
            ):
                found = True
    return found


def _dated(state: DocState, start: int, end: int) -> bool:
    """A day or week date of its own in ``[start, end)`` ("...; on Sunday a shell killed two")."""
    return any(
        not d.skip and d.precision in ("day", "week") for d in in_range(state.dates, start, end)
    )


_NUMBER = re.compile(r"\d[\d,]*")


def _number_follows(state: DocState, pos: int) -> bool:
    """ "between 5 and 8", "between two and five": a range, not a period."""
    after = state.text[pos : pos + 16]
    if re.match(r"\s*\d", after):
        return True
    found = state.res.numbers.find(after)
    return bool(found) and found[0].start <= 2


def _clause(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """Bounds of the clause (between semicolons) of a sentence holding ``pos``."""
    lo = text.rfind(";", start, pos)
    hi = text.find(";", pos, end)
    return (lo + 1 if lo >= 0 else start, hi if hi >= 0 else end)


def has_cue(state: DocState, start: int, end: int) -> bool:
    """Whether a stretch of text tells of an event: an attack word, a weapon, people killed, or
    another event word (protest, arrest...) with a date or a figure. (Kept per stretch: the
    components after ``events`` ask again about the same sentences.)"""
    cache = state.cue_cache
    found = cache.get((start, end))
    if found is None:
        found = cache[start, end] = _holds_cue_item(state, start, end) and _has_cue(
            state, start, end
        )
    return found


def _holds_cue_item(state: DocState, start: int, end: int) -> bool:
    """Whether a weapon, a trigger or a figure starts in ``[start, end)``: ``_has_cue`` needs
    one (one search in their starts, built once per document, instead of three)."""
    if state.cue_starts_of is not state.figures:
        state.cue_starts = sorted(
            [h.start for h in state.hits["weapon"]]
            + [h.start for h in state.hits["trigger"]]
            + [f.start for f in state.figures]
        )
        state.cue_starts_of = state.figures
    starts = state.cue_starts
    i = bisect.bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


def _has_cue(state: DocState, start: int, end: int) -> bool:
    if in_range(state.hits["weapon"], start, end):
        return True
    figures = in_range(state.figures, start, end)
    if any(f.kind == "killed" or (f.count.low and not _intake(state, f)) for f in figures):
        return True  # people killed, or a count of wounded ("At least 80 people were injured")
    groups: set[str] = set()
    for hit in in_range(state.hits["trigger"], start, end):
        groups.update(hit.labels)
    groups &= state.res.event_groups
    if "attack" in groups:
        return True
    if groups:
        dated = any(
            not d.skip and d.precision in ("day", "week") for d in in_range(state.dates, start, end)
        )
        return dated or bool(figures)
    return False


_INTAKE_BEFORE = re.compile(
    r"\b(?:received|receiving|treated|treating|admitted|took\s+in)\s+(?:the\s+)?$", re.I
)


def _intake(state: DocState, figure: Figure) -> bool:
    """ "a hospital received 20 wounded": a hospital's intake, not an event of its own."""
    return bool(_INTAKE_BEFORE.search(state.text[max(0, figure.start - 30) : figure.start]))


def segment_sentence(state: DocState, index: int, headline: bool) -> list[Segment]:
    """Cut a sentence where it turns to another event: at "a day after", "the day before"...
    and between settlements that each carry their own figures."""
    s = state.sentences[index]
    cuts = [
        d.start
        for d in in_range(state.dates, s.start, s.end)
        if d.kind == "chain" and d.start - s.start > 3
    ]
    if not cuts:
        return _segment_piece(state, index, s.start, s.end, headline)
    bounds = [s.start, *cuts, s.end]
    out: list[Segment] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        out.extend(_segment_piece(state, index, lo, hi, headline))
    return out


def _segment_piece(
    state: DocState, index: int, start: int, end: int, headline: bool
) -> list[Segment]:
    s = Sentence(start, end)
    here = in_range(state.places, s.start, s.end)
    places = [
        p
        for p in here
        if p.kind == "settlement"
        and p.relation not in ("anchor", "dateline")
        and not receiving_place(state, p, s)
        and not _paused_before(state.text[max(s.start, p.start - 60) : p.start])
    ] or [p for p in here if p.kind == "district"]
    if not places:  # "the Kafr Nubl hospital was also bombed": the town the facility names
        from docket.extract.components import facility_town

        places = [town for p in here if (town := facility_town(state, p)) is not None]
    distinct: list[PlaceHit] = []
    seen: set[str] = set()
    for p in places:
        key = skeleton(p.name)
        if key and key not in seen:
            seen.add(key)
            distinct.append(p)
    figures = [
        f for f in in_range(state.figures, s.start, s.end) if not f.subset or _of_them(state, f)
    ]
    separate = bool(in_range(state.hits["new_event"], s.start, s.end))
    if len(distinct) < 2 or len(figures) < 2:
        place = _best_place(places, state, s.start, s.end)
        city = next((p for p in here if p.city and p.relation == "in"), None)
        cue = has_cue(state, s.start, s.end)
        return [Segment(index, s.start, s.end, place, cue, headline, city, separate)]
    cuts: list[int]
    if figures[0].start < distinct[0].start:
        cuts = [p.end for p in distinct[:-1]]
    else:
        cuts = [
            _figure_first_cut(state, figures, a.end, b.start)
            for a, b in zip(distinct, distinct[1:], strict=False)
        ]
    bounds = [s.start, *cuts, s.end]
    segments = []
    for i, place in enumerate(distinct):
        lo, hi = bounds[i], bounds[i + 1]
        segments.append(
            Segment(
                index,
                lo,
                hi,
                place,
                has_cue(state, lo, hi) or has_cue(state, s.start, s.end),
                headline,
            )
        )
    return segments


_OF_THEM = re.compile(
    r"^\s+(?:of\s+(?:them|whom)|among\s+them)\s+(?:were\s+killed\s+|died\s+)?(?:in|at|on)\b",
    re.IGNORECASE,
)


def _of_them(state: DocState, figure: Figure) -> bool:
    """ "eight of them in Sarmin": a part of a total that has its own place."""
    return bool(_OF_THEM.match(state.text[figure.end : figure.end + 20]))


_IN_PLACE_GAP = re.compile(r"^[^.;:,،]{0,45}$")
_PART_START = re.compile(r".*(?:[,،;]|\band\b|\sو)", re.DOTALL)


def _figure_first_cut(state: DocState, figures: list[Figure], lo: int, hi: int) -> int:
    """Where to cut between two places of a place-first breakdown: at the next place, unless
    that place's own figure comes before it ("five in Maram camp, and one civilian in Wadi
    Khalid camp"): then at the start of that part."""
    for f in figures:
        if lo <= f.start and f.end <= hi and _IN_PLACE_GAP.match(state.text[f.end : hi]):
            head = _PART_START.match(state.text[lo : f.start])
            return lo + head.end() if head else f.start
    return hi


# "even as it suspended bombing of Aleppo city": a place where attacks stopped, not the event's.
_PAUSED_BEFORE = re.compile(
    r"\b(?:suspended|suspending|halted|halting|paused|pausing|stopped|stopping|ceased|ended|"
    r"ending)\s+(?:its\s+|their\s+|the\s+)?(?:air\s+)?(?:bombing|bombardment|strikes|airstrikes|"
    r"attacks|shelling|raids|offensive)\s+(?:of|on|in|against)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PAUSE_WORDS = ("suspend", "halt", "paus", "stopp", "ceased", "ended", "ending")  # one needed


def _paused_before(before: str) -> bool:
    return holds_any(before, _PAUSE_WORDS) and _PAUSED_BEFORE.search(before) is not None


_CARE_BEFORE = re.compile(
    r"\b(?:hospitals?|clinics?|medical\s+(?:centres?|centers?|points?))\b[^.;,]{0,30}?\b(?:in|at)\s+"
    r"(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$",
    re.IGNORECASE,
)
_CARE_WORDS = ("hospital", "clinic", "medical")  # _CARE_BEFORE needs one
_CARE_TAKEN = re.compile(
    r"\b(?:taken|transferred|rushed|evacuated|transported|brought|moved)\s+to\s+[^.;]{0,40}$", re.I
)
_CARE_RECEIVED = re.compile(
    r"^[^.;]{0,40}?\b(?:received|receiving|treated|treating|admitted|took\s+in)\b", re.IGNORECASE
)


def receiving_place(state: DocState, place: PlaceHit, sentence: Sentence) -> bool:
    """ "a hospital in Sarmin received 30 bodies", "taken to hospitals in Sarmin": the place of the
    care, not of the attack."""
    before = state.text[max(sentence.start, place.start - 80) : place.start]
    if not holds_any(before, _CARE_WORDS) or not _CARE_BEFORE.search(before):
        return False
    after = state.text[place.end : min(sentence.end, place.end + 60)]
    return bool(_CARE_TAKEN.search(before) or _CARE_RECEIVED.match(after))


def _best_place(places: list[PlaceHit], state: DocState, start: int, end: int) -> PlaceHit | None:
    if not places:
        return None
    strong = [p for p in places if p.strong]
    return (strong or places)[0]


def _day(hit: DateHit | None) -> dt.date | None:
    return hit.date if hit is not None and hit.precision == "day" else None


_DIED_ON = re.compile(
    r"\b(?:died|succumbed(?: to (?:his|her|their) wounds)?|passed away|was buried|were buried)"
    r"(?:\s+on)?\s+$",
    re.IGNORECASE,
)


def _segment_date(state: DocState, seg: Segment) -> DateHit | None:
    """The segment's best date: day precision first, then one that is not just the publication
    date (a dateline), then the first."""
    found: list[tuple[int, DateHit]] = []  # (_statement_date, date)
    for d in in_range(state.dates, seg.start, seg.end):
        if d.skip or (d.date is None and d.kind != "chain"):
            continue
        statement = _statement_date(state, d)
        if statement < 2 and not _anniversary_after(state.text[d.end : d.end + 60]):
            found.append((statement, d))
    if len(found) < 2:
        return found[0][1] if found else None
    rank = {"day": 0, "week": 1, "month": 2}
    return min(
        found,
        key=lambda sd: (
            sd[0] > 0,
            bool(_DIED_ON.search(state.text[max(0, sd[1].start - 24) : sd[1].start])),
            rank.get(sd[1].precision, 3),
            sd[1].kind == "absolute" and sd[1].date == state.published and sd[1].text[:1].isdigit(),
        ),
    )[1]


# "Today marks the sixth anniversary of ...": the day of a remembrance, not of the attack.
_ANNIVERSARY_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:anniversary|anniversaire|jahrestag|ذكرى)", re.IGNORECASE
)


def _anniversary_after(text: str) -> bool:
    return holds_any(text, ("anniversar", "jahrestag")) and bool(_ANNIVERSARY_AFTER.match(text))


_STATEMENT_VERBS = ("said", "stated", "says", "reported", "announced", "told", "published",
                    "confirmed", "concluded", "acknowledged", "admitted", "denied")  # fmt: skip
_STATEMENT_AFTER = re.compile(
    r"^\s*,?\s*(?P<who>[^.;]{0,80}?)\b(?:" + "|".join(_STATEMENT_VERBS) + r")\b",
)
_ANAPHORIC_ATTACK = re.compile(
    r"^\s*(?:that\s+)?the\s+(?:[\w-]+\s+)?(?:strike|attack|bombing|shelling|massacre|explosion|"
    r"blast|raid|airstrike|missile)\b",
    re.IGNORECASE,
)


def _statement_date(state: DocState, date: DateHit) -> int:
    """2 for "On 19 September, the newspaper stated that the strike ...": the day of a later
    statement about the attack, not of the attack; 1 for "On Monday, the ministry said ...": a
    statement day, weaker than any other date of the segment; 0 otherwise."""
    rest = state.text[date.end : date.end + 140]
    if not _holds_verb_before_stop(rest):
        return 0
    m = _STATEMENT_AFTER.match(rest)
    if not m or not m.group("who").strip():
        return 0
    lo, hi = date.end + m.start("who"), date.end + m.end("who")
    if (
        in_range(state.hits["trigger"], lo, hi)
        or in_range(state.hits["weapon"], lo, hi)
        or in_range(state.figures, lo, hi)
    ):
        return 0
    after = state.text[date.end + m.end() : date.end + m.end() + 60]
    return 2 if _ANAPHORIC_ATTACK.match(after) else 1


def _holds_verb_before_stop(text: str) -> bool:
    """Whether a word of ``_STATEMENT_VERBS`` stands in ``text`` before its first "." or ";"
    (where ``_STATEMENT_AFTER`` finds it): plain searches instead of the pattern's try of every
    verb at each of 80 places."""
    head = text.split(".", 1)[0].split(";", 1)[0]
    for verb in _STATEMENT_VERBS:  # noqa: SIM110 - a loop costs half of any() over a generator
        if verb in head:
            return True
    return False


def _conflicts(event: Event, date: DateHit | None) -> bool:
    """Two dates that cannot be the same event: days apart, or different months."""
    first = event.date
    if first is None or date is None or first.date is None or date.date is None:
        return False
    if first.precision == "day" and date.precision == "day":
        return abs((first.date - date.date).days) > 1
    if "week" in (first.precision, date.precision):
        return abs((first.date - date.date).days) > 10
    return (first.date.year, first.date.month) != (date.date.year, date.date.month)


def segment_events(state: DocState) -> list[Event]:
    """Group event segments into events (see the module docstring)."""
    events: list[Event] = []
    current: Event | None = None
    aggregate = aggregate_sentences(state)
    told = cue_sentences(state)
    for index in told:
        if index in aggregate or state.sentences[index].headline:
            continue
        for seg in segment_sentence(state, index, False):
            current = _place_segment(state, seg, events, current)
    if not events:
        for index in told:
            if not state.sentences[index].headline:
                continue
            for seg in segment_sentence(state, index, True):
                current = _place_segment(state, seg, events, current)
    _drop_breakdown_totals(state, events)
    _count_parts_by_place(state, events)
    return [e for e in events if e.segments]


def cue_sentences(state: DocState) -> list[int]:
    """The sentences, in order, that tell of an event (``has_cue`` of the whole sentence), found
    once per document. A segment of any other sentence has no cue either: ``has_cue`` of a
    stretch holds for any stretch around it, and segments without a cue change nothing (see
    ``_place_segment``)."""
    found = state.cue_sentences
    if found is None:
        may_tell = _sentences_holding(
            state, state.hits["weapon"], state.hits["trigger"], state.figures
        )
        sentences = state.sentences
        found = state.cue_sentences = [
            i for i in sorted(may_tell) if has_cue(state, sentences[i].start, sentences[i].end)
        ]
    return found


def _sentences_holding(state: DocState, *found: list) -> set[int]:
    """The sentences where some of ``found`` (hits, figures) start: the only ones where
    ``has_cue`` or ``is_aggregate`` can hold, both needing one of them in the sentence. (Asking
    only about those skips most sentences of a long report.)"""
    if not state.sentences:
        return set()
    sentence_of = state.sentence_of
    return {sentence_of(item.start) for items in found for item in items}


def _place_segment(
    state: DocState, seg: Segment, events: list[Event], current: Event | None
) -> Event | None:
    if not seg.cue:
        return current
    date = _segment_date(state, seg)
    place = seg.place
    if place is None and seg.city is not None and seg.separate:
        place = seg.city
    key = skeleton(place.name) if place else None
    target: Event | None = None
    if seg.separate:
        current = None
    if key and not seg.separate:
        target = next((e for e in events if e.key == key and not _conflicts(e, date)), None)
        if (
            target is None
            and current is not None
            and current.key is None
            and not _conflicts(current, date)
        ):
            target = current
            target.key, target.place = key, place
    elif not key and current is not None and not (date is not None and date.kind == "chain"):
        if _other_kind(state, seg, current):
            return current  # "Fresh fighting took the toll to 52": not the strike's figures
        target = current if not _conflicts(current, date) else None
        provinces = _provinces(state, [seg])
        if target is not None and provinces and not provinces & _event_provinces(state, target):
            # "... in a village in neighbouring Idlib Province": not the Damascus event before
            target = next(
                (e for e in reversed(events) if provinces & _event_provinces(state, e)), target
            )
    if target is None:
        target = Event(key=key, place=place)
        events.append(target)
    target.segments.append(seg)
    if target.date is None and date is not None:
        target.date = date
    return target


def _provinces(state: DocState, segments: list[Segment]) -> set[str]:
    """Provinces (admin1) named in ``segments``, as a place of their own or of a settlement."""
    return {
        p.admin1
        for seg in segments
        for p in in_range(state.places, seg.start, seg.end)
        if p.admin1 and p.relation not in ("anchor",) and p.kind in ("admin1", "settlement")
    }


def _event_provinces(state: DocState, event: Event) -> set[str]:
    """Provinces named in the event's segments (read once per segment)."""
    if event.provinces_read < len(event.segments):
        event.provinces |= _provinces(state, event.segments[event.provinces_read :])
        event.provinces_read = len(event.segments)
    return event.provinces


def _groups(state: DocState, start: int, end: int) -> set[str]:
    """Event trigger groups (attack, clash, protest...) named in ``[start, end)``; weapons count
    as attacks."""
    groups = {g for h in in_range(state.hits["trigger"], start, end) for g in h.labels}
    if in_range(state.hits["weapon"], start, end):
        groups.add("attack")
    return groups & state.res.event_groups


def _segment_groups(state: DocState, seg: Segment) -> set[str]:
    """``_groups`` of a segment, found once: an event's segments are asked again for every
    segment after them."""
    if seg.groups is None:
        seg.groups = _groups(state, seg.start, seg.end)
    return seg.groups


def _other_kind(state: DocState, seg: Segment, current: Event) -> bool:
    """A stretch that tells only of another kind of event (fighting, a protest) than the attack
    ``current``: it does not lend that attack its figures."""
    own = _segment_groups(state, seg)
    if not own or "attack" in own:
        return False
    return any("attack" in _segment_groups(state, s) for s in current.segments)


def other_kind_sentences(state: DocState, indexes: set[int], event: Event) -> set[int]:
    """The sentences among ``indexes`` that tell only of another kind of event than the attack
    ``event`` (fighting after a strike)."""
    candidates = set()
    for index in indexes:
        own = _groups(state, state.sentences[index].start, state.sentences[index].end)
        if own and "attack" not in own:
            candidates.add(index)
    if not candidates:
        return candidates
    if any("attack" in _segment_groups(state, s) for s in event.segments):
        return candidates
    return set()


def _drop_breakdown_totals(state: DocState, events: list[Event]) -> None:
    """A figure at least the sum of every other event's figures is a total, not a count."""

    def killed(event: Event) -> list[Figure]:
        return [
            f
            for seg in event.segments
            for f in in_range(state.figures, seg.start, seg.end)
            if f.kind == "killed" and not f.subset
        ]

    if len(events) < 3:
        return  # (below: needs three events with figures)
    per_event = [killed(e) for e in events]
    if sum(1 for figures in per_event if figures) < 3:
        return
    totals: list[Figure] = []
    for i, figures in enumerate(per_event):
        for f in figures:
            if f.count.low is None:
                continue
            rest = 0
            others_with_figures = 0
            for j, others in enumerate(per_event):
                kept = [g for g in others if g is not f and not _fighters_beside(g, f)]
                rest += combine(kept).low or 0 if kept else 0
                others_with_figures += 1 if kept and j != i else 0
            if others_with_figures >= 3 and rest <= f.count.low <= rest * 1.2 + 1:
                totals.append(f)
    for f in totals:
        f.subset = True
        if f.victim == "civilian":  # "killed 15 civilians, 12 of them in a market": the parts too
            for figures in per_event:
                for g in figures:
                    if g is not f and g.victim == "person":
                        g.victim = "civilian"


def _fighters_beside(figure: Figure, total: Figure) -> bool:
    """Combatants killed in fighting are no part of a total of civilians."""
    return total.victim == "civilian" and figure.victim == "combatant"


def _count_parts_by_place(state: DocState, events: list[Event]) -> None:
    """ "killed 12 civilians ... eight of them in Sarmin": the part named with the event's place
    is the event's count, and the total in a placeless segment before it is not."""
    for event in events:
        parts = [
            f
            for seg in event.segments
            if seg.place is not None and skeleton(seg.place.name) == event.key
            for f in in_range(state.figures, seg.start, seg.end)
            if f.subset and _of_them(state, f)
        ]
        if not parts:
            continue
        for f in parts:
            f.subset = False
        kinds = {f.kind for f in parts}
        wholes = [
            f
            for seg in event.segments
            if seg.place is None
            for f in in_range(state.figures, seg.start, seg.end)
            if f.kind in kinds
        ]
        for f in wholes:
            f.subset = True
        for f in parts:  # "12 civilians ... eight of them": civilians too
            whole = next((w for w in wholes if w.kind == f.kind), None)
            if whole is not None and f.victim == "person":
                f.victim = whole.victim


def resolve_dates(state: DocState, events: list[Event]) -> None:
    previous: dt.date | None = None
    for event in sorted(events, key=lambda e: e.start):
        hit = event.date
        if hit is None:
            hit = _preceding_date(state, event.start)
            event.date = hit
        if hit is None:
            if state.published is not None:
                event.date_value, event.date_precision = state.published, "week"
            previous = event.date_value or previous
            continue
        if hit.kind == "chain":
            base = previous or _day(_preceding_date(state, hit.start))
            event.date_value = base + dt.timedelta(days=hit.offset) if base else None
            event.date_precision = hit.precision if base else None
        else:
            event.date_value, event.date_precision = hit.date, hit.precision if hit.date else None
        previous = event.date_value or previous
    if state.published is None and any(e.date_value is None for e in events):
        _say_unanchored(state)


def _say_unanchored(state: DocState) -> None:
    """Say why a claim stays undated where the text names its day only relative to the
    publication ("on Saturday", "March 3" with no year anywhere) and no published date is known."""
    named = sorted({d.text for d in state.dates if d.date is None and d.kind == "absolute"})
    if named:
        said = ", ".join(repr(n) for n in named)
        state.messages.append(
            f"a claim is undated: {said} {'needs' if len(named) == 1 else 'need'} the "
            "report's published date (give it with ingest --published DATE)"
        )


def _preceding_date(state: DocState, pos: int) -> DateHit | None:
    best = None
    for d in state.dates:
        if d.start >= pos:
            break
        usable = not d.skip and d.date is not None and d.kind == "absolute"
        if usable and not is_aggregate(state, state.sentence_of(d.start)):
            best = d
    if best is None:
        best = next(
            (d for d in state.dates if not d.skip and d.date is not None and d.precision == "day"),
            None,
        )
    return best


def event_hits(state: DocState, event: Event, kind: str) -> list[Hit]:
    """The hits of ``kind`` in the event's segments, found once per kind (the list is shared:
    do not change it)."""
    found = event.hits.get(kind)
    if found is None:
        hits = state.hits[kind]
        segments = event.segments
        if len(segments) == 1:  # (most events: the hits of one range)
            found = event.hits[kind] = in_range(hits, segments[0].start, segments[0].end)
        else:
            found = event.hits[kind] = [
                hit for seg in segments for hit in in_range(hits, seg.start, seg.end)
            ]
    return found


# The same matches, failing faster where a match cannot start (see docket.extract.fastre).
_PAUSED_BEFORE, _CARE_BEFORE, _CARE_TAKEN, _DIED_ON = map(
    first_char_guard, (_PAUSED_BEFORE, _CARE_BEFORE, _CARE_TAKEN, _DIED_ON)
)
