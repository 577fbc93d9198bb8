"""The web app and API over a real uvicorn server on loopback."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from tests.web.server import PASSWORD, Site, csrf_of, login, running_site

from docket.domain import Incident
from docket.store.audit import entries_for
from docket.store.incidents import insert_incidents
from docket.web import data
from docket.web.auth import LoginThrottle


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("web-app")) as running:
        yield running


def test_app_api_lists_incidents_with_pagination(site: Site) -> None:
    with site.client("analyst") as client:
        first = client.get("/api/v1/incidents", params={"limit": 1}).json()
        second = client.get("/api/v1/incidents", params={"limit": 1, "offset": 1}).json()
    assert [i["place"]["name"] for i in first["items"]] == ["Kfar Talis"]
    assert (first["limit"], first["offset"], first["next_offset"]) == (1, 0, 1)
    assert [i["place"]["name"] for i in second["items"]] == ["Bab Salam"]
    assert second["next_offset"] is None


def test_app_viewer_sees_published_incidents_only(site: Site) -> None:
    draft = site.seeded["incidents"][1]
    with site.client("viewer") as client:
        listed = client.get("/api/v1/incidents").json()["items"]
        hidden = client.get(f"/api/v1/incidents/{draft}")
        shown = client.get(f"/api/v1/incidents/{site.seeded['incidents'][0]}").json()
    assert [i["id"] for i in listed] == [site.seeded["incidents"][0]]
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"
    assert shown["claims"] is None
    assert shown["incident"]["killed_best"] == 5


def test_app_incident_search_by_place_prefix(site: Site) -> None:
    with site.client("analyst") as client:
        found = client.get("/api/v1/incidents", params={"q": "bab"}).json()["items"]
        none = client.get("/api/v1/incidents", params={"q": "zzz"}).json()["items"]
    assert [i["place"]["name"] for i in found] == ["Bab Salam"]
    assert none == []


def test_app_incident_detail_has_every_source_claim(site: Site) -> None:
    incident_id = site.seeded["incidents"][0]
    with site.client("analyst") as client:
        body = client.get(f"/api/v1/incidents/{incident_id}").json()
    assert [c["id"] for c in body["claims"]] == site.seeded["claims"][:2]
    assert body["incident"]["grade_reasons"] == ["two independent sources", "place named by both"]


def test_app_document_full_text_search_ranks_matches(site: Site) -> None:
    with site.client("analyst") as client:
        market = client.get("/api/v1/documents", params={"q": "vegetable market"}).json()
        clinic = client.get("/api/v1/documents", params={"q": "clinic"}).json()
        tricky = client.get("/api/v1/documents", params={"q": 'clinic" OR "market'})
    assert [d["title"] for d in market["items"]] == ["Air strike on Bab Salam market kills 12"]
    assert sorted(d["id"] for d in clinic["items"]) == site.seeded["documents"][:2]
    assert tricky.status_code == 200
    assert tricky.json()["items"] == []


def test_app_errors_have_one_json_shape(site: Site) -> None:
    with site.client("analyst") as client:
        missing = client.get("/api/v1/claims/999999")
        invalid = client.get("/api/v1/incidents", params={"since": "yesterday"})
        nowhere = client.get("/api/v1/nothing-here")
        unknown_grade = client.get("/api/v1/incidents", params={"grade": "probable"})
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": "no claim with id 999999; `docket claims` lists them",
        }
    }
    assert unknown_grade.status_code == 400
    assert unknown_grade.json()["error"]["message"] == (
        "grade 'probable' is not one of confirmed, contested, discounted, fair, weak"
    )
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "invalid"
    assert invalid.json()["error"]["message"].startswith("query since:")
    assert nowhere.json()["error"] == {
        "status": 404,
        "code": "not_found",
        "message": "no page at /api/v1/nothing-here",
    }


def test_app_a_bad_body_is_named_in_its_error(site: Site) -> None:
    claim_id = site.seeded["claims"][0]
    with site.client("analyst") as client:
        broken = client.post(
            f"/api/v1/claims/{claim_id}/review",
            content=b'{"decision": accept',
            headers={"content-type": "application/json"},
        )
        listed = client.post(f"/api/v1/claims/{claim_id}/review", json=["accept", "why"])
    assert broken.json()["error"]["message"] == "the body is not valid JSON"
    assert listed.json()["error"]["message"] == (
        "the body: Input should be a valid dictionary or object to extract fields from"
    )


def test_app_a_mistyped_address_keeps_the_menu(site: Site) -> None:
    with site.browser_client("analyst") as client:
        page = client.get("/incidnets")
        wrong_id = client.get("/incidents/abc")
    assert page.status_code == 404
    assert "no page at /incidnets" in page.text
    assert wrong_id.status_code == 422
    assert 'role="alert">incident id &#39;abc&#39; is not a number</p>' in wrong_id.text
    assert '<a href="/incidents"' in page.text


def test_app_a_server_failure_is_a_page_and_a_json_error(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    with site.browser_client("analyst") as client:
        monkeypatch.setattr(data, "dashboard", broken)  # after the login's own visit to it
        page = client.get("/")
    monkeypatch.setattr(data, "list_claims", broken)
    monkeypatch.setattr(data, "review_claim", broken)
    claim = site.seeded["claims"][0]
    with site.client("analyst") as client:
        api = client.get("/api/v1/claims")
    with site.client("analyst") as client:  # uvicorn closes a connection a failure answered
        write = client.post(
            f"/api/v1/claims/{claim}/review", json={"decision": "accept", "reason": "seen"}
        )
    assert (page.status_code, api.status_code, write.status_code) == (500, 500, 500)
    assert "500 · server error" in page.text and '<a href="/incidents"' in page.text
    assert "nothing was changed. Whoever runs it will find the error in its log" in page.text
    assert api.json()["error"]["code"] == "server_error"
    # a failed write may have failed after its commit: it promises nothing
    assert (
        "; look whether the change was made before trying again."
        in (write.json()["error"]["message"])
    )


def test_app_incident_review_errors_name_the_api_fields(site: Site) -> None:
    incident = site.seeded["incidents"][0]
    with site.client("analyst") as client:
        split = client.post(
            f"/api/v1/incidents/{incident}/review", json={"action": "split", "reason": "two"}
        )
        merge = client.post(
            f"/api/v1/incidents/{incident}/review", json={"action": "merge", "reason": "one"}
        )
    claims = ", ".join(map(str, site.seeded["claims"][:2]))
    assert split.json()["error"]["message"] == (
        "name the claims to split off (--claim, or claim_ids in the API): some, not all, "
        f"claims of incident {incident} (its claims: {claims})"
    )
    assert merge.json()["error"]["message"] == (
        "merge needs the incidents to merge into this one (--other, or other_ids in the API)"
    )


def test_app_unknown_token_is_refused(site: Site) -> None:
    with site.client() as client:
        response = client.get("/api/v1/me", headers={"authorization": "Bearer dk_wrong"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["message"] == "the API token is unknown or revoked"


def test_app_review_via_api_is_audited(site: Site) -> None:
    claim_id = site.seeded["claims"][2]
    with site.client("analyst") as client:
        reviewed = client.post(
            f"/api/v1/claims/{claim_id}/review",
            json={"decision": "reject", "reason": "the market was hit a day earlier"},
        )
        empty = client.post(
            f"/api/v1/claims/{claim_id}/review", json={"decision": "accept", "reason": ""}
        )
    assert reviewed.status_code == 200
    assert reviewed.json()["review_status"] == "rejected"
    assert empty.status_code == 422
    with site.db.store.read() as conn:
        history = entries_for(conn, "claim", claim_id)
    assert (history[-1]["actor"], history[-1]["action"], history[-1]["reason"]) == (
        "web:analyst",
        "review",
        "the market was hit a day earlier",
    )


def test_app_login_sets_safe_cookie_and_logout_ends_it(site: Site) -> None:
    with site.client() as client:
        response = login(client, "analyst", PASSWORD)
        cookie = response.headers["set-cookie"]
        dashboard = client.get("/")
        token = csrf_of(client, "/")
        client.post("/logout", data={"csrf": token})
        after = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert "docket_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie
    assert dashboard.status_code == 200
    assert "<h1>Dashboard</h1>" in dashboard.text
    assert after.status_code == 303
    assert after.headers["location"] == "/login?next=%2F"


def test_app_cookie_is_secure_behind_tls_proxy(site: Site) -> None:
    with site.client() as client:
        token = csrf_of(client)
        response = client.post(
            "/login",
            data={"name": "viewer", "password": PASSWORD, "csrf": token},
            headers={"x-forwarded-proto": "https"},
        )
    assert "Secure" in response.headers["set-cookie"]


def test_app_forms_without_csrf_are_refused(site: Site) -> None:
    claim_id = site.seeded["claims"][0]
    with site.browser_client("analyst") as client:
        response = client.post(
            f"/claims/{claim_id}/review", data={"decision": "accept", "reason": "fine"}
        )
        api = client.post(
            f"/api/v1/claims/{claim_id}/review", json={"decision": "accept", "reason": "ok"}
        )
    assert response.status_code == 403
    assert "this form expired or came from another site" in response.text
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "csrf"


def test_app_review_form_accepts_claim(site: Site) -> None:
    claim_id = site.seeded["claims"][0]
    with site.browser_client("analyst") as client:
        token = csrf_of(client, "/review")
        response = client.post(
            f"/claims/{claim_id}/review",
            data={"decision": "accept", "reason": "matches the NGO alert", "csrf": token},
        )
        page = client.get(f"/claims/{claim_id}")
    assert response.status_code == 200  # followed the redirect to the claim
    assert 'class="badge status-accepted">accepted</span>' in page.text
    assert "“matches the NGO alert”" in page.text


def test_app_login_is_throttled(tmp_path: Path) -> None:
    throttle = LoginThrottle(limit=2, window=60)
    throttle.failed("name:a", "ip:1")
    assert throttle.blocked_for("name:a", "ip:1") == 0
    throttle.failed("name:a", "ip:1")
    assert throttle.blocked_for("name:a", "ip:1") > 59
    assert throttle.blocked_for("name:b", "ip:1") == 0
    with running_site(tmp_path, login_limit=3) as small, small.client() as client:
        codes = [login(client, "viewer", "wrong-password").status_code for _ in range(4)]
        right = login(client, "viewer", PASSWORD)
    assert codes == [401, 401, 401, 429]
    assert right.status_code == 429
    assert "too many failed logins" in right.text


def test_app_totp_is_required_once_enabled(site: Site) -> None:
    site.db.add_user("two-step", "viewer", PASSWORD)
    uri = site.db.enable_totp("two-step")
    secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)  # type: ignore[union-attr]
    with site.client() as client:
        without = login(client, "two-step", PASSWORD)
        wrong = login(client, "two-step", PASSWORD, "000000")
        right = login(client, "two-step", PASSWORD, pyotp.TOTP(secret).now())
    assert (without.status_code, wrong.status_code, right.status_code) == (401, 401, 303)


def test_app_upload_stores_document_and_redirects(site: Site) -> None:
    with site.browser_client("analyst") as client:
        token = csrf_of(client, "/documents")
        response = client.post(
            "/documents",
            data={"csrf": token, "source": "Valley Monitor", "source_kind": "monitor"},
            files={
                "file": (
                    "valley-update.txt",
                    b"Two shells fell near the water station in Deir Hafer on Monday.",
                    "text/plain",
                )
            },
        )
    assert response.status_code == 200
    assert "Stored as document #4." in response.text
    assert "none yet: new claims join incidents when the link stage next runs" in response.text
    assert site.db.document(4).source == "Valley Monitor"
    assert site.db.document(4).filename == "valley-update.txt"


def test_app_document_page_highlights_evidence(site: Site) -> None:
    with site.browser_client("analyst") as client:
        page = client.get(f"/documents/{site.seeded['documents'][0]}")
    assert (
        '<mark class="span" data-fields="weapons" title="weapons (claim 1)">Artillery shells</mark>'
        in page.text
    )
    assert (
        'data-fields="killed" title="killed (claim 1)">killing four civilians</mark>' in page.text
    )


def test_app_incident_page_shows_sources_side_by_side(site: Site) -> None:
    with site.browser_client("analyst") as client:
        page = client.get(f"/incidents/{site.seeded['incidents'][0]}")
    assert "Every source's version, side by side" in page.text
    assert page.text.count('<th scope="row">Killed</th>') == 1
    assert "two independent sources" in page.text
    assert "Attack on a medical unit" in page.text
    assert '4–5 <span class="muted">(best 5)</span>' in page.text


def test_app_report_generation_and_download(site: Site) -> None:
    with site.client("analyst") as client:
        made = client.post("/api/v1/reports", json={"title": "March <b>bulletin</b>"})
        listed = client.get("/api/v1/reports").json()
        body = client.get(made.json()["url"])
        tricks = client.get("/api/v1/reports/..%2F..%2Fweb.db")
    assert made.status_code == 201
    assert re.fullmatch(r"report-\d{8}-\d{6}(-\d+)?\.html", made.json()["name"])
    assert made.json()["name"] in [r["name"] for r in listed]
    assert "<h1>March &lt;b&gt;bulletin&lt;/b&gt;</h1>" in body.text
    assert "Kfar Talis" in body.text
    assert "Bab Salam" not in body.text  # a draft incident stays out of reports
    assert tricks.status_code in (400, 404, 422)


def test_app_exports_csv_for_viewer_are_published_only(site: Site) -> None:
    with site.client("viewer") as client:
        response = client.get("/api/v1/exports/incidents", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert [(r["place"], r["killed_best"], r["perpetrators"]) for r in rows] == [
        ("Kfar Talis", "5", "Northern Brigade")
    ]


def test_app_pages_send_security_headers(site: Site) -> None:
    with site.client() as client:
        page = client.get("/login")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "docket_csrf=" in page.headers["set-cookie"]


def test_app_dashboard_draws_map_and_timeline(site: Site) -> None:
    with site.browser_client("analyst") as client:
        page = client.get("/")
    assert 'aria-label="Map of 2 located incidents"' in page.text
    assert 'aria-label="Incidents per month, 2021-03 to 2021-04"' in page.text
    assert page.text.count('class="bar"') == 2


def test_app_dashboard_says_what_the_map_leaves_out(tmp_path: Path) -> None:
    with running_site(tmp_path) as own:
        with own.db.store.write() as conn:
            insert_incidents(conn, [Incident(grade="discounted")], "tester")
        with own.browser_client("analyst") as client:
            page = client.get("/")
    assert "1 of 3 incidents have no coordinates and are not drawn." in page.text
    assert "1 of 3 incidents have no date and are not counted." in page.text
    assert re.search(r"<td>—</td><td><a href=\"/incidents/3\">unknown place</a>", page.text)


def test_app_witness_accounts_only_for_investigators(site: Site) -> None:
    site.db.ingest([_witness_file(site)])
    witness = [d for d in site.db.documents(limit=None) if d.source_kind.value == "witness"][0]
    with site.client("analyst") as client:
        listed = client.get("/api/v1/documents", params={"q": "orchard"}).json()["items"]
        detail = client.get(f"/api/v1/documents/{witness.id}")
        exported = client.get("/api/v1/exports/documents", params={"format": "json"}).json()
    with site.client("investigator") as client:
        seen = client.get("/api/v1/documents", params={"q": "orchard"}).json()["items"]
        opened = client.get(f"/api/v1/documents/{witness.id}")
    with site.browser_client("analyst") as client:
        analyst_page = client.get("/documents")
    with site.browser_client("investigator") as client:
        investigator_page = client.get("/documents")
    assert listed == []
    assert detail.status_code == 404
    assert witness.id not in [d["id"] for d in exported]
    assert "Interview W-7" not in analyst_page.text  # not even as a source to filter by
    assert "<option>Interview W-7</option>" in investigator_page.text
    assert [d["id"] for d in seen] == [witness.id]
    assert opened.json()["text"].startswith("I was in the orchard")


def _witness_file(site: Site) -> Path:
    import json

    path = site.reports_dir.parent / "witness-account.json"
    path.write_text(
        json.dumps(
            {
                "source": "Interview W-7",
                "source_kind": "witness",
                "title": "Interview with a farmer",
                "text": "I was in the orchard when the second shell landed near the clinic.",
            }
        ),
        encoding="utf-8",
    )
    return path


def test_app_publishing_is_audited_and_shows_to_viewers(site: Site) -> None:
    draft = site.seeded["incidents"][1]
    with site.client("analyst") as client:
        empty = client.post(
            f"/api/v1/incidents/{draft}/publish", json={"published": True, "reason": " "}
        )
        done = client.post(
            f"/api/v1/incidents/{draft}/publish",
            json={"published": True, "reason": "two sources now agree"},
        )
    with site.client("viewer") as client:
        seen = client.get(f"/api/v1/incidents/{draft}")
    with site.client("analyst") as client:
        client.post(
            f"/api/v1/incidents/{draft}/publish",
            json={"published": False, "reason": "withdrawn pending a third source"},
        )
    with site.db.store.read() as conn:
        actions = [(h["action"], h["reason"]) for h in entries_for(conn, "incident", draft)]
    assert empty.status_code == 400
    assert done.json()["published"] is True
    assert seen.status_code == 200
    assert actions[-2:] == [
        ("publish", "two sources now agree"),
        ("unpublish", "withdrawn pending a third source"),
    ]
