"""Phrase matching: many lower-case phrases compiled into one trie-shaped regular expression.

A flat alternation of hundreds of phrases is slow in Python's ``re``; the same phrases arranged as
a trie (shared prefixes factored out) match about eight times faster. Latin-script phrases match
on word boundaries; Arabic-script phrases may carry attached clitics (و, ب, ل, ال ...) so they
match inside words.

Scanning a long text once per phrase set still costs a regex step at every character, so a
text of more than a sentence or two is read once, by a :class:`WordIndex` shared by all phrase
sets: when every word of the text is ASCII (most English reports), one regex of the phrases of
every set (a :class:`Lexicon`) finds where each set's phrases start, and a set's hits are read
from that; in other texts a set tries its pattern only at the words that begin one of its
phrases. The hits are the same as ``pattern.finditer`` gives.
"""

from __future__ import annotations

import bisect
import operator
import re
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_SPACE = re.compile(r"[\s\-]+")
_WORDS = re.compile(r"\w+")
_LEADING_WORD = re.compile(r"\w+")
_WORD_SPLIT = re.compile(r"(\w+)")  # gap, word, gap, word, ..., gap
# The same in a lower-cased ASCII text, where ``\w`` holds no more than these (a short class:
# read ~20% faster than ``\w``'s Unicode categories)
_ASCII_WORD_SPLIT = re.compile(r"([a-z0-9_]+)")
_NON_ASCII_WORD_CHAR = re.compile(r"[^\W\x00-\x7f]")
# Below this length a plain scan is as cheap as building a word index.
INDEX_MIN_CHARS = 80


@lru_cache(maxsize=50_000)  # (asked again and again for the words of a vocabulary)
def normalize_phrase(text: str) -> str:
    """The lookup key of a phrase: lower case, hyphens and runs of spaces as one space."""
    lower = text.lower().replace("’", "'")
    if lower.isalnum():  # one word (most asks): no blank nor hyphen to fold
        return lower
    return _SPACE.sub(" ", lower).strip()


def _escape(ch: str) -> str:
    if ch == " ":
        # (not "[\s\-]+": ``re`` passes over a branch that starts with a character class
        # without entering it when the class does not hold the character, not one that starts
        # with a repeat)
        return r"[\s\-][\s\-]*"
    if ch == "'":
        return "['’]"
    return re.escape(ch)


