"""Operations of the geo stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from docket._ops import Ops
from docket.domain import Claim, ResolvedPlace
from docket.errors import IntakeError
from docket.geo import facilities as fac
from docket.geo.gazetteer import Gazetteer, GazPlace, packaged_gazetteer
from docket.geo.geocoder import Geocoder
from docket.geo.importer import ImportReport, import_places
from docket.geo.tables import facilities, gazetteer_places
from docket.store.claims import list_claims, update_claim
from docket.store.documents import get_document

# Ids of places from this database's tables, kept apart from GeoNames ids.
DB_PLACE_BASE = 2_000_000_000
FACILITY_BASE = 2_100_000_000


class GeoOps(Ops):
    _geo_cache: tuple[tuple[int, int], Geocoder] | None = None

    # -- geocoding --------------------------------------------------------------------

    def geocoder(self) -> Geocoder:
        """A geocoder on the packaged gazetteer plus this database's places and facilities."""
        with self.store.read() as conn:
            stamp = (
                conn.execute(sa.select(sa.func.count()).select_from(gazetteer_places)).scalar_one(),
                conn.execute(sa.select(sa.func.count()).select_from(facilities)).scalar_one(),
            )
            if self._geo_cache is not None and self._geo_cache[0] == stamp:
                return self._geo_cache[1]
            gaz = _overlay(packaged_gazetteer())
            for row in conn.execute(sa.select(gazetteer_places)):
                gaz.add(_db_place(row), row.aliases or [])
            for row in conn.execute(sa.select(facilities).where(facilities.c.lat.isnot(None))):
                gaz.add(_facility_place(row), row.aliases or [])
        geocoder = Geocoder(gaz)
        self._geo_cache = (stamp, geocoder)
        return geocoder

    def geocode(
        self,
        text: str,
        *,
        context: str = "",
        admin1: str | None = None,
        country: str | None = None,
    ) -> ResolvedPlace:
        """How ``text`` resolves (see :meth:`docket.geo.geocoder.Geocoder.resolve`)."""
        return self.geocoder().resolve(text, context=context, admin1=admin1, country=country)

    def resolve_claim_place(self, claim: Claim, *, document_text: str) -> ResolvedPlace | None:
        return self.geocoder().resolve_claim(claim, document_text=document_text)

    def search_places(self, query: str, *, limit: int = 10) -> list[dict[str, Any]]:
        """Gazetteer entries matching ``query``, best first, with their name-match score."""
        return [
            {
                "place_id": m.place.id,
                "name": m.place.name,
                "feature": m.place.feature,
                "lat": m.place.lat,
                "lon": m.place.lon,
                "admin1": m.place.admin1 or None,
                "country": m.place.country or None,
                "population": m.place.population,
                "score": round(m.name_score, 3),
                "matched": m.matched_key,
            }
            for m in self.geocoder().gazetteer.search(query, limit=limit)
        ]

    def geocode_claims(
        self,
        *,
        claim_ids: list[int] | None = None,
        redo: bool = False,
        on_claim: Callable[[Claim], None] | None = None,
    ) -> GeocodeReport:
        """Resolve stored claims' places and link their named facilities, audit-logged.

        Claims that already have a located place keep it unless ``redo``; each changed claim is
        stored with an audit entry (action ``geocode``) saying how its place was found.
        """
        geocoder = self.geocoder()
        report = GeocodeReport()
        with self.store.write() as conn:
            texts: dict[int, str] = {}
            for claim in list_claims(conn, ids=claim_ids):
                report.claims += 1
                updated = claim.model_copy(deep=True)
                if redo or claim.place is None or claim.place.lat is None:
                    doc_id = claim.document_id
                    if doc_id is not None and doc_id not in texts:
                        texts[doc_id] = get_document(conn, doc_id).text
                    text = texts.get(doc_id, "") if doc_id is not None else ""
                    place = geocoder.resolve_claim(claim, document_text=text)
                    if place is not None and place.lat is None and claim.id is not None:
                        # Left unresolved (never snapped to a country); the reason is reported.
                        report.reasons[claim.id] = place.reason or "unresolved"
                    elif place is not None:
                        updated.place = place
                if updated.place is not None and updated.place.lat is not None:
                    report.placed += 1
                elif claim.places:
                    report.unresolved += 1
                if fac.link_facility(conn, self.actor, updated) is not None:
                    report.facilities_linked += 1
                if updated != claim and claim.id is not None:
                    reason = updated.place.reason if updated.place else "facility linked"
                    update_claim(conn, updated, self.actor, reason, action="geocode")
                    report.updated.append(claim.id)
                if on_claim:
                    on_claim(updated)
        self._geo_cache = None
        return report

    # -- gazetteer import ---------------------------------------------------------------

    def import_gazetteer(
        self,
        path: str | Path,
        *,
        on_error: Callable[[IntakeError], None] | None = None,
        on_rows: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Load a GeoNames dump or a CSV of sites (see :mod:`docket.geo.importer`)."""
        report = import_places(self.store, path, on_error=on_error, on_rows=on_rows)
        self._geo_cache = None
        return report

    # -- facilities ----------------------------------------------------------------------

    def facilities(
        self,
        *,
        facility_type: str | None = None,
        status: str | None = None,
        candidates: bool | None = None,
    ) -> list[fac.Facility]:
        with self.store.read() as conn:
            return fac.list_facilities(
                conn, facility_type=facility_type, status=status, candidates=candidates
            )

    def facility(self, facility_id: int) -> fac.Facility:
        with self.store.read() as conn:
            return fac.get_facility(conn, facility_id)

    def add_facility(self, facility: fac.Facility, *, reason: str = "added") -> int:
        with self.store.write() as conn:
            new_id = fac.add_facility(conn, self.actor, facility, reason=reason)
        self._geo_cache = None
        return new_id

    def add_facility_status(self, facility_id: int, event: fac.StatusEvent) -> None:
        with self.store.write() as conn:
            fac.get_facility(conn, facility_id)
            fac.add_status(conn, self.actor, facility_id, event)

    def import_facilities(
        self, path: str | Path, *, on_error: Callable[[IntakeError], None] | None = None
    ) -> fac.FacilityImport:
        """Load a CSV of facilities; see :func:`docket.geo.facilities.import_facilities`."""
        with self.store.write() as conn:
            report = fac.import_facilities(conn, self.actor, Path(path), on_error=on_error)
        self._geo_cache = None
        return report

    def link_facility(self, claim: Claim) -> int | None:
        """Facility id for the claim's named facility target; unknown ones become candidates.

        Sets ``facility_id`` on the claim's target in memory; the caller stores the claim.
        """
        with self.store.write() as conn:
            found = fac.link_facility(conn, self.actor, claim)
        self._geo_cache = None
        return found


@dataclass
class GeocodeReport:
    """What :meth:`GeoOps.geocode_claims` did."""

    claims: int = 0
    placed: int = 0
    unresolved: int = 0
    facilities_linked: int = 0
    updated: list[int] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)  # claim id -> why left unresolved

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": self.claims,
            "placed": self.placed,
            "unresolved": self.unresolved,
            "facilities_linked": self.facilities_linked,
            "updated": self.updated,
            "reasons": self.reasons,
        }


def _overlay(base: Gazetteer) -> Gazetteer:
    """A gazetteer that shares ``base``'s places but can take more without changing ``base``."""
    gaz = Gazetteer(
        places=base.places.copy(),
        _keys=dict(base._keys),
        _skeleton_lines=base._skeleton_lines,
        _packaged_keys=base._packaged_keys,
        _skeleton_file=base._skeleton_file,
        _first_words=None if base._first_words is None else set(base._first_words),
        _first_words_file=base._first_words_file,
    )
    if base._skeletons is not None:
        # Prebuilt entries are still "first<TAB>count" text: shared as they are.
        gaz._skeletons = {
            k: v if isinstance(v, str) else list(v) for k, v in base._skeletons.items()
        }
    return gaz


def _db_place(row: Any) -> GazPlace:
    return GazPlace(
        id=int(row.geonames_id) if row.geonames_id else DB_PLACE_BASE + row.id,
        name=row.name,
        feature=row.feature,
        lat=row.lat,
        lon=row.lon,
        country=row.country or "",
        admin1_code=row.admin1_code or "",
        admin1=row.admin1 or "",
        admin2=row.admin2 or "",
        population=int(row.population or 0),
        facility_type=row.facility_type,
    )


def _facility_place(row: Any) -> GazPlace:
    return GazPlace(
        id=FACILITY_BASE + row.id,
        name=row.name,
        feature="site",
        lat=row.lat,
        lon=row.lon,
        country=row.country or "",
        admin1_code="",
        admin1=row.admin1 or "",
        admin2="",
        population=0,
        facility_type=row.facility_type,
    )
