"""Ambiguous names resolved by the rest of the text: counties, states, countries, and the same
machinery on conflict-report places."""

from __future__ import annotations

import pytest

from docket.geo.context import names_dateline
from docket.geo.geocoder import default_geocoder


def _where(mention: str, context: str) -> tuple[str, float | None, float | None, str, str | None]:
    place = default_geocoder().resolve(mention, context=context)
    return place.name, place.lat, place.lon, place.precision.value, place.country


def test_county_list_names_the_state_of_a_bare_county_name() -> None:
    text = (
        "Jobless claims rose in Clarke, Oconee and Oglethorpe counties last month, officials said."
    )
    assert _where("Clarke", text) == ("Clarke County", 33.97243, -83.35525, "district", "US")


def test_county_list_places_the_town_among_its_namesakes() -> None:
    text = (
        "Jobless claims rose in the Athens area, and in Clarke, Oconee and Oglethorpe counties, "
        "the state labor office said."
    )
    assert _where("Athens", text) == ("Athens", 33.96095, -83.37794, "settlement", "US")


def test_county_list_picks_the_texan_gainesville() -> None:
    text = "Riders from Cooke, Grayson and Love counties will compete at the Gainesville rodeo."
    assert _where("Gainesville", text) == ("Gainesville", 33.62594, -97.13335, "settlement", "US")


def test_bare_name_called_a_county_elsewhere_in_the_text() -> None:
    text = "Crews fixed a broken main in north Geauga County. Geauga officials thanked them."
    assert _where("Geauga", text)[0] == "Geauga County"


@pytest.mark.parametrize(
    "text",
    [
        "Ankara recalled its envoy as talks between Turkey and the European Union stalled.",
        "The pastor from North Carolina was held in Turkey for two years.",
    ],
)
def test_country_name_beats_small_american_namesakes(text: str) -> None:
    assert _where("Turkey", text) == ("Turkey", 39.0, 35.0, "country", "TR")


def test_country_name_beats_a_town_of_its_own_known_by_the_name() -> None:
    text = "Officials in Mexico urged people to stay home as the outbreak spread."
    assert _where("Mexico", text) == ("Mexico", 23.0, -102.0, "country", "MX")


def test_town_named_like_a_country_when_its_county_is_named() -> None:
    text = "The fiddle festival returns to Turkey on Friday, the Hall County town where he grew up."
    assert _where("Turkey", text) == ("Turkey", 34.4036, -100.8449, "settlement", "US")


def test_capital_without_american_context() -> None:
    text = "Protesters marched through central Athens as Greek lawmakers voted on the budget."
    assert _where("Athens", text) == ("Athens", 37.98376, 23.72784, "settlement", "GR")


@pytest.mark.parametrize(
    ("mention", "text", "expected"),
    [
        (
            "Idlib",
            "Air strikes hit a market in Idlib on Tuesday, rescuers said.",
            ("Idlib", 35.93062, 36.63393, "settlement", "SY"),
        ),
        (
            "Aleppo",
            "Shelling killed four civilians in Aleppo and its western countryside.",
            ("Aleppo", 36.20124, 37.16117, "settlement", "SY"),
        ),
    ],
)
def test_conflict_places_still_resolve(
    mention: str, text: str, expected: tuple[str, float, float, str, str]
) -> None:
    assert _where(mention, text) == expected


def test_georgia_is_the_state_in_an_american_text() -> None:
    text = (
        "Georgia’s newest utility regulator faces fines for state ethics violations, the State "
        "Public Service Commission said."
    )
    place = default_geocoder().resolve("Georgia", context=text)
    # (the point of a first-level area is not this test's business)
    assert (place.name, place.precision.value, place.admin1, place.country) == (
        "Georgia",
        "admin1",
        "Georgia",
        "US",
    )


def test_georgia_is_the_country_beside_tbilisi() -> None:
    text = "Russian troops stayed in Georgia after the war, and Tbilisi protested to the UN."
    place = default_geocoder().resolve("Georgia", context=text)
    assert (place.name, place.precision.value, place.country) == ("Georgia", "country", "GE")


