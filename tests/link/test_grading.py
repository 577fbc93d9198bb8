"""Certainty grades from data/grading.yaml: independence, credibility, corroboration, conflicts."""

from __future__ import annotations

from docket.domain import (
    ActorRef,
    Casualties,
    CasualtyCount,
    Claim,
    Incident,
    Range,
)
from docket.link.grading import grade, grade_features, origins
from docket.link.reconcile import SourceInfo

WIRE = "Jets struck the hospital after midnight, killing ten people, rescuers said on Thursday."


def claims_from(docs: list[int], perps: list[str] | None = None) -> list[Claim]:
    return [
        Claim(
            id=i,
            document_id=d,
            perpetrators=[ActorRef(actor_id=p, name=p)] if (p := (perps or [None] * 9)[i]) else [],
            casualties=Casualties(killed=CasualtyCount(civilians=Range(low=10, high=10))),
        )
        for i, d in enumerate(docs)
    ]


def graded(infos: dict[int, SourceInfo], perps: list[str] | None = None, logs=()) -> tuple:  # type: ignore[no-untyped-def]
    members = claims_from(sorted(infos), perps)
    incident = Incident(perpetrators=[p for c in members for p in c.perpetrators])
    return grade(grade_features(incident, members, infos, logs))


def test_single_source_is_weak() -> None:
    assert graded({1: SourceInfo(1, "Levant Wire", "news", text_head=WIRE)}) == (
        "weak",
        ["a single source", "1 source, 1 independent, 0 credible (news)"],
    )


def test_syndicated_copies_count_once() -> None:
    infos = {
        1: SourceInfo(1, "Levant Wire", "news", text_head=WIRE),
        2: SourceInfo(2, "Gulf Daily", "news", text_head=WIRE.replace("Thursday", "Thursday.")),
        3: SourceInfo(3, "Town Post", "news", text_sha256="abc", text_head="x"),
        4: SourceInfo(4, "City Post", "news", text_sha256="abc", text_head="y"),
    }
    assert [[i.document_id for i in g] for g in origins(list(infos.values()), 90)] == [
        [1, 2],
        [3, 4],
    ]
    value, reasons = graded(infos)
    assert value == "fair"
    assert reasons[1] == "4 sources, 2 independent, 0 credible (news)"
    assert reasons[2:] == [
        "copies of one story count once: Levant Wire, Gulf Daily",
        "copies of one story count once: Town Post, City Post",
    ]


def test_documents_of_one_source_count_once() -> None:
    # Two reports of one monitor, an update and the first account, are one voice.
    infos = {
        1: SourceInfo(1, "Civilian Monitor", "monitor", text_head="Shelling hit the market."),
        2: SourceInfo(2, "civilian  monitor", "monitor", text_head="Update: the toll rose."),
    }
    assert graded(infos) == (
        "weak",
        [
            "a single source",
            "2 sources, 1 independent, 1 credible (monitor)",
            "2 documents of one source count once: Civilian Monitor",
        ],
    )


def test_witnesses_filed_under_one_source_stay_independent() -> None:
    infos = {
        1: SourceInfo(1, "Field Team", "witness", text_head="I saw the jets at dawn."),
        2: SourceInfo(2, "Field Team", "witness", text_head="My shop was hit by the blast."),
    }
    assert graded(infos)[1][1] == "2 sources, 2 independent, 0 credible (witness)"


def test_three_independent_with_two_credible_is_confirmed() -> None:
    infos = {
        1: SourceInfo(1, "Levant Wire", "news", text_head=WIRE),
        2: SourceInfo(2, "Medical Relief", "ngo", text_head="Statement on the attack."),
        3: SourceInfo(3, "Civilian Monitor", "monitor", text_head="Daily log."),
    }
    assert graded(infos)[0] == "confirmed"


def test_logs_corroborate_and_conflicting_attributions_contest() -> None:
    infos = {
        1: SourceInfo(1, "Levant Wire", "news", text_head=WIRE),
        2: SourceInfo(2, "Civilian Monitor", "monitor", text_head="Daily log."),
    }
    log = {"actor_id": "ru", "summary": "Su-34 from Hmeimim 15 min before"}
    value, reasons = graded(infos, ["ru", "ru"], [log])
    assert value == "confirmed" and "log: Su-34 from Hmeimim 15 min before" in reasons
    assert graded(infos, ["ru", "sy_gov"])[0] == "contested"
    assert graded(infos, ["sy_gov", "sy_gov"], [log])[0] == "contested"


def test_combatants_only_is_discounted() -> None:
    infos = {1: SourceInfo(1, "Civilian Monitor", "monitor")}
    members = [
        Claim(
            id=1,
            document_id=1,
            casualties=Casualties(killed=CasualtyCount(combatants=Range(low=4, high=4))),
        )
    ]
    assert grade(grade_features(Incident(), members, infos))[0] == "discounted"
