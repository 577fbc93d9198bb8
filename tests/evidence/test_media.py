"""Media evidence: byte-for-byte storage, metadata, near-duplicates, bad input, location notes."""

from __future__ import annotations

import hashlib
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.evidence.media_files import (
    decompression_bomb,
    photo,
    png_with_exif_block,
    scene,
)

import docket
from docket.errors import InputError
from docket.evidence.blobs import evidence_dir_for
from docket.evidence.tables import evidence
from docket.store.schema import audit_log


@pytest.fixture
def db(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> docket.Docket:
    monkeypatch.setenv("DOCKET_EVIDENCE_DIR", str(tmp_path / "evidence-store"))
    workspace = docket.open(store_url, actor="tester")
    yield workspace
    workspace.close()


def stored_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob("??/??/*"))


def test_media_evidence_dir_is_next_to_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCKET_EVIDENCE_DIR", raising=False)
    assert evidence_dir_for("sqlite:////data/cases/idlib.db") == Path("/data/cases/idlib.evidence")


def test_media_evidence_dir_required_for_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCKET_EVIDENCE_DIR", raising=False)
    with pytest.raises(docket.ConfigError) as caught:
        evidence_dir_for("postgresql+psycopg://u:secret@db/docket")
    assert str(caught.value) == (
        "no evidence directory for postgresql+psycopg://u:***@db/docket; "
        "set $DOCKET_EVIDENCE_DIR to a folder for the media files"
    )


def test_media_add_stores_original_read_only_with_exif(db: docket.Docket, tmp_path: Path) -> None:
    path = photo(tmp_path / "IMG_0412.jpg", seed=1)
    raw = path.read_bytes()
    report = db.add_evidence([path], source="Ariha Media Office", notes="sent by WhatsApp")
    assert [a.new for a in report.added] == [True]
    item = db.evidence(report.added[0].evidence.id)
    assert item.sha256 == hashlib.sha256(raw).hexdigest()
    assert item.size == len(raw)
    assert (item.kind, item.media_type, item.filename) == ("image", "image/jpeg", "IMG_0412.jpg")
    assert item.source == "Ariha Media Office"
    assert item.notes == "sent by WhatsApp"
    assert str(item.captured) == "2020-01-29 00:41:10"
    assert item.metadata["exif"] == {
        "make": "Samsung",
        "model": "SM-A105F",
        "datetime_original": "2020:01:29 00:41:10",
        "gps": {"lat": 35.8142, "lon": 36.6105},
    }
    assert (item.metadata["width"], item.metadata["height"]) == (320, 240)
    stored = db.blobs.path_for(item.sha256)
    assert stored.read_bytes() == raw
    assert stored.relative_to(db.evidence_dir).parts[:2] == (item.sha256[:2], item.sha256[2:4])
    assert stat.S_IMODE(stored.stat().st_mode) == 0o444
    assert list((db.evidence_dir / "tmp").iterdir()) == []


def test_media_captured_option_overrides_exif_and_keeps_it(
    db: docket.Docket, tmp_path: Path
) -> None:
    import datetime as dt

    path = photo(tmp_path / "a.jpg", seed=2)
    report = db.add_evidence([path], captured=dt.datetime(2020, 1, 28, 23, 50))
    item = report.added[0].evidence
    assert str(item.captured) == "2020-01-28 23:50:00"
    assert item.metadata["metadata_captured"] == "2020-01-29T00:41:10"


def test_media_same_file_twice_is_already_stored(db: docket.Docket, tmp_path: Path) -> None:
    path = photo(tmp_path / "a.jpg", seed=3)
    first = db.add_evidence([path]).added[0]
    copy = tmp_path / "copy-of-a.jpg"
    shutil.copy(path, copy)
    second = db.add_evidence([copy]).added[0]
    assert (second.new, second.evidence.id) == (False, first.evidence.id)
    assert len(db.evidence_list()) == 1


