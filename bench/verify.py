"""Benchmark: ``docket verify`` over a linked store of ``bench/link.py``'s generated claims.

Set-up (not timed; with ``--db`` the store is kept and reused when the file exists): link.py's
documents and claims made whole as ingest and extraction leave them (originals holding their
bytes, one ``create`` audit entry per document and per claim), then one ``docket link`` run.
Timed: ``Docket.verify()`` (wall and CPU), and within it the claims and incidents re-checked
against their audit entries (``check_records``).

    PYTHONPATH=src python bench/verify.py --n 100000
    flock /tmp/bench1m.lock env PYTHONPATH=src python bench/verify.py --n 1000000 \\
        --db /tmp/bench-verify-1m.db

Measured 2026-11-26 on the shared 2-core machine under a load of 12-18 (CPU seconds; wall
times 2-10x that), SQLite, main (e9db283: no claim or incident content checked) -> verify2,
back to back:
  100k claims (32,306 incidents, 200k create entries + 14 batch entries): verify 16.8-18.0 ->
    8.6-10.5 s CPU, of which claims and incidents 4.5 s (paged originals and a paused garbage
    collector pay for the new checks)
  300k claims (96,606 incidents, 600k create entries + 40 batch entries): 42.3 -> 26.1 s CPU,
    claims and incidents 14.8-15.7 s, peak RSS 1.35 GB; 1M not run (the 1M lock was busy):
    expect about 3.3x the 300k figures
gbatch (batch format 2: one digest a record, so a review leaves its batch re-hashable), 100k,
2026-11-26, load 3-4, main and gbatch alternately, best of 3: verify 7.8 -> 8.0 s CPU, claims
and incidents 4.2 -> 4.5 s; after one review (a claim rejected) main re-hashes 12 of the 14
batches and notes 2, gbatch all 14.
gdebt13 (a review followed by a link entry checked through that entry's before-digest), 100k,
2026-11-26, load 4-7, main and gdebt13 alternately, best of 3: verify 8.6 -> 8.0 s CPU, claims
and incidents 4.8 -> 4.6 s (noise); with 3 claims reviewed then moved, main notes 3 entries,
gdebt13 checks them (4.7 -> 4.5 s).
xdup14 (a review whose link a link run's batch took over checked as with no incident), 100k,
2026-11-26, load 5-7, main and xdup14 alternately, best of 3: verify 8.0 -> 8.5 s CPU, claims
and incidents 4.9 -> 4.8 s (noise).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import docket  # noqa: E402
from docket.evidence.verify_records import check_records, collector_paused  # noqa: E402
from docket.intake.readers import normalize_text  # noqa: E402
from docket.store.audit import Change, record_changes  # noqa: E402
from docket.store.schema import claims, documents, originals  # noqa: E402
from link import generate, load_store  # noqa: E402

CHUNK = 100_000


def build(db: docket.Docket, n: int) -> None:
    """link.py's store, with real originals and the create entries ingest and extract write."""
    rows, _ = generate(n)
    load_store(db, rows)
    with db.store.write() as conn:
        for start in range(0, n, CHUNK):
            ids = range(start + 1, min(n, start + CHUNK) + 1)
            docs = conn.execute(
                sa.select(documents.c.id, documents.c.raw_sha256, documents.c.text).where(
                    documents.c.id.between(ids[0], ids[-1])
                )
            ).all()
            raw = [f"bench {d.id - 1}".encode() for d in docs]
            conn.execute(
                sa.update(originals)
                .where(originals.c.sha256 == sa.bindparam("key"))
                .values(content=sa.bindparam("bytes"), size=sa.bindparam("n")),
                [
                    {"key": d.raw_sha256, "bytes": b, "n": len(b)}
                    for d, b in zip(docs, raw, strict=True)
                ],
            )
            texts = {d.id: _sha(normalize_text(d.text).encode()) for d in docs}
            conn.execute(
                sa.update(documents)
                .where(documents.c.id == sa.bindparam("key"))
                .values(text_sha256=sa.bindparam("sha")),
                [{"key": i, "sha": t} for i, t in texts.items()],
            )
            created = [
                Change(
                    "create",
                    "document",
                    d.id,
                    after={"raw_sha256": d.raw_sha256, "text_sha256": texts[d.id]},
                )
                for d in docs
            ]
            data = conn.execute(
                sa.select(claims.c.id, claims.c.data).where(claims.c.id.between(ids[0], ids[-1]))
            )
            created += [Change("create", "claim", i, after=d) for i, d in data]
            record_changes(conn, "bench", created)
    db.link()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of claims")
    parser.add_argument(
        "--db", help="store file, built once and reused (default /tmp/bench-verify-N.db)"
    )
    args = parser.parse_args()
    path = Path(args.db or f"/tmp/bench-verify-{args.n}.db")
    fresh = not path.exists()
    t0 = time.perf_counter()
    with docket.open(path, actor="bench") as db:
        if fresh:
            build(db, args.n)
            print(f"built {path} in {time.perf_counter() - t0:.0f} s (set-up, not timed)")
        cpu, wall = time.process_time(), time.perf_counter()
        report = db.verify()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"verify: {wall:.1f} s wall, {cpu:.1f} s CPU; checked {report.checked}")
        print(f"  {len(report.problems)} problems; notes: {report.notes[:-1]}")
        with db.store.read() as conn, collector_paused():
            cpu = time.process_time()
            check_records(conn)
            print(f"  claims and incidents alone: {time.process_time() - cpu:.1f} s CPU")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
