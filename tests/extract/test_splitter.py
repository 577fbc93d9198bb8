"""The fast sentence splitter puts boundaries exactly where spaCy's sentencizer does."""

from __future__ import annotations

import random

import pytest
import spacy

from docket.extract.pipeline import Pipeline
from docket.extract.splitter import ASCII_FINALS, sentence_starts

TEXTS = [
    "Warplanes struck the market in Ariha on Sunday. At least 7 civilians were killed.",
    'A resident said: "The shelling never stopped." Rescue teams arrived at 3 a.m. on Monday.',
    "Strikes hit Saraqib!  Dozens fled?\n\nThe U.S. envoy condemned the attack (AP).",
    "Mr. Haddad, the director, said the clinic was hit twice... It closed.\tStaff left.",
    'He asked: who fired?" Nobody answered.) The end.The next day, more shells fell.',
    "قصفت الطائرات السوق. قتل سبعة مدنيين؟ نعم",
    "Headline without a full stop\nBody sentence one. Body sentence two",
    " Leading space. Trailing space. ",
    "1,000. 3.5. e.g. a. b. p.m. St. Inc. No. 12.",
    "Quote ends here.” Then “another one.” (Brackets.) [More.] Done.",
]


@pytest.fixture(scope="module")
def spacy_sentencizer():
    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def _spacy_starts(nlp, text: str) -> list[int]:
    return [sent.start_char for sent in nlp(text).sents]


def _word_starts(text: str, starts: list[int]) -> list[int]:
    """Boundaries moved past whitespace (spaCy may start a sentence on a whitespace token)."""
    out = []
    for start in starts:
        while start < len(text) and text[start].isspace():
            start += 1
        out.append(start)
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_same_boundaries_as_spacy(spacy_sentencizer, text):
    expected = _spacy_starts(spacy_sentencizer, text)
    assert _word_starts(text, sentence_starts(text)) == _word_starts(text, expected)


BITS = ['.', '...', '!', '?', '؟', '"', ')', '(', '”', '\n', '  ', '\t', 'U.S.', 'a.m.', 'Mr.',
        'a.', '3.5', ':)', '—', '…', '.”', 'end.The', 'word', 'Town', '\u00a0', '\r\n', '\x0b',
        '\x1c', 'été', '٣', '1.', "'s", '$5']  # fmt: skip


@pytest.mark.parametrize("ascii_only", [False, True])  # (ASCII texts are read another way)
def test_same_boundaries_on_random_punctuation(spacy_sentencizer, ascii_only):
    rng = random.Random(5)
    bits = [b for b in BITS if b.isascii()] if ascii_only else BITS
    for _ in range(2000):
        text = "".join(rng.choice(bits) + rng.choice(["", " ", " "]) for _ in range(25))
        expected = _spacy_starts(spacy_sentencizer, text)
        assert _word_starts(text, sentence_starts(text)) == _word_starts(text, expected), text


def test_ascii_finals_are_the_sentencizers():
    from spacy.pipeline import Sentencizer

    ascii_finals = {c for c in Sentencizer.default_punct_chars if c.isascii()}
    assert set(ASCII_FINALS) == ascii_finals


def test_sentences_of_a_report():
    state = Pipeline(["normalize", "sentences"])(
        "Shelling Hits Ariha Market\nRegime artillery shelled the market. Two men died!  "
        'A medic said: "We ran out of blood." The U.S. condemned it.'
    )
    assert [state.text[s.start : s.end] for s in state.sentences] == [
        "Shelling Hits Ariha Market",
        "Regime artillery shelled the market.",
        "Two men died!",
        'A medic said: "We ran out of blood."',
        "The U.S. condemned it.",
    ]
    assert state.sentences[0].headline is True
