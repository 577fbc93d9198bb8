"""Claims and incidents re-checked against the audit entry that has the latest word on each.

Every audit entry about a claim or an incident commits, through its after-digest, to part of the
record as it was written: its *facets*. An incident has one facet (its whole record); a claim has
two, its content (everything but ``incident_id``) and its link (``incident_id``), because
``docket link`` re-points claims without touching their content. An entry speaks for the facets
of its action (``_KINDS``: a claim's ``link`` entries for its link, its ``create`` entry for its
content, an incident's ``export`` entry for none, since its digest is of the evidence package
written, every other action for all of it), about one record (``record_id`` ``"17"``) or a
machine run's batch (``"first..last"``, :func:`docket.store.audit.record_batches`).

The latest word on a record's facet is the entry with the highest id that speaks for it, whether
it names the record alone or a batch whose range holds it. Each record is checked against its
latest words, in the form the entry's digest was taken:

- ``create`` of one record: the stored JSON (``data``), as ``insert_recorded`` logged it (a
  claim's ``document_id`` and review status are outside it, covered from its first review on);
- a claim's ``link`` of one record: ``{"incident_id": ...}``;
- ``delete``: the record must be gone;
- any other action (``update``, ``review``, a link run's ``link`` of an incident): the whole
  record (:func:`row_to_claim` / :func:`row_to_incident`), as ``update_claim`` and
  ``update_incident`` logged it.

An entry on a whole claim (a review, an edit) that a later ``link`` entry has followed is no
longer the latest word on its link, only on its content. It is checked against the claim with the
link it wrote, which the first later ``link`` entry's before-digest gives back
(``_Kind.restorers``: the digest is matched among those of every incident id the log knows), so a
claim reviewed then moved verifies and its content stays checked. A link run's batch records no
before-digest of its own, but it links only claims that pointed at no incident
(``_Kind.batch_before``): a claim reviewed then linked by a run is checked against the claim with
no incident, as the review left it.

A batch is re-hashed as a whole (:func:`~docket.store.audit.batch_summary`), one line per record
of its range. Format 2 (before-digest ``BATCH_MARKER``) holds each record's digest in the form
the entry that takes the record over records as its before-digest (``_Kind.pinned_by``: any
later entry on an incident, its stored JSON's :func:`stored_digest`; a claim's next ``link``
entry, ``{"incident_id": ...}``; a claim's review or edit leaves its link to its next ``link``
entry, which ``update_claim`` writes first when it re-points the claim). So a record taken over
since gives its line from that first later entry, the others from their row, and a review leaves
its batch verifiable. Only a record taken over by a later batch or deleted without such a digest
loses its line: its batch is counted in a note. Format 1 batches (no marker) hold each record's
text (an incident's canonical JSON, a claim's ``incident_id``) and can only be re-computed while
they are the latest word on every record they cover; otherwise they are counted in that note.
When a batch digest fails, the records likely to differ are named: incidents whose columns
disagree with their JSON, claims whose ``incident_id`` is not the incident listing them.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa

from docket.store.audit import BATCH_MARKER, batch_range, batch_summary, digest
from docket.store.claims import claim_incident, link_digest, row_to_claim, select_claims
from docket.store.incidents import (
    INCIDENT_MIRRORS,
    canonical_json,
    row_to_incident,
    stored_digest,
)
from docket.store.schema import audit_log, claims, incidents

CHUNK = 50_000  # records read per query

Row = Any


@dataclass(frozen=True)
class _Kind:
    """How one record type's entries are checked (see the module docstring)."""

    record_type: str
    plural: str
    table: sa.Table
    facets: tuple[str, ...]
    speaks_for: Mapping[str, tuple[str, ...]]  # action -> facets (others: all facets)
    logged_as: Mapping[str, Callable[[Row], Any]]  # action -> what its digest covered
    model: Callable[[Row], Any]  # what the other actions' digests covered
    batch_text: Mapping[str, Callable[[Row], str]]  # batched action -> a record's format-1 line
    batch_line: Mapping[str, Callable[[Row], str]]  # batched action -> a record's format-2 line
    # batched action -> the later actions whose before-digest is a record's format-2 line (None:
    # any); a later entry of another action leaves the batched facet to the next, but a delete
    # takes the line with it
    pinned_by: Mapping[str, tuple[str, ...] | None]
    mirrors: Mapping[str, tuple[str, ...]]  # column -> the path in ``data`` it copies
    # facet -> what gives its fields back from the before-digest of a later entry changing it
    # alone (made with the connection; None: a digest it does not know), so that an entry on
    # the whole record is still checked once a later entry has changed only that facet
    restorers: Mapping[str, Callable[[sa.Connection], Callable[[str], dict[str, Any] | None]]]
    # batched action -> the before-digest every record of its batches had, where the machine run
    # writing them takes only records in that state (a restorer reads it like a single entry's)
    batch_before: Mapping[str, str] = field(default_factory=dict)
    select: Callable[..., sa.Select[Any]] = sa.select  # how its rows are read
    joined: tuple[Any, ...] = ()  # columns read from other tables beside its own

    def facets_of(self, action: str) -> tuple[str, ...]:
        return self.speaks_for.get(action, self.facets)


