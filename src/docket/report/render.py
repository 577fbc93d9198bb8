"""The HTML report (self-contained: charts and map embedded) and its PDF rendering (WeasyPrint)."""

from __future__ import annotations

import base64
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import sqlalchemy as sa
from markupsafe import Markup, escape

from docket.domain import Attribution, Incident, Range
from docket.law.patterns import find_patterns
from docket.law.replies import Reply, list_replies
from docket.law.treaties import load_treaties
from docket.report.findings import Comparison, Findings, compare_periods, compute_findings
from docket.report.headline import Headline, _wording, headline
from docket.report.scope import Scope, paused_gc, select_incidents

MAX_ROWS = 500


@dataclass
class Report:
    """A rendered report: its HTML, the figures and headline behind it."""

    html: str
    findings: Findings
    headline: Headline
    comparison: Comparison | None = None

    def write_html(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html, encoding="utf-8")
        return path

    def write_pdf(self, path: str | Path) -> Path:
        HTML = _weasyprint_html()  # noqa: N806 (the class, imported late: weasyprint is slow)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        HTML(string=self.html).write_pdf(str(path))
        return path


def _weasyprint_html() -> Any:
    """WeasyPrint's ``HTML``, imported without its side effect on Pillow: its import lets
    Pillow load truncated images everywhere in the process, and evidence checks must keep
    refusing them (a web app renders a PDF, then takes a cut-off photo as whole)."""
    from PIL import ImageFile

    strict = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        from weasyprint import HTML
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = strict
    return HTML


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("docket.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    return env.get_template("report.html.j2")


def _b64(png: bytes | None) -> str | None:
    return base64.b64encode(png).decode("ascii") if png else None


def rng(r: Range) -> str:
    if r.is_empty:
        return "—"
    if r.high is None:
        return f"≥{r.low:,}"
    return f"{r.low:,}" if r.low == r.high else f"{r.low or 0:,}–{r.high:,}"


def links(ids: Sequence[int], most: int = 12) -> Markup:
    shown = [Markup('<a href="#incident-{0}">#{0}</a>').format(i) for i in ids[:most]]
    more = f" and {len(ids) - most:,} more" if len(ids) > most else ""
    return Markup(", ").join(shown) + more


def _row(incident: Incident) -> dict[str, Any]:
    place = incident.place
    where = (
        f"{place.name}"
        + (f", {place.admin1}" if place and place.admin1 and place.admin1 != place.name else "")
        if place
        else "—"
    )
    date = incident.date_low.isoformat() if incident.date_low else "—"
    if incident.date_high and incident.date_high != incident.date_low:
        date += f" – {incident.date_high.isoformat()}"
    perps = [
        p.name + (" (suspected)" if p.attribution == Attribution.suspected else "")
        for p in incident.perpetrators
    ]
    sources = list(dict.fromkeys(f.source for f in incident.source_figures if f.source))
    return {
        "id": incident.id,
        "date": date,
        "place": where,
        "targets": ", ".join(t.name or t.category for t in incident.targets) or "—",
        "weapons": ", ".join(incident.weapons) or "—",
        "perpetrators": ", ".join(perps) or "unidentified",
        "killed": rng(incident.killed),
        "injured": rng(incident.injured),
        "grade": incident.grade or "—",
        "sources": "; ".join(sources) or f"{len(incident.claim_ids)} claim(s)",
        "flags": [f.get("short", f["rule"]) for f in incident.legal_flags],
    }


def _legal_sections(incidents: Sequence[Incident]) -> list[dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for incident in incidents:
        for flag in incident.legal_flags:
            entry = rules.setdefault(
                flag["rule"],
                {
                    "title": flag.get("title", flag["rule"]),
                    "assessment": flag.get("assessment", ""),
                    "basis": [f"{b['name']}: {b['provision']}" for b in flag.get("basis", [])],
                    "parties": {},
                    "fora": [],
                    "missing": [],
                    "ids": [],
                },
            )
            entry["ids"].append(incident.id)
            for party in flag.get("parties", []):
                entry["parties"].setdefault(party["party"], party)
            for forum in flag.get("fora", []):
                if forum not in entry["fora"]:
                    entry["fora"].append(forum)
            for gap in flag.get("missing", [])[:2]:
                if gap not in entry["missing"]:
                    entry["missing"].append(gap)
    ordered = sorted(rules.values(), key=lambda r: -len(r["ids"]))
    for entry in ordered:
        entry["parties"] = [{"unknown": [], **p} for p in entry["parties"].values()]
    return ordered


def methodology(conn: sa.Connection) -> dict[str, Any]:
    """Counts of the material behind the report: every table that exists among those listed."""
    present = set(sa.inspect(conn).get_table_names())
    counts = []
    for table, label in _wording()["methodology_tables"].items():
        if table in present:
            n = conn.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()
            counts.append((label, int(n)))
    by_kind: list[tuple[str, int]] = []
    if "documents" in present:
        docs = sa.table("documents", sa.column("source_kind"))
        by_kind = [
            (str(k), int(n))
            for k, n in conn.execute(
                sa.select(docs.c.source_kind, sa.func.count())
                .group_by(docs.c.source_kind)
                .order_by(sa.func.count().desc())
            )
        ]
    return {"counts": counts, "sources_by_kind": by_kind}


def _replies(conn: sa.Connection, incidents: Sequence[Incident]) -> list[Reply]:
    ids = {i.id for i in incidents}
    return [
        r
        for r in list_replies(conn)
        if r.incident_id in ids or (r.incident_id is None and r.finding)
    ]


def build_report(
    conn: sa.Connection,
    scope: Scope | None = None,
    *,
    title: str | None = None,
    compare: dt.date | None = None,
    max_rows: int = MAX_ROWS,
) -> Report:
    """Select the incidents in ``scope`` and render the whole report."""
    scope = scope or Scope()
    incidents = select_incidents(conn, scope)
    with paused_gc():
        return render_report(
            incidents, scope, conn=conn, title=title, compare=compare, max_rows=max_rows
        )


def render_report(
    incidents: Sequence[Incident],
    scope: Scope,
    *,
    conn: sa.Connection | None = None,
    title: str | None = None,
    compare: dt.date | None = None,
    max_rows: int = MAX_ROWS,
) -> Report:
    findings = compute_findings(incidents, scope)
    comparison = compare_periods(incidents, compare, scope) if compare else None
    from docket.report import charts  # matplotlib: loaded when a report is drawn, not at start-up

    head = headline(findings, comparison)
    flagged_any = any(i.legal_flags for i in incidents)
    targets_by_label: dict[str, int] = defaultdict(int)
    for f in findings.by_target:
        targets_by_label[f.label] += f.count
    html = _template().render(
        title=title or "Attacks on civilians and protected places",
        scope=scope.describe(),
        generated=dt.date.today().isoformat(),
        findings=findings,
        headline=head,
        comparison=comparison,
        map_png=_b64(charts.incident_map(incidents)),
        located=sum(1 for i in incidents if i.place and i.place.lat is not None),
        timeline_png=_b64(charts.timeline_chart(findings)),
        targets_png=_b64(charts.bar_chart(findings.by_target, "#b2182b")),
        weapons_png=_b64(charts.bar_chart(findings.by_weapon, "#2166ac")),
        breakdowns=[
            ("By alleged perpetrator", findings.by_perpetrator[:8]),
            ("By area (admin1)", findings.by_area[:10]),
        ],
        patterns=find_patterns(incidents, findings.spread),
        legal=_legal_sections(incidents) if flagged_any else [],
        treaty_as_of=load_treaties().as_of,
        replies=_replies(conn, incidents) if conn is not None else [],
        table_rows=[_row(i) for i in incidents[:max_rows]],
        methodology=methodology(conn)
        if conn is not None
        else {"counts": [], "sources_by_kind": []},
        rng=rng,
        links=links,
    )
    return Report(html, findings, head, comparison)


__all__ = ["Report", "build_report", "render_report", "escape"]
