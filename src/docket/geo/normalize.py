"""Place-name normalisation: one key for the many ways reports spell a place.

``normalize`` folds case, diacritics, apostrophes and ayn/hamza marks, hyphens and the Arabic
article (al-, el-, as-, ad-, an-, ash-...), and collapses doubled letters, so that
"Ma'arrat an-Nu'man", "Maarat al-Numan" and "Ma‘arrat an Nu‘mān" share a key.
``skeleton`` goes further (consonants only) and is used to *find* candidates for transliteration
variants ("Maaret al-Noman", "Kafranbel"); they are then scored with rapidfuzz on ``normalize``d
strings, so a skeleton match alone never decides.

>>> normalize("Ma'arrat an-Nu'man")
'marat numan'
>>> normalize("Maarat al-Numan") == normalize("Ma‘arrat an Nu‘mān")
True
>>> skeleton("Maaret al-Noman") == skeleton("Maarat al-Numan")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Latin marks that stand for ayn and hamza in transliterations, and quote characters.
_MARKS = "'`’‘ʼʻʿʾ´′\"“”"
_MARK_TABLE = str.maketrans({c: "" for c in _MARKS})

# Arabic: diacritics (harakat, tatweel) removed; letter variants unified.
_ARABIC_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ء": ""}
)
_ARABIC_ARTICLE = re.compile(r"(^| )ال(?=\S{2})")

# Latin letters that NFKD does not decompose.
_LATIN_EXTRA = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "þ": "th", "ð": "d"}
)

# The Arabic article in its transliterations, whole word or joined with a hyphen ("al-", "el ").
_ARTICLES = (
    "al",
    "el",
    "il",
    "ul",
    "as",
    "es",
    "ad",
    "ed",
    "an",
    "en",
    "ar",
    "er",
    "at",
    "et",
    "az",
    "ez",
    "ash",
    "esh",
    "ech",
    "adh",
    "ath",
    "az",
    "aj",
    "ay",
)
_ARTICLE_RE = re.compile(
    r"\b(?:" + "|".join(sorted(set(_ARTICLES), key=len, reverse=True)) + r")\b "
)
_NON_WORD = re.compile(r"[^\w]+")
_DOUBLED = re.compile(r"(\w)\1+")
_SKELETON_DROP = re.compile(r"[aeiouyw ]")


def fold(text: str) -> str:
    """Lower case, no diacritics, apostrophes and ayn marks removed, punctuation as spaces."""
    if text.isascii():
        text = text.lower().translate(_MARK_TABLE)
        if text.isalnum():
            return text  # (one word: nothing to replace)
        return _NON_WORD.sub(" ", text).replace("_", " ").strip()
    text = unicodedata.normalize("NFKC", text).lower().translate(_MARK_TABLE)
    if _has_arabic(text):
        text = _ARABIC_DIACRITICS.sub("", text).translate(_ARABIC_LETTERS)
    text = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text).replace("_", " ").strip()


@lru_cache(maxsize=200_000)
def normalize(name: str) -> str:
    """The matching key of a place name (see the module docstring)."""
    text = fold(name)
    if not text:
        return ""
    if _has_arabic(text):
        text = _ARABIC_ARTICLE.sub(r"\1", text)
    elif " " in text:  # (an article alone is kept: a single word stays as it is)
        stripped = _ARTICLE_RE.sub("", text + " ").strip()
        text = stripped or text
    return _DOUBLED.sub(r"\1", text)


@lru_cache(maxsize=200_000)
def skeleton(name: str) -> str:
    """Consonants of ``normalize(name)``, to find transliteration variants ("kfrnbl")."""
    return skeleton_of_key(normalize(name))


def skeleton_of_key(key: str) -> str:
    """:func:`skeleton` of a name that is already a :func:`normalize`d key."""
    if not key.isascii():
        return key.replace(" ", "")
    return _DOUBLED.sub(r"\1", _SKELETON_DROP.sub("", key.replace("kh", "h").replace("q", "k")))


def skeletons_of_keys(keys: list[str]) -> list[str]:
    """:func:`skeleton_of_key` of many keys at once (one pass over one string: much faster)."""
    ascii_keys = [k for k in keys if k.isascii()]
    text = "\n".join(ascii_keys).replace("kh", "h").replace("q", "k")
    done = iter(_DOUBLED.sub(r"\1", _SKELETON_DROP.sub("", text)).split("\n"))
    return [next(done) if k.isascii() else k.replace(" ", "") for k in keys]


_ARABIC = re.compile("[\u0600-\u06ff]")


def _has_arabic(text: str) -> bool:
    return not text.isascii() and _ARABIC.search(text) is not None
