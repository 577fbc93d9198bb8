"""Sentence boundaries exactly as spaCy's rule-based sentencizer puts them, without a Doc.

spaCy's sentencizer starts a sentence at the first token after a run of sentence-final tokens
("." "!" "?" "؟" ...) that is neither one of them nor other punctuation. Tokenizing a whole text
into a ``Doc`` to find those few places costs most of the time of the rule-based extractor, so
this module tokenizes only the whitespace-separated chunks that hold a sentence-final character
(and the chunk after one), each distinct chunk once per process, with spaCy's own tokenizer.
In an ASCII text those chunks are found by plain string searches, and a chunk after a single
space that starts with a letter or digit is not tokenized (its first token is a word).
The boundaries are the same as ``spacy.blank("xx")`` plus ``sentencizer`` gives; the tests
compare the two on many texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

# token kinds within a chunk
_WORD = 0  # starts a sentence after a sentence-final token
_PUNCT = 1  # punctuation that stays with the sentence before ('"', ")")
_FINAL = 2  # sentence-final ("." "?"): the next word starts a sentence


@cache
def _punct_chars() -> frozenset[str]:
    from spacy.pipeline import Sentencizer

    return frozenset(Sentencizer.default_punct_chars)


@cache
def _final_char() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_punct_chars())) + "]")


@cache
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("xx").tokenizer


@lru_cache(maxsize=50_000)  # a few MB: chunks around full stops repeat from text to text
def _reading(chunk: str) -> tuple[tuple[tuple[int, ...], bool], tuple[tuple[int, ...], bool]]:
    """A whitespace-free chunk read by spaCy's tokenizer, entered after no sentence-final token
    (``[False]``) or after one (``[True]``): the offsets in it where sentences start, and
    whether it ends after a sentence-final token."""
    final = _punct_chars()
    kinds = [
        (t.idx, _FINAL if t.text in final else _PUNCT if t.is_punct else _WORD)
        for t in _tokenizer()(chunk)
    ]
    return _read(kinds, False), _read(kinds, True)


def _read(kinds: list[tuple[int, int]], seen_final: bool) -> tuple[tuple[int, ...], bool]:
    found: list[int] = []
    for offset, kind in kinds:
        if seen_final and kind == _WORD:
            found.append(offset)
            seen_final = False
        elif kind == _FINAL:
            seen_final = True
    return tuple(found), seen_final


_SPACE_RUN = re.compile(r"\s+")
_CHUNK = re.compile(r"\S+")
ASCII_FINALS = "!.?"  # the sentence-final characters of ASCII (the tests check them)
# Every ASCII whitespace character (``str.isspace``) as a space: the ends of a chunk are then
# found by ``str.find`` and ``str.rfind`` of one character.
# (a bytes table: an ASCII text is turned into bytes, translated and back in half the
# instructions ``str.translate`` takes)
_ASCII_BLANKS = bytes.maketrans(
    bytes(c for c in range(128) if chr(c).isspace()),
    b" " * sum(chr(c).isspace() for c in range(128)),
)


def sentence_starts(text: str) -> list[int]:
    """Character offsets where spaCy's sentencizer starts a sentence (0 first)."""
    if text.isascii():
        return _ascii_sentence_starts(text)
    starts = [0]
    seen_final = False
    pos = 0  # everything before ``pos`` has been read
    for start, end in _final_chunks(text):
        if seen_final:
            seen_final = _after_final(text, pos, start, starts)
        found, seen_final = _reading(text[start:end])[seen_final]
        if found:
            starts.extend(start + offset for offset in found)
        pos = end
    if seen_final:
        _after_final(text, pos, len(text), starts)
    return starts


def _ascii_sentence_starts(text: str) -> list[int]:
    """:func:`sentence_starts` of an ASCII text. The chunks holding a sentence-final character
    are found by ``str.find`` of each such character (~5x faster than a regex class tried at
    every character) and of a space either side, and read in one loop; a chunk after a single
    space that starts with a letter or digit starts a sentence without being read."""
    finals: list[int] = []
    for char in ASCII_FINALS:
        at = text.find(char)
        while at >= 0:
            finals.append(at)
            at = text.find(char, at + 1)
    starts = [0]
    if not finals:
        return starts
    finals.sort()
    blanked = text.encode("ascii").translate(_ASCII_BLANKS).decode("ascii")
    seen_final = False
    end = 0  # everything before ``end`` has been read
    for final in finals:
        if final < end:
            continue  # in the chunk read last
        start = blanked.rfind(" ", end, final) + 1  # (0 only where ``end`` is: nothing before)
        if seen_final:
            if text[end] == " " and text[end + 1].isalnum():
                starts.append(end + 1)  # (the most common case) a word after a single space
                seen_final = False
            else:
                seen_final = _after_final(text, end, start, starts)
        end = blanked.find(" ", final)
        if end < 0:
            end = len(text)
        found, seen_final = _reading(text[start:end])[seen_final]
        if found:
            starts.extend(start + offset for offset in found)
    if seen_final:
        _after_final(text, end, len(text), starts)
    return starts


def _final_chunks(text: str) -> Iterator[tuple[int, int]]:
    """:func:`_ascii_final_chunks` for any text."""
    end = 0
    for final in _final_char().finditer(text):
        start = final.start()
        if start < end:
            continue  # in the chunk found last
        while start > end and not text[start - 1].isspace():
            start -= 1  # back to the start of the whitespace-separated chunk
        chunk = _CHUNK.match(text, start)
        assert chunk is not None
        end = chunk.end()
        yield start, end


def _after_final(text: str, pos: int, limit: int, starts: list[int]) -> bool:
    """Read from ``pos`` (just after a sentence-final token) up to ``limit`` (the next chunk with
    a sentence-final character) until a token starts the next sentence; whether none did."""
    if text.startswith(" ", pos) and text[pos + 1 : pos + 2].isalnum():
        # (the most common case) a chunk that starts with a letter or digit starts with a word
        starts.append(pos + 1)
        return False
    while pos < limit:
        if text[pos].isspace():
            run = _SPACE_RUN.match(text, pos)
            assert run is not None
            if text[pos] != " ":
                starts.append(pos)  # a line break (or tab...) is a token that starts a sentence
                return False
            if run.end() - pos > 1:
                starts.append(pos + 1)  # spaces beyond the first one make a token too
                return False
            pos = run.end()
            continue
        chunk = _CHUNK.match(text, pos)
        assert chunk is not None
        found, seen_final = _reading(chunk.group())[True]
        if found:
            starts.extend(pos + offset for offset in found)
        if not seen_final:
            return False
        pos = chunk.end()
    return True
