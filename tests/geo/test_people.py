"""People's and newspapers' names in a text do not vote as places (people.yaml, given_names.txt,
surnames.txt): given names with a surname, the words after a title, newspapers' head words."""

from __future__ import annotations

import pytest

from docket.geo.geocoder import default_geocoder


def _keys(text: str) -> list[str]:
    return sorted(default_geocoder().context_of(text).keys)


def _where(mention: str, context: str) -> tuple[str, str | None, str | None, str]:
    place = default_geocoder().resolve(mention, context=context)
    return place.name, place.admin1, place.country, place.precision.value


@pytest.mark.parametrize(
    "text",
    [
        "Joyce Shelby, a reporter, spoke to Keith Claussen on Friday.",
        "Austin Fesmire, 31, was arrested on Friday.",
        "Paris Hilton and Dallas Reed arrived late.",
        "Sen. Ann Roe and Mayor Bill Ruiz met President Vladimir Putin.",
        "Victoria Smith and Jordan Peterson spoke first.",
        "The award went to Mary Ann B. Smith.",
        "Greta Lind wrote for the Daily Herald. The Herald printed it.",
    ],
)
def test_people_and_newspapers_name_no_place(text: str) -> None:
    assert _keys(text) == []


def test_places_after_a_given_name_stay_places() -> None:
    text = "Crowds filled Victoria Park. Madison County deputies and Jordan Valley farmers came."
    assert _keys(text) == ["jordan valey", "madison county", "victoria park"]


def test_a_given_name_without_a_surname_stays_a_place() -> None:
    # a comma, an acronym, a word that places what follows: no surname
    text = "Paris, Texas is quiet. Austin PD officers came. She grew up near Charlotte Hale."
    assert _keys(text) == ["austin", "charlote", "hale", "paris", "texas"]


def test_a_country_named_like_a_person_needs_a_common_surname() -> None:
    text = "Agents of the Georgia Bureau of Investigation arrived."
    assert _keys(text) == ["bureau", "georgia"]


def test_a_two_word_place_starting_with_a_title_stays_a_place() -> None:
    assert _keys("Roads around Prince George were closed on Monday.") == ["prince george"]


def test_a_place_before_a_newspaper_head_word_does_not_vote() -> None:
    assert _keys("Greta Lind wrote for the Boston Globe about the floods.") == []


def test_paris_texas_with_a_comma_is_the_texan_town() -> None:
    assert _where("Paris", "The crash near Paris, Texas closed the road.") == (
        "Paris",
        "Texas",
        "US",
        "settlement",
    )


def test_a_persons_surname_does_not_place_a_town() -> None:
    # "Victoria" of the person would vote for the Australian state
    text = "Victoria Smith spoke to students in Springfield on Monday."
    assert _where("Springfield", text) == ("Springfield", "Missouri", "US", "settlement")


def test_a_newspapers_town_does_not_place_a_town() -> None:
    text = "Carla Dean, a New York Daily News reporter, drove from Atlanta to Augusta."
    assert _where("Augusta", text) == ("Augusta", "Georgia", "US", "settlement")


def test_a_township_named_like_a_person_stays_a_place() -> None:
    assert _keys("Lights go up in Madison Township this year.") == ["madison"]
    assert _keys("Madison Township lights go up this year.") == ["madison"]


def test_function_words_at_a_sentence_start_name_no_place() -> None:
    assert _keys("Both sides agreed. From the start, Many doubted it. Over time, Some left.") == []


def test_a_possessive_name_after_a_preposition_is_a_person() -> None:
    assert _keys("They rode in Austin Fesmire's truck.") == []


def test_a_surname_alone_after_the_full_name_is_the_person() -> None:
    assert _keys("Joyce Shelby wrote the story. Shelby said it took a year.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The union said its leader Vladimir Kostov would speak.",
        "The board named chief executive Noma Dube on Friday.",
        "A foul angered coach Durban Pillay late in the game.",
        "The club said, spokeswoman Bettina Durant added, that tickets sold out.",
    ],
)
def test_the_name_after_a_role_word_is_a_persons(text: str) -> None:
    assert _keys(text) == []


def test_a_single_word_or_a_possessive_after_a_role_word_stays_a_place() -> None:
    text = "The coach Boston hired left. The coach Tripoli's fans loved resigned."
    assert _keys(text) == ["boston", "tripoli"]


def test_a_building_is_not_placed_in_a_town_named_like_a_person_after_a_role_word() -> None:
    text = "Talks with Russian leader Vladimir Kostov were held at Kostov Tower."
    assert _where("Kostov Tower", text) == ("Kostov Tower", None, None, "country")


def test_a_building_is_not_placed_in_a_town_the_text_names_only_as_a_person() -> None:
    text = (
        "A foul angered coach Durban Pillay. Durban later said the Mzansi Arena crowd in "
        "KwaZulu-Natal was loud."
    )
    assert _where("Mzansi Arena", text) == ("Mzansi Arena", None, None, "country")


def test_a_building_is_placed_in_the_town_the_text_names() -> None:
    text = "Fans in KwaZulu-Natal filled the Mzansi Arena in Durban."
    assert _where("Mzansi Arena", text) == ("Durban", "KwaZulu-Natal", "ZA", "district")


def test_an_airline_named_after_a_country_does_not_vote_for_it() -> None:
    text = "The crates flew on Air Canada from Tokyo, and Japan Airlines took the rest."
    assert default_geocoder().context_of(text).countries == {"JP": 1.0}


def test_a_name_ending_a_longer_name_places_no_town_around_it() -> None:
    # "Minerva" ends the name of an aircraft: the Ohio town of that name lies beside Cambridge,
    # Ohio, and would carry it past the English city.
    text = (
        "Derek Pugh flew in a Rallye Minerva to mark his years at the Cambridge engineering firm."
    )
    assert _where("Cambridge", text) == ("Cambridge", "England", "GB", "settlement")


def _placing(text: str) -> set[str]:
    """The names of ``text`` that place towns around them (``Context.nearby``)."""
    cells = default_geocoder().context_of(text).cells
    return {key for bucket in cells.values() for key in bucket}


def test_a_name_ending_a_longer_name_is_read_but_places_nothing() -> None:
    text = "Derek Pugh flew in a Rallye Minerva on Sunday."
    assert ("minerva" in _keys(text), _placing(text)) == (True, set())


def test_a_name_after_a_possessive_still_places_towns() -> None:
    assert "chesterton" in _placing("She swam at Cambridge's Chesterton pool.")
