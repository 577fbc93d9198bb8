"""Hostile input on every form and endpoint: escaped, refused with a clear message, never stored
broken."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa
from tests.web.server import Site, csrf_of, running_site

from docket.store.schema import documents
from docket.web.uploads import safe_filename

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "' OR 1=1; DROP TABLE documents; --"
MAX_UPLOAD = 4000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("web-hostile"), max_upload=MAX_UPLOAD) as running:
        yield running


@pytest.fixture(scope="module")
def analyst(site: Site) -> Iterator[httpx.Client]:
    """One logged-in browser-like session for the many search cases."""
    with site.browser_client("analyst") as client:
        yield client


def _document_count(site: Site) -> int:
    with site.db.store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one())


def _no_raw_markup(response: httpx.Response) -> None:
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text


@pytest.mark.parametrize("value", [XSS, SQL, "%", "_", "\\", '"', "NEAR(", "*", "\u202e"])
@pytest.mark.parametrize(
    "path", ["/documents", "/incidents", "/claims", "/api/v1/documents", "/api/v1/places"]
)
def test_hostile_search_boxes_are_plain_text(
    site: Site, analyst: httpx.Client, path: str, value: str
) -> None:
    params = {"q": value} if path != "/claims" else {"review_status": value}
    response = analyst.get(path, params=params)
    if path == "/claims":
        assert response.status_code == 400
        assert "review status" in response.text
    else:
        assert response.status_code == 200
    _no_raw_markup(response)
    assert _document_count(site) >= 3


def test_hostile_sql_in_api_filters_finds_nothing(site: Site) -> None:
    with site.client("analyst") as client:
        for name in ("admin1", "event_type", "perpetrator", "target", "weapon"):
            body = client.get("/api/v1/incidents", params={name: SQL}).json()
            assert body["items"] == [], name
        graded = client.get("/api/v1/incidents", params={"grade": SQL}).json()
        assert graded["error"]["message"].startswith(f"grade {SQL!r} is not one of confirmed")
        assert client.get("/api/v1/documents", params={"source": SQL}).json()["items"] == []
    assert _document_count(site) >= 3


def test_hostile_upload_fields_are_stored_and_shown_escaped(site: Site) -> None:
    with site.browser_client("analyst") as client:
        token = csrf_of(client, "/documents")
        response = client.post(
            "/documents",
            data={"csrf": token, "source": XSS},
            files={"file": (f"{XSS}.txt", f"Shelling reported. {XSS}".encode(), "text/plain")},
        )
    assert response.status_code == 200
    _no_raw_markup(response)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text
    stored = site.db.documents(limit=1)[0]
    assert stored.source == XSS
    assert stored.filename == "script_img src_x onerror_alert_1_.txt"  # "/" ends a folder


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\boot\\report.md", "report.md"),
        ("/abs/path/report.html", "report.html"),
        ("nul\x00byte.txt", "nulbyte.txt"),
        ("  .hidden.txt", "hidden.txt"),
        ("résumé du rapport.txt", "r_sum_ du rapport.txt"),
    ],
)
def test_hostile_filenames_lose_their_folders(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../.bashrc", "unsupported file type '(none)'"),
        ("evil.exe", "unsupported file type '.exe'"),
        ("../", "has no usable file name"),
        ("", "has no usable file name"),
    ],
)
def test_hostile_filenames_refused_with_a_clear_message(
    site: Site, name: str, message: str
) -> None:
    before = _document_count(site)
    with site.client("analyst") as client:
        response = client.post(
            "/api/v1/documents", files={"file": (name, b"some text", "text/plain")}
        )
    assert response.status_code in (400, 422)
    if response.status_code == 400:
        assert message in response.json()["error"]["message"]
    assert _document_count(site) == before


def test_hostile_oversized_upload_is_refused(site: Site) -> None:
    before = _document_count(site)
    big = b"word " * (MAX_UPLOAD // 5 + 10)
    with site.client("analyst") as client:
        response = client.post("/api/v1/documents", files={"file": ("big.txt", big, "text/plain")})
    with site.browser_client("analyst") as client:
        token = csrf_of(client, "/documents")
        page = client.post(
            "/documents", data={"csrf": token}, files={"file": ("big.txt", big, "text/plain")}
        )
    assert response.status_code == 413
    assert response.json()["error"]["message"] == "the upload is larger than 0.004 MB; split it"
    assert page.status_code == 413
    assert "the upload is larger than 0.004 MB" in page.text
    assert _document_count(site) == before


def test_hostile_broken_json_upload_names_the_file(site: Site) -> None:
    with site.client("analyst") as client:
        response = client.post(
            "/api/v1/documents", files={"file": ("feed.json", b'{"text": ', "application/json")}
        )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("feed.json: ")


def test_hostile_latin1_upload_says_what_an_uploader_can_do(site: Site) -> None:
    text = "Bombardement signalé près du marché à l'aube.".encode("latin-1")
    with site.client("analyst") as client:
        response = client.post(
            "/api/v1/documents", files={"file": ("rapport.txt", text, "text/plain")}
        )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "rapport.txt: not valid utf-8 (byte 0xe9 at offset 19); save it as UTF-8 and upload it "
        "again"
    )


def test_hostile_bad_source_kind_and_url_are_refused(site: Site) -> None:
    with site.client("analyst") as client:
        kind = client.post(
            "/api/v1/documents",
            data={"source_kind": "spy"},
            files={"file": ("a.txt", b"text", "text/plain")},
        )
        url = client.post(
            "/api/v1/documents",
            data={"url": "javascript:alert(1)"},
            files={"file": ("a.txt", b"text", "text/plain")},
        )
    assert kind.json()["error"]["message"].startswith("a.txt: source kind 'spy' is unknown")
    assert (
        url.json()["error"]["message"]
        == "a.txt: URL 'javascript:alert(1)' is not an http(s) address"
    )


def test_hostile_review_reason_is_escaped(site: Site) -> None:
    claim_id = site.seeded["claims"][1]
    with site.browser_client("analyst") as client:
        token = csrf_of(client, "/review")
        response = client.post(
            f"/claims/{claim_id}/review",
            data={"decision": "accept", "reason": XSS, "csrf": token},
        )
        bad = client.post(
            f"/claims/{claim_id}/review",
            data={"decision": "delete", "reason": "x", "csrf": token},
        )
    assert response.status_code == 200
    _no_raw_markup(response)
    assert bad.status_code == 400
    assert "review decision &#39;delete&#39; is unknown; use accept or reject" in bad.text


def test_hostile_report_title_and_names(site: Site) -> None:
    with site.client("analyst") as client:
        made = client.post("/api/v1/reports", json={"title": XSS}).json()
        body = client.get(made["url"]).text
        tricks = [
            client.get(f"/api/v1/reports/{name}").status_code
            for name in ("..%2Fweb.db", "report-1.html", "%2e%2e%2fweb.db", "web.db")
        ]
    assert "<script>alert" not in body
    assert set(tricks) <= {400, 404, 422}


def test_hostile_login_next_cannot_leave_the_site(site: Site) -> None:
    with site.client() as client:
        token = csrf_of(client)
        response = client.post(
            "/login",
            data={
                "name": "viewer",
                "password": "long-enough-password",
                "csrf": token,
                "next": "//evil.example/",
            },
        )
        page = client.get("/login", params={"next": "https://evil.example/"})
    assert response.headers["location"] == "/"
    assert 'name="next" value="/"' in page.text


def test_hostile_user_names_are_refused(site: Site) -> None:
    with site.browser_client("admin") as client:
        token = csrf_of(client, "/users")
        response = client.post(
            "/users",
            data={"name": XSS, "role": "viewer", "password": "x" * 12, "csrf": token},
        )
        role = client.post(
            "/users",
            data={"name": "mona", "role": "root", "password": "x" * 12, "csrf": token},
        )
    assert response.status_code == 400
    _no_raw_markup(response)
    assert "is not allowed; use letters, digits" in response.text
    assert role.status_code == 400
    assert "unknown role &#39;root&#39;" in role.text


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/99999999999",
        "/api/v1/incidents?limit=100000",
        "/api/v1/incidents?offset=-1",
        "/api/v1/documents?q=" + "a" * 500,
        "/api/v1/exports/incidents?format=xlsx",
    ],
)
def test_hostile_out_of_range_parameters(site: Site, url: str) -> None:
    with site.client("analyst") as client:
        response = client.get(url)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
