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
