from __future__ import annotations

import pytest

from docket.domain import Claim, LocationPrecision, PlaceMention
from docket.geo.geocoder import default_geocoder

SETTLEMENT = LocationPrecision.settlement


@pytest.mark.parametrize(
    ("mention", "name", "lat", "lon", "admin1", "country"),
    [
        # Idlib governorate, many spellings
        ("Maarat al-Numan", "Ma‘arrat an Nu‘mān", 35.6483, 36.67693, "Idlib", "SY"),
        ("Ma'arrat an-Nu'man", "Ma‘arrat an Nu‘mān", 35.6483, 36.67693, "Idlib", "SY"),
        ("Maaret al-Noman", "Ma‘arrat an Nu‘mān", 35.6483, 36.67693, "Idlib", "SY"),
        ("معرة النعمان", "Ma‘arrat an Nu‘mān", 35.6483, 36.67693, "Idlib", "SY"),
        ("Kafr Nabl", "Kafranbel", 35.61376, 36.56449, "Idlib", "SY"),
        ("Kafranbel", "Kafranbel", 35.61376, 36.56449, "Idlib", "SY"),
        ("Kafr Nubl", "Kafranbel", 35.61376, 36.56449, "Idlib", "SY"),
        ("Khan Sheikhoun", "Khān Shaykhūn", 35.44208, 36.65095, "Idlib", "SY"),
        ("Khan Shaykhun", "Khān Shaykhūn", 35.44208, 36.65095, "Idlib", "SY"),
        ("Saraqeb", "Saraqib", 35.86447, 36.80591, "Idlib", "SY"),
        # Aleppo and Hama governorates
        ("Atarib", "Al Atārib", 36.13907, 36.82504, "Aleppo", "SY"),
        ("al-Atarib", "Al Atārib", 36.13907, 36.82504, "Aleppo", "SY"),
        ("Atareb", "Al Atārib", 36.13907, 36.82504, "Aleppo", "SY"),
        ("Hama", "Ḩamāh", 35.13179, 36.75783, "Hama", "SY"),
        ("Al-Latamneh", "Al-Lataminah", 35.3197, 36.6219, "Hama", "SY"),
        # Yemen, Ukraine, Sudan, Gaza
        ("Hodeidah", "Al Ḩudaydah", 14.79781, 42.95452, "Muhafazat al Hudaydah", "YE"),
        ("Sanaa", "Sanaa", 15.35452, 44.20646, "Amanat al-Asimah", "YE"),
        ("Mariupol", "Mariupol", 47.09514, 37.54131, "Donetsk", "UA"),
        ("Kharkiv", "Kharkiv", 49.98177, 36.25475, "Kharkiv", "UA"),
        ("El Fasher", "El Fasher", 13.62793, 25.34936, "Northern Darfur", "SD"),
        ("Jabalia", "Jabālyā", 31.5272, 34.48347, "Gaza Strip", "PS"),
        ("Khan Younis", "Khān Yūnis", 31.34018, 34.30627, "Gaza Strip", "PS"),
    ],
)
def test_resolve_spellings_of_real_places(
    mention: str, name: str, lat: float, lon: float, admin1: str, country: str
) -> None:
    place = default_geocoder().resolve(mention, context="Reports from the conflict areas.")
    assert (place.name, place.lat, place.lon, place.admin1, place.country) == (
        name,
        lat,
        lon,
        admin1,
        country,
    )
    assert place.precision == SETTLEMENT
    assert place.centroid is False


def test_province_only_is_admin1_centroid() -> None:
    place = default_geocoder().resolve("Idlib province")
    assert (place.name, place.precision, place.centroid) == (
        "Idlib",
        LocationPrecision.admin1,
        True,
    )
    assert (place.lat, place.lon) == (35.8596, 36.57137)


def test_bare_name_shared_by_town_and_province_means_the_town() -> None:
    place = default_geocoder().resolve("Idlib")
    assert (place.name, place.precision, place.lat) == ("Idlib", SETTLEMENT, 35.93062)


