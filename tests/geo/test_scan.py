"""The context scan (docket.geo.scan): a document scanned once and on for its claims' names,
and the characters it takes for separators between words."""

from __future__ import annotations

import pytest

from docket.geo.geocoder import default_geocoder
from docket.geo.scan import _SEPARATORS, _is_separator


@pytest.mark.parametrize(
    ("document", "names"),
    [
        (
            "Two strikes hit the market in Maarat al-Numan on Sunday. Rescue teams from "
            "Saraqib and Ariha reached the town; families fled north towards Sarmada and Idlib",
            "Maarat al-Numan ; Idlib",
        ),
        ("Residents of Kharkiv said shelling continued. Officials in Kyiv", "Izium"),
        ("Short note from Aden", "Aden ; Taiz ; Hodeidah"),
        ("", "Khartoum"),
    ],
)
def test_document_scanned_once_gives_the_scan_of_document_and_names(
    document: str, names: str
) -> None:
    geo = default_geocoder()
    whole = geo.scanner.scan_context(f"{document}\n{names}")
    assert geo.scanner.scan_with_tail(document, names) == whole
    assert geo.scanner.scan_with_tail(document, names) == whole  # from the cached document scan
    assert whole.keys


def test_separator_set_is_white_space_and_separators() -> None:
    for code in range(0x110000):
        char = chr(code)
        assert _is_separator(char) == (char.isspace() or char in _SEPARATORS), hex(code)


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        # "Ariha" is Jericho's Arabic name, and the own name of a town in Idlib: no vote for
        # the West Bank.
        ("Shelling hit Ariha on Tuesday morning.", {}),
        # "Enfield" is the short form of Enfield Town's own name: it still speaks for England.
        ("A new library opened in Enfield on Monday.", {"GB": 0.5}),
        # "Bombay" is Mumbai's old name and a village's own name in New Zealand: the famous
        # city still speaks for India.
        ("Monsoon rains flooded Bombay on Monday.", {"IN": 0.5}),
        ("A ship from Batavia reached the port on Monday.", {"ID": 0.5}),
    ],
)
def test_a_town_known_by_the_name_only_as_another_name_does_not_vote_unless_famous(
    text: str, countries: dict[str, float]
) -> None:
    assert default_geocoder().context_of(text).countries == countries


def test_a_syrian_text_places_ariha_in_idlib_not_jericho() -> None:
    text = "Shelling hit Ariha on Tuesday, the Syrian Civil Defence said."
    place = default_geocoder().resolve("Ariha", context=text)
    assert (place.name, place.lat, place.lon, place.admin1, place.country) == (
        "Arīḩā",
        35.81374,
        36.60964,
        "Idlib",
        "SY",
    )