class _LinkTargets:
    """The incident a claim pointed at, from the digest a ``link`` entry took of it
    (:func:`link_digest`, not the id itself): the digests of every incident id the log has
    known, taken once, when first asked."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.named: dict[str, int | None] | None = None

    def __call__(self, recorded: str) -> dict[str, Any] | None:
        if self.named is None:
            top = _highest_id(self.conn, incidents, _entries(self.conn, "incident"))
            self.named = {link_digest(i): i for i in (None, *range(1, top + 1))}
        if recorded not in self.named:
            return None
        return {"incident_id": self.named[recorded]}


_KINDS = (
    _Kind(
        record_type="incident",
        plural="incidents",
        table=incidents,
        facets=("record",),
        speaks_for={"export": ()},
        logged_as={"create": lambda row: row.data},
        model=row_to_incident,
        batch_text={"create": lambda row: canonical_json(row.data)},
        batch_line={"create": lambda row: stored_digest(row.data)},
        pinned_by={"create": None},
        mirrors=INCIDENT_MIRRORS,
        restorers={},  # one facet: a later entry takes the whole record over
    ),
    _Kind(
        record_type="claim",
        plural="claims",
        table=claims,
        facets=("content", "link"),
        speaks_for={"create": ("content",), "link": ("link",)},
        logged_as={
            "create": lambda row: row.data,
            "link": lambda row: {"incident_id": row.incident_id},
        },
        model=row_to_claim,
        batch_text={"link": lambda row: str(row.incident_id)},
        batch_line={"link": lambda row: link_digest(row.incident_id)},
        pinned_by={"link": ("link",)},
        mirrors={},  # a claim's columns fall back on other fields (claim_to_row): no mirrors
        restorers={"link": _LinkTargets},
        # docket link links only claims pointing at no incident (a rebuild detaches the claims
        # it links again first, one link entry each)
        batch_before={"link": link_digest(None)},
        select=select_claims,
        joined=(claim_incident,),
    ),
)


@dataclass(frozen=True, slots=True)
class _Entry:
    id: int
    action: str
    first: int
    last: int
    digest: str | None
    batched: bool
    version: int = 1  # a batch's format (see the module docstring)
    before: str | None = None


@dataclass
class RecordCheck:
    """What checking claims and incidents found: problems as ``(record, message)``, notes."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    batches_checked: int = 0
    records: dict[str, int] = field(default_factory=dict)  # record type -> records checked


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic rows, entries and dicts
    are built: its passes over the growing heap cost more than the checks (3x on 100k claims)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what was built meanwhile skips the next collection's scan
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def check_records(conn: sa.Connection, tick: Callable[[int], None] = lambda n: None) -> RecordCheck:
    """Check incidents, then claims, against the latest audit entry on each (module docstring);
    ``tick(n)`` after each ``n`` records."""
    result = RecordCheck()
    listed: dict[int, int] = {}  # claim id -> the incident whose claim_ids hold it
    for kind in _KINDS:
        _Checker(conn, kind, result, listed).run(tick)
    return result