def test_capital_beats_american_namesakes_in_an_american_text() -> None:
    text = "A delegation from Newark, N.J., and San Francisco flew to Paris for the climate talks."
    assert _where("Paris", text) == ("Paris", 48.85341, 2.3488, "settlement", "FR")


def test_namesake_of_a_capital_in_its_named_county() -> None:
    text = "Deputies in Lamar County said the crash happened in Paris on Monday."
    assert _where("Paris", text) == ("Paris", 33.66094, -95.55551, "settlement", "US")


def test_namesake_of_a_capital_among_its_neighbours() -> None:
    text = (
        "Police in St. Thomas and London said the overdoses came from the same batch; the OPP is "
        "investigating."
    )
    assert _where("London", text) == ("London", 42.98339, -81.23304, "settlement", "CA")


@pytest.mark.parametrize(
    ("mention", "text", "expected"),
    [
        (
            "Sanaa",
            "Coalition jets struck Sanaa overnight, residents of the Yemeni capital said.",
            ("Sanaa", 15.35452, 44.20646, "settlement", "YE"),
        ),
        (
            "Kharkiv",
            "Russian missiles hit Kharkiv and Izium, Ukrainian officials said.",
            ("Kharkiv", 49.98177, 36.25475, "settlement", "UA"),
        ),
        (
            "El Fasher",
            "RSF fighters shelled El Fasher, the capital of North Darfur, activists said.",
            ("El Fasher", 13.62793, 25.34936, "settlement", "SD"),
        ),
    ],
)
def test_yemeni_ukrainian_sudanese_places_in_context(
    mention: str, text: str, expected: tuple[str, float, float, str, str]
) -> None:
    assert _where(mention, text) == expected


def test_country_abbreviation_in_capitals_votes() -> None:
    text = "Doctors in Newcastle developed the treatment, and the UK's fertility regulator approved it."
    assert _where("Newcastle", text) == (
        "Newcastle upon Tyne",
        54.97328,
        -1.61396,
        "settlement",
        "GB",
    )


def test_headline_word_in_capitals_is_no_country() -> None:
    # "TO" is not Trinidad and Tobago: the largest Newcastle stays.
    text = "HOSPITAL TO OPEN IN NEWCASTLE: doctors in Newcastle welcomed the plan."
    assert _where("Newcastle", text) == ("Newcastle", -32.92953, 151.7801, "settlement", "AU")


@pytest.mark.parametrize(
    ("mention", "text", "expected"),
    [
        (
            "Atlanta",
            "The flight from Atlanta, Georgia to Wichita, Kansas landed late.",
            ("Atlanta", 33.749, -84.38798, "settlement", "US"),
        ),
        (
            "Batumi",
            "Protests spread to Batumi, Georgia, on Sunday.",
            ("Batumi", 41.64077, 41.6306, "settlement", "GE"),
        ),
        (
            "Athens",
            "The convoy reached Athens, Ga., on Sunday.",
            ("Athens", 33.96095, -83.37794, "settlement", "US"),
        ),
    ],
)
def test_area_after_the_name_that_is_a_state_and_a_country(
    mention: str, text: str, expected: tuple[str, float, float, str, str]
) -> None:
    assert _where(mention, text) == expected


def test_first_level_area_abbreviation_in_capitals_votes() -> None:
    text = "Nelson residents can now reach a FrontCounter BC office downtown, the minister said."
    assert _where("Nelson", text) == ("Nelson", 49.49985, -117.28553, "settlement", "CA")
    alone = "Nelson residents can now reach the new office downtown, the minister said."
    assert _where("Nelson", alone) == ("Nelson", -41.27078, 173.28404, "settlement", "NZ")


def test_a_shorter_name_inside_the_mention_does_not_vote_for_it() -> None:
    # "DeKalb" alone would vote for the Illinois town, and with it for Illinois.
    text = "Water main repaired in north DeKalb. Crews finished the repairs in north DeKalb County."
    place = default_geocoder().resolve("DeKalb County", context=text)
    assert (place.name, place.precision.value, place.admin1, place.country) == (
        "DeKalb County",
        "district",
        "Georgia",
        "US",
    )


