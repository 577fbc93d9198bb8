"""What each page and API route reads, one small function per page.

Each function takes an open :class:`docket.Docket` (and the reader's permissions where they narrow
what is shown) and returns plain data for a template or a JSON body. When another stage adds a
library method (grading, legal flags, media, logs, merge/split), it is wired in here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa
from pydantic import TypeAdapter

from docket import Docket
from docket.domain import Claim, Document, Incident, ReviewStatus
from docket.errors import InputError, NotFoundError
from docket.geo.gazetteer import packaged_gazetteer
from docket.store import claims as claim_store
from docket.store import incidents as incident_store
from docket.store.audit import entries_for
from docket.store.documents import get_document, list_documents
from docket.store.schema import claims, documents, incidents, sources

MAX_PAGE = 500
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Page:
    """One page of records and where the next one starts."""

    items: list[Any]
    limit: int
    offset: int
    next_offset: int | None = None

    @classmethod
    def of(cls, rows: list[Any], limit: int, offset: int) -> Page:
        more = len(rows) > limit
        return cls(rows[:limit], limit, offset, offset + limit if more else None)


_TABLES_SEEN: dict[tuple[int, str], tuple[float, bool]] = {}
TABLE_CHECK_SECONDS = 30.0


def _has_table(db: Docket, name: str) -> bool:
    """Whether another stage's table exists (asked again at most every 30 s)."""
    key = (id(db.store.engine), name)
    at = time.monotonic()
    seen = _TABLES_SEEN.get(key)
    if seen is None or at - seen[0] > TABLE_CHECK_SECONDS:
        seen = (at, sa.inspect(db.store.engine).has_table(name))
        _TABLES_SEEN[key] = seen
    return seen[1]


# --- dashboard ---------------------------------------------------------------------------


@dataclass
class Dashboard:
    counts: dict[str, int]
    incidents: list[Incident]  # the located ones the map draws, newest first
    latest_documents: list[Document]
    by_month: list[tuple[str, int]]
    latest_incidents: list[Incident] = field(default_factory=list)
    located: int = 0  # incidents with coordinates, drawn or not

    @property
    def unmapped(self) -> int:
        """Incidents the map cannot draw: no coordinates."""
        return self.counts["incidents"] - self.located

    @property
    def undated(self) -> int:
        """Incidents the timeline cannot count: no date."""
        return self.counts["incidents"] - sum(n for _, n in self.by_month)


MAP_LIMIT = 2000  # circles on the dashboard map; beyond that the newest are drawn


def dashboard(
    db: Docket, *, published_only: bool, documents_visible: bool, include_witness: bool = False
) -> Dashboard:
    """Counts, the incidents to draw on the map, monthly totals and the newest documents and
    incidents."""
    seen = incidents.c.published if published_only else sa.true()
    located = sa.and_(seen, incidents.c.lat.is_not(None), incidents.c.lon.is_not(None))
    with db.store.read() as conn:
        counts = {"incidents": _count(conn, incidents, seen)}
        if documents_visible:
            for name, table in (("documents", documents), ("claims", claims)):
                counts[name] = _count(conn, table, sa.true())
            unreviewed = claims.c.review_status == ReviewStatus.unreviewed.value
            counts["to review"] = _count(conn, claims, unreviewed)
        newest = (incidents.c.date_low.desc().nulls_last(), incidents.c.id.desc())
        mapped = _incidents(conn, sa.select(incidents).where(located).order_by(*newest), MAP_LIMIT)
        recent = sa.select(incidents).where(seen).order_by(incidents.c.id.desc())
        months = _incidents_by_month(conn, published_only)
        latest = list_documents(conn, limit=20) if documents_visible else []
        view = Dashboard(
            counts,
            mapped,
            [d for d in latest if include_witness or not is_witness(d)][:8],
            months,
            latest_incidents=_incidents(conn, recent, 6),
            located=_count(conn, incidents, located),
        )
    return view


def _count(conn: sa.Connection, table: sa.Table, where: sa.ColumnElement[bool]) -> int:
    return int(
        conn.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar_one()
    )


def _incidents(conn: sa.Connection, query: sa.Select[Any], limit: int) -> list[Incident]:
    return [incident_store.row_to_incident(r) for r in conn.execute(query.limit(limit))]


