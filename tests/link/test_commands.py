"""The link stage's CLI: link, incidents, incident show, logs import, review."""

from __future__ import annotations

import json
from pathlib import Path

from tests.link.test_ops import SIGHTINGS, setup_store
from typer.testing import CliRunner, Result

import docket
from docket.cli import app
from docket.errors import InputError


def run(store_url: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", store_url, "--actor", "analyst", *args])


def flat(text: str) -> str:
    """Output with rich's line wrapping folded."""
    return " ".join(text.split())


def test_cli_link_list_show_review(store_url: str, tmp_path: Path) -> None:
    with docket.open(store_url) as db:
        _, ids = setup_store(db, tmp_path)
    result = run(store_url, "link", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new_incidents"] == 3

    result = run(store_url, "incidents", "--json", "--target", "hospital")
    [listed] = json.loads(result.stdout)
    assert [c["url"] for c in listed["claims"]][:2] == [
        "https://example.org/wire",
        "https://example.org/copy",
    ]
    incident_id = listed["incident"]["id"]

    result = run(store_url, "incident", "show", str(incident_id))
    assert result.exit_code == 0, result.output
    assert "12 killed — Medical Relief" in flat(result.stdout)
    assert "joined" in result.stdout and "-> match" in flat(result.stdout)

    result = run(store_url, "review", "reject", str(incident_id), "--claim", str(ids[2]),
                 "--reason", "another hospital")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"incident {incident_id}: 3 claims" in flat(result.stdout)

    result = run(
        store_url, "review", "grade", str(incident_id), "--grade", "certain", "--reason", "x"
    )
    assert isinstance(result.exception, InputError)  # main() prints it as one "Error:" line
    assert str(result.exception) == (
        "grade 'certain' is not one of confirmed, contested, discounted, fair, weak"
    )


def test_cli_logs_import_reports_bad_rows(store_url: str, tmp_path: Path) -> None:
    log = tmp_path / "sightings.csv"
    log.write_text(SIGHTINGS)
    result = run(store_url, "logs", "import", str(log), "--kind", "observer")
    assert result.exit_code == 0, result.output
    assert "2 imported, 0 already there, 2 bad rows" in flat(result.stdout)
    assert f"Error: {log}:4: timestamp 'not a time'" in flat(result.stderr)


def test_cli_incident_show_names_a_claim_without_url_cleanly(tmp_path: Path) -> None:
    report = tmp_path / "note.txt"
    report.write_text(
        "An air strike hit the market in Sarmin on 4 February 2020, killing three civilians.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "d.db")
    for command in (["ingest", str(report), "--source", "Town monitor"], ["extract"], ["link"]):
        assert run(db, *command).exit_code == 0
    shown = run(db, "incident", "show", "1")
    assert "  claim 1: document 1 Town monitor" in shown.stdout.splitlines()
