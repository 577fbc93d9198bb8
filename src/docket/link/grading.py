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

from docket.domain import Claim, Incident
from docket.errors import ConfigError, InputError
from docket.link.reconcile import (
    NO_BOUNDS,
    PlainClaim,
    SourceInfo,
    attributions_conflict,
    plain_claim,
    stated_actors,
)
from docket.memo import remember
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
    one_voice_kinds: frozenset[str] = frozenset()
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
        one_voice_kinds=frozenset(raw.get("one_voice_kinds") or ()),
    )


def check_grade(value: str, what: str = "grade") -> str:
    """``value`` when the grading rules give it, else an :class:`InputError` listing those."""
    grades = sorted({str(rule["grade"]) for rule in grading_rules().rules})
    if value not in grades:
        raise InputError(f"{what} {value!r} is not one of {', '.join(grades)}")
    return value


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


def origins(
    infos: Sequence[SourceInfo], similarity: float, one_voice: frozenset[str] = frozenset()
) -> list[list[SourceInfo]]:
    """Documents grouped by origin: one source's documents when its kind is in ``one_voice``
    (two reports of one monitor are one voice; two witnesses filed under one name are not), or
    the same text (same hash or near-identical opening text: a wire story and its copies)."""
    groups: list[list[SourceInfo]] = []
    for info in infos:
        for group in groups:
            if (info.kind in one_voice and _same_source(info, group)) or _same_text(
                info, group[0], similarity
            ):
                group.append(info)
                break
        else:
            groups.append([info])
    return groups


def _counted_once(group: Sequence[SourceInfo]) -> str:
    """The fact that says why ``group``, one origin, counts once."""
    names = [i.source or f"document {i.document_id}" for i in group]
    if len({_source_key(i) for i in group}) == 1 and _source_key(group[0]):
        return f"{len(group)} documents of one source count once: {names[0]}"
    return f"copies of one story count once: {', '.join(names)}"


def _same_source(info: SourceInfo, group: Sequence[SourceInfo]) -> bool:
    name = _source_key(info)
    return bool(name) and any(_source_key(other) == name for other in group)


def _source_key(info: SourceInfo) -> str:
    return " ".join((info.source or "").casefold().split())


# Whether two texts (by their hashes) open near-identically, by similarity: an incident graded
# again (more claims linked, claims read anew) compares the same documents again, each pair
# ~25 µs of ``fuzz.ratio`` on their openings; cleared when it holds _SIMILAR_KEPT pairs.
_SIMILAR: dict[tuple[str, str, float], bool] = {}
_SIMILAR_KEPT = 100_000


def _same_text(info: SourceInfo, first: SourceInfo, similarity: float) -> bool:
    if info.text_sha256 and info.text_sha256 == first.text_sha256:
        return True
    if not (info.text_sha256 and first.text_sha256):
        return _similar_heads(info, first, similarity)
    pair = sorted((info.text_sha256, first.text_sha256))
    key = (pair[0], pair[1], similarity)
    known = _SIMILAR.get(key)
    if known is None:
        known = remember(_SIMILAR, key, _similar_heads(info, first, similarity), _SIMILAR_KEPT)
    return known


def _similar_heads(info: SourceInfo, first: SourceInfo, similarity: float) -> bool:
    return bool(
        info.text_head
        and first.text_head
        and fuzz.ratio(info.text_head, first.text_head, score_cutoff=similarity) >= similarity
    )


def grade_features(
    incident: Incident,
    claims: Sequence[Claim],
    infos: Mapping[int, SourceInfo],
    log_matches: Sequence[Mapping[str, Any]] = (),
) -> GradeFeatures:
    """What the rules look at of ``incident`` (reconciled from ``claims``) and its log matches."""
    plain = [plain_claim(c) for c in claims]
    sources = {c.document_id: infos.get(c.document_id) for c in plain if c.document_id is not None}
    named = {p.actor_id for p in incident.perpetrators}
    key = _feature_key(
        plain,
        sources,
        [stated_actors(c) for c in plain],
        named,
        log_matches,
        bool(incident.details.get("media")),
    )
    return _features(key, log_matches)