def test_media_near_duplicate_names_source_and_date(db: docket.Docket, tmp_path: Path) -> None:
    original = photo(tmp_path / "original.jpg", seed=4, taken="2020:01:29 01:10:00")
    db.add_evidence([original], source="Idlib Media Centre")
    reposted = tmp_path / "reposted.png"
    scene(4).resize((640, 480)).save(reposted)  # resized and re-encoded: other bytes, same scene
    other = photo(tmp_path / "other.jpg", seed=17)
    report = db.add_evidence([reposted, other], source="Telegram channel")
    first, second = report.added
    assert [s.evidence_id for s in first.similar] == [1]
    assert (
        first.similar[0]
        .describe()
        .startswith("looks like evidence #1 (original.jpg) from Idlib Media Centre on 2020-01-29")
    )
    assert second.similar == []
    assert [s.evidence_id for s in db.similar_evidence(1)] == [first.evidence.id]


def test_media_bad_inputs_one_message_each_nothing_stored(
    db: docket.Docket, tmp_path: Path
) -> None:
    good = photo(tmp_path / "good.jpg", seed=5)
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    unknown = tmp_path / "notes.txt"
    unknown.write_text("Shelling reported near the market this morning.\n")
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(good.read_bytes()[:1500])
    garbage = tmp_path / "garbage.png"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x13" * 300)
    bomb = decompression_bomb(tmp_path / "bomb.png")
    missing = tmp_path / "missing.jpg"

    report = db.add_evidence([empty, unknown, truncated, garbage, bomb, missing, good])

    assert [a.path for a in report.added] == [str(good)]
    assert [str(e) for e in report.failed] == [
        f"{empty}: empty file (0 bytes)",
        f"{unknown}: unknown media format (first bytes 53 68 65 6c 6c 69 6e 67); supported: "
        "amr, avi, flac, gif, heic, jpg, m4a, mkv, mov, mp3, mp4, ogg, pdf, png, tif, wav, "
        "webp. Text reports go in with `docket ingest`",
        f"{truncated}: corrupt or truncated image: image file is truncated (4 bytes not processed)",
        f"{garbage}: corrupt image: not readable as PNG",
        f"{bomb}: refused as a possible decompression bomb: 10,000,000,000 pixels, over the "
        "limit of 89,478,485",
        f"{missing}: no such file or directory",
    ]
    assert stored_files(db.evidence_dir) == [report.added[0].evidence.sha256]
    assert list((db.evidence_dir / "tmp").iterdir()) == []
    with db.store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(evidence)).scalar() == 1


def test_media_huge_exif_block_is_ignored_file_kept(db: docket.Docket, tmp_path: Path) -> None:
    path = png_with_exif_block(
        tmp_path / "huge-exif.png", b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 200_000
    )
    added = db.add_evidence([path]).added[0]
    assert added.warnings == [
        "EXIF block of 200,014 bytes is over the 64 KiB limit; ignored (the file is stored "
        "unchanged)"
    ]
    assert added.evidence.metadata["notes"] == added.warnings
    assert "exif" not in added.evidence.metadata
    assert db.blobs.path_for(added.evidence.sha256).read_bytes() == path.read_bytes()


def test_media_malicious_exif_offsets_are_skipped(db: docket.Docket, tmp_path: Path) -> None:
    entry = b"\x01\x0f\x00\x02\x7f\xff\xff\xff\x7f\xff\xff\xf0"  # Make: 2 GB string past the end
    path = png_with_exif_block(tmp_path / "evil.png", b"MM\x00*\x00\x00\x00\x08\xff\xff" + entry)
    added = db.add_evidence([path]).added[0]
    assert added.new
    assert "exif" not in added.evidence.metadata
    assert added.warnings[0] == "EXIF damaged: Tag data larger than file. Skipping tag 271"