class _Checker:
    def __init__(
        self, conn: sa.Connection, kind: _Kind, result: RecordCheck, listed: dict[int, int]
    ) -> None:
        self.conn = conn
        self.kind = kind
        self.result = result
        self.listed = listed
        self.entries = _entries(conn, kind.record_type)
        self.top = _highest_id(conn, kind.table, self.entries)
        words = _Words(kind, self.entries, self.top)
        self.latest = words.latest
        self.taken_over = words.taken_over
        self.restorers = {f: restorer(conn) for f, restorer in kind.restorers.items()}
        self.awaiting = words.awaiting
        self.pinned = words.pinned
        self.created = _created(self.entries, self.top)
        self.items: dict[int, list[tuple[int, str]]] = defaultdict(list)
        position = {c.name: i for i, c in enumerate(_columns(kind.table))}
        self.mirrors = [(c, position[c], path) for c, path in kind.mirrors.items()]
        self.stale_entries: set[int] = words.lost
        self.flagged: set[int] = set()  # records with a problem of their own

    def problem(self, record: str, message: str, record_id: int | None = None) -> None:
        self.result.problems.append((record, message))
        if record_id is not None:
            self.flagged.add(record_id)

    def run(self, tick: Callable[[int], None]) -> None:
        count = 0
        for rows in _chunks(self.conn, self.kind, self.top):
            for row in rows:
                self._check_row(row)
            count += len(rows)
            tick(len(rows))
        self.result.records[self.kind.record_type] = count
        failed = self._check_batches()
        if failed and self.kind.record_type == "claim":
            self._narrow_claims(failed)
        for entry in failed:
            if not any(entry.first <= i <= entry.last for i in self.flagged):
                self.result.notes.append(
                    f"{self.kind.plural} {entry.first}..{entry.last}: audit entry {entry.id} "
                    "holds one digest for the batch; no record in it could be singled out"
                )
        if self.stale_entries:
            self.result.notes.append(
                f"{len(self.stale_entries)} audit entries about {self.kind.plural} cover records "
                "changed since by later entries: their digests cannot be re-computed"
            )

    def _check_row(self, row: Row) -> None:
        record_id = row.id
        label = f"{self.kind.record_type} {record_id}"
        if not self.created[record_id]:
            self.problem(label, "has no 'create' entry in the audit log")
        latest = {self.latest[f][record_id] for f in self.kind.facets} - {-1}
        if not latest:
            return
        for k in {self.awaiting[f][record_id] for f in self.kind.facets} - {-1}:
            self.items[k].append((record_id, self.kind.batch_line[self.entries[k].action](row)))
        self._check_columns(row, label)
        if self.kind.record_type == "incident":
            for claim_id in row.data.get("claim_ids", ()):
                self.listed[claim_id] = record_id
        for k in sorted(latest):
            entry = self.entries[k]
            if any(self.latest[f][record_id] != k for f in self.kind.facets_of(entry.action)):
                restored = None if entry.batched else self._as_entry_left_it(row, k)
                if restored is None:
                    self.stale_entries.add(k)  # it also covers a facet changed since
                else:
                    self._check_one(row, label, entry, restored)
            elif entry.batched:
                if entry.version == 1:  # format 2: its line was taken above
                    self.items[k].append((record_id, self.kind.batch_text[entry.action](row)))
            elif entry.action == "delete":
                self.problem(label, f"audit entry {entry.id} deleted it, yet it is stored")
            else:
                self._check_one(row, label, entry)

    def _as_entry_left_it(self, row: Row, k: int) -> dict[str, Any] | None:
        """The fields of a record that the entry ``k`` on the whole record wrote and later
        entries changed, each from the before-digest of the first entry changing it (None:
        some field cannot be had back so)."""
        entry = self.entries[k]
        if entry.action in self.kind.logged_as or entry.action == "delete":
            return None
        restored: dict[str, Any] = {}
        for f in self.kind.facets_of(entry.action):
            if self.latest[f][row.id] == k:
                continue
            before = self.taken_over.get((k, f))
            fields = None if before is None else self.restorers[f](before)
            if fields is None:
                return None
            restored.update(fields)
        return restored

    def _check_one(
        self, row: Row, label: str, entry: _Entry, restored: Mapping[str, Any] | None = None
    ) -> None:
        logged = self.kind.logged_as.get(entry.action, self.kind.model)
        record = logged(row)
        if restored:
            record = record.model_copy(update=restored)
        found = digest(record)
        if entry.digest is not None and found != entry.digest:
            self.problem(label, differs(entry.id, found, entry.digest))

    def _check_columns(self, row: _Stored, label: str) -> None:
        data = row.data
        values = row.values
        for column, index, path in self.mirrors:
            said: Any = data
            for key in path:
                said = said.get(key) if isinstance(said, dict) else None
            stored = values[index]
            if stored != said and getattr(stored, "isoformat", str)() != said:
                message = f"column {column} is {stored!r}, its JSON says {said!r}"
                self.problem(label, message, row.id)

    def _check_batches(self) -> list[_Entry]:
        failed = []
        for k, entry in enumerate(self.entries):
            if not entry.batched or k in self.stale_entries:
                continue
            size = entry.last - entry.first + 1
            if entry.version == 1 and self._still_latest(k, entry) < size:
                self.stale_entries.add(k)
                continue
            self.result.batches_checked += 1
            items = self.items.pop(k, [])
            if k in self.pinned:  # lines of records taken over since, in id order
                items = sorted([*items, *self.pinned.pop(k)])
            span = f"{self.kind.plural} {entry.first}..{entry.last}"
            if len(items) < size:
                self.problem(
                    span,
                    f"{size - len(items)} of the {size} records audit entry {entry.id} "
                    "recorded are missing",
                )
                continue
            found = digest(batch_summary(items, version=entry.version))
            if found != entry.digest:
                failed.append(entry)
                self.problem(span, differs(entry.id, found, entry.digest, plural=True))
        return failed

    def _still_latest(self, k: int, entry: _Entry) -> int:
        """How many records of a batch still have it as their latest word on all its facets."""
        return min(
            self.latest[f][entry.first : entry.last + 1].count(k)
            for f in self.kind.facets_of(entry.action)
        )

    def _narrow_claims(self, failed: Sequence[_Entry]) -> None:
        table = self.kind.table
        for entry in failed:
            query = (
                select_claims(table.c.id, claim_incident)
                .where(table.c.id.between(entry.first, entry.last))
                .order_by(table.c.id)
            )
            for record_id, incident_id in self.conn.execute(query):
                listed = self.listed.get(record_id)
                if incident_id != listed:
                    self.problem(
                        f"claim {record_id}",
                        f"likely changed since audit entry {entry.id}: it points at incident "
                        f"{incident_id}, incident {listed} lists it",
                        record_id,
                    )


