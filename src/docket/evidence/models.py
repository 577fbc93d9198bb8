"""Typed records of the evidence stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from docket.domain import Record


class LocationNote(Record):
    """An analyst's geolocation or chronolocation of a piece of media, with the method used."""

    id: int | None = None
    evidence_id: int
    lat: float | None = None
    lon: float | None = None
    observed_at: dt.datetime | None = None
    method: str
    note: str | None = None
    created_at: dt.datetime | None = None
    created_by: str | None = None


class Evidence(Record):
    """A stored media file (photo, video, audio, PDF): its hash, metadata and custody."""

    id: int | None = None
    sha256: str
    size: int
    kind: str
    media_type: str
    filename: str | None = None
    source: str | None = None
    captured: dt.datetime | None = None
    incident_id: int | None = None
    notes: str | None = None
    phash: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: dt.datetime | None = None
    created_by: str | None = None
    locations: list[LocationNote] = Field(default_factory=list)


class SimilarMedia(Record):
    """A stored image that looks like a new one (perceptual hashes ``distance`` bits apart)."""

    evidence_id: int
    filename: str | None = None
    source: str | None = None
    captured: dt.datetime | None = None
    created_at: dt.datetime | None = None
    distance: int

    def describe(self) -> str:
        who = self.source or "an unnamed source"
        when = (self.captured or self.created_at or "an unknown date").__str__()[:10]
        return (
            f"looks like evidence #{self.evidence_id} ({self.filename}) from {who} "
            f"on {when} (distance {self.distance})"
        )


class Identity(Record):
    """Who a witness is. Stored only encrypted; never written in clear anywhere."""

    name: str | None = None
    contact: str | None = None
    exact_location: str | None = None


class Testimony(Record):
    """An interview: who (by pseudonym and role), when, where, what they agreed to, and the
    account (stored as a document of source kind ``witness``)."""

    id: int | None = None
    pseudonym: str
    document_id: int | None = None
    role: str
    interview_date: dt.date | None = None
    place: str | None = None
    language: str | None = None
    consent: str
    share_with: list[str] = Field(default_factory=list)
    interviewer: str | None = None
    incident_id: int | None = None
    account: str | None = None
    identity_key_id: str | None = None
    identity: Identity | None = None
    created_at: dt.datetime | None = None
    created_by: str | None = None
