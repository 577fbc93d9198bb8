"""Geocoding benchmark: gazetteer load time, mentions resolved per second, import rate.

    PYTHONPATH=src python bench/geocode.py [--mentions 20000] [--rows 1000000] [--workers 2]

Mentions are names drawn from the packaged gazetteer itself (seeded), each in a short invented
sentence, half of them with a relation ("near X", "12 km north of X", "X countryside"); every
resolution runs the full path (context scan, candidates, ranking). Modes: no context, the
mention's own sentence, its 5-sentence document, and ``resolve_claim`` (the document plus the
claim's place names, as extraction calls it). Each mode is timed in one process, then in
``--workers`` processes (forked after loading and warming up, as extraction workers are; the
figure is mentions over wall time, beside the rate per CPU second). Load time is given parsing
the packaged file and from the cache of parsed tables. The import rate is for a generated
GeoNames dump of ``--rows`` rows loaded into a fresh SQLite file (``--rows 0`` skips it).

Figures, 2 processes, mentions/s wall on a quiet machine (no context / own sentence / 5 per document
/ claims), all 2026-11-26: end of session 3 21,460 / 14,869 / 17,082 / 8,857 (load from cache 0.43
s; 1M-row import 14.1 s, 70,943 rows/s); end of session 6 (main 58d3a32, after the context rules of
sessions 4-6: counties, country and state cues, hyphenated names, towns around unknown names, short
forms of areas) 16,114 / 11,381 / 11,775 / 5,818 (1 process 8,980 / 4,923 / 6,437 / 2,848; load from
cache 0.49 s). End of session 7 (main b977909, after the rules for people's names, sites, datelines
and document coherence), alternately with 3b83336 on an idle but slow machine: claims 5,284 / 4,742
/ 5,332 (3b83336: 4,876 / 5,129); the other modes 13,633-16,703 / 8,296-12,457 / 8,900-11,059. End
of session 8 (main 86cfcaa, quiet machine, alternately with f6b8861): 17,831 / 10,863 / 13,259 /
6,800 and 16,795 / 12,001 / 12,578 / 6,377 (f6b8861: 14,743 / 9,612 / 10,377 / 5,489 and 15,305 /
12,552 / 13,997 / 5,329). A fifth of claims-mode CPU had gone to the garbage collector walking the
caches' objects even after ``gc.freeze()``: claim contexts are no longer cached, and cached cells,
gazetteer rows and name scores are tuples of numbers. Microseconds of CPU per mention, 1 process,
best of 3 over 10k (no context / own sentence / 5 per document / claims): f6b8861 52 / 146 / 132 /
327, main 53 / 136 / 129 / 248 (claims -25 to -30%). The split of geocoder.py into geocoder /
phrases / scan / people / sites / names measured no slower.
Session 13, 2026-11-26 (load 5, alternately with ddb0432, best CPU of 3, 1 process): the 13,709
localities of ``csc_places.csv.gz`` (276,076 -> 289,785 rows, file 15.1 -> 15.5 MB) cost nothing
measurable: mentions per CPU second 4,895 / 3,878 / 6,951 / 3,266 before, 6,263 / 4,463 / 6,732 /
3,251 after; load 1.10 -> 1.12 s CPU parsing, 0.57 -> 0.58 s from the cache (best of 3).
Session 13, 2026-11-26 (load 1-2, alternately with f1f302c, 6 runs each, 1 process, 10k): the
mention's own vote replaced by an explicit prior of its best known town cost nothing measurable:
mentions per CPU second, best / median, 5 per document 8,336 / 7,939 before, 8,087 / 7,801 after;
claims 3,891 / 3,602 before, 3,741 / 3,570 after (a first version keeping each name's votes as
tuples in the cached contexts was 23% slower 5 per document: floats only now).
Session 14, 2026-11-27 (main after the capital/airline/longer-name rules, load ~1): 16,737 /
10,080 / 11,327 / 6,816 (1 process 7,124 / 3,907 / 3,989 / 2,806); load from cache 0.50 s; 1M-row
import 18.3 s, 54,687 rows/s (one helper running); 1 process alternately with 394c6eb, 5k: equal
within noise.
Compare a change's CPU rates with main's side by side or alternately (same-code runs differ by
up to 25% under load).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import random
import tempfile
import time
from pathlib import Path

import docket
from docket.domain import Claim, PlaceMention
from docket.geo.gazetteer import PACKAGED, _read_text, read_packaged
from docket.geo.geocoder import Geocoder
from docket.vocab import data_path

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


Mention = tuple[str, str, str]  # mention, its own sentence, its document's text
MODES = (
    "no context",
    "own sentence as context",
    "5 mentions per document",
    "claims, 5 per document",  # resolve_claim: the document plus the claim's place names
)
_GEO: Geocoder | None = None  # set before forking, shared by the workers


def _resolve_chunk(job: tuple[int, list[Mention]]) -> tuple[int, float]:
    """(mentions resolved, CPU seconds) for one chunk in one mode."""
    mode, chunk = job
    assert _GEO is not None
    cpu = time.process_time()
    if mode == 3:
        found = [
            _GEO.resolve_claim(Claim(places=[PlaceMention(text=m)]), document_text=d)
            for m, _, d in chunk
        ]
        return sum(p is not None and p.lat is not None for p in found), time.process_time() - cpu
    contexts = [("", c, d)[mode] for _, c, d in chunk]
    resolved = sum(
        _GEO.resolve(m, context=ctx).lat is not None
        for (m, _, _), ctx in zip(chunk, contexts, strict=True)
    )
    return resolved, time.process_time() - cpu


def bench_resolve(n: int, workers: int) -> None:
    global _GEO
    read_packaged()  # writes the cache of parsed tables when there is none yet
    for label, read in (
        ("parsing the packaged file", lambda: _read_text(str(data_path(PACKAGED)))),
        ("from the cache", read_packaged),
    ):
        start, cpu = time.perf_counter(), time.process_time()
        gaz = read()
        load, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"gazetteer load, {label}: {len(gaz):,} places, {load:.2f} s wall, {cpu:.2f} s CPU")
    geo = _GEO = Geocoder(gaz)
    start, cpu = time.perf_counter(), time.process_time()
    geo.resolve("Kafrnabel", context="Shelling hit Kafrnabel.")  # builds the lazy indexes once
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"first resolution (lazy indexes): {took:.2f} s wall, {cpu:.2f} s CPU")
    for mention, context in make_mentions(gaz.places, 2_000, seed=99):  # warm-up, other names
        geo.resolve(mention, context=context)
    pairs = make_mentions(gaz.places, n)
    documents = [" ".join(c for _, c in pairs[i : i + 5]) for i in range(0, n, 5)]
    mentions = [(m, c, documents[i // 5]) for i, (m, c) in enumerate(pairs)]
    lines = []
    for mode, label in enumerate(MODES):
        _clear_caches(geo)  # each mode starts from the same (cold) context caches
        wall, cpu = time.perf_counter(), time.process_time()
        resolved, _ = _resolve_chunk((mode, mentions))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        lines.append(
            f"resolve, {label:24}: {n / wall:7,.0f}/s wall, {n / cpu:7,.0f}/s CPU (1 process)"
            f" [{n:,} mentions, {resolved / n:.1%} resolved]"
        )
        print(lines[-1])
    if workers > 1:
        # Forked after the 1-process runs: once forked, every write in the parent copies a page.
        _clear_caches(geo)
        gc.freeze()  # the loaded tables stay out of the collector: the workers share their pages
        size = 500
        chunks = [mentions[i : i + size] for i in range(0, n, size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for mode, label in enumerate(MODES):
                wall = time.perf_counter()
                done = pool.map(_resolve_chunk, [(mode, chunk) for chunk in chunks])
                wall, cpu = time.perf_counter() - wall, sum(c for _, c in done)
                print(
                    f"resolve, {label:24}: {n / wall:7,.0f}/s wall ({workers} processes, "
                    f"{n / cpu:,.0f}/s per CPU)"
                )


def _clear_caches(geo: Geocoder) -> None:
    geo._context_cache.clear()
    geo.scanner._head_cache.clear()


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
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    bench_resolve(args.mentions, args.workers)
    if args.rows:
        bench_import(args.rows)


if __name__ == "__main__":
    main()
