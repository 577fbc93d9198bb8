"""Field-by-field extraction from hand-written sentences in the style of real reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from docket.domain import Range
from docket.extract.output import claim_json
from docket.extract.run import extract_text

MONDAY = dt.date(2020, 5, 11)


def claims(
    text: str, published: dt.date | None = MONDAY, language: str = "en"
) -> list[dict[str, Any]]:
    state = extract_text(text, published=published, language=language)
    return [claim_json(c) for c in state.claims]


def one(text: str, published: dt.date | None = MONDAY, language: str = "en") -> dict[str, Any]:
    found = claims(text, published, language)
    assert len(found) == 1, found
    return found[0]


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "date", "precision"),
    [
        (
            "Warplanes struck the village of Kafr Halab on Sunday, killing three civilians.",
            MONDAY,
            "2020-05-10",
            "day",
        ),
        (
            "Before dawn Sunday, barrel bombs fell on the town of Ariha, killing two people.",
            MONDAY,
            "2020-05-10",
            "day",
        ),
        (
            "An air strike hit a bakery in the town of Sarmin on Monday, killing four people.",
            MONDAY,
            "2020-05-11",
            "day",
        ),
        (
            "Shelling hit the village of Kansafra on January 29, killing two children.",
            dt.date(2020, 2, 3),
            "2020-01-29",
            "day",
        ),
        (
            "Shelling hit the village of Kansafra on 29 December, killing two children.",
            dt.date(2020, 1, 5),
            "2019-12-29",
            "day",
        ),
        (
            "An air strike on 3 March 2019 hit the town of Khan Shaykhun, killing five people.",
            MONDAY,
            "2019-03-03",
            "day",
        ),
        (
            "Rockets hit the town of Binnish last week, killing six civilians.",
            MONDAY,
            "2020-05-04",
            "week",
        ),
        (
            "In late February, warplanes bombed the town of Saraqib, killing seven civilians.",
            MONDAY,
            "2020-02",
            "month",
        ),
        (
            "Warplanes bombed the town of Saraqib yesterday, killing seven civilians.",
            MONDAY,
            "2020-05-10",
            "day",
        ),
        (
            "Warplanes bombed the town of Saraqib on 2020-04-30, killing seven civilians.",
            None,
            "2020-04-30",
            "day",
        ),
        (
            "Warplanes bombed the town of Saraqib on Sunday, killing seven civilians.",
            None,
            None,
            None,
        ),
        (
            "Warplanes bombed the town of Saraqib on 14 April, killing seven civilians.",
            None,
            None,
            None,
        ),
    ],
)
def test_dates_resolve_against_published(
    text: str, published: dt.date | None, date: str | None, precision: str | None
) -> None:
    claim = one(text, published)
    assert (claim["date"], claim["date_precision"]) == (date, precision)


def test_dates_a_day_earlier_follows_the_event_before() -> None:
    text = (
        "Warplanes struck a house in the village of Deir Sunbul on Saturday, killing a woman and her son.\n"
        "A day earlier, an air raid on a camp near the town of Atmeh killed nine people."
    )
    found = claims(text)
    assert [(c["place"], c["date"]) for c in found] == [
        ("Deir Sunbul", "2020-05-09"),
        ("Atmeh", "2020-05-08"),
    ]


def test_dates_since_is_a_period_not_the_event_date() -> None:
    claim = one(
        "Since January, shelling has hit the town of Ariha again; on Sunday a shell killed two people there."
    )
    assert claim["date"] == "2020-05-10"


# --- casualties --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "killed"),
    [
        ("killing eleven people", (11, 11)),
        ("killing a dozen people", (12, 12)),
        ("killing at least 11 people", (11, None)),
        ("killing up to 14 people", (None, 14)),
        ("killing more than 20 people", (21, None)),
        ("killing nearly 30 people", (30, 30)),
        ("killing about 70 people", (70, 70)),
        ("killing between 5 and 8 people", (5, 8)),
        ("killing twenty-three people", (23, 23)),
        ("killing 1,200 people", (1200, 1200)),
        ("killing dozens of people", (None, None)),
        ("killing scores of people", (None, None)),
    ],
)
def test_casualties_numbers_and_qualifiers(
    phrase: str, killed: tuple[int | None, int | None]
) -> None:
    claim = one(f"An air strike hit the market in the town of Maarat Misrin on Sunday, {phrase}.")
    assert (claim["killed_min"], claim["killed_max"]) == killed


def test_casualties_civilians_are_marked_only_when_the_text_says_so() -> None:
    civilians = one("Shelling killed 9 civilians in the village of Kafr Ruma on Sunday.")
    people = one("Shelling killed 9 people in the village of Kafr Ruma on Sunday.")
    assert (
        civilians["killed_min"],
        civilians["civilians_killed_min"],
        civilians["civilians_killed_max"],
    ) == (9, 9, 9)
    assert (people["killed_min"], people["civilians_killed_min"]) == (9, None)


def test_casualties_sums_across_clauses_of_one_verb() -> None:
    claim = one(
        "Clashes in the village of Jobas on Sunday killed 15 regime fighters and seven extremists."
    )
    assert (claim["killed_min"], claim["killed_max"]) == (22, 22)
    assert (claim["combatants_killed_min"], claim["civilians_killed_min"]) == (22, None)


def test_casualties_parts_never_count_more_than_the_total() -> None:
    text = (
        "Shelling killed 4 people in the village of Kafr Ruma on Sunday. Later the monitor said "
        "9 civilians had been killed in the shelling of Kafr Ruma."
    )
    (claim,) = extract_text(text, published=MONDAY).claims
    killed = claim.casualties.killed
    assert (killed.total, killed.civilians, killed.unknown.is_empty) == (
        Range(low=4, high=9),
        Range(low=4, high=9),
        True,
    )


def test_casualties_a_person_named_apart_is_among_those_counted() -> None:
    claim = one(
        "A rocket struck near a school in the town of Binnish on Sunday, injuring two civilians. "
        "The teacher Rasha Haddad was injured by shrapnel."
    )
    assert (claim["injured_min"], claim["injured_max"], claim["named_victims"]) == (
        2,
        2,
        ["Rasha Haddad"],
    )


def test_casualties_a_child_and_his_mother() -> None:
    claim = one(
        "A drone strike on a house in the village of Has on Sunday killed a child and his mother."
    )
    assert (claim["killed_min"], claim["killed_max"]) == (2, 2)


def test_casualties_children_are_a_subset_of_the_total() -> None:
    claim = one(
        "Air strikes on the town of Ariha on Sunday killed 12 civilians, including five children."
    )
    assert (claim["killed_min"], claim["killed_max"], claim["civilians_killed_min"]) == (12, 12, 12)
    assert claim["children_killed"] == {"min": 5, "max": 5}


def test_casualties_killed_and_injured_in_one_sentence() -> None:
    claim = one("A car bomb in the town of Azaz on Sunday killed 7 people and wounded 23 others.")
    assert (claim["killed_min"], claim["injured_min"], claim["injured_max"]) == (7, 23, 23)


def test_casualties_several_figures_become_one_range() -> None:
    text = (
        "A missile hit the railway station in the city of Lozova on Sunday, killing at least 30 people.\n"
        "Later on Sunday the regional governor said 35 people had been killed in the attack on Lozova."
    )
    claim = one(text)
    assert (claim["killed_min"], claim["killed_max"]) == (30, 35)


def test_casualties_no_casualties_is_zero() -> None:
    claim = one(
        "An air strike hit the water station in the town of Kafr Takharim on Sunday; no casualties were reported."
    )
    assert (
        claim["killed_min"],
        claim["killed_max"],
        claim["injured_min"],
        claim["injured_max"],
    ) == (0, 0, 0, 0)


def test_casualties_number_words_in_french_and_german() -> None:
    fr = one(
        "Une frappe aérienne a tué douze civils dans la ville de Saraqeb dimanche.", language="fr"
    )
    de = one(
        "Bei einem Luftangriff in der Stadt Saraqib sind am Sonntag mindestens zwölf Zivilisten getötet worden.",
        language="de",
    )
    assert (fr["killed_min"], fr["killed_max"]) == (12, 12)
    assert (de["killed_min"], de["killed_max"], de["civilians_killed_min"]) == (12, None, 12)


# --- actors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "names", "attribution"),
    [
        ("Regime forces shelled", ["Syrian government forces"], "stated"),
        ("Assad forces shelled", ["Syrian government forces"], "stated"),
        ("The Syrian army shelled", ["Syrian government forces"], "stated"),
        ("Russian warplanes bombed", ["Russian forces"], "stated"),
        ("Warplanes believed to be Russian bombed", ["Russian forces"], "suspected"),
        ("Suspected Russian jets bombed", ["Russian forces"], "suspected"),
        ("Warplanes bombed", [], None),
        ("Hayat Tahrir al-Sham fighters shelled", ["Hayat Tahrir al-Sham"], "stated"),
        ("Hurras al-Deen militants shelled", ["Hurras al-Deen"], "stated"),
        ("SDF units shelled", ["Syrian Democratic Forces"], "stated"),
        ("ISIS militants shelled", ["Islamic State"], "stated"),
        ("Saudi-led coalition jets bombed", ["Saudi-led coalition"], "stated"),
        ("Houthi rebels shelled", ["Houthis"], "stated"),
        ("The RSF shelled", ["Rapid Support Forces"], "stated"),
        ("Israeli forces bombed", ["Israeli forces"], "stated"),
        ("Ukrainian forces shelled", ["Ukrainian forces"], "stated"),
        (
            "Russian and Syrian government jets bombed",
            ["Russian forces", "Syrian government forces"],
            "stated",
        ),
    ],
)
def test_actors_are_normalised(phrase: str, names: list[str], attribution: str | None) -> None:
    claim = one(f"{phrase} the village of Kafr Nubl on Sunday, killing four people.")
    assert claim["perpetrators"] == names
    if attribution:
        assert set(claim["attributions"].values()) == {attribution}


def test_actors_victims_are_not_perpetrators() -> None:
    claim = one(
        "Turkish drones struck a convoy near the town of Ain Issa on Sunday, killing six SDF fighters."
    )
    assert claim["perpetrators"] == ["Turkish forces"]
    assert claim["victims"] == ["Syrian Democratic Forces"]


def test_actors_sources_are_not_perpetrators() -> None:
    claim = one(
        "An air strike hit a school bus in the town of Dahyan on Sunday, the Houthi-run health ministry said."
    )
    assert claim["perpetrators"] == []


# --- weapons, targets, event type -------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "weapons", "event_type"),
    [
        (
            "Regime helicopters dropped barrel bombs on",
            ["helicopter", "barrel bomb"],
            "air_drone_strike",
        ),
        (
            "Rockets carrying cluster munitions hit",
            ["rocket", "cluster munition"],
            "shelling_artillery_missile_attack",
        ),
        (
            "Warplanes dropped cluster bombs on",
            ["aircraft", "cluster munition"],
            "air_drone_strike",
        ),
        ("A chlorine attack hit", ["chemical"], "chemical_weapon"),
        ("Artillery shelling hit", ["artillery"], "shelling_artillery_missile_attack"),
        ("A ballistic missile hit", ["missile"], "shelling_artillery_missile_attack"),
        ("Mortar rounds hit", ["mortar"], "shelling_artillery_missile_attack"),
        ("A drone strike hit", ["drone"], "air_drone_strike"),
        ("An air strike hit", ["aircraft"], "air_drone_strike"),
        # a missile named first, but fired from the air
        ("A missile fired from a warplane hit", ["missile", "aircraft"], "air_drone_strike"),
        ("A rocket launched from a drone hit", ["rocket", "drone"], "air_drone_strike"),
        ("Rockets fired from a launcher hit", ["rocket"], "shelling_artillery_missile_attack"),
        ("An IED exploded in", ["ied"], "remote_explosive_landmine_ied"),
        ("Snipers fired on", ["small arms"], "attack"),
        ("An attack of unknown means hit", [], "other"),
    ],
)
def test_weapons_and_event_type(phrase: str, weapons: list[str], event_type: str) -> None:
    claim = one(f"{phrase} the market in the town of Sarmin on Sunday, killing three people.")
    assert (sorted(claim["weapons"]), claim["event_type"]) == (sorted(weapons), event_type)


@pytest.mark.parametrize(
    ("text", "weapons"),
    [
        (
            "A missile fired from a warship hit the port of Sarmin on Sunday, killing three "
            "people. A helicopter later flew the wounded out.",
            ["helicopter", "missile"],
        ),
        (
            "Rockets fired by an armed group hit the market in the town of Sarmin on Sunday, "
            "killing three people. A drone had circled the town all morning.",
            ["drone", "rocket"],
        ),
        (
            "Shells fired by a tank hit the market in the town of Sarmin on Sunday, killing "
            "three people, while warplanes flew over the town.",
            ["aircraft", "artillery"],
        ),
    ],
)
def test_event_type_fired_from_the_ground_while_aircraft_are_named(
    text: str, weapons: list[str]
) -> None:
    # "fired from a" / "fired by a" must name the aircraft to make a missile an air strike
    claim = one(text)
    assert (sorted(claim["weapons"]), claim["event_type"]) == (
        weapons,
        "shelling_artillery_missile_attack",
    )


@pytest.mark.parametrize(
    ("phrase", "targets"),
    [
        ("a hospital", ["hospital"]),
        ("a primary health care centre", ["clinic"]),
        ("a school", ["school"]),
        ("the vegetable market", ["market"]),
        ("a camp for displaced people", ["camp"]),
        ("a residential building", ["residential"]),
        ("a mosque", ["mosque"]),
        ("a bakery", ["bakery"]),
        ("the main water station", ["water"]),
        ("a civil defence centre", ["civil_defence"]),
        ("the railway station", ["other"]),
    ],
)
def test_targets(phrase: str, targets: list[str]) -> None:
    claim = one(
        f"An air strike hit {phrase} in the town of Sarmin on Sunday, killing three people."
    )
    assert claim["targets"] == targets


def test_targets_named_facility() -> None:
    claim = one(
        "Warplanes struck near al-Shami hospital in the town of Ariha on Sunday, killing two nurses."
    )
    assert claim["targets"] == ["hospital"]
    assert claim["named_targets"] == ["al-Shami hospital"]
    assert claim["place"] == "Ariha"


# --- places --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "place", "relation"),
    [
        ("in the town of Ariha", "Ariha", "in"),
        ("near the village of Maarat Misrin", "Maarat Misrin", "near"),
        ("on the outskirts of Jisr al-Shughur", "Jisr al-Shughur", "near"),
        ("in Deir ez-Zor city", "Deir ez-Zor", "in"),
    ],
)
def test_places_as_written(phrase: str, place: str, relation: str) -> None:
    claim = one(f"An air strike hit a house {phrase} on Sunday, killing three people.")
    assert claim["place"] == place
    assert any(m["text"] == place and m["relation"] == relation for m in claim["place_mentions"])


def test_places_distance_anchor_is_not_the_place() -> None:
    claim = one(
        "Shelling hit the village of Kafr Aruq, 12 km south of Sarmada, on Sunday, killing two people."
    )
    assert claim["place"] == "Kafr Aruq"
    assert {"text": "Sarmada", "relation": "anchor"} in [
        {k: m[k] for k in ("text", "relation")} for m in claim["place_mentions"]
    ]


def test_places_countryside_gives_admin1_and_country() -> None:
    claim = one(
        "Russian jets bombed the southern Idlib countryside on Sunday, killing four civilians."
    )
    assert (claim["place"], claim["admin1"], claim["country"]) == (None, "Idlib", "SY")
    assert claim["place_mentions"][0]["relation"] == "countryside"


def test_places_province_named_in_text() -> None:
    claim = one(
        "An air strike hit the town of Kafr Nabl in Idlib province on Sunday, killing two people."
    )
    assert (claim["place"], claim["admin1"], claim["country"]) == ("Kafr Nabl", "Idlib", "SY")


# --- spans -----------------------------------------------------------------------------------


def test_spans_cover_every_filled_field() -> None:
    text = "Russian warplanes bombed a market in the town of Ariha on Sunday, killing at least 11 civilians."
    claim = one(text)
    by_field = {s["field"]: s["text"] for s in claim["spans"]}
    assert by_field == {
        "weapons": "warplanes",
        "event_type": "warplanes",
        "date": "Sunday",
        "perpetrators": "Russian warplanes",
        "targets": "market",
        "killed": "at least 11",
        "place": "Ariha",
        "quote": text.rstrip("."),
    }
    for span in claim["spans"]:
        assert text[span["start"] : span["end"]] == span["text"]


def test_dates_came_a_day_after_points_back() -> None:
    text = (
        "A strike hit a house in the village of Kafr Sijna on Sunday, killing five people. "
        "The deaths came a day after at least 13 people were killed in an air raid on a camp in "
        "the village of Atmeh."
    )
    assert [(c["place"], c["date"]) for c in claims(text)] == [
        ("Kafr Sijna", "2020-05-10"),
        ("Atmeh", "2020-05-09"),
    ]


@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        (
            "Shells hit the town of Ariha on Sunday; from 33 to more than 50 people were killed.",
            (33, None),
        ),
        ("Shells hit the town of Ariha on Sunday. Deaths: at least 16 civilians.", (16, None)),
        (
            "Five members of a rescue team - known locally as first responders - were killed in Ariha on Sunday by shelling.",
            (5, 5),
        ),
        (
            "Up to 16 civilians, including between two and five children, were killed in shelling on Ariha on Sunday.",
            (None, 16),
        ),
        (
            "A woman and her six children were killed when shelling hit their home in Ariha on Sunday.",
            (7, 7),
        ),
        (
            "Shelling on Ariha on Sunday killed 29 people; the toll later stood at at least 29.",
            (29, None),
        ),
    ],
)
def test_casualties_harder_phrasings(sentence: str, killed: tuple[int | None, int | None]) -> None:
    claim = one(sentence)
    assert (claim["killed_min"], claim["killed_max"]) == killed


def test_casualties_saved_lives_are_not_deaths() -> None:
    claim = one(
        "Shelling hit the civil defence centre in the town of Ariha on Sunday. The volunteers say they have saved over 20,000 lives."
    )
    assert (claim["killed_min"], claim["killed_max"]) == (None, None)


def test_arabic_report() -> None:
    text = "قتل 12 مدنيا، بينهم ثلاثة أطفال، في غارات جوية روسية على مدينة أريحا في ريف إدلب يوم الأحد."
    claim = one(text, language="ar")
    assert (claim["killed_min"], claim["civilians_killed_min"], claim["children_killed"]) == (
        12,
        12,
        {"min": 3, "max": 3},
    )
    assert (claim["date"], claim["perpetrators"]) == ("2020-05-10", ["Russian forces"])
    assert (claim["admin1"], claim["country"]) == ("Idlib", "SY")
    # with the geo stage installed, the Arabic-script mention becomes the gazetteer's name
    assert claim["place"] in ("Ariha", "أريحا")
    assert claim["weapons"] == ["aircraft"]


def test_dates_day_month_year_numbers() -> None:
    claim = one(
        "Rockets hit the camp in the village of Kafr Jales on 6-11-2022, killing five people.", None
    )
    assert (claim["date"], claim["date_precision"]) == ("2022-11-06", "day")


def test_casualties_children_only_count_is_partial() -> None:
    text = (
        "A missile hit the railway station in the city of Lozova on Sunday, killing at least 40 people. "
        "Officials said five children were killed in the attack on Lozova."
    )
    claim = one(text)
    assert (claim["killed_min"], claim["killed_max"], claim["children_killed"]) == (
        40,
        None,
        {"min": 5, "max": 5},
    )


def test_casualties_age_ranges_are_not_counts() -> None:
    claim = one(
        "An air strike hit a school bus in the town of Dahyan on Sunday. At least 29 pupils "
        "between 6 and 11 years old were killed."
    )
    assert (claim["killed_min"], claim["killed_max"]) == (29, None)


def test_places_dateline_when_the_text_names_no_other() -> None:
    claim = one(
        "KAFR TAKHARIM, Syria (Levant Wire) - Shelling on Sunday killed three people, medics said."
    )
    assert claim["place"] == "Kafr Takharim"


def test_places_named_school_with_adjective_is_a_target_not_a_place() -> None:
    claim = one(
        "Artillery shelled the al-Nour primary school in the town of Sarmin on Sunday, killing two pupils."
    )
    assert (claim["place"], claim["targets"], claim["named_targets"]) == (
        "Sarmin",
        ["school"],
        ["al-Nour primary school"],
    )


def test_casualties_others_are_the_same_kind_of_people() -> None:
    text = (
        "Regime airstrikes on Sunday left one civilian dead in the village of Kafr Lata, "
        "four others dead in the village of Marayan and one dead in the village of Ehsem."
    )
    found = claims(text)
    assert [(c["place"], c["killed_min"], c["civilians_killed_min"]) for c in found] == [
        ("Kafr Lata", 1, 1),
        ("Marayan", 4, 4),
        ("Ehsem", 1, 1),
    ]


def test_dates_a_later_death_does_not_date_the_attack() -> None:
    claim = one(
        "A boy died on May 9 of wounds from the shelling of the camp in the village of Atmeh "
        "on May 7.",
    )
    assert claim["date"] == "2020-05-07"


def test_actors_bare_country_as_subject_of_an_attack_verb() -> None:
    claim = one("Russia struck the market in the town of Binnish on Sunday, killing six civilians.")
    assert claim["perpetrators"] == ["Russian forces"]


def test_actors_country_near_a_border_is_not_an_actor() -> None:
    claim = one(
        "Shelling hit a camp near the Turkish border in the village of Atmeh on Sunday, killing two people."
    )
    assert claim["perpetrators"] == []


def test_weapons_a_weapon_site_named_as_the_aim_is_not_the_means() -> None:
    claim = one(
        "A coalition airstrike hit a wedding hall in the village of Bani Qais on Tuesday, killing "
        "nine civilians. The coalition said it had targeted rocket launchers used by the rebels."
    )
    assert (claim["weapons"], claim["event_type"]) == (["aircraft"], "air_drone_strike")


def test_targets_a_hospital_receiving_the_dead_was_not_hit() -> None:
    claim = one(
        "Shelling hit the main market of Tal Rifaat on Friday, killing 12 people. "
        "A hospital run by the charity in nearby Azaz received 20 wounded from the market."
    )
    assert claim["targets"] == ["market"]


def test_casualties_every_part_of_an_including_breakdown_is_a_subset() -> None:
    claim = one(
        "Up to 9 civilians, including between two and four children and 1 to three women, were "
        "killed and up to 20 civilians were wounded when warplanes struck the village of Kafr "
        "Halab on Sunday."
    )
    counts = [claim[k] for k in ("killed_min", "killed_max", "civilians_killed_max", "injured_max")]
    assert counts == [None, 9, 9, 20]


@pytest.mark.parametrize(
    "text",
    [
        "Air raids kill family of five in Kafr Halab on Sunday, rescuers say.",
        "Father and four children reported killed as warplanes struck Kafr Halab on Sunday.",
    ],
)
def test_casualties_a_family_counted_as_a_whole(text: str) -> None:
    claim = one(text)
    assert (claim["killed_min"], claim["killed_max"]) == (5, 5)


def test_casualties_members_of_a_family_are_not_the_whole_family() -> None:
    claim = one("Shelling killed three members of a family of six in Kafr Halab on Sunday.")
    assert (claim["killed_min"], claim["killed_max"]) == (3, 3)


def test_actors_two_nationalities_before_one_force_word() -> None:
    claim = one(
        "Syrian and Russian jets struck the town of Binnish on Sunday, killing 7 civilians."
    )
    assert claim["perpetrators"] == ["Syrian government forces", "Russian forces"]


def test_targets_a_campaign_sentence_is_background_not_the_event() -> None:
    claim = one(
        "Warplanes struck the civil defence centre in the town of Binnish on Sunday, killing four "
        "volunteers. Government forces have waged an air campaign for two months, targeting "
        "hospitals and schools, where 12 facilities were hit."
    )
    assert (claim["targets"], claim["perpetrators"]) == (["civil_defence"], [])


@pytest.mark.parametrize(
    "text",
    [
        "Barrel bombs hit the village of Kansafra on Thursday, killing 6 people. A field hospital "
        "in Kafr Nabl received the wounded.",
        "Barrel bombs hit the village of Kansafra on Thursday, killing 6 people. The wounded were "
        "taken to a hospital in Kafr Nabl.",
    ],
)
def test_places_the_town_of_the_hospital_receiving_victims_is_not_the_place(text: str) -> None:
    assert one(text)["place"] == "Kansafra"


def test_places_no_place_rather_than_the_town_of_the_receiving_hospital() -> None:
    claim = one(
        "An air strike hit a minibus on the coastal road on Thursday, killing 10 people. A hospital "
        "in Kafr Nabl received 30 bodies from the attack."
    )
    assert claim["place"] is None


@pytest.mark.parametrize(
    ("text", "weapons", "event_type"),
    [
        (
            "Russian strikes on a farm near Binnish killed five civilians on Sunday.",
            ["aircraft"],
            "air_drone_strike",
        ),
        (
            "Russian missile strikes hit the centre of Kharkiv on Sunday, killing 5 civilians.",
            ["missile"],
            "shelling_artillery_missile_attack",
        ),
        (
            "Teachers held strikes and protests in the town of Binnish on Sunday.",
            [],
            "peaceful_protest",
        ),
    ],
)
def test_weapons_bare_strikes_are_air_strikes_only_without_another_means(
    text: str, weapons: list[str], event_type: str
) -> None:
    claim = one(text)
    assert (claim["weapons"], claim["event_type"]) == (weapons, event_type)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        (
            "At least 20 students were killed, along with three of their teachers, when an air "
            "strike hit a school bus in Binnish on Sunday.",
            23,
            None,
        ),
        (
            "An air strike hit a school bus in Binnish on Sunday, killing 20 students along with "
            "three teachers.",
            23,
            23,
        ),
    ],
)
def test_casualties_along_with_adds_to_the_count(text: str, low: int, high: int | None) -> None:
    claim = one(text)
    assert (claim["killed_min"], claim["killed_max"]) == (low, high)


def test_actors_believed_to_be_a_foreign_operation_is_a_suspected_perpetrator() -> None:
    text = (
        "Air strikes killed 12 civilians in the village of Binnish on Sunday in what is believed "
        "to be a Russian operation, the monitor said."
    )
    state = extract_text(text, published=MONDAY, language="en")
    refs = [(a.name, a.attribution.value) for a in state.claims[0].perpetrators]
    assert refs == [("Russian forces", "suspected")]


def test_places_a_city_where_bombing_was_suspended_is_not_the_place() -> None:
    claim = one(
        "Even as it suspended its bombing of Aleppo city, Russia killed at least 20 people in "
        "airstrikes on a school in the village of Binnish on Wednesday."
    )
    assert (claim["place"], claim["killed_min"]) == ("Binnish", 20)


def test_dates_a_later_statement_about_the_strike_is_not_a_new_event() -> None:
    found = claims(
        "A missile struck the market in Kostiantynivka on 6 September, killing 16 people. On 19 "
        "September, a British newspaper, after its own inquiry, stated that the strike on the "
        "market in Kostiantynivka was caused by a stray missile.",
        published=dt.date(2023, 9, 21),
    )
    assert [(c["date"], c["place"]) for c in found] == [("2023-09-06", "Kostiantynivka")]


def test_dates_the_day_of_a_statement_yields_to_the_day_of_the_attack() -> None:
    claim = one(
        "On Monday, the ministry said 12 people were killed in strikes on Binnish on Sunday."
    )
    assert claim["date"] == "2020-05-10"


def test_casualties_people_still_in_hospital_are_not_the_total() -> None:
    claim = one(
        "A missile struck the market in Kostiantynivka on Sunday, killing 16 people and injuring "
        "30. Five injured people remain in Dnipro and two in Kostiantynivka, officials said."
    )
    assert (claim["injured_min"], claim["injured_max"]) == (30, 30)


def test_casualties_an_including_clause_without_a_closing_comma() -> None:
    claim = one(
        "Up to 9 civilians were killed and up to 20 civilians, including two women and three "
        "children were wounded when warplanes struck the village of Kafr Halab on Sunday."
    )
    assert (claim["killed_max"], claim["injured_min"], claim["injured_max"]) == (9, None, 20)


def test_dates_the_day_of_an_anniversary_is_not_the_attack_day() -> None:
    found = claims(
        "Today marks the fourth anniversary of the Binnish school massacre. On 12 March 2016, "
        "warplanes struck two schools in the village of Binnish, killing 21 civilians.",
        published=dt.date(2020, 3, 12),
    )
    assert [(c["date"], c["place"], c["killed_min"]) for c in found] == [
        ("2016-03-12", "Binnish", 21)
    ]


def test_places_a_family_name_is_not_a_settlement() -> None:
    found = claims(
        "A woman and her four children were killed when warplanes struck the village of Binnish "
        "on Sunday. Rescuers said Binnish was hit by four air raids that resulted in the killing "
        "of the Sarmin family."
    )
    assert [c["place"] for c in found] == ["Binnish"]


@pytest.mark.parametrize(
    "text",
    [
        "Shelling hit the village of Binnish on Thursday, killing 9 people. The shells landed near "
        "the main market, officials said.",
        "Shelling hit the village of Binnish on Thursday, killing 9 people. The shells landed near "
        "the main market, said a spokesman for the local council.",
    ],
)
def test_targets_a_target_before_a_comma_and_its_source_is_still_hit(text: str) -> None:
    assert one(text)["targets"] == ["market"]


def test_targets_hospital_officials_are_a_source() -> None:
    claim = one(
        "Shelling hit the village of Binnish on Thursday, killing 9 people, hospital officials said."
    )
    assert claim["targets"] == []


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        (
            "A barrel bomb dropped from a helicopter hit the Bustan neighbourhood of Binnish on "
            "Thursday, killing 14 people.",
            ["residential"],
        ),
        (
            "Residents of the neighbourhood said shelling hit the village of Binnish on Thursday, "
            "killing 14 people.",
            [],
        ),
    ],
)
def test_targets_a_neighbourhood_hit_is_residential(text: str, targets: list[str]) -> None:
    assert one(text)["targets"] == targets


def test_casualties_a_war_wide_toll_is_background() -> None:
    claim = one(
        "An air raid hit a market in the town of Binnish on Sunday, killing 12 people. The war has "
        "killed more than 10,000 people and ruined much of the country."
    )
    assert (claim["killed_min"], claim["killed_max"]) == (12, 12)


def test_weapons_a_generic_air_raid_yields_to_the_barrel_bombs_it_dropped() -> None:
    claim = one(
        "Regime air raids dropped barrel bombs on the village of Binnish on Sunday, killing 4."
    )
    assert (claim["weapons"], claim["event_type"]) == (["barrel bomb"], "air_drone_strike")
