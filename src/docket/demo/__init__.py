"""``docket demo``: build a demo database from invented sample material and run every stage.

Each stage contributes a step in ``docket/<stage>/demo.py`` with ``run(ctx: DemoContext)``; steps
run in the order of the data flow, and a stage without a demo module is passed over.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

import docket

STEPS = [
    "docket.intake.demo",
    "docket.extract.demo",
    "docket.geo.demo",
    "docket.link.demo",
    "docket.evidence.demo",
    "docket.law.demo",
    "docket.report.demo",
    "docket.web.demo",
]

SAMPLES = Path(__file__).parent


@dataclass
class DemoContext:
    """What every demo step gets: the open project, a console, and where to put outputs."""

    db: docket.Docket
    console: Console
    db_path: Path
    out_dir: Path
    samples: Path = SAMPLES
    outputs: dict[str, Any] = field(default_factory=dict)


def run_demo(db_path: Path, *, console: Console, serve: bool = False) -> DemoContext:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    out_dir = db_path.with_name(db_path.stem + "-outputs")
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(docket.open(db_path, actor="demo"), console, db_path, out_dir)
    with ctx.db:
        for name in STEPS:
            if importlib.util.find_spec(name) is None:
                continue
            importlib.import_module(name).run(ctx)
    console.print(f"\n[bold green]Demo database:[/bold green] {db_path}")
    for label, where in ctx.outputs.items():
        console.print(f"  {label}: {where}")
    console.print(f"Explore it: docket --db {db_path} stats | documents | show 1")
    if serve:
        serve_step: Any = importlib.import_module("docket.web.demo")
        serve_step.serve(ctx)
    return ctx
