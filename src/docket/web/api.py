"""The HTTP API under ``/api/v1``: the same reads and writes as the pages, as JSON.

Filters and pagination match the CLI (``--since``, ``--until``, ``--limit``, ``--offset``...).
Lists answer ``{"items": [...], "limit", "offset", "next_offset"}``; errors answer
``{"error": {"status", "code", "message"}}``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response, StreamingResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_serializer

from docket.domain import Claim, Document, Incident
from docket.web import auth, data, exports, reports
from docket.web.app import Settings, WebError, error_body, need, workspace
from docket.web.roles import allowed

T = TypeVar("T")

router = APIRouter(prefix="/api/v1", tags=["api"])

Limit = Annotated[int, Query(ge=1, le=data.MAX_PAGE, description="How many at most.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many first.")]


def _iso_day(value: object) -> object:
    """Dates only as YYYY-MM-DD (not the numbers pydantic would read as timestamps)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("use a date as YYYY-MM-DD")
    return value


Since = Annotated[
    dt.date | None, BeforeValidator(_iso_day), Query(description="On or after YYYY-MM-DD.")
]
Until = Annotated[
    dt.date | None, BeforeValidator(_iso_day), Query(description="On or before YYYY-MM-DD.")
]
Text = Annotated[str | None, Query(max_length=200)]
RecordId = Annotated[int, Path(ge=1, le=2_147_483_647)]


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (400, "Bad input"),
        (401, "Not logged in"),
        (403, "Not allowed for this role"),
        (404, "Not found"),
        (422, "Invalid parameters"),
    )
}