def _incidents_by_month(conn: sa.Connection, published_only: bool) -> list[tuple[str, int]]:
    """Dated incidents a month ("2021-03"), counted by the database (reading every date into
    Python took 1.4 s of the dashboard's 1.5 s at 200,000 incidents on PostgreSQL)."""
    day = incidents.c.date_low
    month = (
        sa.func.strftime("%Y-%m", day)
        if conn.dialect.name == "sqlite"
        else sa.func.to_char(day, "YYYY-MM")
    )
    query = sa.select(month, sa.func.count()).where(day.is_not(None)).group_by(month)
    if published_only:
        query = query.where(incidents.c.published)
    return sorted((str(m), int(n)) for m, n in conn.execute(query))


# --- documents ---------------------------------------------------------------------------


def fts_terms(text: str) -> list[str]:
    """The words of a search box, without any query syntax (safe for FTS5 and tsquery)."""
    return _WORD.findall(text)[:20]


def search_documents(
    db: Docket,
    *,
    q: str | None = None,
    source: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
    include_witness: bool = False,
) -> Page:
    """Documents, newest first; with ``q``, those matching every word, best match first.

    Witness accounts (testimonies) are left out unless ``include_witness``.
    """
    terms = fts_terms(q or "")
    with db.store.read() as conn:
        if not terms:
            rows = list_documents(
                conn, source=source, since=since, until=until, limit=limit + 1, offset=offset
            )
            page = Page.of(rows, limit, offset)
            page.items = [d for d in page.items if include_witness or not is_witness(d)]
            return page
        ids = _fts_ids(conn, terms, source, since, until, limit + 1, offset, include_witness)
        docs = [get_document(conn, i) for i in ids]
    return Page.of(docs, limit, offset)


WITNESS = "witness"


def is_witness(doc: Document) -> bool:
    """A witness account: testimony, shown only to roles that read testimonies."""
    return doc.source_kind.value == WITNESS


def readable_document(conn: sa.Connection, document_id: int, include_witness: bool) -> Document:
    doc = get_document(conn, document_id)
    if is_witness(doc) and not include_witness:
        raise NotFoundError(f"no document with id {document_id} that your role may read")
    return doc


def _fts_ids(
    conn: sa.Connection,
    terms: list[str],
    source: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    offset: int,
    include_witness: bool,
) -> list[int]:
    witness = "" if include_witness else f"AND d.source_kind != '{WITNESS}' "
    if conn.dialect.name == "sqlite":
        match = " ".join('"' + t.replace('"', "") + '"' for t in terms)
        query = sa.text(
            "SELECT d.id FROM documents_fts f JOIN documents d ON d.id = f.rowid "
            "LEFT JOIN sources s ON s.id = d.source_id "
            "WHERE documents_fts MATCH :match "
            "AND (:source IS NULL OR s.name = :source) "
            "AND (:since IS NULL OR d.published >= :since) "
            "AND (:until IS NULL OR d.published <= :until) " + witness + ""
            "ORDER BY bm25(documents_fts), d.id DESC LIMIT :limit OFFSET :offset"
        )
        params: dict[str, Any] = {"match": match}
    else:
        query = sa.text(
            "SELECT d.id FROM documents d LEFT JOIN sources s ON s.id = d.source_id, "
            "plainto_tsquery('simple', :q) query "
            "WHERE to_tsvector('simple', coalesce(d.title, '') || ' ' || d.text) @@ query "
            "AND (CAST(:source AS TEXT) IS NULL OR s.name = :source) "
            "AND (CAST(:since AS DATE) IS NULL OR d.published >= :since) "
            "AND (CAST(:until AS DATE) IS NULL OR d.published <= :until) " + witness + ""
            "ORDER BY ts_rank(to_tsvector('simple', coalesce(d.title, '') || ' ' || d.text), "
            "query) DESC, d.id DESC LIMIT :limit OFFSET :offset"
        )
        params = {"q": " ".join(terms)}
    params |= {"source": source, "since": since, "until": until, "limit": limit, "offset": offset}
    return [row[0] for row in conn.execute(query, params)]


