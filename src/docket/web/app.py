"""The FastAPI application: settings, who is asking, what they may do, and errors in one shape.

Pages (``pages.py``) and the HTTP API (``api.py``) share this module's :func:`need` dependency,
which answers from the one role matrix (``data/roles.yaml``). Errors reach people once: as a page
for browsers, and as ``{"error": {"status", "code", "message"}}`` under ``/api/``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

import docket
from docket import Docket
from docket.errors import (
    ConfigError,
    DocketError,
    InputError,
    IntegrityError,
    NotFoundError,
    PermissionDenied,
)
from docket.web import auth
from docket.web.roles import allowed, permissions_of
from docket.web.uploads import DEFAULT_MAX_UPLOAD

HERE = Path(__file__).parent
SESSION_COOKIE = "docket_session"
CSRF_COOKIE = "docket_csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass
class Settings:
    """How one web app runs: its database, where reports go, and its limits."""

    db: str | None = None
    reports_dir: Path | None = None
    max_upload: int = DEFAULT_MAX_UPLOAD
    login_limit: int = 5
    login_window: float = 300.0
    title: str = "Docket"
    extra: dict[str, Any] = field(default_factory=dict)


class WebError(Exception):
    """An HTTP error with a status, a short code and a message for people."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class LoginRequired(Exception):
    """A page was asked for without a session: browsers go to the login page."""


_ERROR_STATUS: list[tuple[type[DocketError], int, str]] = [
    (NotFoundError, 404, "not_found"),
    (PermissionDenied, 403, "forbidden"),
    (InputError, 400, "bad_input"),
    (IntegrityError, 409, "integrity"),
    (ConfigError, 500, "config"),
]


def status_of(exc: DocketError) -> tuple[int, str]:
    for kind, status, code in _ERROR_STATUS:
        if isinstance(exc, kind):
            return status, code
    return 400, "error"


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """The one JSON error shape of the API."""
    return {"error": {"status": status, "code": code, "message": message}}


# --- who is asking -----------------------------------------------------------------------


def current_user(request: Request) -> auth.User | None:
    """The user of an API token (``Authorization: Bearer``) or of the session cookie."""
    if hasattr(request.state, "user"):
        return request.state.user  # type: ignore[no-any-return]
    user = None
    store = request.app.state.docket.store
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        bearer = header[7:].strip()
        user = auth.cached_token_user(bearer)
        if user is None:
            with store.read() as conn:
                user = auth.token_user(conn, bearer)
        request.state.via_token = True
        if user is None:
            raise WebError(401, "unauthorized", "the API token is unknown or revoked")
    elif token := request.cookies.get(SESSION_COOKIE):
        with store.read() as conn:
            user = auth.session_user(conn, token)
    request.state.user = user
    return user


def is_api(request: Request) -> bool:
    # The scope's path, not request.url.path: building the URL costs more than the check.
    return str(request.scope["path"]).startswith("/api/")


def need(permission: str) -> Callable[[Request], Awaitable[auth.User]]:
    """A dependency that lets through users whose role holds ``permission``.

    It is a coroutine on purpose: the session or token lookup is one indexed query, cheaper to
    run on the event loop than to hand to a worker thread.
    """

    async def dependency(request: Request) -> auth.User:
        user = current_user(request)
        if user is None:
            if is_api(request):
                raise WebError(401, "unauthorized", "log in or send 'Authorization: Bearer TOKEN'")
            raise LoginRequired()
        if not allowed(user.role, permission):
            raise WebError(
                403, "forbidden", f"the {user.role} role may not do this (needs {permission})"
            )
        if request.method not in ("GET", "HEAD") and not getattr(request.state, "via_token", False):
            check_csrf_header(request)
        return user

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def check_csrf_header(request: Request) -> None:
    """Cookie-authenticated API writes carry the CSRF cookie's value in ``X-CSRF-Token``."""
    if not is_api(request):
        return  # forms check their hidden field (check_csrf)
    if not _same(request.headers.get(CSRF_HEADER), request.cookies.get(CSRF_COOKIE)):
        raise WebError(403, "csrf", "missing or wrong X-CSRF-Token header; reload the page")


