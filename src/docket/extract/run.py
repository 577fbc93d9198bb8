"""Extraction entry points for texts and files, outside the store."""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from docket.domain import AggregateClaim, Claim
from docket.errors import InputError
from docket.extract.components import published_from
from docket.extract.dates import date_in_url
from docket.extract.pipeline import DocState, Pipeline
from docket.store.bulk import chunks


@cache
def default_pipeline() -> Pipeline:
    return Pipeline()


def extract_text(
    text: str, *, published: dt.date | None = None, language: str | None = None
) -> DocState:
    """Run the default pipeline on one text."""
    return default_pipeline()(text, published=published, language=language)


def read_input(
    path: Path, published: dt.date | None = None
) -> tuple[str, dt.date | None, str | None]:
    """Text, published date and language of a ``.txt`` file or a corpus-format ``.json`` file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError:
        content = raw.decode("latin-1")
    if path.suffix.lower() == ".json":
        try:
            data: Any = json.loads(content)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise InputError(f"{path}: expected an object with a 'text' string (corpus format)")
        return (
            data["text"],
            published_from(data.get("published")) or date_in_url(data.get("url")) or published,
            data.get("language"),
        )
    return content, published, None


@dataclass(frozen=True)
class Extracted:
    """What the pipeline read from one text: small enough to pass between processes."""

    key: Any
    claims: list[Claim]
    aggregates: list[AggregateClaim]
    messages: list[str]

    def __reduce__(self) -> tuple[Any, ...]:
        # Between processes the records travel as their JSON, which pydantic writes and reads
        # back about three times as fast as pickle takes the models apart and rebuilds them.
        return (
            _rebuild_extracted,
            (
                self.key,
                [c.model_dump_json() for c in self.claims],
                [a.model_dump_json() for a in self.aggregates],
                self.messages,
            ),
        )


@dataclass(frozen=True)
class Shaped:
    """What one text gave, as plain dicts made in an extraction worker (see :data:`Shape`), so
    that the process that stores or prints them validates no records."""

    key: Any
    claims: list[dict[str, Any]]
    aggregates: list[dict[str, Any]]
    messages: list[str]


def shaped(
    result: Extracted,
    claim: Callable[[Claim], dict[str, Any]],
    aggregate: Callable[[AggregateClaim], dict[str, Any]],
) -> Shaped:
    """``result`` with each claim and aggregate claim turned into a dict by the given functions."""
    return Shaped(
        result.key,
        [claim(c) for c in result.claims],
        [aggregate(a) for a in result.aggregates],
        result.messages,
    )


def _rebuild_extracted(
    key: Any, claims: list[str], aggregates: list[str], messages: list[str]
) -> Extracted:
    return Extracted(
        key,
        [Claim.model_validate_json(c) for c in claims],
        [AggregateClaim.model_validate_json(a) for a in aggregates],
        messages,
    )


Item = tuple[Any, str, dt.date | None, str | None]  # key, text, published, language

# Fewer texts than this are read in this process: starting workers costs more than it saves.
PARALLEL_MIN_TEXTS = 200
# Texts sent to a worker at a time, at most: each chunk costs this process a few milliseconds
# of its own (messages, the pool's threads), so chunks are large, yet small enough that every
# worker gets about four of a list.
CHUNK_TEXTS = 128


def default_processes() -> int:
    """Worker processes for many texts: the CPUs this process may use, at most 4."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


Runner = Callable[[Sequence[Item]], Iterator[Any]]
# What a worker sends back for one text instead of its :class:`Extracted` (the caller's own
# form: rows to insert, JSON dicts to print...): a module-level function, run in the worker so
# that this process only unpickles plain data and validates nothing (pydantic reading the
# records back cost this process ~0.1 ms per document, time taken from the workers' cores).
Shape = Callable[[Extracted], Any]


