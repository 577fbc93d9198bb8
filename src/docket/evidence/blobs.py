"""The content-addressed evidence directory: originals stored byte-for-byte under their SHA-256.

A file is copied in chunks to a temporary file in the directory while it is hashed, checked, then
renamed atomically to ``ab/cd/abcd…`` and made read-only. Memory use does not depend on file size.
The directory sits next to a SQLite database (``<db-stem>.evidence/``) or is set with
``$DOCKET_EVIDENCE_DIR`` (needed for PostgreSQL).
"""

from __future__ import annotations

import hashlib
import os
import queue
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa

from docket.errors import ConfigError

ENV_VAR = "DOCKET_EVIDENCE_DIR"
CHUNK = 4 * 1024 * 1024
BUFFERS = 4
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def evidence_dir_for(url: sa.URL | str) -> Path:
    """Where the evidence files of the database at ``url`` live."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    url = sa.make_url(url) if isinstance(url, str) else url
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database and "mode=memory" not in str(url):
        db_path = Path(database.removeprefix("file:")).expanduser()
        return db_path.with_name(db_path.stem + ".evidence")
    raise ConfigError(
        f"no evidence directory for {url.render_as_string(hide_password=True)}; "
        f"set ${ENV_VAR} to a folder for the media files"
    )


@dataclass(frozen=True)
class Staged:
    """A file copied into the evidence directory, hashed, not yet given its final name."""

    temp: Path
    sha256: str
    size: int


def hash_stream(
    stream: BinaryIO, on_chunk: Callable[[bytes], object] | None = None
) -> tuple[str, int]:
    """SHA-256 and size of a stream read in chunks; ``on_chunk`` sees each chunk."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if on_chunk is not None:
            on_chunk(chunk)
    return digest.hexdigest(), size


def copy_and_hash(source: BinaryIO, target: BinaryIO) -> tuple[str, int]:
    """Copy ``source`` to ``target`` and hash it, reading and writing at the same time.

    The main thread reads and hashes chunks while a second thread writes them (both release the
    GIL), through a fixed ring of buffers: memory stays at ``BUFFERS * CHUNK`` for any size.
    """
    free: queue.Queue[bytearray] = queue.Queue()
    full: queue.Queue[tuple[bytearray, int] | None] = queue.Queue()
    for _ in range(BUFFERS):
        free.put(bytearray(CHUNK))
    failed: list[BaseException] = []

    def write() -> None:
        while (item := full.get()) is not None:
            buffer, n = item
            if not failed:
                try:
                    target.write(memoryview(buffer)[:n])
                except BaseException as exc:  # noqa: BLE001 - re-raised in the reading thread
                    failed.append(exc)
            free.put(buffer)

    writer = threading.Thread(target=write, name="evidence-copy", daemon=True)
    writer.start()
    digest, size = hashlib.sha256(), 0
    try:
        while not failed:
            buffer = free.get()
            n = source.readinto(buffer)  # type: ignore[attr-defined]
            if not n:
                free.put(buffer)
                break
            digest.update(memoryview(buffer)[:n])
            size += n
            full.put((buffer, n))
    finally:
        full.put(None)
        writer.join()
    if failed:
        raise failed[0]
    return digest.hexdigest(), size


def hash_file(path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        return hash_stream(stream)


class BlobStore:
    """Originals under ``root``, each at ``ab/cd/<sha256>``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def relative(self, sha256: str) -> str:
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    @contextmanager
    def staged(self, source: Path) -> Iterator[Staged]:
        """Copy ``source`` into a temporary file here while hashing it; removed unless committed."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
        temp = Path(name)
        try:
            with source.open("rb", buffering=0) as src, os.fdopen(fd, "wb", buffering=0) as out:
                sha256, size = copy_and_hash(src, out)
                os.fsync(out.fileno())
            yield Staged(temp, sha256, size)
        finally:
            temp.unlink(missing_ok=True)

    def commit(self, staged: Staged) -> Path:
        """Give a staged file its final, read-only name (a no-op when the content is stored)."""
        target = self.path_for(staged.sha256)
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged.temp, READ_ONLY)
        os.replace(staged.temp, target)
        return target

    def rehash(self, sha256: str) -> tuple[str, int] | None:
        """The SHA-256 and size the stored file has now, or ``None`` when it is missing."""
        path = self.path_for(sha256)
        if not path.is_file():
            return None
        return hash_file(path)

    def stored(self) -> Iterator[str]:
        """Names of every stored file (which should be their SHA-256)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            if path.is_file():
                yield path.name
