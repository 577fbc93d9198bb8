"""Measuring linking on the dev corpus: pairwise precision / recall / F1 over documents.

Two documents form a gold pair when they report one same-incident group of ``links.tsv``; they
form a predicted pair when the linker puts any claim of one and any claim of the other in one
cluster. ``docket eval`` passes the extracted claims per document; ``python -m
docket.link.evaluate DIR`` uses claims derived from the gold incidents, to measure the linker alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from docket.domain import (
    ActorRef,
    Casualties,
    CasualtyCount,
    Claim,
    DatePrecision,
    LocationPrecision,
    Range,
    ResolvedPlace,
    TargetRef,
)
from docket.link.core import link_claims
from docket.vocab import actors

# gold coarse type -> (ACLED sub-event id, weapon that refines it)
_GOLD_TYPES: dict[str, tuple[str | None, str | None]] = {
    "air_strike": ("air_drone_strike", None),
    "barrel_bomb": ("air_drone_strike", "barrel bomb"),
    "cluster_munition": ("air_drone_strike", "cluster munition"),
    "shelling_artillery_missile": ("shelling_artillery_missile_attack", None),
    "explosive_device": ("remote_explosive_landmine_ied", None),
    "chemical": ("chemical_weapon", "chemical"),
    "ground_attack": ("attack", None),
    "other": (None, None),
}


def gold_groups(directory: Path) -> dict[tuple[str, int], str]:
    """(document id, incident index) -> same-incident group, from ``links.tsv``."""
    groups: dict[tuple[str, int], str] = {}
    path = directory / "links.tsv"
    with path.open(encoding="utf-8") as fh:
        rows = (line for line in fh if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            groups[(row["doc_id"], int(row["incident_index"]))] = row["group"]
    return groups


def gold_pairs(directory: Path) -> set[tuple[str, str]]:
    """Pairs of distinct documents reporting one same-incident group."""
    by_group: dict[str, set[str]] = {}
    for (doc, _), group in gold_groups(directory).items():
        by_group.setdefault(group, set()).add(doc)
    pairs: set[tuple[str, str]] = set()
    for docs in by_group.values():
        pairs.update(itertools.combinations(sorted(docs), 2))
    return pairs


def predicted_pairs(predictions: Mapping[str, list[Claim]]) -> set[tuple[str, str]]:
    """Pairs of distinct documents with claims in one cluster of :func:`link_claims`."""
    claims: list[Claim] = []
    doc_of: dict[int, str] = {}
    doc_number = {doc: i for i, doc in enumerate(sorted(predictions))}
    for doc, doc_claims in predictions.items():
        for claim in doc_claims:
            cid = len(claims)
            doc_of[cid] = doc
            claims.append(claim.model_copy(update={"id": cid, "document_id": doc_number[doc]}))
    pairs: set[tuple[str, str]] = set()
    for cluster in link_claims(claims):
        docs = sorted({doc_of[c] for c in cluster.claim_ids})
        pairs.update(itertools.combinations(docs, 2))
    return pairs


def scores(gold: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> dict[str, Any]:
    tp = len(gold & predicted)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "gold_pairs": len(gold),
        "predicted_pairs": len(predicted),
        "true_pairs": tp,
    }


def evaluate(directory: Path, predictions: dict[str, list[Claim]]) -> dict[str, Any] | None:
    """Linking scores for ``predictions`` (claims per document id); ``None`` without links.tsv."""
    if not (directory / "links.tsv").exists():
        return None
    gold = gold_pairs(directory)
    known = {p for p in gold if p[0] in predictions and p[1] in predictions}
    metrics = scores(known, predicted_pairs(predictions))
    return {"title": "Linking", "metrics": metrics}


# --- claims from gold incidents -------------------------------------------------------------


def _actor_ref(name: str) -> ActorRef:
    by_name = {t.name.lower(): t for t in actors().values()}
    term = by_name.get(name.lower())
    return ActorRef(actor_id=term.id if term else name.lower(), name=name)


def _gold_date(value: str | None, precision: str | None) -> tuple[dt.date | None, DatePrecision]:
    if not value:
        return None, DatePrecision.day
    if len(value) == 7:
        return dt.date.fromisoformat(value + "-01"), DatePrecision.month
    return dt.date.fromisoformat(value), DatePrecision(precision or "day")


def claim_from_gold(incident: Mapping[str, Any]) -> Claim:
    """A claim holding exactly what one gold incident says (to measure the linker alone)."""
    date, precision = _gold_date(incident.get("date"), incident.get("date_precision"))
    event_type, weapon = _GOLD_TYPES.get(incident.get("event_type") or "other", (None, None))
    weapons = list(incident.get("weapons") or [])
    if weapon and weapon not in weapons:
        weapons.append(weapon)
    place = None
    if incident.get("place"):
        place = ResolvedPlace(
            name=incident["place"],
            lat=incident.get("lat"),
            lon=incident.get("lon"),
            precision=LocationPrecision.settlement,
            admin1=incident.get("admin1"),
            country=incident.get("country"),
        )
    killed = Range(low=incident.get("killed_min"), high=incident.get("killed_max"))
    civilians = Range(
        low=incident.get("civilians_killed_min"), high=incident.get("civilians_killed_max")
    )
    injured = Range(low=incident.get("injured_min"), high=incident.get("injured_max"))
    if civilians.is_empty:
        killed_count = CasualtyCount(unknown=killed)
    else:
        killed_count = CasualtyCount(civilians=civilians)
    return Claim(
        event_type=event_type,
        date=date,
        date_precision=precision if date else None,
        place=place,
        admin1=incident.get("admin1"),
        country=incident.get("country"),
        perpetrators=[_actor_ref(p) for p in incident.get("perpetrators") or []],
        weapons=weapons,
        targets=[TargetRef(category=t) for t in incident.get("targets") or []],
        casualties=Casualties(killed=killed_count, injured=CasualtyCount(unknown=injured)),
        quote=incident.get("quote"),
        extractor="gold",
    )


def gold_claims(directory: Path) -> dict[str, list[Claim]]:
    """Claims per document id built from the gold incidents of every ``*.json`` in ``directory``."""
    found: dict[str, list[Claim]] = {}
    for path in sorted(directory.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        found[doc["id"]] = [claim_from_gold(i) for i in doc.get("incidents") or []]
    return found


def misses(directory: Path, predictions: Mapping[str, list[Claim]]) -> Iterable[str]:
    gold = gold_pairs(directory)
    predicted = predicted_pairs(predictions)
    for pair in sorted(gold - predicted):
        yield f"missed    {pair[0]} ~ {pair[1]}"
    for pair in sorted(predicted - gold):
        yield f"spurious  {pair[0]} ~ {pair[1]}"


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m docket.link.evaluate CORPUS_DEV_DIR", file=sys.stderr)
        return 2
    directory = Path(argv[0])
    predictions = gold_claims(directory)
    result = evaluate(directory, predictions)
    if result is None:
        print(f"{directory}: no links.tsv", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    for line in misses(directory, predictions):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