def snippet(text: str, terms: list[str], width: int = 220) -> str:
    """A stretch of ``text`` around the first search term (or its start)."""
    lowered = text.lower()
    hits = [i for t in terms if (i := lowered.find(t.lower())) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    piece = text[start : start + width].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


@dataclass
class Segment:
    """A stretch of document text, highlighted when claims cite it as evidence."""

    text: str
    fields: list[str] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)


@dataclass
class DocumentView:
    document: Document
    claims: list[Claim]
    segments: list[Segment]
    aggregates: list[Any]
    versions: list[Document]


def document_detail(db: Docket, document_id: int, *, include_witness: bool) -> DocumentView:
    """A document, its claims, and its text cut into segments at every evidence span."""
    with db.store.read() as conn:
        doc = readable_document(conn, document_id, include_witness)
        found = claim_store.list_claims(conn, document_id=document_id)
        aggregates = claim_store.list_aggregates(conn, document_id=document_id)
        versions = _versions(conn, doc)
    spans = [(s.start, s.end, s.field, c.id or 0) for c in found for s in c.spans]
    spans += [(s.start, s.end, s.field, 0) for a in aggregates for s in a.spans]
    return DocumentView(doc, found, highlight(doc.text, spans), aggregates, versions)


def _versions(conn: sa.Connection, doc: Document) -> list[Document]:
    if not doc.url:
        return []
    return [d for d in list_documents(conn, limit=None) if d.url == doc.url and d.id != doc.id]


def highlight(text: str, spans: list[tuple[int, int, str, int]]) -> list[Segment]:
    """Cut ``text`` at span edges; each segment lists the fields and claims that cite it."""
    valid = [(s, e, f, c) for s, e, f, c in spans if 0 <= s < e <= len(text)]
    edges = sorted({0, len(text), *(s for s, *_ in valid), *(e for _, e, *_ in valid)})
    segments = []
    for start, end in zip(edges, edges[1:], strict=False):
        covering = [(f, c) for s, e, f, c in valid if s <= start and end <= e]
        segments.append(
            Segment(
                text[start:end],
                sorted({f for f, _ in covering}),
                sorted({c for _, c in covering if c}),
            )
        )
    return segments


# --- claims ------------------------------------------------------------------------------


def list_claims(
    db: Docket,
    *,
    review_status: str | None = None,
    document_id: int | None = None,
    incident_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
    include_witness: bool = False,
) -> Page:
    """Claims in id order; a witness account's words and named victims hidden unless
    ``include_witness`` (see :func:`_without_words`)."""
    if review_status is not None and review_status not in ReviewStatus.__members__:
        raise InputError(
            f"review status {review_status!r} is unknown; use one of {', '.join(ReviewStatus)}"
        )
    with db.store.read() as conn:
        rows = claim_store.list_claims(
            conn,
            review_status=review_status,
            document_id=document_id,
            incident_id=incident_id,
            since=since,
            until=until,
            limit=limit + 1,
            offset=offset,
        )
        rows = _readable_claims(conn, rows, include_witness)
    return Page.of(rows, limit, offset)


@dataclass
class ClaimView:
    claim: Claim
    document: Document
    history: list[dict[str, Any]]
    segments: list[Segment]
    restricted: bool = False


def claim_detail(db: Docket, claim_id: int, *, include_witness: bool = False) -> ClaimView:
    """A claim with its source text highlighted; a witness account's words stay hidden from
    roles that do not read testimonies (the claim's fields still show)."""
    with db.store.read() as conn:
        claim = claim_store.get_claim(conn, claim_id)
        doc = get_document(conn, claim.document_id or 0)
        history = entries_for(conn, "claim", claim_id)
    if is_witness(doc) and not include_witness:
        hidden = doc.model_copy(update={"text": "", "title": "a witness account"})
        return ClaimView(_without_words(claim), hidden, history, [], restricted=True)
    spans = [(s.start, s.end, s.field, claim_id) for s in claim.spans]
    return ClaimView(claim, doc, history, highlight(doc.text, spans))


