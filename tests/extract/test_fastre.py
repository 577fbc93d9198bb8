"""A first-character guard never changes what a pattern matches."""

from __future__ import annotations

import random
import re

import pytest

from docket.extract import casualties, components, dates, events, places
from docket.extract.fastre import first_char_guard, holds_any

TEXT = (
    "On 14 February 2020 (2020-02-14), regime helicopters dropped barrel bombs on the town of "
    "Kafr Nabl, 12 km south of Maarat al-Numan; two days later al-Shami hospital was hit. "
    "THE TOLL ROSE TO 1,500. Ce 14/02/2020, la ville d'Ariha a été frappée. قصف بلدة كفرنبل"
)


@pytest.mark.parametrize(
    ("source", "flags", "lead"),
    [
        (r"(?:al-)?[A-Z]\w+", 0, r"(?=[\U00000061\U00000041-\U0000005a])"),
        (r"(?<!\d)\d+", 0, r"(?=[\d])"),
        (r"\b(?:in|near)\s+$", re.IGNORECASE, r"(?=[\U00000069\U0000006e])"),
    ],
)
def test_guard_names_the_first_characters(source: str, flags: int, lead: str) -> None:
    assert first_char_guard(re.compile(source, flags)).pattern == f"{lead}(?:{source})"


@pytest.mark.parametrize("source", [r"a*", r"[^a]b", r".x", r"(?>a)b", r"(?i:a)b", r"x?"])
def test_no_guard_when_the_first_characters_cannot_be_told(source: str) -> None:
    pattern = re.compile(source)
    assert first_char_guard(pattern) is pattern


def test_case_insensitive_guard_keeps_unicode_case_variants() -> None:
    guarded = first_char_guard(re.compile(r"strike", re.IGNORECASE))
    assert [m.group() for m in guarded.finditer("STRIKE ſtrike strike")] == [
        "STRIKE",
        "ſtrike",
        "strike",
    ]


def test_inline_global_flags_are_kept() -> None:
    guarded = first_char_guard(re.compile(r"(?m)^([A-Z]\w+):"))
    assert guarded.flags & re.MULTILINE
    assert [m.group(1) for m in guarded.finditer("Idlib: one\nAleppo: two")] == ["Idlib", "Aleppo"]


def test_guarded_module_patterns_find_the_same_spans() -> None:
    rng = random.Random(4)
    pieces = TEXT.split(" ") + ["\n", "in", "the", "city", "of", "Aleppo", "a", "day", "earlier"]
    texts = [TEXT, TEXT.upper(), TEXT.lower()]
    texts += [" ".join(rng.choice(pieces) for _ in range(40)) for _ in range(200)]
    for module in (places, dates, casualties, components, events):
        for name in dir(module):
            guarded = getattr(module, name)
            if not isinstance(guarded, re.Pattern) or not guarded.pattern.startswith("(?=["):
                continue
            plain = re.compile(
                re.sub(r"^\(\?=\[[^\]]*\]\)\(\?:(.*)\)$", r"\1", guarded.pattern, flags=re.S),
                guarded.flags & ~re.UNICODE,
            )
            for text in texts:
                for start in (0, 5, 40):
                    found = [m.span() for m in guarded.finditer(text, start)]
                    assert found == [m.span() for m in plain.finditer(text, start)], name
                    assert bool(guarded.search(text[start:])) == bool(plain.search(text[start:]))


def test_fastre_leaves_patterns_alone_whose_groups_switch_unicode_on() -> None:
    pattern = re.compile(r"(?u:\w)+", re.ASCII)
    assert first_char_guard(pattern).search("é").span() == (0, 1)


def test_holds_any_rules_out_only_ascii_texts_without_the_words() -> None:
    assert holds_any("the clinic Received 30 bodies", ("receiv", "treat")) is True
    assert holds_any("the clinic was hit at dawn", ("receiv", "treat")) is False
    assert holds_any("ذكرى the clinic was hit", ("receiv",)) is True  # not ASCII: try the pattern
