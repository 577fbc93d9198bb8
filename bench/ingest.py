"""Ingest throughput: documents per second for 10,000 generated reports, SQLite and PostgreSQL.

    python bench/ingest.py [--n 10000]

Documents are written as one JSONL file and as a folder of .txt files, then ingested through the
same library call the CLI uses (batched transactions, audit log included).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import postgres  # noqa: E402

import docket  # noqa: E402

PLACES = [
    "Ariha",
    "Saraqib",
    "Maarat al-Numan",
    "Kafr Nabl",
    "Sarmin",
    "Idlib",
    "Atarib",
    "Binnish",
]
TARGETS = ["hospital", "school", "market", "bakery", "camp for displaced people", "mosque"]
ACTORS = [
    "Russian warplanes",
    "regime helicopters",
    "government artillery",
    "unidentified aircraft",
]


def report(i: int, rng: random.Random) -> dict[str, object]:
    place, target, actor = rng.choice(PLACES), rng.choice(TARGETS), rng.choice(ACTORS)
    killed, injured = rng.randint(0, 40), rng.randint(0, 90)
    text = (
        f"{actor.capitalize()} struck a {target} in {place} on Tuesday, killing {killed} civilians "
        f"and injuring {injured}, local rescuers said. Report number {i}. "
        + " ".join(
            rng.choice(["Residents", "fled", "the", "area", "after", "strikes", "resumed"])
            for _ in range(300)
        )
    )
    return {
        "text": text,
        "url": f"https://bench.example.org/{i}",
        "source": f"Source {i % 40}",
        "source_kind": "news",
        "published": f"2020-0{1 + i % 9}-1{i % 10}",
    }


def run(url: str, inputs: list[Path], n: int) -> float:
    db = docket.open(url, actor="bench")
    start = time.perf_counter()
    result = db.ingest(inputs)
    elapsed = time.perf_counter() - start
    assert len(result.stored) == n, (len(result.stored), result.failed[:3])
    db.close()
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    docs = [report(i, rng) for i in range(args.n)]
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "docs.jsonl"
        jsonl.write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
        folder = Path(tmp) / "txt"
        folder.mkdir()
        for i, d in enumerate(docs):
            (folder / f"{i:05d}.txt").write_text(str(d["text"]), encoding="utf-8")
        rows = []
        rows.append(("SQLite", "JSONL", run(f"sqlite:///{tmp}/a.db", [jsonl], args.n)))
        rows.append(("SQLite", "folder of .txt", run(f"sqlite:///{tmp}/b.db", [folder], args.n)))
        with postgres() as pg:
            if pg:
                import sqlalchemy as sa

                admin = sa.create_engine(pg, isolation_level="AUTOCOMMIT")
                for name, inputs in (("bench_jsonl", [jsonl]), ("bench_txt", [folder])):
                    with admin.connect() as conn:
                        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
                        conn.execute(sa.text(f"CREATE DATABASE {name}"))
                    target = (
                        sa.make_url(pg).set(database=name).render_as_string(hide_password=False)
                    )
                    label = "JSONL" if name == "bench_jsonl" else "folder of .txt"
                    rows.append(("PostgreSQL", label, run(target, inputs, args.n)))
                admin.dispose()
    print(
        f"ingest of {args.n:,} generated documents "
        f"(~{len(str(docs[0]['text']).split())} words each)"
    )
    for backend, shape, rate in rows:
        print(f"  {backend:<11} {shape:<15} {rate:8,.0f} docs/s")


if __name__ == "__main__":
    main()
