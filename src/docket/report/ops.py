"""Operations of the report stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docket._ops import Ops
from docket.report.exports import writer_for
from docket.report.findings import Comparison, Findings, compare_periods, compute_findings
from docket.report.render import Report, build_report
from docket.report.scope import Scope, paused_gc, select_incidents


class ReportOps(Ops):
    def findings(self, scope: Scope | None = None) -> Findings:
        """Totals, breakdowns and facility impact over the incidents in ``scope``."""
        with self.store.read() as conn, paused_gc():
            return compute_findings(select_incidents(conn, scope or Scope()), scope)

    def compare(self, pivot: dt.date, scope: Scope | None = None) -> Comparison:
        """Findings before ``pivot`` and from ``pivot`` on (e.g. a ceasefire date)."""
        with self.store.read() as conn, paused_gc():
            return compare_periods(select_incidents(conn, scope or Scope()), pivot, scope)

    def report(
        self,
        scope: Scope | None = None,
        *,
        html: str | Path | None = None,
        pdf: str | Path | None = None,
        title: str | None = None,
        compare: dt.date | None = None,
    ) -> Report:
        """Build the report over ``scope``; write it as HTML and/or PDF when paths are given."""
        with self.store.read() as conn:
            report = build_report(conn, scope, title=title, compare=compare)
        if html:
            report.write_html(html)
        if pdf:
            report.write_pdf(pdf)
        return report

    def export(self, fmt: str, out: str | Path | None = None, scope: Scope | None = None) -> int:
        """Write the incidents in ``scope`` as ``acled``, ``ucdp``, ``geojson``, ``hxl`` or
        ``json`` to ``out`` (stdout when ``None``); returns how many were written."""
        write = writer_for(fmt)
        with self.store.read() as conn:
            incidents = select_incidents(conn, scope or Scope())
        if out is None:
            return write(incidents, sys.stdout)
        buffer = io.StringIO()
        with paused_gc():
            count = write(incidents, buffer)
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        return count
