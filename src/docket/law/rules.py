"""Legal rules as data: conditions over an incident's facts that mark a *potential* violation.

Rules live in ``data/law/rules.yaml`` (and ``$DOCKET_DATA/law/rules.yaml``, whose rules add to or
replace the built-in ones by id); treaty status in ``data/law/treaties.yaml``. A flag is an
assessment aid: it names the facts it rests on, what is still missing, the provisions it draws on,
which law binds which party, and the courts that could hear a case.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from docket import vocab
from docket.domain import Attribution, Incident
from docket.errors import ConfigError, one_line
from docket.law.facts import distance_km, facilities_of
from docket.law.treaties import Treaties, load_treaties


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    short: str
    assessment: str
    when: dict[str, Any]
    basis: list[dict[str, str]]
    missing: list[str]


@dataclass(frozen=True)
class RuleBook:
    rules: list[Rule]
    populated_targets: frozenset[str]
    populated_precisions: frozenset[str]
    weak_grades: frozenset[str]
    treaties: Treaties = field(repr=False)


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read legal rules ({one_line(exc)})") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping with 'rules:'")
    return raw


def _rule(path: Path, i: int, entry: Any) -> Rule:
    if not isinstance(entry, dict) or not entry.get("id") or not entry.get("when"):
        raise ConfigError(f"{path}: rule {i + 1} needs 'id' and 'when'")
    unknown = set(entry["when"]) - set(CONDITIONS)
    if unknown:
        raise ConfigError(
            f"{path}: rule {entry['id']!r} has unknown condition(s) {sorted(unknown)}; "
            f"known: {', '.join(sorted(CONDITIONS))}"
        )
    return Rule(
        id=str(entry["id"]),
        title=str(entry.get("title", entry["id"])),
        short=str(entry.get("short", entry.get("title", entry["id"]))),
        assessment=str(entry.get("assessment", f"Potential violation ({entry['id']})")),
        when=dict(entry["when"]),
        basis=[dict(b) for b in entry.get("basis") or []],
        missing=[str(m) for m in entry.get("missing") or []],
    )


@cache
def load_rules() -> RuleBook:
    """The built-in rules plus any in ``$DOCKET_DATA/law/rules.yaml``."""
    paths = [vocab.data_path("law/rules.yaml")]
    paths += [
        d / "law" / "rules.yaml" for d in vocab._user_dirs() if (d / "law/rules.yaml").exists()
    ]
    rules: dict[str, Rule] = {}
    populated: dict[str, Any] = {}
    weak: list[str] = []
    for path in paths:
        raw = _read(path)
        populated = raw.get("populated_area") or populated
        weak = raw.get("weak_grades") or weak
        for i, entry in enumerate(raw.get("rules") or []):
            rule = _rule(path, i, entry)
            rules[rule.id] = rule
    return RuleBook(
        rules=list(rules.values()),
        populated_targets=frozenset(populated.get("target_categories") or ()),
        populated_precisions=frozenset(populated.get("place_precisions") or ()),
        weak_grades=frozenset(weak),
        treaties=load_treaties(),
    )


# --- conditions ---------------------------------------------------------------------------------


CELL_DEGREES = 0.05  # grid for finding nearby exact points (about 5 km)


@dataclass
class Context:
    """What a condition may look at besides the incident: the rule book and the other incidents
    (indexed by site and map cell on first use, so repeated-strike checks stay linear)."""

    book: RuleBook
    others: Sequence[Incident] = ()
    _by_site: dict[tuple[str, dt.date], list[Incident]] | None = None
    _by_cell: dict[tuple[int, int, dt.date], list[Incident]] | None = None

    def _index(self) -> None:
        self._by_site, self._by_cell = defaultdict(list), defaultdict(list)
        for other in self.others:
            day = other.date_low
            if day is None:
                continue
            for key in site_keys(other):
                self._by_site[(key, day)].append(other)
            point = _site_point(other)
            if point:
                self._by_cell[(*_cell(point), day)].append(other)

    def same_site_candidates(self, incident: Incident, km: float, days: float) -> list[Incident]:
        """Other incidents within ``days`` sharing a site key with ``incident`` or near its
        exact point (looked up by day and map cell, never by scanning)."""
        if incident.date_low is None:
            return []
        if self._by_site is None or self._by_cell is None:
            self._index()
        assert self._by_site is not None and self._by_cell is not None
        window = [
            incident.date_low + dt.timedelta(days=d) for d in range(-int(days), int(days) + 1)
        ]
        found: dict[int, Incident] = {}
        for key in site_keys(incident):
            for day in window:
                for other in self._by_site.get((key, day), ()):
                    found[id(other)] = other
        point = _site_point(incident)
        if point:
            reach = 1 + int(km / (CELL_DEGREES * 111))
            x, y = _cell(point)
            for dx in range(-reach, reach + 1):
                for dy in range(-reach, reach + 1):
                    for day in window:
                        for other in self._by_cell.get((x + dx, y + dy, day), ()):
                            found[id(other)] = other
        return list(found.values())


def _cell(point: tuple[float, float]) -> tuple[int, int]:
    return (int(point[0] // CELL_DEGREES), int(point[1] // CELL_DEGREES))


Outcome = str | None  # the fact established, or None when the condition does not hold
Condition = Callable[[Incident, Any, Context], Outcome]


def _target_category(incident: Incident, wanted: list[str], _ctx: Context) -> Outcome:
    hit = [t for t in incident.targets if t.category in wanted]
    return f"target: {_targets_text(hit)}" if hit else None


def _target_protected(incident: Incident, kinds: list[str], _ctx: Context) -> Outcome:
    terms = vocab.targets()
    hit = [
        t
        for t in incident.targets
        if t.category in terms and terms[t.category]["protected"] in kinds
    ]
    if not hit:
        return None
    kind = ", ".join(sorted({str(terms[t.category]["protected"]) for t in hit}))
    return f"target: {_targets_text(hit)} (specially protected: {kind})"


def _target_civilian_object(incident: Incident, wanted: bool, _ctx: Context) -> Outcome:
    terms = vocab.targets()
    hit = [
        t for t in incident.targets if t.category in terms and terms[t.category]["civilian_object"]
    ]
    return (
        f"civilian object hit: {_targets_text(hit)}" if bool(hit) == bool(wanted) and hit else None
    )


def _weapon(incident: Incident, wanted: list[str], _ctx: Context) -> Outcome:
    hit = [w for w in incident.weapons if w in wanted]
    return f"weapon reported: {', '.join(hit)}" if hit else None


def _weapon_flag(incident: Incident, flag: str, _ctx: Context) -> Outcome:
    terms = vocab.weapons()
    hit = [w for w in incident.weapons if w in terms and terms[w][flag]]
    return f"weapon reported: {', '.join(hit)} ({flag})" if hit else None


def _populated_area(incident: Incident, wanted: bool, ctx: Context) -> Outcome:
    categories = [t.category for t in incident.targets if t.category in ctx.book.populated_targets]
    precision = incident.place.precision.value if incident.place else None
    place = incident.place.name if incident.place else None
    if incident.details.get("populated") is True or categories:
        why = f"{', '.join(categories)} struck" if categories else "populated per record"
        return f"populated area: {why}" + (f" in {place}" if place else "") if wanted else None
    if precision in ctx.book.populated_precisions and place:
        return f"populated area: located in {place} ({precision})" if wanted else None
    return None


def _facility_deconflicted(incident: Incident, wanted: bool, _ctx: Context) -> Outcome:
    shared = [f for f in facilities_of(incident) if f.deconflicted]
    if not shared or not wanted:
        return None
    names = ", ".join(f.name or f.type or "facility" for f in shared)
    return f"coordinates shared through deconfliction: {names}"


def _repeat_strike(incident: Incident, window: dict[str, float], ctx: Context) -> Outcome:
    days = float(window.get("days", 1))
    km = float(window.get("km", 0.5))
    candidates = ctx.same_site_candidates(incident, km, days)
    repeats = same_site_incidents(incident, candidates, days=days, km=km)
    if not repeats:
        return None
    ids = ", ".join(f"#{i.id}" for i in repeats)
    return f"same site struck again within {days:g} day(s): incident(s) {ids}"


CONDITIONS: dict[str, Condition] = {
    "target_category": _target_category,
    "target_protected": _target_protected,
    "target_civilian_object": _target_civilian_object,
    "weapon": _weapon,
    "weapon_flag": _weapon_flag,
    "populated_area": _populated_area,
    "facility_deconflicted": _facility_deconflicted,
    "repeat_strike": _repeat_strike,
}


def _targets_text(targets: Sequence[Any]) -> str:
    return ", ".join(f"{t.category} ({t.name})" if t.name else t.category for t in targets)


def site_keys(incident: Incident) -> set[str]:
    return {k for k in (f.key for f in facilities_of(incident)) if k}


def _sort_key(incident: Incident) -> tuple[dt.date, int]:
    return (incident.date_low or dt.date.min, incident.id or 0)


def same_site_incidents(
    incident: Incident, others: Sequence[Incident], *, days: float, km: float
) -> list[Incident]:
    """Other incidents that hit the same facility, or a point ``km`` from it, within ``days``."""
    if incident.date_low is None:
        return []
    keys = site_keys(incident)
    point = _site_point(incident)
    found = []
    for other in others:
        if other.id == incident.id or other.date_low is None:
            continue
        if abs((other.date_low - incident.date_low).days) > days:
            continue
        if keys & site_keys(other):
            found.append(other)
            continue
        there = _site_point(other)
        if point and there and distance_km(point, there) <= km:
            found.append(other)
    return sorted(found, key=_sort_key)


def _site_point(incident: Incident) -> tuple[float, float] | None:
    place = incident.place
    if place is None or place.lat is None or place.lon is None or place.precision.value != "site":
        return None
    return (place.lat, place.lon)


# --- assessment ---------------------------------------------------------------------------------


def evaluate(rule: Rule, incident: Incident, ctx: Context) -> list[str] | None:
    """The facts that make ``rule`` hold for ``incident``, or None when it does not."""
    facts = []
    for name, arg in rule.when.items():
        fact = CONDITIONS[name](incident, arg, ctx)
        if fact is None:
            return None
        facts.append(fact)
    return facts


def record_gaps(incident: Incident) -> list[str]:
    """What the record itself lacks, whatever the rule."""
    gaps = []
    if not incident.perpetrators:
        gaps.append("no perpetrator identified")
    elif all(p.attribution == Attribution.suspected for p in incident.perpetrators):
        gaps.append("attribution only suspected by the sources")
    if (
        len({f.source or f.document_id for f in incident.source_figures}) < 2
        and len(incident.claim_ids) < 2
    ):
        gaps.append("a single source; corroboration needed")
    if incident.grade in (
        None,
        "",
        "unverified",
        "weak",
        "low",
        "possible",
        "contested",
        "discounted",
    ):
        gaps.append(f"grade of evidence: {incident.grade or 'not graded'}")
    if incident.place is None or incident.place.precision.value in ("admin1", "country"):
        gaps.append("location not known to the site or settlement")
    if incident.killed.is_empty and incident.injured.is_empty:
        gaps.append("no casualty figures")
    return gaps


def assess(
    incident: Incident,
    others: Sequence[Incident] = (),
    book: RuleBook | None = None,
    ctx: Context | None = None,
) -> list[dict[str, Any]]:
    """The legal flags for ``incident`` (``others`` are the incidents repeat strikes look at;
    pass one ``ctx`` when assessing many incidents against the same others)."""
    book = book or (ctx.book if ctx else load_rules())
    ctx = ctx or Context(book, others)
    flags = []
    fora: list[str] | None = None
    gaps: list[str] | None = None
    for rule in book.rules:
        facts = evaluate(rule, incident, ctx)
        if facts is None:
            continue
        if fora is None or gaps is None:
            fora, gaps = book.treaties.fora(incident), record_gaps(incident)
        flags.append(
            {
                "rule": rule.id,
                "title": rule.title,
                "short": rule.short,
                "assessment": rule.assessment,
                "facts": facts,
                "missing": rule.missing + gaps,
                "basis": [book.treaties.describe_basis(b) for b in rule.basis],
                "parties": book.treaties.binding(incident, rule.basis),
                "fora": list(fora),
                "treaty_status_as_of": book.treaties.as_of,
            }
        )
    return flags
