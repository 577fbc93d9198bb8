"""API latency with 100,000 incidents: p50/p95 for incident list, detail and search at 50
concurrent clients (an in-repo asyncio load generator against ``docket serve`` on loopback).

    PYTHONPATH=src python bench/api.py [--incidents 100000] [--clients 50] [--seconds 10]
                                       [--workers 1] [--rate 200] [--only list]

The database is built once under /tmp (reused while it has the wanted number of incidents). The
server runs as ``docket serve --workers N`` does; the load generator is a small keep-alive
HTTP/1.1 client (0.1 ms of CPU per request; httpx took ~5 ms, more than the server) in a process
of its own, pinned to the last core, with the server on the others when there are enough.

Closed loop: every client sends its next request as soon as the last one answers (no think
time, the worst case); latency then is mostly queueing, about clients / throughput. With
``--rate R`` each scenario also runs open loop: requests are due at R per second and latency
counts from when a request was due, so a server falling behind is not hidden (no coordinated
omission). Each row also gives the server's CPU milliseconds per request: on a machine shared
with other jobs, compare those, not the latencies. Every loop is bounded in time, and only
127.0.0.1 is contacted.

Measured 2026-11-26, quiet 2-core machine, 100,000 incidents, 50 clients closed loop, 1 worker:
list p50 47 / p95 50 ms (1,047 req/s), detail 33 / 34 ms (1,518 req/s), search 47 / 48 ms
(1,067 req/s); open loop at 200 req/s p95 under 2.1 ms for all three. The "mixed" scenario
(places totals and weapon filters in the mix) p95 208 ms closed loop, 14 ms open loop.

guser14 (2026-11-26, load 4-5, so server CPU ms/request, main alternately, 8 s runs): search
1.29-1.37 against 1.06-1.13 (a place search now keeps the other filters, and looks other
spellings up from 4 letters on, in the threadpool); mixed 2.31-2.34 against 2.32-2.61 (a places
search no longer builds a geocoder per request).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection as PipeEnd
from pathlib import Path

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
import sys
from docket.web.commands import serve_app
serve_app(sys.argv[1], port=int(sys.argv[2]), workers=int(sys.argv[3]), log_level="warning")
"""


async def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            client = await Connection.open(port, "")
            status = await client.get("/healthz")
            client.close()
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("server did not start")


class Connection:
    """One keep-alive HTTP/1.1 connection that sends GETs and reads whole responses.

    A few dozen lines instead of httpx: httpx spent ~5 ms of CPU per request, more than the
    server, so on a 2-core machine the load generator measured itself.
    """

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, headers: bytes
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.headers = headers

    @classmethod
    async def open(cls, port: int, token: str) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        auth = f"authorization: Bearer {token}\r\n" if token else ""
        return cls(reader, writer, f"host: 127.0.0.1:{port}\r\n{auth}\r\n".encode())

    async def get(self, path: str) -> int:
        """The status of ``GET path`` (the body is read and dropped)."""
        self.writer.write(b"GET " + path.encode() + b" HTTP/1.1\r\n" + self.headers)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lowered = head.lower()
        at = lowered.find(b"content-length:")
        if at >= 0:
            await self.reader.readexactly(int(lowered[at + 15 : lowered.index(b"\r\n", at)]))
        elif b"transfer-encoding: chunked" in lowered:
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        return status

    def close(self) -> None:
        self.writer.close()


Paths = Callable[[random.Random], str]


async def closed_loop(
    port: int, token: str, make_path: Paths, clients: int, seconds: float
) -> tuple[list[float], int]:
    """``clients`` connections requesting back to back (no think time); latencies in ms."""
    latencies: list[float] = []
    errors = 0
    connections = [await Connection.open(port, token) for _ in range(clients)]
    stop = time.perf_counter() + seconds

    async def worker(client: Connection, seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        while (began := time.perf_counter()) < stop:
            status = await client.get(make_path(rng))
            latencies.append((time.perf_counter() - began) * 1000)
            errors += status != 200

    await asyncio.gather(*(worker(c, i) for i, c in enumerate(connections)))
    for client in connections:
        client.close()
    return latencies, errors


async def open_loop(
    port: int, token: str, make_path: Paths, clients: int, seconds: float, rate: float
) -> tuple[list[float], int]:
    """Requests started at a fixed ``rate`` per second on at most ``clients`` connections.

    Latency counts from the moment a request was due, so time spent waiting for a free
    connection (the server falling behind) is included: no coordinated omission."""
    latencies: list[float] = []
    errors = 0
    free: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(clients):
        free.put_nowait(await Connection.open(port, token))
    rng = random.Random(1)
    start = time.perf_counter()

    async def one(due: float, path: str) -> None:
        nonlocal errors
        client = await free.get()
        status = await client.get(path)
        latencies.append((time.perf_counter() - due) * 1000)
        errors += status != 200
        free.put_nowait(client)

    tasks = []
    for index in range(int(seconds * rate)):
        due = start + index / rate
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(due, make_path(rng))))
    await asyncio.gather(*tasks)
    while not free.empty():
        free.get_nowait().close()
    return latencies, errors