def test_an_alternate_name_of_a_small_town_does_not_win_by_context() -> None:
    # Cartersville, Georgia, is also listed as "Birmingham"; its neighbours named here would
    # otherwise carry it past the towns whose own name this is.
    text = "Fans drove from Rome and Cartersville to the Birmingham festival."
    place = default_geocoder().resolve("Birmingham", context=text)
    assert place.name == "Birmingham"
    assert place.rejected[0]["name"] == "Cartersville"


def test_an_administrative_seat_listed_without_population_beats_an_alias_abroad() -> None:
    # Ariha, a district seat in Idlib, has no population in GeoNames; Jericho's Arabic name is
    # also Ariha.
    assert _where("Ariha", "") == ("Arīḩā", 35.81374, 36.60964, "settlement", "SY")


def test_a_news_agency_in_capitals_is_not_read_as_a_place() -> None:
    ctx = default_geocoder().context_of("SANA said government forces shelled Saraqib on Monday.")
    assert ctx.countries == {"SY": 0.5}


def test_the_city_in_capitals_is_still_the_city() -> None:
    ctx = default_geocoder().context_of("Protesters gathered in SANAA on Friday.")
    assert ctx.countries == {"YE": 1.0}


def _area_of(mention: str, text: str) -> tuple[str, str, str | None, str | None]:
    """Name, precision, admin1 and country (the point of a first-level area is the data's
    business, not these tests')."""
    place = default_geocoder().resolve(mention, context=text)
    return place.name, place.precision.value, place.admin1, place.country


@pytest.mark.parametrize(
    "text",
    [
        "Flu cases rose across New York state this winter, health officials said.",
        "The former New York Gov. spoke at the dinner.",
        "A fire gutted a warehouse in Buffalo, New York, on Sunday.",
    ],
)
def test_new_york_used_as_the_state(text: str) -> None:
    assert _area_of("New York", text) == ("New York", "admin1", "New York", "US")


def test_new_york_without_cues_is_the_city() -> None:
    text = "Flu cases rose in New York this winter, health officials said."
    assert _where("New York", text) == (
        "New York City",
        40.71427,
        -74.00597,
        "settlement",
        "US",
    )


def test_a_state_written_after_one_of_its_towns() -> None:
    text = "The flight from Atlanta, Georgia landed two hours late."
    assert _area_of("Georgia", text) == ("Georgia", "admin1", "Georgia", "US")


def test_washington_state_and_washington() -> None:
    state = "Wildfires burned across Washington state in August."
    assert _area_of("Washington", state) == ("Washington", "admin1", "Washington", "US")
    capital = "Talks resumed in Washington on Monday."
    assert _where("Washington", capital) == ("Washington", 38.89511, -77.03637, "settlement", "US")


def test_quebec_the_province_unless_the_text_says_the_town() -> None:
    assert _area_of("Quebec", "Hydro crews in Quebec restored power.") == (
        "Quebec",
        "admin1",
        "Quebec",
        "CA",
    )
    town = "The mayor of Quebec opened the winter carnival."
    assert _where("Quebec", town) == ("Québec", 46.81228, -71.21454, "settlement", "CA")


def test_counties_named_apart_vote_for_the_state_holding_both() -> None:
    text = (
        "Deputies from Oconee County and Morgan County joined the search, and the driver was "
        "found in Decatur."
    )
    assert _where("Decatur", text) == ("Decatur", 33.77483, -84.29631, "settlement", "US")


def test_a_spelling_variant_in_a_country_the_text_rules_out() -> None:
    alone = "Cattle deaths in Wedza worried farmers."
    assert _where("Wedza", alone) == ("Dedza", -14.3779, 34.33322, "settlement", "MW")
    place = default_geocoder().resolve(
        "Wedza", context="Cattle deaths in Wedza worried farmers across Zimbabwe."
    )
    assert place.lat is None
    # (a text surely about Harare places the name the gazetteer lacks there: test_sites.py)
    text = "Cattle deaths in Wedza worried farmers across Zimbabwe and in Harare."
    assert _where("Wedza", text) == ("Harare", -17.82772, 31.05337, "district", "ZW")


