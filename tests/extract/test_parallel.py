"""Many texts on worker processes: the same claims, in the same order, as one by one."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path

import pytest

import docket
from docket.extract import run
from docket.extract.ops import stored_rows
from docket.extract.output import claim_json, extracted_json
from docket.store.claims import claim_to_row, list_claims

TEXTS = [
    "Russian warplanes struck the market in the town of Ariha on Sunday, killing 11 civilians.",
    "Barrel bombs hit a school in the town of Sarmin on Saturday, wounding six children.",
    "The council met on Sunday to plan the harvest.",
    "Regime artillery shelled the village of Kansafra on Monday; two women were killed.",
    "A drone strike on a car near Saraqib killed three fighters late on Tuesday.",
    "Protesters gathered in the city of Idlib on Friday to demand the release of detainees.",
]
PUBLISHED = dt.date(2020, 5, 12)


@pytest.fixture
def parallel_from_two(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use worker processes from two texts on (the default waits for hundreds)."""
    monkeypatch.setattr(run, "PARALLEL_MIN_TEXTS", 2)
    monkeypatch.setattr(run, "CHUNK_TEXTS", 2)


def _summary(claims: list) -> list[tuple]:
    return [
        (c["place"], c["event_type"], c["date"], c["killed_min"], c["injured_min"])
        for c in map(claim_json, claims)
    ]


def test_extract_many_on_two_processes(parallel_from_two: None) -> None:
    items = [(i, text, PUBLISHED, "en") for i, text in enumerate(TEXTS)]
    one_by_one = [run.extract_text(t, published=PUBLISHED, language="en") for t in TEXTS]
    results = list(run.extract_many(items, processes=2))
    assert [r.key for r in results] == [0, 1, 2, 3, 4, 5]
    assert [_summary(r.claims) for r in results] == [_summary(s.claims) for s in one_by_one]
    assert _summary(results[0].claims) == [("Ariha", "air_drone_strike", "2020-05-10", 11, None)]
    assert results[2].claims == []


def test_shapes_are_made_in_the_workers(parallel_from_two: None) -> None:
    items = [(i, text, PUBLISHED, "en") for i, text in enumerate(TEXTS)]
    one_by_one = [run.extract_text(t, published=PUBLISHED, language="en") for t in TEXTS]
    printed = list(run.extract_many(items, processes=2, shape=extracted_json))
    assert [p.key for p in printed] == [0, 1, 2, 3, 4, 5]
    assert [p.claims for p in printed] == [[claim_json(c) for c in s.claims] for s in one_by_one]
    stored = list(run.extract_many(items, processes=2, shape=stored_rows))
    assert [len(r.claims) for r in stored] == [1, 1, 0, 1, 1, 1]
    assert stored[0].claims == [claim_to_row(c) for c in one_by_one[0].claims]
    assert (stored[0].claims[0]["place_name"], stored[0].claims[0]["killed_low"]) == ("Arīḩā", 11)


def test_stored_documents_on_two_processes(
    db: docket.Docket, tmp_path: Path, parallel_from_two: None
) -> None:
    paths = []
    for i, text in enumerate(TEXTS):
        path = tmp_path / f"report-{i}.json"
        path.write_text(json.dumps({"text": text, "published": PUBLISHED.isoformat()}))
        paths.append(path)
    db.ingest(paths)
    seen: list[int] = []
    report = db.extract(processes=2, on_document=seen.append)
    assert (report.documents, report.claims) == (6, 5)
    assert seen == sorted(seen) and len(seen) == 6
    with db.store.read() as conn:
        stored = list_claims(conn)
    expected = [s for t in TEXTS for s in _summary(run.extract_text(t, published=PUBLISHED).claims)]
    assert sorted(_summary(stored), key=str) == sorted(expected, key=str)


def test_missing_documents_are_reported_in_order(db: docket.Docket, tmp_path: Path) -> None:
    paths = []
    for i, text in enumerate(TEXTS[:2]):
        path = tmp_path / f"report-{i}.json"
        path.write_text(json.dumps({"text": text, "published": PUBLISHED.isoformat()}))
        paths.append(path)
    db.ingest(paths)
    ids = db.pending_extraction()
    seen: list[int] = []
    report = db.extract(document_ids=[ids[0], 999_999, ids[1]], on_document=seen.append)
    assert seen == [ids[0], 999_999, ids[1]]
    assert (report.documents, report.claims) == (2, 2)
    assert report.messages == ["document 999999: not found; skipped"]


def test_extracted_results_travel_between_processes_unchanged() -> None:
    items = [(i, text, PUBLISHED, "en") for i, text in enumerate(TEXTS)]
    results = list(run._run_here(items))
    back = pickle.loads(pickle.dumps(results))
    assert [r.key for r in back] == [0, 1, 2, 3, 4, 5]
    assert [[c.model_dump() for c in r.claims] for r in back] == [
        [c.model_dump() for c in r.claims] for r in results
    ]
    assert [len(r.claims) for r in back] == [len(r.claims) for r in results]
    assert back[0].claims[0].casualties.killed.civilians.low == 11


def test_a_worker_error_reaches_the_caller(
    parallel_from_two: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail_on_protest(text: str, **kwargs: object) -> object:
        if text.startswith("Protesters"):
            raise ValueError("cannot read this text")
        return extract_text(text, **kwargs)

    extract_text = run.extract_text
    monkeypatch.setattr(run, "extract_text", fail_on_protest)  # before the workers fork
    items = [(i, text, PUBLISHED, "en") for i, text in enumerate(TEXTS)]
    read = run.extract_many(items, processes=2)
    assert [next(read).key for _ in range(4)] == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="cannot read this text"):
        list(read)


def test_a_caller_may_stop_reading_early(parallel_from_two: None) -> None:
    items = [(i, text, PUBLISHED, "en") for i, text in enumerate(TEXTS * 4)]
    read = run.extract_many(items, processes=2)
    assert next(read).key == 0
    read.close()  # the workers are shut down: chunks not yet started are dropped