@pytest.mark.parametrize(
    ("phrase", "name", "precision", "lat", "lon", "centroid"),
    [
        ("near Saraqib", "Saraqib", "district", 35.86447, 36.80591, False),
        ("the outskirts of Idlib city", "Idlib", "district", 35.93062, 36.63393, False),
        (
            "12 km south of Maarat al-Numan",
            "Ma‘arrat an Nu‘mān",
            "district",
            35.54038,
            36.67693,
            False,
        ),
        ("southern Idlib countryside", "Idlib", "admin1", 35.8596, 36.57137, True),
        ("Hama countryside", "Hama", "admin1", 35.30949, 37.27042, True),
        ("the town of Kafr Nabl", "Kafranbel", "settlement", 35.61376, 36.56449, False),
        ("southern Idlib", "Idlib", "admin1", 35.8596, 36.57137, True),
        ("north London", "London", "district", 51.50853, -0.12574, False),
        ("Khan Sheikhoun, Idlib", "Khān Shaykhūn", "settlement", 35.44208, 36.65095, False),
    ],
)
def test_relative_phrases_keep_anchor_with_coarser_precision(
    phrase: str, name: str, precision: str, lat: float, lon: float, centroid: bool
) -> None:
    place = default_geocoder().resolve(phrase)
    assert (place.name, place.precision.value, place.lat, place.lon, place.centroid) == (
        name,
        precision,
        lat,
        lon,
        centroid,
    )


@pytest.mark.parametrize(
    ("mention", "context", "country", "admin1"),
    [
        ("Georgia", "Officials in Atlanta said the storm moved north.", "US", "Georgia"),
        ("Georgia", "Talks in Tbilisi ended without a deal.", "GE", None),
        ("Athens", "Police in Clarke County and across Georgia were told.", "US", "Georgia"),
        ("Athens", "Ministers met in Greece on Monday.", "GR", "Attica"),
    ],
)
def test_ambiguous_names_resolved_by_context(
    mention: str, context: str, country: str, admin1: str | None
) -> None:
    place = default_geocoder().resolve(mention, context=context)
    assert (place.country, place.admin1) == (country, admin1)


def test_small_village_wins_with_its_province_in_the_text() -> None:
    place = default_geocoder().resolve("Hass", context="Shelling hit Hass in southern Idlib.")
    assert (place.name, place.lat, place.lon, place.admin1) == ("Hass", 35.5806, 36.5988, "Idlib")