def test_media_pdf_and_audio_without_ffprobe(
    db: docket.Docket, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = tmp_path / "scan.pdf"
    scene(6).save(pdf, "PDF")
    wav = tmp_path / "call.wav"
    import wave

    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x01" * 8000)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    report = db.add_evidence([pdf, wav])
    first, second = report.added
    assert (first.evidence.kind, first.evidence.metadata["pages"]) == ("pdf", 1)
    assert (second.evidence.kind, second.evidence.media_type) == ("audio", "audio/wav")
    assert second.warnings == ["duration and codec not read: ffprobe is not installed"]


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_media_video_duration_codec_and_creation_time(db: docket.Docket, tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    source = "testsrc=duration=2:size=160x120:rate=10"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", source, "-pix_fmt", "yuv420p",
         "-metadata", "creation_time=2020-01-29T00:30:00Z", str(video)],
        check=True,
    )  # fmt: skip
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(video.read_bytes()[:3000])
    report = db.add_evidence([video, truncated])
    item = report.added[0].evidence
    assert (item.kind, item.metadata["duration_s"], item.metadata["width"]) == ("video", 2.0, 160)
    assert item.metadata["codecs"] == ["h264"]
    assert str(item.captured) == "2020-01-29 00:30:00"
    assert [str(e) for e in report.failed] == [
        f"{truncated}: corrupt video: ffprobe cannot read it "
        "(Invalid data found when processing input)"
    ]


def test_media_locate_records_method_and_audit(db: docket.Docket, tmp_path: Path) -> None:
    item = db.add_evidence([photo(tmp_path / "a.jpg", seed=7)]).added[0].evidence
    note = db.locate(
        item.id,
        lat=35.8142,
        lon=36.6105,
        method="satellite_match",
        note="water tower and mosque minaret match imagery of 2020-01-20",
    )
    shown = db.evidence(item.id)
    assert [(loc.lat, loc.lon, loc.method) for loc in shown.locations] == [
        (35.8142, 36.6105, "satellite_match")
    ]
    assert note.created_by == "tester"
    with db.store.read() as conn:
        entries = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.record_type, audit_log.c.record_id)
        ).all()
    assert entries == [("create", "evidence", str(item.id)), ("locate", "evidence", str(item.id))]


def test_media_locate_rejects_unknown_method(db: docket.Docket, tmp_path: Path) -> None:
    item = db.add_evidence([photo(tmp_path / "a.jpg", seed=8)]).added[0].evidence
    with pytest.raises(InputError) as caught:
        db.locate(item.id, lat=35.0, lon=36.0, method="guess")
    assert str(caught.value).startswith(
        "--method 'guess' is not one of: satellite_match, landmark_match"
    )


def test_media_attach_to_incident_is_audited(db: docket.Docket, tmp_path: Path) -> None:
    from docket.domain import Incident
    from docket.store.incidents import insert_incidents

    with db.store.write() as conn:
        [incident_id] = insert_incidents(conn, [Incident(event_type="shelling")], "tester")
    item = db.add_evidence([photo(tmp_path / "a.jpg", seed=10)]).added[0].evidence
    db.attach_evidence(item.id, incident_id, reason="same strike")
    assert [e.id for e in db.evidence_list(incident_id=incident_id)] == [item.id]
    with db.store.read() as conn:
        last = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc())).first()
    assert (last.action, last.record_type, last.reason) == ("update", "evidence", "same strike")
    with pytest.raises(docket.NotFoundError):
        db.attach_evidence(item.id, 99)


def test_media_review_is_kept_and_audited(db: docket.Docket, tmp_path: Path) -> None:
    item = db.add_evidence([photo(tmp_path / "a.jpg", seed=11)]).added[0].evidence
    db.review_evidence(item.id, "misattributed", note="same picture posted in 2016 from Aleppo")
    review = db.evidence(item.id).metadata["review"]
    assert (review["status"], review["note"], review["by"]) == (
        "misattributed",
        "same picture posted in 2016 from Aleppo",
        "tester",
    )
    with db.store.read() as conn:
        last = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc())).first()
    assert (last.action, last.record_type, last.record_id) == ("review", "evidence", str(item.id))
    with pytest.raises(InputError):
        db.review_evidence(item.id, "looks-fine")
    assert db.verify().ok


def test_media_folder_passes_over_files_that_are_not_media(
    db: docket.Docket, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    photo(folder / "IMG-20200129.jpg", seed=12)
    (folder / "chat.txt").write_text("[29/01/2020, 00:31] Ahmad: they hit the hospital again\n")
    empty = folder / "broken.jpg"
    empty.write_bytes(b"")
    report = db.add_evidence([folder])
    assert [Path(a.path).name for a in report.added] == ["IMG-20200129.jpg"]
    assert report.skipped == [str(folder / "chat.txt")]
    assert [str(e) for e in report.failed] == [f"{empty}: empty file (0 bytes)"]
