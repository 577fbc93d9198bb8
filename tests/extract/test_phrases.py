"""Phrase sets find the same hits through the word index as a plain regex scan finds."""

from __future__ import annotations

import gc
import random
import re

from docket.extract.phrases import Hit, PhraseSet, WordIndex, window
from docket.extract.resources import resources

LONG = (
    "Russian warplanes carried out an air strike on the al-Shifa hospital in the town of Ariha "
    "late on Sunday, killing at least eleven civilians; a second airstrike hit the market."
)


def _plain(phrases: PhraseSet, text: str) -> list[Hit]:
    """Hits of a full scan, without the word index."""
    hits = []
    for pattern in (phrases._latin, phrases._arabic):
        if pattern is not None:
            hits.extend(phrases._hits(pattern, text, None))
    return sorted(hits, key=lambda h: h.start)


def test_longest_phrase_at_each_word():
    phrases = PhraseSet({"air strike": ["air"], "strike": ["strike"], "airstrike": ["air"]})
    assert [(h.start, h.text, h.labels) for h in phrases.find(LONG)] == [
        (33, "air strike", ("air",)),
        (150, "airstrike", ("air",)),
    ]


def test_case_hyphens_and_apostrophes():
    phrases = PhraseSet({"al shifa": ["named"], "people's council": ["council"]})
    text = "Shelling near AL-SHIFA and the People’s  Council building, " * 3
    assert [(h.start, h.text) for h in phrases.find(text)][:2] == [
        (14, "AL-SHIFA"),
        (31, "People’s  Council"),
    ]


def test_letters_that_fold_to_ascii_use_the_plain_scan():
    phrases = PhraseSet({"ſtrike": ["odd"], "kelvin": ["k"]})
    text = "a strike and a STRIKE, then \u212aelvin and kelvin in a sentence long enough." * 2
    assert phrases.find(text) == _plain(phrases, text)
    assert [h.text for h in phrases.find(text)][:2] == [
        "\u212aelvin",
        "kelvin",
    ]  # "strike" is no key


def test_non_ascii_and_arabic_words():
    phrases = PhraseSet({"frappé": ["fr"], "قصف": ["ar"], "shelling": ["en"]})
    text = "Le marché a été FRAPPÉ; قصف عنيف, then shelling, and more shelling of Frappé town."
    assert [h.text for h in phrases.find(text)] == [
        "FRAPPÉ",
        "قصف",
        "shelling",
        "shelling",
        "Frappé",
    ]


def test_same_hits_as_a_plain_scan_on_random_texts():
    res = resources()
    sets = [res.actors, res.weapons, res.targets, res.triggers, res.numbers, res.kinds, res.months]
    words = [w for s in sets for p in list(s.labels)[:60] for w in p.split()]
    words += ["Ariha", "U.S.", "al-", "-", "’s", "\n", "İ", "ſ", "é", "killed", "٣", "في", "و"]
    rng = random.Random(9)
    for _ in range(300):
        text = " ".join(rng.choice(words) + rng.choice(["", "", ",", ".", "-"]) for _ in range(60))
        if rng.random() < 0.5:
            text = text.upper() if rng.random() < 0.5 else text.title()
        for phrases in sets:
            assert phrases.find(text) == _plain(phrases, text), text
            assert phrases.starts(text) == [h.start for h in phrases.find(text)], text


def test_window_finds_what_the_piece_alone_holds():
    res = resources()
    text = LONG + " Shelling of Ariha wounded twenty-one people, including nine children."
    for start, end in [(0, 95), (96, 181), (182, len(text)), (10, 120), (3, 60), (150, 154)]:
        piece_alone = "".join(text[start:end])  # a new string: no window registered for it
        piece = window(text, start, end)
        for phrases in (res.kinds, res.numbers, res.weapons, res.victims, res.qualifiers):
            assert phrases.find(piece) == phrases.find(piece_alone), (start, end)
    assert [h.text for h in res.weapons.find(window(text, 0, 95))] == ["warplanes", "air strike"]


