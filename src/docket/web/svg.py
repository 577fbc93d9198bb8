"""Inline SVG drawings for the dashboard: an incidents map without tiles, and a timeline.

The map is drawn from the incidents' own coordinates (equirectangular, scaled to their bounding
box, with a light graticule), so nothing is fetched at run time.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup, escape

from docket.domain import Incident


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    label: str
    href: str
    grade: str


def incident_map(incidents: list[Incident], width: int = 640, height: int = 400) -> Markup:
    """Circles sized by people killed, one per located incident, with place labels."""
    located = [
        i for i in incidents if i.place and i.place.lat is not None and i.place.lon is not None
    ]
    if not located:
        return Markup(
            f'<svg class="map" viewBox="0 0 {width} {height}" role="img" '
            'aria-label="Map: no located incidents yet"><text x="50%" y="50%" '
            'text-anchor="middle" class="map-empty">No located incidents yet</text></svg>'
        )
    lats = [i.place.lat for i in located if i.place and i.place.lat is not None]
    lons = [i.place.lon for i in located if i.place and i.place.lon is not None]
    pad = 0.15
    lat0, lat1 = min(lats) - pad, max(lats) + pad
    lon0, lon1 = min(lons) - pad, max(lons) + pad
    squash = math.cos(math.radians((lat0 + lat1) / 2))
    scale = min((width - 40) / ((lon1 - lon0) * squash), (height - 40) / (lat1 - lat0))
    ox = (width - (lon1 - lon0) * squash * scale) / 2
    oy = (height - (lat1 - lat0) * scale) / 2

    def project(lat: float, lon: float) -> tuple[float, float]:
        return ox + (lon - lon0) * squash * scale, oy + (lat1 - lat) * scale

    parts = [
        f'<svg class="map" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Map of {len(located)} located incidents">',
        f'<rect width="{width}" height="{height}" class="map-bg"/>',
    ]
    parts += _graticule(lat0, lat1, lon0, lon1, project, width, height)
    labelled: set[str] = set()
    for incident in sorted(located, key=lambda i: -(i.killed_best or i.killed.low or 0)):
        place = incident.place
        assert place is not None and place.lat is not None and place.lon is not None
        x, y = project(place.lat, place.lon)
        killed = incident.killed_best or incident.killed.low or 0
        r = 4 + 2.2 * math.sqrt(killed)
        title = f"#{incident.id} {place.name} {incident.date_low or ''}: {killed} killed"
        grade = escape(incident.grade or "ungraded")
        parts.append(
            f'<a href="/incidents/{incident.id}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
            f'class="dot grade-{grade}"><title>{escape(title)}</title></circle></a>'
        )
        if place.name not in labelled and len(labelled) < 12:
            labelled.add(place.name)
            parts.append(
                f'<text x="{x + r + 3:.1f}" y="{y + 4:.1f}" class="map-label">'
                f"{escape(place.name)}</text>"
            )
    parts += _grade_legend([i.grade or "ungraded" for i in located], width)
    parts.append("</svg>")
    return Markup("".join(parts))


def _grade_legend(grades: list[str], width: int) -> list[str]:
    """The key to the circles' colours, most common grade first, in the top-right corner (the
    graticule is labelled along the left and bottom edges); a group the pointer passes
    through, so that a dot under it can still be clicked."""
    counts = Counter(grades).most_common()
    left = width - 116
    parts = [
        '<g class="map-key">',
        f'<rect x="{left}" y="6" width="110" height="{16 * len(counts) + 8}" class="map-legend"/>',
    ]
    for n, (grade, count) in enumerate(counts):
        y = 18 + 16 * n
        parts.append(
            f'<circle cx="{left + 10}" cy="{y}" r="5" class="key grade-{escape(grade)}"/>'
            f'<text x="{left + 20}" y="{y + 4}" class="map-label">{escape(grade)} ({count})</text>'
        )
    return [*parts, "</g>"]


def _degrees(value: float, positive: str, negative: str) -> str:
    """A graticule label: 35.50°N, 12.25°S, 36.75°E, 77.00°W."""
    return f"{abs(value):.2f}°{positive if value >= 0 else negative}"


def _graticule(lat0, lat1, lon0, lon1, project, width, height) -> list[str]:  # type: ignore[no-untyped-def]
    step = _step(max(lat1 - lat0, lon1 - lon0))
    lines = []
    lat = math.ceil(lat0 / step) * step
    while lat < lat1:
        _, y = project(lat, lon0)
        lines.append(f'<line x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        lines.append(
            f'<text x="4" y="{y - 3:.1f}" class="grid-label">{_degrees(lat, "N", "S")}</text>'
        )
        lat += step
    lon = math.ceil(lon0 / step) * step
    while lon < lon1:
        x, _ = project(lat0, lon)
        lines.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}" class="grid"/>')
        lines.append(
            f'<text x="{x + 3:.1f}" y="{height - 4}" class="grid-label">'
            f"{_degrees(lon, 'E', 'W')}</text>"
        )
        lon += step
    return lines


def _step(span: float) -> float:
    for step in (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 45):
        if span / step <= 6:
            return step
    return 90


def timeline(months: list[tuple[str, int]], width: int = 640, height: int = 160) -> Markup:
    """Bars of incidents per month."""
    if not months:
        return Markup(
            f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
            'aria-label="Timeline: no dated incidents yet"></svg>'
        )
    top = max(n for _, n in months)
    slot = (width - 40) / len(months)
    bar = min(48.0, max(2.0, slot * 0.7))
    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Incidents per month, {months[0][0]} to {months[-1][0]}">'
    ]
    every = max(1, len(months) // 8)
    for index, (month, count) in enumerate(months):
        h = (height - 40) * count / top
        x = 20 + index * slot + (slot - bar) / 2
        y = height - 22 - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" class="bar">'
            f"<title>{escape(month)}: {count} incidents</title></rect>"
        )
        if index % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                f'class="axis-label">{escape(month)}</text>'
            )
        if len(months) <= 24:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'class="bar-label">{count}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
