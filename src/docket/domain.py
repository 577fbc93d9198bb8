"""Typed records shared by every stage of Docket.

The data flows one way: documents -> claims -> incidents -> findings. Each stage reads the
records of the stage before it and writes its own; all of them are defined here so that a
reader can see the whole shape of the data in one file.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Base for every record: strict about unknown fields, friendly to JSON."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class SourceKind(StrEnum):
    news = "news"
    ngo = "ngo"
    un = "un"
    monitor = "monitor"
    witness = "witness"
    observer_log = "observer_log"
    radio_log = "radio_log"
    media = "media"
    other = "other"


class DatePrecision(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class LocationPrecision(StrEnum):
    """How precisely a place is known, after UCDP's ``where_prec``."""

    site = "site"
    settlement = "settlement"
    district = "district"
    admin1 = "admin1"
    country = "country"


class Attribution(StrEnum):
    """Whether the source states who acted, or only suspects it."""

    stated = "stated"
    suspected = "suspected"


class ReviewStatus(StrEnum):
    unreviewed = "unreviewed"
    accepted = "accepted"
    rejected = "rejected"
    edited = "edited"


# --- sources and documents -------------------------------------------------------------


class Source(Record):
    """A publisher or channel that documents come from."""

    id: int | None = None
    name: str
    kind: SourceKind = SourceKind.other
    reliability_note: str | None = None


class Document(Record):
    """One stored text, immutable once stored; a new text at a known URL is a new version."""

    id: int | None = None
    source: str | None = None
    source_kind: SourceKind = SourceKind.other
    url: str | None = None
    title: str | None = None
    language: str | None = None
    published: dt.date | None = None
    retrieved: dt.datetime | None = None
    raw_sha256: str
    text_sha256: str
    text: str
    filename: str | None = None
    media_type: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    previous_version_id: int | None = None


# --- claims ---------------------------------------------------------------------------


class Span(Record):
    """Evidence for one field: character offsets into the document text and the words."""

    field: str
    start: int
    end: int
    text: str


class Range(Record):
    """A count known between ``low`` and ``high``; ``None`` is an open bound."""

    low: int | None = None
    high: int | None = None

    @property
    def is_empty(self) -> bool:
        return self.low is None and self.high is None

    def __add__(self, other: Range) -> Range:
        return Range(low=add_bound(self.low, other.low), high=add_bound(self.high, other.high))


def add_bound(a: int | None, b: int | None) -> int | None:
    """Two bounds added up, an open one counting as nothing."""
    if a is None:
        return b
    if b is None:
        return a
    return a + b


class CasualtyCount(Record):
    """Killed or injured people, split by status; children and women are subsets."""

    civilians: Range = Field(default_factory=Range)
    combatants: Range = Field(default_factory=Range)
    unknown: Range = Field(default_factory=Range)
    children: Range | None = None
    women: Range | None = None

    @property
    def total(self) -> Range:
        low, high = self.total_bounds
        return Range() if low is None and high is None else Range(low=low, high=high)

    @property
    def total_bounds(self) -> tuple[int | None, int | None]:
        """(low, high) of :attr:`total` without making the record (each stored claim asks): the
        parts that count anyone added up; the high open when one of them has no high."""
        low: int | None = None
        high: int | None = 0
        counted = False
        for part in (self.civilians, self.combatants, self.unknown):
            if part.low is None and part.high is None:
                continue
            counted = True
            if part.low is not None:
                low = part.low if low is None else low + part.low
            high = None if high is None or part.high is None else high + part.high
        return (low, high) if counted else (None, None)

    @property
    def is_empty(self) -> bool:
        return self.total.is_empty


class Casualties(Record):
    killed: CasualtyCount = Field(default_factory=CasualtyCount)
    injured: CasualtyCount = Field(default_factory=CasualtyCount)


class ActorRef(Record):
    """An actor named by a claim, normalised through the actor alias file."""

    actor_id: str
    name: str
    attribution: Attribution = Attribution.stated
    mention: str | None = None


class TargetRef(Record):
    """What was hit: a category from the target vocabulary, optionally a named facility."""

    category: str
    name: str | None = None
    facility_id: int | None = None


