"""Casualty figures read from a sentence seen before are those read the first time, moved."""

from __future__ import annotations

from docket.extract.casualties import Figure, find_figures
from docket.extract.resources import resources

REPEATED = "Shelling killed 15 fighters and seven militants near the road, monitors said."
OWN = "Two civilians were wounded at the market."


def spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def shape(figures: list[Figure]) -> list[tuple[int, int, str, int | None, str, int, int]]:
    return [(f.start, f.end, f.kind, f.count.low, f.victim, f.group, f.sentence) for f in figures]


def test_a_repeated_sentence_gives_the_same_figures_at_its_own_place() -> None:
    res = resources()
    first = find_figures(REPEATED, spans(REPEATED), res)
    text = OWN + "\n" + REPEATED
    second = find_figures(text, spans(text), res)
    offset = len(OWN) + 1
    assert shape(first) == [
        (16, 18, "killed", 15, "combatant", 1, 0),
        (32, 37, "killed", 7, "combatant", 1, 0),
    ]
    assert shape(second) == [
        (0, 3, "injured", 2, "civilian", 1, 0),
        (offset + 16, offset + 18, "killed", 15, "combatant", 2, 1),
        (offset + 32, offset + 37, "killed", 7, "combatant", 2, 1),
    ]
    assert second[1].count is not first[0].count  # fresh objects each time