def test_a_demonym_votes_for_its_country() -> None:
    canadian = "The Canadian company opened a plant in Cambridge."
    assert _where("Cambridge", canadian) == ("Cambridge", 43.3601, -80.31269, "settlement", "CA")
    assert _where("Cambridge", "The company opened a plant in Cambridge.")[4] == "GB"


def test_a_demonym_mentioned_alone_is_its_country() -> None:
    assert _area_of("German", "German officials said the talks would resume.") == (
        "Germany",
        "country",
        None,
        "DE",
    )


def test_a_demonym_in_a_text_about_a_town_abroad_is_still_its_country() -> None:
    # Not a spelling variant of some place, to be put in the town the text is about.
    text = "Police in Paris, France, said the German suspect was held at the station."
    assert _area_of("German", text) == ("Germany", "country", None, "DE")


@pytest.mark.parametrize(
    ("mention", "text", "expected"),
    [
        (
            "Basque",
            "Police in Paris, France, said the group had fought for a Basque homeland.",
            ("Basque Country", "admin1", "Basque Country", "ES"),
        ),
        (
            "Tigrayan",
            "Aid convoys reached the Tigrayan capital after weeks of waiting.",
            ("Tigray", "admin1", "Tigray", "ET"),
        ),
        ("Darfuri", "Darfuri refugees crossed into Chad.", ("Darfur", "admin1", None, "SD")),
    ],
)
def test_a_region_adjective_mentioned_alone_is_its_region(
    mention: str, text: str, expected: tuple[str, str, str | None, str | None]
) -> None:
    place = default_geocoder().resolve(mention, context=text)
    assert (place.name, place.precision.value, place.admin1, place.country) == expected
    assert place.centroid
    assert place.reason.startswith(f"{'region' if mention == 'Darfuri' else 'admin1'} ")
    assert f"({mention!r} is its adjective)" in place.reason


def test_why_calls_a_word_the_adjective_only_of_the_place_it_names() -> None:
    # In a text about Chiapas a town of a close spelling wins; why says how it matched.
    text = "The Basque chef cooked in Chiapas, Mexico."
    place = default_geocoder().resolve("Basque", context=text)
    assert (place.name, place.reason.split(";")[0]) == (
        "El Bosque",
        "city 'El Bosque' (spelling 0.83)",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welsh farmers protested in Cardiff on Tuesday.", ("Wales", "admin1", "Wales", "GB")),
        (
            "Welsh aldermen met on Tuesday; the Louisiana town will repave Main Street.",
            ("Welsh", "settlement", "Louisiana", "US"),
        ),
    ],
)
def test_a_region_adjective_competes_with_a_town_of_that_name(
    text: str, expected: tuple[str, str, str | None, str | None]
) -> None:
    assert _area_of("Welsh", text) == expected


def test_demonyms_in_the_text_each_vote_once() -> None:
    text = "South Sudanese and Sri Lankan workers met; the Canadian's car was Swiss. Swiss banks."
    assert default_geocoder().context_of(text).countries == {
        "SS": 0.5,
        "LK": 0.5,
        "CA": 0.5,
        "CH": 0.5,
    }


def test_a_town_joined_to_its_county_by_a_hyphen() -> None:
    text = "An Athens-Clarke deputy stopped the stolen van near the river on Monday night."
    assert _where("Athens", text) == ("Athens", 33.96095, -83.37794, "settlement", "US")
    assert _where("Clarke", text) == ("Clarke County", 33.97243, -83.35525, "district", "US")


def test_names_joined_by_hyphens_count_when_they_are_places() -> None:
    geo = default_geocoder()
    ctx = geo.context_of("Sen. Ann Roe, D-Charleston, backed the Egypt-US trade bill.")
    assert {"charleston", "egypt", "us"} <= ctx.keys
    assert ctx.countries["EG"] == 1.0
    surname = geo.context_of("Ms Green-Karol spoke for the residents.")
    assert surname.keys == set()
    assert "day" not in geo.context_of("Veterans of D-Day met in the hall.").keys


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Floods cut the only road into Delmas on Sunday.", "HT"),
        ("Floods cut the only road into Delmas, north-east South Africa, on Sunday.", "ZA"),
    ],
)
def test_an_area_after_the_name_and_a_compass_word(text: str, country: str) -> None:
    assert _where("Delmas", text)[4] == country


