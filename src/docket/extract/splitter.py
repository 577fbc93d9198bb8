"""Sentence boundaries exactly as spaCy's rule-based sentencizer puts them, without a Doc.

spaCy's sentencizer starts a sentence at the first token after a run of sentence-final tokens
("." "!" "?" "؟" ...) that is neither one of them nor other punctuation. Tokenizing a whole text
into a ``Doc`` to find those few places costs most of the time of the rule-based extractor, so
this module tokenizes only the whitespace-separated chunks that hold a sentence-final character
(and the chunk after one), each distinct chunk once per process, with spaCy's own tokenizer.
The boundaries are the same as ``spacy.blank("xx")`` plus ``sentencizer`` gives; the tests
compare the two on many texts.
"""

from __future__ import annotations

import re
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
def _ascii_final_char() -> re.Pattern[str]:
    """The sentence-final characters an ASCII text can hold (a short class, scanned fast)."""
    ascii_chars = sorted(c for c in _punct_chars() if c.isascii())
    return re.compile("[" + "".join(re.escape(c) for c in ascii_chars) + "]")


@cache
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("xx").tokenizer


@lru_cache(maxsize=50_000)  # a few MB: chunks around full stops repeat from text to text
def chunk_tokens(chunk: str) -> tuple[tuple[int, int], ...]:
    """(offset, kind) of each token of a whitespace-free chunk, by spaCy's tokenizer."""
    final = _punct_chars()
    return tuple(
        (t.idx, _FINAL if t.text in final else _PUNCT if t.is_punct else _WORD)
        for t in _tokenizer()(chunk)
    )


_SPACE_RUN = re.compile(r"\s+")
_CHUNK = re.compile(r"\S+")


def sentence_starts(text: str) -> list[int]:
    """Character offsets where spaCy's sentencizer starts a sentence (0 first)."""
    starts = [0]
    if not text:
        return starts
    seen_final = False
    pos = 0  # everything before ``pos`` has been read
    finals = _ascii_final_char() if text.isascii() else _final_char()
    for final in finals.finditer(text):
        if final.start() < pos:
            continue  # in the chunk read last
        start = final.start()
        while start > pos and not text[start - 1].isspace():
            start -= 1  # back to the start of the whitespace-separated chunk
        chunk = _CHUNK.match(text, start)
        assert chunk is not None
        if seen_final:
            seen_final = _after_final(text, pos, start, starts)
        seen_final = _read_chunk(text, start, chunk.group(), seen_final, starts)
        pos = chunk.end()
    if seen_final:
        _after_final(text, pos, len(text), starts)
    return starts


def _read_chunk(text: str, start: int, chunk: str, seen_final: bool, starts: list[int]) -> bool:
    for offset, kind in chunk_tokens(chunk):
        if seen_final and kind == _WORD:
            starts.append(start + offset)
            seen_final = False
        elif kind == _FINAL:
            seen_final = True
    return seen_final


def _after_final(text: str, pos: int, limit: int, starts: list[int]) -> bool:
    """Read from ``pos`` (just after a sentence-final token) up to ``limit`` (the next chunk with
    a sentence-final character) until a token starts the next sentence; whether none did."""
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
        if not _read_chunk(text, pos, chunk.group(), True, starts):
            return False
        pos = chunk.end()
    return True
