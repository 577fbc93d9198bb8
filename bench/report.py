"""Benchmark: the HTML report over 100,000 generated incidents (target < 10 s), and exports.

    PYTHONPATH=src python bench/report.py [--incidents 100000] [--db bench-report.db]

Incidents are generated (seeded) around a few dozen real Syrian towns, inserted once with
``insert_incidents``; the timings cover reading them from the store, computing the findings and
patterns, drawing the map and charts and rendering the HTML, then each export format.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import random
import tempfile
import time
from pathlib import Path

import docket
from docket.domain import ActorRef, Incident, Range, ResolvedPlace, SourceFigure, TargetRef
from docket.law.rules import Context, assess, load_rules
from docket.report.exports import WRITERS
from docket.report.scope import Scope, paused_gc, select_incidents
from docket.store.incidents import insert_incidents

TOWNS = [
    ("Idlib", 35.9306, 36.6339, "Idlib"), ("Ariha", 35.8137, 36.6098, "Idlib"),
    ("Sarmin", 35.9030, 36.7256, "Idlib"), ("Maarat al-Numan", 35.6476, 36.6743, "Idlib"),
    ("Kafr Nabl", 35.6133, 36.5611, "Idlib"), ("Saraqib", 35.8643, 36.8006, "Idlib"),
    ("Jisr al-Shughur", 35.8123, 36.3176, "Idlib"), ("Khan Shaykhun", 35.4419, 36.6508, "Idlib"),
    ("Atarib", 36.1385, 36.8302, "Aleppo"), ("Darat Izza", 36.2803, 36.8511, "Aleppo"),
    ("Aleppo", 36.2021, 37.1343, "Aleppo"), ("Azaz", 36.5866, 37.0463, "Aleppo"),
    ("Kafr Zita", 35.3740, 36.6014, "Hama"), ("Latamina", 35.3208, 36.6220, "Hama"),
    ("Hama", 35.1318, 36.7578, "Hama"), ("Homs", 34.7324, 36.7137, "Homs"),
    ("Douma", 33.5719, 36.4025, "Rif Dimashq"), ("Daraa", 32.6189, 36.1021, "Daraa"),
]  # fmt: skip
TARGETS = ["hospital", "clinic", "school", "market", "residential", "camp", "bakery", "mosque"]
WEAPONS = ["aircraft", "helicopter", "barrel bomb", "cluster munition", "artillery", "missile"]
ACTORS = [("sy_gov", "Syrian government forces"), ("ru", "Russian forces"), (None, None)]
GRADES = ["confirmed", "probable", "possible"]


def generate(n: int, seed: int = 7) -> list[Incident]:
    rng = random.Random(seed)
    start = dt.date(2019, 4, 1)
    found = []
    for k in range(n):
        town, lat, lon, admin1 = rng.choice(TOWNS)
        day = start + dt.timedelta(days=rng.randrange(365 * 3))
        actor_id, actor = rng.choice(ACTORS)
        target = rng.choice(TARGETS)
        low = rng.choice([0, 0, 1, 2, 3, 5, 8, 13])
        high = low + rng.choice([0, 0, 1, 3])
        facility = (
            {"name": f"{town} {target} {k % 40}", "type": target,
             "status": rng.choice(["closed", "damaged", "operational"]),
             "deconflicted": rng.random() < 0.1}
            if target in ("hospital", "clinic", "school") else None
        )  # fmt: skip
        found.append(
            Incident(
                event_type="air_drone_strike",
                date_low=day,
                date_high=day,
                place=ResolvedPlace(
                    name=town,
                    lat=lat + rng.uniform(-0.05, 0.05),
                    lon=lon + rng.uniform(-0.05, 0.05),
                    precision="site",
                    admin1=admin1,
                    country="SY",
                ),  # fmt: skip
                perpetrators=[ActorRef(actor_id=actor_id, name=actor)] if actor_id else [],
                weapons=[rng.choice(WEAPONS)],
                targets=[TargetRef(category=target, name=facility["name"] if facility else None)],
                killed=Range(low=low, high=high),
                killed_best=low,
                civilians_killed=Range(low=low, high=high),
                injured=Range(low=low * 2, high=high * 2),
                grade=rng.choice(GRADES),
                source_figures=[
                    SourceFigure(claim_id=k, source=rng.choice(["Monitor A", "Wire B"]))
                ],
                legal_flags=[
                    {
                        "rule": "medical_units",
                        "title": "Attack on medical units or transport",
                        "short": "medical unit",
                    }
                ]
                if target in ("hospital", "clinic")
                else [],
                details={"facility": facility} if facility else {},
            )
        )
    return found


def timed(label: str, fn, *args, **kw):  # type: ignore[no-untyped-def]
    """Run ``fn``; print wall-clock and CPU seconds (CPU time is what to compare on a busy
    machine: it does not count time spent waiting for other processes)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kw)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<44} {seconds:7.2f} s wall {cpu:7.2f} s CPU")
    return result, cpu


def calibrate() -> float:
    """CPU seconds for a fixed pure-Python workload: compare it between runs to tell a slower
    (or busier) machine from slower code."""
    import json

    record = json.dumps({"a": list(range(20)), "b": {"c": "text", "d": 1.5}})
    start = time.process_time()
    for _ in range(100_000):
        json.loads(record)
    return time.process_time() - start


def _assess_all(incidents: list[Incident], ctx: Context) -> list[list[dict]]:
    return [assess(i, ctx=ctx) for i in incidents]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="docket-bench-"))
    path = args.db or folder / "bench.db"
    db = docket.open(path, actor="bench")
    with db.store.read() as conn:
        have = conn.exec_driver_sql("select count(*) from incidents").scalar_one()
    if have < args.incidents:
        incidents, _ = timed(f"generate {args.incidents:,} incidents", generate, args.incidents)

        def insert() -> None:
            with db.store.write() as conn:
                for k in range(0, len(incidents), 5000):
                    insert_incidents(conn, incidents[k : k + 5000], "bench")

        timed("insert them (with audit log)", insert)
    print(f"--- report over {args.incidents:,} incidents ---")
    print(
        f"machine: calibration loop {calibrate():.2f} s CPU, load average {os.getloadavg()[0]:.1f}"
    )
    html = folder / "report.html"
    # What `docket report --out FILE.html` does, in a process holding nothing else.
    report, s = timed("report: select, findings, map, charts, HTML", db.report, Scope(), html=html)
    lead = report.headline.sentences[0].text()
    print(f"   HTML {html.stat().st_size / 1e6:.1f} MB; headline: {lead[:80]}…")
    print(
        f"=> report over {report.findings.total.count:,} incidents: {s:.2f} s CPU (target < 10 s)"
    )
    print(f"   load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    del report
    gc.collect()
    with db.store.read() as conn:
        selected, _ = timed("select incidents alone", select_incidents, conn, Scope())
    print("--- legal rules ---")
    ctx = Context(load_rules(), selected)
    with paused_gc():
        flags, s = timed(
            "assess every incident (rules only, no writes)", _assess_all, selected, ctx
        )
    print(f"   {len(selected) / s:,.0f} incidents/s, {sum(map(len, flags)):,} flags")
    print("--- exports ---")
    for fmt, write in WRITERS.items():
        out = io.StringIO()
        with paused_gc():  # as `docket export` does
            _, s = timed(f"export {fmt}", write, selected, out)
        print(f"   {len(selected) / s:,.0f} incidents/s, {len(out.getvalue()) / 1e6:.1f} MB")
    db.close()


if __name__ == "__main__":
    main()
