"""Ingesting batches: versions, duplicates, one clear line per bad input (issue 2, points 4-5)."""

import json
import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import docket
from docket.store.schema import documents, originals

REPORT = "Barrel bombs hit the market in Maarat al-Numan on Wednesday, killing six civilians."


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def doc_json(text: str, **keys: object) -> str:
    return json.dumps({"text": text, **keys})


def test_ingest_folder_recursively_then_nothing_new(db: docket.Docket, tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", REPORT)
    write(tmp_path / "in" / "sub" / "b.md", "# Sarmin\n\nShells hit a school in Sarmin.")
    write(
        tmp_path / "in" / "sub" / "c.json",
        doc_json("Clinic hit.", url="https://e.org/c", published="2020-01-02"),
    )
    write(tmp_path / "in" / "notes.tsv", "ignored\n")
    first = db.ingest([tmp_path / "in"])
    assert (len(first.stored), len(first.already_stored), first.failed, first.skipped) == (
        3,
        0,
        [],
        [str(tmp_path / "in" / "notes.tsv")],
    )
    second = db.ingest([tmp_path / "in"])
    assert (len(second.stored), len(second.already_stored)) == (0, 3)
    assert db.stats()["documents"] == 3
    titles = sorted(d.title or "" for d in db.documents())
    assert titles == [
        "",
        "Barrel bombs hit the market in Maarat al-Numan on Wednesday, killing six civilians.",
        "Sarmin",
    ]


def test_ingest_new_text_at_known_url_is_a_new_version(db: docket.Docket, tmp_path: Path) -> None:
    v1 = write(tmp_path / "v1.json", doc_json("Toll: 10 killed.", url="https://e.org/x"))
    v2 = write(tmp_path / "v2.json", doc_json("Toll rises: 12 killed.", url="https://e.org/x"))
    (first,) = db.ingest([v1]).stored
    report = db.ingest([v2])
    (second,) = report.stored
    assert report.new_versions == [second]
    assert db.document(second).previous_version_id == first
    assert db.document(first).text == "Toll: 10 killed."


def test_ingest_overrides_apply_to_every_document(db: docket.Docket, tmp_path: Path) -> None:
    import datetime as dt

    path = write(tmp_path / "a.txt", REPORT)
    (doc_id,) = db.ingest(
        [path],
        source="Idlib Monitor",
        source_kind="monitor",
        published=dt.date(2020, 1, 29),
        url="https://e.org/a",
        language="en",
    ).stored
    doc = db.document(doc_id)
    assert (doc.source, doc.source_kind.value, doc.published, doc.url, doc.language) == (
        "Idlib Monitor",
        "monitor",
        dt.date(2020, 1, 29),
        "https://e.org/a",
        "en",
    )


def test_ingest_gives_stored_content_its_missing_published_date_only(
    db: docket.Docket, tmp_path: Path
) -> None:
    import datetime as dt

    undated = write(tmp_path / "a.txt", REPORT)
    dated = write(tmp_path / "b.json", doc_json("Clinic hit.", published="2020-01-02"))
    first = db.ingest([undated, dated]).stored
    again = db.ingest([undated, dated], published=dt.date(2020, 1, 29))
    assert (again.stored, again.already_stored, again.dated) == ([], first, first[:1])
    assert [db.document(i).published for i in first] == [dt.date(2020, 1, 29), dt.date(2020, 1, 2)]
    assert db.ingest([undated], published=dt.date(2021, 5, 5)).dated == []
    with db.store.read() as conn:
        logged = conn.execute(
            sa.text("SELECT action, record_type, record_id, reason FROM audit_log ORDER BY id")
        ).all()
    assert [tuple(r) for r in logged][-1] == (
        "update", "document", str(first[0]), "published date given at ingest"
    )  # fmt: skip
    assert db.verify().ok


def test_ingest_stores_original_bytes_and_hashes(db: docket.Docket, tmp_path: Path) -> None:
    import hashlib

    raw = ("\ufeff" + REPORT + "\r\n").encode("utf-8")
    (doc_id,) = db.ingest([write(tmp_path / "bom.txt", raw)]).stored
    doc = db.document(doc_id)
    assert doc.raw_sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.text_sha256 == hashlib.sha256(REPORT.encode()).hexdigest()
    with db.store.read() as conn:
        assert conn.execute(sa.select(originals.c.content)).scalar() == raw


BAD_INPUTS = {
    "undecodable.txt": (
        b"Shelling in Ariha \xff\xfe killed 3",
        "not valid utf-8 (byte 0xff at offset 18); pass --encoding if the file uses another encoding",
    ),
    "empty.txt": (b"", "empty file"),
    "junk.txt": (
        bytes(range(256)) * 4,
        "binary data (NUL bytes), not text; is the extension right?",
    ),
    "broken.json": (
        b'{"text": "a", ',
        "malformed JSON: Expecting property name enclosed in double quotes at line 1 column 15",
    ),
    "notext.json": (b'{"title": "no body"}', "JSON document has no non-empty 'text'"),
    "bad.pdf": (b"%PDF-1.4 this is not really a pdf", None),
}


def test_ingest_bad_inputs_each_get_one_line_and_batch_goes_on(
    db: docket.Docket, tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    for name, (content, _) in BAD_INPUTS.items():
        write(folder / name, content)
    write(
        folder / "lines.jsonl",
        doc_json("good line one") + "\n{oops\n" + doc_json("good line three") + "\n",
    )
    write(folder / "good.txt", REPORT)
    os.symlink(tmp_path / "gone.txt", folder / "dangling.txt")
    big = folder / "huge.txt"
    with big.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    report = db.ingest([folder, tmp_path / "missing-folder"])
    errors = sorted(str(e) for e in report.failed)
    expected = {str(folder / n): m for n, (_, m) in BAD_INPUTS.items() if m}
    expected[f"{folder / 'lines.jsonl'}:2"] = (
        "malformed JSON: Expecting property name enclosed in double quotes at column 2"
    )
    expected[str(folder / "dangling.txt")] = "not a regular file (a device, pipe or broken link)"
    expected[str(big)] = (
        "200.0 MiB is over the 50 MiB limit; raise it with --max-size if this is really one document"
    )
    expected[str(tmp_path / "missing-folder")] = "no such file or directory"
    for where, message in expected.items():
        assert f"{where}: {message}" in errors
    assert any(e.startswith(f"{folder / 'bad.pdf'}: not a readable PDF") for e in errors)
    assert len(errors) == len(expected) + 1
    assert len(report.stored) == 3  # good.txt and two good JSONL lines
    assert sorted(d.text for d in db.documents(with_text=True)) == sorted(
        [REPORT, "good line one", "good line three"]
    )


def test_ingest_failure_changes_nothing_already_stored(db: docket.Docket, tmp_path: Path) -> None:
    db.ingest([write(tmp_path / "a.txt", REPORT)])
    with db.store.read() as conn:
        before = conn.execute(sa.select(documents).order_by(documents.c.id)).all()
    report = db.ingest(
        [write(tmp_path / "b.txt", b"\x00\x01\x02"), write(tmp_path / "a2.txt", REPORT)]
    )
    assert (len(report.failed), len(report.stored), len(report.already_stored)) == (1, 0, 1)
    with db.store.read() as conn:
        assert conn.execute(sa.select(documents).order_by(documents.c.id)).all() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_ingest_unreadable_file_in_folder(db: docket.Docket, tmp_path: Path) -> None:
    locked = write(tmp_path / "f" / "locked.txt", REPORT)
    write(tmp_path / "f" / "open.txt", "Another report about shelling in Saraqib.")
    locked.chmod(0)
    report = db.ingest([tmp_path / "f"])
    assert [str(e) for e in report.failed] == [f"{locked}: cannot read: Permission denied"]
    assert len(report.stored) == 1


def test_ingest_folder_it_cannot_list_is_an_error_and_the_rest_goes_on(
    db: docket.Docket, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "in" / "locked"
    write(locked / "a.txt", REPORT)
    write(tmp_path / "in" / "open.txt", "Another report about shelling in Saraqib.")
    locked.chmod(0)
    scandir = os.scandir

    def refuse_locked(path: Any) -> Any:  # root lists a folder whatever its mode
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    try:
        report = db.ingest([tmp_path / "in"])
    finally:
        locked.chmod(0o755)
    assert [str(e) for e in report.failed] == [f"{locked}: cannot read folder (Permission denied)"]
    assert len(report.stored) == 1


def test_ingest_whole_dev_corpus_with_dates_and_urls(db: docket.Docket, corpus_dev: Path) -> None:
    report = db.ingest(sorted(corpus_dev.glob("*.json")))
    golds = {
        json.loads(p.read_text())["url"]: json.loads(p.read_text())
        for p in corpus_dev.glob("*.json")
    }
    assert (len(report.stored), report.failed) == (len(golds), [])
    for doc in db.documents(limit=None):
        gold = golds[doc.url]
        assert (str(doc.published) if doc.published else None) == gold["published"]
        assert doc.source == gold["source"]
    again = db.ingest(sorted(corpus_dev.glob("*.json")))
    assert (len(again.stored), len(again.already_stored)) == (0, len(golds))
