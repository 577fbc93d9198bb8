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


def test_sentences_with_digits_are_found_in_ascii_and_other_texts() -> None:
    from docket.extract.casualties import _sentences_with_digits

    text = "No figure here. The 3 lorries and 40 men left. None. Again 7, then 7 more."
    starts = [0, 16, 47, 53]
    assert _sentences_with_digits(text, starts) == {1, 3}
    assert _sentences_with_digits(text, starts[1:]) == {0, 2}
    arabic = "قتل ٣ مدنيين. لا أرقام هنا. ثم 12 آخرون."
    assert _sentences_with_digits(arabic, [0, 14, 28]) == {0, 2}
    assert _sentences_with_digits(text, []) == {-1}  # no sentence: nothing is read


def test_combined_bounds_add_a_group_and_keep_the_widest_range() -> None:
    from docket.domain import Range
    from docket.extract.casualties import combine, combined_bounds

    def figure(low: int | None, high: int | None, group: int) -> Figure:
        return Figure(0, 1, "killed", Range(low=low, high=high), "person", group=group)

    grouped = [figure(15, 15, 1), figure(7, 7, 1), figure(30, None, 2)]
    assert combined_bounds(grouped) == (22, None)  # "at least 30" above the 22 of group 1
    assert combined_bounds([figure(15, 15, 1), figure(7, 7, 1), figure(20, None, 2)]) == (20, 22)
    assert combined_bounds([figure(3, 5, 1), figure(None, 4, 1), figure(2, 2, 2)]) == (2, 9)
    assert combine(grouped) == Range(low=22, high=None)
    assert combine([]) == Range()
