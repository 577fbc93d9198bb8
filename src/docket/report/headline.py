"""Headline sentences generated from findings, each number footnoted to its incidents.

"12 attacks on hospitals, schools and clinics between May 2019 and March 2020, most in February
2020; two hospitals and one clinic forced to close; cluster munitions used on a school in Idlib."
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from docket import vocab
from docket.domain import Incident, Range
from docket.report.findings import UNKNOWN_PERPETRATOR, Comparison, Findings


@dataclass
class Note:
    """A footnote: what a number counts and the incidents behind it."""

    number: int
    label: str
    incident_ids: list[int]


@dataclass
class Sentence:
    """Text with ``{n}`` markers where footnote numbers go (``parts`` alternate text and notes)."""

    parts: list[str | Note] = field(default_factory=list)

    def text(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))


@dataclass
class Headline:
    sentences: list[Sentence]
    notes: list[Note]

    def text(self) -> str:
        return " ".join(s.text() for s in self.sentences)


@cache
def _wording() -> dict[str, Any]:
    return vocab.load_yaml("report/wording.yaml")


def number(n: int) -> str:
    """Numbers one to ten in words, larger ones in figures (house style for headlines)."""
    words = _wording()["numbers"]
    return words[n] if 0 <= n < len(words) else f"{n:,}"


def noun(kind: str, key: str, n: int) -> str:
    entry = _wording().get(kind, {}).get(key)
    if entry:
        return str(entry["one"] if n == 1 else entry["many"])
    terms = vocab.targets() if kind == "targets" else vocab.weapons()
    name = (terms[key].name if key in terms else key).lower()
    return name if n == 1 else f"{name}s"


def join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def month_name(key: str) -> str:
    return dt.date.fromisoformat(key + "-01").strftime("%B %Y")


def months_phrase(keys: list[str]) -> str:
    """["2020-01", "2020-02"] → "January and February 2020"."""
    keys = sorted(keys)
    years = {k[:4] for k in keys}
    if len(years) == 1:
        names = [dt.date.fromisoformat(k + "-01").strftime("%B") for k in keys]
        return f"{join(names)} {keys[0][:4]}"
    return join([month_name(k) for k in keys])


def range_words(r: Range) -> str:
    if r.low == r.high:
        return f"{r.low:,}"
    return f"{r.low or 0:,} to {r.high:,}" if r.high is not None else f"at least {r.low:,}"


class _Writer:
    def __init__(self) -> None:
        self.notes: list[Note] = []

    def note(self, label: str, ids: list[int]) -> Note:
        note = Note(len(self.notes) + 1, label, sorted(set(ids)))
        self.notes.append(note)
        return note


def _targets_phrase(findings: Findings) -> str:
    chosen = list(findings.scope.targets) or [f.key for f in findings.by_target]
    counted = [k for k in chosen if any(f.key == k for f in findings.by_target)]
    shown = counted[:3]
    words = [noun("targets", k, 2) for k in shown]
    if len(counted) > 3:
        words.append("other sites")
    return join(words) or "civilian sites"


def _busiest_months(findings: Findings) -> list[str]:
    """The fewest months (at most three) holding more than half the incidents, if fewer than all."""
    ranked = sorted(findings.by_month, key=lambda f: (-f.count, f.key))
    total = findings.total.count
    chosen: list[str] = []
    held = 0
    for figure in ranked[:3]:
        chosen.append(figure.key)
        held += figure.count
        if held * 2 > total:
            break
    if held * 2 <= total or len(chosen) >= len(findings.by_month):
        return []
    return chosen


def _period(findings: Findings) -> str:
    first, last = findings.first_date, findings.last_date
    if not first or not last:
        return ""
    a, b = f"{first:%B %Y}", f"{last:%B %Y}"
    if a == b:
        return f"in {a}"
    if first.year == last.year:
        return f"between {first:%B} and {b}"
    return f"between {a} and {b}"


def _all_attacks(findings: Findings) -> bool:
    parents = set(_wording()["attack_event_parents"])
    types = vocab.event_types()
    for event_type in {i.event_type for i in findings.incidents}:
        if event_type is not None and (
            event_type not in types or types[event_type]["parent"] not in parents
        ):
            return False
    return True


def _attacks_sentence(findings: Findings, w: _Writer) -> Sentence:
    n = findings.total.count
    if _all_attacks(findings):
        what = f"{n:,} {'attack' if n == 1 else 'attacks'} on {_targets_phrase(findings)}"
    else:
        what = f"{n:,} {'incident' if n == 1 else 'incidents'}, among them attacks on"
        what += f" {_targets_phrase(findings)}"
    parts: list[str | Note] = [
        f"{what} {_period(findings)}".strip(),
        w.note(f"{n} incidents in scope", findings.total.incident_ids),
    ]
    busiest = _busiest_months(findings)
    if busiest:
        ids = [i for f in findings.by_month if f.key in busiest for i in f.incident_ids]
        parts += [
            f", most in {months_phrase(busiest)}",
            w.note(f"incidents in {months_phrase(busiest)}", ids),
        ]
    return Sentence(parts)


def _facilities_clause(findings: Findings, w: _Writer) -> list[str | Note]:
    parts: list[str | Note] = []
    status_words = _wording()["facility_status"]
    for status in ("closed", "damaged"):
        impacts = [f for f in findings.facilities if f.status == status]
        if not impacts:
            continue
        words = [f"{number(f.count)} {noun('targets', f.type, f.count)}" for f in impacts]
        ids = [i for f in impacts for i in f.incident_ids]
        parts += [
            f"; {join(words)} {status_words.get(status, status)}",
            w.note(f"facilities {status}: {', '.join(n for f in impacts for n in f.names)}", ids),
        ]
    return parts


def _weapon_clauses(findings: Findings, w: _Writer) -> list[str | Note]:
    weapons = vocab.weapons()
    uses: dict[str, list[Incident]] = defaultdict(list)
    for incident in findings.incidents:
        for weapon in incident.weapons:
            if weapon in weapons and weapons[weapon]["indiscriminate"]:
                uses[weapon].append(incident)
    parts: list[str | Note] = []
    for weapon, hits in sorted(uses.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        on = []
        for category, n in Counter(t.category for i in hits for t in i.targets).most_common(2):
            on.append(
                f"a {noun('targets', category, 1)}"
                if n == 1
                else f"{number(n)} {noun('targets', category, 2)}"
            )
        places = list(dict.fromkeys(i.place.name for i in hits if i.place))
        where = f" in {join(places[:2])}" if places else ""
        what = f" on {join(on)}" if on else ""
        parts += [
            f"; {noun('weapons', weapon, 2)} used{what}{where}",
            w.note(f"incidents with {noun('weapons', weapon, 2)}", [i.id or 0 for i in hits]),
        ]
    return parts[:6]


def _casualties_sentence(findings: Findings, w: _Writer) -> Sentence | None:
    killed, injured = findings.total.killed, findings.total.injured
    if killed.is_empty and injured.is_empty:
        return None
    with_killed = [i.id or 0 for i in findings.incidents if not i.killed.is_empty]
    with_injured = [i.id or 0 for i in findings.incidents if not i.injured.is_empty]
    parts: list[str | Note] = ["Sources report "]
    if not killed.is_empty:
        parts += [
            f"{range_words(killed)} people killed",
            w.note("incidents with a death toll (sum of lows to sum of highs)", with_killed),
        ]
        civ = findings.civilians_killed
        if not civ.is_empty:
            parts.append(f", {range_words(civ)} of them civilians")
    if not injured.is_empty:
        parts += [
            ", and " if not killed.is_empty else "",
            f"{range_words(injured)} injured",
            w.note("incidents with injuries", with_injured),
        ]
    parts.append(".")
    return Sentence(parts)


def _perpetrator_sentence(findings: Findings, w: _Writer) -> Sentence | None:
    named = [f for f in findings.by_perpetrator if f.key != UNKNOWN_PERPETRATOR]
    if not named:
        return None
    parts: list[str | Note] = ["Attributed to "]
    for k, figure in enumerate(named[:3]):
        if k:
            parts.append(" and " if k == len(named[:3]) - 1 else ", ")
        parts += [
            f"{figure.label} ({figure.count})",
            w.note(f"attributed to {figure.label}", figure.incident_ids),
        ]
    unknown = next((f for f in findings.by_perpetrator if f.key == UNKNOWN_PERPETRATOR), None)
    if unknown:
        parts += [
            f"; {number(unknown.count)} without an identified perpetrator",
            w.note("no perpetrator identified", unknown.incident_ids),
        ]
    parts.append(".")
    return Sentence(parts)


def _legal_sentence(findings: Findings, w: _Writer) -> Sentence | None:
    by_rule: dict[str, list[int]] = defaultdict(list)
    titles: dict[str, str] = {}
    for incident in findings.incidents:
        for flag in incident.legal_flags:
            by_rule[flag["rule"]].append(incident.id or 0)
            titles[flag["rule"]] = flag.get("title", flag["rule"])
    if not by_rule:
        return None
    flagged = {i for ids in by_rule.values() for i in ids}
    parts: list[str | Note] = [
        f"{len(flagged):,} {'incident bears' if len(flagged) == 1 else 'incidents bear'}"
        " marks of potential violations of international humanitarian law",
        w.note("incidents with at least one legal flag", list(flagged)),
        ": ",
    ]
    ranked = sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for k, (rule, ids) in enumerate(ranked):
        if k:
            parts.append("; ")
        parts += [f"{titles[rule].lower()} ({len(ids)})", w.note(titles[rule], ids)]
    parts.append(".")
    return Sentence(parts)


def _comparison_sentence(comparison: Comparison, w: _Writer) -> Sentence:
    before, after = comparison.before.total, comparison.after.total
    day = f"{comparison.pivot:%-d %B %Y}"
    return Sentence(
        [
            f"Before {day}: {before.count:,} attacks",
            w.note(f"before {day}", before.incident_ids),
            f"; from {day} on: {after.count:,}",
            w.note(f"from {day} on", after.incident_ids),
            ".",
        ]
    )


def headline(findings: Findings, comparison: Comparison | None = None) -> Headline:
    """The headline sentences for ``findings`` (the first reads like a monitor's finding)."""
    w = _Writer()
    if findings.total.count == 0:
        return Headline([Sentence(["No incidents match this selection."])], [])
    lead = _attacks_sentence(findings, w)
    lead.parts += _facilities_clause(findings, w)
    lead.parts += _weapon_clauses(findings, w)
    lead.parts.append(".")
    sentences = [lead]
    for extra in (
        _casualties_sentence(findings, w),
        _perpetrator_sentence(findings, w),
        _legal_sentence(findings, w),
    ):
        if extra is not None:
            sentences.append(extra)
    if comparison is not None:
        sentences.append(_comparison_sentence(comparison, w))
    return Headline(sentences, w.notes)
