from __future__ import annotations

import json
from pathlib import Path

from docket.geo.evaluate import admin1_matches, distance_km, evaluate

TOPONYMS = [
    # corpus, doc, context, mention, gold lat, lon, feature
    (
        "A",
        "1",
        "Rockets fell on Kharkiv overnight, the governor said.",
        "Kharkiv",
        49.98,
        36.25,
        "city",
    ),
    (
        "A",
        "1",
        "Rockets fell on Kharkiv overnight; Ukraine asked for help.",
        "Ukraine",
        49.0,
        32.0,
        "country",
    ),
    ("B", "7", "Aid reached Hodeidah port on Monday.", "Hodeidah", 14.80, 42.95, "city"),
    ("B", "7", "Nobody has heard of Qqzxvillé Bzzt.", "Qqzxvillé Bzzt", 10.0, 10.0, None),
]


def _write_toponyms(folder: Path) -> None:
    with (folder / "toponyms.jsonl").open("w", encoding="utf-8") as fh:
        for n, (corpus, doc, context, mention, lat, lon, feature) in enumerate(TOPONYMS):
            row = {
                "corpus": corpus,
                "doc": doc,
                "context": context,
                "mention": mention,
                "start": context.index(mention),
                "lat": lat,
                "lon": lon,
                "feature": feature,
                "id": f"{corpus}:{doc}:{n}",
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def test_evaluate_toponyms_per_corpus(tmp_path: Path) -> None:
    _write_toponyms(tmp_path)
    result = evaluate(tmp_path, {})
    assert result is not None
    assert result["title"] == "Toponym resolution (geo)"
    metrics = result["metrics"]
    assert metrics["A"] == {
        "n": 2,
        "acc161": 1.0,
        "acc10_city": 1.0,
        "n_city": 1,
        "median_km": 0.2,
        "unresolved": 0,
    }
    assert (metrics["B"]["acc161"], metrics["B"]["unresolved"], metrics["all"]["n"]) == (0.5, 1, 4)


def test_evaluate_gold_places_of_dev_documents(tmp_path: Path) -> None:
    doc = {
        "id": "sample",
        "text": "Shelling hit the market in Kafr Nabl, in southern Idlib, on Sunday.",
        "incidents": [
            {
                "place": "Kafr Nabl",
                "admin1": "Idlib Governorate",
                "country": "SY",
                "lat": 35.6138,
                "lon": 36.5645,
            },
        ],
    }
    (tmp_path / "sample.json").write_text(json.dumps(doc), encoding="utf-8")
    assert evaluate(tmp_path, {}) == {
        "title": "Geocoding of gold place names (geo)",
        "metrics": {"n": 1, "within_10km": 1.0, "admin1": 1.0, "country": 1.0},
    }


def test_evaluate_other_folder_is_none(tmp_path: Path) -> None:
    assert evaluate(tmp_path, {}) is None


def test_admin1_matches_spellings() -> None:
    assert admin1_matches("Idlib", "Idlib Governorate")
    assert admin1_matches("Idleb", "Idlib")
    assert admin1_matches("Muhafazat al Hudaydah", "Hodeidah")
    assert not admin1_matches("Hama", "Idlib")


def test_distance_km() -> None:
    assert round(distance_km(35.93062, 36.63393, 35.13179, 36.75783), 1) == 89.5


def test_toponym_accuracy_stays_at_the_targets(corpus_geo: Path) -> None:
    # Issue 4's targets on the four published corpora: a change to the gazetteer or the rules
    # that costs a mention shows here (the margin was one mention on each figure in 2026-11).
    result = evaluate(corpus_geo, {})
    assert result is not None
    overall = result["metrics"]["all"]
    assert (overall["n"], overall["acc161"] >= 0.90, overall["acc10_city"] >= 0.90) == (
        1500,
        True,
        True,
    )