@pytest.mark.parametrize(
    ("mention", "text", "expected"),
    [
        (
            "Tumbleweed",
            "Relief trucks reached Tumbleweed, Quezon City, on Tuesday.",
            ("Quezon City", 14.6488, 121.0509, "district", "PH"),
        ),
        (
            "Tumbleweed",
            "Relief trucks reached Tumbleweed, in Matara district, on Tuesday.",
            ("Matara", 5.94851, 80.53528, "district", "LK"),
        ),
        (
            "Greenlane",
            "The clinic in Greenlane, Auckland, reopened after the storm.",
            ("Auckland", -36.84853, 174.76349, "district", "NZ"),
        ),
        (
            "Tumbleweed",
            "Relief trucks reached Tumbleweed, Quezon City and Manila on Tuesday.",
            ("Tumbleweed", None, None, "country", None),
        ),
        (
            "Greenlane",
            "The clinic in Greenlane reopened after the storm.",
            ("Greenlawn", 40.86899, -73.36512, "settlement", "US"),
        ),
        (
            "Hardee Hill",
            "Deputies were called to the Hardee Hill area of Chiefland on Saturday.",
            ("Chiefland", 29.47496, -82.85984, "district", "US"),
        ),
        (
            "Kafr Nubl",
            "Shelling hit Kafr Nubl, Maarat al-Numan, on Monday.",
            ("Kafranbel", 35.61376, 36.56449, "settlement", "SY"),
        ),
        (
            "Kafr Nubl",
            "Shelling hit Kafr Nubl, Raqqa and Palmyra on Monday.",
            ("Kafranbel", 35.61376, 36.56449, "settlement", "SY"),
        ),
    ],
)
def test_an_unknown_name_in_the_town_written_after_it(
    mention: str, text: str, expected: tuple[str, float | None, float | None, str, str | None]
) -> None:
    """Not a spelling variant abroad, or far from a town it is said to lie in; one near that
    town, or in a list of the country's towns, stays."""
    assert _where(mention, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Divers pulled old tyres out of the St. Marys River last week. St. Marys officials "
            "thanked them.",
            ("St. Marys", 30.73051, -81.54649, "district", "US"),
        ),
        (
            "Divers pulled old tyres out of the St. Marys River last week.",
            ("St. Marys River", None, None, "country", None),
        ),
    ],
)
def test_an_ambiguous_place_inside_an_unknown_name_when_the_text_names_it_apart(
    text: str, expected: tuple[str, float | None, float | None, str, str | None]
) -> None:
    assert _where("St. Marys River", text) == expected


@pytest.mark.parametrize(
    "text",
    ["The selectmen voted to pave the road by the mill.", "A selectman opened the meeting."],
)
def test_a_board_of_selectmen_or_a_selectman_says_the_text_is_american(text: str) -> None:
    assert default_geocoder().context_of(text).countries == {"US": 0.5}


def test_a_first_selectman_says_the_text_is_about_connecticut() -> None:
    # The chief executive of a Connecticut town: a selectman (American) and Connecticut.
    ctx = default_geocoder().context_of("First Selectman Ann Roe opened the meeting at the mill.")
    assert (ctx.countries, ctx.admin1s) == ({"US": 1.0}, {("US", "CT"): 0.5})


@pytest.mark.parametrize(
    ("town", "lat", "lon"),
    [("Madison", 41.27954, -72.59843), ("Clinton", 41.27871, -72.52759)],
)
def test_a_first_selectman_places_a_namesake_town_in_connecticut(
    town: str, lat: float, lon: float
) -> None:
    text = (
        f"{town.upper()} — First Selectman Ann Roe said the town beach on Shore Road opens in "
        f"June, once the {town} board approves the lifeguards."
    )
    assert _where(town, text) == (town, lat, lon, "settlement", "US")


