"""The evidence demo step: invented media and testimonies, then a passing verify."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console

import docket
from docket.demo import DemoContext
from docket.evidence import demo
from docket.intake import demo as intake_demo
from docket.store.schema import documents


def _run_steps(
    tmp_path: Path, before: Callable[[docket.Docket], None] = lambda db: None
) -> tuple[DemoContext, str]:
    """The intake step, ``before`` on its database, then the evidence step; and what it printed."""
    out = Console(file=open(tmp_path / "demo.log", "w"), width=200)  # noqa: SIM115
    path = tmp_path / "demo.db"
    with docket.open(path, actor="demo") as db:
        ctx = DemoContext(db, out, path, tmp_path / "outputs")
        intake_demo.run(ctx)
        before(db)
        demo.run(ctx)
    out.file.close()
    return ctx, (tmp_path / "demo.log").read_text()


def test_demo_adds_media_and_testimonies_and_verifies(tmp_path: Path) -> None:
    ctx, printed = _run_steps(tmp_path)
    with docket.open(tmp_path / "demo.db") as db:
        assert [e.filename for e in db.evidence_list()] == [
            "ariha-hospital-night.jpg",
            "ariha-hospital-repost.jpg",
            "sarmin-school-yard.jpg",
        ]
        assert [(t.pseudonym, t.role, t.place) for t in db.testimonies()] == [
            ("W-0001", "nurse", "Ariha"),
            ("W-0002", "teacher", "Sarmin"),
        ]
        assert db.evidence(1).metadata["exif"]["gps"] == {"lat": 35.8136, "lon": 36.6103}
        assert db.verify().ok
    log = " ".join(printed.split())  # rich wraps long lines
    assert "looks like evidence #1 (ariha-hospital-night.jpg) from Ariha Media Office" in log
    assert "11 originals, 11 documents, 3 evidence files, 2 testimonies, " in log
    assert log.rstrip().endswith("audit entries: passes")
    assert ctx.outputs["evidence folder"] == tmp_path / "demo.evidence"


def test_demo_names_what_does_not_verify(tmp_path: Path) -> None:
    def change_a_text(db: docket.Docket) -> None:
        with db.store.write() as conn:
            conn.execute(sa.update(documents).where(documents.c.id == 2).values(text="changed"))

    _, printed = _run_steps(tmp_path, change_a_text)
    lines = printed.splitlines()
    assert lines[-2].endswith("audit entries: 1 problem")
    assert lines[-1].startswith("  document 2: ")
