"""Regular expressions that fail faster where they cannot match, with the same matches.

``re`` tries a pattern at every position of the text. When a pattern opens with optional parts
(``(?:al-)?[A-Z]...``) every try walks them before failing on a lower-case letter.
:func:`first_char_guard` reads the pattern's syntax tree for the characters a match can start
with and puts them in front as a lookahead: a lookahead on a superset of the first characters
never removes a match, so the results are the same.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The regex syntax tree (``re._parser``, ``re._constants``): private, but stable since 3.11.
_parser: Any = importlib.import_module("re._parser")
C: Any = importlib.import_module("re._constants")

_CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d",
    C.CATEGORY_NOT_DIGIT: r"\D",
    C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S",
    C.CATEGORY_WORD: r"\w",
    C.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


def first_char_guard(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` led by a lookahead on the characters its matches can start with (``pattern``
    itself when those cannot be told, or when it may match the empty string). The lookahead
    takes the pattern's flags: under ``IGNORECASE`` it accepts the same case variants."""
    if pattern.flags & re.VERBOSE or not isinstance(pattern.pattern, str):
        return pattern
    try:
        items = _first(list(_parser.parse(pattern.pattern, pattern.flags)))
    except (re.error, TypeError, ValueError):
        return pattern
    if items is None or items[1] or not items[0]:
        return pattern
    charset = "".join(_item_source(op, av) or "\0" for op, av in items[0])
    if "\0" in charset:
        return pattern
    source = _GLOBAL_FLAGS.sub("", pattern.pattern, count=1)  # kept in pattern.flags
    try:
        return re.compile(f"(?=[{charset}])(?:{source})", pattern.flags & ~re.UNICODE)
    except re.error:
        return pattern


def ends_after(
    before: str, pattern: re.Pattern[str], ends: tuple[str, ...], blank: bool = True
) -> bool:
    """``pattern.search(before)`` for a pattern anchored at the end of ``before``, not tried on
    an ASCII text that does not end with one of ``ends`` (in any case) and, with ``blank``, a
    blank after it."""
    if before.isascii() and not (
        (not blank or before[-1:].isspace()) and before.rstrip().lower().endswith(ends)
    ):
        return False
    return pattern.search(before) is not None


def from_the_end(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """For a ``pattern`` anchored at the end of the text (``$``), a pattern whose ``search`` (or
    ``match``) finds a match exactly where ``pattern.search`` does: tried once, at the start,
    it reads to the end of the text and gives back one character at a time, so that a match
    starting near the end (a locative before a name) is found after a few tries instead of
    after a try at every start before it."""
    source = _GLOBAL_FLAGS.sub("", pattern.pattern, count=1)  # kept in pattern.flags
    return re.compile(rf"\A(?s:.*)(?:{source})", pattern.flags & ~re.UNICODE)


def holds_any(text: str, words: tuple[str, ...]) -> bool:
    """False when ``text`` is ASCII and holds none of ``words`` (lower case) in any case: a
    case-insensitive pattern whose every match holds one of them cannot match it."""
    if not text.isascii():
        return True
    lower = text.lower()
    for word in words:  # noqa: SIM110 - a loop costs half of any() over a generator here
        if word in lower:
            return True
    return False


def _first(seq: list[tuple[Any, Any]]) -> tuple[list[tuple[Any, Any]], bool] | None:
    """(set items a match of ``seq`` may start with, whether ``seq`` may match nothing)."""
    found: list[tuple[Any, Any]] = []
    for op, av in seq:
        if op is C.LITERAL:
            return [*found, (op, av)], False
        if op is C.IN:
            if any(o is C.NEGATE for o, _ in av):
                return None
            return [*found, *av], False
        if op in _ZERO_WIDTH:
            continue  # takes no character: the next part gives the first one
        if op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & (re.IGNORECASE | re.VERBOSE | re.ASCII | re.UNICODE):
                return None
            inner = _first(list(sub))
        elif op is C.BRANCH:
            inner = _branches(av[1])
        elif op in _REPEATS:
            low, _high, sub = av
            inner = _first(list(sub))
            if inner is not None and low == 0:
                inner = inner[0], True
        else:
            return None  # any character, back references, conditionals...
        if inner is None:
            return None
        found.extend(inner[0])
        if not inner[1]:
            return found, False
    return found, True


def _branches(branches: list[Any]) -> tuple[list[tuple[Any, Any]], bool] | None:
    found: list[tuple[Any, Any]] = []
    empty = False
    for branch in branches:
        inner = _first(list(branch))
        if inner is None:
            return None
        found.extend(inner[0])
        empty = empty or inner[1]
    return found, empty


def _item_source(op: Any, av: Any) -> str | None:
    if op is C.LITERAL:
        return _char(av)
    if op is C.RANGE:
        return f"{_char(av[0])}-{_char(av[1])}"
    if op is C.CATEGORY:
        return _CATEGORIES.get(av)
    return None


def _char(code: int) -> str:
    return f"\\U{code:08x}"