def check_csrf(request: Request, token: str | None) -> None:
    """A form's hidden ``csrf`` field must equal the CSRF cookie (double-submit)."""
    if not _same(token, request.cookies.get(CSRF_COOKIE)):
        raise WebError(
            403, "csrf", "this form expired or came from another site; reload the page and retry"
        )


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and secrets.compare_digest(str(a), str(b))


def workspace(request: Request, user: auth.User) -> Docket:
    """The project, acting as ``user`` in the audit log."""
    shared: Docket = request.app.state.docket
    return Docket(shared.store, actor=f"web:{user.name}")


def is_secure(request: Request) -> bool:
    return (
        request.url.scheme == "https"
        or request.headers.get("x-forwarded-proto", "").lower() == "https"
    )


# --- the app -----------------------------------------------------------------------------


def create_app(settings: Settings | None = None, *, db: Docket | None = None) -> FastAPI:
    """The web app on ``settings.db`` (or an open ``db``)."""
    settings = settings or Settings()
    project = db or docket.open(settings.db, actor="web")
    if settings.reports_dir is None:
        settings.reports_dir = _default_reports_dir(project)
    app = FastAPI(
        title="Docket API",
        version=docket.__version__,
        description=(
            "Documents, claims, incidents, places, reports and exports of a Docket project. "
            "Authenticate with `Authorization: Bearer TOKEN` (`docket users token NAME`)."
        ),
        docs_url=None,  # (served offline by _add_api_docs)
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.docket = project
    app.state.settings = settings
    app.state.throttle = auth.LoginThrottle(settings.login_limit, settings.login_window)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["allowed"] = allowed
    templates.env.filters["event"] = event_name
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _add_api_docs(app, templates)
    _add_middleware(app, settings)
    _add_error_handlers(app)
    from docket.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def _add_api_docs(app: FastAPI, templates: Jinja2Templates) -> None:
    """The API's interactive docs at ``/api/docs``: Swagger UI from the ``swagger-ui-bundle``
    package, served by the app itself (no CDN: the app must work offline) and started by a
    script of ours, so that the page keeps the strict content-security policy (no inline
    script)."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount(
        "/api/docs/assets", StaticFiles(directory=str(swagger_ui_path)), name="api-docs-assets"
    )

    async def api_docs(request: Request) -> Response:
        return templates.TemplateResponse(  # type: ignore[no-any-return]
            request, "api_docs.html", {"title": app.title, "openapi_url": app.openapi_url}
        )

    app.add_api_route("/api/docs", api_docs, include_in_schema=False)


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory`` worker processes: settings from ``DOCKET_DB``,
    ``DOCKET_REPORTS_DIR`` and ``DOCKET_MAX_UPLOAD`` (bytes)."""
    import os

    reports_dir = os.environ.get("DOCKET_REPORTS_DIR")
    max_upload = os.environ.get("DOCKET_MAX_UPLOAD")
    return create_app(
        Settings(
            db=os.environ.get("DOCKET_DB"),
            reports_dir=Path(reports_dir) if reports_dir else None,
            max_upload=int(max_upload) if max_upload else DEFAULT_MAX_UPLOAD,
        )
    )


def event_name(event_type: str | None) -> str:
    """The display name of an event type id (``air_drone_strike`` -> ``Air/drone strike``)."""
    if not event_type:
        return "event"
    from docket.vocab import event_types

    term = event_types().get(event_type)
    name = getattr(term, "name", None)
    return str(name) if name else event_type.replace("_", " ")


def _default_reports_dir(project: Docket) -> Path:
    url = project.store.engine.url
    if url.get_backend_name() == "sqlite" and url.database and "mode=memory" not in str(url):
        path = Path(url.database)
        return path.with_name(path.stem + "-reports")
    return Path.cwd() / "docket-reports"


SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(GuardMiddleware, max_upload=settings.max_upload)


class GuardMiddleware:
    """Refuses oversized bodies early, hands every request a CSRF token (cookie), and adds the
    security headers. Plain ASGI, so it costs no extra task or thread per request."""

    def __init__(self, app: Any, max_upload: int) -> None:
        self.app = app
        self.max_upload = max_upload

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_upload + 65536:
            limit = self.max_upload / 1e6
            response = _error_response(
                request, 413, "too_large", f"the upload is larger than {limit:g} MB; split it"
            )
            await response(scope, receive, send)
            return
        known = request.cookies.get(CSRF_COOKIE)
        csrf = known or secrets.token_urlsafe(24)
        scope.setdefault("state", {})["csrf"] = csrf
        set_cookie = None
        if known is None and not is_api(request):
            cookie = Response()
            cookie.set_cookie(
                CSRF_COOKIE, csrf, httponly=True, samesite="lax", secure=is_secure(request)
            )
            set_cookie = cookie.headers["set-cookie"].encode("latin-1")

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS_RAW:
                    if name not in present:
                        headers.append((name, value))
                if set_cookie is not None:
                    headers.append((b"set-cookie", set_cookie))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


SECURITY_HEADERS_RAW = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


def _error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> Response:
    headers = dict(headers or {})
    if status == 401:
        headers["www-authenticate"] = "Bearer"
    if is_api(request):
        return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        page_context(request, _user_of_page(request), status=status, code=code, message=message),
        status_code=status,
        headers=headers,
    )


