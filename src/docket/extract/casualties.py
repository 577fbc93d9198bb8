"""Casualty figures: numbers, the words that qualify them and what happened to whom.

For each number in a sentence (digits or number words from ``data/extract/numbers.yaml``) the
rules look for a qualifier right before it ("at least", "more than", ...), what happened (a kind
word such as "killed" or "wounded" before or after it), who the people were ("civilians",
"fighters", "children"...), whether it is part of a larger figure ("including nine children"),
and whether it adds to the figure before it ("15 fighters and seven extremists").
Ranges follow the corpus conventions: "at least N" -> N/None, "up to N" -> None/N,
"more than N" -> N+1/None, "about N" -> N/N, "between A and B" -> A/B.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from docket.domain import Range, add_bound
from docket.extract.fastre import ends_after, first_char_guard
from docket.extract.phrases import Hit, normalize_phrase, window
from docket.extract.resources import Resources
from docket.memo import remember

_ANY_DIGIT = re.compile(r"\d+")
_ONE_OF = re.compile(
    r"^\s+of\s+(?:the\s+)?(?:\d|[a-z]+\s+(?:children|people|civilians|adults))", re.I
)
_PARENTHETICAL = re.compile(
    r"\s[-–—]\s.*?\s[-–—]\s|\([^)]*\)|,\s*(?:including|among them|among whom|of whom)[^,]*,|"
    r",\s*(?:including|among them|among whom|of whom)[^,.;]*?"
    r"(?=\s(?:were|was|are|is|have|has|had)\s)",
    re.IGNORECASE,
)
_ARABIC_TEXT = re.compile(r"[\u0600-\u06ff]")
# A number glued to the next word by a lost space ("60have been killed") still counts. Not
# after a word character, ".", ",", "/" or ":" (the look-behind after the first digit: a
# pattern led by a digit is searched for by a fast scan for digits).
_DIGITS = re.compile(
    r"\d(?<![\w.,/:]\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?!(?![a-z]{3,})[\w/:%])(?![.,]\d)"
)
_UNIT_AFTER = re.compile(
    r"^[\s-]*(?:km|kms|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|m\b|%|per ?cent|percent|years?|"
    r"year-old|months?|weeks?|days?|hours?|hrs|minutes?|mins|seconds?|am\b|pm\b|a\.m|p\.m|"
    r"o'clock|gmt|local time|kg|tons?|tonnes?|mm\b|times|st\b|nd\b|rd\b|th\b|ans|jahre|سنة|عاما|"
    r"كيلومتر|كم)",
    re.IGNORECASE,
)
# (its words are all lower case: an ASCII text in lower case matches it without IGNORECASE)
_UNIT_AFTER_LOWER = re.compile(_UNIT_AFTER.pattern)
_TOLL_BEFORE = re.compile(
    r"(?:toll|bilan|opferzahl|حصيلة)\b[^.;]{0,80}?(?:to|of|at|reached|stands at|stood at|à|auf|"
    r"up from|down from)\s*"
    r"(?:at least|more than|over|nearly|about|around|up to|almost)?\s*$",  # noqa: E501
    re.IGNORECASE,
)
# What _TOLL_BEFORE needs in a sentence before it can match anywhere in it.
_TOLL_WORD = re.compile(r"toll|bilan|opferzahl|حصيلة", re.IGNORECASE)
_TOLL_WORDS = ("toll", "bilan", "opferzahl")  # (in an ASCII sentence)
_BETWEEN = re.compile(r"\bbetween\s*$", re.IGNORECASE)
_RANGE_JOIN = re.compile(
    r"^\s*(?:-|–|—|to|and|à|bis|و|إلى)\s*(?P<open>more than|over|at least|plus de|mehr als)?\s*$",
    re.IGNORECASE,
)
_SUM_JOIN = re.compile(
    r"^\s*(?:,\s*)?(?:and|as well as|plus|along with|et|und|و)?\s*,?\s*(?:his|her|their|its)?\s*$",
    re.IGNORECASE,
)
_ELLIPSIS_JOIN = re.compile(
    r"(?:\band|,|;|\bet|\bund|و)\s*(?:(?:his|her|their)\s+)?$", re.IGNORECASE
)
_FAMILY = re.compile(
    r"^\s+and\s+(?:his|her|their)\s+(?:mother|father|wife|husband|son|daughter|brother|sister|"
    r"grandmother|grandfather)\b",
    re.IGNORECASE,
)
# A relative named without a count before the number: "Mother and six children killed".
_RELATIVE_BEFORE = re.compile(
    r"(?:^|[.;:,]\s*|\b(?:killed|killing|kill|kills|including)\s+)(?:mother|father|wife|husband|"
    r"grandmother|grandfather|woman|man)\s+and\s+(?:(?:his|her|their)\s+)?$",
    re.IGNORECASE,
)
_OF_THEM_AFTER = re.compile(
    r"^\s+(?:of\s+(?:them|whom)|among\s+them|[\w\s-]{0,40}?\b(?:were|was|are|is)\s+among\s+"
    r"(?:the\s+dead|the\s+victims|those\s+killed|the\s+wounded|the\s+injured))\b",
    re.IGNORECASE,
)
# Between two parts of one breakdown: "including three children and two women", "two to five
# children and 5 to seven women".
_LISTED_PART = re.compile(
    r"^\s*(?:(?:[\w'’-]+\s+){0,3}?(?:and|,)\s+|\s*(?:to|or|-|–)\s*)(?:between\s+|up\s+to\s+|at\s+least\s+|some\s+|"
    r"about\s+|nearly\s+|around\s+)?$",
    re.IGNORECASE,
)
_DASH_PART = re.compile(r"^\s+[A-Za-z]+(?:\s+[A-Za-z]+)?\s*(?:—|–|\s-|\()\s*$")
_DASH_ENDS = ("—", "–", "-", "(")  # what a _DASH_PART match ends with, before its blanks
_REVISED_FROM = re.compile(
    r"\b(?:up|down|revised|raised|lowered|increased|rising|rose)\s+from\s+(?:an?\s+)?(?:initial\s+)?$",
    re.IGNORECASE,
)
_ALONG_WITH = re.compile(
    r"(?:,\s*|\s)(?:along\s+with|together\s+with|in\s+addition\s+to)\s+$", re.IGNORECASE
)
_STILL_AFTER = re.compile(
    r"^\s*(?:(?:injured|wounded|people|persons)\s+)?(?:remain|remains|remained|are\s+still|"
    r"were\s+still|is\s+still|was\s+still|still)\b",
    re.IGNORECASE,
)
# What _STILL_AFTER needs in an ASCII sentence before it can match anywhere in it.
_STILL_WORDS = ("still", "remain")
# "a third was killed", "a second civilian died"; not "a third of", "a second strike".
_ORDINAL_PERSON_AFTER = re.compile(
    r"^\s+(?:was|were|is|has|had|died|later|also|person|civilian|child|man|woman|victim|body|"
    r"wurde|est|a\s+été)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;:!?\n]")

QUALIFIED = {
    "at_least": lambda n: (n, None),
    "up_to": lambda n: (None, n),
    "more_than": lambda n: (n + 1, None),
    "about": lambda n: (n, n),
    "fewer_than": lambda n: (None, max(n - 1, 0)),
}


@dataclass(slots=True)
class Figure:
    """One casualty figure in the text."""

    start: int
    end: int
    kind: str  # killed | injured
    count: Range
    victim: str  # civilian | combatant | child | woman | person
    subset: bool = False
    group: int = 0  # figures in one group add up ("15 fighters and seven extremists")
    sentence: int = 0
    name: str | None = None  # the person's name, for one named victim ("Hamza al-Ali")

    @property
    def civilian(self) -> bool:
        """Only when the text calls them civilians (children and women are not assumed)."""
        return self.victim == "civilian"


@dataclass(slots=True)
class _Number:
    start: int
    end: int
    value: int | None
    word: str
    subset: bool = False


def find_figures(
    text: str, sentences: list[tuple[int, int]], res: Resources, max_numbers: int = 400
) -> list[Figure]:
    """Casualty figures sentence by sentence (at most ``max_numbers`` numbers per sentence).

    A sentence's figures depend on its words alone, so those of a sentence read before (the
    boilerplate of a source) are taken from a cache, moved to where it stands."""
    figures: list[Figure] = []
    group = 0
    starts = [s for s, _ in sentences]
    with_numbers = _sentences_with_digits(text, starts)
    with_numbers.update(bisect.bisect_right(starts, pos) - 1 for pos in res.numbers.starts(text))
    cache = _sentence_cache(res, max_numbers)
    for index, (s_start, s_end) in enumerate(sentences):
        if index not in with_numbers:
            continue
        found = cache.get(text[s_start:s_end])
        if found is None:
            sentence = window(text, s_start, s_end)  # phrases found through the text's index
            # plain tuples: the garbage collector stops tracking them
            found = tuple(_sentence_figures(sentence, res, max_numbers))
            remember(cache, sentence, found, SENTENCE_CACHE_SIZE)
        for start, end, kind, low, high, victim, subset, in_group in found:
            figures.append(
                Figure(
                    s_start + start,
                    s_start + end,
                    kind,
                    Range(low=low, high=high),
                    victim,
                    subset,
                    group + in_group,
                    index,
                )
            )
        if found:
            group += found[-1][-1]
    return figures


def _sentences_with_digits(text: str, starts: list[int]) -> set[int]:
    """Indexes of the sentences (starting at ``starts``) that hold a digit. In an ASCII text each
    digit is looked for with ``str.find``, a sentence skipped once it holds one: ~20 times
    cheaper than a regex step at every character."""
    if not text.isascii() or not starts:
        return {bisect.bisect_right(starts, m.start()) - 1 for m in _ANY_DIGIT.finditer(text)}
    found: set[int] = set()
    find, last = text.find, len(starts) - 1
    for digit in "0123456789":
        pos = find(digit)
        while pos >= 0:
            index = bisect.bisect_right(starts, pos) - 1
            found.add(index)
            pos = find(digit, starts[index + 1]) if index < last else -1
    return found


SENTENCE_CACHE_SIZE = 20_000
_CachedFigure = tuple[int, int, str, int | None, int | None, str, bool, int]
_caches: dict[tuple[int, int], dict[str, tuple[_CachedFigure, ...]]] = {}


def _sentence_cache(res: Resources, max_numbers: int) -> dict[str, tuple[_CachedFigure, ...]]:
    """Figures by sentence text, for one set of resources (kept alive by ``res`` itself)."""
    key = (id(res), max_numbers)
    cache = _caches.get(key)
    if cache is None or _cache_owner.get(key) is not res:
        cache = _caches[key] = {}
        _cache_owner[key] = res
    return cache


_cache_owner: dict[tuple[int, int], Resources] = {}


class _Previous(NamedTuple):
    """What the rules read of the figure before."""

    kind: str
    victim: str
    subset: bool


def _sentence_figures(sentence: str, res: Resources, max_numbers: int) -> list[_CachedFigure]:
    """The figures of one sentence as plain tuples (the fields of :class:`Figure`, with the
    count's low and high), offsets in the sentence and groups counted from 1."""
    figures: list[_CachedFigure] = []
    group = 0
    kinds = res.kinds.find(sentence)
    if not kinds and not _TOLL_WORD.search(sentence):
        return figures  # no number can get a kind (see _kind), so no figure can start
    numbers = _numbers(sentence, res)[:max_numbers]
    if not numbers:
        return figures
    victims = res.victims.find(sentence)
    qualifiers = res.qualifiers.find(sentence)
    subsets = res.subset_cues.find(sentence)
    # what the toll and "still" patterns need (an ASCII sentence without it is not searched)
    lower = sentence.lower() if sentence.isascii() else None
    toll, still = _may_hold(lower, _TOLL_WORDS), _may_hold(lower, _STILL_WORDS)
    for k, n in enumerate(numbers):
        n.subset = _is_subset(sentence, n.start, n.end, subsets) or (
            k > 0
            and numbers[k - 1].subset
            and _LISTED_PART.match(sentence[numbers[k - 1].end : n.start]) is not None
        )
        if (
            k > 0
            and numbers[k - 1].value
            and sentence[numbers[k - 1].end : n.start].rstrip().endswith(_DASH_ENDS)
            and _DASH_PART.match(sentence[numbers[k - 1].end : n.start])
        ):
            n.subset = True  # "killed at least 26 people — 18 children and eight teachers —"
    previous: _Previous | None = None
    previous_victim_end = -1
    skip_until = -1
    for i, num in enumerate(numbers):
        if num.start < skip_until:
            continue
        if i > 0 and _noun_of(numbers[i - 1], num, sentence, victims):
            continue  # "22 مدنيا": the noun of the number before, not a count of one
        qualifier = _qualifier(sentence, num, qualifiers)
        low_high = _qualified(num, qualifier)
        end = num.end
        if i + 1 < len(numbers) and num.value is not None:
            nxt = numbers[i + 1]
            join = sentence[num.end : nxt.start]
            joined_range = _RANGE_JOIN.match(join)
            if (
                nxt.value is not None
                and joined_range
                and ("and" not in join.lower() or _BETWEEN.search(sentence[: num.start]))
                and nxt.value > num.value
            ):
                low_high = (num.value, None if joined_range.group("open") else nxt.value)
                end = nxt.end
                skip_until = nxt.end
        if _unit_after(sentence[end : end + 14]):
            continue
        if _ONE_OF.match(sentence[end : end + 24]):
            continue  # "one of seven children": the count is the one after
        victim, victim_end = _victim(sentence, end, victims, subsets)
        if victim is None:  # the number is the noun ("مقتل سيدة", "مدني واحد")
            victim = next((v.labels[0] for v in victims if num.start <= v.start < end), None)
        if num.word in ("a", "an", "un", "une", "ein", "eine") and (
            victim_end < 0 or len(sentence[end:victim_end].split()) > 2
        ):
            continue
        kind = _kind(sentence, num.start, end, kinds, numbers[i + 1 :], victim_end, toll)
        along = (
            previous is not None
            and not previous.subset
            and ends_after(sentence[max(0, num.start - 30) : num.start], _ALONG_WITH, _ALONG_ENDS)
        )
        if kind is None and along and previous is not None:
            kind = previous.kind  # "20 students were killed, along with three teachers"
        if (
            kind is None
            and previous is not None
            and ends_after(sentence[max(0, num.start - 30) : num.start], _REVISED_FROM, _FROM_ENDS)
        ):
            kind = previous.kind  # "the toll rose to 17, up from 16 initially reported"
        if kind is None and previous is not None:
            if num.subset:
                kind = previous.kind
            elif ends_after(
                sentence[max(0, num.start - 14) : num.start],
                _ELLIPSIS_JOIN,
                _JOIN_ENDS,
                blank=False,
            ):
                kind = previous.kind
                if victim is None or victim == "person":
                    victim = (
                        victim
                        if victim == "person" and previous.victim == "person"
                        else previous.victim
                    )
        if kind is None or low_high == (None, None):
            continue
        if still and _STILL_AFTER.match(sentence[max(end, victim_end) : max(end, victim_end) + 40]):
            previous = None  # "three injured people remain in hospital": a count of now
            continue
        others = victim_end > 0 and sentence[:victim_end].lower().endswith("others")
        if (victim is None or others) and previous is not None:
            # "one civilian dead in Bicgas, five others in Bdeite": the same kind of people
            victim = previous.victim if previous.victim in ("civilian", "combatant") else victim
        if victim is None:
            victim = "person"
        extra = bool(_FAMILY.match(sentence[victim_end if victim_end > 0 else end :])) or bool(
            ends_after(sentence[max(0, num.start - 40) : num.start], _RELATIVE_BEFORE, _AND_ENDS)
        )
        if extra and low_high[0] is not None:
            low_high = (low_high[0] + 1, low_high[1] + 1 if low_high[1] is not None else None)
        # (num.subset is False: then _is_subset said False for the number alone)
        subset = num.subset or (end != num.end and _is_subset(sentence, num.start, end, subsets))
        if (
            previous is not None
            and previous.subset
            and previous_victim_end > 0
            and _SUM_JOIN.match(sentence[previous_victim_end : num.start])
        ):
            subset = True
        joined = (
            previous is not None
            and previous.kind == kind
            and not subset
            and not previous.subset
            and (
                along
                or previous_victim_end > 0
                and _SUM_JOIN.match(sentence[previous_victim_end : num.start]) is not None
            )
        )
        if not joined:
            group += 1
        start = qualifier.start if qualifier else num.start
        figures.append((start, end, kind, low_high[0], low_high[1], victim, subset, group))
        previous = _Previous(kind, victim, subset)
        previous_victim_end = victim_end if victim_end > 0 else end
    return figures


def _may_hold(lower: str | None, words: tuple[str, ...]) -> bool:
    """False where an ASCII sentence in lower case (``lower``; None for another sentence) holds
    none of ``words``: a case-insensitive pattern that needs one cannot match in it."""
    if lower is None:
        return True
    for word in words:  # noqa: SIM110 - a generator costs more than the searches
        if word in lower:
            return True
    return False


def _noun_of(before: _Number, num: _Number, sentence: str, victims: list[Hit]) -> bool:
    """A victim noun counted as one ("سيدة") right after another number is that number's noun."""
    return not sentence[before.end : num.start].strip() and any(
        num.start <= v.start < num.end for v in victims
    )


# Possessive runs and a label that starts on a visible character: linear on indented lines.
_LABEL_LINE = re.compile(
    r"^[ \t•*·-]*+(?P<label>[^\s\d:][^\d\n:]{2,59}?)[ \t]*+:?[ \t]*+\n", re.MULTILINE
)
_VALUE_LINE = re.compile(
    r"[ \t•*·-]*(?P<low>\d{1,6})(?:[ \t]*(?:-|–|—|to)[ \t]*(?P<high>\d{1,6}))?[ \t]*(?:\n|$)"
)


# Where a value line may start: a line that opens with a number (after bullets and blanks).
_NUMBER_LINE = re.compile(r"\n[ \t•*·-]*\d")


def _label_lines(text: str) -> list[re.Match[str]]:
    """The matches of ``_LABEL_LINE`` that a line opening with a number follows (those a value
    line can follow), in order. Such lines are rare in prose: they are found first, by a
    search led by the line break, and only the line before each is tried (a label's match
    ends at the first line break after it)."""
    found: list[re.Match[str]] = []
    for number_line in _NUMBER_LINE.finditer(text):
        line_end = number_line.start()
        line_start = text.rfind("\n", 0, line_end) + 1
        # its label, between the bullets and the spaces and colon, is 60 characters at most
        if len(text[line_start:line_end].lstrip(" \t•*·-").rstrip(" \t:")) <= 60:
            m = _LABEL_LINE.match(text, line_start)
            if m is not None:
                found.append(m)
    return found


def labelled_figures(text: str, starts: list[int], res: Resources) -> list[Figure]:
    """Figures of summary tables, a label line over a value line ("Civilians reported killed"
    then "2 – 5"), as monitors' incident pages print them."""
    out: list[Figure] = []
    for m in _label_lines(text):
        label = m.group("label")
        if len(label.split()) > 6:
            continue
        value = _VALUE_LINE.match(text, m.end())
        kinds = res.kinds.find(label)
        if value is None or not kinds:
            continue
        low, high = int(value["low"]), int(value["high"] or value["low"])
        if high < low:
            continue
        victims = res.victims.find(label)
        out.append(
            Figure(
                value.start("low"),
                value.end("high") if value["high"] else value.end("low"),
                kinds[0].labels[0],
                Range(low=low, high=high),
                victims[0].labels[0] if victims else "person",
                sentence=max(bisect.bisect_right(starts, value.start("low")) - 1, 0),
                group=-1 - len(out),
            )
        )
    return out


_NAMED_KIND = {
    "died": "killed",
    "killed": "killed",
    "martyred": "killed",
    "injured": "injured",
    "wounded": "injured",
}


def _may_name_victim(text: str, res: Resources) -> bool:
    """False where ``res.named_victim_pattern`` cannot match an ASCII ``text`` (its words are
    plain lower case there): neither "died" nor "was" / "were" and blanks before a word of
    ``_NAMED_KIND`` is in it, or none of the victim nouns is."""
    nouns = _ascii_nouns(tuple(res.named_victims))
    if nouns is None or not text.isascii():
        return True
    lower = text.lower()
    if "died" not in lower and not any(_was_before(lower, kind) for kind in _WAS_KINDS):
        return False
    return any(noun in lower for noun in nouns)


_WAS_KINDS = ("killed", "martyred", "injured", "wounded")  # after "was" / "were" in the pattern


def _was_before(lower: str, word: str) -> bool:
    """Whether ``word`` stands somewhere in ``lower`` after "was" or "were" and blanks."""
    pos = lower.find(word)
    while pos >= 0:
        blank = pos
        while blank > 0 and lower[blank - 1].isspace():
            blank -= 1
        if blank < pos and lower.endswith(("was", "were"), 0, blank):
            return True
        pos = lower.find(word, pos + 1)
    return False


@lru_cache(maxsize=8)
def _ascii_nouns(nouns: tuple[str, ...]) -> tuple[str, ...] | None:
    """The victim nouns in lower case, when all are ASCII (one that is not might match other
    letters in any case)."""
    if not all(noun.isascii() for noun in nouns):
        return None
    return tuple(noun.lower() for noun in nouns)


# The groups of named victims' figures (NAMED_GROUP, NAMED_GROUP - 1, ...): each person alone.
NAMED_GROUP = -1000


def named_victim_figures(text: str, starts: list[int], res: Resources) -> list[Figure]:
    """One named person killed or hurt: "The infant Hamza al-Ali died on 22 November"."""
    out: list[Figure] = []
    if not _may_name_victim(text, res):
        return out
    for m in res.named_victim_pattern.finditer(text):
        out.append(
            Figure(
                m.start("noun"),
                m.end("name"),
                _NAMED_KIND[m.group("kind").split()[-1].lower()],
                Range(low=1, high=None),  # naming one victim does not bound the toll
                res.named_victims[m.group("noun").lower()],
                sentence=max(bisect.bisect_right(starts, m.start()) - 1, 0),
                group=NAMED_GROUP - len(out),
                name=m.group("name"),
            )
        )
    return out


def none_reported(text: str, res: Resources) -> list[Hit]:
    """Phrases saying nobody was killed or hurt."""
    return res.none_cues.find(text)


def _numbers(sentence: str, res: Resources) -> list[_Number]:
    found = [
        _Number(m.start(), m.end(), _to_int(m.group()), m.group())
        for m in _DIGITS.finditer(sentence)
    ]
    values, ordinals = res.number_values, res.person_ordinals
    for hit in res.numbers.finditer(sentence):
        word = normalize_phrase(hit.text)
        found.append(_Number(hit.start, hit.end, values.get(word), word))
    found = [  # (one pass, the cheapest test first)
        n
        for n in found
        if not _is_year(n, sentence)
        and not (
            n.word in ordinals and not _ORDINAL_PERSON_AFTER.match(sentence[n.end : n.end + 16])
        )
        and not _measure(sentence[n.end : n.end + 24])
    ]
    found.sort(key=_order)
    merged: list[_Number] = []
    for n in found:
        if merged and n.start < merged[-1].end:
            continue
        merged.append(n)
    return merged


def _order(n: _Number) -> tuple[int, int]:
    """Numbers by where they start, the longest first."""
    return n.start, -n.end


def count_numbers(text: str, res: Resources) -> list[_Number]:
    """Numbers (digits and number words) in ``text``, without measures and years."""
    return _numbers(text, res)


def _measure(after: str) -> bool:
    """A number of years, kilometres... also as the first end of a range ("6 and 14 years")."""
    if _unit_after(after):
        return True
    rest = _RANGE_REST.match(after)
    return rest is not None and _unit_after(after[rest.end() :])


_RANGE_REST = re.compile(r"^\s*(?:-|–|to|and)\s*\d+")


def _unit_after(after: str) -> bool:
    """``_UNIT_AFTER.match(after)``; an ASCII ``after`` is matched in lower case, where the
    pattern's alternatives are told apart by their first letter (faster than IGNORECASE)."""
    if after.isascii():
        return _UNIT_AFTER_LOWER.match(after.lower()) is not None
    return _UNIT_AFTER.match(after) is not None


def _to_int(digits: str) -> int | None:
    try:
        return int(digits.replace(",", ""))
    except ValueError:
        return None


def _is_year(n: _Number, sentence: str) -> bool:
    return n.value is not None and 1900 <= n.value <= 2100 and n.word.isdigit()


def _qualified(num: _Number, q: Hit | None) -> tuple[int | None, int | None]:
    """The bounds of ``num`` under its qualifier ``q`` (see :func:`_qualifier`)."""
    if num.value is None:
        return (None, None)
    return QUALIFIED[q.labels[0]](num.value) if q else (num.value, num.value)


def _qualifier(sentence: str, num: _Number, qualifiers: list[Hit]) -> Hit | None:
    for q in qualifiers:
        if q.end <= num.start and sentence[q.end : num.start].strip() in ("", "of"):
            return q
        if q.start >= num.start:
            break
    return None


def _victim(
    sentence: str, end: int, victims: list[Hit], subsets: list[Hit] | None = None
) -> tuple[str | None, int]:
    """Who the counted people were: the first victim word within three words after the number."""
    for v in victims:
        if v.start < end:
            continue
        between = sentence[end : v.start]
        if _CLAUSE_END.search(between) or len(between.split()) > 3 or "," in between:
            return None, -1
        if subsets and any(end <= c.start < v.start for c in subsets):
            return None, -1
        return v.labels[0], v.end
    return None, -1


_BEFORE_OK = frozenset(
    [
        "at",
        "least",
        "more",
        "than",
        "up",
        "to",
        "as",
        "many",
        "nearly",
        "about",
        "around",
        "some",
        "over",
        "a",
        "an",
        "further",
        "another",
        "total",
        "between",
        "of",
        "estimated",
        "family",
        "almost",
        "roughly",
        "approximately",
        "close",
        "no",
        "fewer",
        "minimum",
        "au",
        "moins",
        "plus",
        "de",
        "près",
        "environ",
        "mindestens",
        "mehr",
        "als",
        "bis",
        "zu",
        "etwa",
        "rund",
        "weitere",
        "another",
    ]
)
_ARTICLES = frozenset(("a", "an", "un", "une", "ein", "eine"))
_LINKING = frozenset(
    [
        "were",
        "was",
        "have",
        "has",
        "been",
        "had",
        "are",
        "is",
        "reportedly",
        "later",
        "also",
        "all",
        "more",
        "others",
        "other",
        "of",
        "whom",
        "them",
        "people",
        "persons",
        "who",
        "civilians",
        "reported",
        "believed",
        "said",
        "to",
        "be",
        "being",
        "got",
    ]
)


def _kind(
    sentence: str,
    start: int,
    end: int,
    kinds: list[Hit],
    later: list[_Number],
    victim_end: int = -1,
    toll: bool = True,
) -> str | None:
    """What happened to the people counted: a kind word just before, or soon after, the number
    (before the next count of ``later``, the numbers after it); ``toll`` is False where the
    sentence has no toll word."""
    for k in reversed(kinds):
        if k.end > start:
            continue
        between = sentence[k.end : start].replace(":", " ")
        if len(between.split()) <= 3 and not _CLAUSE_END.search(between):
            words = [w.lower() for w in between.split()]
            if all(w in _BEFORE_OK for w in words):
                return k.labels[0]
        break
    if toll and _TOLL_BEFORE.search(sentence[max(0, start - 120) : start]):
        return "killed"
    limit = _next_count(sentence, end, later, victim_end)
    for k in kinds:
        if k.start < end:
            continue
        if k.start >= limit:
            break
        between = _PARENTHETICAL.sub(" ", sentence[max(end, victim_end) : k.start])
        if _CLAUSE_END.search(between) or len(between.split()) > 7:
            break
        if victim_end < 0 and not _ARABIC_TEXT.search(between):
            words = [w.strip(",()").lower() for w in between.split()]
            if any(w and w not in _LINKING for w in words):
                break
        return k.labels[0]
    return None


def _next_count(sentence: str, end: int, later: list[_Number], victim_end: int) -> int:
    """Where the next count after ``end`` starts: not a part, not an article, not added to the
    people counted before it ("15 fighters and seven extremists"); else the sentence's end."""
    for n in later:
        if (
            not n.subset
            and n.start >= end
            and n.word not in _ARTICLES
            and not (victim_end > 0 and _SUM_JOIN.match(sentence[victim_end : n.start]))
        ):
            return n.start
    return len(sentence)


def _is_subset(sentence: str, start: int, end: int, subsets: list[Hit]) -> bool:
    for s in subsets:
        between = sentence[s.end : start]
        if s.end <= start and len(between.split()) <= 3 and not _CLAUSE_END.search(between):
            return True
    after = sentence[end : end + 60]
    return _may_say_of_them(after) and _OF_THEM_AFTER.match(after) is not None


def _may_say_of_them(after: str) -> bool:
    """False where ``_OF_THEM_AFTER`` cannot match an ASCII ``after`` (blanks, then "of" or a
    phrase with "among"): two plain searches instead of the pattern's 40 tries."""
    if not after.isascii():
        return True
    lower = after.lower()
    return after[:1].isspace() and ("among" in lower or lower.lstrip().startswith("of"))


# The words the patterns below end with (before the blanks they need at the end, unless
# ``blank=False``), in lower case: see fastre.ends_after.
_ALONG_ENDS = ("with", "to")
_FROM_ENDS = ("from", "a", "an", "initial")
_JOIN_ENDS = ("and", ",", ";", "et", "und", "his", "her", "their")
_AND_ENDS = ("and", "his", "her", "their")


def totals(figures: list[Figure]) -> list[Figure]:
    """Figures that count everyone: not subsets, and not a children-only or women-only count
    when another figure counts people at large ("five children were among the 50 dead")."""
    whole = [f for f in figures if not f.subset]
    if len(whole) <= 1:  # (most counts: no groups to weigh)
        return whole
    groups: dict[int, list[Figure]] = {}
    for f in whole:
        groups.setdefault(f.group, []).append(f)
    partial = {
        g for g, members in groups.items() if any(m.victim in ("child", "woman") for m in members)
    }
    general = [f for f in whole if f.group not in partial]
    return general if general else whole


def combine(figures: list[Figure]) -> Range:
    """One range from several figures for the same attack: lowest low to highest high.

    Figures of one group are first added up. The high end stays open when the highest figure
    is open-ended ("at least 38" above every closed figure).
    """
    if not figures:
        return Range()
    low, high = combined_bounds(figures)
    return Range(low=low, high=high)


Bounds = tuple[int | None, int | None]  # (low, high) of a range, ``None`` for an open end


def combined_bounds(figures: list[Figure]) -> Bounds:
    """:func:`combine`'s low and high, as plain numbers (no :class:`Range` built on the way)."""
    if len(figures) <= 1:  # (most counts: no sums to make)
        if not figures:
            return None, None
        low, high = figures[0].count.low, figures[0].count.high
        return low, None if low is not None and high is not None and high < low else high
    sums: dict[int, Bounds] = {}
    for f in figures:
        found = sums.get(f.group)
        low, high = f.count.low, f.count.high
        sums[f.group] = (
            (low, high) if found is None else (add_bound(found[0], low), add_bound(found[1], high))
        )
    lows = [low for low, _ in sums.values() if low is not None]
    highs = [high for _, high in sums.values() if high is not None]
    open_lows = [low for low, high in sums.values() if high is None and low is not None]
    low = min(lows) if lows else None
    high = max(highs) if highs else None
    if open_lows and (high is None or max(open_lows) >= high):
        high = None
    if high is None and low is None and highs:
        high = max(highs)
    if low is not None and high is not None and high < low:
        high = None
    return low, high


# The same matches, failing faster where a match cannot start (see docket.extract.fastre).
_TOLL_BEFORE, _ALONG_WITH, _RELATIVE_BEFORE, _BETWEEN = map(
    first_char_guard, (_TOLL_BEFORE, _ALONG_WITH, _RELATIVE_BEFORE, _BETWEEN)
)
