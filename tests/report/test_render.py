"""The HTML and PDF report, and the report/export/law/reply commands."""

from __future__ import annotations

import datetime as dt
import io
import json

from pypdf import PdfReader
from typer.testing import CliRunner

from docket.cli import app
from docket.report.scope import Scope
from findings_samples import store_samples


def test_render_html_is_self_contained_with_footnotes(db, tmp_path) -> None:
    ids = store_samples(db)
    db.assess_incidents()
    db.add_reply(
        party="Russian forces",
        sent_on=dt.date(2020, 3, 1),
        inquiry="Did your aircraft strike the Al-Shami Hospital?",
        incident_id=ids[4],
        status="no_response",
    )
    report = db.report(Scope(), html=tmp_path / "r.html", compare=dt.date(2020, 3, 5))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 4  # map, timeline, targets, weapons
    assert "http://" not in html and "https://" not in html
    assert '<li id="note-1">12 incidents in scope:' in html
    assert f'<tr id="incident-{ids[4]}">' in html
    assert "Russian forces was asked on 1 March 2020; no response was received" in html
    assert "Legal assessment" in html and "AP I (party since 1989)" in html
    assert "Before 5 March 2020: 11 attacks" in report.headline.text()


def test_render_pdf_pages(db, tmp_path) -> None:
    store_samples(db)
    db.report(Scope(), pdf=tmp_path / "r.pdf")
    reader = PdfReader(io.BytesIO((tmp_path / "r.pdf").read_bytes()))
    assert len(reader.pages) >= 3
    assert "12 attacks on" in reader.pages[0].extract_text()


def test_a_pdf_report_leaves_evidence_checks_strict(db, tmp_path, monkeypatch) -> None:
    # WeasyPrint's import lets Pillow load cut-off images; a photo cut short must still be
    # refused as evidence after a PDF report in the same process (the web app does both).
    from PIL import Image

    # (media files of a PostgreSQL database go where this says)
    monkeypatch.setenv("DOCKET_EVIDENCE_DIR", str(tmp_path / "evidence"))
    db.report(Scope(), pdf=tmp_path / "r.pdf")
    photo = tmp_path / "photo.jpg"
    Image.effect_noise((320, 240), 60).convert("RGB").save(photo, quality=90)
    cut = tmp_path / "cut.jpg"
    whole = photo.read_bytes()
    cut.write_bytes(whole[: len(whole) // 2])
    report = db.add_evidence([cut])
    assert report.added == []
    assert [str(e).split(": ", 1)[1].split(":")[0] for e in report.failed] == [
        "corrupt or truncated image"
    ]


def test_commands_report_export_law_reply(store_url, tmp_path) -> None:
    import docket

    with docket.open(store_url) as db:
        store_samples(db)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["--db", store_url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assessed = json.loads(run("law", "assess", "--json"))
    assert assessed["assessed"] == 12 and len(assessed["changed"]) == 11
    patterns = json.loads(run("law", "patterns", "--target", "hospital", "--json"))
    assert patterns["widespread"][0]["value"] == "3"
    out = tmp_path / "r.html"
    summary = json.loads(run("report", "--area", "Aleppo", "--out", str(out), "--json"))
    assert summary["headline"].startswith("2 attacks on clinics and markets in February 2020")
    assert out.exists()
    run(
        "export",
        "--format",
        "geojson",
        "--weapon",
        "barrel bomb",
        "--out",
        str(tmp_path / "g.json"),
    )
    features = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["weapons"] for f in features] == [["barrel bomb"], ["barrel bomb"]]
    reply = json.loads(
        run("reply", "add", "--party", "Russian forces", "--incident", "5", "--sent", "2020-03-01",
            "--inquiry", "Did your aircraft strike the hospital?", "--json")
    )  # fmt: skip
    assert reply["status"] == "awaiting"
    run("reply", "answer", str(reply["id"]), "--status", "declined")
    assert "declined to comment" in run("reply", "list")


def test_commands_errors_are_one_line(run_cli, tmp_path) -> None:
    db = str(tmp_path / "d.db")
    bad = run_cli("--db", db, "export", "--format", "kml")
    assert (bad.code, bad.stderr.strip()) == (
        1, "Error: unknown export format 'kml'; use one of acled, ucdp, geojson, hxl, json",
    )  # fmt: skip
    missing = tmp_path / "nope.geojson"
    bad = run_cli("--db", db, "report", "--polygon", str(missing))
    assert (
        bad.stderr.strip() == f"Error: {missing}: cannot read polygon (No such file or directory)"
    )
    bad = run_cli("--db", db, "reply", "answer", "9", "--status", "declined")
    assert bad.stderr.strip() == "Error: no reply with id 9; `docket reply list` lists them"
    grades = "confirmed, contested, discounted, fair, weak"
    for command, given, what in [
        (["findings"], "fair,sure", "--grade"),
        (["report", "--out", str(tmp_path / "r.html")], "fair,sure", "--grade"),
        (["incidents"], "sure", "grade"),
    ]:
        bad = run_cli("--db", db, *command, "--grade", given)
        assert (bad.code, bad.stderr.strip()) == (1, f"Error: {what} 'sure' is not one of {grades}")


def test_commands_write_into_new_folders_and_name_an_unusable_path(run_cli, tmp_path) -> None:
    db = str(tmp_path / "d.db")
    made = run_cli("--db", db, "report", "--out", str(tmp_path / "out" / "2021" / "r.html"))
    assert (made.code, made.stdout.splitlines()[-1]) == (0, f"wrote {tmp_path}/out/2021/r.html")
    made = run_cli(
        "--db", db, "export", "--format", "json", "--out", str(tmp_path / "x" / "e.json")
    )
    assert (made.code, json.loads((tmp_path / "x" / "e.json").read_text())["incidents"]) == (0, [])
    bad = run_cli("--db", db, "export", "--format", "json", "--out", str(tmp_path))
    assert (bad.code, bad.stderr.strip()) == (1, f"Error: {tmp_path}: Is a directory")


def test_render_empty_selection(db, tmp_path) -> None:
    report = db.report(Scope(), html=tmp_path / "e.html", pdf=tmp_path / "e.pdf")
    assert report.headline.text() == "No incidents match this selection."
    assert (tmp_path / "e.pdf").read_bytes()[:5] == b"%PDF-"


def test_commands_findings_json(run_cli, tmp_path) -> None:
    import docket

    db = str(tmp_path / "d.db")
    with docket.open(db) as workspace:
        ids = store_samples(workspace)
    result = run_cli(
        "--db", db, "findings", "--target", "hospital", "--compare", "2020-01-01", "--json"
    )
    found = result.json()
    assert found["total"]["count"] == 3
    assert found["total"]["killed"] == {"low": 13, "high": 15}
    assert found["comparison"]["after"]["total"]["incident_ids"] == [ids[4]]
    text = run_cli("--db", db, "findings", "--area", "Hama").stdout
    assert "clinic closed" in text