def _feature_key(
    claims: Sequence[PlainClaim],
    sources: Mapping[int, SourceInfo | None],
    stated: Sequence[set[str]],
    named: set[str],
    log_matches: Sequence[Mapping[str, Any]],
    media: bool,
) -> tuple[Any, ...]:
    """Everything a grade and its facts depend on, but the log matches' summaries: the claims'
    documents (``sources``, each claim's ``stated`` perpetrators), the incident's ``named``
    perpetrators and whether it holds ``media``."""
    rules = grading_rules()
    doc_infos = [sources[d] or SourceInfo(document_id=d) for d in sorted(sources)]
    if len(doc_infos) > 1:
        groups = origins(doc_infos, rules.syndication_similarity, rules.one_voice_kinds)
    else:
        groups = [doc_infos] if doc_infos else []
    copies: list[str] = []
    credible = 0
    for g in groups:
        if len(g) > 1:
            copies.append(_counted_once(g))
        for i in g:
            if i.kind in rules.credible_kinds:
                credible += 1
                break
    kinds = tuple(sorted({i.kind for i in doc_infos}))
    conflict = attributions_conflict(stated)
    corroborated = False
    if log_matches:
        suggested = {m["actor_id"] for m in log_matches if m.get("actor_id")}
        if suggested and named and not (suggested & named):
            conflict = True
        corroborated = any(m.get("actor_id") in named or not named for m in log_matches)
    counted = combatants_only = named_victims = False
    for c in claims:
        named_victims = named_victims or c.names_victims
        if c.civilians == NO_BOUNDS and c.unknown == NO_BOUNDS:
            if c.combatants != NO_BOUNDS:  # counted: combatants only
                combatants_only = not counted or combatants_only
                counted = True
        else:  # counted, and not only combatants
            combatants_only, counted = False, True
    return (
        len(doc_infos),
        len(groups),
        credible,
        kinds,
        tuple(copies),
        conflict,
        combatants_only,
        corroborated,
        "media" in kinds or media,
        named_victims,
    )


def _features(key: tuple[Any, ...], log_matches: Sequence[Mapping[str, Any]]) -> GradeFeatures:
    sources, independent, credible, kinds, copies, conflict, combatants_only, *rest = key
    f = GradeFeatures(
        sources=sources,
        independent_sources=independent,
        credible_sources=credible,
        kinds=list(kinds),
        copies=list(copies),
        perpetrator_conflict=conflict,
        combatants_only=combatants_only,
    )
    f.log_corroboration, f.media_evidence, f.named_victims = rest
    f.facts = _facts(f, log_matches)
    return f


_Grade = tuple[str, list[str]]
# (rules, grades given under them by feature key, for incidents without log matches)
_GRADES: tuple[GradingRules | None, dict[tuple[Any, ...], _Grade]] = (None, {})
_GRADES_KEPT = 100_000


def grade_claims(
    claims: Sequence[PlainClaim],
    sources: Mapping[int, SourceInfo | None],
    stated: Sequence[set[str]],
    named: set[str],
    log_matches: Sequence[Mapping[str, Any]] = (),
    media: bool = False,
) -> _Grade:
    """:func:`grade` of the features :func:`grade_features` finds, given what reconciliation
    found (``sources``: every document of the claims). Without log matches a grade is given once
    per distinct set of features: callers must not change the reasons list."""
    global _GRADES
    key = _feature_key(claims, sources, stated, named, log_matches, media)
    if log_matches:
        return grade(_features(key, log_matches))
    rules = grading_rules()
    if _GRADES[0] is not rules:
        _GRADES = (rules, {})
    known = _GRADES[1].get(key)
    if known is None:
        known = grade(_features(key, ()))
        if len(_GRADES[1]) < _GRADES_KEPT:  # copies name sources: there may be many keys
            _GRADES[1][key] = known
    return known


def _facts(f: GradeFeatures, log_matches: Sequence[Mapping[str, Any]]) -> list[str]:
    facts = [
        f"{f.sources} source{'s' if f.sources != 1 else ''}, "
        f"{f.independent_sources} independent, {f.credible_sources} credible "
        f"({', '.join(f.kinds) or 'unknown kinds'})"
    ]
    facts += list(f.copies)
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
