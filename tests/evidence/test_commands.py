"""The evidence stage's CLI: what users see, exit codes and exact error lines."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from tests.evidence.media_files import photo
from typer.testing import CliRunner

from docket.cli import app

runner = CliRunner()


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    folder = tmp_path / "keys"
    result = runner.invoke(app, ["keys", "init", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_keys_init_owner_only_and_no_overwrite(keys: Path) -> None:
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in keys.iterdir()}
    assert modes == {"identity.key": 0o600, "signing.key": 0o600, "signing.pub": 0o644}
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    again = runner.invoke(app, ["keys", "init", "--dir", str(keys)])
    assert again.exit_code == 1
    assert isinstance(again.exception, Exception)
    assert str(again.exception).startswith(f"{keys / 'identity.key'} already exists;")


def test_evidence_add_cli_reports_each_file(tmp_path: Path) -> None:
    db = str(tmp_path / "case.db")
    good = photo(tmp_path / "street.jpg", seed=2)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    result = runner.invoke(
        app, ["--db", db, "evidence", "add", str(good), str(empty), "--source", "Citizen", "--json"]
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["stored"], report["failed"]) == (1, 1)
    assert report["errors"] == [f"{empty}: empty file (0 bytes)"]
    shown = runner.invoke(app, ["--db", db, "evidence", "show", "1", "--json"])
    assert json.loads(shown.stdout)["source"] == "Citizen"
    located = runner.invoke(
        app,
        [
            "--db",
            db,
            "evidence",
            "locate",
            "1",
            "--lat",
            "35.93",
            "--lon",
            "36.63",
            "--method",
            "landmark_match",
            "--note",
            "minaret and water tower",
        ],
    )
    assert located.exit_code == 0, located.output
    assert "evidence #1: location note #1 added" in located.stdout


def test_testimony_add_cli_from_yaml(tmp_path: Path, keys: Path) -> None:
    db = str(tmp_path / "case.db")
    interview = tmp_path / "interview.yaml"
    interview.write_text(
        "role: doctor\n"
        "interview_date: 2020-02-17\n"
        "place: Kafr Nabl\n"
        "consent: may_quote\n"
        "identity: {name: Dr Invented Person, contact: '+000 111'}\n"
        "account: The surgical hospital was hit at dawn and the generator room burned.\n"
    )
    key = str(keys / "identity.key")
    added = runner.invoke(app, ["--db", db, "testimony", "add", str(interview), "--key-file", key])
    assert added.exit_code == 0, added.output
    assert added.stdout.startswith("testimony #1 stored as W-0001 (document 1, identity sealed")
    plain = runner.invoke(app, ["--db", db, "testimony", "show", "1", "--json"])
    assert json.loads(plain.stdout)["identity"] is None
    opened = runner.invoke(
        app, ["--db", db, "testimony", "show", "1", "--identity", "--key-file", key, "--json"]
    )
    assert json.loads(opened.stdout)["identity"] == {
        "name": "Dr Invented Person",
        "contact": "+000 111",
        "exact_location": None,
    }


def test_testimony_add_cli_missing_field_without_terminal(tmp_path: Path) -> None:
    account = tmp_path / "account.txt"
    account.write_text("We heard the jets before the market was hit.\n")
    result = runner.invoke(
        app, ["--db", str(tmp_path / "c.db"), "testimony", "add", str(account), "--role", "other"]
    )
    assert result.exit_code == 1
    assert str(result.exception) == "consent is missing; give --consent or put it in FILE"
