"""Streets, buildings, rivers and other names the gazetteer lacks: placed in the text's town or
left unresolved with a reason, never matched to a far-away town that shares a word or a
spelling with them."""

from __future__ import annotations

import pytest

from docket.domain import ResolvedPlace
from docket.geo.geocoder import default_geocoder

Where = tuple[str | None, float | None, float | None, str, str | None]


def _resolve(mention: str, text: str) -> ResolvedPlace:
    return default_geocoder().resolve(mention, context=text)


def _where(mention: str, text: str) -> Where:
    place = _resolve(mention, text)
    return place.name, place.lat, place.lon, place.precision.value, place.country


SITE_IN_NO_TOWN = (
    "unresolved: a street, building or site the gazetteer lacks, in no town the text names"
)


@pytest.mark.parametrize(
    ("mention", "text"),
    [
        # "From" is listed as an alternate name of Frome: no town of this text.
        ("Quillhaven Parade", "From Tuesday the council will close Quillhaven Parade for repairs."),
        # Ainsworth, Nebraska, only shares a word with the street.
        ("Ainsworth Parade", "Police searched a house on Ainsworth Parade after the break-ins."),
        # Quarter, a village in Scotland, is the street word itself.
        ("French Quarter", "Jazz bands played in the French Quarter all night."),
    ],
)
def test_a_site_in_no_town_the_text_names_stays_unresolved(mention: str, text: str) -> None:
    place = _resolve(mention, text)
    assert (place.name, place.lat, place.reason) == (mention, None, SITE_IN_NO_TOWN)


def test_a_town_known_by_the_name_only_as_an_alternate_name_abroad_is_ruled_out() -> None:
    # "Toco" is listed for Tocco da Casauria, Italy; the text is surely American.
    place = _resolve("Toco", "Mourners came from Toco to the funeral, the Texas sheriff said.")
    assert (place.lat, place.reason) == (
        None,
        "unresolved: 'Toco' names only places in countries the text rules out",
    )
    # In a text surely about Dallas, Texas, the name the gazetteer lacks is placed there.
    text = "Mourners came from Toco and from Paris, Texas, to the funeral in Dallas, Texas."
    assert _where("Toco", text) == ("Dallas", 32.78306, -96.80667, "district", "US")


def test_an_alternate_name_does_not_beat_the_towns_of_the_name_by_a_state_named() -> None:
    # Beeville, Texas, is also listed as "Maryville"; Texas is named for the pastor's town.
    text = "A pastor from Fort Worth, Texas, preached in Maryville on Sunday."
    place = _resolve("Maryville", text)
    assert (place.name, place.admin1, place.country, place.precision.value) == (
        "Maryville",
        "Tennessee",
        "US",
        "settlement",
    )


@pytest.mark.parametrize(
    ("mention", "text"),
    [
        # A saint's name: Edmund, Wisconsin, is no part of it.
        ("St Edmund", "The choir sang at St Edmund on Sunday; visitors came from Edmonton."),
        # The end of a longer name, in a state the text does not name (Ash Flat, Arkansas, is
        # also listed as "Flat").
        (
            "Cedar Flat",
            "Troopers were sent to a farm on Cedar Flat in Metcalfe County, Kentucky, on Sunday.",
        ),
        # Paciano, Italy, in a text about the Philippines.
        (
            "Barangay Paciano Rizal",
            "Flood water reached Barangay Paciano Rizal as rain fell on the Philippines.",
        ),
    ],
)
def test_a_place_inside_an_unknown_name_only_where_it_may_stand_alone(
    mention: str, text: str
) -> None:
    assert _where(mention, text) == (mention, None, None, "country", None)


@pytest.mark.parametrize(
    ("mention", "text", "expected"),
    [
        # A small town ending a longer name counts in the first-level area the text names ...
        (
            "Cherry Masham",
            "Cyclists rode from Cherry Masham across North Yorkshire on Sunday.",
            ("Masham", 54.2227, -1.65718, "district", "GB"),
        ),
        # ... not elsewhere,
        (
            "Cherry Masham",
            "Cyclists rode from Cherry Masham on Sunday.",
            ("Cherry Masham", None, None, "country", None),
        ),
        # ... while a sizeable town needs no area named.
        (
            "Cherry Harrogate",
            "Cyclists rode from Cherry Harrogate on Sunday.",
            ("Harrogate", 53.99078, -1.5373, "district", "GB"),
        ),
        # Generic words before a town qualify it.
        (
            "Upper Edmonton",
            "Buses were late in Upper Edmonton, north London, on Monday.",
            ("Edmonton", 51.62561, -0.05798, "district", "GB"),
        ),
    ],
)
def test_the_end_of_an_unknown_name_in_an_area_the_text_names(
    mention: str, text: str, expected: Where
) -> None:
    assert _where(mention, text) == expected


