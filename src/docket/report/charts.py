"""Charts and the map of a report, drawn with matplotlib into PNG bytes (nothing fetched).

The map draws country outlines and approximate first-level administrative areas shipped in
``data/report/boundaries.json`` (see ``scripts/make_boundaries.py``), then the incidents.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from docket import vocab  # noqa: E402
from docket.domain import Incident  # noqa: E402
from docket.report.findings import UNKNOWN_PERPETRATOR, Figure, Findings  # noqa: E402

PALETTE = ["#b2182b", "#2166ac", "#e08214", "#1b7837", "#762a83", "#8c510a", "#4d4d4d", "#01665e"]
GROUPS = {  # map colour by what was hit, from the target vocabulary's `protected` kind
    "medical": ("Medical", "#b2182b"),
    "education": ("Education", "#2166ac"),
    None: ("Other civilian sites", "#e08214"),
}
UNNAMED_COLOUR = "#8c8c8c"  # perpetrator unidentified, or one of the others: never a party's
MIN_MONTH_SLOTS = 6  # the timeline's x axis spans at least this many months' room
DPI = 110


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _style(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def all_months(keys: Sequence[str]) -> list[str]:
    """Every month from the first to the last of ``keys`` ("2019-11" .. "2020-02"), gaps filled."""
    if not keys:
        return []
    first, last = min(keys), max(keys)
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline_chart(findings: Findings, most: int = 6) -> bytes:
    """Incidents per month, stacked by alleged perpetrator (the ``most`` commonest, then others)."""
    months = all_months(list(findings.month_by_perpetrator))
    leaders = [f.label for f in findings.by_perpetrator[:most]]
    fig, ax = plt.subplots(figsize=(7.2, 2.8))
    bottom = np.zeros(len(months))
    series = leaders + (["Others"] if len(findings.by_perpetrator) > most else [])
    unnamed = (UNKNOWN_PERPETRATOR, "Others")
    named = [name for name in series if name not in unnamed]
    for name in series:
        values = np.array(
            [
                sum(
                    n
                    for p, n in findings.month_by_perpetrator.get(m, {}).items()
                    if (p == name) or (name == "Others" and p not in leaders)
                )
                for m in months
            ],
            dtype=float,
        )
        colour = UNNAMED_COLOUR if name in unnamed else PALETTE[named.index(name) % len(PALETTE)]
        ax.bar(range(len(months)), values, bottom=bottom, color=colour, label=name, width=0.8)
        bottom += values
    step = max(1, math.ceil(len(months) / 14))
    ax.set_xticks(range(0, len(months), step))
    ax.set_xticklabels([_month_label(m) for m in months[::step]], rotation=0)
    spare = max(0, MIN_MONTH_SLOTS - len(months)) / 2  # a month or two: bars keep their width
    ax.set_xlim(-0.5 - spare, len(months) - 0.5 + spare)
    ax.set_ylabel("incidents", fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if series and months:  # beside the plot, where no bar can be under it
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    _style(ax)
    return _png(fig)


def _month_label(key: str) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[int(key[5:7]) - 1]}\n{key[:4]}"


def bar_chart(figures: Sequence[Figure], colour: str, most: int = 10) -> bytes:
    """Horizontal bars: incidents per category (target, weapon ...), largest first."""
    shown = list(figures[:most])[::-1]
    fig, ax = plt.subplots(figsize=(3.5, 0.32 * max(len(shown), 2) + 0.6))
    ax.barh([f.label for f in shown], [f.count for f in shown], color=colour)
    for y, f in enumerate(shown):
        ax.text(f.count, y, f" {f.count:,}", va="center", fontsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("incidents", fontsize=8)
    _style(ax)
    return _png(fig)


@cache
def boundaries() -> dict[str, Any]:
    return json.loads(vocab.data_path("report/boundaries.json").read_text(encoding="utf-8"))


def _rings(geometry: dict[str, Any]) -> list[np.ndarray]:
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return [np.asarray(poly[0]) for poly in polygons if poly and len(poly[0]) > 2]


def _extent(points: np.ndarray) -> tuple[float, float, float, float]:
    lon0, lat0 = points.min(axis=0)
    lon1, lat1 = points.max(axis=0)
    pad = max(0.4, 0.15 * max(lon1 - lon0, lat1 - lat0))
    x0, x1, y0, y1 = lon0 - pad, lon1 + pad, lat0 - pad, lat1 + pad
    # Widen the narrower side so the map is about 4:3 (degrees of longitude shrink with latitude).
    squeeze = math.cos(math.radians((y0 + y1) / 2))
    width, height = (x1 - x0) * squeeze, y1 - y0
    if width < 4 / 3 * height:
        grow = (4 / 3 * height / squeeze - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    elif height < 3 / 4 * width:
        grow = (3 / 4 * width - height) / 2
        y0, y1 = y0 - grow, y1 + grow
    return x0, x1, y0, y1


def _overlaps(ring: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    x0, x1, y0, y1 = box
    return bool(
        ring[:, 0].max() >= x0
        and ring[:, 0].min() <= x1
        and ring[:, 1].max() >= y0
        and ring[:, 1].min() <= y1
    )


def _group(incident: Incident, kinds_by_target: dict[str, Any]) -> Any:
    kinds = [kinds_by_target.get(t.category) for t in incident.targets]
    for kind in ("medical", "education"):
        if kind in kinds:
            return kind
    return None


def incident_map(incidents: Sequence[Incident]) -> bytes | None:
    """The incidents over country and admin1 outlines; ``None`` when none has coordinates."""
    located = [
        i for i in incidents if i.place and i.place.lat is not None and i.place.lon is not None
    ]
    if not located:
        return None
    points = np.array([(i.place.lon, i.place.lat) for i in located if i.place])
    box = _extent(points)
    data = boundaries()
    fig, ax = plt.subplots(figsize=(7.2, 4.6))
    ax.set_facecolor("#dfe9f2")
    countries = [
        r for f in data["countries"]["features"] for r in _rings(f["geometry"]) if _overlaps(r, box)
    ]
    ax.add_collection(
        PolyCollection(countries, facecolor="#f4f1ea", edgecolor="#7f7f7f", linewidth=0.9)
    )
    in_view = [
        f
        for f in data["admin1"]["features"]
        if any(_overlaps(r, box) for r in _rings(f["geometry"]))
    ]
    admin_rings = [r for f in in_view for r in _rings(f["geometry"])]
    ax.add_collection(
        PolyCollection(
            admin_rings, facecolor="none", edgecolor="#a6a6a6", linewidth=0.5, linestyles=":"
        )
    )
    hit_areas = {i.place.admin1 for i in located if i.place and i.place.admin1}
    for feature in in_view:
        name = feature["properties"]["admin1"]
        ring = max(_rings(feature["geometry"]), key=len)
        x, y = ring[:, 0].mean(), ring[:, 1].mean()
        if box[0] < x < box[1] and box[2] < y < box[3]:
            bold = any(_same_area(name, a) for a in hit_areas)
            ax.text(
                x,
                y,
                name,
                fontsize=7 if bold else 6,
                color="#333333" if bold else "#8c8c8c",
                ha="center",
                va="center",
                weight="bold" if bold else "normal",
                alpha=0.8,
            )
    _draw_points(ax, located)
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_aspect(1 / math.cos(math.radians((box[2] + box[3]) / 2)))
    ax.tick_params(labelsize=7)
    ax.legend(
        fontsize=7,
        loc="lower left",
        framealpha=0.9,
        title="Target (size: killed)",
        title_fontsize=7,
    )
    return _png(fig)


def _draw_points(ax: Any, located: Sequence[Incident]) -> None:
    """Incidents as dots coloured by what was hit, sized by deaths; incidents at the same spot
    (to ~100 m; ~1 km past 5,000 incidents) are drawn as one dot, so 100,000 incidents draw
    about as fast as a few thousand."""
    terms = {k: t["protected"] for k, t in vocab.targets().items()}
    digits = 3 if len(located) <= 5000 else 2  # ~100 m, or ~1 km for very many incidents
    cells: dict[tuple[str, float, float], list[float]] = {}
    for incident in located:
        assert incident.place is not None
        key = (
            str(_group(incident, terms)),
            round(incident.place.lon or 0.0, digits),
            round(incident.place.lat or 0.0, digits),
        )
        cell = cells.setdefault(key, [0.0, 0.0])
        cell[0] += 1
        cell[1] += incident.killed.low or 0
    for kind, (label, colour) in GROUPS.items():
        chosen = [(k[1], k[2], v[0], v[1]) for k, v in cells.items() if k[0] == str(kind)]
        if not chosen:
            continue
        xs, ys, counts, killed = (np.array(c) for c in zip(*chosen, strict=True))
        ax.scatter(
            xs, ys, s=14 + 10 * np.sqrt(killed), c=colour, alpha=0.75, edgecolors="white",
            linewidths=0.5, label=f"{label} ({int(counts.sum()):,})", zorder=3,
        )  # fmt: skip


def _same_area(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return "".join(ch for ch in s.lower() if ch.isalpha())

    return norm(a) == norm(b)
