"""API latency with 100,000 incidents: p50/p95 for incident list, detail and search at 50
concurrent clients (an async httpx load generator against a uvicorn server on loopback).

    PYTHONPATH=src python bench/api.py [--incidents 100000] [--clients 50] [--seconds 10]

The database is built once under /tmp (reused while it has the wanted number of incidents); the
server runs in its own process so the load generator does not share its interpreter. Every loop
is bounded in time, and only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

import docket
from docket.domain import ActorRef, Incident, LocationPrecision, Range, ResolvedPlace, TargetRef
from docket.store.incidents import incident_to_row
from docket.store.schema import incidents

SYLLABLES = ["al", "kar", "ta", "mun", "bel", "sar", "min", "dar", "has", "ra", "el", "qu", "bab"]
WEAPONS = ["artillery", "air_strike", "barrel_bomb", "mortar", "drone", "rocket"]
TARGETS = ["health", "education", "market", "residential", "camp", "water"]


def place_names(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title())
    return sorted(names)


def build(path: Path, count: int) -> None:
    """A SQLite project holding ``count`` invented incidents (written in bulk)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(7)
    places = [
        (name, 35 + rng.random() * 2, 36 + rng.random() * 2) for name in place_names(800, rng)
    ]
    db = docket.open(path, actor="bench")
    stamp = dt.datetime(2025, 1, 1)
    start = dt.date(2012, 1, 1)
    with db.store.write() as conn:
        batch = []
        for index in range(count):
            name, lat, lon = rng.choice(places)
            day = start + dt.timedelta(days=rng.randrange(4500))
            killed = rng.randint(0, 40)
            incident = Incident(
                claim_ids=[],
                event_type=rng.choice(["air_strike", "shelling", "ground_attack"]),
                date_low=day,
                date_high=day,
                place=ResolvedPlace(
                    name=name,
                    lat=lat,
                    lon=lon,
                    precision=LocationPrecision.settlement,
                    admin1="North",
                    country="XX",
                ),
                perpetrators=[ActorRef(actor_id="unknown", name="Unknown")],
                weapons=[rng.choice(WEAPONS)],
                targets=[TargetRef(category=rng.choice(TARGETS))],
                killed=Range(low=killed, high=killed + rng.randint(0, 5)),
                killed_best=killed,
                grade=rng.choice(["confirmed", "probable", "possible"]),
                grade_reasons=["bench"],
                published=rng.random() < 0.8,
            )
            batch.append({**incident_to_row(incident), "created_at": stamp, "updated_at": stamp})
            if len(batch) == 5000 or index == count - 1:
                conn.execute(sa.insert(incidents), batch)
                batch = []
    db.add_user("bench", "analyst", "bench-password-123")
    db.close()


def incident_count(path: Path) -> int:
    if not path.exists():
        return -1
    db = docket.open(path)
    with db.store.read() as conn:
        found = conn.execute(sa.select(sa.func.count()).select_from(incidents)).scalar_one()
    db.close()
    return int(found)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVER = """
import os, sys, uvicorn
os.environ["DOCKET_DB"] = sys.argv[1]
uvicorn.run("docket.web.app:app_from_env", factory=True, host="127.0.0.1", port=int(sys.argv[2]),
            workers=int(sys.argv[3]), log_level="warning", access_log=False)
"""


async def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url + "/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("server did not start")


async def load(
    url: str, token: str, make_path: object, clients: int, seconds: float
) -> tuple[list[float], int]:
    """``clients`` workers requesting back to back for ``seconds``; latencies in ms."""
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as c:

        async def worker(seed: int) -> None:
            nonlocal errors
            rng = random.Random(seed)
            while time.monotonic() < stop:
                path = make_path(rng)  # type: ignore[operator]
                began = time.perf_counter()
                try:
                    response = await c.get(path)
                    ok = response.status_code == 200
                except httpx.TransportError:
                    ok = False
                latencies.append((time.perf_counter() - began) * 1000)
                errors += not ok

        await asyncio.gather(*(worker(i) for i in range(clients)))
    return latencies, errors


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its children (workers) so far (Linux)."""
    total = 0.0
    for one in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            found += [int(c) for c in children.read_text().split()]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn server processes")
    parser.add_argument("--db", type=Path, default=Path("/tmp/docket-bench-api.db"))
    args = parser.parse_args()

    if incident_count(args.db) != args.incidents:
        began = time.perf_counter()
        build(args.db, args.incidents)
        print(f"built {args.incidents:,} incidents in {time.perf_counter() - began:.1f} s")
    db = docket.open(args.db)
    token = db.create_token("bench", "bench")
    db.close()
    prefixes = sorted({n[:3].lower() for n in place_names(800, random.Random(7))})

    scenarios = {
        "list": lambda r: f"/api/v1/incidents?limit=50&offset={r.randrange(0, 2000)}",
        "detail": lambda r: f"/api/v1/incidents/{r.randint(1, args.incidents)}",
        "search": lambda r: f"/api/v1/incidents?q={r.choice(prefixes)}&limit=20",
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "src")}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(args.db), str(port), str(args.workers)], env=env
    )
    try:
        asyncio.run(wait_until_up(url))
        asyncio.run(load(url, token, scenarios["detail"], 4, 1.0))  # warm up
        print(
            f"{args.incidents:,} incidents, {args.clients} concurrent clients, "
            f"{args.seconds:g} s per scenario (SQLite, {args.workers} uvicorn process(es)); "
            f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(
            f"{'scenario':<8} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'errors':>6} {'server CPU ms/req':>18}"
        )
        for name, make_path in scenarios.items():
            cpu_before = cpu_seconds(server.pid)
            latencies, errors = asyncio.run(load(url, token, make_path, args.clients, args.seconds))
            cpu = (cpu_seconds(server.pid) - cpu_before) * 1000 / max(1, len(latencies))
            cuts = statistics.quantiles(latencies, n=100)
            print(
                f"{name:<8} {len(latencies):>9,} {len(latencies) / args.seconds:>7.0f} "
                f"{cuts[49]:>7.1f} {cuts[94]:>7.1f} {cuts[98]:>7.1f} {errors:>6} {cpu:>18.2f}"
            )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
