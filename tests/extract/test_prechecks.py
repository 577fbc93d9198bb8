"""Cheap pre-checks before a pattern never turn away a text the pattern matches."""

from __future__ import annotations

import random
import re

import pytest

from docket.extract import casualties, dates, events, places
from docket.extract.fastre import ends_after
from docket.extract.resources import resources

# Words the patterns below look for, in several cases, with blanks and punctuation between.
PIECES = [
    "and", "AND", "his", "Her", "their", "with", "along", "together", "in addition to", "from",
    "up", "revised", "a", "an", "initial", "killed", "Mother", "father", "et", "und", "among",
    "them", "of", "Of", "whom", "were", "the dead", "the victims", "in", "near", "the town of",
    "outside", "rebel-held", "north-western", "dans", "près de", "d'", "ville", "village of",
    "Idlib", "KAFR NABL", "Ariha", "said", "the ministry", "reported", "day", "days", "weeks",
    "ago", "earlier", "the previous day", "the night before", "next", "two", "12", ",", ";",
    ".", ":", "—", "-", "- ", "(AP)", "ſ", "ı", "و", "’",
]  # fmt: skip
BLANKS = ["", " ", " ", " ", "  ", "\n", "\t", "\x1c"]


def _texts(seed: int, count: int, words: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(PIECES) + rng.choice(BLANKS) for _ in range(rng.randint(0, words)))
        for _ in range(count)
    ]


@pytest.mark.parametrize(
    ("pattern", "ends", "blank"),
    [
        (casualties._ALONG_WITH, casualties._ALONG_ENDS, True),
        (casualties._REVISED_FROM, casualties._FROM_ENDS, True),
        (casualties._ELLIPSIS_JOIN, casualties._JOIN_ENDS, False),
        (casualties._RELATIVE_BEFORE, casualties._AND_ENDS, True),
    ],
)
def test_ends_after_is_the_search_of_an_end_anchored_pattern(
    pattern: re.Pattern[str], ends: tuple[str, ...], blank: bool
) -> None:
    texts = _texts(1, 3000, 6)
    found = [ends_after(t, pattern, ends, blank) for t in texts]
    assert found == [pattern.search(t) is not None for t in texts]
    assert any(found)


def test_locative_check_is_the_locative_search() -> None:
    texts = [t[-60:] for t in _texts(2, 5000, 6)]
    found = [places._after_locative(t) for t in texts]
    assert found == [places._LOCATIVE.search(t) is not None for t in texts]
    assert sum(found) > 100


@pytest.mark.parametrize(
    ("check", "pattern"),
    [
        (places._ANCHOR_BEFORE_CHECK, places._ANCHOR_BEFORE),
        (places._NEAR_BEFORE_CHECK, places._NEAR_BEFORE),
        (places._STRONG_BEFORE_CHECK, places._STRONG_BEFORE),
        (places._PROVINCE_OF_BEFORE_CHECK, places._PROVINCE_OF_BEFORE),
    ],
)
def test_checks_before_a_name_are_the_searches_of_their_patterns(
    check: places._BeforeName, pattern: re.Pattern[str]
) -> None:
    rng = random.Random(7)
    pieces = [*PIECES, "12 km", "3.5 kilometres (2 miles)", "north of", "North-West of",
              "to the south of", "close to", "on the outskirts of", "bei", "nahe", "Stadt",
              "province of", "Governorate of", "the city", "neighbourhood", "٣", "K"]  # fmt: skip
    texts = [
        "".join(rng.choice(pieces) + rng.choice(BLANKS) for _ in range(rng.randint(0, 8)))[-60:]
        for _ in range(6000)
    ]
    found = [check.search(t) for t in texts]
    assert found == [pattern.search(t) is not None for t in texts]
    assert sum(found) > 50


def test_of_them_check_lets_every_match_through() -> None:
    texts = [" " + t for t in _texts(3, 3000, 6)] + ["  of them were", " among them", " Of whom"]
    assert all(casualties._may_say_of_them(t) for t in texts if casualties._OF_THEM_AFTER.match(t))
    assert not casualties._may_say_of_them(" children in the market")


def test_datelines_found_with_the_check_are_the_pattern_s() -> None:
    rng = random.Random(4)
    lines = [
        "IDLIB, Syria (AP) — Warplanes struck",
        "Ariha: shelling",
        "KAFR NABL - ",
        "Idlib\n— x",
    ]
    texts = _texts(4, 3000, 8)
    texts += ["\n".join(rng.choice(lines + texts[:50]) for _ in range(4)) for _ in range(500)]
    for text in texts:
        assert [m.span() for m in places._dateline_matches(text)] == [
            m.span() for m in places._DATELINE.finditer(text)
        ]


