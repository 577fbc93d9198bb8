"""Phrase matching: many lower-case phrases compiled into one trie-shaped regular expression.

A flat alternation of hundreds of phrases is slow in Python's ``re``; the same phrases arranged as
a trie (shared prefixes factored out) match about eight times faster. Latin-script phrases match
on word boundaries; Arabic-script phrases may carry attached clitics (و, ب, ل, ال ...) so they
match inside words.

Scanning a long text once per phrase set still costs a regex step at every character, so for
texts of more than a sentence or two the set tries its pattern only where it can match: at the
start of a word that begins one of its phrases, found in a :class:`WordIndex` built once per text
and shared by all phrase sets. The hits are the same as ``pattern.finditer`` gives.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_SPACE = re.compile(r"[\s\-]+")
_WORDS = re.compile(r"\w+")
_LEADING_WORD = re.compile(r"\w+")
# Below this length a plain scan is as cheap as building a word index.
INDEX_MIN_CHARS = 80


def normalize_phrase(text: str) -> str:
    """The lookup key of a phrase: lower case, hyphens and runs of spaces as one space."""
    return _SPACE.sub(" ", text.lower().replace("’", "'")).strip()


def _escape(ch: str) -> str:
    if ch == " ":
        return r"[\s\-]+"
    if ch == "'":
        return "['’]"
    return re.escape(ch)


def trie_pattern(phrases: Iterable[str]) -> str:
    """A regex source matching any of ``phrases`` (already normalised), longest first."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _build(trie)


def _build(node: dict[str, dict]) -> str:
    branches = [_escape(ch) + _build(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        if len(branches) == 1 and len(body) == 1:
            return body + "?"
        return "(?:" + body + ")?"
    return body


@dataclass(frozen=True, slots=True)
class Hit:
    """One phrase found in a text: where, the words, and the labels the phrase carries."""

    start: int
    end: int
    text: str
    labels: tuple[str, ...]


class WordIndex:
    """Where the words of one text start, by lower-case form (non-ASCII words apart), and where
    each phrase set may match in it."""

    __slots__ = ("text", "starts", "other_starts", "has_arabic", "_candidates")

    def __init__(self, text: str) -> None:
        self.text = text
        starts: dict[str, list[int]] = {}
        other: list[int] = []
        if text.isascii():
            for m in _WORDS.finditer(text.lower()):
                starts.setdefault(m.group(), []).append(m.start())
            self.has_arabic = False
        else:
            for m in _WORDS.finditer(text):
                word = m.group()
                if word.isascii():
                    starts.setdefault(word.lower(), []).append(m.start())
                else:
                    other.append(m.start())  # compared case-insensitively only by the pattern
            self.has_arabic = _ARABIC.search(text) is not None
        self.starts = starts
        self.other_starts = other
        self._candidates: dict[int, list[int]] = {}

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


_recent: dict[int, WordIndex | Window] = {}
RECENT_INDEXES = 32


def word_index(text: str) -> WordIndex | Window | None:
    """The word index of ``text``: a kept one (the components ask again and again about one
    document and its sentences), else a new one when the text is long enough to be worth it."""
    index = _recent.pop(id(text), None)
    if index is None or index.text is not text:
        if len(text) < INDEX_MIN_CHARS:
            return None
        index = WordIndex(text)
    _keep(text, index)
    return index


def _keep(text: str, index: WordIndex | Window) -> None:
    if len(_recent) >= RECENT_INDEXES:
        # the least recently used goes (another thread may have taken it already)
        with contextlib.suppress(StopIteration, RuntimeError):
            _recent.pop(next(iter(_recent)), None)
    _recent[id(text)] = index  # most recently used last


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

    def finditer(self, text: str) -> Iterator[Hit]:
        return iter(self._collect(text))

    def find(self, text: str) -> list[Hit]:
        return sorted(self._collect(text), key=_hit_start)

    def _collect(self, text: str) -> list[Hit]:
        """Latin-script hits in order, then Arabic-script ones."""
        index = word_index(text)
        hits: list[Hit] = []
        if self._latin is not None:
            if index is not None and self._firsts is not None:
                hits = self._hits(self._latin, text, index.candidates(self._firsts))
            else:
                hits = self._hits(self._latin, text, None)
        if self._arabic is not None and not text.isascii() and (index is None or index.has_arabic):
            hits.extend(self._hits(self._arabic, text, None))
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
                hits.append(Hit(start, end, words, labels))
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
