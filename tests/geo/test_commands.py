from __future__ import annotations

import json
from pathlib import Path

from docket.vocab import data_path


def test_cli_geocode_json(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "d.db")
    result = run_cli("--db", db, "geocode", "12 km south of Maarat al-Numan", "--json")
    assert result.code == 0
    place = result.json()
    assert (place["name"], place["precision"], place["lat"], place["lon"], place["admin1"]) == (
        "Ma‘arrat an Nu‘mān",
        "district",
        35.54038,
        36.67693,
        "Idlib",
    )


def test_cli_geocode_unresolved_says_why(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--db", str(tmp_path / "d.db"), "geocode", "Qqzxvillé Bzzt")
    assert result.code == 0
    assert result.stdout.strip() == (
        "Qqzxvillé Bzzt: unresolved: no gazetteer entry is named 'Qqzxvillé Bzzt' or a close "
        "spelling"
    )


def test_cli_places_search(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = run_cli("--db", str(tmp_path / "d.db"), "places", "Kafr Nabl", "--json").json()
    assert (found[0]["name"], found[0]["place_id"], found[0]["country"]) == (
        "Kafranbel",
        168661,
        "SY",
    )


def test_cli_facilities_import_and_list(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "d.db")
    path = str(data_path("places/facilities_nw_syria.csv"))
    imported = run_cli("--db", db, "facilities", "import", path, "--json").json()
    assert (imported["created"], imported["updated"], imported["failed"]) == (11, 1, [])
    hospitals = run_cli("--db", db, "facilities", "--type", "hospital", "--json").json()
    assert [(f["name"], f["status"], f["deconflicted"]) for f in hospitals] == [
        ("Al-Shami Hospital", "damaged", True),
        ("Al-Hikma Hospital", "operating", True),
        ("Kafr Nabl Surgical Hospital", "operating", True),
        ("Maarat al-Numan National Hospital", "closed", True),
    ]


def test_cli_gazetteer_import_reports_bad_rows(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "name,type,lat,lon,admin1,country\n"
        "Hilltop Clinic,clinic,35.71,36.62,Idlib,SY\n"
        "Broken Row,clinic,x,36.6,Idlib,SY\n",
        encoding="utf-8",
    )
    result = run_cli("--db", str(tmp_path / "d.db"), "gazetteer", "import", str(sites), "--json")
    assert result.code == 0
    assert result.json() == {
        "path": str(sites),
        "format": "sites",
        "imported": 1,
        "failed": [{"line": 3, "problem": "lat/lon 'x', '36.6' are not numbers"}],
    }
    assert result.stderr.strip() == f"Error: {sites}:3: lat/lon 'x', '36.6' are not numbers"


def test_cli_facility_status_and_show(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "d.db")
    run_cli("--db", db, "facilities", "import", str(data_path("places/facilities_nw_syria.csv")))
    done = run_cli(
        "--db",
        db,
        "facilities",
        "status",
        "2",
        "destroyed",
        "--date",
        "2020-02-16",
        "--source",
        "field team",
    )
    assert (done.code, done.stdout.strip()) == (0, "facility 2: destroyed on 2020-02-16")
    shown = run_cli("--db", db, "facilities", "show", "2", "--json").json()
    assert [(e["status"], e["date"], e["source"]) for e in shown["history"]] == [
        ("operating", "2019-11-20", "demo registry"),
        ("destroyed", "2020-02-16", "field team"),
    ]
    bad = run_cli("--db", db, "facilities", "status", "2", "flattened")
    assert (bad.code, bad.stderr.strip()) == (
        1,
        "Error: unknown status 'flattened'; use one of operating, damaged, closed, destroyed",
    )


def _toponym_row(n: int, context: str, mention: str, lat: float, lon: float) -> str:
    row = {
        "corpus": "T",
        "doc": str(n),
        "context": context,
        "mention": mention,
        "start": context.index(mention),
        "lat": lat,
        "lon": lon,
        "feature": "city",
        "id": f"T:{n}:0",
    }
    return json.dumps(row, ensure_ascii=False)


def _write_small_toponyms(folder: Path) -> None:
    rows = [
        _toponym_row(1, "Two rockets struck Kharkiv before dawn.", "Kharkiv", 49.98, 36.25),
        _toponym_row(2, "The convoy left Hodeidah port on Monday.", "Hodeidah", 14.80, 42.95),
    ]
    (folder / "toponyms.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_cli_eval_scores_a_toponym_folder(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _write_small_toponyms(tmp_path)
    result = run_cli("eval", str(tmp_path), "--json")
    assert result.code == 0
    metrics = result.json()["metrics"]
    assert metrics["T"] == {
        "n": 2,
        "acc161": 1.0,
        "acc10_city": 1.0,
        "n_city": 2,
        "median_km": 0.5,
        "unresolved": 0,
    }
    table = run_cli("eval", str(tmp_path))
    assert table.code == 0
    assert "no gold documents" not in table.stdout + table.stderr
    assert "Toponym resolution" in table.stdout
    lines = [line for line in table.stdout.splitlines() if "│ all" in line]
    assert lines == ["│ all    │ 2 │  1.000 │      1.000 │      2 │       0.5 │          0 │"]


def test_cli_import_summaries_count_in_the_singular_too(run_cli, tmp_path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "name,type,lat,lon\nWell Clinic,clinic,35.1,36.1\nHill School,school,north,36.2\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "d.db")
    places = run_cli("--db", db, "gazetteer", "import", str(sites))
    assert places.stdout.strip() == "1 place imported (sites), 1 bad row skipped"
    registered = run_cli("--db", db, "facilities", "import", str(sites))
    assert registered.stdout.strip() == "1 facility added, 0 updated, 1 bad row skipped"


def test_cli_facilities_link_makes_a_candidate_of_a_named_hospital(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "d.db")
    report = tmp_path / "report.txt"
    report.write_text(
        "A warplane fired missiles at the Nour hospital in Ariha on 29 January 2020, killing "
        "four civilians, the health directorate said.",
        encoding="utf-8",
    )
    run_cli("--db", db, "ingest", str(report))
    run_cli("--db", db, "extract")
    linked = run_cli("--db", db, "facilities", "link", "--json").json()
    assert (linked["claims"], linked["facilities_linked"], linked["placed"]) == (1, 1, 1)
    (candidate,) = run_cli("--db", db, "facilities", "--candidates", "--json").json()
    assert (candidate["name"], candidate["facility_type"], candidate["settlement"]) == (
        "Nour hospital",
        "hospital",
        "Arīḩā",
    )
    assert run_cli("--db", db, "verify").code == 0