@pytest.mark.parametrize(
    ("mention", "text", "expected"),
    [
        # A river is placed in the town the text names, no finer than a district.
        (
            "Quillwater River",
            "A canoe was found in the Quillwater River on Monday, DeKalb police said.",
            ("DeKalb", 41.92947, -88.75036, "district", "US"),
        ),
        # The town written as owning the park.
        (
            "Quillhaven Park",
            "Families gathered at Whittier's Quillhaven Park for the concert.",
            ("Whittier", 33.97918, -118.03284, "district", "US"),
        ),
        # A park is not a town of a similar name (Penns Park, Pennsylvania) ...
        (
            "Penn Park",
            "Families met at Penn Park on Sunday.",
            ("Penn Park", None, None, "country", None),
        ),
        # ... nor an island a province (Friesland).
        (
            "Fire Island",
            "A ferry sails to Fire Island every summer.",
            ("Fire Island", None, None, "country", None),
        ),
    ],
)
def test_a_site_the_gazetteer_lacks_in_the_town_of_the_text(
    mention: str, text: str, expected: Where
) -> None:
    assert _where(mention, text) == expected


def test_a_site_in_the_town_written_as_owning_it_says_so() -> None:
    place = _resolve("Quillhaven Park", "Families gathered at Whittier's Quillhaven Park.")
    assert place.reason is not None
    assert place.reason.startswith("street or building of this town; 'Quillhaven Park' in Whittier")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The text is surely about Columbus, Ohio: a suburb it names is placed there.
        (
            "Firefighters were called to Quillbrook on Monday. Columbus police said the fire in "
            "Franklin County, Ohio, was arson.",
            ("Columbus", 39.96118, -82.99879, "district", "US"),
        ),
        # A town named once, its state never: no town the text is surely about.
        (
            "Firefighters were called to Quillbrook on Monday, Columbus police said.",
            ("Quillbrook", None, None, "country", None),
        ),
    ],
)
def test_an_unknown_name_in_the_town_the_text_is_surely_about(text: str, expected: Where) -> None:
    assert _where("Quillbrook", text) == expected


def test_a_spelling_variant_far_from_the_texts_places_gives_way_to_its_town() -> None:
    # Enfield, London, is a spelling variant of the stadium's name: nothing the text names lies
    # around it, and the text is surely about Liverpool.
    text = "Fans filled Anfield on Saturday. Liverpool police said the crowd in Liverpool, England, was calm."
    place = _resolve("Anfield", text)
    assert (place.name, place.lat, place.lon, place.precision.value) == (
        "Liverpool",
        53.41058,
        -2.97794,
        "district",
    )
    assert place.reason is not None
    assert place.reason.startswith(
        "'Enfield Town' is no place around the text's; in the town the text names"
    )
    # A text about no town keeps the variant.
    assert _where("Anfield", "Fans filled Anfield on Saturday.")[0] == "Enfield Town"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Toorak, Victoria, is the only town of the name: the text writes it in Memphis.
        (
            "Neighbours gathered at Toorak in Memphis on Sunday after the storm.",
            ("Memphis", 35.14953, -90.04898, "district", "US"),
        ),
        # Written in a town of its own country, the town of the name stays.
        (
            "Neighbours gathered at Toorak in Melbourne on Sunday.",
            ("Toorak", -37.84165, 145.01438, "settlement", "AU"),
        ),
        # Written in no town, it stays too.
        (
            "Neighbours gathered at Toorak on Sunday; Memphis police closed the road.",
            ("Toorak", -37.84165, 145.01438, "settlement", "AU"),
        ),
    ],
)
def test_a_namesake_abroad_gives_way_to_the_town_the_text_writes_the_name_in(
    text: str, expected: Where
) -> None:
    assert _where("Toorak", text) == expected
