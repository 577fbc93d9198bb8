"""Server-rendered pages: dashboard, documents, claims, review queue, incidents, evidence,
reports, exports, account and users. Each route reads through one function of ``data.py``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from docket.domain import SourceKind
from docket.web import auth, data, reports, svg
from docket.web.api import read_upload
from docket.web.app import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Settings,
    WebError,
    check_csrf,
    current_user,
    is_secure,
    need,
    page_context,
    workspace,
)
from docket.web.roles import allowed, roles
from docket.web.uploads import ingest_upload

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Text = Annotated[str | None, Query(max_length=200)]


def render(request: Request, user: auth.User | None, template: str, **values: Any) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(  # type: ignore[no-any-return]
        request, template, page_context(request, user, **values)
    )


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise WebError(
            400, "bad_input", f"{name} {value!r} is not a date; use YYYY-MM-DD"
        ) from None


def _pager(request: Request, page: data.Page) -> dict[str, str | None]:
    """Links to the previous and next pages, keeping the other query parameters."""
    params = dict(request.query_params)

    def link(offset: int) -> str:
        return request.url.path + "?" + urlencode({**params, "offset": offset})

    previous = link(max(0, page.offset - page.limit)) if page.offset > 0 else None
    following = link(page.next_offset) if page.next_offset is not None else None
    return {"previous": previous, "next": following}


# --- login -------------------------------------------------------------------------------


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/login")
def login_form(request: Request, next: Text = None) -> Response:  # noqa: A002
    return render(request, current_user(request), "login.html", next=_safe_next(next), error=None)


def _safe_next(target: str | None) -> str:
    """Only paths on this site: no scheme, no host, no protocol-relative ``//``."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    code: Annotated[str, Form(max_length=12)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
) -> Response:
    check_csrf(request, csrf)
    throttle: auth.LoginThrottle = request.app.state.throttle
    client = request.client.host if request.client else "unknown"
    keys = (f"name:{name.lower()}", f"ip:{client}")
    wait = throttle.blocked_for(*keys)
    if wait > 0:
        raise WebError(
            429, "too_many_logins", f"too many failed logins; try again in {int(wait) + 1} seconds"
        )
    store = request.app.state.docket.store
    with store.read() as conn:
        user = auth.authenticate(conn, name, password, code or None)
    if user is None:
        throttle.failed(*keys)
        response = render(
            request,
            None,
            "login.html",
            next=_safe_next(next),
            error="Wrong name, password or code.",
        )
        response.status_code = 401
        return response
    throttle.succeeded(keys[0])
    with store.write() as conn:
        token = auth.start_session(conn, user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=auth.SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(request, csrf)
    if token := request.cookies.get(SESSION_COOKIE):
        with request.app.state.docket.store.write() as conn:
            auth.end_session(conn, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


# --- dashboard ---------------------------------------------------------------------------


@router.get("/")
def dashboard(
    request: Request, user: Annotated[auth.User, Depends(need("dashboard.read"))]
) -> Response:
    view = data.dashboard(
        workspace(request, user),
        published_only=not allowed(user.role, "incidents.read_all"),
        documents_visible=allowed(user.role, "documents.read"),
        include_witness=allowed(user.role, "testimonies.read"),
    )
    return render(
        request,
        user,
        "dashboard.html",
        view=view,
        map_svg=svg.incident_map(view.incidents),
        timeline_svg=svg.timeline(view.by_month),
    )


# --- documents ---------------------------------------------------------------------------


@router.get("/documents")
def documents(
    request: Request,
    user: Annotated[auth.User, Depends(need("documents.read"))],
    q: Text = None,
    source: Text = None,
    since: Text = None,
    until: Text = None,
    offset: Offset = 0,
) -> Response:
    db = workspace(request, user)
    page = data.search_documents(
        db,
        q=q,
        source=source or None,
        since=_day(since, "since"),
        until=_day(until, "until"),
        limit=PAGE_SIZE,
        offset=offset,
        include_witness=allowed(user.role, "testimonies.read"),
    )
    terms = data.fts_terms(q or "")
    snippets = {d.id: data.snippet(d.text, terms) for d in page.items if terms}
    return render(
        request,
        user,
        "documents.html",
        page=page,
        pager=_pager(request, page),
        snippets=snippets,
        q=q or "",
        source=source or "",
        since=since or "",
        until=until or "",
        sources=data.source_names(db, include_witness=allowed(user.role, "testimonies.read")),
        source_kinds=[k.value for k in SourceKind],
        message=request.query_params.get("message"),
    )


@router.post("/documents")
def upload(
    request: Request,
    user: Annotated[auth.User, Depends(need("documents.upload"))],
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=200)] = "",
    source: Annotated[str, Form(max_length=300)] = "",
    source_kind: Annotated[str, Form(max_length=20)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(request, csrf)
    content = read_upload(request, file)
    ids = ingest_upload(
        workspace(request, user),
        file.filename or "",
        content,
        source=source,
        source_kind=source_kind,
        url=url,
    )
    if len(ids) == 1:
        return RedirectResponse(f"/documents/{ids[0]}?stored=1", status_code=303)
    return RedirectResponse(
        "/documents?" + urlencode({"message": f"{len(ids)} documents stored"}), status_code=303
    )


@router.get("/documents/{document_id}")
def document(
    request: Request,
    user: Annotated[auth.User, Depends(need("documents.read"))],
    document_id: int,
) -> Response:
    view = data.document_detail(
        workspace(request, user),
        document_id,
        include_witness=allowed(user.role, "testimonies.read"),
    )
    return render(
        request, user, "document.html", view=view, stored=request.query_params.get("stored")
    )


@router.get("/documents/{document_id}/original")
def original(
    request: Request,
    user: Annotated[auth.User, Depends(need("documents.read"))],
    document_id: int,
) -> Response:
    from docket.store.documents import original_bytes

    db = workspace(request, user)
    with db.store.read() as conn:
        doc = data.readable_document(conn, document_id, allowed(user.role, "testimonies.read"))
        content = original_bytes(conn, doc.raw_sha256)
    name = doc.filename or f"document-{document_id}"
    return Response(
        content,
        media_type="application/octet-stream",
        headers={"content-disposition": f'attachment; filename="{_ascii_name(name)}"'},
    )


def _ascii_name(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)[:120]


# --- claims and review -------------------------------------------------------------------


@router.get("/claims")
def claims(
    request: Request,
    user: Annotated[auth.User, Depends(need("claims.read"))],
    review_status: Text = None,
    offset: Offset = 0,
) -> Response:
    page = data.list_claims(
        workspace(request, user),
        review_status=review_status or None,
        offset=offset,
        include_witness=allowed(user.role, "testimonies.read"),
    )
    return render(
        request,
        user,
        "claims.html",
        page=page,
        pager=_pager(request, page),
        review_status=review_status or "",
        title="Claims",
    )


@router.get("/claims/{claim_id}")
def claim(
    request: Request,
    user: Annotated[auth.User, Depends(need("claims.read"))],
    claim_id: int,
) -> Response:
    view = data.claim_detail(
        workspace(request, user),
        claim_id,
        include_witness=allowed(user.role, "testimonies.read"),
    )
    return render(request, user, "claim.html", view=view)


@router.post("/claims/{claim_id}/review")
def review(
    request: Request,
    user: Annotated[auth.User, Depends(need("claims.review"))],
    claim_id: int,
    decision: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(request, csrf)
    data.review_claim(workspace(request, user), claim_id, decision, reason)
    return RedirectResponse(_safe_next(back or f"/claims/{claim_id}"), status_code=303)


@router.get("/review")
def review_queue(
    request: Request,
    user: Annotated[auth.User, Depends(need("claims.review"))],
    offset: Offset = 0,
) -> Response:
    db = workspace(request, user)
    page = data.review_queue(
        db, offset=offset, include_witness=allowed(user.role, "testimonies.read")
    )
    return render(
        request,
        user,
        "review.html",
        page=page,
        pager=_pager(request, page),
        incident_review=data.incident_review_available(db),
    )


# --- incidents ---------------------------------------------------------------------------


@router.get("/incidents")
def incidents(
    request: Request,
    user: Annotated[auth.User, Depends(need("incidents.read_published"))],
    q: Text = None,
    since: Text = None,
    until: Text = None,
    event_type: Text = None,
    offset: Offset = 0,
) -> Response:
    page = data.list_incidents(
        workspace(request, user),
        published_only=not allowed(user.role, "incidents.read_all"),
        q=q,
        since=_day(since, "since"),
        until=_day(until, "until"),
        event_type=event_type or None,
        limit=PAGE_SIZE,
        offset=offset,
    )
    return render(
        request,
        user,
        "incidents.html",
        page=page,
        pager=_pager(request, page),
        q=q or "",
        since=since or "",
        until=until or "",
    )


@router.get("/incidents/{incident_id}")
def incident(
    request: Request,
    user: Annotated[auth.User, Depends(need("incidents.read_published"))],
    incident_id: int,
) -> Response:
    view = data.incident_detail(
        workspace(request, user),
        incident_id,
        published_only=not allowed(user.role, "incidents.read_all"),
        with_sources=allowed(user.role, "claims.read"),
        include_witness=allowed(user.role, "testimonies.read"),
    )
    return render(
        request,
        user,
        "incident.html",
        view=view,
        incident_review=data.incident_review_available(workspace(request, user)),
    )


def _ids(text: str, what: str) -> list[int]:
    """``"12, 14 15"`` -> ``[12, 14, 15]``."""
    found = []
    for part in text.replace(",", " ").split():
        if not part.isdigit() or len(part) > 9:
            raise WebError(400, "bad_input", f"{what} {part!r} is not a number")
        found.append(int(part))
    return found


@router.post("/incidents/{incident_id}/review")
def review_incident(
    request: Request,
    user: Annotated[auth.User, Depends(need("claims.review"))],
    incident_id: int,
    action: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    claim_ids: Annotated[str, Form(max_length=500)] = "",
    other_ids: Annotated[str, Form(max_length=500)] = "",
    grade: Annotated[str, Form(max_length=40)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, csrf)
    changed = data.review_incident(
        workspace(request, user),
        incident_id,
        action,
        reason.strip(),
        claim_ids=_ids(claim_ids, "claim"),
        other_ids=_ids(other_ids, "incident"),
        grade=grade.strip() or None,
    )
    target = changed[0].id if changed and changed[0].id else incident_id
    return RedirectResponse(f"/incidents/{target}", status_code=303)


@router.post("/incidents/{incident_id}/publish")
def publish_incident(
    request: Request,
    user: Annotated[auth.User, Depends(need("incidents.publish"))],
    incident_id: int,
    publish: Annotated[str, Form(max_length=10)] = "yes",
    reason: Annotated[str, Form(max_length=4000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, csrf)
    data.set_published(workspace(request, user), incident_id, publish == "yes", reason)
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


# --- evidence, testimonies ---------------------------------------------------------------


@router.get("/evidence")
def evidence(
    request: Request, user: Annotated[auth.User, Depends(need("evidence.read"))]
) -> Response:
    rows = data.evidence_rows(workspace(request, user))
    return render(request, user, "table.html", title="Evidence", rows=rows, table="evidence")


@router.get("/testimonies")
def testimonies(
    request: Request, user: Annotated[auth.User, Depends(need("testimonies.read"))]
) -> Response:
    rows = data.testimony_rows(workspace(request, user))
    return render(request, user, "table.html", title="Testimonies", rows=rows, table="testimonies")


# --- reports and exports -----------------------------------------------------------------


def _reports_dir(request: Request) -> Any:
    settings: Settings = request.app.state.settings
    return settings.reports_dir


@router.get("/reports")
def report_list(
    request: Request, user: Annotated[auth.User, Depends(need("reports.read"))]
) -> Response:
    return render(
        request, user, "reports.html", reports=reports.list_reports(_reports_dir(request))
    )


@router.post("/reports")
def report_generate(
    request: Request,
    user: Annotated[auth.User, Depends(need("reports.generate"))],
    title: Annotated[str, Form(max_length=200)] = "Published incidents",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, csrf)
    made = reports.generate_report(
        workspace(request, user), _reports_dir(request), request.app.state.templates.env, title
    )
    return RedirectResponse(f"/reports?made={made.name}", status_code=303)


@router.get("/reports/{name}")
def report_file(
    request: Request, user: Annotated[auth.User, Depends(need("reports.read"))], name: str
) -> Response:
    path = reports.report_path(_reports_dir(request), name)
    return FileResponse(
        path,
        filename=path.name,
        content_disposition_type="inline" if request.query_params.get("view") else "attachment",
        headers={"content-security-policy": reports.REPORT_CSP},
    )


@router.get("/exports")
def exports_page(
    request: Request, user: Annotated[auth.User, Depends(need("exports.published"))]
) -> Response:
    return render(request, user, "exports.html")


# --- account and users -------------------------------------------------------------------


@router.get("/account")
def account(
    request: Request, user: Annotated[auth.User, Depends(need("account.read"))]
) -> Response:
    return render(request, user, "account.html", token=None)


@router.post("/account/token")
def account_token(
    request: Request,
    user: Annotated[auth.User, Depends(need("account.read"))],
    label: Annotated[str, Form(max_length=100)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, csrf)
    with request.app.state.docket.store.write() as conn:
        token = auth.create_token(conn, user.name, label.strip()[:100] or None)
    return render(request, user, "account.html", token=token)


@router.get("/users")
def users(request: Request, user: Annotated[auth.User, Depends(need("users.manage"))]) -> Response:
    with request.app.state.docket.store.read() as conn:
        accounts = auth.list_users(conn)
    return render(request, user, "users.html", accounts=accounts, roles=roles(), error=None)


@router.post("/users")
def add_user(
    request: Request,
    user: Annotated[auth.User, Depends(need("users.manage"))],
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, csrf)
    with request.app.state.docket.store.write() as conn:
        auth.add_user(conn, name, role, password)
    return RedirectResponse("/users", status_code=303)