def review_claim(
    db: Docket, claim_id: int, decision: str, reason: str, *, include_witness: bool = False
) -> Claim:
    """Accept or reject a claim with a reason (audit-logged as the web user)."""
    statuses = {"accept": ReviewStatus.accepted, "reject": ReviewStatus.rejected}
    if decision not in statuses:
        raise InputError(f"review decision {decision!r} is unknown; use accept or reject")
    reason = reason.strip()
    if not reason:
        raise InputError("a review needs a reason; say why the claim is accepted or rejected")
    if len(reason) > 2000:
        raise InputError("the review reason is longer than 2000 characters; shorten it")
    reviewed = db.review_claim(claim_id, statuses[decision].value, reason)
    with db.store.read() as conn:
        return _readable_claims(conn, [reviewed], include_witness)[0]


def review_queue(
    db: Docket, *, limit: int = 50, offset: int = 0, include_witness: bool = False
) -> Page:
    """Unreviewed claims; a witness account's words hidden unless ``include_witness``."""
    return list_claims(
        db,
        review_status=ReviewStatus.unreviewed.value,
        limit=limit,
        offset=offset,
        include_witness=include_witness,
    )


def witness_ids(conn: sa.Connection, ids: set[int | None]) -> set[int]:
    """Which of these documents are witness accounts (one query, no document text read)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return set()
    query = (
        sa.select(documents.c.id)
        .where(documents.c.id.in_(wanted))
        .where(documents.c.source_kind == WITNESS)
    )
    return set(conn.execute(query).scalars())


# --- incidents ---------------------------------------------------------------------------


def list_incidents(
    db: Docket,
    *,
    published_only: bool,
    q: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    admin1: str | None = None,
    country: str | None = None,
    event_type: str | None = None,
    grade: str | None = None,
    perpetrator: str | None = None,
    target: str | None = None,
    weapon: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Incidents by date; with ``q``, by place, those at a place of that name (see
    :func:`place_named`). The other filters hold either way."""
    chosen = Selection(published_only, q, since, until, admin1, country, event_type, grade)
    wanted = incident_store.ListFilter(perpetrator, target, weapon)
    rows = _incident_rows(db, [incidents], lambda row: row.data, chosen, wanted, limit, offset)
    return Page.of([incident_store.row_to_incident(r) for r in rows], limit, offset)


