"""Scoring extraction against a gold folder (``shared/corpus`` format), as its README says.

A predicted claim matches a gold incident of the same document when the dates agree within the
gold precision (±1 day for ``day``) or the place agrees (case- and transliteration-insensitive);
the best-scoring one-to-one assignment is used. Fields are scored on matched pairs; unmatched gold
incidents count as misses for every filled field, unmatched predictions as false positives.

Other stages add their own sections: each module named in :data:`EVAL_SECTIONS`, when installed,
exposes ``evaluate(directory, predictions) -> {"title": str, "metrics": {...}} | None``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docket.domain import Claim
from docket.errors import InputError
from docket.extract.output import claim_json
from docket.extract.places import skeleton
from docket.extract.run import extract_text, read_input
from docket.vocab import coarse_event_type

EVAL_SECTIONS = ["docket.geo.evaluate", "docket.link.evaluate"]

SCALAR_FIELDS = [
    "date",
    "place",
    "admin1",
    "country",
    "perpetrators",
    "event_type",
    "killed_min",
    "killed_max",
    "civilians_killed_min",
    "civilians_killed_max",
    "injured_min",
    "injured_max",
]
SET_FIELDS = ["weapons", "targets"]
FIELDS = ["incidents", *SCALAR_FIELDS[:6], *SET_FIELDS, *SCALAR_FIELDS[6:], "coordinates"]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def scores(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class ErrorCase:
    document: str
    field: str
    gold: Any
    predicted: Any
    snippet: str


@dataclass
class EvalResult:
    documents: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    errors: list[ErrorCase] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)

    def table(self) -> dict[str, dict[str, float | int]]:
        return {name: t.scores() for name, t in self.tallies.items()}

    def to_json(self, worst: int = 20) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "fields": self.table(),
            "worst_errors": [e.__dict__ for e in self.worst(worst)],
            "sections": self.sections,
        }

    def worst(self, n: int = 20) -> list[ErrorCase]:
        by_doc: dict[str, int] = {}
        for e in self.errors:
            by_doc[e.document] = by_doc.get(e.document, 0) + 1
        ranked = sorted(self.errors, key=lambda e: (-by_doc[e.document], e.document))
        return ranked[:n]


def load_gold(directory: Path) -> list[dict[str, Any]]:
    if not directory.is_dir():
        raise InputError(f"{directory}: not a folder of gold documents")
    docs = []
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: cannot read gold document ({exc})") from None
        if isinstance(data, dict) and "incidents" in data:
            data.setdefault("id", path.stem)
            data["_path"] = path
            docs.append(data)
    if not docs:
        raise InputError(f"{directory}: no gold documents (*.json with 'incidents')")
    return docs


def predict(
    docs: list[dict[str, Any]], on_document: Callable[[], None] | None = None
) -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for doc in docs:
        text, published, language = read_input(doc["_path"])
        out[doc["id"]] = extract_text(text, published=published, language=language).claims
        if on_document:
            on_document()
    return out


def evaluate(
    directory: Path,
    predictions: dict[str, list[Claim]] | None = None,
    *,
    on_document: Callable[[], None] | None = None,
) -> EvalResult:
    """Score predictions (default: this extractor's) against the gold in ``directory``."""
    docs = load_gold(directory)
    if predictions is None:
        predictions = predict(docs, on_document)
    result = EvalResult(documents=len(docs))
    for doc in docs:
        preds = [claim_json(c) for c in predictions.get(doc["id"], [])]
        _score_document(doc, preds, result)
    result.sections = list(_other_sections(directory, predictions))
    return result


def _other_sections(
    directory: Path, predictions: dict[str, list[Claim]]
) -> Iterable[dict[str, Any]]:
    for name in EVAL_SECTIONS:
        try:
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
        except ImportError:
            continue
        section = module.evaluate(directory, predictions)
        if section:
            yield section


def _score_document(doc: dict[str, Any], preds: list[dict[str, Any]], result: EvalResult) -> None:
    gold = doc["incidents"]
    pairs = _assign(gold, preds)
    matched_gold = {g for g, _ in pairs}
    matched_pred = {p for _, p in pairs}
    result.tallies["incidents"].add(
        Tally(tp=len(pairs), fp=len(preds) - len(pairs), fn=len(gold) - len(pairs))
    )
    for g, p in pairs:
        _score_pair(doc, gold[g], preds[p], result)
    for g, incident in enumerate(gold):
        if g not in matched_gold:
            _score_pair(doc, incident, None, result)
    for p, pred in enumerate(preds):
        if p not in matched_pred:
            _score_pair(doc, None, pred, result)


def _assign(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Best-scoring one-to-one assignment of predictions to gold (dynamic programme over gold)."""
    if not gold or not preds:
        return []
    g_count = len(gold)
    scores = [[_pair_score(g, p) for p in preds] for g in gold]
    best: dict[int, tuple[float, list[tuple[int, int]]]] = {0: (0.0, [])}
    for p in range(len(preds)):
        nxt = dict(best)
        for mask, (score, pairs) in best.items():
            for g in range(g_count):
                if mask & (1 << g) or scores[g][p] is None:
                    continue
                key = mask | (1 << g)
                value = score + (scores[g][p] or 0.0)
                if key not in nxt or nxt[key][0] < value:
                    nxt[key] = (value, [*pairs, (g, p)])
        best = nxt
    return max(best.values(), key=lambda v: (len(v[1]), v[0]))[1]


def _pair_score(gold: dict[str, Any], pred: dict[str, Any]) -> float | None:
    date_ok = _date_agrees(gold, pred)
    place_ok = _place_agrees(gold.get("place"), pred.get("place"))
    if not (date_ok or place_ok):
        return None
    score = 1.0 + date_ok + 2 * place_ok
    for name in ("killed_min", "killed_max", "injured_min"):
        if gold.get(name) is not None and gold.get(name) == pred.get(name):
            score += 0.5
    score += 0.5 * len(set(gold.get("targets") or []) & set(pred.get("targets") or []))
    return score


def _parse_date(value: Any) -> dt.date | None:
    if not value:
        return None
    text = str(value)
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01")
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _date_agrees(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    g = _parse_date(gold.get("date"))
    p = _parse_date(pred.get("date"))
    if g is None or p is None:
        return False
    precision = gold.get("date_precision") or "day"
    if precision == "month":
        return (g.year, g.month) == (p.year, p.month)
    if precision == "week":
        return abs((g - p).days) <= 7
    return abs((g - p).days) <= 1


def _place_agrees(gold: Any, pred: Any) -> bool:
    if not gold or not pred:
        return False
    a, b = skeleton(str(gold)), skeleton(str(pred))
    return bool(a) and a == b


def _field_value(name: str, incident: dict[str, Any]) -> Any:
    value = incident.get(name)
    if name == "event_type" and value is not None:
        return value
    if name == "perpetrators":
        return tuple(sorted(value or [])) or None
    return value


def _event_type_agrees(gold: Any, pred: Any) -> bool:
    coarse = coarse_event_type(pred)
    if gold == "barrel_bomb":
        return coarse == "air_strike"
    if gold == "cluster_munition":
        return coarse in ("air_strike", "shelling_artillery_missile")
    return coarse == gold


def _scalar_agrees(name: str, gold: Any, pred: Any) -> bool:
    if name == "date":
        return _parse_date(gold) == _parse_date(pred) and gold is not None
    if name == "place":
        return _place_agrees(gold, pred)
    if name in ("admin1",):
        return skeleton(str(gold)) == skeleton(str(pred))
    if name == "event_type":
        return _event_type_agrees(gold, pred)
    return bool(gold == pred)


def _score_pair(
    doc: dict[str, Any],
    gold: dict[str, Any] | None,
    pred: dict[str, Any] | None,
    result: EvalResult,
) -> None:
    snippet = ((pred or {}).get("quote") or (gold or {}).get("quote") or "")[:160]
    for name in SCALAR_FIELDS:
        g = _field_value(name, gold) if gold else None
        p = _field_value(name, pred) if pred else None
        if name == "event_type" and p is not None and gold is None:
            p = p
        tally = result.tallies[name]
        if g is None and p is None:
            continue
        if g is not None and p is not None and _scalar_agrees(name, g, p):
            tally.tp += 1
            continue
        if p is not None:
            tally.fp += 1
        if g is not None:
            tally.fn += 1
        if gold is not None and pred is not None:
            result.errors.append(ErrorCase(doc["id"], name, g, p, snippet))
    for name in SET_FIELDS:
        g_set = set((gold or {}).get(name) or [])
        p_set = set((pred or {}).get(name) or [])
        tally = result.tallies[name]
        tally.tp += len(g_set & p_set)
        tally.fp += len(p_set - g_set)
        tally.fn += len(g_set - p_set)
        if gold is not None and pred is not None and g_set != p_set:
            result.errors.append(ErrorCase(doc["id"], name, sorted(g_set), sorted(p_set), snippet))
    _score_coordinates(doc, gold, pred, result, snippet)
    if gold is not None and pred is None:
        result.errors.append(
            ErrorCase(
                doc["id"],
                "incident missed",
                gold.get("place"),
                None,
                (gold.get("quote") or "")[:160],
            )
        )
    if pred is not None and gold is None:
        result.errors.append(
            ErrorCase(doc["id"], "spurious incident", None, pred.get("place"), snippet)
        )


def _score_coordinates(
    doc: dict[str, Any],
    gold: dict[str, Any] | None,
    pred: dict[str, Any] | None,
    result: EvalResult,
    snippet: str,
) -> None:
    g = (gold or {}).get("lat"), (gold or {}).get("lon")
    p = (pred or {}).get("lat"), (pred or {}).get("lon")
    tally = result.tallies["coordinates"]
    g_ok = None not in g
    p_ok = None not in p
    if g_ok and p_ok and _km(g, p) <= 10:  # type: ignore[arg-type]
        tally.tp += 1
        return
    if p_ok:
        tally.fp += 1
    if g_ok:
        tally.fn += 1


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))