class Paged(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: int | None = None


class DocumentHead(BaseModel):
    id: int
    source: str | None
    source_kind: str
    title: str | None
    url: str | None
    published: dt.date | None
    language: str | None
    filename: str | None
    raw_sha256: str


class DocumentOut(Document):
    """A document as the API sends it: times in UTC, marked as such."""

    @field_serializer("retrieved")
    def _utc(self, value: dt.datetime | None) -> str | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


class Me(BaseModel):
    name: str
    role: str
    permissions: list[str]


class UploadResult(BaseModel):
    document_ids: list[int]


class ReviewIn(BaseModel):
    model_config = ConfigDict(strict=True)

    decision: Literal["accept", "reject"]
    reason: str = Field(min_length=1, max_length=2000)


class PlaceOut(BaseModel):
    name: str
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    incidents: int


class IncidentOut(BaseModel):
    incident: Incident
    claims: list[Claim] | None = None


class ReportOut(BaseModel):
    name: str
    size: int
    created: dt.datetime
    url: str


class ReportIn(BaseModel):
    model_config = ConfigDict(strict=True)

    title: str = Field(default="Published incidents", max_length=200)


def _paged(page: data.Page, items: list[Any]) -> dict[str, Any]:
    return {
        "items": items,
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": page.next_offset,
    }


def _head(d: Document) -> DocumentHead:
    return DocumentHead(
        id=d.id or 0,
        source=d.source,
        source_kind=d.source_kind.value,
        title=d.title,
        url=d.url,
        published=d.published,
        language=d.language,
        filename=d.filename,
        raw_sha256=d.raw_sha256,
    )


@router.get("/me", response_model=Me, responses=ERRORS)
async def me(user: Annotated[auth.User, Depends(need("account.read"))]) -> Me:
    """Who the token or session belongs to, and what their role may do."""
    from docket.web.roles import permissions_of

    return Me(name=user.name, role=user.role, permissions=sorted(permissions_of(user.role)))


@router.get("/documents", response_model=Paged[DocumentHead], responses=ERRORS)
def documents(
    request: Request,
    user: Annotated[auth.User, Depends(need("documents.read"))],
    q: Annotated[
        str | None, Query(max_length=200, description="Words to find (full text).")
    ] = None,
    source: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Stored documents, newest first; with ``q``, best full-text match first.

    A plain ``def`` (run in the threadpool): a full-text search may take a while, and must not
    hold up the requests waiting on the event loop."""
    page = data.search_documents(
        workspace(request, user),
        q=q,
        source=source,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
        include_witness=allowed(user.role, "testimonies.read"),
    )
    return _paged(page, [_head(d) for d in page.items])


@router.get("/documents/{document_id}", response_model=DocumentOut, responses=ERRORS)
async def document(
    request: Request,
    user: Annotated[auth.User, Depends(need("documents.read"))],
    document_id: RecordId,
) -> DocumentOut:
    """One document with its text."""
    db = workspace(request, user)
    with db.store.read() as conn:
        found = data.readable_document(conn, document_id, allowed(user.role, "testimonies.read"))
    return DocumentOut.model_validate(found.model_dump())


@router.post("/documents", response_model=UploadResult, status_code=201, responses=ERRORS)
def upload(
    request: Request,
    user: Annotated[auth.User, Depends(need("documents.upload"))],
    file: Annotated[UploadFile, File(description="A .txt .md .html .pdf .json or .jsonl file.")],
    source: Annotated[str | None, Form(max_length=300)] = None,
    source_kind: Annotated[str | None, Form(max_length=20)] = None,
    url: Annotated[str | None, Form(max_length=2000)] = None,
) -> UploadResult:
    """Store an uploaded report (as ``docket ingest`` does)."""
    from docket.web.uploads import ingest_upload

    content = read_upload(request, file)
    ids = ingest_upload(
        workspace(request, user),
        file.filename or "",
        content,
        source=source,
        source_kind=source_kind,
        url=url,
    )
    return UploadResult(document_ids=ids)


def read_upload(request: Request, file: UploadFile) -> bytes:
    """The uploaded bytes, refused past the app's size limit."""
    settings: Settings = request.app.state.settings
    content = file.file.read(settings.max_upload + 1)
    if len(content) > settings.max_upload:
        raise WebError(
            413,
            "too_large",
            f"the upload is larger than {settings.max_upload / 1e6:g} MB; split it",
        )
    return content


@router.get("/claims", response_model=Paged[Claim], responses=ERRORS)
async def claims(
    request: Request,
    user: Annotated[auth.User, Depends(need("claims.read"))],
    review_status: Annotated[
        Literal["unreviewed", "accepted", "rejected", "edited"] | None, Query()
    ] = None,
    document_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    incident_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Claims in id order, filtered like ``docket claims``."""
    page = data.list_claims(
        workspace(request, user),
        review_status=review_status,
        document_id=document_id,
        incident_id=incident_id,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
        include_witness=allowed(user.role, "testimonies.read"),
    )
    return _paged(page, page.items)


@router.get("/claims/{claim_id}", response_model=Claim, responses=ERRORS)
async def claim(
    request: Request,
    user: Annotated[auth.User, Depends(need("claims.read"))],
    claim_id: RecordId,
) -> Claim:
    return data.claim_detail(
        workspace(request, user),
        claim_id,
        include_witness=allowed(user.role, "testimonies.read"),
    ).claim


@router.post("/claims/{claim_id}/review", response_model=Claim, responses=ERRORS)
def review(
    request: Request,
    user: Annotated[auth.User, Depends(need("claims.review"))],
    claim_id: RecordId,
    body: ReviewIn,
) -> Claim:
    """Accept or reject a claim, with a reason (recorded in the audit log)."""
    return data.review_claim(
        workspace(request, user),
        claim_id,
        body.decision,
        body.reason,
        include_witness=allowed(user.role, "testimonies.read"),
    )


@router.get("/incidents", response_model=Paged[Incident], responses=ERRORS)
async def incidents(
    request: Request,
    user: Annotated[auth.User, Depends(need("incidents.read_published"))],
    q: Annotated[
        str | None,
        Query(max_length=200, description="Place name starts with, or a spelling of it."),
    ] = None,
    since: Since = None,
    until: Until = None,
    admin1: Text = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    event_type: Text = None,
    grade: Text = None,
    perpetrator: Text = None,
    target: Text = None,
    weapon: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Incidents by date (viewers see published ones only), filtered like ``docket incidents``."""
    page = functools.partial(
        data.incident_page_json,
        workspace(request, user),
        published_only=not allowed(user.role, "incidents.read_all"),
        q=q,
        since=since,
        until=until,
        admin1=admin1,
        country=country,
        event_type=event_type,
        grade=grade,
        perpetrator=perpetrator,
        target=target,
        weapon=weapon,
        limit=limit,
        offset=offset,
    )
    spellings = q is not None and len(q.strip()) >= data.SPELLINGS_FROM
    if not spellings and perpetrator is None and target is None and weapon is None:
        body = page()  # indexed: about a millisecond, cheaper on the event loop than a thread
    else:
        # may read many rows, or the gazetteer for a place's spellings: keep the loop free
        body = await run_in_threadpool(page)
    return Response(body, media_type="application/json")


@router.get("/incidents/{incident_id}", response_model=IncidentOut, responses=ERRORS)
async def incident(
    request: Request,
    user: Annotated[auth.User, Depends(need("incidents.read_published"))],
    incident_id: RecordId,
) -> Response:
    """One incident; with the claims of every source for roles that read claims."""
    body = data.incident_detail_json(
        workspace(request, user),
        incident_id,
        published_only=not allowed(user.role, "incidents.read_all"),
        with_sources=allowed(user.role, "claims.read"),
        include_witness=allowed(user.role, "testimonies.read"),
    )
    return Response(body, media_type="application/json")


class IncidentReviewIn(BaseModel):
    model_config = ConfigDict(strict=True)

    action: Literal["accept", "reject", "split", "merge", "grade"]
    reason: str = Field(min_length=1, max_length=2000)
    claim_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        default_factory=list, max_length=500
    )
    other_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        default_factory=list, max_length=500
    )
    grade: str | None = Field(default=None, max_length=40)


@router.post("/incidents/{incident_id}/review", response_model=list[Incident], responses=ERRORS)
def incident_review(
    request: Request,
    user: Annotated[auth.User, Depends(need("claims.review"))],
    incident_id: RecordId,
    body: IncidentReviewIn,
) -> list[Incident]:
    """Accept or reject links, split or merge incidents, or set a grade, with a reason."""
    return data.review_incident(
        workspace(request, user),
        incident_id,
        body.action,
        body.reason,
        claim_ids=body.claim_ids,
        other_ids=body.other_ids,
        grade=body.grade,
    )


class PublishIn(BaseModel):
    model_config = ConfigDict(strict=True)

    published: bool
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/incidents/{incident_id}/publish", response_model=Incident, responses=ERRORS)
def incident_publish(
    request: Request,
    user: Annotated[auth.User, Depends(need("incidents.publish"))],
    incident_id: RecordId,
    body: PublishIn,
) -> Incident:
    """Publish an incident (viewers, reports and public exports then include it) or withdraw it."""
    return data.set_published(workspace(request, user), incident_id, body.published, body.reason)


@router.get("/places", response_model=Paged[PlaceOut], responses=ERRORS)
def places(
    request: Request,
    user: Annotated[auth.User, Depends(need("places.read"))],
    q: Annotated[
        str | None,
        Query(max_length=200, description="Name starts with, or a spelling of it (Ariha: Arīḩā)."),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Places where incidents happened, most incidents first.

    A plain ``def`` (run in the threadpool): counting goes over every incident."""
    page = data.list_places(
        workspace(request, user),
        published_only=not allowed(user.role, "incidents.read_all"),
        q=q,
        limit=limit,
        offset=offset,
    )
    return _paged(page, page.items)


def _report_out(r: reports.ReportFile) -> ReportOut:
    return ReportOut(name=r.name, size=r.size, created=r.created, url=f"/api/v1/reports/{r.name}")


@router.get("/reports", response_model=list[ReportOut], responses=ERRORS)
async def report_list(
    request: Request, user: Annotated[auth.User, Depends(need("reports.read"))]
) -> list[ReportOut]:
    """Generated reports, newest first."""
    settings: Settings = request.app.state.settings
    assert settings.reports_dir is not None
    return [_report_out(r) for r in reports.list_reports(settings.reports_dir)]


@router.post("/reports", response_model=ReportOut, status_code=201, responses=ERRORS)
def report_generate(
    request: Request,
    user: Annotated[auth.User, Depends(need("reports.generate"))],
    body: ReportIn | None = None,
) -> ReportOut:
    """Generate a report of the published incidents."""
    settings: Settings = request.app.state.settings
    assert settings.reports_dir is not None
    made = reports.generate_report(
        workspace(request, user),
        settings.reports_dir,
        request.app.state.templates.env,
        (body or ReportIn()).title,
    )
    return _report_out(made)


@router.get(
    "/reports/{name}",
    response_class=FileResponse,
    responses={**ERRORS, 200: {"content": {"text/html": {}, "application/pdf": {}}}},
)
def report_file(
    request: Request,
    user: Annotated[auth.User, Depends(need("reports.read"))],
    name: Annotated[str, Path(max_length=64, pattern=reports.NAME.pattern)],
) -> FileResponse:
    """Download one report."""
    settings: Settings = request.app.state.settings
    assert settings.reports_dir is not None
    path = reports.report_path(settings.reports_dir, name)
    return FileResponse(
        path,
        filename=path.name,
        content_disposition_type="inline" if request.query_params.get("view") else "attachment",
        headers={"content-security-policy": reports.REPORT_CSP},
    )


Format = Annotated[Literal["csv", "json"], Query(description="csv or json")]


def _export(request: Request, user: auth.User, dataset: str, fmt: str) -> StreamingResponse:
    records = exports.rows(
        workspace(request, user),
        dataset,
        published_only=not allowed(user.role, "incidents.read_all"),
        include_witness=allowed(user.role, "testimonies.read"),
    )
    if fmt == "csv":
        body, media = exports.as_csv(records), "text/csv; charset=utf-8"
    else:
        body, media = exports.as_json(records), "application/json"
    stamp = dt.date.today().isoformat()
    disposition = f'attachment; filename="docket-{dataset}-{stamp}.{fmt}"'
    return StreamingResponse(body, media_type=media, headers={"content-disposition": disposition})


EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {"content": {"text/csv": {}, "application/json": {}}, "description": "The export"},
}


@router.get("/exports/incidents", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_incidents(
    request: Request,
    user: Annotated[auth.User, Depends(need("exports.published"))],
    format: Format = "csv",  # noqa: A002
) -> StreamingResponse:
    """Every incident the reader may see (viewers: published ones), one row each."""
    return _export(request, user, "incidents", format)


@router.get("/exports/claims", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_claims(
    request: Request,
    user: Annotated[auth.User, Depends(need("exports.all"))],
    format: Format = "csv",  # noqa: A002
) -> StreamingResponse:
    """Every claim, one row each."""
    return _export(request, user, "claims", format)


@router.get("/exports/documents", response_class=StreamingResponse, responses=EXPORT_RESPONSES)
def export_documents(
    request: Request,
    user: Annotated[auth.User, Depends(need("exports.all"))],
    format: Format = "csv",  # noqa: A002
) -> StreamingResponse:
    """Every document's metadata (no text), one row each."""
    return _export(request, user, "documents", format)


__all__ = ["error_body", "router"]
