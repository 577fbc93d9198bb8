"""Place and facility names made comparable across transliterations.

"Maarat al-Numan", "Ma'arrat an-Nu'man" and "Marat Numan" should compare as the same town: lower
case, no diacritics or apostrophes, no Arabic article (al-, el-, an-, ash- ...), doubled letters
collapsed. :func:`name_similarity` then scores two normalised names with rapidfuzz.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

_ARTICLE = re.compile(r"\b(?:al|el|an|ar|as|ash|at|ad|adh|az|ath|ul|il)[-\s]+(?=\w)")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u02bb\u02bf\u02be'`´ʿʾ]")
_NON_WORD = re.compile(r"[^a-z0-9\u0600-\u06ff\u0400-\u04ff]+")
_DOUBLED = re.compile(r"(.)\1+")


# Arabic letters to Latin, so that "ديدبيت" and "Dedebit" share the skeleton "ddbt"
_ARABIC = str.maketrans(
    {
        "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ى": "a", "ة": "a", "ب": "b", "ت": "t",
        "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
        "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh",
        "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w",
        "ي": "y", "ء": "", "ؤ": "w", "ئ": "y",
    }
)  # fmt: skip


_ARABIC_ARTICLE = re.compile(r"(^|\s)ال")


@lru_cache(maxsize=200_000)
def normalize_place(name: str | None) -> str:
    """``"Ma'arrat an-Nu'man"`` -> ``"marat numan"``; empty string for no name."""
    if not name:
        return ""
    if name.isascii():  # no Arabic letters, nothing to decompose
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKD", _ARABIC_ARTICLE.sub(r"\1", name).translate(_ARABIC))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _APOSTROPHES.sub("", text)
    text = _ARTICLE.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _DOUBLED.sub(r"\1", text)
    return " ".join(text.split())


@lru_cache(maxsize=400_000)
def name_similarity(a: str, b: str) -> float:
    """0-100 similarity of two normalised names, also comparing them without spaces."""
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    return max(
        fuzz.ratio(a, b),
        fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
        fuzz.token_sort_ratio(a, b),
    )


_VOWELS = re.compile(r"[aeiouyw\s]+")


@lru_cache(maxsize=200_000)
def place_key(name: str | None) -> str:
    """A blocking key robust to vowel spellings: the consonants of the normalised name."""
    normal = normalize_place(name)
    if not normal:
        return ""
    return normal[0] + _VOWELS.sub("", normal[1:]).replace("h", "")
