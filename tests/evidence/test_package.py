"""Signed evidence packages: contents, consent, identities, offline verification, tampering."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.evidence.media_files import photo
from typer.testing import CliRunner

import docket
from docket.cli import app
from docket.domain import Claim, Incident, Range
from docket.evidence.keys import FileKey, init_keys
from docket.evidence.models import Identity
from docket.evidence.testimony import Interview
from docket.store.audit import audit_log
from docket.store.claims import insert_claims
from docket.store.incidents import insert_incidents
from docket.store.schema import incidents

REPORT = "Two air strikes hit the central market of the town at midday; nine people were killed.\n"
WITNESS = "Shopkeeper Nadia Farouk"


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    init_keys(tmp_path / "keys")
    return tmp_path / "keys"


@pytest.fixture
def case(tmp_path: Path, keys: Path) -> docket.Docket:
    """An incident with a report's claim, a photo and three testimonies of different consent."""
    report = tmp_path / "report.txt"
    report.write_text(REPORT)
    db = docket.open(tmp_path / "case.db", actor="analyst")
    db.ingest([report], source="Town monitor", source_kind="monitor")
    with db.store.write() as conn:
        [incident_id] = insert_incidents(
            conn, [Incident(event_type="air_strike", killed=Range(low=9, high=9))], "analyst"
        )
        insert_claims(
            conn,
            [Claim(document_id=1, quote="nine people were killed", incident_id=incident_id)],
            "analyst",
        )
    db.add_evidence([photo(tmp_path / "market.jpg", seed=3)], incident_id=1, source="Citizen")
    db.locate(1, lat=35.6, lon=36.7, method="landmark_match", note="clock tower")
    key = FileKey.load(keys / "identity.key")
    for account, consent, share in [
        ("The stalls by the fountain burned.", "may_quote", []),
        ("I carried two wounded boys to the van.", "internal_only", []),
        ("The second strike came ten minutes later.", "named_bodies", ["UN Commission of Inquiry"]),
    ]:
        db.add_testimony(
            Interview(
                account=account, role="eyewitness", consent=consent, share_with=share, incident_id=1
            ),
            Identity(name=WITNESS, contact="nadia@example.org"),
            key,
        )
    yield db
    db.close()


def names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return sorted(archive.namelist())


def test_package_contents_signed_and_verified(
    case: docket.Docket, keys: Path, tmp_path: Path
) -> None:
    out = tmp_path / "incident-1.zip"
    made = case.package(1, out, keys_dir=keys)
    photo_sha = case.evidence(1).sha256
    raw_sha = hashlib.sha256(REPORT.encode()).hexdigest()
    account_sha = hashlib.sha256(b"The stalls by the fountain burned.").hexdigest()
    assert names(out) == sorted(
        [
            "SUMMARY.md",
            "claims.json",
            "custody.json",
            "documents.json",
            "evidence.json",
            "incident.json",
            "manifest.json",
            "manifest.sig",
            "signing.pub",
            "testimonies.json",
            f"evidence/{photo_sha}.jpg",
            f"originals/{raw_sha}",
            f"originals/{account_sha}",
        ]
    )
    assert made.withheld == [
        {"testimony": "W-0002", "reason": "consent internal_only: never shared"},
        {
            "testimony": "W-0003",
            "reason": "consent named_bodies: only for UN Commission of Inquiry",
        },
    ]
    check = case.verify_package(out, keys / "signing.pub")
    assert (check.ok, check.problems, check.files_checked) == (True, [], 10)
    with zipfile.ZipFile(out) as archive:
        assert [t["pseudonym"] for t in json.loads(archive.read("testimonies.json"))] == ["W-0001"]
        custody = json.loads(archive.read("custody.json"))
        summary = archive.read("SUMMARY.md").decode()
        blob = b"".join(archive.read(n) for n in archive.namelist())
    assert [(e["action"], e["record_type"], e["record_id"]) for e in custody] == [
        ("create", "document", "1"),
        ("create", "incident", "1"),
        ("create", "claim", "1"),
        ("create", "evidence", "1"),
        ("locate", "evidence", "1"),
        ("create", "document", "2"),
        ("create", "testimony", "1"),
    ]
    assert "- W-0002 withheld (consent internal_only: never shared)" in summary
    assert "  - located at 35.6, 36.7 by landmark_match: clock tower" in summary
    for secret in (WITNESS, "nadia@example.org", "wounded boys"):
        assert secret.encode() not in blob
    with case.store.read() as conn:
        last = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc())).first()
    assert (last.action, last.record_type, last.record_id) == ("export", "incident", "1")


def test_verify_passes_after_a_package_and_still_finds_a_changed_incident(
    case: docket.Docket, keys: Path, tmp_path: Path
) -> None:
    """The export entry's digest is of the package, not the incident: it must not stand in for
    the incident's own entries."""
    case.package(1, tmp_path / "incident-1.zip", keys_dir=keys)
    report = case.verify()
    assert (report.ok, [str(p) for p in report.problems]) == (True, [])
    with case.store.write() as conn:
        conn.execute(sa.update(incidents).values(killed_high=90))
    [problem] = case.verify().problems
    assert problem.record == "incident 1"


