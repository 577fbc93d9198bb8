"""``docket extract`` over stored documents, ``docket extract FILE --json`` and ``docket eval``."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

import docket
from docket.cli import app
from docket.domain import ReviewStatus
from docket.extract.output import claim_json
from docket.store.claims import list_aggregates, list_claims, set_review_status
from docket.store.schema import audit_log, extraction_runs

GOLD_KEYS = {
    "date", "date_precision", "place", "admin1", "country", "lat", "lon", "perpetrators",
    "event_type", "weapons", "targets", "killed_min", "killed_max", "civilians_killed_min",
    "civilians_killed_max", "injured_min", "injured_max", "quote",
}  # fmt: skip

REPORTS = {
    "ariha.json": {
        "text": "Russian warplanes struck the market in the town of Ariha on Sunday, killing 11 "
        "civilians. The offensive has killed 300 civilians since December.",
        "published": "2020-05-11",
    },
    "sarmin.json": {
        "text": "Barrel bombs hit a school in the town of Sarmin on Saturday, wounding six children.",
        "published": "2020-05-11",
    },
    "quiet.json": {
        "text": "The council met on Sunday to plan the harvest.",
        "published": "2020-05-11",
    },
}


def ingest(db: docket.Docket, tmp_path: Path) -> None:
    for name, doc in REPORTS.items():
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
    db.ingest([tmp_path / n for n in REPORTS])


def test_store_extract_then_nothing_new(db: docket.Docket, tmp_path: Path) -> None:
    ingest(db, tmp_path)
    report = db.extract()
    assert (report.documents, report.claims, report.aggregates) == (3, 2, 1)
    with db.store.read() as conn:
        stored = list_claims(conn)
        aggregates = list_aggregates(conn)
        runs = conn.execute(sa.select(sa.func.count()).select_from(extraction_runs)).scalar()
        logged = conn.execute(
            sa.select(sa.func.count())
            .select_from(audit_log)
            .where(audit_log.c.record_type == "claim")
        ).scalar()
    assert sorted((claim_json(c)["place"], c.casualties.killed.total.low) for c in stored) == [
        ("Ariha", 11),
        ("Sarmin", None),
    ]
    assert {c.extractor for c in stored} == {"docket-rules"}
    assert [(a.counted, a.count.low) for a in aggregates] == [("killed", 300)]
    assert (runs, logged) == (3, 2)
    again = db.extract()
    assert (again.documents, again.claims) == (0, 0)


def test_store_redo_keeps_reviewed_claims(db: docket.Docket, tmp_path: Path) -> None:
    ingest(db, tmp_path)
    db.extract()
    with db.store.read() as conn:
        first = list_claims(conn)
    with db.store.write() as conn:
        set_review_status(conn, first[0].id or 0, ReviewStatus.accepted, "tester", "checked")
    report = db.extract(redo=True)
    assert (report.documents, report.replaced, report.kept_reviewed) == (3, 1, 1)
    with db.store.read() as conn:
        after = list_claims(conn)
        aggregates = list_aggregates(conn)
    assert len(after) == 3  # the accepted claim stays beside the fresh ones
    assert [c.review_status for c in after].count(ReviewStatus.accepted) == 1
    assert len(aggregates) == 1


def test_cli_extract_files_json(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Shelling hit the village of Kansafra on Sunday, killing two children.", encoding="utf-8"
    )
    (tmp_path / "b.json").write_text(json.dumps(REPORTS["sarmin.json"]), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "extract",
            str(tmp_path / "a.txt"),
            str(tmp_path / "b.json"),
            "--published",
            "2020-05-11",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [o["document"] for o in out] == [str(tmp_path / "a.txt"), str(tmp_path / "b.json")]
    first = out[0]["claims"][0]
    assert set(first) >= GOLD_KEYS and "spans" in first
    assert (first["date"], first["place"], first["killed_min"]) == ("2020-05-10", "Kansafra", 2)


def test_cli_extract_bad_file_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("No news today.", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["extract", str(tmp_path / "bad.json"), str(tmp_path / "ok.txt"), "--json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"document": str(tmp_path / "ok.txt"), "claims": [], "aggregates": []}
    ]
    assert f"Error: {tmp_path / 'bad.json'}:1: not valid JSON" in result.stderr


def test_cli_extract_of_a_document_cut_short_warns_and_succeeds(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("The valley was quiet and the harvest went on.\n" * 5_000, encoding="utf-8")
    db = str(tmp_path / "d.db")
    assert CliRunner().invoke(app, ["--db", db, "ingest", str(long)]).exit_code == 0
    result = CliRunner().invoke(app, ["--db", db, "extract"])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if line] == [
        "Warning: document 1: text of 230,000 characters: only the first 200,000 were read"
    ]


def test_cli_extract_corpus_shape(corpus_dev: Path) -> None:
    files = sorted(corpus_dev.glob("*.json"))
    result = CliRunner().invoke(app, ["extract", *map(str, files), "--json"])
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert len(out) == len(files)
    claims = [c for o in out for c in o["claims"]]
    assert len(claims) >= len(files)
    for claim in claims:
        assert set(claim) >= GOLD_KEYS
        assert claim["date_precision"] in (None, "day", "week", "month")
        assert all(
            isinstance(v, int) or v is None
            for k, v in claim.items()
            if k.endswith(("_min", "_max"))
        )


def test_cli_eval_corpus_json(corpus_dev: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(corpus_dev), "--json"])
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["documents"] == len(list(corpus_dev.glob("*.json")))
    assert set(out["fields"]) >= {"incidents", "date", "place", "killed_min", "weapons", "targets"}
    assert out["fields"]["incidents"]["f1"] > 0.5


def test_eval_scores_a_hand_made_gold_folder(tmp_path: Path) -> None:
    gold = {
        "id": "g1",
        "text": "Russian warplanes struck the market in the town of Ariha on Sunday, killing 11 civilians.",
        "published": "2020-05-11",
        "incidents": [
            {
                "date": "2020-05-10", "date_precision": "day", "place": "Ariha", "admin1": "Idlib",
                "country": "SY", "lat": None, "lon": None, "perpetrators": ["Russian forces"],
                "event_type": "air_strike", "weapons": ["aircraft"], "targets": ["market"],
                "killed_min": 11, "killed_max": 11, "civilians_killed_min": 11,
                "civilians_killed_max": 11, "injured_min": None, "injured_max": None, "quote": "x",
            }
        ],
    }  # fmt: skip
    (tmp_path / "g1.json").write_text(json.dumps(gold), encoding="utf-8")
    from docket.extract.evaluate import evaluate

    table = evaluate(tmp_path).table()
    assert {k: v["f1"] for k, v in table.items() if k != "coordinates"} == {
        "incidents": 1.0, "date": 1.0, "place": 1.0, "admin1": 1.0, "country": 1.0,
        "perpetrators": 1.0, "event_type": 1.0, "weapons": 1.0, "targets": 1.0,
        "killed_min": 1.0, "killed_max": 1.0, "civilians_killed_min": 1.0,
        "civilians_killed_max": 1.0, "injured_min": 1.0, "injured_max": 1.0,
    }  # fmt: skip
