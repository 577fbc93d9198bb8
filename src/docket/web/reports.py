"""Report files the web app generates and serves.

When the report stage is installed (``Docket.report`` and ``docket.report.scope``), it writes
the report over the published incidents; otherwise the web app writes its own HTML summary. Files
live in one folder and are served only by a name that matches :data:`NAME`, never a path.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from docket import Docket
from docket.errors import InputError, NotFoundError
from docket.store import incidents as incident_store

# Reports carry their own inline styles and embedded images, never scripts.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"

NAME = re.compile(r"^report-\d{8}-\d{6}(?:-\d+)?\.(html|pdf)$")


@dataclass(frozen=True)
class ReportFile:
    name: str
    size: int
    created: dt.datetime


def list_reports(folder: Path) -> list[ReportFile]:
    if not folder.is_dir():
        return []
    found = [
        ReportFile(p.name, p.stat().st_size, dt.datetime.fromtimestamp(p.stat().st_mtime, dt.UTC))
        for p in folder.iterdir()
        if NAME.match(p.name)
    ]
    return sorted(found, key=lambda r: r.name, reverse=True)


def report_path(folder: Path, name: str) -> Path:
    """The file of report ``name``; names that are not plain report names are refused."""
    if not NAME.match(name):
        raise InputError(f"{name!r} is not a report name (report-YYYYMMDD-HHMMSS.html)")
    path = folder / name
    if not path.is_file():
        raise NotFoundError(f"no report {name!r}; the reports page lists them")
    return path


def _new_name(folder: Path, suffix: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = folder / f"report-{stamp}.{suffix}"
    counter = 1
    while path.exists():
        path = folder / f"report-{stamp}-{counter}.{suffix}"
        counter += 1
    return path


def generate_report(db: Docket, folder: Path, env: Environment, title: str) -> ReportFile:
    """Write a report of the published incidents into ``folder`` and return its file."""
    folder.mkdir(parents=True, exist_ok=True)
    title = title.strip()[:200] or "Published incidents"
    report = getattr(db, "report", None)
    if callable(report) and importlib.util.find_spec("docket.report.scope") is not None:
        scope: Any = importlib.import_module("docket.report.scope")
        path = _new_name(folder, "html")
        report(scope.Scope(published_only=True), html=path, title=title)
        return ReportFile(path.name, path.stat().st_size, dt.datetime.now(dt.UTC))
    path = _new_name(folder, "html")
    with db.store.read() as conn:
        published = incident_store.list_incidents(conn, published=True, limit=None)
    html = env.get_template("report.html").render(
        title=title, incidents=published, generated=dt.datetime.now(dt.UTC)
    )
    path.write_text(html, encoding="utf-8")
    return ReportFile(path.name, path.stat().st_size, dt.datetime.now(dt.UTC))
