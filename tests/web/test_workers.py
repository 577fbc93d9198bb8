"""``docket serve --workers N``: N processes, each listening on the port with its own socket."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from docket.errors import ConfigError
from docket.web import workers

pytestmark = pytest.mark.skipif(not workers.supported(), reason="needs SO_REUSEPORT")

SERVE = """
import sys
from docket.web.commands import serve_app
serve_app(sys.argv[1], port=int(sys.argv[2]), workers=2, log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _workers(pid: int) -> set[int]:
    """The server processes started by ``pid`` (not multiprocessing's resource tracker)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found |= {int(c) for c in (task / "children").read_text().split()}
    return {c for c in found if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()}


def _listeners(pid: int) -> int:
    """How many listening TCP sockets the process holds (from /proc)."""
    inodes = {
        line.split()[9]
        for table in ("/proc/net/tcp", "/proc/net/tcp6")
        for line in Path(table).read_text().splitlines()[1:]
        if line.split()[3] == "0A"  # LISTEN
    }
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd) if fd.is_symlink() else ""
        held += target.startswith("socket:[") and target[8:-1] in inodes
    return held


def _listening_workers(pid: int, deadline: float) -> tuple[set[int], list[int]]:
    """The server's workers and the listening sockets each holds, once two workers each hold
    one (or as they are at ``deadline``)."""
    while True:
        children = _workers(pid)
        listening = [_listeners(child) for child in sorted(children)]
        if listening == [1, 1] or time.monotonic() >= deadline:
            return children, listening
        time.sleep(0.2)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_workers_each_listen_and_stop_with_the_parent(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(tmp_path / "w.db"), str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        answers: list[int] = []
        while time.monotonic() < deadline and len(answers) < 10:
            try:
                answers.append(httpx.get(f"http://127.0.0.1:{port}/healthz").status_code)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answers == [200] * 10
        # (the first worker to listen may answer all ten while the second still starts)
        children, listening = _listening_workers(server.pid, deadline)
        assert len(children) == 2
        assert listening == [1, 1]
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
    time.sleep(0.5)
    assert not [child for child in children if Path(f"/proc/{child}").exists()]


def test_workers_refuse_a_port_another_server_listens_on() -> None:
    taken = workers.listening_socket("127.0.0.1", 0)
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with pytest.raises(ConfigError, match=f"127.0.0.1:{port} is already in use"):
            workers.serve("127.0.0.1", port, 2)
    finally:
        taken.close()
