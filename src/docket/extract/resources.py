"""The extractor's data: vocabularies and rule files compiled once into phrase sets.

Everything the rules know about words lives in ``docket/data/*.yaml`` and
``docket/data/extract/*.yaml``; this module only loads and compiles it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from docket import vocab
from docket.errors import ConfigError
from docket.extract.phrases import PhraseSet, normalize_phrase

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _load(name: str) -> dict[str, Any]:
    data = vocab.load_yaml(f"extract/{name}.yaml")
    if not isinstance(data, dict):
        raise ConfigError(f"{vocab.data_path('extract/' + name + '.yaml')}: expected a mapping")
    return data


@dataclass(frozen=True)
class Rule:
    event_type: str
    weapons_any: frozenset[str]
    weapons_none: frozenset[str]
    triggers_any: frozenset[str]
    first_mention: bool = False


@dataclass
class Resources:
    """All compiled phrase sets and tables the components use."""

    actors: PhraseSet
    weak_actors: frozenset[str]
    weapons: PhraseSet
    weak_weapons: frozenset[str]
    weapon_family: dict[str, str]
    weak_yields_to_any: frozenset[str]
    vague_weapons: frozenset[str]
    targets: PhraseSet
    weak_targets: frozenset[str]
    triggers: PhraseSet
    event_groups: frozenset[str]
    hedges: PhraseSet
    rules: list[Rule]
    aggregate_cues: PhraseSet
    new_event_cues: PhraseSet
    aggregate_tight_cues: PhraseSet
    aggregate_counted: PhraseSet
    aggregate_counted_order: tuple[str, ...]
    numbers: PhraseSet
    number_values: dict[str, int | None]
    person_ordinals: frozenset[str]
    named_victims: dict[str, str]
    named_victim_pattern: re.Pattern[str]
    qualifiers: PhraseSet
    kinds: PhraseSet
    victims: PhraseSet
    subset_cues: PhraseSet
    none_cues: PhraseSet
    months: PhraseSet
    weekdays: PhraseSet
    relative: PhraseSet
    relative_table: dict[str, tuple[int, str]]
    month_parts: PhraseSet
    date_skip: PhraseSet
    other_happenings: PhraseSet
    countries: PhraseSet
    admin1: PhraseSet
    admin1_country: dict[str, str]
    admin1_cities: frozenset[str]
    country_names: dict[str, str]
    settlement_words: frozenset[str]
    settlement_prefixes: frozenset[str]
    directions: frozenset[str]
    not_place_words: frozenset[str]
    not_place_words_ar: frozenset[str]
    # the type ``rules`` give each (weapons, triggers) of an event, remembered by the
    # ``event_type`` component beside the rules (bounded there)
    event_types: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = field(default_factory=dict)


@cache
def resources() -> Resources:
    """The compiled resources (built once per process)."""
    numbers = _load("numbers")
    casualties = _load("casualties")
    dates = _load("dates")
    rules = _load("event_rules")
    regions = _load("regions")

    weapon_terms = vocab.weapons()
    weak: set[str] = set()
    vague: set[str] = set()
    weapon_phrases: dict[str, list[str]] = {}
    for term in weapon_terms.values():
        for alias in term["vague_aliases"] or ():
            key = normalize_phrase(str(alias))
            vague.add(key)
            weapon_phrases.setdefault(key, []).append(term.id)
        for alias in term.aliases:
            weapon_phrases.setdefault(alias, []).append(term.id)
        for alias in term["weak_aliases"] or ():
            key = normalize_phrase(str(alias))
            weak.add(key)
            weapon_phrases.setdefault(key, []).append(term.id)

    number_values: dict[str, int | None] = {}
    for table in numbers["numbers"].values():
        for word, value in table.items():
            number_values[normalize_phrase(str(word))] = value
    ordinals = frozenset(normalize_phrase(str(w)) for w in numbers.get("person_ordinals") or ())
    number_values.update(dict.fromkeys(ordinals, 1))
    for tens_index, tens in enumerate(_TENS):
        for unit_index, unit in enumerate(_UNITS):
            number_values[f"{tens} {unit}"] = (tens_index + 2) * 10 + unit_index + 1

    relative_table: dict[str, tuple[int, str]] = {}
    for entry in dates["relative"]:
        for phrase in entry["phrases"]:
            relative_table[normalize_phrase(str(phrase))] = (int(entry["days"]), entry["precision"])

    admin1_country: dict[str, str] = {}
    admin1_phrases: dict[str, list[str]] = {}
    for entry in regions["admin1"]:
        admin1_country[entry["name"]] = entry["country"]
        for alias in entry["aliases"]:
            admin1_phrases.setdefault(str(alias), []).append(entry["name"])
    country_phrases: dict[str, list[str]] = {}
    country_names: dict[str, str] = {}
    for entry in regions["countries"]:
        country_names[entry["id"]] = entry["name"]
        for alias in entry["aliases"]:
            country_phrases.setdefault(str(alias), []).append(entry["id"])

    named_victims = {
        str(noun).lower(): victim
        for victim, nouns in (casualties.get("named_victims") or {}).items()
        for noun in nouns
    }
    triggers = rules["triggers"]
    return Resources(
        actors=PhraseSet.from_labels(
            {t.id: (*t.aliases, *(t["weak_aliases"] or ())) for t in vocab.actors().values()}
        ),
        weak_actors=frozenset(
            normalize_phrase(str(a))
            for t in vocab.actors().values()
            for a in t["weak_aliases"] or ()
        ),
        weapons=PhraseSet(weapon_phrases),
        weak_weapons=frozenset(weak),
        weapon_family={t.id: str(t["family"]) for t in weapon_terms.values() if t["family"]},
        weak_yields_to_any=frozenset(
            t.id for t in weapon_terms.values() if t["weak_yields_to_any"]
        ),
        vague_weapons=frozenset(vague),
        targets=PhraseSet.from_labels(
            {
                t.id: _with_arabic_article((*t.aliases, *(t["weak_aliases"] or ())))
                for t in vocab.targets().values()
            },
            arabic_words=True,  # "فرن" (bakery) is no target inside "كفرنبل" (Kafr Nabl)
        ),
        weak_targets=frozenset(
            normalize_phrase(str(a))
            for t in vocab.targets().values()
            for a in t["weak_aliases"] or ()
        ),
        triggers=PhraseSet.from_labels({k: v["phrases"] for k, v in triggers.items()}),
        event_groups=frozenset(k for k, v in triggers.items() if v.get("event")),
        hedges=PhraseSet.from_labels({"hedge": rules["hedges"]}),
        rules=[
            Rule(
                r["event_type"],
                frozenset(r.get("weapons_any", ())),
                frozenset(r.get("weapons_none", ())),
                frozenset(r.get("triggers_any", ())),
                bool(r.get("first_mention", False)),
            )
            for r in rules["rules"]
        ],
        aggregate_cues=PhraseSet.from_labels({"period": rules["aggregate_cues"]}),
        new_event_cues=PhraseSet.from_labels({"new": rules["new_event_cues"]}),
        aggregate_tight_cues=PhraseSet.from_labels({"tight": rules["aggregate_tight_cues"]}),
        aggregate_counted=PhraseSet.from_labels(rules["aggregate_counted"]),
        aggregate_counted_order=tuple(rules["aggregate_counted"]),
        numbers=PhraseSet.from_labels({"number": number_values}, arabic_words=True),
        number_values=number_values,
        person_ordinals=ordinals,
        named_victims=named_victims,
        named_victim_pattern=_named_victim_pattern(named_victims),
        qualifiers=PhraseSet.from_labels(numbers["qualifiers"]),
        kinds=PhraseSet.from_labels(casualties["kinds"]),
        victims=PhraseSet.from_labels(casualties["victims"]),
        subset_cues=PhraseSet.from_labels({"subset": casualties["subset_cues"]}),
        none_cues=PhraseSet.from_labels({"none": casualties["none_cues"]}),
        months=PhraseSet.from_labels({str(k): v for k, v in dates["months"].items()}),
        weekdays=PhraseSet.from_labels({str(k): v for k, v in dates["weekdays"].items()}),
        relative=PhraseSet.from_labels({"relative": relative_table}),
        relative_table=relative_table,
        month_parts=PhraseSet.from_labels({"part": dates["month_parts"]}),
        date_skip=PhraseSet.from_labels({"skip": dates["skip_before"]}),
        other_happenings=PhraseSet.from_labels(
            {"other": dates.get("other_happenings_before") or []}
        ),
        countries=PhraseSet(country_phrases),
        admin1=PhraseSet(admin1_phrases),
        admin1_country=admin1_country,
        admin1_cities=frozenset(e["name"] for e in regions["admin1"] if e.get("city")),
        country_names=country_names,
        settlement_words=frozenset(normalize_phrase(w) for w in regions["settlement_words"]),
        settlement_prefixes=frozenset(
            normalize_phrase(str(w)) for w in regions.get("settlement_prefixes") or ()
        ),
        directions=frozenset(regions["directions"]),
        not_place_words=frozenset(normalize_phrase(str(w)) for w in regions["not_place_words"]),
        not_place_words_ar=frozenset(str(w) for w in regions["not_place_words_ar"]),
    )


def _with_arabic_article(aliases: tuple[str, ...]) -> list[str]:
    """Aliases plus the Arabic ones with the article: "مسجد" and "المسجد"."""
    out = list(aliases)
    for alias in aliases:
        if re.match(r"[\u0621-\u064a]", alias) and not alias.startswith("ال"):
            out.append("ال" + alias)
    return out


def _named_victim_pattern(nouns: dict[str, str]) -> re.Pattern[str]:
    """ "The infant Hamza Mus'ab al-Ibrahim died", "the paramedic Ali Darwish was killed"."""
    alternatives = "|".join(sorted((re.escape(n) for n in nouns), key=len, reverse=True)) or "$^"
    token = r"(?:(?:al|el|bin|ibn|abu)[-\s])?[A-Z][\w'’-]+"
    name = rf"{token}(?:\s+{token}){{0,4}}"
    return re.compile(
        rf"\b(?i:the|a)\s+(?:(?i:young|elderly|pregnant)\s+)?(?P<noun>(?i:{alternatives}))\s+"
        rf"(?P<name>{name}),?\s+(?:(?i:later|also|who\s+was\s+\w+),?\s+)?"
        r"(?P<kind>(?i:died|(?:was|were)\s+(?:killed|martyred|injured|wounded)))\b"
    )


def actor_name(actor_id: str) -> str:
    term = vocab.actors().get(actor_id)
    return term.name if term else actor_id
