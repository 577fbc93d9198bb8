"""Several server processes on one port, each with its own listening socket.

uvicorn's ``--workers`` shares one socket: the process that wakes first accepts a burst of new
connections, and keep-alive clients stay where they landed (50 API clients were split 38/12
between two workers, so one queue was three times the other). With ``SO_REUSEPORT`` the
kernel hashes each new connection to one of the processes' sockets, which spreads them
evenly. Linux and the BSDs have it; elsewhere :func:`serve` is not used.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
from typing import Any

from docket.errors import ConfigError

APP = "docket.web.app:app_from_env"


def supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket on ``host:port`` that other processes of this user may also listen on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _refuse_if_taken(host: str, port: int) -> None:
    """Fail, once, when anything already listens on the port: with SO_REUSEPORT alone a second
    server of the same user would bind quietly and the kernel would split requests between them."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as e:
            raise ConfigError(
                f"{host}:{port} is already in use ({e.strerror}); stop the other server or "
                "choose another --port"
            ) from None


def serve(host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Run ``workers`` processes of the app (built by :data:`APP` from the environment) until
    interrupted or terminated."""
    _refuse_if_taken(host, port)
    probe = listening_socket(host, port)
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(host, port, log_level), name=f"docket-web-{n}")
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    previous = signal.signal(signal.SIGTERM, lambda *_: _stop(processes))
    try:
        for process in processes:
            process.join()
    except KeyboardInterrupt:
        pass  # the terminal sent SIGINT to the workers too; they shut down on their own
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(processes)
        probe.close()


def _stop(processes: list[Any]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(10)


def _worker(host: str, port: int, log_level: str) -> None:
    import uvicorn

    sock = listening_socket(host, port)
    config = uvicorn.Config(APP, factory=True, log_level=log_level, proxy_headers=True)
    uvicorn.Server(config).run(sockets=[sock])