class PlaceMention(Record):
    """A place as the text writes it, with how it relates to its anchor place."""

    text: str
    start: int | None = None
    end: int | None = None
    anchor: str | None = None
    relation: str | None = None  # "in", "near", "outskirts", "countryside", "12 km south of"...


class ResolvedPlace(Record):
    """Where a mention resolved to in the gazetteer, and how sure and precise that is."""

    place_id: int | None = None
    name: str
    lat: float | None = None
    lon: float | None = None
    precision: LocationPrecision
    admin1: str | None = None
    country: str | None = None
    score: float = 1.0
    centroid: bool = False
    rejected: list[dict[str, Any]] = Field(default_factory=list)
    reason: str | None = None


def _empty(value: list[Any]) -> bool:
    return not value


class Claim(Record):
    """One source's account of one event, field by field, with the words that say it."""

    id: int | None = None
    document_id: int | None = None
    event_type: str | None = None
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    places: list[PlaceMention] = Field(default_factory=list)
    place: ResolvedPlace | None = None
    admin1: str | None = None
    country: str | None = None
    perpetrators: list[ActorRef] = Field(default_factory=list)
    victims: list[ActorRef] = Field(default_factory=list)  # who was hit: "civilians", "children"
    # people the evidence names ("the nurse Salma Haddad was killed"): corroboration for the
    # grade; left out of the JSON while empty, so claims stored before it keep their digests
    named_victims: list[str] = Field(default_factory=list, exclude_if=_empty)
    weapons: list[str] = Field(default_factory=list)
    targets: list[TargetRef] = Field(default_factory=list)
    casualties: Casualties = Field(default_factory=Casualties)
    quote: str | None = None
    spans: list[Span] = Field(default_factory=list)
    extractor: str = "manual"
    extractor_version: str = "0"
    review_status: ReviewStatus = ReviewStatus.unreviewed
    incident_id: int | None = None


class AggregateClaim(Record):
    """A background statistic ("500 civilians killed since December"), not an event."""

    id: int | None = None
    document_id: int | None = None
    counted: str  # "killed", "injured", "attacks", "displaced", "facilities_closed", ...
    count: Range = Field(default_factory=Range)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    area: str | None = None
    actor: str | None = None
    target: str | None = None
    quote: str
    spans: list[Span] = Field(default_factory=list)
    extractor: str = "manual"
    extractor_version: str = "0"


# --- incidents --------------------------------------------------------------------------


class Incident(Record):
    """Claims from one or more sources joined as one real-world event, with reconciled values."""

    id: int | None = None
    claim_ids: list[int] = Field(default_factory=list)
    event_type: str | None = None
    date_low: dt.date | None = None
    date_high: dt.date | None = None
    place: ResolvedPlace | None = None
    perpetrators: list[ActorRef] = Field(default_factory=list)
    weapons: list[str] = Field(default_factory=list)
    targets: list[TargetRef] = Field(default_factory=list)
    killed: Range = Field(default_factory=Range)
    killed_best: int | None = None
    civilians_killed: Range = Field(default_factory=Range)
    injured: Range = Field(default_factory=Range)
    injured_best: int | None = None
    grade: str | None = None
    grade_reasons: list[str] = Field(default_factory=list)
    legal_flags: list[dict[str, Any]] = Field(default_factory=list)
    source_figures: list[SourceFigure] = Field(default_factory=list)
    disagreements: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)
    reviewed: bool = False
    published: bool = False


class SourceFigure(Record):
    """One source's own figures for an incident, kept beside the reconciled range ("12 - HRW")."""

    claim_id: int
    document_id: int | None = None
    source: str | None = None
    killed: Range = Field(default_factory=Range)
    civilians_killed: Range = Field(default_factory=Range)
    injured: Range = Field(default_factory=Range)


class Actor(Record):
    id: str
    name: str
    kind: str = "unknown"  # state, non_state, coalition, unknown
    country: str | None = None
    aliases: list[str] = Field(default_factory=list)


class Place(Record):
    id: int | None = None
    name: str
    feature: str  # settlement, admin1, admin2, country, site, region...
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    country: str | None = None
    population: int = 0
    geonames_id: int | None = None
    facility_type: str | None = None
    aliases: list[str] = Field(default_factory=list)
