"""Operations of the evidence stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from docket._ops import Ops
from docket.errors import ConfigError, IntakeError
from docket.evidence.add import Added, EvidenceReport, Provenance, add_files
from docket.evidence.blobs import ENV_VAR, BlobStore, evidence_dir_for
from docket.evidence.keys import (
    IdentityKey,
    KeyPaths,
    default_keys_dir,
    init_keys,
    load_signing_key,
)
from docket.evidence.models import Evidence, Identity, LocationNote, SimilarMedia, Testimony
from docket.evidence.package import PackageCheck, PackageSummary, build_package, verify_package
from docket.evidence.records import (
    attach_evidence,
    get_evidence,
    insert_location,
    list_evidence,
    review_evidence,
    similar_images,
)
from docket.evidence.sealed import seal, unseal
from docket.evidence.testimony import Interview, add_testimony
from docket.evidence.testimony_records import (
    get_testimony,
    list_testimonies,
    reseal_identities,
    sealed_identity,
    set_consent,
)
from docket.evidence.verify import VerifyReport, total_items, verify_store
from docket.evidence.vocab import check_term
from docket.store.audit import Change, record_changes
from docket.store.incidents import get_incident


class EvidenceOps(Ops):
    @property
    def evidence_dir(self) -> Path:
        """The content-addressed folder of media originals (``$DOCKET_EVIDENCE_DIR`` or next to
        the SQLite file as ``<db-stem>.evidence``)."""
        return evidence_dir_for(self.store.engine.url)

    @property
    def blobs(self) -> BlobStore:
        return BlobStore(self.evidence_dir)

    def add_evidence(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        incident_id: int | None = None,
        source: str | None = None,
        captured: dt.datetime | None = None,
        notes: str | None = None,
        on_file: Callable[[Path, Added | IntakeError], None] | None = None,
    ) -> EvidenceReport:
        """Store media files (images, video, audio, PDF) byte-for-byte with their metadata.

        Each file is reported on its own (``on_file``); a bad file leaves nothing behind.
        """
        if incident_id is not None:
            with self.store.read() as conn:
                get_incident(conn, incident_id)
        provenance = Provenance(incident_id, source, captured, notes)
        return add_files(self.store, self.blobs, paths, provenance, self.actor, on_file)

    def evidence(self, evidence_id: int) -> Evidence:
        with self.store.read() as conn:
            return get_evidence(conn, evidence_id)

    def evidence_list(self, *, incident_id: int | None = None) -> list[Evidence]:
        with self.store.read() as conn:
            return list_evidence(conn, incident_id=incident_id)

    def attach_evidence(
        self, evidence_id: int, incident_id: int | None, reason: str | None = None
    ) -> Evidence:
        """Attach evidence to an incident (``None`` detaches it); audit-logged."""
        with self.store.write() as conn:
            if incident_id is not None:
                get_incident(conn, incident_id)
            return attach_evidence(conn, evidence_id, incident_id, self.actor, reason)

    def review_evidence(self, evidence_id: int, status: str, note: str | None = None) -> Evidence:
        """Record a verdict on media (verified, disputed, manipulated, ...); audit-logged."""
        check_term("evidence_reviews", status, "--status")
        with self.store.write() as conn:
            return review_evidence(conn, evidence_id, status, note, self.actor)

    def similar_evidence(self, evidence_id: int) -> list[SimilarMedia]:
        """Other stored images that look like this one (near-duplicates)."""
        with self.store.read() as conn:
            item = get_evidence(conn, evidence_id)
            if item.phash is None:
                return []
            return similar_images(conn, item.phash, exclude=evidence_id)

    def locate(
        self,
        evidence_id: int,
        *,
        method: str,
        lat: float | None = None,
        lon: float | None = None,
        observed_at: dt.datetime | None = None,
        note: str | None = None,
    ) -> LocationNote:
        """Attach a geolocation (coordinates) and/or chronolocation (time) note to evidence."""
        check_term("location_methods", method, "--method")
        if (lat is None) != (lon is None):
            raise IntakeError(f"evidence {evidence_id}", "give both --lat and --lon, or neither")
        if lat is None and observed_at is None:
            raise IntakeError(
                f"evidence {evidence_id}", "give --lat/--lon (where) or --observed-at (when)"
            )
        if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise IntakeError(f"evidence {evidence_id}", f"({lat}, {lon}) is not a coordinate")
        with self.store.write() as conn:
            get_evidence(conn, evidence_id)
            location = LocationNote(
                evidence_id=evidence_id,
                lat=lat,
                lon=lon,
                observed_at=observed_at,
                method=method,
                note=note,
            )
            return insert_location(conn, location, self.actor)

    # --- testimonies -------------------------------------------------------------------------

    def add_testimony(
        self,
        given: Interview,
        identity: Identity | None = None,
        key: IdentityKey | None = None,
    ) -> Testimony:
        """Record an interview: the account as a ``witness`` document, the identity sealed."""
        return add_testimony(self.store, given, identity, key, self.actor)

    def testimony(self, testimony_id: int, key: IdentityKey | None = None) -> Testimony:
        """A testimony; with ``key`` its witness's identity is opened too."""
        with self.store.read() as conn:
            found = get_testimony(conn, testimony_id)
            sealed, key_id = sealed_identity(conn, testimony_id)
        if key is not None and sealed is not None:
            found.identity = unseal(sealed, key, found.pseudonym, key_id)
        return found

    def set_consent(
        self,
        testimony_id: int,
        consent: str,
        share_with: Sequence[str] = (),
        reason: str | None = None,
    ) -> Testimony:
        """Record a change in what the witness agreed to; audit-logged."""
        with self.store.write() as conn:
            current = get_testimony(conn, testimony_id)
            changed = Interview(
                account=current.account or "-",
                role=current.role,
                consent=consent,
                share_with=list(share_with),
            )
            changed.check()
            set_consent(conn, testimony_id, consent, list(share_with), self.actor, reason)
            return get_testimony(conn, testimony_id)

    def rotate_identity_key(self, old: IdentityKey, new: IdentityKey) -> int:
        """Re-seal every witness identity with ``new`` (all or nothing); returns how many."""

        def reseal(pseudonym: str, sealed: bytes, key_id: str | None) -> tuple[bytes, str]:
            identity = unseal(sealed, old, pseudonym, key_id)
            return seal(identity, new, pseudonym), new.key_id

        with self.store.write() as conn:
            return reseal_identities(conn, reseal, self.actor)

    def testimonies(self, *, incident_id: int | None = None) -> list[Testimony]:
        with self.store.read() as conn:
            return list_testimonies(conn, incident_id=incident_id)

    # --- integrity ---------------------------------------------------------------------------

    def verify(self, tick: Callable[[int], None] | None = None) -> VerifyReport:
        """Re-hash every original, document text and evidence file; walk the audit chain."""
        try:
            blobs: BlobStore | None = self.blobs
        except ConfigError:
            blobs = None
        with self.store.read() as conn:
            report = verify_store(conn, blobs, tick)
        if blobs is None and report.checked:
            report.notes.append(f"evidence files not checked: set ${ENV_VAR}")
        return report

    def verify_total(self) -> int:
        """How many records :meth:`verify` will check (for progress bars)."""
        with self.store.read() as conn:
            return total_items(conn)

    @staticmethod
    def init_keys(folder: Path, *, force: bool = False) -> KeyPaths:
        """Create the identity key and the package signing key pair in ``folder``."""
        return init_keys(folder, force=force)

    # --- packages ----------------------------------------------------------------------------

    def package(
        self,
        incident_id: int,
        out: Path,
        *,
        keys_dir: Path | None = None,
        for_body: str | None = None,
        identity_key: IdentityKey | None = None,
    ) -> PackageSummary:
        """Write a signed zip of everything about one incident (identities only with the key).

        The export itself is recorded in the audit log, with the package's manifest hash.
        """
        signing_key = load_signing_key(keys_dir or default_keys_dir())
        with self.store.read() as conn:
            made = build_package(
                conn,
                self.blobs,
                incident_id,
                out,
                signing_key,
                self.actor,
                for_body=for_body,
                identity_key=identity_key,
            )
        with self.store.write() as conn:
            export = Change(
                "export",
                "incident",
                incident_id,
                after={"package": out.name, "files": made.files, "signer": made.signer},
                reason=f"evidence package for {for_body}" if for_body else "evidence package",
            )
            record_changes(conn, self.actor, [export])
        return made

    @staticmethod
    def verify_package(path: Path, public_key: Path | None = None) -> PackageCheck:
        """Check a package offline (signature, hashes, custody entries)."""
        expected = public_key.read_bytes() if public_key is not None else None
        return verify_package(path, expected)
