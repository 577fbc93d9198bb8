"""Geocoding benchmark: gazetteer load time, mentions resolved per second, import rate.

    PYTHONPATH=src python bench/geocode.py [--mentions 20000] [--rows 1000000]

Mentions are names drawn from the packaged gazetteer itself (seeded), each in a short invented
sentence, half of them with a relation ("near X", "12 km north of X", "X countryside"); every
resolution runs the full path (context scan, candidates, ranking). The import rate is for a
generated GeoNames dump of ``--rows`` rows loaded into a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import docket
from docket.geo.gazetteer import read_packaged
from docket.geo.geocoder import Geocoder

TEMPLATES = [
    "{m}",
    "near {m}",
    "12 km north of {m}",
    "{m} countryside",
    "the outskirts of {m}",
    "{m}, {a}",
]
SENTENCES = [
    "Shelling hit {m} on Tuesday, residents in {a} said.",
    "An air strike near {m} killed four people, a monitor in {c} reported.",
    "Local officials in {a} said the market in {m} was damaged.",
]


def make_mentions(gaz_places: list, n: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    towns = [p for p in gaz_places if p.feature in ("city", "capital")]
    out = []
    for _ in range(n):
        p = rng.choice(towns)
        a = p.admin1 or p.country
        mention = rng.choice(TEMPLATES).format(m=p.name, a=a)
        context = rng.choice(SENTENCES).format(m=p.name, a=a, c=p.country)
        out.append((mention, context))
    return out


def bench_resolve(n: int) -> None:
    start = time.perf_counter()
    gaz = read_packaged()
    load = time.perf_counter() - start
    print(f"gazetteer load: {len(gaz):,} places in {load:.2f} s")
    geo = Geocoder(gaz)
    start = time.perf_counter()
    geo.resolve("Kafrnabel")  # builds the spelling-variant index once
    print(f"spelling-variant index: {time.perf_counter() - start:.2f} s (first fuzzy lookup)")
    for mention, context in make_mentions(gaz.places, 2_000, seed=99):  # warm-up, other names
        geo.resolve(mention, context=context)
    mentions = make_mentions(gaz.places, n)
    documents = [" ".join(c for _, c in mentions[i : i + 5]) for i in range(0, n, 5)]
    runs = [
        ("no context", lambda i, m, c: geo.resolve(m)),
        ("own sentence as context", lambda i, m, c: geo.resolve(m, context=c)),
        ("5 mentions per document", lambda i, m, c: geo.resolve(m, context=documents[i // 5])),
    ]
    for label, run in runs:
        wall, cpu = time.perf_counter(), time.process_time()
        resolved = sum(run(i, m, c).lat is not None for i, (m, c) in enumerate(mentions))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"resolve, {label:24}: {n / wall:7,.0f} mentions/s wall, {n / cpu:7,.0f}/s CPU "
            f"({n:,} mentions, {resolved / n:.1%} resolved)"
        )


def bench_import(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "allCountries.txt"
        rng = random.Random(11)
        start = time.perf_counter()
        with dump.open("w", encoding="utf-8") as fh:
            for i in range(rows):
                lat, lon = rng.uniform(-60, 70), rng.uniform(-180, 180)
                name = f"Place {i}"
                fh.write(
                    f"{10_000_000 + i}\t{name}\t{name}\tPlace-{i},Lieu {i}\t{lat:.5f}\t{lon:.5f}"
                    f"\tP\tPPL\tSY\t\t12\t\t\t\t{rng.randint(0, 50000)}\t\t300\tAsia/Damascus"
                    "\t2020-01-01\n"
                )
        print(f"generated {rows:,}-row GeoNames dump in {time.perf_counter() - start:.1f} s")
        db = docket.open(Path(tmp) / "bench.db", actor="bench")
        start, cpu = time.perf_counter(), time.process_time()
        report = db.import_gazetteer(dump)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        db.close()
        print(
            f"gazetteer import: {report.imported:,} rows in {took:.1f} s "
            f"= {report.imported / took:,.0f} rows/s wall, "
            f"{report.imported / cpu:,.0f}/s CPU (SQLite)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_resolve(args.mentions)
    bench_import(args.rows)


if __name__ == "__main__":
    main()