@pytest.mark.parametrize(
    ("mention", "text", "admin1", "country", "lat", "lon"),
    [
        # a suburb and a county town missing from GeoNames cities500, copied from the
        # countries-states-cities database
        (
            "Khalifa City",
            "Residents of Khalifa City, on the edge of Abu Dhabi, said the storm flooded roads.",
            "Abu Dhabi",
            "AE",
            24.42588,
            54.605,
        ),
        (
            "Rangtang",
            "Mudslides buried a road in Rangtang county in Sichuan province on Monday.",
            "Sichuan",
            "CN",
            32.346,
            101.18451,
        ),
    ],
)
def test_a_town_from_the_second_source_resolves_to_its_point(
    mention: str, text: str, admin1: str, country: str, lat: float, lon: float
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    assert (place.name, place.admin1, place.country) == (mention, admin1, country)
    assert (place.lat, place.lon, place.precision) == (lat, lon, SETTLEMENT)


def test_a_demonym_stays_its_country_although_some_village_is_so_named() -> None:
    place = default_geocoder().resolve(
        "German", context="German officials said on Monday that the aid convoy had left."
    )
    assert (place.name, place.country, place.precision) == (
        "Germany",
        "DE",
        LocationPrecision.country,
    )


def test_admin1_and_country_hints() -> None:
    assert default_geocoder().resolve("Paris", country="US").country == "US"
    assert default_geocoder().resolve("Paris, Texas").admin1 == "Texas"


def test_unresolvable_name_stays_unresolved_with_reason() -> None:
    place = default_geocoder().resolve("Qqzxvillé Bzzt")
    assert place.place_id is None and place.lat is None and place.lon is None
    assert place.reason == (
        "unresolved: no gazetteer entry is named 'Qqzxvillé Bzzt' or a close spelling"
    )


def test_resolution_records_rejected_candidates() -> None:
    place = default_geocoder().resolve("Idlib")
    assert [(r["name"], r["feature"]) for r in place.rejected] == [("Idlib", "admin1")]


def test_resolve_claim_prefers_most_specific_mention() -> None:
    claim = Claim(
        places=[
            PlaceMention(text="Idlib province"),
            PlaceMention(text="Kafr Nabl", anchor="Kafr Nabl", relation="in"),
        ]
    )
    text = "Warplanes struck a hospital in Kafr Nabl, in southern Idlib province, on Sunday."
    place = default_geocoder().resolve_claim(claim, document_text=text)
    assert place is not None
    assert (place.name, place.precision) == ("Kafranbel", SETTLEMENT)


def test_resolve_claim_without_places_is_none() -> None:
    assert default_geocoder().resolve_claim(Claim(), document_text="") is None


def test_unknown_name_containing_a_place_resolves_to_it_coarsely() -> None:
    place = default_geocoder().resolve("Maarat al-Numan Grain Silos")
    assert (place.name, place.precision.value, place.lat) == (
        "Ma‘arrat an Nu‘mān",
        "district",
        35.6483,
    )
    assert place.reason is not None and place.reason.startswith(
        "'Maarat al-Numan Grain Silos' names Ma‘arrat an Nu‘mān: precision district"
    )


def test_town_and_its_county_named_together_support_each_other() -> None:
    text = "Deputies arrested a man near Athens on Friday after a chase, the Henderson County sheriff said."
    geo = default_geocoder()
    town = geo.resolve("Athens", context=text)
    county = geo.resolve("Henderson County", context=text)
    assert (town.name, town.admin1, town.country, town.lat, town.lon) == (
        "Athens",
        "Texas",
        "US",
        32.20487,
        -95.85552,
    )
    assert (county.name, county.admin1, county.precision.value) == (
        "Henderson County",
        "Texas",
        "district",
    )


def test_county_without_a_town_of_it_in_the_text_is_not_moved() -> None:
    place = default_geocoder().resolve(
        "Henderson County", context="The Henderson County commission met on Monday."
    )
    assert place.admin1 == "North Carolina"


@pytest.mark.parametrize(
    ("mention", "name", "lat", "lon", "country"),
    [
        ("Eastern Ghouta", "Eastern Ghouta", 33.55, 36.45, "SY"),
        ("the Golan", "Golan Heights", 33.0, 35.75, "SY"),
        ("Indian Ocean", "Indian Ocean", -10.0, 70.0, None),
        ("Sumatra", "Sumatra", -0.5, 102.0, "ID"),
    ],
)
def test_seas_islands_and_regions_resolve_as_areas(
    mention: str, name: str, lat: float, lon: float, country: str | None
) -> None:
    place = default_geocoder().resolve(mention)
    assert (place.name, place.lat, place.lon, place.country) == (name, lat, lon, country)
    assert (place.precision, place.centroid) == (LocationPrecision.admin1, True)


@pytest.mark.parametrize(
    ("text", "mention", "admin1", "country"),
    [
        ("Firefighters in Athens, Ga., put out a house fire on Sunday.", "Athens", "Georgia", "US"),
        ("Firefighters put out a house fire in Athens on Sunday.", "Athens", "Attica", "GR"),
        (
            "A clinic in Cambridge, Mass., reopened after the storm.",
            "Cambridge",
            "Massachusetts",
            "US",
        ),
    ],
)
def test_area_written_after_the_name_disambiguates_it(
    text: str, mention: str, admin1: str, country: str
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    assert (place.admin1, place.country) == (admin1, country)


def test_street_missing_from_gazetteer_is_placed_in_the_town_the_text_names() -> None:
    text = (
        "Crews closed Larkspur Avenue in Winnipeg, Manitoba, on Tuesday after a water main "
        "burst under the road, city officials said."
    )
    place = default_geocoder().resolve("Larkspur Avenue", context=text)
    assert (place.name, place.precision, place.country, place.lat, place.lon) == (
        "Winnipeg",
        LocationPrecision.district,
        "CA",
        49.8844,
        -97.14704,
    )
    assert place.reason.startswith("street or building in the town the text names")


def test_road_number_is_placed_in_the_town_the_text_names() -> None:
    text = "A lorry overturned on the A4071 near Coventry, closing both lanes for six hours."
    place = default_geocoder().resolve("A4071", context=text)
    assert (place.name, place.precision, place.country) == (
        "Coventry",
        LocationPrecision.district,
        "GB",
    )


def test_street_without_a_town_in_the_text_stays_unresolved() -> None:
    place = default_geocoder().resolve("Quillhaven Avenue", context="The road was closed.")
    assert place.lat is None
    assert place.reason.startswith("unresolved")


def test_building_named_after_a_town_is_in_that_town() -> None:
    text = "The injured driver was taken to Carlisle Infirmary, Cumbria police said on Sunday."
    place = default_geocoder().resolve("Carlisle Infirmary", context=text)
    assert (place.name, place.precision, place.country, place.admin1) == (
        "Carlisle",
        LocationPrecision.district,
        "GB",
        "England",
    )


def test_surname_is_not_taken_for_the_town_of_a_street() -> None:
    text = (
        "Two cars collided on Larkspur Avenue on Monday, Sergeant Mark Leeds told reporters "
        "in Winnipeg."
    )
    place = default_geocoder().resolve("Larkspur Avenue", context=text)
    assert (place.name, place.country) == ("Winnipeg", "CA")


def test_country_name_means_the_country_not_its_capital_known_by_that_alias() -> None:
    text = "Residents of Coyoacan and Iztapalapa felt the earthquake that struck Mexico on Tuesday."
    place = default_geocoder().resolve("Mexico", context=text)
    assert (place.name, place.precision, place.country, place.centroid) == (
        "Mexico",
        LocationPrecision.country,
        "MX",
        True,
    )


@pytest.mark.parametrize(
    ("mention", "text", "name", "precision", "country"),
    [
        # A nation (the UK's constituent countries) beats an English town of the same name even
        # when the text names England.
        (
            "Wales",
            "Flooding closed roads across Wales on Tuesday, and rail lines into England were "
            "cut, the UK weather service said.",
            "Wales",
            LocationPrecision.admin1,
            "GB",
        ),
        # An ocean beats a small town of its name in a text that is merely about the town's
        # country.
        (
            "Atlantic",
            "US Navy ships crossed the Atlantic on Monday, the Pentagon in Washington said.",
            "Atlantic Ocean",
            LocationPrecision.admin1,
            None,
        ),
        (
            "Pacific",
            "A US Coast Guard cutter searched the Pacific for the missing crew, officials in "
            "Honolulu, Hawaii said.",
            "Pacific Ocean",
            LocationPrecision.admin1,
            None,
        ),
        # A country's own name means the country, not its province of that name.
        (
            "Taiwan",
            "Farm workers in Changhua County culled chickens after bird flu was found in Taiwan.",
            "Taiwan",
            LocationPrecision.country,
            "TW",
        ),
    ],
)
def test_bare_name_of_a_wide_area_means_the_area(
    mention: str, text: str, name: str, precision: LocationPrecision, country: str | None
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    assert (place.name, place.precision, place.country, place.centroid) == (
        name,
        precision,
        country,
        True,
    )


def test_town_named_like_a_country_wins_with_its_own_state_named() -> None:
    text = "The tornado flattened two barns near Turkey, Texas, late on Friday."
    place = default_geocoder().resolve("Turkey", context=text)
    assert (place.name, place.precision, place.country, place.admin1) == (
        "Turkey",
        SETTLEMENT,
        "US",
        "Texas",
    )


@pytest.mark.parametrize(
    ("mention", "text", "name", "precision", "lat", "lon"),
    [
        # Countries: GeoNames' country point (data/places/SOURCES.md, "Points of areas").
        (
            "Canada",
            "Wildfires forced thousands from their homes across Canada this week.",
            "Canada",
            LocationPrecision.country,
            60.10867,
            -113.64258,
        ),
        (
            "Nigeria",
            "Gunmen attacked a school in northern Nigeria on Friday.",
            "Nigeria",
            LocationPrecision.country,
            10.0,
            8.0,
        ),
        # First-level areas: their published point (admin1_points.csv), matched by name...
        (
            "Jiangsu",
            "Factories in Jiangsu province were closed after the blast.",
            "Jiangsu Sheng",
            LocationPrecision.admin1,
            33.0,
            120.0,
        ),
        (
            "England",
            "Hospitals in England cancelled operations as the strike began.",
            "England",
            LocationPrecision.admin1,
            52.53102,
            -1.26491,
        ),
        (
            "Wales",
            "Schools in Wales reopened on Monday.",
            "Wales",
            LocationPrecision.admin1,
            52.29281,
            -3.73893,
        ),
        # ... or by spelling ("Kharkiv" ~ "Kharkivska").
        (
            "Kharkiv Oblast",
            "Shelling hit villages in Kharkiv Oblast overnight, the regional governor said.",
            "Kharkiv",
            LocationPrecision.admin1,
            49.82996,
            36.3789,
        ),
        # A listed area that no GeoNames area is: a province newer than the GeoNames areas of
        # its country, a Welsh unitary authority (a second-level area at its listed point).
        (
            "Ituri",
            "Fighting displaced thousands of families in Ituri, in the north-east of the "
            "Democratic Republic of the Congo.",
            "Ituri",
            LocationPrecision.district,
            1.83306,
            29.49808,
        ),
        (
            "Ceredigion",
            "Flood warnings were issued for Ceredigion and the rest of west Wales.",
            "Ceredigion",
            LocationPrecision.district,
            52.29458,
            -3.95278,
        ),
        # Regions and oceans: regions.csv, each point's basis in its `basis` column.
        (
            "EU",
            "The EU agreed new sanctions on Thursday.",
            "European Union",
            LocationPrecision.admin1,
            49.84,
            9.9,
        ),
        (
            "the Americas",
            "The virus has now spread across the Americas.",
            "Americas",
            LocationPrecision.admin1,
            14.0,
            -100.0,
        ),
        (
            "Indian Ocean",
            "The cyclone formed over the Indian Ocean.",
            "Indian Ocean",
            LocationPrecision.admin1,
            -10.0,
            70.0,
        ),
    ],
)
def test_area_points_follow_the_documented_convention(
    mention: str, text: str, name: str, precision: LocationPrecision, lat: float, lon: float
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    assert (place.name, place.precision, place.lat, place.lon, place.centroid) == (
        name,
        precision,
        lat,
        lon,
        True,
    )


SITE = LocationPrecision.site


@pytest.mark.parametrize(
    ("mention", "context", "expected"),
    [
        # An airport: by its full name, and by the short name in a text about flights.
        (
            "Gatwick Airport",
            "The runway at Gatwick Airport reopened on Sunday.",
            ("London Gatwick Airport", 51.1481, -0.19028, "GB", SITE),
        ),
        (
            "Heathrow",
            "Planes queued at Heathrow as the strike grounded flights out of London.",
            ("London Heathrow Airport", 51.4706, -0.46194, "GB", SITE),
        ),
        # ... while a text about anything else means the town of that name.
        (
            "Heathrow",
            "A new library opened in Heathrow, near Lake Mary in Seminole County, Florida.",
            ("Heathrow", 28.76333, -81.37225, "US", SETTLEMENT),
        ),
        (
            "Aleppo International Airport",
            "Shelling hit Aleppo International Airport.",
            ("Aleppo International Airport", 36.1807, 37.2244, "SY", SITE),
        ),
        # A city that shares its name with its airport stays the city.
        (
            "Aleppo",
            "Shelling hit Aleppo while the airport stayed closed.",
            ("Aleppo", 36.20124, 37.16117, "SY", SETTLEMENT),
        ),
    ],
)
def test_airports(mention: str, context: str, expected: tuple[object, ...]) -> None:
    place = default_geocoder().resolve(mention, context=context)
    assert (place.name, place.lat, place.lon, place.country, place.precision) == expected
    assert place.centroid is False


def test_name_holding_only_an_alias_of_a_far_village_stays_unresolved() -> None:
    # "Cherry" is an alternate name of a French village; the text names no country.
    text = "Residents of Cherry Meadows met on Monday to discuss the new bus route."
    place = default_geocoder().resolve("Cherry Meadows", context=text)
    assert (place.lat, place.precision) == (None, LocationPrecision.country)


@pytest.mark.parametrize(
    ("mention", "text", "town", "lat", "lon"),
    [
        (
            "Nasrwood",
            "Police raided homes in Cairo's eastern suburb of Nasrwood on Monday.",
            "Cairo",
            30.06263,
            31.24967,
        ),
        (
            "Qasr Tarim",
            "Shells fell on the Baghdad suburb of Qasr Tarim overnight.",
            "Baghdad",
            33.34058,
            44.40088,
        ),
        (
            "Qadimwood",
            "Shelling hit Aleppo's eastern Qadimwood neighbourhood on Monday.",
            "Aleppo",
            36.20124,
            37.16117,
        ),
        (
            "Nasrwood",
            "A blast in the city's Nasrwood district shook Cairo on Sunday.",
            "Cairo",
            30.06263,
            31.24967,
        ),
        # An alternate name of a town elsewhere in Texas: the text says where it is.
        (
            "Maryville",
            "Shots were fired in the city's Maryville district, Houston police said.",
            "Houston",
            29.76328,
            -95.36327,
        ),
        # ... or a name the gazetteer knows only for towns abroad (spellings of towns in Malta
        # and Turkey), which the text rules out
        (
            "Zeitoun",
            "Police in Cairo, Egypt, sealed off the city's Zeitoun district after the blast.",
            "Cairo",
            30.06263,
            31.24967,
        ),
    ],
)
def test_unknown_suburb_is_placed_in_the_town_written_before_it(
    mention: str, text: str, town: str, lat: float, lon: float
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    assert (place.name, place.lat, place.lon, place.precision) == (
        town,
        lat,
        lon,
        LocationPrecision.district,
    )


@pytest.mark.parametrize(
    ("mention", "text", "name", "admin1", "country", "lat", "lon"),
    [
        # two towns of Perthshire place Perth in Scotland, not in Western Australia
        (
            "Perth",
            "Volunteers from Crieff and Auchterarder joined the search outside Perth on Sunday.",
            "Perth",
            "Scotland",
            "GB",
            56.39522,
            -3.43139,
        ),
        # ... and two towns of Lamar County place Paris in Texas, against a capital
        (
            "Paris",
            "Crews from Reno and Clarksville helped firefighters in Paris on Sunday.",
            "Paris",
            "Texas",
            "US",
            33.66094,
            -95.55551,
        ),
        # ... and two towns of Ontario place Kingston there, though the name is also that of
        # the capital's parish
        (
            "Kingston",
            "Ambulances from Gananoque and Napanee took the injured to hospital in Kingston.",
            "Kingston",
            "Ontario",
            "CA",
            44.22976,
            -76.48098,
        ),
        # one town alone does not: a first name or a firm lies near some namesake too often
        (
            "Perth",
            "Volunteers from Crieff joined the search outside Perth on Sunday.",
            "Perth",
            "Western Australia",
            "AU",
            -31.95224,
            115.8614,
        ),
        (
            "Paris",
            "Crews from Reno helped firefighters in Paris on Sunday.",
            "Paris",
            "Ile-de-France",
            "FR",
            48.85341,
            2.3488,
        ),
    ],
)
def test_names_of_the_text_lying_together_place_an_ambiguous_town(
    mention: str, text: str, name: str, admin1: str, country: str, lat: float, lon: float
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    assert (place.name, place.admin1, place.country, place.lat, place.lon) == (
        name,
        admin1,
        country,
        lat,
        lon,
    )


def test_towns_around_a_state_name_leave_it_the_state() -> None:
    text = "Storms flooded roads in Warwick and Goshen, and Florida officials closed schools."
    place = default_geocoder().resolve("Florida", context=text)
    assert (place.name, place.country, place.precision.value) == ("Florida", "US", "admin1")


def test_famous_name_lends_only_its_own_place_to_the_names_around() -> None:
    geo = default_geocoder()
    # London, Ohio lies 40 km from Dublin, Ohio; "London" means London, England
    famous = geo.context_of("Flights from London and Paris were cancelled.")
    assert famous.names_around(40.09923, -83.11408, 50.0, enough=5) == 0
    # a state's name lends no town: Florida, New York is not counted around Goshen
    state = geo.context_of("Storms hit Florida.")
    assert state.names_around(41.40204, -74.32432, 50.0, enough=5) == 0
    towns = geo.context_of("Volunteers from Crieff and Auchterarder joined the search.")
    assert towns.names_around(56.39522, -3.43139, 50.0, enough=5) == 2
    assert towns.names_around(56.39522, -3.43139, 50.0, enough=1) == 1
    assert towns.names_around(56.39522, -3.43139, 5.0, enough=5) == 0


def test_a_longer_form_of_the_mention_does_not_vote_for_its_own_country() -> None:
    geo = default_geocoder()
    text = "Dublin City Council voted on Monday to rename a street. Dublin officials agreed."
    whole = geo.context_of(text)
    assert (whole.countries, whole.admin1s) == ({"IE": 1.0}, {("IE", "L"): 1.0})
    ctx = geo.context_of(text, exclude="Dublin")
    assert (ctx.countries, ctx.admin1s) == ({}, {})
    # ... while still counted as a name of the text (its counties support the mention)
    assert (sorted(ctx.keys), sorted(ctx.excluded)) == (
        ["council", "dublin", "dublin city"],
        ["dublin"],
    )


@pytest.mark.parametrize(
    ("text", "country", "admin1"),
    [
        # the county named apart from the mention outweighs the mention's own longer form
        (
            "Dublin City Council met on Tuesday. The Franklin County Auditor's Office said "
            "the school levy had passed.",
            "US",
            "Ohio",
        ),
        # with no county named apart, the longer form still supports the capital
        (
            "Dublin City Council met on Tuesday. The school levy had passed.",
            "IE",
            "Leinster",
        ),
    ],
)
def test_a_longer_form_of_the_mention_yields_to_a_county_named_apart(
    text: str, country: str, admin1: str
) -> None:
    place = default_geocoder().resolve("Dublin", context=text)
    assert (place.name, place.country, place.admin1) == ("Dublin", country, admin1)
    assert place.precision.value == "settlement"


@pytest.mark.parametrize(
    ("text", "admin1", "lat", "lon"),
    [
        # a legislator from Charleston: Anderson is more likely the one in South Carolina
        (
            "Rep. Jane Doe, D-Charleston, said the clinic in Anderson would lose its funding.",
            "South Carolina",
            34.50344,
            -82.65013,
        ),
        # alone, the bigger namesake
        ("The clinic in Anderson would lose its funding.", "Indiana", 40.10532, -85.68025),
        # a famous name beside it says nothing about a state
        (
            "Flights from London landed late. The clinic in Anderson would lose its funding.",
            "Indiana",
            40.10532,
            -85.68025,
        ),
    ],
)
def test_towns_of_shared_names_lean_to_the_state_they_share(
    text: str, admin1: str, lat: float, lon: float
) -> None:
    place = default_geocoder().resolve("Anderson", context=text)
    assert (place.name, place.admin1, place.country, place.precision, place.lat, place.lon) == (
        "Anderson",
        admin1,
        "US",
        SETTLEMENT,
        lat,
        lon,
    )


@pytest.mark.parametrize(
    ("mention", "text", "name", "country", "precision"),
    [
        (
            "Tell Marqub",
            "Shelling struck the village of Tell Marqub in Idlib governorate on Friday.",
            "Idlib",
            "SY",
            "admin1",
        ),
        (
            "Wadi Zarqaf",
            "An airstrike hit a market in the Wadi Zarqaf district, Taiz governorate, "
            "residents said.",
            "Ta'izz",
            "YE",
            "admin1",
        ),
        (
            "Umm Dakhira",
            "Militias burned the village of Umm Dakhira in South Kordofan state.",
            "Southern Kordofan",
            "SD",
            "admin1",
        ),
        # a name with spelling variants ("Rangtang", "Rongtang"): the written area wins over
        # the town the text names
        (
            "Rungtang",
            "Mudslides buried a road in Rungtang county in Sichuan province on Monday. "
            "Officials in Beijing sent rescuers.",
            "Sichuan",
            "CN",
            "admin1",
        ),
        (
            "Quillback Run",
            "A shooting on Quillback Run Rd. in Menifee County left one man hurt.",
            "Menifee County",
            "US",
            "district",
        ),
        (
            "Quillback Run",
            "A shooting in the Quillback Run area, in Lawrence County, Ohio, left one man hurt.",
            "Lawrence County",
            "US",
            "district",
        ),
    ],
)
def test_an_unknown_name_written_with_its_kind_inside_an_area_is_placed_at_the_area(
    mention: str, text: str, name: str, country: str, precision: str
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    assert (place.name, place.country, place.precision.value) == (name, country, precision)
    assert place.centroid is True
    assert place.reason.startswith(f"{mention!r}, a name the gazetteer lacks, written inside")


@pytest.mark.parametrize(
    "text",
    [
        # the area is written elsewhere in the text, not after the name
        "Shelling struck the village of Tell Marqub. Idlib governorate was quiet.",
        # no kind written with the name
        "Shelling struck Tell Marqub in Idlib governorate on Friday.",
    ],
)
def test_an_unknown_name_is_not_placed_at_an_area_written_apart(text: str) -> None:
    place = default_geocoder().resolve("Tell Marqub", context=text)
    assert (place.lat, place.precision.value) == (None, "country")


@pytest.mark.parametrize(
    ("mention", "text", "admin1", "country", "reason"),
    [
        # the text's own places around a namesake beat the famous town: the mention's own
        # name is not "Alberta named in the text"
        (
            "Edmonton",
            "All Saints' in Edmonton opens its hall to rough sleepers this winter. It is one "
            "of seven churches in Enfield taking part in the scheme.",
            "England",
            "GB",
            "city 'Edmonton' (exact name); England named in the text; population 82,000",
        ),
        # a text naming no area: the best known town of the name, and nothing named
        (
            "Glasgow",
            "Volunteers in Glasgow cleaned the riverside paths on Sunday morning.",
            "Scotland",
            "GB",
            "city 'Glasgow' (exact name); the best known place of that name; population 626,410",
        ),
        # other states named for another reason: not a hamlet of the name (Atlanta, Indiana)
        (
            "Atlanta",
            "The singer died in Atlanta on Christmas Day. He had planned a run of concerts in "
            "New Jersey and New York for the new year.",
            "Georgia",
            "US",
            "city 'Atlanta' (exact name); US named in the text; the best known place of that "
            "name; population 510,823",
        ),
    ],
)
def test_the_best_known_town_of_a_name_is_a_prior_of_its_own(
    mention: str, text: str, admin1: str, country: str, reason: str
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    expected = (mention, admin1, country, SETTLEMENT, reason)
    assert (place.name, place.admin1, place.country, place.precision, place.reason) == expected


def test_a_one_word_mention_casts_no_vote_for_its_own_areas() -> None:
    geo = default_geocoder()
    text = "The singer died in Atlanta on Christmas Day."
    assert (geo.context_of(text).countries, geo.context_of(text).admin1s) == (
        {"US": 0.5},
        {("US", "GA"): 0.5},
    )
    ctx = geo.context_of(text, exclude="Atlanta")
    assert (ctx.countries, ctx.admin1s, ctx.mention) == ({}, {}, "atlanta")
