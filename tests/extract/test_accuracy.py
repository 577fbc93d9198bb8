"""Error classes found on real reports, each with a hand-written sentence in their style."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from docket.extract.output import claim_json
from docket.extract.run import extract_text

MONDAY = dt.date(2020, 5, 11)


def claims(text: str, published: dt.date | None = MONDAY) -> list[dict[str, Any]]:
    state = extract_text(text, published=published, language="en")
    return [claim_json(c) for c in state.claims]


def killed(claim: dict[str, Any]) -> tuple[int | None, int | None]:
    return claim["killed_min"], claim["killed_max"]


def test_casualties_a_third_person_is_one_more_death() -> None:
    found = claims(
        "Two civilians were killed on Sunday in air strikes on the town of Sarmin, the monitor "
        "said. A third was killed in shelling on the town of Binnish, it added. "
        "A third of the victims were children, medics said."
    )
    assert [(c["place"], killed(c)) for c in found] == [("Sarmin", (2, 2)), ("Binnish", (1, 1))]


def test_casualties_fighting_after_a_strike_does_not_lend_it_its_toll() -> None:
    found = claims(
        "One woman was killed on Sunday when warplanes struck the town of Binnish. "
        "Fierce fighting nearby took the death toll to 40, including 25 soldiers and 15 rebels."
    )
    assert [(c["place"], killed(c)) for c in found] == [("Binnish", (1, 1))]


def test_actors_a_country_paired_with_an_attributed_one() -> None:
    (claim,) = claims(
        "A mother and her three children were killed in the town of Sarmin on Sunday as Syria "
        "and Russia stepped up air raids on the province."
    )
    assert claim["perpetrators"] == ["Syrian government forces", "Russian forces"]


def test_actors_arabic_adjective_pair() -> None:
    text = "قتل ثلاثة مدنيين الأحد في غارات شنتها طائرات حربية روسية وسورية على بلدة سرمين."
    state = extract_text(text, published=MONDAY, language="ar")
    (claim,) = [claim_json(c) for c in state.claims]
    assert claim["perpetrators"] == ["Russian forces", "Syrian government forces"]


def test_actors_a_country_alone_is_not_a_perpetrator() -> None:
    (claim,) = claims("Warplanes struck a market in the town of Sarmin in Syria on Sunday.")
    assert claim["perpetrators"] == []


def test_actors_the_sentence_naming_the_place_attributes_the_event() -> None:
    found = claims(
        "Russian and Syrian warplanes killed 12 civilians in Idlib province on Sunday, the "
        "monitor said. Russian strikes killed eight of them in the town of Sarmin and regime "
        "barrel bombs killed four in the village of Binnish."
    )
    assert [
        (c["place"], c["perpetrators"], c["killed_min"], c["civilians_killed_min"]) for c in found
    ] == [
        ("Sarmin", ["Russian forces"], 8, 8),
        ("Binnish", ["Syrian government forces"], 4, None),
    ]


def test_casualties_a_year_to_date_statistic_framing_the_sentence_is_not_the_toll() -> None:
    (claim,) = claims(
        "Shelling damaged the main hospital in the town of Sarmin on Sunday; no casualties were "
        "reported. So far in 2020, three attacks on clinics have been recorded; all of them in "
        "the province, killing 12 people and injuring 40."
    )
    assert (killed(claim), claim["injured_min"], claim["injured_max"]) == ((0, 0), 0, 0)


def arabic_claims(text: str) -> list[dict[str, Any]]:
    state = extract_text(text, published=MONDAY, language="ar")
    return [claim_json(c) for c in state.claims]


def test_casualties_arabic_singular_noun_is_one_and_each_part_keeps_its_place() -> None:
    found = arabic_claims(
        "أسفر القصف المدفعي الأحد على بلدة سرمين عن مقتل ثلاثة مدنيين، كما تسبب القصف بمقتل "
        "مدني واحد في بلدة بنش، ومقتل سيدة في قرية معرة مصرين."
    )
    assert [(c["killed_min"], c["killed_max"], c["civilians_killed_min"]) for c in found] == [
        (3, 3, 3),
        (1, 1, 1),
        (1, 1, None),
    ]


def test_casualties_arabic_noun_after_a_number_is_not_another_count() -> None:
    (claim,) = arabic_claims("قتل 12 مدنيا وأصيب العشرات في قصف على بلدة سرمين الأحد.")
    assert (killed(claim), claim["injured_min"], claim["injured_max"]) == ((12, 12), None, None)


def test_targets_damage_told_in_a_later_sentence() -> None:
    (claim,) = claims(
        "Missiles hit a camp for displaced people near the town of Sarmin on Sunday, killing "
        "six people. A nearby clinic also sustained damage. Photos showed homes reduced to rubble."
    )
    assert claim["targets"] == ["camp", "clinic", "residential"]


def test_targets_wounded_in_hospital_is_not_a_hospital_hit() -> None:
    (claim,) = claims(
        "Rockets struck the market in the town of Sarmin on Sunday, killing four people; "
        "pictures showed children with shrapnel wounds in hospital."
    )
    assert claim["targets"] == ["market"]


def test_targets_arabic_destination_is_not_hit() -> None:
    (claim,) = arabic_claims(
        "قتل أربعة مدنيين الأحد في غارة جوية استهدفت مدرسة في بلدة سرمين أثناء عودة التلاميذ "
        "إلى منازلهم."
    )
    assert claim["targets"] == ["school"]


def test_casualties_a_number_glued_to_the_next_word() -> None:
    (claim,) = claims(
        "More than 30have been killed when warplanes hit the market in the town of Sarmin on "
        "Sunday, 5km from the front line."
    )
    assert killed(claim) == (31, None)


def test_dates_a_day_in_the_address_anchors_weekdays(tmp_path: Any) -> None:
    from docket.extract.dates import date_in_url
    from docket.extract.run import read_input

    assert date_in_url("https://example.org/news/2020/02/14/strike-on-market") == dt.date(
        2020, 2, 14
    )
    assert date_in_url("https://example.org/world/2019-08-17-air-raid.html") == dt.date(2019, 8, 17)
    assert date_in_url("https://example.org/2016/10/feature/") is None
    assert date_in_url("https://example.org/2016/02/31/x") is None
    path = tmp_path / "doc.json"
    path.write_text(
        '{"text": "Warplanes struck the town of Sarmin on Thursday, killing two people.",'
        ' "published": null, "url": "https://example.org/2020/02/14/sarmin"}',
        encoding="utf-8",
    )
    text, published, _ = read_input(path)
    (claim,) = claims(text, published)
    assert (published, claim["date"]) == (dt.date(2020, 2, 14), "2020-02-13")


def test_places_a_province_name_alone_may_be_its_capital() -> None:
    found = claims(
        "Shelling hit a market in the town of Bahri on Sunday, killing six people. In a separate "
        "incident in Khartoum, two civilians were killed in an air attack on Sunday."
    )
    assert [(c["place"], c["admin1"]) for c in found] == [
        ("Bahri", "Khartoum"),
        ("Khartoum", "Khartoum"),
    ]


def test_places_a_nationality_is_not_a_place() -> None:
    (claim,) = claims(
        "An airstrike by the Saudi Arabian-led coalition hit a bus near the Dahyan market in "
        "Saada province on Thursday, killing 12 people."
    )
    assert (claim["place"], claim["admin1"]) == ("Dahyan", "Saada")


def test_places_the_town_where_the_hit_facility_stands() -> None:
    (claim,) = claims(
        "A drone struck the emergency ward of the hospital on Friday, killing nine patients. "
        "It was the only working hospital in Kadugli, the ministry said."
    )
    assert claim["place"] == "Kadugli"


def test_places_a_town_named_outside_the_event_sentences_is_geocoded() -> None:
    (claim,) = claims(
        "A drone struck the emergency ward of the hospital on Friday, killing nine patients. "
        "It was the only working hospital in Kadugli, the ministry said."
    )
    if claim["lat"] is None:
        pytest.skip("no gazetteer installed")
    assert (claim["lat"], claim["lon"], claim["admin1"], claim["country"]) == (
        11.01111,
        29.71833,
        "South Kordofan",
        "SD",
    )


def test_casualties_label_line_over_value_line() -> None:
    (claim,) = claims(
        "Incident date\nMay 10, 2020\nAssessment\nAs many as four civilians were reportedly "
        "killed when alleged regime raids hit the town of Sarmin.\nCivilians reported killed\n"
        "2 – 4\nCivilians reported injured\n3–11\n"
    )
    assert (
        killed(claim),
        claim["civilians_killed_min"],
        claim["injured_min"],
        claim["injured_max"],
    ) == ((2, 4), 2, 3, 11)


def test_actors_an_alternative_named_later_joins_the_attribution() -> None:
    (claim,) = claims(
        "Russian warplanes struck a school in the town of Sarmin on Sunday, killing 11 people. "
        "A monitor said it was not known whether Syrian or Russian jets carried out the raids."
    )
    assert claim["perpetrators"] == ["Russian forces", "Syrian government forces"]


def test_actors_both_air_forces_are_alternatives() -> None:
    (claim,) = claims(
        "Air strikes believed to be Russian killed 20 civilians in the village of Binnish on "
        "Sunday. No one claimed the attack; both the Syrian and Russian air forces fly there."
    )
    assert claim["perpetrators"] == ["Russian forces", "Syrian government forces"]


def test_actors_an_and_list_of_past_attackers_is_not_an_alternative() -> None:
    (claim,) = claims(
        "Russian warplanes struck the market in the town of Sarmin on Sunday, killing 11 "
        "people. The market was bombed by Russian jets and Syrian government forces in 2018."
    )
    assert claim["perpetrators"] == ["Russian forces"]


def test_actors_a_disputed_cause_named_by_an_agent_phrase() -> None:
    (claim,) = claims(
        "Russian forces shelled the market in the city of Kupiansk on Sunday, killing 9 people, "
        "officials said. A later investigation said the strike was caused by a Ukrainian "
        "missile that went astray."
    )
    assert claim["perpetrators"] == ["Russian forces", "Ukrainian forces"]


def test_targets_a_word_of_a_camp_name_is_the_camp() -> None:
    (claim,) = claims(
        "Rockets hit the Wadi Ahmad water station camp near the town of Sarmin on Sunday, "
        "killing two people."
    )
    assert claim["targets"] == ["camp"]


def test_targets_homes_inside_a_camp_are_the_camp() -> None:
    (claim,) = claims(
        "Missiles struck a crowded residential area in a camp for displaced people near the "
        "town of Sarmin on Sunday, killing five people and damaging a nearby hospital."
    )
    assert claim["targets"] == ["camp", "hospital"]


def test_targets_a_hospital_and_a_camp_are_both_hit() -> None:
    (claim,) = claims(
        "Shelling hit a hospital and camp near the town of Sarmin on Sunday, killing two people."
    )
    assert claim["targets"] == ["hospital", "camp"]


def test_targets_arabic_camp_named_after_a_water_station() -> None:
    (claim,) = arabic_claims("قتل مدنيان الأحد في قصف صاروخي على مخيم محطة مياه قرب بلدة سرمين.")
    assert claim["targets"] == ["camp"]


def test_casualties_one_named_victim_is_at_least_one_death() -> None:
    (claim,) = claims(
        "The boy Omar Khaled al-Hasan died on Sunday of wounds sustained when regime rockets "
        "hit the camp near the village of Binnish."
    )
    assert (killed(claim), claim["named_victims"]) == ((1, None), ["Omar Khaled al-Hasan"])


def test_casualties_a_named_victim_beside_a_count_adds_nothing() -> None:
    (claim,) = claims(
        "Shelling killed four people in the town of Sarmin on Sunday; the nurse Huda Ali was "
        "killed in her home."
    )
    assert (killed(claim), claim["named_victims"]) == ((4, 4), ["Huda Ali"])
    assert [s["text"] for s in claim["spans"] if s["field"] == "named_victims"] == ["Huda Ali"]


def test_casualties_victims_counted_as_civilians_are_not_named() -> None:
    (claim,) = claims("Rockets hit the market of Ariha on Friday, killing six civilians.")
    assert (claim["victims"], claim["named_victims"]) == (["Civilians"], [])


def test_casualties_parts_of_a_civilian_total_are_civilians() -> None:
    found = claims(
        "Government air strikes killed nine civilians in Idlib province on Sunday, the monitor "
        "said. Clashes around the town of Saraqib left more than 30 fighters dead. Four people "
        "were killed when warplanes hit the town of Sarmin. Three more died in strikes on the "
        "village of Binnish. Two people were killed in raids on the village of Taftanaz."
    )
    assert [(c["place"], c["civilians_killed_min"]) for c in found[1:]] == [
        ("Sarmin", 4),
        ("Binnish", 3),
        ("Taftanaz", 2),
    ]


def test_casualties_a_sentence_counting_only_the_wounded_belongs_to_the_event() -> None:
    (claim,) = claims(
        "Warplanes hit a complex of schools in the village of Binnish on Sunday, killing at "
        "least 12 people. At least 40 people were injured. Doctors expect the toll to rise."
    )
    assert (killed(claim), claim["injured_min"], claim["injured_max"]) == ((12, None), 40, None)


def test_casualties_a_toll_of_the_continuing_bombardment_is_a_statistic() -> None:
    (claim,) = claims(
        "Warplanes struck the market in the town of Sarmin on Sunday, killing five people. "
        "The ongoing bombardment has wounded around 60 people in the province."
    )
    assert (killed(claim), claim["injured_min"], claim["injured_max"]) == ((5, 5), None, None)


def test_events_a_placeless_part_naming_another_province_joins_that_province_event() -> None:
    found = claims(
        "UPDATE: Rescuers raised the death toll to 30 from the bombing of the school in the "
        "town of Binnish in Idlib province.\n\nUPDATE: Government warplanes also struck a "
        "school in the town of Douma in Rif Dimashq, killing at least 7 people.\n\n"
        "FIRST REPORT: Russian jets killed at least 20 people — 15 children and five teachers "
        "— in strikes on a school in a village in Idlib province on Sunday."
    )
    assert [(c["place"], killed(c), c["perpetrators"]) for c in found] == [
        ("Binnish", (20, 30), ["Russian forces"]),
        ("Douma", (7, None), ["Syrian government forces"]),
    ]


def test_targets_a_facility_attacked_before_is_not_hit_now() -> None:
    (claim,) = claims(
        "Artillery shelling hit the cattle market in the town of Bahri on Saturday, killing 14 "
        "people. Volunteers at the town hospital said they lacked blood; the hospital has been "
        "repeatedly attacked since the war began."
    )
    assert claim["targets"] == ["market"]


def test_targets_a_facility_attacked_again_is_hit() -> None:
    (claim,) = claims(
        "Shelling killed three people in the town of Bahri on Saturday; the town hospital, "
        "which has been repeatedly attacked, was hit again."
    )
    assert claim["targets"] == ["hospital"]


def test_dates_the_day_of_a_ceasefire_is_not_the_attack_day() -> None:
    (claim,) = claims(
        "Civilians are still being killed by strikes despite the truce on 9 May. On 8 May, air "
        "strikes on the town of Sarmin killed six civilians.",
        published=dt.date(2020, 5, 12),
    )
    assert claim["date"] == "2020-05-08"


def test_casualties_the_injury_of_a_civilian() -> None:
    (claim,) = claims(
        "Shelling hit the village of Binnish on Sunday. This led to the injury of a civilian, "
        "local sources said."
    )
    assert (claim["injured_min"], claim["injured_max"]) == (1, 1)


def test_targets_a_farm_housing_displaced_people_is_a_camp() -> None:
    (claim,) = claims(
        "Air strikes hit a farm housing displaced people near the town of Sarmin on Sunday, "
        "killing up to 9 civilians."
    )
    assert claim["targets"] == ["camp"]


def test_places_coordinates_stated_after_the_place_name() -> None:
    (claim,) = claims(
        "Location\nSarmin, Idlib, Syria\nGeolocation\n35.9040, 36.7250\n"
        "Up to four civilians were killed in alleged regime raids on Sarmin on 10 May 2020."
    )
    assert (claim["place"], claim["lat"], claim["lon"]) == ("Sarmin", 35.904, 36.725)


def test_places_the_town_of_a_named_elementary_school() -> None:
    (claim,) = claims(
        "The air force struck a shelter for displaced people set up in Kadugli Elementary "
        "School on 7 January, killing 20 people."
    )
    assert (claim["place"], claim["targets"]) == ("Kadugli", ["camp", "school"])


def test_weapons_drone_reconnaissance_is_not_the_means() -> None:
    (claim,) = claims(
        "A ballistic missile hit the railway station in the city of Kramatorsk on Friday, "
        "killing 30 people; the strike was preceded by drone reconnaissance."
    )
    assert (claim["weapons"], claim["event_type"]) == (
        ["missile"],
        "shelling_artillery_missile_attack",
    )


def test_weapons_strikes_after_a_weapon_word_are_that_weapon() -> None:
    (claim,) = claims(
        "Drone strikes hit a market in the town of Sarmin on Sunday, killing three people."
    )
    assert claim["weapons"] == ["drone"]


def test_places_a_facility_named_after_a_kafr_town_names_the_town() -> None:
    (claim,) = claims(
        "Barrel bombs fell on the Kafr Nubl Surgical Hospital on Sunday, killing two people. "
        "Later, rockets hit the Al Hikma Hospital, wounding three."
    )
    assert (claim["place"], killed(claim), claim["injured_min"]) == ("Kafr Nubl", (2, 2), 3)


def test_places_the_province_of_an_address_line() -> None:
    found = claims(
        "Incident location\nKhaldiyah, Raqqa, Syria\nAttacks on Khaldiyah village on 7 March "
        "2020 injured a civilian.\nIncident location\nAfrin, Aleppo, Syria\nShelling on Afrin "
        "on 6 March 2020 injured two civilians."
    )
    assert [(c["place"], c["admin1"]) for c in found] == [
        ("Khaldiyah", "Raqqa"),
        ("Afrin", "Aleppo"),
    ]


def test_casualties_a_follow_up_toll_and_the_figure_it_rose_from() -> None:
    (claim,) = claims(
        "The death toll from Thursday's strike on the market in Kostiantynivka rose to 17, "
        "officials said, up from 16 initially reported."
    )
    assert (claim["date"], killed(claim)) == ("2020-05-07", (16, 17))


def test_casualties_children_of_them_are_not_a_count_by_place() -> None:
    (claim,) = claims(
        "Air strikes killed 14 people in Sarmin and Binnish on Sunday; eight of them were children."
    )
    assert (claim["place"], killed(claim)) == ("Sarmin", (14, 14))


def test_casualties_a_woman_and_her_two_children() -> None:
    (claim,) = claims(
        "Shelling by regime forces killed a woman and her two children in the village of "
        "Kansafra on Sunday."
    )
    assert killed(claim) == (3, 3)


def test_casualties_people_named_by_nationality() -> None:
    (claim,) = claims(
        "Two Palestinians were killed and 12 wounded in an Israeli drone strike on a car in "
        "Jenin on Sunday, the health ministry said."
    )
    assert (killed(claim), claim["injured_min"]) == ((2, 2), 12)


def test_targets_arabic_words_whole_with_or_without_the_article() -> None:
    (hit,) = arabic_claims(
        "قتل ثلاثة مدنيين الأحد في غارة جوية استهدفت المسجد الكبير والمخبز في بلدة سرمين."
    )
    (named,) = arabic_claims("الطيران الروسي يقصف بلدة كفرنبل ويقتل سبعة مدنيين يوم الأحد")
    assert (hit["targets"], named["targets"]) == (["mosque", "bakery"], [])


def test_casualties_a_toll_so_far_is_the_event_toll() -> None:
    found = claims(
        "Warplanes struck the market in the town of Sarmin on Sunday. The death toll so far "
        "stands at 35, rescuers said."
    )
    assert [killed(c) for c in found] == [(35, 35)]


def test_casualties_continued_shelling_on_a_day_is_an_event() -> None:
    (claim,) = claims(
        "Continued shelling killed three people in the town of Sarmin on Sunday, medics said."
    )
    assert killed(claim) == (3, 3)


def test_targets_a_facility_targeted_before_and_hit_now() -> None:
    (claim,) = claims(
        "A hospital in the town of Sarmin which had been repeatedly targeted was hit on Sunday, "
        "killing two nurses."
    )
    assert claim["targets"] == ["hospital"]


def test_casualties_a_second_strike_is_not_a_person() -> None:
    (claim,) = claims("A second strike killed four rescuers in the town of Sarmin on Sunday.")
    assert killed(claim) == (4, 4)


def test_dates_a_meeting_hit_on_a_day_is_dated_by_that_day() -> None:
    (claim,) = claims(
        "Warplanes struck a meeting of elders in the village of Binnish on Sunday, killing six."
    )
    assert claim["date"] == "2020-05-10"


def test_dates_a_url_that_is_not_text_is_ignored(tmp_path: Path) -> None:
    from docket.extract.run import read_input

    doc = tmp_path / "report.json"
    doc.write_text('{"text": "Shelling hit Ariha, killing 3.", "url": 20200214}', encoding="utf-8")
    assert read_input(doc) == ("Shelling hit Ariha, killing 3.", None, None)
