"""People and organisation names, which must not vote for places: whether a capitalised run
of words is a person's name ("Shelby Foote", "President Vladimir Putin", "coach Noma Dube") or
starts a newspaper's name ("the Augusta Herald").

The context scan (:mod:`docket.geo.scan`) asks :class:`PeopleReader` at each word that may start
a person's name (a given name or a title: ``people.yaml``) or follows a role word; the words of a
name read so are noted as people (:func:`note_person`), not counted as places.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docket.geo.context import (
    WORD,
    is_common_surname,
    is_given_name,
    is_organisation_head,
    is_personal_title,
    is_place_preposition,
    is_place_word,
    is_role_word,
    role_word_endings,
    without_possessive,
)
from docket.geo.names import NameReader, generic_words, name_key, site_words
from docket.memo import remember

if TYPE_CHECKING:
    from docket.geo.scan import Scan

# Characters before a name read for a word that places it ("from", "towards": people.yaml).
_LONGEST_PREPOSITION = 10
# ... and for a role word before a person's name ("superintendent": people.yaml).
_LONGEST_ROLE_WORD = 16


class PeopleReader:
    """Reads the person's name a run of words starts with (kept by run)."""

    def __init__(self, names: NameReader) -> None:
        self._names_area = names.names_area
        self._name_in_run = names.name_in_run
        self._person_cache: dict[str, int] = {}

    def person_in_run(self, run: str) -> int:
        """The length of the person's name that ``run`` (a run of words starting with a given
        name or a title: people.yaml) starts, 0 when it starts none; kept by run."""
        found = self._person_cache.get(run)
        if found is None:
            found = self._read_person(run)
            remember(self._person_cache, run, found)
        return found

    def person_after_role(self, run: str) -> int:
        """The length of the person's name that ``run`` starts right after a role word
        ("leader Vladimir Putin", "coach Noma Dube": people.yaml ``role_words``): its first word
        and the capitalised words after it, read as after a title; 0 for a single word or a
        possessive ("coach Boston's ...")."""
        first = WORD.match(run)
        if first is None or first.group().endswith(("'s", "’s", ".")):
            return 0
        return self._read_person(run, titled=True)

    def _read_person(self, run: str, *, titled: bool = False) -> int:
        """:meth:`person_in_run`: the capitalised words after the first that may be a
        surname, a further given name or an initial letting the name go on ("Mary Ann Roe",
        "Ann B. Roe"); not a gazetteer name of two words or more ("Prince George"). With
        ``titled``, the first word opens the name as a title would."""
        first, *rest = WORD.finditer(run)
        word = first.group()
        titled = titled or is_personal_title(word)
        if not titled and word.endswith(("'s", "’s", ".")):
            return 0
        after = _following(run, first, rest)
        if not (titled or self._names_full_name(word, after)):
            return 0
        capitals, last = word.isupper(), 0
        while after is not None and self._may_be_surname(after.group(), titled=titled):
            word = after.group()
            if word.isupper() and not capitals and not _is_initial(word):
                break  # "Brant OPP": an acronym after a name
            titled, last = False, after.end()
            if _is_initial(word):
                after = _following(run, after, rest)
                continue
            if not is_given_name(word) or word.endswith((".", "'s", "’s")):
                break  # a surname, or a name ending a sentence
            after = _following(run, after, rest)
        if not last or " " in (self._name_in_run(run)[2] or ""):
            return 0
        return last

    def _names_full_name(self, first: str, after: re.Match[str] | None) -> bool:
        """Whether a given name that is also a country's or first-level area's name is
        followed by a common surname or given name ("Victoria Smith", not "Georgia Bureau of
        Investigation"); True for other given names."""
        if not self._names_area(name_key(first)):
            return True
        return after is not None and (
            is_common_surname(after.group()) or is_given_name(after.group())
        )

    def _may_be_surname(self, word: str, *, titled: bool = False) -> bool:
        """A capitalised word after a given name that is not a place's generic word, a title,
        an organisation's head word, nor (unless ``titled``, right after a title: "President
        Vladimir Putin") a country's or first-level area's name ("Austin Texas")."""
        key = name_key(without_possessive(word))
        return not (
            key in generic_words()
            or key in site_words()
            or is_place_word(word)
            or is_personal_title(word)
            or is_organisation_head(word)
            or (not titled and self._names_area(key))
        )


def note_person(scan: Scan, text: str, start: int, length: int) -> int:
    """Note the person's name of ``length`` characters at ``start``: its words name no town
    the text is about, and its surname alone later names the person too ("Shelby said").
    Returns where the name ends."""
    end = start + length
    words = [name_key(without_possessive(word)) for word in text[start:end].split()]
    scan.ctx.people.update(words)
    scan.seen.add(words[-1])
    return end


def after_role_word(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows a role word and a space ("leader Vladimir")."""
    if not text.startswith(" ", start - 1) or not text[start - 2 : start - 1].islower():
        return False  # (the usual case, read cheaply)
    if text[start - 4 : start - 1] not in role_word_endings():
        return False  # (most words end otherwise; every role word has three letters or more)
    before = text[max(0, start - _LONGEST_ROLE_WORD) : start - 1].split()
    return bool(before) and is_role_word(before[-1])


def may_start_person(word: str) -> bool:
    """A given name or a title, which may start a person's name."""
    return is_given_name(word) or is_personal_title(word)


def _following(run: str, word: re.Match[str], rest: list[re.Match[str]]) -> re.Match[str] | None:
    """The capitalised word of ``run`` after ``word`` and a single space (``rest``: the words
    after the first), or None."""
    for after in rest:
        if after.start() > word.start():
            if (
                after.start() == word.end() + 1
                and run[word.end()] == " "
                and after.group()[0].isupper()
            ):
                return after
            return None
    return None


def placed_by_preposition(text: str, start: int, end: int) -> bool:
    """Whether the word before the name from ``start`` to ``end`` places it ("from Cherry
    Hinton"; not a possessive name: "in Ann Roe's car")."""
    if text.endswith(("'s", "’s"), start, end):
        return False
    before = text[max(0, start - _LONGEST_PREPOSITION) : start].split()
    return bool(before) and is_place_preposition(before[-1])


def names_organisation(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` starts a newspaper's name ("the Augusta Herald")."""
    after = _next_word(text, end)
    return after is not None and is_organisation_head(after[0])


def _next_word(text: str, end: int) -> tuple[str, int] | None:
    """The capitalised word after a single space at ``end`` and where it ends, or None."""
    if text[end : end + 1] != " " or not text[end + 1 : end + 2].isupper():
        return None
    found = WORD.match(text, end + 1)
    return (found.group(), found.end()) if found else None


def _is_initial(word: str) -> bool:
    """A middle initial ("B.")."""
    return len(word) == 2 and word[1] == "."
