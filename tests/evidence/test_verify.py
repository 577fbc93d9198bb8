"""``docket verify``: each kind of tampering with the SQLite file or evidence folder is found."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.evidence.media_files import photo
from typer.testing import CliRunner

import docket
from docket.cli import app
from docket.evidence.keys import FileKey, init_keys
from docket.evidence.models import Identity
from docket.evidence.testimony import Interview
from docket.intake.readers import normalize_text
from docket.store.audit import Change, digest, record_changes
from docket.store.documents import (
    created_fields,
    insert_documents,
    insert_originals,
    published_fields,
)

REPORT = (
    "Medical sources said the hospital in the town centre was struck twice on Tuesday night; "
    "three patients and a paramedic were killed.\n"
)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A SQLite case file with one report, two photos and a testimony; returns its path."""
    (tmp_path / "in").mkdir()
    report = tmp_path / "in" / "report.txt"
    report.write_text(REPORT)
    key = FileKey.load(init_keys(tmp_path / "keys").identity)
    path = tmp_path / "case.db"
    with docket.open(path, actor="analyst") as db:
        db.ingest([report], source="Local monitor", source_kind="monitor")
        db.add_evidence(
            [
                photo(tmp_path / "in" / "ward.jpg", seed=1),
                photo(tmp_path / "in" / "gate.jpg", seed=2),
            ]
        )
        db.add_testimony(
            Interview(
                account="The second strike hit the ward.", role="doctor", consent="may_quote"
            ),
            Identity(name="Dr Example"),
            key,
        )
    return path


def problems(path: Path) -> list[str]:
    with docket.open(path) as db:
        return [str(p) for p in db.verify().problems]


def sql(path: Path, statement: str, *args: object) -> None:
    conn = sqlite3.connect(path)
    conn.execute(statement, args)
    conn.commit()
    conn.close()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_verify_untouched_case_passes(case: Path) -> None:
    with docket.open(case) as db:
        report = db.verify()
    assert report.ok
    assert report.checked == {
        "originals": 2,
        "documents": 2,
        "evidence files": 2,
        "testimonies": 1,
        "claims logged": 0,
        "incidents logged": 0,
        "batch entries re-hashed": 0,
        "audit entries": 5,
    }


def test_verify_finds_edited_document_text(case: Path) -> None:
    edited = REPORT.replace("three patients", "two patients")
    sql(case, "UPDATE documents SET text = ? WHERE id = 1", edited)
    stored = sha(normalize_text(REPORT).encode())
    found = sha(normalize_text(edited).encode())
    assert problems(case) == [f"document 1: text hashes to {found}, expected text_sha256 {stored}"]


def test_verify_finds_text_edited_with_its_hash(case: Path) -> None:
    edited = REPORT.replace("twice", "once")
    new_hash = sha(normalize_text(edited).encode())
    sql(case, "UPDATE documents SET text = ?, text_sha256 = ? WHERE id = 1", edited, new_hash)
    raw = sha(REPORT.encode())
    expected = digest(created_fields(raw, sha(normalize_text(REPORT).encode()), None))
    found = digest(created_fields(raw, new_hash, None))
    assert problems(case) == [
        f"document 1: differs from what audit entry 1 recorded: digest {found}, expected {expected}"
    ]


def test_verify_finds_an_edited_published_date(case: Path) -> None:
    sql(case, "UPDATE documents SET published = '2020-02-04' WHERE id = 1")
    raw, text = sha(REPORT.encode()), sha(normalize_text(REPORT).encode())
    expected = digest(created_fields(raw, text, None))
    found = digest(created_fields(raw, text, dt.date(2020, 2, 4)))
    assert problems(case) == [
        f"document 1: differs from what audit entry 1 recorded: digest {found}, expected {expected}"
    ]


def test_verify_accepts_a_date_given_later_and_finds_it_edited(case: Path, tmp_path: Path) -> None:
    with docket.open(case, actor="analyst") as db:
        db.ingest([tmp_path / "in" / "report.txt"], published=dt.date(2020, 2, 4))
        assert db.verify().ok
        with db.store.read() as conn:
            query = sa.text("SELECT id FROM audit_log WHERE action = 'update'")
            (entry,) = conn.execute(query).scalars()
    sql(case, "UPDATE documents SET published = '2020-02-05' WHERE id = 1")
    found = digest(published_fields(dt.date(2020, 2, 5)))
    expected = digest(published_fields(dt.date(2020, 2, 4)))
    assert problems(case) == [
        f"document 1 published date: differs from what audit entry {entry} recorded: "
        f"digest {found}, expected {expected}"
    ]


def test_verify_accepts_a_create_entry_of_the_hashes_alone(case: Path) -> None:
    # (what the log committed to before it held the published date)
    text = "Shelling hit the market in the old town on Monday; two traders were hurt.\n"
    raw, text_hash = sha(text.encode()), sha(normalize_text(text).encode())
    with docket.open(case, actor="analyst") as db, db.store.write() as conn:
        insert_originals(conn, {raw: text.encode()})
        (document_id,) = insert_documents(
            conn,
            [
                {
                    "raw_sha256": raw,
                    "text_sha256": text_hash,
                    "text": text,
                    "retrieved": dt.datetime(2020, 2, 5),
                    "metadata": {},
                    "created_by": "analyst",
                }
            ],
        )
        after = {"raw_sha256": raw, "text_sha256": text_hash}
        record_changes(conn, "analyst", [Change("create", "document", document_id, after=after)])
    sql(case, "UPDATE documents SET published = '2020-02-04' WHERE id = ?", document_id)
    assert problems(case) == []