def test_rare_characters_of_a_needed_string() -> None:
    from docket.geo.context import rare_characters

    assert rare_characters("County Road") == "CR"
    assert rare_characters("(R-") == "(-R"
    assert rare_characters("ales tax") == "x"
    assert rare_characters("tate ") == ""


@pytest.mark.parametrize("filler", ["", " Crews cleared the debris through the night." * 8])
def test_country_cues_found_in_short_and_long_texts(filler: str) -> None:
    from docket.geo.context import Context, note_country_cues

    ctx = Context()
    note_country_cues(ctx, f"The sheriff closed County Road 9 on Friday.{filler}")
    assert ctx.countries == {"US": 1.0}
    quiet = Context()
    note_country_cues(quiet, f"The road was closed on Friday.{filler}")
    assert quiet.countries == {}


def test_the_city_council_names_no_place() -> None:
    text = (
        "Arlington — The City Council approved the budget on Tuesday, $2 million less than before."
    )
    assert _where("Arlington", text) == ("Arlington", 32.73569, -97.10807, "settlement", "US")
    assert "the city" not in default_geocoder().context_of(text).keys


def test_dateline_in_capitals_does_not_vote_for_the_mention() -> None:
    text = "MANSFIELD — The City Council voted on Monday to refinance $4 million of city debt."
    assert _where("Mansfield", text) == ("Mansfield", 32.56319, -97.14168, "settlement", "US")


def test_county_written_after_a_town_of_it_means_the_county() -> None:
    text = "SANTA ROSA CITY, Laguna Mayor Ana Cruz opened the new market on Friday."
    assert _where("Laguna", text) == ("Laguna", 14.16965, 121.33365, "district", "PH")


@pytest.mark.parametrize(
    ("mention", "text", "expected"),
    [
        (
            "SA",
            "Miners in Limpopo and Gauteng went on strike across SA.",
            ("South Africa", -29.0, 24.0, "country", "ZA"),
        ),
        (
            "SA",
            "Bushfires near Adelaide spread across SA.",
            ("South Australia", -30.53437, 135.63012, "admin1", "AU"),
        ),
        (
            "WA",
            "Bushfires near Perth spread across WA.",
            ("Western Australia", -25.2303, 121.01872, "admin1", "AU"),
        ),
        ("T&T", "The T&T envoy objected.", ("Trinidad and Tobago", 11.0, -61.0, "country", "TT")),
        (
            "Islamic Republic",
            "Tehran said the Islamic Republic would not yield.",
            ("Iran", 32.0, 53.0, "country", "IR"),
        ),
        ("NSW", "Floods cut roads.", ("New South Wales", -31.87598, 147.28695, "admin1", "AU")),
    ],
)
def test_short_forms_of_countries_and_states(
    mention: str, text: str, expected: tuple[object, ...]
) -> None:
    assert _where(mention, text) == expected


def test_short_form_of_several_areas_needs_the_text_to_name_one() -> None:
    # "SA" is South Africa, South Australia or Saudi Arabia: a text naming none of them does
    # not decide, and the name is resolved as any other.
    assert _where("SA", "Prices rose again.")[0] not in (
        "South Africa",
        "South Australia",
        "Saudi Arabia",
    )


def test_minnesota_party_prefix_places_the_home_town_in_minnesota() -> None:
    text = "State Sen. Mary Olson, DFL-Ely, said the bill would pass."
    assert _where("Ely", text) == ("Ely", 47.90324, -91.86709, "settlement", "US")


def test_a_state_written_in_the_background_votes_for_its_country_only() -> None:
    # "an Illinois hospital": where she trained, not where the story is; the small Illinois
    # namesake must not beat the big Texan town.
    text = "Plano nurse honoured. She trained at an Illinois hospital before moving south."
    assert _where("Plano", text) == ("Plano", 33.01984, -96.69889, "settlement", "US")
    ctx = default_geocoder().context_of(text)
    assert (ctx.countries, ctx.admin1s) == ({"US": 1.0}, {("US", "IL"): 0.0})


