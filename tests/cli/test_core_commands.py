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


def test_cli_docket_db_environment_variable(run_cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCKET_DB", str(tmp_path / "env.db"))
    (tmp_path / "a.txt").write_text("Air strikes hit Ariha.")
    assert run_cli("ingest", str(tmp_path / "a.txt")).code == 0
    assert (tmp_path / "env.db").exists()
