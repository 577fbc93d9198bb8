"""Helpers shared by the benchmarks: a throw-away PostgreSQL server and result printing."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """``$DOCKET_BENCH_PG``, else a server started with ``scripts/pg``, else None."""
    if url := os.environ.get("DOCKET_BENCH_PG"):
        yield url
        return
    folder = tempfile.mkdtemp(prefix="docket-bench-pg.")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    try:
        url = subprocess.run(
            [str(ROOT / "scripts" / "pg"), "start", folder, str(port)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        print(f"(PostgreSQL not available: {exc}; skipping its figures)")
        yield None
        return
    try:
        yield url
    finally:
        subprocess.run([str(ROOT / "scripts" / "pg"), "stop", folder], check=False)