@pytest.mark.parametrize(
    "text",
    [
        "Plano nurse honoured. She trained at a hospital in Illinois before moving south.",
        "Plano nurse honoured. She trained at an Illinois hospital and still works in Illinois.",
        "Plano, Illinois nurse honoured. She trained at an Illinois hospital.",
    ],
)
def test_a_state_written_plainly_still_places_the_town(text: str) -> None:
    assert _where("Plano", text) == ("Plano", 41.66281, -88.53702, "settlement", "US")


def test_the_mention_written_in_the_background_is_left_out_of_its_own_votes() -> None:
    text = "Prosecutors in Atlanta charged a Georgia man with fraud on Monday."
    assert _area_of("Georgia", text) == ("Georgia", "admin1", "Georgia", "US")


@pytest.mark.parametrize(
    ("mention", "text"),
    [
        ("LEBANON", "LEBANON — The city council voted on Tuesday to raise the sales tax."),
        (
            "Lebanon",
            "Storm damage. LEBANON -- The city council voted on Tuesday to raise the sales tax. "
            "Lebanon residents will pay more.",
        ),
    ],
)
def test_a_dateline_names_a_town_not_the_country_of_its_name(mention: str, text: str) -> None:
    assert _where(mention, text) == ("Lebanon", 36.20811, -86.2911, "settlement", "US")


def test_a_name_in_capitals_that_is_no_dateline_keeps_its_usual_reading() -> None:
    text = "Envoys from LEBANON met on Tuesday. Lebanon — the envoys said — wants talks."
    assert _where("Lebanon", text) == ("Lebanon", 33.8333, 35.8333, "country", "LB")


def test_a_capital_in_a_dateline_is_still_the_capital() -> None:
    text = "PARIS — Talks between the two sides resumed on Monday."
    assert _where("PARIS", text) == ("Paris", 48.85341, 2.3488, "settlement", "FR")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CAIRO — Talks resumed.", True),
        ("Talks stalled. SALEM, Ore. -- The vote failed.", True),
        ("March 3, 2009 SALEM – The vote failed.", True),
        ("Officials in Moscow, SALEM - the agency - said.", False),
        ("The SALEM - Portland line reopened.", False),
        ("SALEM voters went to the polls.", False),
    ],
)
def test_datelines(text: str, expected: bool) -> None:
    name = "CAIRO" if text.startswith("CAIRO") else "Salem"
    assert names_dateline(name, text) is expected


def test_a_state_code_names_its_state_only_after_a_town_and_a_comma() -> None:
    geo = default_geocoder()
    alone = geo.context_of("Fans lined up for GA passes before the show.")
    assert (alone.countries, alone.admin1s) == ({}, {})
    after = geo.context_of("The band flew in from Macon, GA on Friday.")
    assert (after.countries, after.admin1s) == ({"US": 1.0}, {("US", "GA"): 1.0})
    assert _where("Rome", "Tickets: GA passes cost $40 for the Rome show.") == (
        "Rome",
        41.89193,
        12.51133,
        "settlement",
        "IT",
    )


def test_a_big_city_of_a_named_country_outranks_a_capital_whose_country_is_not_named() -> None:
    text = "Marchers at a London rally for the people of Aleppo thanked Canada for its help."
    assert _where("London", text) == ("London", 42.98339, -81.23304, "settlement", "CA")


def test_a_capital_placed_by_a_town_of_its_country_stays_the_capital() -> None:
    text = "Staff from Croydon and a Canada border agency met in London."
    assert _where("London", text) == ("London", 51.50853, -0.12574, "settlement", "GB")


def test_an_airline_named_after_a_country_does_not_move_a_capital() -> None:
    text = "Vets from London's animal reception centre and Air Canada Cargo wrote the rules."
    assert _where("London", text) == ("London", 51.50853, -0.12574, "settlement", "GB")


def test_a_capital_whose_country_is_named_stays_the_capital() -> None:
    text = "Canada's trade minister met British officials in London on Monday."
    assert _where("London", text) == ("London", 51.50853, -0.12574, "settlement", "GB")