def test_verify_finds_edited_original(case: Path) -> None:
    raw = sha(REPORT.encode())
    sql(case, "UPDATE originals SET content = ? WHERE sha256 = ?", b"forged", raw)
    assert problems(case) == [f"original {raw}: content hashes to {sha(b'forged')}, expected {raw}"]


def test_verify_finds_deleted_log_row(case: Path) -> None:
    conn = sqlite3.connect(case)
    hashes = [h for (h,) in conn.execute("SELECT hash FROM audit_log ORDER BY id")]
    conn.close()
    sql(case, "DELETE FROM audit_log WHERE id = 3")
    assert problems(case) == [
        "evidence 2 (gate.jpg): has no 'create' entry in the audit log",
        "audit log entry 4: entries 3..3 are missing",
        f"audit log entry 4: broken link: prev_hash {hashes[2][:12]}… expected {hashes[1][:12]}…",
    ]
    with docket.open(case) as db:
        assert "audit chain first broken at entry 4" in db.verify().notes


def test_verify_finds_edited_log_row(case: Path) -> None:
    conn = sqlite3.connect(case)
    stored = conn.execute("SELECT hash FROM audit_log WHERE id = 2").fetchone()[0]
    conn.close()
    sql(case, "UPDATE audit_log SET actor = 'someone-else' WHERE id = 2")
    [problem] = problems(case)
    assert problem.startswith(
        f"audit log entry 2: entry altered: hash {stored[:12]}… recomputes to "
    )


def test_verify_finds_row_added_without_audit(case: Path) -> None:
    sql(
        case,
        "INSERT INTO evidence (sha256, size, kind, media_type, filename, metadata, created_at, "
        "created_by) VALUES (?, 6, 'image', 'image/jpeg', 'planted.jpg', '{}', "
        "'2020-02-01 00:00:00', 'x')",
        sha(b"forged"),
    )
    assert problems(case)[-2:] == [
        f"evidence 3 (planted.jpg): file {sha(b'forged')[:2]}/{sha(b'forged')[2:4]}/"
        f"{sha(b'forged')} is missing",
        "evidence 3 (planted.jpg): has no 'create' entry in the audit log",
    ]


def _stored_file(case: Path, name: str) -> tuple[str, Path]:
    conn = sqlite3.connect(case)
    sha256 = conn.execute("SELECT sha256 FROM evidence WHERE filename = ?", (name,)).fetchone()[0]
    conn.close()
    return sha256, case.with_name("case.evidence") / sha256[:2] / sha256[2:4] / sha256


def test_verify_finds_swapped_evidence_file(case: Path) -> None:
    sha256, path = _stored_file(case, "ward.jpg")
    _, other = _stored_file(case, "gate.jpg")
    os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
    path.write_bytes(other.read_bytes())
    found = sha(other.read_bytes())
    assert problems(case) == [
        f"evidence 1 (ward.jpg): file {sha256[:2]}/{sha256[2:4]}/{sha256} hashes to {found}, "
        f"expected {sha256}"
    ]


def test_verify_finds_missing_evidence_file(case: Path) -> None:
    sha256, path = _stored_file(case, "gate.jpg")
    path.unlink()
    assert problems(case) == [
        f"evidence 2 (gate.jpg): file {sha256[:2]}/{sha256[2:4]}/{sha256} is missing"
    ]


def test_verify_finds_swapped_sealed_identity(case: Path) -> None:
    sql(case, "UPDATE testimonies SET identity = ? WHERE id = 1", b"DKI1\x00" + b"\x00" * 40)
    [problem] = problems(case)
    assert problem.startswith("testimony 1 (W-0001): differs from what audit entry 5 recorded")


def test_verify_cli_exit_codes(case: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["--db", str(case), "verify"])
    assert ok.exit_code == 0
    assert "verified: every hash and the audit chain hold" in ok.output
    sql(case, "DELETE FROM audit_log WHERE id = 2")
    broken = runner.invoke(app, ["--db", str(case), "verify"])
    assert broken.exit_code == 1
    assert "audit log entry 3: entries 2..2 are missing" in broken.output


def test_verify_accepts_logged_updates_and_catches_unlogged_ones(case: Path) -> None:
    with docket.open(case, actor="analyst") as db:
        changed = db.set_consent(1, "internal_only", reason="witness withdrew consent")
        db.attach_evidence(1, None, reason="checked: not this incident")
        assert changed.consent == "internal_only"
        assert db.verify().ok
    sql(case, "UPDATE testimonies SET consent = 'may_quote' WHERE id = 1")
    [problem] = problems(case)
    assert problem.startswith("testimony 1 (W-0001): differs from what audit entry 6 recorded: ")


def test_verify_reports_audit_head_to_detect_truncation(case: Path) -> None:
    with docket.open(case) as db:
        before = db.verify().head
    sql(case, "DELETE FROM audit_log WHERE id = 5")  # the newest entry: the chain still links
    with docket.open(case) as db:
        after = db.verify()
    assert before is not None and before[0] == 5
    assert after.head is not None and after.head[0] == 4
    assert after.problems[0].message == "has no 'create' entry in the audit log"


def test_verify_finds_claim_and_incident_written_around_the_log(case: Path) -> None:
    sql(
        case,
        "INSERT INTO incidents (data, created_at, updated_at, reviewed, published) "
        "VALUES ('{}', '2020-02-01 00:00:00', '2020-02-01 00:00:00', 0, 0)",
    )
    sql(
        case,
        "INSERT INTO claims (document_id, extractor, extractor_version, data, created_at, "
        "updated_at) VALUES (1, 'manual', '0', '{}', '2020-02-01 00:00:00', '2020-02-01 00:00:00')",
    )
    assert problems(case) == [
        "incident 1: has no 'create' entry in the audit log",
        "claim 1: has no 'create' entry in the audit log",
    ]
