"""Bulk writes straight through the database driver, for machine runs writing a million rows.

SQLAlchemy Core's ``executemany`` builds and processes a parameter dictionary per row, which costs
more than the database's own work at this scale. These helpers prepare one statement, convert the
values with each column's own bind processor (so dates, datetimes and booleans are stored exactly
as Core would store them) and hand plain tuples to the driver's ``executemany``. JSON columns take
text the caller serialised once (cast to JSONB on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import sqlalchemy as sa

BATCH_ROWS = 50_000
SQLITE_CACHE_KIB = 1_048_576  # page cache for a bulk write (SQLite's default is 2 MiB)
REBUILD_MIN_ROWS = 20_000  # rows a write must touch before its table's indexes are rebuilt

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """``items`` in order, as lists of ``size`` (the last one shorter): ids for ``IN (...)``
    lists a database takes in one statement, rows for one ``executemany``, work for a worker."""
    for start in range(0, len(items), size):
        part = items[start : start + size]
        yield part if isinstance(part, list) else list(part)


@contextmanager
def bulk_cache(conn: sa.Connection) -> Iterator[None]:
    """A larger SQLite page cache while a bulk write updates big tables and their indexes.

    Only memory: durability settings stay as they are (1.2M link rows: 21 -> 11 s CPU). A
    million claims' link run dirties more pages than 256 MiB hold; spilled pages are read back
    through the write-ahead log's index, so 1 GiB saves more (write phase: 33.7 -> 25.9 s CPU) and
    ``docket link`` frees the memory its linking used before it writes.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")


@contextmanager
def indexes_rebuilt(
    conn: sa.Connection,
    table: sa.Table,
    rows: int,
    *,
    min_rows: int = REBUILD_MIN_ROWS,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[None]:
    """On SQLite, a big write into ``table`` without its secondary indexes, created again after.

    Building an index from the finished table sorts once, where inserting into it row by row
    lands each row on a random page (96,606 new incidents with their 12 indexes: 3.0 -> 1.5 s
    CPU). Only when the write brings ``rows`` at least as many as the table held and at least
    ``min_rows``. The indexes come back from their own ``CREATE INDEX`` text, in the caller's
    transaction: a failed write leaves them as they were. PostgreSQL keeps its indexes
    (dropping one would lock the table against readers).

    ``meanwhile``: Python work (no database) done in a helper thread while the indexes are built,
    or here after the write when none are (see :func:`alongside`).
    """
    big = conn.dialect.name == "sqlite" and rows >= min_rows and rows >= _held(conn, table)
    found = _secondary_indexes(conn, table) if big else []
    for name, _ in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    if found:
        alongside(lambda: [conn.exec_driver_sql(create) for _, create in found], meanwhile)
    elif meanwhile is not None:
        meanwhile()


def alongside(statements: Callable[[], Any], work: Callable[[], None] | None) -> None:
    """Run ``statements`` while a helper thread does ``work``, which must not use the database.

    SQLite lets go of Python's lock while it builds an index or commits, so Python work done
    meanwhile runs on another core. Only around such long statements: a thread computing while
    a statement runs row by row would make each row wait for the lock. ``work`` is done before
    this returns.
    """
    if work is None:
        statements()
        return
    with ThreadPoolExecutor(1) as helper:
        done = helper.submit(work)
        statements()
        done.result()


def _held(conn: sa.Connection, table: sa.Table) -> int:
    """About how many rows ``table`` holds (its highest rowid: no scan)."""
    return conn.exec_driver_sql(f'SELECT max(rowid) FROM "{table.name}"').scalar() or 0


def _secondary_indexes(conn: sa.Connection, table: sa.Table) -> list[tuple[str, str]]:
    """``(name, CREATE INDEX text)`` of the table's own indexes (not those behind constraints)."""
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name",
        (table.name,),
    ).all()
    return [(name, sql) for name, sql in found]


def _placeholder(conn: sa.Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _is_json(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, sa.JSON) or "JSON" in type(column.type).__name__.upper()


def _is_float(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, sa.Float) and not column.type.asdecimal


def _marker(conn: sa.Connection, column: sa.Column[Any]) -> str:
    mark = _placeholder(conn)
    if _is_json(column) and conn.dialect.name == "postgresql":
        return f"CAST({mark} AS JSONB)"
    return mark


def _processors(
    dialect: sa.Dialect, columns: Sequence[sa.Column[Any]]
) -> list[Callable[[Any], Any] | None]:
    found: list[Callable[[Any], Any] | None] = []
    for column in columns:
        if _is_json(column) or _is_float(column):
            # JSON: the caller passes text. Floats go to the driver as they are: Core's processor
            # only turns integers into floats, which a float column stores alike (and a million
            # distinct floats cost more to look up than to pass).
            found.append(None)
            continue
        impl = column.type.dialect_impl(dialect)
        found.append(impl.bind_processor(dialect))
    return found


def _convert(
    rows: Iterable[Sequence[Any]], processors: Sequence[Callable[[Any], Any] | None]
) -> list[tuple[Any, ...]]:
    """Rows with each column's bind processor applied, column by column: a processor runs once
    per distinct value (a run's one timestamp, a few thousand dates, two booleans)."""
    tuples = [r if type(r) is tuple else tuple(r) for r in rows]
    if not tuples or all(p is None for p in processors):
        return tuples
    columns = [list(c) for c in zip(*tuples, strict=True)]
    for i, process in enumerate(processors):
        if process is not None:
            columns[i] = _processed(columns[i], process)
    return list(zip(*columns, strict=True))


def _processed(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    try:
        done = {v: process(v) for v in set(values)}
    except TypeError:  # unhashable values: one call each
        return [process(v) for v in values]
    return list(map(done.__getitem__, values))


def _run(conn: sa.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    for batch in chunks(rows, BATCH_ROWS):
        conn.exec_driver_sql(sql, batch)


def plain_rows(conn: sa.Connection, query: sa.Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` as the driver's plain tuples, without SQLAlchemy's row objects (a
    million claim rows read 20-30% faster). Only for columns the driver returns as they are
    read: integers and text, not dates, booleans or JSON."""
    result = conn.execute(query)
    try:
        return cast(list[tuple[Any, ...]], result.cursor.fetchall())
    finally:
        result.close()


def driver_values(
    dialect: sa.Dialect, table: sa.Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` (in the order of ``columns``) as :func:`bulk_insert` hands them to the driver,
    for a caller preparing them ahead (no database needed)."""
    return _convert(rows, _processors(dialect, [table.c[name] for name in columns]))


def bulk_insert(
    conn: sa.Connection,
    table: sa.Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    replacing: str | None = None,
    converted: bool = False,
) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``); returns how many.

    ``replacing`` names a key column (the primary key or a unique one): where a row with the
    same key is stored, its other columns are set instead (SQLite and PostgreSQL alike).
    ``converted``: the rows come from :func:`driver_values`.
    """
    cols = [table.c[name] for name in columns]
    marks = ", ".join(_marker(conn, c) for c in cols)
    names = ", ".join(c.name for c in cols)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    if replacing is not None:
        sets = ", ".join(f"{c.name} = excluded.{c.name}" for c in cols if c.name != replacing)
        sql += f" ON CONFLICT ({replacing}) DO UPDATE SET {sets}"
    values = list(rows) if converted else driver_values(conn.dialect, table, columns, rows)
    _run(conn, sql, values)  # type: ignore[arg-type]
    return len(values)