def differs(entry_id: int, found: str | None, expected: str | None, *, plural: bool = False) -> str:
    """The problem message of a record (or batch of records) whose digest no longer matches."""
    verb = "differ" if plural else "differs"
    return f"{verb} from what audit entry {entry_id} recorded: digest {found}, expected {expected}"


def _entries(conn: sa.Connection, record_type: str) -> list[_Entry]:
    query = (
        sa.select(
            audit_log.c.id,
            audit_log.c.action,
            audit_log.c.record_id,
            audit_log.c.after_digest,
            audit_log.c.before_digest,
        )
        .where(audit_log.c.record_type == record_type)
        .order_by(audit_log.c.id)
    )
    found = []
    for entry_id, action, record_id, after, before in conn.execute(query):
        span = batch_range(record_id)
        if span is not None:
            version = 2 if before == BATCH_MARKER else 1
            found.append(_Entry(entry_id, action, span[0], span[1], after, True, version))
        elif record_id.isdigit():
            i = int(record_id)
            found.append(_Entry(entry_id, action, i, i, after, False, before=before))
    return found


class _Words:
    """One pass over a kind's entries, in order, for what each record is checked against."""

    def __init__(self, kind: _Kind, entries: Sequence[_Entry], top: int) -> None:
        # per facet, per record id: the index in ``entries`` of its latest word (-1: none)
        self.latest = {f: [-1] * (top + 1) for f in kind.facets}
        # ... of the format-2 batch whose line for the record is still to come (-1: none),
        # from its row when the pass ends there
        self.awaiting = {f: [-1] * (top + 1) for f in kind.facets}
        self.pinned: dict[int, list[tuple[int, str]]] = defaultdict(list)  # batch -> lines
        self.lost: set[int] = set()  # batches whose line for some record is nowhere
        # (entry on the whole record, facet) -> the before-digest of the first later entry
        # changing that facet alone (see _Kind.restorers)
        self.taken_over: dict[tuple[int, str], str] = {}
        self.kind = kind
        self.entries = entries
        for k, entry in enumerate(entries):
            for f in kind.facets_of(entry.action):
                if entry.batched:
                    self._batch(k, entry, f)
                else:
                    self._follow(entry, f)
                    self.latest[f][entry.first] = k
                    self._single(entry, f)

    def _follow(self, entry: _Entry, facet: str) -> None:
        """Keep ``entry``'s before-digest when it changes ``facet`` alone and the record's word
        on it so far was an entry on the whole record: it gives that entry's facet back."""
        if facet not in self.kind.restorers or entry.before is None:
            return
        previous = self.latest[facet][entry.first]
        if previous != -1 and self.kind.facets_of(entry.action) == (facet,):
            self._taken_over_by(previous, facet, entry.before)

    def _taken_over_by(self, previous: int, facet: str, before: str) -> None:
        """Keep ``before`` for the entry ``previous`` (the latest word on ``facet`` until an
        entry changing that facet alone) when it is an entry on the whole record."""
        word = self.entries[previous]
        if not word.batched and len(self.kind.facets_of(word.action)) > 1:
            self.taken_over[previous, facet] = before

    def _batch(self, k: int, entry: _Entry, facet: str) -> None:
        span = slice(entry.first, entry.last + 1)
        size = entry.last - entry.first + 1
        before = self.kind.batch_before.get(entry.action)
        if before is not None and facet in self.kind.restorers:
            for previous in set(self.latest[facet][span]) - {-1}:  # a few distinct entries
                self._taken_over_by(previous, facet, before)
        self.latest[facet][span] = [k] * size
        waiting = self.awaiting[facet]
        self.lost.update(set(waiting[span]) - {-1})  # a batch records no line before it
        waiting[span] = [k if entry.version == 2 else -1] * size

    def _single(self, entry: _Entry, facet: str) -> None:
        waiting = self.awaiting[facet]
        batch = waiting[entry.first]
        if batch == -1:
            return
        pinned_by = self.kind.pinned_by[self.entries[batch].action]
        if pinned_by is None or entry.action in pinned_by:
            if entry.before is None:
                self.lost.add(batch)
            else:
                self.pinned[batch].append((entry.first, entry.before))
        elif entry.action == "delete":
            self.lost.add(batch)
        else:  # it left this facet as it was: the next entry on it, or the row, has the line
            return
        waiting[entry.first] = -1


