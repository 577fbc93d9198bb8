"""The law and report demo steps, with and without incidents."""

from __future__ import annotations

import io

from rich.console import Console

from docket.demo import DemoContext
from docket.law import demo as law_demo
from docket.report import demo as report_demo
from findings_samples import store_samples


def _ctx(db, tmp_path) -> tuple[DemoContext, io.StringIO]:
    out = io.StringIO()
    ctx = DemoContext(db, Console(file=out, width=200), tmp_path / "d.db", tmp_path)
    return ctx, out


def test_demo_steps_skip_without_incidents(db, tmp_path) -> None:
    ctx, out = _ctx(db, tmp_path)
    law_demo.run(ctx)
    report_demo.run(ctx)
    assert out.getvalue().splitlines() == [
        "law  no incidents yet (linking has not run): skipped",
        "report  no incidents yet (linking has not run): skipped",
    ]
    assert ctx.outputs == {}


def test_demo_steps_assess_and_write_report(db, tmp_path) -> None:
    store_samples(db)
    ctx, out = _ctx(db, tmp_path)
    law_demo.run(ctx)
    report_demo.run(ctx)
    text = " ".join(out.getvalue().split())
    assert text.startswith(
        "law assessed 12 incidents; potential violations flagged: cluster_munitions_populated 1,"
    )
    assert "right of reply: Russian forces was asked on" in text
    assert "pattern: Same site struck repeatedly: Kafr Nabl Surgical Hospital" in text
    assert "report 12 attacks on hospitals, schools, clinics and other sites" in text
    assert sorted(ctx.outputs) == [
        "export (acled)", "export (geojson)", "export (json)", "report (HTML)", "report (PDF)",
    ]  # fmt: skip
    assert (tmp_path / "report.pdf").read_bytes()[:5] == b"%PDF-"
