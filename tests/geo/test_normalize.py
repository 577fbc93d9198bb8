from __future__ import annotations

import pytest

from docket.geo.normalize import normalize, skeleton


@pytest.mark.parametrize(
    "variant",
    ["Ma'arrat an-Nu'man", "Maarat al-Numan", "Ma‘arrat an Nu‘mān", "MAARAT AL-NUMAN"],
)
def test_normalize_folds_articles_marks_and_doubled_letters(variant: str) -> None:
    assert normalize(variant) == "marat numan"


def test_normalize_arabic_script_drops_article_and_unifies_letters() -> None:
    assert normalize("معرة النعمان") == "معره نعمان"
    assert normalize("إدلب") == normalize("ادلب")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kafr Nabl", "Kafranbel"),
        ("Kafr Nubl", "Kafranbel"),
        ("Khan Sheikhoun", "Khan Shaykhun"),
        ("Atarib", "al-Atareb"),
        ("Maaret al-Noman", "Maarat al-Numan"),
    ],
)
def test_skeleton_joins_transliteration_variants(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)