def _highest_id(conn: sa.Connection, table: sa.Table, entries: Sequence[_Entry]) -> int:
    """The highest id ``table`` holds or the log's ``entries`` about its records name."""
    top = conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
    return max([top, *(e.last for e in entries)])


def _created(entries: Sequence[_Entry], top: int) -> bytearray:
    """Per record id: 1 where a ``create`` entry (of the record alone or of its batch) covers it.
    A claim or an incident must have been created through the log; their content changes, so
    only the entry's presence is checked here."""
    created = bytearray(top + 1)
    for entry in entries:
        if entry.action == "create":
            created[entry.first : entry.last + 1] = b"\x01" * (entry.last - entry.first + 1)
    return created


def _columns(table: sa.Table) -> list[sa.Column[Any]]:
    """The columns :func:`_chunks` reads before the JSON, in this order."""
    return [c for c in table.columns if c.name != "data"]


class _Stored:
    """A row read by :func:`_chunks`: its columns, and ``data`` parsed (with orjson, several
    times faster than the JSON type's own parsing) only when a check needs it."""

    __slots__ = ("_data", "values")

    def __init__(self, row: Row) -> None:
        self.values = row
        self._data: Any = None

    @property
    def data(self) -> Any:
        if self._data is None:
            self._data = orjson.loads(self.values.data_text)
        return self._data

    def __getattr__(self, name: str) -> Any:
        return getattr(self.values, name)


def _chunks(conn: sa.Connection, kind: _Kind, top: int) -> Iterator[list[_Stored]]:
    """The kind's rows in id order, their JSON as text."""
    table = kind.table
    text = sa.cast(table.c.data, sa.Text).label("data_text")
    for start in range(0, top + 1, CHUNK):
        query = (
            kind.select(*_columns(table), *kind.joined, text)
            .where(table.c.id.between(start, start + CHUNK - 1))
            .order_by(table.c.id)
        )
        yield [_Stored(row) for row in conn.execute(query)]
