"""Benchmark: link generated claims with realistic duplication; time and pairwise F1.

Events happen in a few thousand towns over six years (busy towns get more); each is reported by
one to eight sources whose claims disagree the way reports do: dates a day off or only a month,
spellings (al-/el-, doubled letters, vowels), missing coordinates, updated or open-ended tolls,
missing or differing perpetrators and targets. Several attacks often hit one town on one day, and
neighbouring towns on the same day: the near-misses the linker must keep apart.

Two timings: the in-memory core (``link_frame`` on generated columns) and, unless ``--core-only``,
end to end through the store (``Docket.link()``: read claims, link, reconcile, grade, write
incidents, assignments, audit entries and link scores back). Truth is the generating event.

    PYTHONPATH=src python bench/link.py --n 100000
    flock /tmp/bench1m.lock env PYTHONPATH=src python bench/link.py --n 1000000 --store-only
    PYTHONPATH=src python bench/link.py --n 100000 --store-only --db postgresql://...

Target (issue 5): 1M claims linked end to end in under 60 s on 2 cores, F1 >= 0.95.

Measured 2026-11-26, shared 2-core machine (wall times follow the other jobs' load; CPU seconds
with the forked workers are the fairer figure):
  1M store end to end, quiet machine, main at e9db283: 73.6 s wall / 103.9 s CPU (read 3.0,
    link 16.3, reconcile 27.9, write 25.9 s wall; write 24.5 s CPU); 320,680 incidents,
    1,199,170 link rows, peak RSS 5.5 GB, F1 0.959 (P 0.9667, R 0.9514).
  1M store end to end, back to back on a nearly quiet machine (load 0.4-3), lwrite2 then main:
    lwrite2 74.3 s wall / 104.1 s CPU (read 3.1, link 18.3, reconcile 28.7, write 23.3 s wall;
    write 22.0 s CPU), main 68.9 s wall / 94.7 s CPU (read 2.0, link 16.1, reconcile 26.2,
    write 24.1 s wall; write 22.6 s CPU): the write phase 24.1 -> 23.3 s wall, 22.6 -> 22.0 s
    CPU, within the noise of one pair (link and reconcile moved more, untouched). Same 320,680
    incidents, 1,199,170 link rows, F1 0.959 (P 0.9667, R 0.9514); peak RSS 5.0 -> 4.7 GB.
    Under load (5-20) the same runs took 99.5 s (main) and 253.3 s (lwrite2) wall.
  PostgreSQL, 100k store end to end (load 15-19, the server's CPU not counted): 124.2 s wall /
    13.1 s CPU (read 0.2, link 1.5, reconcile 5.5, write 5.9 s CPU); 32,306 incidents, 95,786
    link rows, F1 0.9652 (P 0.9748, R 0.9557), as on SQLite.

lwrite9 (2026-11-26, machine loaded 4-9 by other jobs, so wall times say little): the write
phase's Python work moved off its critical path. While SQLite builds the incidents' 12 indexes
(it lets go of Python's lock) a helper thread hashes the audit batches and prepares the claim
assignment and the link rows; the run's rows are freed while it builds the link indexes and
commits. Floats go to the driver unconverted; claim rows and ids are read as the driver's tuples.
Write phase replayed on saved inputs and a copy of the same store, main and branch alternately:
300k 5.1-5.6 -> 4.2-4.4 s CPU on the main thread (all threads 5.3-5.4, freeing the rows
included); 1M 21.7-22.0 -> 16.6-17.1 s on the main thread, 21.7-22.0 -> 20.2-21.2 s all.
Rows, assignments, link rows and audit entries identical at 100k and 300k (``--digest``).
1M end to end under load 3-7 (other helpers' benches; wall is mostly their doing), main then
lwrite9 twice: 130.9 -> 111.5 / 95.9 s wall, 109.8 -> 91.0 / 95.4 s CPU (read 2.95 -> 1.79 /
1.66 s wall; write 34.8 -> 25.8 / 25.0 s wall, 25.4 -> 19.6 / 22.8 s CPU); same 320,680
incidents, 1,199,170 link rows, F1 0.959; peak RSS 5.7 -> 5.5 GB. A quiet-machine pair is
still to be run.
Tried and dropped: levels as a short code (300k: WAL 389 -> 335 MB, CPU unchanged); the sorted
claim_a index kept during the insert (+0.2 s insert, -0.2 s build); plain INSERT instead of the
upsert for claim_incidents (same); rollback journal instead of WAL for the bulk write (would
need the store to itself).

gbatch (2026-11-26, load 3-4, main then gbatch): audit batches hold one digest a record (an
incident's canonical JSON, one link digest an incident for its claims). Write phase CPU: 100k
1.35/1.54 -> 1.51/1.64 s (two pairs); 1M 18.19 -> 18.39 s (one pair; 82.3 -> 77.9 s CPU end to
end, wall 111.7 -> 116.7 s under the load); same incidents, link rows and F1.

gradev14 (2026-11-26, load 5-8): grading reads ``Claim.named_victims`` instead of whether a claim
has victims (the bench's claims have neither). 100k ``--digest`` identical to main's; end to end
8.0 / 10.2 s CPU against main's 7.2 / 8.8 (alternately, load rising); json_claim and assess_json
replayed alone, three pairs: the same best CPU (0.97 / 0.99 s, 1.72 / 1.75 s).

History, 1M end to end (wall / CPU): link1m start 465 s / 367 s, 13 GB peak; link2 107 s /
148 s; link3 (frame from the JSON through msgspec, reconciliation without pydantic, driver
executemany with indexes rebuilt after) 81.6 s / 85.9 s; session 3 on a quiet machine 60.2-65.4 s
/ 81-88 s (read 1.7, link 17, reconcile 22, write 22-24 s wall). lwrite2: a claim's incident
kept in the narrow ``claim_incidents`` table (migration 0010) instead of rewriting every claim
row and its JSON to set ``claims.incident_id``. The write phase replayed on the same saved
inputs and a copy of the same store, main and branch alternately: 300k 7.7/9.6 -> 6.9/6.0 s
CPU, 36-61 -> 23 s wall (load 10-16), 6.5/8.5 -> 6.0/5.4 s CPU (load 6-8); 100k 2.3-2.5 ->
1.7-1.9 s CPU. Incidents, assignments, link
rows and audit entries identical to main's at 100k and 300k (``--digest``; run ids aside).
Tried and dropped: the parent writing incidents while the forked workers still reconcile (both
cores are busy already: 1M 60.2 -> 63.3 s wall, +0.8 GB); SQLite helper threads for the index
sorts (PRAGMA threads=2: 300k write 5.7 -> 5.9 s). A forked worker spends 40-50% more CPU than
one process on the same claims (copy-on-write of the parent's rows, results pickled back).

lrecon3: one set of reconciliation rules for records and JSON; link_rows gathers only its pairs'
frame values; grades cached (1M: reconcile 51.8 -> 49.4 s CPU).

End of session 4 (2026-11-26, all branches merged, commit after 529e121), quiet machine whose
speed drifted ~20% within the hour (tokenizer 10.4k-13.3k docs/s): 1M end to end 57.4 s wall /
81.0 s CPU (read 1.9, link 13.6, reconcile 22.7, write 18.7 s wall) and, run again, 62.3 s /
88.0 s (write 20.9); e9db283 back to back with the first: 64.5 s / 89.2 s (write 23.7,
reconcile 24.4). Same 320,680 incidents, 1,199,170 link rows, F1 0.959 (P 0.9667, R 0.9514),
peak RSS 5.7 GB. Final main (ff95e16, tokenizer 11.7k docs/s): 59.1 s / 84.2 s (link 13.6,
reconcile 24.4, write 18.8). The 60 s target is met on two runs of three: not yet reliably.

lrec9 (2026-11-26, machine load 3-8 throughout, so CPU seconds; main alternately): the incident's
JSON written from msgspec structs declared in sorted key order (no dicts, no key sorting);
reconciliation and grading in single passes with fast paths (one claim; no combatants, no injured);
link-row explanations as %-templates; forked maps share their tasks with the parent (its share
neither pickled nor copied; undone at the merge, see below), 16 tasks per core. Same bytes:
``--digest`` at 100k and 300k, replayed new incidents at 100k/300k. New incidents replayed on one
process, 100k: 2.6-3.0 -> 2.0-2.35 s CPU; link_rows 300k 1.36 -> 1.18 s. Reconcile phase at 300k
(best of 2): 15.4 -> 11.7 s CPU; 300k end to end: reconcile 14.3 -> 10.8 s CPU, link 5.4 -> 5.1. A
forked worker still costs ~30% more CPU than one process: ~11% is two processes sharing the machine
(two replays side by side), the rest pickling and page faults. 1M end to end, one pair under flock,
branch then main (load 3-5, then 4-5.5): 84.0 s wall / 83.0 s CPU (reconcile 36.4 s CPU, 36.3 wall;
link 24.5, write 20.1 CPU) against main's 158.5 s / 105.7 s (reconcile 55.2 s CPU, 85.8 wall; link
27.5, write 19.6). Same 320,680 incidents, 1,199,170 link rows, F1 0.959. Not yet timed on a quiet
machine.

End of session 5 (2026-11-26, lrec9 and lwrite9 merged, quiet machine): the parent taking forked
tasks too made its own work wait on unpickling the worker's results (300k reconcile 7.9-8.7 s
wall against 6.1 s with one worker per core and the parent waiting, the same CPU): undone. Then,
1M end to end, three runs: 52.1 s wall / 75.6 s CPU (read 1.5, link 13.8, reconcile 20.1, write
16.4 s wall), 54.5 s / 78.5 s, 57.7 s / 83.4 s (the machine's slower phase: link 14.3,
reconcile 21.7, write 19.1). Same 320,680 incidents, 1,199,170 link rows, F1 0.959 (P 0.9667,
R 0.9514), peak RSS 5.5-5.8 GB; ``--digest`` at 100k identical to 4861e84's. Two more runs at the
end: 59.1 s (lint and type checks running beside it) and 56.4 s (quiet); after the review's
clean-ups (c484bc9..2aac6e3), 58.1 s / 84.6 s CPU. Target met on all six runs, with 1-8 s to
spare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import docket
from docket.link.core import FrameBuilder, default_settings, link_frame
from docket.link.tables import link_scores
from docket.store.claims import claim_incident, select_claims
from docket.store.incidents import canonical_json
from docket.store.schema import audit_log, claims, documents, incidents, originals, sources

SYLLABLES = [
    "kaf",
    "sar",
    "min",
    "ar",
    "iha",
    "tal",
    "mar",
    "bin",
    "nash",
    "ham",
    "ra",
    "qah",
    "ba",
    "lu",
    "zar",
    "dan",
    "shu",
    "ghur",
    "ta",
    "bas",
    "ib",
    "lin",
    "hass",
    "jis",
    "rum",
]
PREFIXES = ["", "", "", "Kafr ", "Tell ", "Deir ", "Maarat ", "Khirbet ", "Ain ", "Jabal "]
TYPES = [
    ("air_drone_strike", None, 0.55),
    ("shelling_artillery_missile_attack", None, 0.30),
    ("air_drone_strike", "barrel bomb", 0.07),
    ("air_drone_strike", "cluster munition", 0.04),
    ("chemical_weapon", "chemical", 0.01),
    ("attack", None, 0.03),
]
TARGETS = [
    "residential",
    "market",
    "hospital",
    "school",
    "camp",
    "mosque",
    "bakery",
    "water",
    "civil_defence",
    "clinic",
]
TARGET_P = [0.45, 0.12, 0.1, 0.1, 0.08, 0.05, 0.04, 0.02, 0.02, 0.02]
PERPS = ["ru", "sy_gov", "tr", "hts", "sdf"]
PERP_P = [0.4, 0.45, 0.05, 0.05, 0.05]
SOURCE_KINDS = ["news", "news", "ngo", "monitor", "un", "witness"]


@dataclass
class Town:
    name: str
    lat: float
    lon: float
    admin1: str
    weight: float


def make_towns(rng: random.Random, count: int) -> list[Town]:
    towns, seen = [], set()
    while len(towns) < count:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        name = rng.choice(PREFIXES) + stem
        if name in seen:
            continue
        seen.add(name)
        lat, lon = rng.uniform(33.0, 37.0), rng.uniform(35.5, 39.5)
        admin1 = f"Province {int((lat - 33) // 1) * 4 + int((lon - 35.5) // 1)}"
        towns.append(Town(name, lat, lon, admin1, min(50.0, rng.paretovariate(1.5))))
    return towns


def spelling(rng: random.Random, name: str) -> str:
    """A transliteration variant of ``name``, as different sources write it."""
    r = rng.random()
    if r < 0.55:
        return name
    if r < 0.7:
        return "al-" + name if not name.startswith("al-") else name[3:]
    if r < 0.8:
        return name.replace("a", "e", 1)
    if r < 0.9:
        i = rng.randrange(1, len(name))
        return name[:i] + name[i - 1] + name[i:] if name[i - 1].isalpha() else name
    return name.replace("a", "'a", 1)


def figure(rng: random.Random, killed: int) -> tuple[int | None, int | None]:
    r = rng.random()
    if r < 0.1:
        return None, None
    if r < 0.65:
        return killed, killed
    if r < 0.8:
        return killed, None  # "at least"
    n = max(0, round(killed * rng.uniform(0.6, 1.4)))
    return n, n


def generate(n: int, seed: int = 7) -> tuple[list[dict], list[int]]:
    """Claims as plain dicts (the fields the store keeps) and each claim's true event."""
    rng = random.Random(seed)
    towns = make_towns(rng, max(300, n // 60))
    cumulative = list(itertools.accumulate(t.weight for t in towns))
    start = dt.date(2015, 1, 1).toordinal()
    rows: list[dict] = []
    truth: list[int] = []
    event = 0
    while len(rows) < n:
        town = rng.choices(towns, cum_weights=cumulative)[0]
        day = start + rng.randrange(6 * 365)
        event_type, weapon, _ = rng.choices(TYPES, [t[2] for t in TYPES])[0]
        targets = [rng.choices(TARGETS, TARGET_P)[0]]
        perps = [rng.choices(PERPS, PERP_P)[0]]
        killed = int(rng.expovariate(1 / 8))
        facility = (
            f"al-{rng.choice(SYLLABLES).capitalize()} {targets[0]}"
            if targets[0] in ("hospital", "school") and rng.random() < 0.3
            else None
        )
        for _ in range(min(8, 1 + np_poisson(rng, 2.3))):
            rows.append(
                noisy_claim(rng, town, day, event_type, weapon, targets, perps, killed, facility)
            )
            truth.append(event)
            if len(rows) >= n:
                break
        event += 1
    return rows, truth


def np_poisson(rng: random.Random, lam: float) -> int:
    k, p, limit = 0, 1.0, 2.718281828**-lam
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


def noisy_claim(rng, town, day, event_type, weapon, targets, perps, killed, facility) -> dict:  # type: ignore[no-untyped-def]
    r = rng.random()
    precision = "day"
    if r < 0.18:
        day += rng.choice((-1, 1))
    elif r < 0.2:
        day += rng.choice((-2, 2))
    elif r < 0.24:
        precision = "month"
        d = dt.date.fromordinal(day)
        day = d.replace(day=1).toordinal()
    date = None if rng.random() < 0.01 else dt.date.fromordinal(day)
    has_xy = rng.random() < 0.8
    jitter = 0.005 if rng.random() < 0.1 else 0.0
    lows, highs = figure(rng, killed)
    return {
        "event_type": None if rng.random() < 0.1 else event_type,
        "weapons": [weapon] if weapon and rng.random() < 0.8 else [],
        "date": date,
        "precision": precision if date else None,
        "place": spelling(rng, town.name) if rng.random() > 0.03 else None,
        "lat": town.lat + rng.uniform(-jitter, jitter) if has_xy else None,
        "lon": town.lon + rng.uniform(-jitter, jitter) if has_xy else None,
        "admin1": town.admin1,
        "targets": [] if rng.random() < 0.15 else list(targets),
        "facility": facility if facility and rng.random() < 0.6 else None,
        "perps": []
        if rng.random() < 0.25
        else (perps if rng.random() < 0.93 else [rng.choice(PERPS)]),
        "killed": (lows, highs),
    }


def pairwise_f1(predicted: list[int], truth: list[int]) -> dict[str, float]:
    def pairs(counter: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    tp = pairs(Counter(zip(predicted, truth, strict=True)))
    pp, tt = pairs(Counter(predicted)), pairs(Counter(truth))
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def run_core(rows: list[dict], truth: list[int]) -> None:
    c0 = time.process_time()
    t0 = time.perf_counter()
    builder = FrameBuilder()
    for i, r in enumerate(rows):
        kind = {
            "barrel bomb": "barrel_bomb",
            "cluster munition": "cluster_munition",
            "chemical": "chemical",
        }.get(r["weapons"][0] if r["weapons"] else "")
        from docket.link.core import link_type

        builder.add(
            claim_id=i,
            document_id=i,
            date=r["date"],
            precision=r["precision"],
            lat=r["lat"],
            lon=r["lon"],
            place_name=r["place"],
            admin1=r["admin1"],
            kind=kind or link_type(r["event_type"], []),
            targets=r["targets"],
            facility=r["facility"],
            perpetrators=r["perps"],
            killed=r["killed"],
        )
    frame = builder.build()
    t1, c1 = time.perf_counter(), time.process_time()
    clusters, scores = link_frame(frame, default_settings())
    t2, c2 = time.perf_counter(), time.process_time()
    predicted = [0] * len(rows)
    for k, cluster in enumerate(clusters):
        for cid in cluster.claim_ids:
            predicted[cid] = k
    print(
        f"core: {len(rows):,} claims, {len(set(truth)):,} true events, {len(clusters):,} clusters, "
        f"{len(scores.a):,} candidate pairs"
    )
    print(
        f"core: frame {t1 - t0:.1f} s, block+score+cluster {t2 - t1:.1f} s wall "
        f"({c1 - c0:.1f} s and {c2 - c1:.1f} s CPU; the machine is shared)"
    )
    print(f"core: pairwise {pairwise_f1(predicted, truth)}")


def claim_json(r: dict) -> str:
    lo, hi = r["killed"]
    place = None
    if r["place"]:
        place = {
            "name": r["place"],
            "lat": r["lat"],
            "lon": r["lon"],
            "precision": "settlement",
            "admin1": r["admin1"],
            "country": "SY",
        }
    data = {
        "event_type": r["event_type"],
        "date": r["date"].isoformat() if r["date"] else None,
        "date_precision": r["precision"],
        "place": place,
        "admin1": r["admin1"],
        "country": "SY",
        "perpetrators": [{"actor_id": p, "name": p} for p in r["perps"]],
        "weapons": r["weapons"],
        "targets": [{"category": t, "name": r["facility"]} for t in r["targets"]],
        "casualties": {"killed": {"civilians": {"low": lo, "high": hi}}},
        "extractor": "bench",
    }
    return json.dumps(data)


def load_store(db: docket.Docket, rows: list[dict]) -> None:
    """Bulk-load documents and claims (setup, not timed; bypasses per-row audit on purpose)."""
    stamp = dt.datetime(2026, 1, 1)
    with db.store.write() as conn:
        kinds = sorted(set(SOURCE_KINDS))
        conn.execute(sa.insert(sources), [{"name": f"bench {k}", "kind": k} for k in kinds])
        source_ids = {r.kind: r.id for r in conn.execute(sa.select(sources.c.id, sources.c.kind))}
        rng = random.Random(3)
        for start in range(0, len(rows), 100_000):
            chunk = range(start, min(len(rows), start + 100_000))
            shas = [hashlib.sha256(f"bench {i}".encode()).hexdigest() for i in chunk]
            conn.execute(
                sa.insert(originals), [{"sha256": s, "size": 8, "content": b"x"} for s in shas]
            )
            kinds_here = [rng.choice(SOURCE_KINDS) for _ in chunk]
            conn.execute(
                sa.insert(documents),
                [
                    {
                        "id": i + 1,
                        "source_id": source_ids[k],
                        "source_kind": k,
                        "retrieved": stamp,
                        "raw_sha256": s,
                        "text_sha256": s,
                        "text": f"report {i}",
                        "metadata": {},
                        "created_by": "bench",
                    }
                    for i, s, k in zip(chunk, shas, kinds_here, strict=True)
                ],
            )
            data: sa.ColumnElement[Any] = sa.bindparam("data_json", type_=sa.Text)
            if conn.dialect.name == "postgresql":  # JSON text into the JSONB column
                data = sa.cast(data, claims.c.data.type)
            conn.execute(
                claims.insert().values(data=data),
                [
                    {
                        "id": i + 1,
                        "document_id": i + 1,
                        "extractor": "bench",
                        "extractor_version": "1",
                        "review_status": "unreviewed",
                        "created_at": stamp,
                        "updated_at": stamp,
                        "data_json": claim_json(rows[i]),
                    }
                    for i in chunk
                ],
            )


def run_store(rows: list[dict], truth: list[int], url: str, digest: bool = False) -> None:
    t0 = time.perf_counter()
    db = docket.open(url, actor="bench")
    load_store(db, rows)
    t1 = time.perf_counter()
    print(f"store: loaded {len(rows):,} claims in {t1 - t0:.1f} s (setup, not timed)")
    report = db.link()
    t2 = time.perf_counter()
    print(
        f"store: docket link end to end {t2 - t1:.1f} s wall, "
        f"{sum(report.cpu_seconds.values()):.1f} s CPU with its workers "
        f"(wall per phase {report.seconds}, CPU per phase {report.cpu_seconds}); "
        f"{report.new_incidents:,} incidents, {report.links_stored:,} links stored, "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:,} MB"
    )
    with db.store.read() as conn:
        found = dict(conn.execute(select_claims(claims.c.id, claim_incident)).all())
    predicted = [found[i + 1] or -(i + 1) for i in range(len(rows))]
    print(f"store: pairwise {pairwise_f1(predicted, truth)}")
    if digest:
        with db.store.read() as conn:
            print(f"store: digests {stored_digests(conn)}")
    db.close()


def stored_digests(conn: sa.Connection) -> dict[str, str]:
    """A SHA-256 (first 16 digits) of what a link run wrote, to compare two versions' runs:
    incidents, claim assignments, link rows and audit entries, without timestamps and run ids
    (JSON as canonical text: the same on SQLite and PostgreSQL)."""
    stamps = {"id", "created_at", "updated_at"}
    queries = {
        "incidents": sa.select(
            *(c for c in incidents.c if c.name not in {"created_at", "updated_at"})
        ).order_by(incidents.c.id),
        "assignments": select_claims(claims.c.id, claim_incident).order_by(claims.c.id),
        "link rows": sa.select(*(c for c in link_scores.c if c.name not in stamps)).order_by(
            link_scores.c.claim_a, link_scores.c.claim_b
        ),
        "audit": sa.select(
            *(c for c in audit_log.c if c.name not in {"id", "at", "prev_hash", "hash"})
        ).order_by(audit_log.c.id),
    }
    found = {}
    for name, query in queries.items():
        sha = hashlib.sha256()
        for row in conn.execute(query):
            values = [canonical_json(v) if isinstance(v, dict | list) else v for v in row]
            sha.update(re.sub(r"run [0-9a-f]{12}", "run -", repr(values)).encode())
        found[name] = sha.hexdigest()[:16]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of claims")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--core-only", action="store_true", help="skip the store round trip")
    parser.add_argument("--store-only", action="store_true", help="skip the in-memory core run")
    parser.add_argument("--db", help="database URL or file for the store run (default: temp file)")
    parser.add_argument(
        "--digest", action="store_true", help="print digests of the rows the link run wrote"
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    rows, truth = generate(args.n, args.seed)
    print(
        f"generated {len(rows):,} claims in {time.perf_counter() - t0:.1f} s "
        f"({os.cpu_count()} cores)"
    )
    if not args.store_only:
        run_core(rows, truth)
    if not args.core_only:
        with tempfile.TemporaryDirectory() as tmp:
            url = args.db or str(Path(tmp) / "bench-link.db")
            run_store(rows, truth, url, args.digest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
