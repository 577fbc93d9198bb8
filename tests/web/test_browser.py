"""A real headless Chromium (Debian's) through the team's daily path; screenshots for people.

Screenshots land in ``test-output/screenshots/``. Playwright never downloads a browser here: it
drives ``/usr/bin/chromium``, and these tests skip when that is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.web.server import PASSWORD, Site, running_site

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("web-browser")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def log_in(page: object, site: Site, name: str) -> None:
    page.goto(site.url + "/")  # type: ignore[attr-defined]
    page.fill("#name", name)  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("h1:text('Dashboard')")  # type: ignore[attr-defined]


def test_browser_analyst_day(site: Site, browser: object, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(site.url + "/documents")
    assert page.url.startswith(site.url + "/login?next=")
    shot(page, "01-login")
    page.fill("#name", "analyst")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:text('Documents')")

    page.goto(site.url + "/")
    assert page.locator("svg.map circle.dot").count() == 2
    assert page.locator("svg.timeline rect.bar").count() == 2
    shot(page, "02-dashboard")

    # Upload a report written for this test.
    report = tmp_path / "ridge-road-clinic.txt"
    report.write_text(
        "A mortar round landed beside the Ridge Road clinic in Tell Amar on 2 May 2021, "
        "injuring two nurses. The clinic closed for the day.",
        encoding="utf-8",
    )
    page.goto(site.url + "/documents")
    page.set_input_files("#file", str(report))
    page.fill("#up-source", "Ridge Monitor")
    page.select_option("#up-kind", "monitor")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("text=Stored as document")
    assert "ridge-road-clinic.txt" in page.content()
    shot(page, "03-uploaded-document")

    # Full-text search finds it.
    page.goto(site.url + "/documents")
    page.fill("#q", "mortar nurses")
    page.click("form[role=search] button[type=submit]")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 1
    assert "Ridge Monitor" in rows.first.inner_text()
    shot(page, "04-documents-search")

    # A document's claims with their evidence highlighted.
    page.goto(f"{site.url}/documents/{site.seeded['documents'][0]}")
    assert page.locator(".doc-text mark.span").count() == 4
    assert page.locator("article.claim").count() == 1
    shot(page, "05-document-evidence")

    # Review: accept the first claim in the queue with a reason.
    page.goto(site.url + "/review")
    before = page.locator("article.claim").count()
    shot(page, "06-review-queue")
    first = page.locator("article.claim").first
    first.locator("input[name=reason]").fill("Figures match the clinic's own alert.")
    first.locator("button.accept").click()
    page.wait_for_load_state()
    assert page.locator("article.claim").count() == before - 1

    # Incident with every source side by side.
    page.goto(f"{site.url}/incidents/{site.seeded['incidents'][0]}")
    table = page.locator("table.side-by-side")
    assert table.locator("thead th").count() == 3
    shot(page, "07-incident")

    page.goto(f"{site.url}/claims/{site.seeded['claims'][0]}")
    assert "accepted" in page.locator("h1").inner_text()
    shot(page, "08-claim")

    # Generate a report and download it.
    page.goto(site.url + "/reports")
    page.click("form[action='/reports'] button[type=submit]")
    page.wait_for_selector("table.list tbody a")
    shot(page, "09-reports")
    with page.expect_download() as download:
        page.locator("table.list tbody a").first.click()
    saved = tmp_path / "report.html"
    download.value.save_as(saved)
    assert "Kfar Talis" in saved.read_text(encoding="utf-8")

    page.goto(site.url + "/incidents")
    shot(page, "10-incidents")
    context.close()


def test_browser_viewer_sees_only_published(site: Site, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    log_in(page, site, "viewer")
    nav = page.locator("header nav").inner_text()
    assert nav.split() == ["Dashboard", "Incidents", "Reports", "Exports"]
    page.goto(site.url + "/incidents")
    assert page.locator("table.list tbody tr").count() == 1
    response = page.goto(site.url + "/testimonies")
    assert response.status == 403
    shot(page, "11-viewer-forbidden")
    context.close()


def test_browser_api_docs_work_offline_under_the_page_policy(site: Site, browser: object) -> None:
    # Swagger UI comes from the app itself: no request leaves it, and the strict
    # content-security policy (no inline script) blocks nothing.
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    asked: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(site.url + "/api/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/incidents" in paths
    assert "/api/v1/documents" in paths
    assert [url for url in asked if not url.startswith(site.url)] == []
    assert blocked == []
    shot(page, "12-api-docs")
    context.close()
