"""The role matrix: every route as every role, allowed exactly when roles.yaml says so."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from tests.web.server import ROLES, Site, running_site

from docket.web import api, pages
from docket.web.roles import allowed, matrix, roles

# Routes anyone may reach: logging in and out, health, the API description.
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/healthz"),
}
CSRF = "role-matrix-csrf"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("web-roles")) as running:
        yield running


def route_permission(route: APIRoute) -> str | None:
    for dependency in route.dependant.dependencies:
        permission = getattr(dependency.call, "permission", None)
        if permission:
            return str(permission)
    return None


def all_routes() -> list[tuple[str, str, str]]:
    found = []
    for route in [*api.router.routes, *pages.router.routes]:
        if not isinstance(route, APIRoute):
            continue
        for method in sorted(route.methods - {"HEAD"}):
            permission = route_permission(route)
            if (method, route.path) in PUBLIC:
                assert permission is None
                continue
            assert permission, f"{method} {route.path} names no permission"
            found.append((method, route.path, permission))
    return found


ROUTES = all_routes()


def test_roles_every_permission_is_used_and_every_role_known() -> None:
    used = {permission for _, _, permission in ROUTES}
    # read_all narrows what read_published shows; identities are checked on the testimony page.
    assert used == set(matrix()) - {"incidents.read_all", "identities.read"}
    assert roles() == ROLES


def test_roles_viewer_never_reads_testimony_or_documents() -> None:
    for permission in ("testimonies.read", "identities.read", "documents.read", "claims.read"):
        assert not allowed("viewer", permission)


def _request(site: Site, method: str, path: str, role: str) -> dict[str, Any]:
    ids = {
        "{document_id}": site.seeded["documents"][0],
        "{claim_id}": site.seeded["claims"][1],
        "{incident_id}": site.seeded["incidents"][0],
        "{name}": "report-20990101-000000.html",
    }
    url = path
    for placeholder, value in ids.items():
        url = url.replace(placeholder, str(value))
    request: dict[str, Any] = {"method": method, "url": url}
    if method != "POST":
        return request
    upload = {
        "file": (f"matrix-{role}.txt", f"A shell hit a bakery ({role}).".encode(), "text/plain")
    }
    if path.startswith("/api/"):
        bodies: dict[str, Any] = {
            "/api/v1/documents": {"files": upload},
            "/api/v1/claims/{claim_id}/review": {
                "json": {"decision": "accept", "reason": "role matrix"}
            },
            "/api/v1/reports": {"json": {"title": "Matrix"}},
            "/api/v1/incidents/{incident_id}/publish": {
                "json": {"published": True, "reason": "role matrix"}
            },
            "/api/v1/incidents/{incident_id}/review": {
                "json": {"action": "accept", "reason": "role matrix", "claim_ids": [1]}
            },
        }
        request.update(bodies[path])
        return request
    forms: dict[str, dict[str, Any]] = {
        "/documents": {"files": upload},
        "/claims/{claim_id}/review": {"data": {"decision": "accept", "reason": "role matrix"}},
        "/reports": {"data": {"title": "Matrix"}},
        "/incidents/{incident_id}/publish": {"data": {"publish": "yes", "reason": "matrix"}},
        "/incidents/{incident_id}/review": {
            "data": {"action": "accept", "reason": "role matrix", "claim_ids": "1"}
        },
        "/account/token": {"data": {"label": "matrix"}},
        "/users": {"data": {"name": f"new-{role}", "role": "viewer", "password": "x" * 12}},
    }
    request.update(forms[path])
    request.setdefault("data", {})["csrf"] = CSRF
    return request


@pytest.mark.parametrize(
    ("route", "role"), list(itertools.product(ROUTES, ROLES)), ids=lambda v: str(v)
)
def test_roles_matrix_allows_and_denies(site: Site, route: tuple[str, str, str], role: str) -> None:
    method, path, permission = route
    with site.client(role) as client:
        client.cookies.set("docket_csrf", CSRF)
        response = client.request(**_request(site, method, path, role))
    if allowed(role, permission):
        assert response.status_code not in (401, 403), response.text[:300]
        assert response.status_code < 500, response.text[:300]
    else:
        assert response.status_code == 403
        if path.startswith("/api/"):
            assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("route", ROUTES, ids=lambda v: str(v))
def test_roles_anonymous_is_sent_to_login(site: Site, route: tuple[str, str, str]) -> None:
    method, path, _ = route
    with site.client() as client:
        response = client.request(**_request(site, method, path, "anon"))
    if path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