def test_one_walk_finds_every_set_as_its_pattern_does():
    """Texts whose words are all ASCII are read by one walk over their words for all sets:
    odd gaps ("U.S.", "ypg/sdf", "people's", runs of spaces and hyphens, curly quotes) included."""
    res = resources()
    sets = [res.actors, res.weapons, res.targets, res.triggers, res.numbers, res.kinds, res.admin1]
    words = [w for s in sets for p in list(s.labels)[:80] for w in p.split()]
    words = [w for w in words if w.isascii()] + ["Ariha", "U.S.", "people’s", "sdf", "ypg/"]
    gaps = [" ", " ", " ", "  ", " - ", "-", "\n", ", ", ". ", "/", "’", "'", " “", "\u00a0"]
    rng = random.Random(3)
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice(gaps) for _ in range(50))
        if rng.random() < 0.4:
            text = text.upper() if rng.random() < 0.5 else text.title()
        for phrases in sets:
            assert phrases._slot is not None
            assert phrases.find(text) == _plain(phrases, text), text
            assert phrases.starts(text) == [h.start for h in phrases.find(text)], text
        word_ends = [m.end() for m in re.finditer(r"\w+", text)]
        for start, end in [(0, rng.choice(word_ends)), (17, 90), (len(text) // 2, len(text))]:
            piece = window(text, start, end)  # a piece may end inside a phrase of the text
            for phrases in (res.kinds, res.numbers, res.actors):
                assert phrases.find(piece) == _plain(phrases, text[start:end]), (start, end)


def test_the_walk_over_an_ascii_text_finds_what_the_patterns_do():
    """In a text all ASCII the walk reads blanks and hyphens as spaces and tries the words
    after other characters apart: the same hits."""
    res = resources()
    sets = [res.actors, res.weapons, res.targets, res.triggers, res.numbers, res.kinds, res.admin1]
    words = [w for s in sets for p in list(s.labels)[:80] for w in p.split() if w.isascii()]
    words += ["Ariha", "U.S.", "sdf", "ypg/", "1,500", "(the", '"killed', "'s", "_x"]
    gaps = [" ", " ", " ", "  ", " - ", "-", "--", "\n", "\n\n", "\t", "\r\n", "\x0b", "\x1f"]
    gaps += [", ", ". ", ",", ".", "/", "'", "(", ")", '"', ";", ": ", "?", "!", "&"]
    rng = random.Random(4)
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice(gaps) for _ in range(50))
        if rng.random() < 0.4:
            text = text.upper() if rng.random() < 0.5 else text.title()
        assert text.isascii()
        for phrases in sets:
            assert phrases.find(text) == _plain(phrases, text), text
            assert phrases.starts(text) == [h.start for h in phrases.find(text)], text


def test_sets_the_walk_cannot_read_keep_their_pattern():
    dotted = PhraseSet({"u.s.": ["us"], "strike": ["strike"]})  # ends with a full stop
    dashed = PhraseSet({"air – strike": ["air"]})  # a non-ASCII character between words
    assert dotted._slot is None and dashed._slot is None
    text = "The U.S. said an air – strike and a second strike hit the town on Sunday evening."
    assert [h.text for h in dotted.find(text)] == ["U.S.", "strike", "strike"]
    assert [h.text for h in dashed.find(text)] == ["air – strike"]
    french = PhraseSet({"frappé": ["fr"], "frappe": ["fr"]})  # é can only match a non-ASCII word
    assert french._slot is not None
    assert [h.text for h in french.find(text + " Une frappe, then FRAPPE again.")] == [
        "frappe",
        "FRAPPE",
    ]


def test_a_set_that_is_gone_leaves_the_walk():
    text = "Shelling hit the market and shelling hit the school, residents said on Sunday."
    phrases = PhraseSet({"shelling": ["shell"]})
    slot = phrases._slot
    assert [h.text for h in phrases.find(text)] == ["Shelling", "shelling"]
    del phrases
    gc.collect()
    index = WordIndex(text)
    assert slot is not None and index.phrase_hits(slot) == []


def test_starts_of_a_text_without_an_index():
    res = resources()
    assert res.numbers.starts("two and 3 killed") == [0]  # (too short for an index)
    text = "Two strikes killed a dozen people and an air strike later killed seven in Ariha " * 2
    assert res.numbers.starts(text) == [h.start for h in res.numbers.find(text)]
    assert res.numbers.starts(text)[:3] == [0, 19, 38]
