"""Certainty grades (confirmed, fair, weak, contested, discounted) from ``data/grading.yaml``.

:func:`grade_features` counts what the rules look at (independent sources, credible sources,
corroboration, conflicts); :func:`grade` applies the first matching rule and returns the grade with
its reasons: the rule's sentence followed by the facts it rested on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from docket.domain import Attribution, Claim, Incident
from docket.errors import ConfigError
from docket.link.core import casualty_total
from docket.link.reconcile import SourceInfo
from docket.vocab import data_path, load_yaml

KNOWN_CONDITIONS = {
    "min_independent_sources",
    "min_credible_sources",
    "perpetrator_conflict",
    "combatants_only",
    "any_of",
}
CORROBORATIONS = {"log_corroboration", "media_evidence", "named_victims"}


@dataclass(frozen=True)
class GradingRules:
    rules: tuple[dict[str, Any], ...]
    credible_kinds: frozenset[str]
    syndication_similarity: float
    # (grade, reason) by what the rules read of the features, filled as grades are given
    chosen: dict[tuple[Any, ...], tuple[str, str]] = field(
        default_factory=dict, compare=False, repr=False
    )


@cache
def grading_rules() -> GradingRules:
    raw = load_yaml("grading.yaml")
    path = data_path("grading.yaml")
    rules = tuple(raw.get("rules") or ())
    for i, rule in enumerate(rules, 1):
        unknown = set(rule.get("when") or {}) - KNOWN_CONDITIONS
        if unknown or "grade" not in rule:
            raise ConfigError(
                f"{path}: rule {i} has unknown conditions {sorted(unknown)} or no grade; "
                f"known: {sorted(KNOWN_CONDITIONS)}"
            )
    return GradingRules(
        rules=rules,
        credible_kinds=frozenset(raw.get("credible_kinds") or ()),
        syndication_similarity=float(raw.get("syndication_similarity", 90)),
    )


@dataclass
class GradeFeatures:
    sources: int = 0
    independent_sources: int = 0
    credible_sources: int = 0
    kinds: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    perpetrator_conflict: bool = False
    combatants_only: bool = False
    log_corroboration: bool = False
    media_evidence: bool = False
    named_victims: bool = False
    facts: list[str] = field(default_factory=list)


def origins(infos: Sequence[SourceInfo], similarity: float) -> list[list[SourceInfo]]:
    """Documents grouped by origin: same text hash or near-identical opening text."""
    groups: list[list[SourceInfo]] = []
    for info in infos:
        for group in groups:
            first = group[0]
            same_hash = info.text_sha256 and info.text_sha256 == first.text_sha256
            if same_hash or (
                info.text_head
                and first.text_head
                and fuzz.ratio(info.text_head, first.text_head) >= similarity
            ):
                group.append(info)
                break
        else:
            groups.append([info])
    return groups


def grade_features(
    incident: Incident,
    claims: Sequence[Claim],
    infos: Mapping[int, SourceInfo],
    log_matches: Sequence[Mapping[str, Any]] = (),
) -> GradeFeatures:
    rules = grading_rules()
    docs = sorted({c.document_id for c in claims if c.document_id is not None})
    doc_infos = [infos.get(d) or SourceInfo(document_id=d) for d in docs]
    groups = origins(doc_infos, rules.syndication_similarity)
    f = GradeFeatures(sources=len(doc_infos), independent_sources=len(groups))
    f.kinds = sorted({i.kind for i in doc_infos})
    f.credible_sources = sum(1 for g in groups if any(i.kind in rules.credible_kinds for i in g))
    for g in groups:
        if len(g) > 1:
            f.copies.append(", ".join(i.source or f"document {i.document_id}" for i in g))
    stated = [
        {p.actor_id for p in c.perpetrators if p.attribution == Attribution.stated} for c in claims
    ]
    stated = [s for s in stated if s]
    f.perpetrator_conflict = len(stated) > 1 and not set.intersection(*stated)
    suggested = {m["actor_id"] for m in log_matches if m.get("actor_id")}
    named = {p.actor_id for p in incident.perpetrators}
    if suggested and named and not (suggested & named):
        f.perpetrator_conflict = True
    f.log_corroboration = any(m.get("actor_id") in named or not named for m in log_matches)
    f.media_evidence = "media" in f.kinds or bool(incident.details.get("media"))
    f.named_victims = any(c.victims for c in claims)
    counts = [
        c.casualties.killed for c in claims if not casualty_total(c.casualties.killed).is_empty
    ]
    f.combatants_only = bool(counts) and all(
        k.civilians.is_empty and k.unknown.is_empty and not k.combatants.is_empty for k in counts
    )
    f.facts = _facts(f, log_matches)
    return f


def _facts(f: GradeFeatures, log_matches: Sequence[Mapping[str, Any]]) -> list[str]:
    facts = [
        f"{f.sources} source{'s' if f.sources != 1 else ''}, "
        f"{f.independent_sources} independent, {f.credible_sources} credible "
        f"({', '.join(f.kinds) or 'unknown kinds'})"
    ]
    facts += [f"copies of one story count once: {c}" for c in f.copies]
    facts += [f"log: {m['summary']}" for m in log_matches]
    if f.perpetrator_conflict:
        facts.append("attributions conflict")
    if f.named_victims:
        facts.append("victims named")
    if f.media_evidence:
        facts.append("media evidence")
    return facts


def _holds(condition: str, value: Any, f: GradeFeatures) -> bool:
    if condition == "min_independent_sources":
        return f.independent_sources >= int(value)
    if condition == "min_credible_sources":
        return f.credible_sources >= int(value)
    if condition == "perpetrator_conflict":
        return f.perpetrator_conflict == bool(value)
    if condition == "combatants_only":
        return f.combatants_only == bool(value)
    if condition == "any_of":
        return any(getattr(f, name) for name in value if name in CORROBORATIONS)
    return False


def grade(features: GradeFeatures) -> tuple[str, list[str]]:
    """The first rule whose conditions hold: (grade, [reason, facts...])."""
    rules = grading_rules()
    key = (
        features.independent_sources,
        features.credible_sources,
        features.perpetrator_conflict,
        features.combatants_only,
        features.log_corroboration,
        features.media_evidence,
        features.named_victims,
    )
    chosen = rules.chosen.get(key)
    if chosen is None:
        chosen = rules.chosen[key] = _first_rule(rules, features)
    return chosen[0], [chosen[1], *features.facts]


def _first_rule(rules: GradingRules, features: GradeFeatures) -> tuple[str, str]:
    """(grade, reason) of the first rule whose conditions hold."""
    for rule in rules.rules:
        when = rule.get("when") or {}
        if all(_holds(k, v, features) for k, v in when.items()):
            return str(rule["grade"]), str(rule.get("reason", rule["grade"]))
    return "weak", "no rule matched"