def incident_page_json(
    db: Docket,
    *,
    published_only: bool,
    q: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    admin1: str | None = None,
    country: str | None = None,
    event_type: str | None = None,
    grade: str | None = None,
    perpetrator: str | None = None,
    target: str | None = None,
    weapon: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> str:
    """The API's page of incidents as JSON text, spliced from the stored records' JSON.

    Same selection and order as :func:`list_incidents`, without turning every row into an
    :class:`Incident` and back: the stored ``data`` already is one incident's JSON (every
    field but ``id``), written by ``model_dump(mode="json")``.
    """
    chosen = Selection(published_only, q, since, until, admin1, country, event_type, grade)
    wanted = incident_store.ListFilter(perpetrator, target, weapon)
    columns = [incidents.c.id, sa.cast(incidents.c.data, sa.Text)]
    rows = _incident_rows(
        db, columns, lambda row: json.loads(row[1]), chosen, wanted, limit, offset
    )
    more = len(rows) > limit
    items = ",".join(_with_id(row_id, raw) for row_id, raw in rows[:limit])
    following = offset + limit if more else None
    return (
        f'{{"items":[{items}],"limit":{limit},"offset":{offset},'
        f'"next_offset":{"null" if following is None else following}}}'
    )


class Selection(NamedTuple):
    """Which incidents a page lists: the column filters (the JSON ones are a ``ListFilter``)."""

    published_only: bool
    q: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    admin1: str | None = None
    country: str | None = None
    event_type: str | None = None
    grade: str | None = None


def _incident_rows(
    db: Docket,
    columns: list[Any],
    record_of: Callable[[Any], Any],
    chosen: Selection,
    wanted: incident_store.ListFilter,
    limit: int,
    offset: int,
) -> Sequence[Any]:
    """One page (and one row more, to tell whether another follows) of ``columns``.

    Perpetrator, target and weapon live inside ``data``: rows whose JSON text cannot hold the
    wanted value are left out in SQL, the rest are read in order and checked one by one (their
    record from ``record_of``) until the page is full, so a first page does not read the whole
    table."""
    q = (chosen.q or "").strip()
    if chosen.grade:
        from docket.link.grading import check_grade

        check_grade(chosen.grade)  # an unknown grade is a mistake, not an empty page
    query = sa.select(*columns)
    if q:
        place = sa.func.lower(incidents.c.place_name)
        query = query.where(place_named(q)).order_by(place, incidents.c.id)
    else:
        query = query.order_by(incidents.c.date_low, incidents.c.id)
    filters = chosen._asdict()
    del filters["published_only"], filters["q"]
    query = incident_store.filter_incidents(
        query, published=True if chosen.published_only else None, **filters
    )
    with db.store.read() as conn:
        if wanted.empty:
            return conn.execute(query.limit(limit + 1).offset(offset)).all()
        streamed = wanted.narrow(query).execution_options(yield_per=500)
        return wanted.page(conn.execute(streamed), limit + 1, offset, record_of)


_LOADING_GAZETTEER = threading.Lock()
# Other spellings are looked up for a name, not for the first letters of one being typed
# ("Ar"): short ones are names of many places, each a match to sort.
SPELLINGS_FROM = 4


def place_named(name: str) -> sa.ColumnElement[bool]:
    """Incidents at a place whose name starts with ``name`` (any case), or at a place the
    packaged gazetteer knows by that name however it is spelled there ("Maarat al-Numan" finds
    Ma‘arrat an Nu‘mān). Not ``db.geocoder()``: that is built per ``Docket``, and the web app
    makes one per request."""
    place = sa.func.lower(incidents.c.place_name)
    prefix = name.lower()
    # A range on the lower-cased name, which its index (0007) can answer; LIKE cannot.
    starts = sa.and_(place >= prefix, place < prefix + "\U0010ffff")
    if len(prefix) < SPELLINGS_FROM:
        return starts
    with _LOADING_GAZETTEER:  # threads asking at once on a fresh start wait for one read
        gazetteer = packaged_gazetteer()
    # only spellings the prefix misses: an OR makes the database sort every match of the
    # prefix, where the index alone reads them in order and stops at the page's end
    spelled = {form for p in gazetteer.lookup(name) for form in _lowered(p.name)}
    others = sorted(n for n in spelled if not n.startswith(prefix))
    # both on lower(place_name), so that one index answers either side of the OR
    return sa.or_(starts, place.in_(others)) if others else starts


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lowered(name: str) -> tuple[str, str]:
    """``name`` as a database's lower() may give it: every letter folded (PostgreSQL in a
    UTF-8 locale), or A-Z only (SQLite, PostgreSQL's C locale: "Ḩarastā" stays "Ḩarastā")."""
    return name.lower(), name.translate(_ASCII_LOWER)


def _with_id(row_id: int, raw: str) -> str:
    body = raw.strip()
    return f'{{"id":{int(row_id)}' + ("," + body[1:] if body != "{}" else "}")


@dataclass
class SourceVersion:
    """One source's claim about an incident, for the side-by-side table."""

    claim: Claim
    document: Document
    restricted: bool = False


@dataclass
class IncidentView:
    incident: Incident
    versions: list[SourceVersion]
    history: list[dict[str, Any]]
    extras: dict[str, list[dict[str, Any]]]
    links: list[dict[str, Any]] = field(default_factory=list)


def incident_detail(
    db: Docket,
    incident_id: int,
    *,
    published_only: bool,
    with_sources: bool,
    with_context: bool = True,
    include_witness: bool = False,
) -> IncidentView:
    """An incident with every source's version of it; with ``with_context`` (the page) also its
    audit history, linked media and log entries, and the link stage's explanations."""
    with db.store.read() as conn:
        incident = incident_store.get_incident(conn, incident_id)
        if published_only and not incident.published:
            raise NotFoundError(f"no published incident with id {incident_id}")
        versions = []
        history: list[dict[str, Any]] = []
        if with_sources:
            members = claim_store.list_claims(conn, incident_id=incident_id)
            docs = _documents_by_id(conn, {c.document_id for c in members})
            versions = [
                _source_version(c, docs[c.document_id or 0], include_witness) for c in members
            ]
            if with_context:
                history = entries_for(conn, "incident", incident_id)
    if not (with_sources and with_context):
        return IncidentView(incident, versions, history, {}, [])
    extras = linked_material(db, incident)
    links = link_explanations(db, incident_id)
    return IncidentView(incident, versions, history, extras, links)


_INCIDENT_BY_ID = sa.select(
    incidents.c.id, incidents.c.published, sa.cast(incidents.c.data, sa.Text)
).where(incidents.c.id == sa.bindparam("incident_id"))
_CLAIM_LIST = TypeAdapter(list[Claim])


def incident_detail_json(
    db: Docket,
    incident_id: int,
    *,
    published_only: bool,
    with_sources: bool,
    include_witness: bool = False,
) -> str:
    """The API's incident as JSON text: ``{"incident": ..., "claims": [...] or null}``.

    What :func:`incident_detail` without context answers, in two queries: the incident's
    stored JSON is spliced as it is (as in :func:`incident_page_json`), and its claims'
    documents are asked only whether they are witness accounts, not read whole."""
    with db.store.read() as conn:
        row = conn.execute(_INCIDENT_BY_ID, {"incident_id": incident_id}).first()
        if row is None:
            raise NotFoundError(f"no incident with id {incident_id}; `docket incidents` lists them")
        if published_only and not row[1]:
            raise NotFoundError(f"no published incident with id {incident_id}")
        claims_json = "null"
        if with_sources:
            members = claim_store.list_claims(conn, incident_id=incident_id)
            members = _readable_claims(conn, members, include_witness)
            claims_json = _CLAIM_LIST.dump_json(members).decode()
    return f'{{"incident":{_with_id(row[0], row[2])},"claims":{claims_json}}}'


def _readable_claims(
    conn: sa.Connection, claims: list[Claim], include_witness: bool
) -> list[Claim]:
    """``claims`` as a role reads them: those of witness accounts :func:`_without_words` unless
    it reads testimonies (their documents asked only whether they are witness accounts)."""
    hidden = set() if include_witness else witness_ids(conn, {c.document_id for c in claims})
    return [_without_words(c) if c.document_id in hidden else c for c in claims]


def _without_words(claim: Claim) -> Claim:
    """A claim from a witness account, for roles that do not read testimonies: without its
    words, nor the names of the people it says were hurt."""
    return claim.model_copy(update={"quote": None, "spans": [], "named_victims": []})


def _source_version(claim: Claim, doc: Document, include_witness: bool) -> SourceVersion:
    """One source's version; a witness account's words hidden from roles without testimonies."""
    if include_witness or not is_witness(doc):
        return SourceVersion(claim, doc)
    hidden = doc.model_copy(update={"text": "", "title": "a witness account", "url": None})
    return SourceVersion(_without_words(claim), hidden, True)


def _documents_by_id(conn: sa.Connection, ids: set[int | None]) -> dict[int, Document]:
    return {i: get_document(conn, i) for i in ids if i is not None}


def linked_material(db: Docket, incident: Incident) -> dict[str, list[dict[str, Any]]]:
    """Media attached to the incident, and the observer or radio log entries matched to it."""
    found: dict[str, list[dict[str, Any]]] = {}
    evidence_list = getattr(db, "evidence_list", None)
    if callable(evidence_list):
        found["Media"] = [
            {
                "id": e.id,
                "kind": e.kind,
                "file": e.filename,
                "captured": e.captured,
                "sha256": e.sha256[:16] + "…",
                "notes": e.notes,
            }
            for e in evidence_list(incident_id=incident.id)
        ]
    logs = incident.details.get("logs")
    if isinstance(logs, list):
        found["Observer and radio log entries"] = [
            {
                "kind": m.get("kind"),
                "observed": m.get("observed_at"),
                "entry": m.get("summary"),
                "file": f"{Path(str(m.get('source_file'))).name}:{m.get('line')}",
            }
            for m in logs
            if isinstance(m, dict)
        ]
    return found


def link_explanations(db: Docket, incident_id: int) -> list[dict[str, Any]]:
    """Why the link stage joined (or kept apart) this incident's claims, when it is installed."""
    view = getattr(db, "incident", None)
    if not callable(view) or not _has_table(db, "link_scores"):
        return []
    try:
        return list(view(incident_id).links)
    except (AttributeError, TypeError):
        return []


def review_incident(
    db: Docket,
    incident_id: int,
    action: str,
    reason: str,
    *,
    claim_ids: list[int] | None = None,
    other_ids: list[int] | None = None,
    grade: str | None = None,
) -> list[Incident]:
    """Accept or reject a link, split or merge incidents, or set a grade (the link stage's
    ``review``), with a reason."""
    review = getattr(db, "review", None)
    if not callable(review):
        raise InputError("reviewing incidents needs the link stage, which is not installed")
    if len(reason) > 2000:
        raise InputError("the review reason is longer than 2000 characters; shorten it")
    changed: list[Incident] = review(
        action,
        incident_id,
        reason=reason,
        claim_ids=claim_ids or [],
        other_ids=other_ids or [],
        grade_value=grade or None,
    )
    return changed


def set_published(db: Docket, incident_id: int, published: bool, reason: str) -> Incident:
    """Publish an incident (viewers and reports then see it) or withdraw it, with a reason."""
    reason = reason.strip()
    if not reason:
        raise InputError("publishing needs a reason; say why it is ready (or withdrawn)")
    if len(reason) > 2000:
        raise InputError("the reason is longer than 2000 characters; shorten it")
    with db.store.write() as conn:
        incident = incident_store.get_incident(conn, incident_id, for_update=True)
        changed = incident.model_copy(update={"published": published})
        action = "publish" if published else "unpublish"
        incident_store.update_incident(conn, changed, db.actor, reason, action=action)
    return changed


def incident_review_available(db: Docket) -> bool:
    return callable(getattr(db, "review", None))


# --- places, evidence --------------------------------------------------------------------


def list_places(
    db: Docket, *, published_only: bool, q: str | None = None, limit: int = 50, offset: int = 0
) -> Page:
    """Places incidents happened at, with how many incidents each."""
    with db.store.read() as conn:
        query = (
            sa.select(
                incidents.c.place_name.label("name"),
                incidents.c.admin1,
                incidents.c.country,
                sa.func.avg(incidents.c.lat).label("lat"),
                sa.func.avg(incidents.c.lon).label("lon"),
                sa.func.count().label("incidents"),
            )
            .where(incidents.c.place_name.is_not(None))
            .group_by(incidents.c.place_name, incidents.c.admin1, incidents.c.country)
            .order_by(sa.func.count().desc(), incidents.c.place_name)
            .limit(limit + 1)
            .offset(offset)
        )
        if published_only:
            query = query.where(incidents.c.published)
        if q:
            query = query.where(place_named(q))
        rows = [dict(r._mapping) for r in conn.execute(query)]
    return Page.of(rows, limit, offset)


def evidence_rows(db: Docket, limit: int = 200) -> list[dict[str, Any]] | None:
    """Stored media (the evidence stage's ``evidence_list``); ``None`` when it is not installed."""
    evidence_list = getattr(db, "evidence_list", None)
    if not callable(evidence_list):
        return None
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "file": e.filename,
            "source": e.source,
            "captured": e.captured,
            "incident": e.incident_id,
            "sha256": e.sha256[:16] + "…",
            "notes": e.notes,
        }
        for e in evidence_list()[:limit]
    ]


def testimony_rows(db: Docket, limit: int = 200) -> list[dict[str, Any]] | None:
    """Testimonies by pseudonym. Identities stay sealed: the web app never holds the key."""
    testimonies = getattr(db, "testimonies", None)
    if not callable(testimonies):
        return None
    return [
        {
            "id": t.id,
            "pseudonym": t.pseudonym,
            "role": t.role,
            "interviewed": t.interview_date,
            "place": t.place,
            "consent": t.consent,
            "share with": ", ".join(t.share_with),
            "incident": t.incident_id,
        }
        for t in testimonies()[:limit]
    ]


def source_names(db: Docket, *, include_witness: bool = False) -> list[str]:
    """Names to filter documents by; witnesses' pseudonyms only for roles that read them (the
    documents list hides their accounts from the others)."""
    query = sa.select(sources.c.name).order_by(sources.c.name)
    if not include_witness:
        query = query.where(sources.c.kind != WITNESS)
    with db.store.read() as conn:
        return list(conn.execute(query).scalars())