@contextmanager
def extraction_workers(
    total: int, processes: int | None = None, shape: Shape | None = None
) -> Iterator[Runner]:
    """A function that extracts from a list of texts, in order: on ``processes`` worker
    processes (default: one per CPU, at most 4) when ``total`` texts are to be read and that is
    at least ``PARALLEL_MIN_TEXTS``, else in this process. Workers are forked after the
    vocabularies and the gazetteer are loaded here (or load them once each where processes
    cannot fork) and return small results: the caller keeps all writes. With ``shape`` the
    function yields ``shape(extracted)`` for each text, computed where the text was read.

    >>> with extraction_workers(total=2) as run:
    ...     [len(r.claims) for r in run([(1, "Shelling hit Ariha.", None, None)])]
    [1]
    """
    processes = default_processes() if processes is None else processes
    # Read here or in workers, a text's garbage is freed by reference counting, and the results
    # kept here are acyclic records: collecting every 700 allocations would rescan them again
    # and again (~10% of the CPU of extracting in this process).
    threshold = gc.get_threshold()
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    try:
        if processes <= 1 or total < PARALLEL_MIN_TEXTS:
            yield partial(_run_here, shape=shape)
        else:
            with _worker_pool(processes) as pool:

                def run(items: Sequence[Item]) -> Iterator[Extracted]:
                    size = min(CHUNK_TEXTS, -(-len(items) // (4 * processes)))
                    work = partial(_extract_chunk, shape=shape)
                    for chunk in pool.map(work, chunks(items, max(size, 1))):
                        yield from chunk

                yield run
    finally:
        gc.set_threshold(*threshold)


@contextmanager
def _worker_pool(processes: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``processes`` extraction workers, forked (where processes can fork) after the
    pipeline and its data are loaded here. (Not a ``multiprocessing.Pool``: its worker-handler
    thread wakes whenever a result waits in the pipe and spins until another thread has read
    it, ~4 ms of this process's CPU per chunk of results; the executor's one thread that waits
    is the one that reads.)"""
    warm_up()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # Objects loaded so far (the gazetteer...) are left out of garbage collection: a collection
    # in a forked worker would touch them all and copy every page they sit on.
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker)
        try:
            yield pool
        finally:
            # chunks not yet started are dropped (the caller stopped reading: an error)
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        gc.unfreeze()


def extract_many(
    items: Sequence[Item], *, processes: int | None = None, shape: Shape | None = None
) -> Iterator[Any]:
    """Extract from ``items`` (key, text, published, language), in order, in parallel when
    there are many (see :func:`extraction_workers`): an :class:`Extracted` for each, or what
    ``shape`` makes of it."""
    with extraction_workers(len(items), processes, shape) as run:
        yield from run(items)


def _run_here(items: Sequence[Item], shape: Shape | None = None) -> Iterator[Any]:
    for item in items:
        yield _extract_item(item) if shape is None else shape(_extract_item(item))


# Texts that make every lazily built table load: the gazetteer and its spelling indexes (a
# misspelt town, an unknown one), and dateparser's languages for full dates.
_WARM_UP_TEXTS = [
    (
        "Warplanes struck a market in the town of Kafr Nubl on 14 February 2020, killing 3 people. "
        "Shelling hit the village of Qzxwvt the same day.",
        "en",
    ),  # fmt: skip
    ("قصفت طائرات حربية سوقاً في مدينة أريحا يوم 14 شباط 2020، ما أدى إلى مقتل ثلاثة مدنيين.", "ar"),
    ("Des frappes ont touché un marché dans la ville d'Ariha le 14 février 2020.", "fr"),
]


def warm_up() -> None:
    """Load the pipeline, its data files, the gazetteer and its indexes (once per process)."""
    for text, language in _WARM_UP_TEXTS:
        extract_text(text, published=dt.date(2020, 2, 16), language=language)


# A worker's garbage is nearly all freed by reference counting (texts, hits, records): the
# collector, run every 700 allocations by default, found little but cost ~10% of the CPU.
WORKER_GC_THRESHOLD = (20_000, 50, 50)


def _start_worker() -> None:
    warm_up()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def _extract_chunk(items: list[Item], shape: Shape | None = None) -> list[Any]:
    if shape is None:
        return [_extract_item(item) for item in items]
    return [shape(_extract_item(item)) for item in items]


def _extract_item(item: Item) -> Extracted:
    key, text, published, language = item
    state = extract_text(text, published=published, language=language)
    return Extracted(key, state.claims, state.aggregates, state.messages)