@dataclass
class Load:
    """One scenario to run from the load generator's process."""

    port: int
    token: str
    make_path: Paths
    clients: int
    seconds: float
    rate: float = 0.0  # requests per second; 0 means closed loop


def _generate(load: Load, core: int | None, results: PipeEnd) -> None:
    if core is not None:
        os.sched_setaffinity(0, {core})
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    began = time.process_time()
    if load.rate:
        run = open_loop(
            load.port, load.token, load.make_path, load.clients, load.seconds, load.rate
        )
    else:
        run = closed_loop(load.port, load.token, load.make_path, load.clients, load.seconds)
    latencies, errors = asyncio.run(run)
    results.send((latencies, errors, time.process_time() - began))
    results.close()


def generate(load: Load, core: int | None) -> tuple[list[float], int, float]:
    """Run ``load`` in a process of its own (pinned to ``core``): latencies in ms, errors and
    the load generator's CPU seconds."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_generate, args=(load, core, send))
    process.start()
    send.close()
    found = receive.recv()
    process.join(30)
    return found  # type: ignore[no-any-return]


def mixed(rng: random.Random, scenarios: dict[str, Paths], weapon: str) -> str:
    """Mostly the three cheap requests, with some heavy ones among them (the places totals,
    a weapon filter deep in the list): these must not hold up the rest."""
    draw = rng.random()
    if draw < 0.03:
        return "/api/v1/places?limit=50"
    if draw < 0.05:
        return f"/api/v1/incidents?weapon={weapon}&limit=50&offset={rng.randrange(0, 500)}"
    return scenarios[rng.choice(["list", "detail", "search"])](rng)


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


def cores(workers: int) -> tuple[set[int], int | None]:
    """CPUs for the server and the one core for the load generator.

    The load generator gets the last core to itself when the server can do without it (one
    worker); with as many workers as cores, everything shares."""
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        return set(available), None
    generator = available[-1]
    rest = set(available[:-1])
    return (rest if workers <= len(rest) else set(available)), generator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn server processes")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="also run each scenario open-loop at this many requests per second",
    )
    parser.add_argument("--only", choices=["list", "detail", "search", "mixed"], action="append")
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

    scenarios: dict[str, Paths] = {
        "list": lambda r: f"/api/v1/incidents?limit=50&offset={r.randrange(0, 2000)}",
        "detail": lambda r: f"/api/v1/incidents/{r.randint(1, args.incidents)}",
        "search": lambda r: f"/api/v1/incidents?q={r.choice(prefixes)}&limit=20",
    }
    cheap = dict(scenarios)
    scenarios["mixed"] = lambda r: mixed(r, cheap, r.choice(WEAPONS))
    chosen = {name: scenarios[name] for name in args.only or scenarios}
    port = free_port()
    server_cores, generator_core = cores(args.workers)
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "src")}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(args.db), str(port), str(args.workers)],
        env=env,
        preexec_fn=lambda: os.sched_setaffinity(0, server_cores),
    )
    try:
        asyncio.run(wait_until_up(port))
        generate(Load(port, token, scenarios["detail"], 4, 1.0), generator_core)  # warm up
        print(
            f"{args.incidents:,} incidents, {args.clients} concurrent clients, "
            f"{args.seconds:g} s per scenario (SQLite, {args.workers} uvicorn process(es) on "
            f"CPU {sorted(server_cores)}, load generator on CPU {generator_core}); "
            f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(
            f"{'scenario':<8} {'loop':<12} {'requests':>9} {'req/s':>7} {'p50 ms':>7} "
            f"{'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'server CPU ms/req':>18} "
            f"{'client CPU ms/req':>18}"
        )
        runs = [("closed", 0.0)] + ([(f"open {args.rate:g}/s", args.rate)] if args.rate else [])
        for name, make_path in chosen.items():
            for loop, rate in runs:
                cpu_before = cpu_seconds(server.pid)
                load = Load(port, token, make_path, args.clients, args.seconds, rate)
                latencies, errors, client_cpu = generate(load, generator_core)
                count = max(1, len(latencies))
                cpu = (cpu_seconds(server.pid) - cpu_before) * 1000 / count
                cuts = statistics.quantiles(latencies, n=100)
                print(
                    f"{name:<8} {loop:<12} {len(latencies):>9,} "
                    f"{len(latencies) / args.seconds:>7.0f} {cuts[49]:>7.1f} {cuts[94]:>7.1f} "
                    f"{cuts[98]:>7.1f} {errors:>6} {cpu:>18.2f} {client_cpu * 1000 / count:>18.2f}"
                )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
