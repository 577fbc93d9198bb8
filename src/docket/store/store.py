"""The ``Store``: one database (SQLite or PostgreSQL) holding every record of a Docket project."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from os import PathLike

import sqlalchemy as sa

from docket.store.engine import (
    check_open,
    create_engine,
    migrate,
    resolve_url,
    unenforced_references,
)


class Store:
    """A database brought up to the current schema.

    >>> store = Store(":memory:")
    >>> with store.read() as conn:
    ...     conn.execute(sa.text("select count(*) from documents")).scalar()
    0
    """

    def __init__(self, url: str | PathLike[str] | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = create_engine(self.url)
        if self.url == "sqlite://":
            # One shared connection, or every new connection would see a new empty database.
            name = f"docket-memory-{uuid.uuid4().hex}"
            self.engine = create_engine(f"sqlite:///file:{name}?mode=memory&cache=shared&uri=true")
            self._keepalive = self.engine.connect()
        check_open(self.engine)
        migrate(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A connection for reading, in a plain (deferred) transaction."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self, *, checked_references: bool = True) -> Iterator[sa.Connection]:
        """A transaction that commits on success and rolls back on any error.

        ``checked_references=False``: SQLite does not look up each written row's foreign keys in
        this transaction; the caller has checked every reference it writes (a link run writing
        a million rows that point at claims it has checked and incidents it has just written).
        """
        with (
            self.engine.connect().execution_options(write=True) as conn,
            unenforced_references(conn, not checked_references),
            conn.begin(),
        ):
            yield conn

    def close(self) -> None:
        keepalive = getattr(self, "_keepalive", None)
        if keepalive is not None:
            keepalive.close()
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"