def trie_pattern(phrases: Iterable[str], *, common_first: bool = False) -> str:
    """A regex source matching any of ``phrases`` (already normalised), longest first. With
    ``common_first`` the branches of each node are tried in the order of ``_COMMON_FIRST``
    (for a pattern matched case-sensitively: the branches, starting with different
    characters, then exclude each other, and any order gives the same matches)."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _build(trie, _branch_order if common_first else _alphabetical)


# English letters, the most frequent first, after the gap between words: ``re`` tries a node's
# branches one by one, so a word read along the trie passes over fewer of them in this order.
_COMMON_FIRST = " etaoinsrhldcumfpgwybvkxjqz"


def _alphabetical(ch: str) -> tuple[int, str]:
    return 0, ch


def _branch_order(ch: str) -> tuple[int, str]:
    rank = _COMMON_FIRST.find(ch)
    return (rank if rank >= 0 else len(_COMMON_FIRST)), ch


def _build(node: dict[str, dict], order: Callable[[str], tuple[int, str]]) -> str:
    children = sorted((ch for ch in node if ch), key=order)
    branches = [_escape(ch) + _build(node[ch], order) for ch in children]
    if not branches:
        return ""
    if "" in node:
        if len(branches) == 1 and len(branches[0]) == 1:
            return branches[0] + "?"
        # "(?:a|b|)" rather than "(?:a|b)?": the same matches, without the costlier repeat
        return "(?:" + "|".join(branches) + "|)"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@dataclass(frozen=True, slots=True)
class Hit:
    """One phrase found in a text: where, the words, and the labels the phrase carries."""

    start: int
    end: int
    text: str
    labels: tuple[str, ...]


_set_start, _set_end, _set_text, _set_labels = (
    Hit.__dict__[name].__set__ for name in ("start", "end", "text", "labels")
)


def _new_hit(start: int, end: int, text: str, labels: tuple[str, ...]) -> Hit:
    """``Hit(start, end, text, labels)``, the same object made in about half the time: its
    slots set directly, not through the frozen class's ``__setattr__`` check (the texts of a
    document make dozens of hits)."""
    hit = object.__new__(Hit)
    _set_start(hit, start)
    _set_end(hit, end)
    _set_text(hit, text)
    _set_labels(hit, labels)
    return hit


Labels = tuple[str, ...]
# (length, labels) of each phrase of one set starting at one word, shortest first
Ends = tuple[tuple[int, Labels], ...]
# the phrases of each set starting at one place: (slot, ends)
Starting = tuple[tuple[int, Ends], ...]


class _Node:
    """A phrase's words so far: the sets whose phrase ends here, and the words that may follow
    (keyed by the gap before them, as phrases write it, and the word: " strike", ".s")."""

    __slots__ = ("ends", "next")

    def __init__(self) -> None:
        self.ends: tuple[tuple[int, Labels], ...] = ()
        self.next: dict[str, _Node] = {}


class Lexicon:
    """The phrases of every phrase set, found in a text at once.

    Only texts whose words are all ASCII are read: there a set's pattern matches at a word
    exactly where its phrase's words equal the text's lower-cased words and each gap between
    them equals the text's gap with runs of spaces and hyphens as one space and "’" as "'"
    (as the pattern's character classes for a space and an apostrophe read it), and it takes
    the longest such phrase. One regular expression, the trie of every set's phrases written
    as the sets' patterns write them, finds where some phrase starts and the longest phrase
    there; the phrases of each set inside that one (its shorter prefixes) are read from a trie
    of words, once per distinct text of a longest phrase. The tests compare the two on many
    texts."""

    def __init__(self) -> None:
        self.root: dict[str, _Node] = {}
        self.slots = 0
        self._ends_of: dict[int, list[_Node]] = {}  # slot -> the nodes where its phrases end
        self._phrases_of: dict[int, list[str]] = {}
        self._holders: dict[str, int] = {}  # phrase -> how many sets hold it
        self._scans: _Scans | None = None
        # the text of a longest phrase -> the phrases of each set at its start
        self._starting: dict[str, Starting] = {}

    def add(self, phrases: Mapping[str, Labels]) -> int | None:
        """Add one set's normalised phrases; its slot, or None when some phrase cannot be found
        by words (it starts or ends with a non-word character, or holds a non-ASCII character
        that could match in an ASCII text)."""
        keys = []
        for phrase in phrases:
            if _ARABIC.search(phrase):
                continue
            parts = _WORD_SPLIT.split(phrase)
            if parts[0] or parts[-1] or len(parts) < 3:
                return None
            if not phrase.isascii():
                others = [ch for ch in phrase if not ch.isascii()]
                if any(not _is_word(ch) or _folds_to_ascii(ch) for ch in others):
                    return None  # may match in a text whose words are all ASCII
                continue  # a non-ASCII letter: never in a text whose words are all ASCII
            keys.append((phrase, parts, phrases[phrase]))
        slot = self.slots
        self.slots += 1
        ends = self._ends_of[slot] = []
        self._phrases_of[slot] = [phrase for phrase, _parts, _labels in keys]
        for phrase, parts, labels in keys:
            node = self.root.get(parts[1])
            if node is None:
                node = self.root[parts[1]] = _Node()
            for k in range(3, len(parts), 2):
                key = parts[k - 1] + parts[k]
                child = node.next.get(key)
                if child is None:
                    child = node.next[key] = _Node()
                node = child
            node.ends = (*node.ends, (slot, labels))  # a new tuple: a read may be using it
            ends.append(node)
            self._holders[phrase] = self._holders.get(phrase, 0) + 1
        self._changed()
        return slot

    def remove(self, slot: int) -> None:
        """Forget a set's phrases (its set is gone): texts read later do not report its slot."""
        for node in self._ends_of.pop(slot, ()):
            node.ends = tuple(end for end in node.ends if end[0] != slot)
        for phrase in self._phrases_of.pop(slot, ()):
            held = self._holders.pop(phrase) - 1
            if held:
                self._holders[phrase] = held
        self._changed()

    def _changed(self) -> None:
        self._scans = None
        self._starting = {}  # a new dict: a read may be using the old one

    def find(self, lower: str) -> dict[int, list[tuple[int, Ends]]]:
        """For each slot, where its phrases start in ``lower`` (a lower-cased text whose word
        characters are all ASCII) and the (length, labels) of each phrase starting there."""
        scans = self._scans
        if scans is None:
            if not self._holders:
                return {}
            scans = self._scans = _Scans.of(self._holders)
        starting = self._starting
        found: defaultdict[int, list[tuple[int, Ends]]] = defaultdict(list)
        for m in scans.matches(" " + lower):
            words = m[1]
            at = starting.get(words)
            if at is None:
                at = self._phrases_starting(words, starting)
            start = m.end() - 1
            for slot, ends in at:
                found[slot].append((start, ends))
        return found

    def _phrases_starting(self, words: str, starting: dict[str, Starting]) -> Starting:
        """The phrases of each set at the start of ``words`` (a longest phrase as the text
        writes it), read from the trie of words, and kept."""
        parts = _ASCII_WORD_SPLIT.split(words)  # "", word, gap, word, ..., ""
        ends: dict[int, list[tuple[int, Labels]]] = {}
        node = self.root.get(parts[1])
        length = len(parts[1])
        k = 1
        while node is not None:
            for slot, labels in node.ends:
                ends.setdefault(slot, []).append((length, labels))
            if k + 2 >= len(parts):
                break
            gap = parts[k + 1]
            word = parts[k + 2]
            length += len(gap) + len(word)
            if gap != " ":
                gap = _SPACE.sub(" ", gap.replace("’", "'"))
            node = node.next.get(gap + word)
            k += 2
        at = tuple((slot, tuple(slot_ends)) for slot, slot_ends in ends.items())
        if len(starting) > 20_000:
            starting.clear()
        starting[words] = at
        return at


@dataclass(frozen=True)
class _Scans:
    """The patterns that find where a :class:`Lexicon`'s phrases start.

    ``anywhere`` is tried after every character that is no word character (the text is read
    with a blank before it). In a text all ASCII, blanks (and hyphens, when no phrase holds
    one) are read as spaces first: every pattern of phrases reads them alike (as a gap between
    words, ``_escape``), so the matches are the same, and most words then start after a space,
    where ``after_space`` finds them by its first character alone (``re`` tries a pattern that
    starts with a class of characters by a call per character of the text: ~1.5% of the
    instructions of extraction). The few words after another character are tried one by
    one."""

    anywhere: re.Pattern[str]
    after_space: re.Pattern[str]
    blanks: bytes  # bytes.translate table: the characters read as spaces

    @classmethod
    def of(cls, phrases: Iterable[str]) -> _Scans:
        phrases = list(phrases)
        # a word's start followed by a phrase that ends where a word ends
        body = r"(?=(" + trie_pattern(phrases, common_first=True) + r")(?![a-z0-9_]))"
        held = {ch for phrase in phrases for ch in phrase}
        blanks = [c for c in map(chr, range(128)) if (c.isspace() or c == "-") and c not in held]
        return cls(
            re.compile("[^a-z0-9_]" + body),
            re.compile(" " + body),
            bytes.maketrans("".join(blanks).encode("ascii"), b" " * len(blanks)),
        )

    def matches(self, text: str) -> Iterable[re.Match[str]]:
        """The matches of ``anywhere`` in ``text``, in order."""
        if not text.isascii():
            return self.anywhere.finditer(text)
        # (as bytes: half the instructions of ``str.translate``)
        data = text.encode("ascii").translate(self.blanks)
        text = data.decode("ascii")
        found = list(self.after_space.finditer(text))
        anywhere = self.anywhere.match
        others = [m for at in _starts_after_other(data) if (m := anywhere(text, at)) is not None]
        if others:
            found.extend(others)
            found.sort(key=_match_start)
        return found


# Each byte of an ASCII text as "w" (a word character of the patterns, ``[a-z0-9_]``), " " (a
# space) or "." (any other).
_WORD_BYTES = b"abcdefghijklmnopqrstuvwxyz0123456789_"
_CHARACTER_KINDS = bytes(
    ord("w") if b in _WORD_BYTES else ord(" ") if b == ord(" ") else ord(".") for b in range(256)
)


def _starts_after_other(data: bytes) -> Iterator[int]:
    """Where a character that is neither a word character nor a space comes right before one
    that is, in an ASCII text as bytes (``at`` of the earlier)."""
    kinds = data.translate(_CHARACTER_KINDS)
    at = kinds.find(b".w")
    while at >= 0:
        yield at
        at = kinds.find(b".w", at + 2)


_match_start = operator.methodcaller("start")


LEXICON = Lexicon()


class WordIndex:
    """One text read once: where its words start, by lower-case form (non-ASCII words apart),
    and, when its words are all ASCII, where each phrase set's phrases are (:class:`Lexicon`)."""

    __slots__ = (
        "text",
        "other_starts",
        "has_arabic",
        "_starts",
        "_candidates",
        "_lower",
        "_found",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.other_starts: list[int] = []
        self._candidates: dict[int, list[int]] = {}
        self._found: dict[int, list[tuple[int, Ends]]] | None = None
        self._starts: dict[str, list[int]] | None = None
        lower = text.lower()
        if len(lower) == len(text) and (
            text.isascii() or _NON_ASCII_WORD_CHAR.search(text) is None
        ):
            self.has_arabic = False  # Arabic letters are word characters
            self._lower = lower
            self._found = LEXICON.find(lower)
            return
        starts: dict[str, list[int]] = {}
        for m in _WORDS.finditer(text):
            word = m.group()
            if word.isascii():
                starts.setdefault(word.lower(), []).append(m.start())
            else:
                self.other_starts.append(m.start())  # compared case-insensitively by the pattern
        self.has_arabic = _ARABIC.search(text) is not None
        self._starts = starts

    @property
    def starts(self) -> dict[str, list[int]]:
        """Where each (ASCII, lower-case) word starts."""
        if self._starts is None:
            starts: dict[str, list[int]] = {}
            for m in _WORDS.finditer(self._lower):
                starts.setdefault(m.group(), []).append(m.start())
            self._starts = starts
        return self._starts

    def candidates(self, firsts: frozenset[str]) -> list[int]:
        """Where a phrase whose leading word is in ``firsts`` may start, in order."""
        found = self._candidates.get(id(firsts))
        if found is None:
            starts = self.starts
            found = [pos for word in starts.keys() & firsts for pos in starts[word]]
            found.extend(self.other_starts)
            found.sort()
            self._candidates[id(firsts)] = found
        return found

    def phrase_starts(self, slot: int) -> list[int] | None:
        """Where the hits of the set in ``slot`` start (as :meth:`phrase_hits` finds them, with
        no hit made; None when the text was not read by the lexicon)."""
        if self._found is None:
            return None
        starts = []
        reached = 0
        for start, ends in self._found.get(slot, ()):
            if start >= reached:
                starts.append(start)
                reached = start + ends[-1][0]
        return starts

    def phrase_hits(self, slot: int, lo: int = 0, hi: int | None = None) -> list[Hit] | None:
        """The hits of the set in ``slot`` in ``text[lo:hi]`` alone, offsets from ``lo`` (None
        when the text was not read by the lexicon)."""
        if self._found is None:
            return None
        entries = self._found.get(slot)
        if not entries:
            return []
        text = self.text
        hits = []
        reached = lo
        if hi is None:
            for start, ends in entries:
                if start >= reached:
                    length, labels = ends[-1]
                    end = start + length
                    hits.append(_new_hit(start, end, text[start:end], labels))
                    reached = end
            return hits
        for start, ends in entries[bisect.bisect_left(entries, (lo,)) :]:
            if start >= hi:
                break
            if start < reached:
                continue
            for length, labels in reversed(ends):
                end = start + length
                if end <= hi:  # the longest phrase the piece holds whole
                    hits.append(_new_hit(start - lo, end - lo, text[start:end], labels))
                    reached = end
                    break
        return hits


class Window:
    """A piece ``text[offset:offset + len(piece)]`` of an indexed text, looked up through the
    index of the whole text (see :func:`window`)."""

    __slots__ = ("text", "whole", "offset", "has_arabic")

    def __init__(self, piece: str, whole: WordIndex, offset: int) -> None:
        self.text = piece
        self.whole = whole
        self.offset = offset
        self.has_arabic = whole.has_arabic

    def candidates(self, firsts: frozenset[str]) -> list[int]:
        found = self.whole.candidates(firsts)
        lo = bisect.bisect_left(found, self.offset)
        hi = bisect.bisect_left(found, self.offset + len(self.text), lo)
        return [pos - self.offset for pos in found[lo:hi]]

    def phrase_hits(self, slot: int) -> list[Hit] | None:
        return self.whole.phrase_hits(slot, self.offset, self.offset + len(self.text))


_recent: dict[int, WordIndex | Window] = {}
RECENT_INDEXES = 32
# The text kept last and its index: ~80% of asks are about it again, answered without
# touching ``_recent`` (where it is the most recently used already).
_last: tuple[str, WordIndex | Window] | None = None


def word_index(text: str) -> WordIndex | Window | None:
    """The word index of ``text``: a kept one (the components ask again and again about one
    document and its sentences), else a new one when the text is long enough to be worth it."""
    last = _last
    if last is not None and last[0] is text:
        return last[1]
    index = _recent.pop(id(text), None)
    if index is None or index.text is not text:
        if len(text) < INDEX_MIN_CHARS:
            return None
        index = WordIndex(text)
    _keep(text, index)
    return index


def _keep(text: str, index: WordIndex | Window) -> None:
    global _last
    if len(_recent) >= RECENT_INDEXES:
        # the least recently used goes (another thread may have taken it already)
        try:  # noqa: SIM105 - contextlib.suppress costs more than the pop, on every new text
            _recent.pop(next(iter(_recent)), None)
        except (StopIteration, RuntimeError):
            pass
    _recent[id(text)] = index  # most recently used last
    _last = (text, index)


def window(text: str, start: int, end: int) -> str:
    """``text[start:end]``, found by phrase sets through the word index of ``text`` (no index of
    its own to build). The hits are those of the piece alone, as if it were all the text."""
    piece = text[start:end]
    cut = (start > 0 and _is_word(text[start - 1]) and _is_word(text[start])) or (
        end < len(text) and _is_word(text[end - 1]) and _is_word(text[end])
    )
    whole = word_index(text)
    if piece and piece is not text and not cut and isinstance(whole, WordIndex):
        _keep(piece, Window(piece, whole, start))
    return piece


def _is_word(ch: str) -> bool:
    """Whether ``ch`` is a regex word character (``\\w``)."""
    return ch.isalnum() or ch == "_"


def _first_words(phrases: Iterable[str]) -> frozenset[str] | None:
    """The leading word of each phrase; None when some phrase cannot be found through a word
    index (it starts with a non-word character, or with a letter that matches an ASCII letter
    case-insensitively, like "ſ" or "K")."""
    firsts: set[str] = set()
    for phrase in phrases:
        m = _LEADING_WORD.match(phrase)
        if m is None:
            return None
        word = m.group()
        if not word.isascii() and any(_folds_to_ascii(ch) for ch in word if not ch.isascii()):
            return None
        firsts.add(word)
    return frozenset(firsts)


def _folds_to_ascii(ch: str) -> bool:
    pattern = re.compile(re.escape(ch), re.IGNORECASE)
    return any(pattern.fullmatch(chr(c)) for c in range(128))


class PhraseSet:
    """Lower-case phrases, each with one or more labels, found in text in one pass per script."""

    def __init__(self, phrases: Mapping[str, Iterable[str]], *, arabic_words: bool = False) -> None:
        self.labels: dict[str, tuple[str, ...]] = {}
        for phrase, labels in phrases.items():
            key = normalize_phrase(phrase)
            if not key:
                continue
            merged = dict.fromkeys(self.labels.get(key, ()) + tuple(labels))
            self.labels[key] = tuple(merged)
        latin = [p for p in self.labels if not _ARABIC.search(p)]
        arabic = [p for p in self.labels if _ARABIC.search(p)]
        self._latin = (
            re.compile(r"(?<![\w])(?:" + trie_pattern(latin) + r")(?![\w])", re.IGNORECASE)
            if latin
            else None
        )
        arabic_body = trie_pattern(arabic)
        if arabic_words:
            # whole words, with an optional clitic before (و, ب, ل) and a case ending after
            arabic_body = (
                r"(?<![\u0621-\u064a])(?:[وبل])?(" + arabic_body + r")(?:ًا|ا|ة)?(?![\u0621-\u064a])"
            )
        self._arabic = re.compile(arabic_body) if arabic else None
        self._firsts = _first_words(latin)
        self._slot = LEXICON.add(self.labels)
        if self._slot is not None:
            weakref.finalize(self, LEXICON.remove, self._slot)
        self._labels_of: dict[str, tuple[str, ...]] = {}  # matched words -> labels (or none)

    @classmethod
    def from_labels(
        cls, mapping: Mapping[str, Iterable[str]], *, arabic_words: bool = False
    ) -> PhraseSet:
        """Build from ``{label: [phrases]}``."""
        phrases: dict[str, list[str]] = {}
        for label, items in mapping.items():
            for phrase in items:
                phrases.setdefault(str(phrase), []).append(label)
        return cls(phrases, arabic_words=arabic_words)

    def starts(self, text: str) -> list[int]:
        """Where the hits of :meth:`find` start, in order (made without the hits when the text
        was read by the lexicon)."""
        index = word_index(text)
        if isinstance(index, WordIndex) and self._slot is not None:
            found = index.phrase_starts(self._slot)
            if found is not None:
                return found
        return [hit.start for hit in self._collect(text, ordered=True)]

    def finditer(self, text: str) -> Iterator[Hit]:
        return iter(self._collect(text))

    def find(self, text: str) -> list[Hit]:
        return self._collect(text, ordered=True)

    def _collect(self, text: str, ordered: bool = False) -> list[Hit]:
        """Latin-script hits in order, then Arabic-script ones (with ``ordered``, all in order:
        each script's hits come in order, so only both together are sorted)."""
        index = word_index(text)
        if index is not None and self._slot is not None:
            found = index.phrase_hits(self._slot)
            if found is not None:
                return found
        hits: list[Hit] = []
        if self._latin is not None:
            if index is not None and self._firsts is not None:
                hits = self._hits(self._latin, text, index.candidates(self._firsts))
            else:
                hits = self._hits(self._latin, text, None)
        if self._arabic is not None and not text.isascii() and (index is None or index.has_arabic):
            arabic = self._hits(self._arabic, text, None)
            if ordered and hits and arabic:
                return sorted(hits + arabic, key=_hit_start)
            hits.extend(arabic)
        return hits

    def _hits(self, pattern: re.Pattern[str], text: str, candidates: list[int] | None) -> list[Hit]:
        """Hits of ``pattern``: as ``finditer`` finds them, or tried at ``candidates`` only."""
        core = 1 if pattern.groups else 0
        if candidates is None:
            matches: Iterable[re.Match[str]] = pattern.finditer(text)
        else:
            matches = _matches_at(pattern, text, candidates)
        hits = []
        labels_of = self._labels_of
        for m in matches:
            if m.end() == m.start():
                continue
            start, end = m.span(core)
            words = m.group(core)
            labels = labels_of.get(words)
            if labels is None:
                labels = self._remember_labels(words)
            if labels:
                hits.append(_new_hit(start, end, words, labels))
        return hits

    def _remember_labels(self, words: str) -> tuple[str, ...]:
        if len(self._labels_of) > 20_000:
            self._labels_of.clear()
        labels = self.labels.get(normalize_phrase(words), ())
        self._labels_of[words] = labels
        return labels

    def __len__(self) -> int:
        return len(self.labels)


def _matches_at(pattern: re.Pattern[str], text: str, candidates: list[int]) -> list[re.Match[str]]:
    """The non-overlapping matches ``finditer`` would give, when only ``candidates`` can start
    one."""
    found = []
    end = 0
    match = pattern.match
    for pos in candidates:
        if pos < end:
            continue
        m = match(text, pos)
        if m is not None and m.end() > pos:
            end = m.end()
            found.append(m)
    return found


def _hit_start(hit: Hit) -> int:
    return hit.start