def _user_of_page(request: Request) -> auth.User | None:
    """Who is logged in, for an error page's menu (also on pages no route answered, which never
    asked: a mistyped address keeps the menu to go on from)."""
    try:
        return current_user(request)
    except (WebError, sa.exc.SQLAlchemyError):
        return None


def page_context(request: Request, user: auth.User | None, **values: Any) -> dict[str, Any]:
    """What every template gets: the user, their permissions, the CSRF token, the site title."""
    settings: Settings = request.app.state.settings
    return {
        "user": user,
        "can": permissions_of(user.role if user else None),
        "csrf": getattr(request.state, "csrf", ""),
        "site_title": settings.title,
        "path": request.url.path,
        **values,
    }


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return _error_response(request, exc.status, exc.code, exc.message)

    @app.exception_handler(DocketError)
    async def docket_error(request: Request, exc: DocketError) -> Response:
        status, code = status_of(exc)
        return _error_response(request, status, code, str(exc))

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request, 422, "invalid", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
            headers["allow"] = ", ".join(allowed_methods(request))
        return _error_response(request, exc.status_code, code, message, headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette still raises it on, so the server's log has the traceback
        at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        # a write's transaction rolls back on a failure, but one after its commit (answering)
        # leaves the change made: only a request that writes nothing can promise nothing changed
        changed = (
            "nothing was changed"
            if request.method in ("GET", "HEAD")
            else "look whether the change was made before trying again"
        )
        message = (
            f"the server failed on this request at {at} UTC; {changed}. "
            "Whoever runs it will find the error in its log"
        )
        return _error_response(request, 500, "server_error", message)

    @app.exception_handler(sa.exc.DataError)
    async def data_error(request: Request, exc: sa.exc.DataError) -> Response:
        return _error_response(request, 400, "bad_input", "a value is out of range for the store")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of this app answers at the request's path."""
    from starlette.routing import Match

    from docket.web import api, pages

    methods: set[str] = set()
    for route in [*api.router.routes, *pages.router.routes]:
        match, _ = route.matches({"type": "http", "path": request.url.path, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _validation_message(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors()[:5]:
        if error.get("type") == "json_invalid":
            problems.append("the body is not valid JSON")
            continue
        loc = tuple(error.get("loc", ()))
        if loc[:1] == ("path",) and error.get("type") == "int_parsing":
            # /incidents/abc: say it as a person would, not as the validator does
            name = str(loc[-1]).replace("_", " ")
            problems.append(f"{name} {error.get('input')!r} is not a number")
            continue
        where = " ".join(str(p) for p in loc if p not in ("body",))
        problems.append(f"{where or 'the body'}: {error.get('msg', 'invalid')}")
    return "; ".join(problems) or "the request is not valid"