def test_title_case_lines_by_bytes_count_words_as_split_does() -> None:
    def by_words(text: str) -> list[tuple[int, int]]:
        out, pos = [], 0
        for line in text.split("\n"):
            words = [w for w in line.split() if w[:1].isalpha() and w.isascii()]
            capitals = sum(w[0].isupper() for w in words)
            if len(words) >= 4 and capitals / len(words) > 0.7:
                out.append((pos, pos + len(line)))
            pos += len(line) + 1
        return out

    texts = _texts(5, 3000, 10) + ["Warplanes Strike Idlib\tMarket Town\nand then", "\x1cA B C D"]
    assert [places._title_case_lines(t) for t in texts] == [by_words(t) for t in texts]
    assert places._title_case_lines("Russian Jets Hit Idlib Market\nthe toll rose") == [(0, 29)]


def test_statement_dates_need_a_verb_before_the_stop() -> None:
    texts = _texts(6, 3000, 8)
    held = [t for t in texts if events._STATEMENT_AFTER.match(t)]
    assert held and all(events._holds_verb_before_stop(t) for t in held)
    assert not events._holds_verb_before_stop(", the strike. The ministry said")


def test_day_counts_and_chains_are_looked_for_where_their_words_are() -> None:
    texts = _texts(7, 3000, 10)
    for text in texts:
        if dates._AGO.search(text):
            assert dates._may_count_days(text, text.lower()), text
        if dates._CHAIN.search(text):
            assert dates._may_chain(text, text.lower()), text
    assert sum(dates._may_count_days(t, t.lower()) for t in texts) > 50
    assert not dates._may_count_days("two days", "two days")
    assert not dates._may_count_days("days later", "days later".upper())
    assert dates._may_count_days("two weeks\nbefore", "two weeks\nbefore")
    assert dates._may_chain("the night before", "the night before")
    assert dates._may_chain("the next day", "the next day")
    assert not dates._may_chain("the day after", "the day after")


def test_named_victims_are_looked_for_where_their_words_are() -> None:
    res = resources()
    texts = _texts(12, 3000, 10)
    nouns = ["the infant ", "The Nurse ", "a man ", "the teacher "]
    rng = random.Random(12)
    names = ["Hamza al-Ali", "Ali Darwish", "AHMED", "ali"]
    kinds = [" died", " DIED", " was killed", ", were\n wounded", " was  ", " killed", "  was"]
    texts += [rng.choice(nouns) + rng.choice(names) + rng.choice(kinds) + t for t in texts]
    matched = 0
    for text in texts:
        if res.named_victim_pattern.search(text):
            matched += 1
            assert casualties._may_name_victim(text, res), text
    assert matched > 20
    assert casualties._may_name_victim("the nurse Ali Darwish was\n killed", res)
    assert not casualties._may_name_victim("the nurse Ali Darwish killed", res)
    assert not casualties._may_name_victim("Ali Darwish was killed", res)


def test_dmy_dates_are_looked_for_where_a_year_follows_a_separator() -> None:
    rng = random.Random(8)
    pieces = ["14", "02", "2020", "1999", "19", "20", "-", "/", ".", " ", "x", "on", "3"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 9))) for _ in range(5000)]
    for text in texts:
        if dates._DMY.search(text):
            assert dates._may_hold_dmy(text), text
    assert dates._may_hold_dmy("on 14/02/2020")
    assert not dates._may_hold_dmy("20 people on 14 February 2020")


def test_candidate_names_hold_every_name_a_place_can_be_read_from() -> None:
    res = resources()
    rng = random.Random(5)
    pieces = [*PIECES, "Town", "TOWN", "Stadt", "mcTown", "al-", "Bab", "Hama", "ſtruck", "ın"]
    blanks = [*BLANKS, "-", "‐", "'", ", "]
    texts = _texts(6, 2000, 10) + [
        "".join(rng.choice(pieces) + rng.choice(blanks) for _ in range(rng.randint(0, 14)))
        for _ in range(3000)
    ]
    for text in texts:
        names = places._name_matches(text)
        read = [m.span() for m in names if places._latin_place(text, *m.span(), res)]
        candidates = [m.span() for m in places._candidate_names(text, res)]
        assert set(read) <= set(candidates) <= {m.span() for m in names}, text
    text = "Shelling hit Ariha and the Town Hall, then mcTown Binnish and al-Bab on Sunday."
    assert [m.group() for m in places._candidate_names(text, res)] == [
        "Ariha",
        "Town Hall",
        "Town Binnish",
        "al-Bab",
        "Sunday",  # after "on": _latin_place turns it away
    ]


def test_period_starts_are_looked_for_where_a_skip_word_ends_the_text() -> None:
    res = resources()
    words = ["since", "From", "BY", "until", "the", "early", "mid", "end of", "x", ":", ",", "-"]
    rng = random.Random(13)
    befores = [
        "".join(rng.choice(words) + rng.choice(BLANKS) for _ in range(rng.randint(0, 5)))[-24:]
        for _ in range(5000)
    ]
    skipped = 0
    for before in befores:
        for hit in res.date_skip.finditer(before):
            if dates._SKIP_TAIL.fullmatch(before[hit.end :]):
                skipped += 1
                assert dates._may_skip(before, res), before
    assert skipped > 500
    assert dates._may_skip("attacks since the end of ", res)
    assert not dates._may_skip("the strike on ", res)
