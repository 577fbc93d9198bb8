"""Event types, event segmentation, aggregate claims and bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from docket.errors import ConfigError
from docket.extract.output import claim_json
from docket.extract.pipeline import COMPONENTS, DEFAULT_PIPELINE, Pipeline, component
from docket.extract.run import extract_text

MONDAY = dt.date(2020, 5, 11)


def claims(text: str, published: dt.date | None = MONDAY) -> list[dict[str, Any]]:
    return [claim_json(c) for c in extract_text(text, published=published, language="en").claims]


# Every ACLED sub-event type, each from a sentence written for it.
EVENT_TYPES = [
    (
        "armed_clash",
        "Fierce clashes broke out between rebels and government troops in the village of Kabani on Sunday, killing 12 fighters.",
    ),
    (
        "government_regains_territory",
        "Government troops recaptured the town of Kafr Nabuda from rebels on Sunday.",
    ),
    (
        "non_state_actor_overtakes_territory",
        "Rebel fighters seized control of the town of Saraqib on Sunday after a dawn offensive.",
    ),
    (
        "chemical_weapon",
        "A chlorine attack on the town of Kafr Zita on Sunday left 30 people suffocating and killed two.",
    ),
    (
        "air_drone_strike",
        "A drone strike hit a car in the town of Binnish on Sunday, killing two men.",
    ),
    (
        "suicide_bomb",
        "A suicide bomber blew himself up at a checkpoint in the town of Azaz on Sunday, killing five people.",
    ),
    (
        "shelling_artillery_missile_attack",
        "Artillery shelling hit the village of Maarzaf on Sunday, killing a farmer.",
    ),
    (
        "remote_explosive_landmine_ied",
        "A roadside bomb exploded in the town of Al-Bab on Sunday, killing three people.",
    ),
    (
        "grenade",
        "A man threw a grenade into a shop in the town of Jarablus on Sunday, injuring four people.",
    ),
    (
        "sexual_violence",
        "Militiamen raped two women in the village of Tawila on Sunday, witnesses said.",
    ),
    (
        "attack",
        "Gunmen opened fire on a minibus near the town of Daraa on Sunday, killing four passengers.",
    ),
    (
        "abduction_forced_disappearance",
        "Armed men abducted a doctor in the town of Tafas on Sunday.",
    ),
    (
        "peaceful_protest",
        "Hundreds of protesters rallied in the city of Idlib on Sunday against the offensive.",
    ),
    (
        "protest_with_intervention",
        "Police used tear gas to disperse demonstrators in the city of Sweida on Sunday.",
    ),
    (
        "excessive_force_against_protesters",
        "Security forces opened fire on protesters in the town of Jasim on Sunday, killing two.",
    ),
    (
        "violent_demonstration",
        "Rioters torched a police station in the town of Salamiyah on Sunday.",
    ),
    ("mob_violence", "A mob lynched a man accused of theft in the village of Hazano on Sunday."),
    (
        "agreement",
        "The two sides signed an agreement on a prisoner exchange in the city of Afrin on Sunday.",
    ),
    ("arrests", "Security forces arrested 14 young men in the town of Douma on Sunday."),
    (
        "change_to_group_activity",
        "The armed group announced its dissolution in the town of Atarib on Sunday.",
    ),
    (
        "disrupted_weapons_use",
        "Air defences intercepted two drones over the town of Qardaha on Sunday.",
    ),
    (
        "headquarters_or_base_established",
        "Turkish troops established a military post in the village of Qminas on Sunday.",
    ),
    (
        "looting_property_destruction",
        "Fighters looted shops and demolished homes in the village of Kafr Sajna on Sunday.",
    ),
    (
        "non_violent_transfer_of_territory",
        "Rebel groups withdrew from the town of Morek on Sunday under a handover deal.",
    ),
    ("other", "An attack on the town of Kafr Aruq on Sunday killed two people."),
]


@pytest.mark.parametrize(("event_type", "text"), EVENT_TYPES, ids=[e for e, _ in EVENT_TYPES])
def test_event_type_each_acled_sub_event(event_type: str, text: str) -> None:
    found = claims(text)
    assert [c["event_type"] for c in found] == [event_type]
    assert found[0]["date"] == "2020-05-10"


def test_event_types_cover_the_vocabulary() -> None:
    from docket.vocab import event_types

    assert {e for e, _ in EVENT_TYPES} == set(event_types())


def test_segmentation_two_attacks_two_claims() -> None:
    text = (
        "A strike on the hospital in the town of Ariha on Sunday killed three staff. "
        "Later that day barrel bombs hit a market in the town of Sarmin, killing eight people."
    )
    found = claims(text)
    assert [(c["place"], c["targets"], c["killed_min"], c["event_type"]) for c in found] == [
        ("Ariha", ["hospital"], 3, "other"),
        ("Sarmin", ["market"], 8, "air_drone_strike"),
    ]


def test_segmentation_repeated_mentions_one_claim() -> None:
    text = (
        "Russian warplanes bombed a market in the town of Atarib on Sunday, killing 12 civilians.\n"
        "Rescue workers in Atarib said the strike on the market came at the busiest hour.\n"
        "The attack on Atarib was the deadliest in the province this month."
    )
    found = claims(text)
    assert len(found) == 1
    assert (found[0]["place"], found[0]["killed_min"]) == ("Atarib", 12)


def test_segmentation_one_sentence_several_places() -> None:
    text = (
        "Government jets killed four civilians in the village of Kafr Lata and two in the "
        "marketplace of the village of Marayan on Sunday."
    )
    found = claims(text)
    assert [(c["place"], c["killed_min"], c["civilians_killed_min"]) for c in found] == [
        ("Kafr Lata", 4, 4),
        ("Marayan", 2, 2),
    ]


def test_segmentation_breakdown_total_is_not_an_event_count() -> None:
    text = (
        "Air strikes on Sunday killed 9 civilians across the province.\n"
        "Warplanes killed four civilians in the village of Kafr Lata, three in the village of "
        "Marayan and two in the village of Ehsem."
    )
    found = claims(text)
    assert [(c["place"], c["killed_min"]) for c in found] == [
        ("Kafr Lata", 4),
        ("Marayan", 3),
        ("Ehsem", 2),
    ]


def test_event_with_unknown_place_and_actor_is_kept() -> None:
    found = claims("An air strike on Sunday killed five people, medics said.")
    assert [(c["place"], c["perpetrators"], c["killed_min"], c["date"]) for c in found] == [
        (None, [], 5, "2020-05-10")
    ]


@pytest.mark.parametrize(
    ("text", "counted", "low", "high"),
    [
        (
            "The offensive has killed 500 civilians since December, the monitor said.",
            "killed",
            500,
            500,
        ),
        (
            "The group recorded 18 attacks on health care between May 2019 and February 2020.",
            "attacks",
            18,
            18,
        ),
        (
            "The fighting has displaced almost a million people since December.",
            "displaced",
            1_000_000,
            1_000_000,
        ),
        ("So far this year, five clinics have been forced to close.", "facilities_closed", 5, 5),
    ],
)
def test_aggregates_are_not_events(text: str, counted: str, low: int, high: int) -> None:
    state = extract_text(text, published=MONDAY, language="en")
    assert state.claims == []
    assert [(a.counted, a.count.low, a.count.high) for a in state.aggregates] == [
        (counted, low, high)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The foreign ministers met in Geneva on Sunday to discuss reconstruction funding.",
        "Wheat prices rose by 12 percent in the markets of the city of Idlib last month.",
        "",
        "   \n\n  ",
    ],
)
def test_no_event_no_claim(text: str) -> None:
    assert claims(text) == []


def test_bad_input_huge_text_is_bounded() -> None:
    paragraph = (
        "Life in the town went on quietly, and the shops opened as usual in the morning. " * 64_000
    )
    assert len(paragraph) > 5_000_000
    state = extract_text(paragraph, published=MONDAY)
    assert state.claims == []
    assert state.messages == [
        f"text of {len(paragraph):,} characters: only the first 200,000 were read"
    ]


def test_bad_input_ten_thousand_numbers() -> None:
    text = (
        "An air strike hit the town of Ariha on Sunday, killing "
        + " ".join(str(i) for i in range(10_000))
        + " people."
    )
    found = claims(text)
    assert len(found) == 1
    assert found[0]["place"] == "Ariha"


def test_bad_input_mixed_scripts_and_entities() -> None:
    text = (
        "&lt;p&gt;Warplanes struck the town of Ariha&nbsp;on Sunday &amp; killed 4 people.&lt;/p&gt; "
        "قصف الطيران الحربي مدينة أريحا &#x1F4A5; Ωμέγα 日本語"
    )
    found = claims(text)
    assert [(c["place"], c["killed_min"]) for c in found][0] == ("Ariha", 4)
    for span in found[0]["spans"]:
        assert len(span["text"]) == span["end"] - span["start"]


def test_pipeline_lists_components_in_order() -> None:
    assert Pipeline().names == DEFAULT_PIPELINE
    assert {n: (COMPONENTS[n].requires, COMPONENTS[n].assigns) for n in ("events", "claims")} == {
        "events": (("hits", "dates", "figures", "places"), ("events", "aggregates")),
        "claims": (("event_type",), ("claims",)),
    }
    assert all(COMPONENTS[n].doc for n in DEFAULT_PIPELINE)


def test_pipeline_unknown_component() -> None:
    with pytest.raises(ConfigError, match="unknown extraction component 'nope'; known: "):
        Pipeline(["normalize", "nope"])


def test_pipeline_order_is_checked() -> None:
    with pytest.raises(
        ConfigError, match="component 'events' requires hits, dates, figures, places"
    ):
        Pipeline(["normalize", "sentences", "events"])


def test_pipeline_third_party_component() -> None:
    @component("shout_quotes", requires=["claims"], assigns=["quote"])
    def shout_quotes(state: Any) -> None:
        """Upper-case every quote (a test component)."""
        for claim in state.claims:
            claim.quote = (claim.quote or "").upper()

    try:
        pipeline = Pipeline([*DEFAULT_PIPELINE, "shout_quotes"])
        state = pipeline(
            "An air strike hit the town of Ariha on Sunday, killing 3 people.", published=MONDAY
        )
        assert (
            state.claims[0].quote
            == "AN AIR STRIKE HIT THE TOWN OF ARIHA ON SUNDAY, KILLING 3 PEOPLE"
        )
    finally:
        del COMPONENTS["shout_quotes"]
