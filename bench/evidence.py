"""Evidence storage: hashing speed and peak memory when adding large media files.

    python bench/evidence.py [--gb 2] [--real-mb 512]

Adds a sparse WAV file of ``--gb`` GB (a header, then a hole: silence) and a WAV of ``--real-mb``
MB of random bytes through ``Docket.add_evidence`` (copy to a temporary file while hashing, checks,
atomic rename), then runs ``Docket.verify``. Peak RSS is read in a fresh child process per step, so
each figure is that step's own peak. The sparse file is read as zeros without disk reads: its
figure shows the cost of hashing and writing the copy; the random file adds real disk reads.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

MB = 1024 * 1024


def wav_header(size: int) -> bytes:
    """A 44-byte header of a mono 16-bit 48 kHz WAV file ``size`` bytes long in all."""
    data = size - 44
    return (
        b"RIFF"
        + struct.pack("<I", size - 8)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, 48000, 96000, 2, 16)
        + b"data"
        + struct.pack("<I", data)
    )


def make_sparse(path: Path, size: int) -> None:
    """A valid WAV of silence whose samples are a hole in the file (no disk used)."""
    with path.open("wb") as out:
        out.write(wav_header(size))
        out.truncate(size)


def make_random(path: Path, size: int) -> None:
    """A valid WAV of noise, every byte on disk."""
    with path.open("wb") as out:
        out.write(wav_header(size))
        for _ in range((size - 44) // MB):
            out.write(os.urandom(MB))
        out.write(os.urandom((size - 44) % MB))


def step(action: str, db: Path, target: Path | None = None) -> dict[str, float]:
    """Run one action in a child process; return its seconds and peak RSS in MiB."""
    code = f"""
import json, resource, time, docket
start = time.perf_counter()
with docket.open({str(db)!r}) as db:
    if {action!r} == "add":
        report = db.add_evidence([{str(target)!r}])
        assert not report.failed, report.failed
    elif {action!r} == "verify":
        assert db.verify().ok
    elif {action!r} == "package":
        from pathlib import Path
        from docket.domain import Incident
        from docket.evidence.keys import init_keys
        from docket.store.incidents import insert_incidents
        with db.store.write() as conn:
            [incident] = insert_incidents(conn, [Incident(event_type="shelling")], "bench")
        for item in db.evidence_list():
            db.attach_evidence(item.id, incident)
        keys = init_keys(Path({str(target)!r}) / "keys")
        out = Path({str(target)!r}) / "package.zip"
        db.package(incident, out, keys_dir=keys.folder)
        assert db.verify_package(out, keys.public).ok
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def baseline(db: Path) -> float:
    """Peak RSS of a child that only opens the database (imports included)."""
    code = f"""
import resource, docket
with docket.open({str(db)!r}) as db:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    )
    return float(out.stdout.strip())


def raw_sha256_speed(path: Path) -> float:
    digest = hashlib.sha256()
    start = time.perf_counter()
    with path.open("rb") as stream:
        while chunk := stream.read(MB):
            digest.update(chunk)
    return path.stat().st_size / MB / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gb", type=float, default=2)
    parser.add_argument("--real-mb", type=int, default=512)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docket-bench-evidence.") as tmp:
        folder = Path(tmp)
        db = folder / "case.db"
        sparse, random_file = folder / "silence.wav", folder / "noise.wav"
        make_sparse(sparse, int(args.gb * 1024 * MB))
        make_random(random_file, args.real_mb * MB)
        print(f"peak RSS of opening the database only: {baseline(db):.0f} MiB")
        print(f"plain hashlib SHA-256 of the random file: {raw_sha256_speed(random_file):.0f} MB/s")
        for label, path in (("sparse", sparse), ("random", random_file)):
            size_mb = path.stat().st_size / MB
            added = step("add", db, path)
            print(
                f"evidence add, {size_mb:,.0f} MiB {label} file: {added['seconds']:.1f} s, "
                f"{size_mb / added['seconds']:.0f} MiB/s (hash + copy + fsync), "
                f"peak RSS {added['peak_mib']:.0f} MiB"
            )
        checked = step("verify", db)
        total = (sparse.stat().st_size + random_file.stat().st_size) / MB
        print(
            f"verify (re-hash {total:,.0f} MiB of evidence): {checked['seconds']:.1f} s, "
            f"{total / checked['seconds']:.0f} MiB/s, peak RSS {checked['peak_mib']:.0f} MiB"
        )
        packed = step("package", db, folder)
        print(
            f"package {total:,.0f} MiB of evidence and verify-package it: "
            f"{packed['seconds']:.1f} s, peak RSS {packed['peak_mib']:.0f} MiB"
        )


if __name__ == "__main__":
    main()