def test_package_for_named_body_and_with_identities(
    case: docket.Docket, keys: Path, tmp_path: Path
) -> None:
    out = tmp_path / "for-coi.zip"
    key = FileKey.load(keys / "identity.key")
    made = case.package(
        1, out, keys_dir=keys, for_body="UN Commission of Inquiry", identity_key=key
    )
    assert [w["testimony"] for w in made.withheld] == ["W-0002"]
    with zipfile.ZipFile(out) as archive:
        identities = json.loads(archive.read("identities.json"))
        manifest = json.loads(archive.read("manifest.json"))
    assert identities == {
        "W-0001": {"name": WITNESS, "contact": "nadia@example.org"},
        "W-0003": {"name": WITNESS, "contact": "nadia@example.org"},
    }
    assert (manifest["includes_identities"], manifest["prepared_for"]) == (
        True,
        "UN Commission of Inquiry",
    )
    assert case.verify_package(out).ok


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    """Copy a zip, replacing (bytes) or dropping (None) the named members, adding new ones."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            if name in change:
                if change[name] is not None:
                    new.writestr(name, change[name])
            else:
                new.writestr(name, old.read(name))
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)


def test_package_tampering_is_found(case: docket.Docket, keys: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.zip"
    case.package(1, out, keys_dir=keys)
    photo_name = f"evidence/{case.evidence(1).sha256}.jpg"
    swapped = photo(tmp_path / "other.jpg", seed=8).read_bytes()

    _rewrite(out, tmp_path / "swapped.zip", {photo_name: swapped})
    assert case.verify_package(tmp_path / "swapped.zip").problems == [
        f"file {photo_name}: hashes to {hashlib.sha256(swapped).hexdigest()}, "
        f"expected {case.evidence(1).sha256}"
    ]

    _rewrite(out, tmp_path / "extra.zip", {"evidence/planted.jpg": swapped, "claims.json": None})
    assert case.verify_package(tmp_path / "extra.zip").problems == [
        "file claims.json listed in the manifest is missing",
        "file evidence/planted.jpg is not in the manifest",
    ]

    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        signer = manifest["signer"]
    manifest["prepared_for"] = "someone else"
    _rewrite(out, tmp_path / "resigned.zip", {"manifest.json": json.dumps(manifest).encode()})
    assert case.verify_package(tmp_path / "resigned.zip").problems == [
        f"manifest.json: signature does not verify with key {signer}"
    ]

    other = init_keys(tmp_path / "other-keys")
    check = case.verify_package(out, other.public)
    assert check.problems == [
        f"signed by key {signer}, not the expected key {other.signing_key_id}"
    ]

    with zipfile.ZipFile(out) as archive:
        custody = json.loads(archive.read("custody.json"))
    custody[0]["actor"] = "someone-else"
    _rewrite(out, tmp_path / "custody.zip", {"custody.json": json.dumps(custody).encode()})
    problems = case.verify_package(tmp_path / "custody.zip").problems
    assert problems[1:] == [f"custody entry {custody[0]['id']}: hash does not recompute"]
    assert problems[0].startswith("file custody.json: hashes to ")
    assert base64  # signature files are base64 text


def test_package_cli_round_trip(case: docket.Docket, keys: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "case.db")
    out = tmp_path / "cli.zip"
    made = runner.invoke(app, ["--db", db, "package", "1", "--out", str(out), "--keys", str(keys)])
    assert made.exit_code == 0, made.output
    assert "withheld W-0002: consent internal_only: never shared" in made.output
    ok = runner.invoke(app, ["verify-package", str(out), "--public-key", str(keys / "signing.pub")])
    assert (ok.exit_code, "package verified" in ok.output) == (0, True)
    bad = tmp_path / "bad.zip"
    _rewrite(out, bad, {"SUMMARY.md": b"nothing happened"})
    failed = runner.invoke(app, ["verify-package", str(bad)])
    assert failed.exit_code == 1
    assert "file SUMMARY.md: hashes to" in failed.output


def test_package_refuses_a_tampered_evidence_file(
    case: docket.Docket, keys: Path, tmp_path: Path
) -> None:
    import os

    from docket.errors import IntegrityError

    stored = case.blobs.path_for(case.evidence(1).sha256)
    os.chmod(stored, 0o600)
    forged = b"\xff\xd8\xff replaced"
    stored.write_bytes(forged)
    out = tmp_path / "out" / "p.zip"
    with pytest.raises(IntegrityError) as caught:
        case.package(1, out, keys_dir=keys)
    assert str(caught.value) == (
        f"{stored}: stored file hashes to {hashlib.sha256(forged).hexdigest()}, "
        f"expected {case.evidence(1).sha256}; run `docket verify`"
    )
    assert list(out.parent.iterdir()) == []
