import json
from pathlib import Path


def test_cli_ingest_documents_show_stats(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    src = tmp_path / "r.json"
    src.write_text(
        json.dumps(
            {
                "text": "Shells hit a school in Sarmin.",
                "url": "https://e.org/s",
                "source": "Monitor",
                "published": "2020-02-04",
            }
        )
    )
    result = run_cli("--db", db, "ingest", str(src), "--json")
    assert result.code == 0
    assert result.json() == {
        "stored": 1,
        "already_stored": 0,
        "dated": 0,
        "new_versions": 0,
        "failed": 0,
        "skipped": 0,
        "document_ids": [1],
        "errors": [],
    }
    listed = run_cli("--db", db, "documents", "--json").json()
    assert [(d["id"], d["url"], d["published"], d["source"]) for d in listed] == [
        (1, "https://e.org/s", "2020-02-04", "Monitor")
    ]
    shown = run_cli("--db", db, "show", "1", "--json").json()
    assert shown["text"] == "Shells hit a school in Sarmin."
    stats = run_cli("--db", db, "stats", "--json").json()
    assert (stats["documents"], stats["sources"], stats["audit_entries"]) == (1, 1, 1)


def test_cli_errors_are_one_red_line_and_exit_1(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    missing = run_cli("--db", db, "show", "42")
    assert (missing.code, missing.stderr.strip()) == (
        1,
        "Error: no document with id 42; `docket documents` lists them",
    )
    bad = run_cli("--db", db, "ingest", str(tmp_path / "nope.txt"))
    assert bad.code == 1
    assert f"Error: {tmp_path / 'nope.txt'}: no such file or directory" in bad.stderr
    date = run_cli("--db", db, "documents", "--since", "last year")
    assert (date.code, date.stderr.strip()) == (
        1,
        "Error: --since 'last year' is not a date; use YYYY-MM-DD",
    )


def test_cli_usage_errors_are_shown_not_raised(run_cli, tmp_path: Path) -> None:
    """Typer 0.2x raises its own copy of click's exceptions: they are shown all the same."""
    db = str(tmp_path / "d.db")
    bad = run_cli("--db", db, "incident", "show", "twelve")
    assert (bad.code, bad.stderr.strip().splitlines()[-1]) == (
        2,
        "Error: Invalid value for 'incident_id': Input should be a valid integer, unable to "
        "parse string as an integer",
    )
    unknown = run_cli("--db", db, "ingest", "--bogus")
    assert (unknown.code, unknown.stderr.strip().splitlines()[-1]) == (
        2,
        "Error: No such option: --bogus",
    )
    assert "Traceback" not in bad.stderr + unknown.stderr


def test_cli_docket_db_environment_variable(run_cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCKET_DB", str(tmp_path / "env.db"))
    (tmp_path / "a.txt").write_text("Air strikes hit Ariha.")
    assert run_cli("ingest", str(tmp_path / "a.txt")).code == 0
    assert (tmp_path / "env.db").exists()


def test_cli_claims_lists_stored_claims(run_cli, tmp_path: Path) -> None:
    import datetime as dt

    import docket
    from docket.domain import Casualties, CasualtyCount, Claim, Range
    from docket.store.claims import insert_claims

    db_path = tmp_path / "d.db"
    (tmp_path / "a.txt").write_text("Shells hit Sarmin school; three children were killed.")
    workspace = docket.open(db_path)
    workspace.ingest([tmp_path / "a.txt"])
    claim = Claim(
        document_id=1,
        event_type="shelling_artillery_missile_attack",
        date=dt.date(2020, 2, 4),
        casualties=Casualties(killed=CasualtyCount(civilians=Range(low=3, high=3))),
    )
    with workspace.store.write() as conn:
        insert_claims(conn, [claim], "tester")
    workspace.review_claim(1, "accepted", "two sources agree")
    workspace.close()
    listed = run_cli("--db", str(db_path), "claims", "--json").json()
    assert [
        (c["id"], c["date"], c["review_status"], c["casualties"]["killed"]["civilians"])
        for c in listed
    ] == [(1, "2020-02-04", "accepted", {"low": 3, "high": 3})]
    table = run_cli("--db", str(db_path), "claims")
    assert "shelling_artillery_missile_attack" in table.stdout and "accepted" in table.stdout


def test_cli_help_reflows_docstring_paragraphs(run_cli, monkeypatch) -> None:
    """A docstring's line breaks are source layout, not the help's: paragraphs are re-wrapped to
    the terminal and ``code`` is shown without its backquotes."""
    monkeypatch.setenv("COLUMNS", "100")
    shown = run_cli("eval", "--help")
    assert shown.code == 0
    assert (
        " A folder holding only toponyms.jsonl (mentions with gold points) is scored for toponym "
        "resolution"
    ) in [line.rstrip() for line in shown.stdout.splitlines()]


def test_cli_tables_piped_to_a_file_keep_dates_whole(tmp_path: Path) -> None:
    """Rich would lay out a pipe's output at 80 columns, cutting dates to "2020-…"."""
    import datetime as dt
    import os
    import subprocess
    import sys

    import docket
    from docket.domain import Incident
    from docket.store.incidents import insert_incidents

    path = tmp_path / "d.db"
    with docket.open(path) as db, db.store.write() as conn:
        insert_incidents(
            conn,
            [
                Incident(
                    event_type="air_drone_strike",
                    date_low=dt.date(2020, 1, 29),
                    date_high=dt.date(2020, 2, 3),
                )
            ],
            "test",
        )
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["PYTHONPATH"] = str(Path(docket.__file__).parents[1])
    shown = subprocess.run(
        [sys.executable, "-m", "docket", "--db", str(path), "incidents"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert "2020-01-29..2020-02-03" in shown
    assert max(len(line) for line in shown.splitlines()) > 80


def test_cli_an_os_error_naming_no_file_is_its_reason_alone(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    # (not "file: No space left on device", as if a file were named "file")
    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    db = str(tmp_path / "d.db")
    monkeypatch.setattr(Path, "write_text", full_disk)
    out = str(tmp_path / "e.json")
    bad = run_cli("--db", db, "export", "--format", "json", "--out", out)
    assert (bad.code, bad.stderr.strip()) == (1, "Error: No space left on device")
