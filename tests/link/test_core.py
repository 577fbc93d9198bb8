"""Linking core: true pairs, near-misses, chains of weak links, one document's distinct attacks."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from docket.domain import (
    ActorRef,
    Casualties,
    CasualtyCount,
    Claim,
    DatePrecision,
    LocationPrecision,
    PlaceMention,
    Range,
    ResolvedPlace,
    TargetRef,
)
from docket.link import core
from docket.link.core import (
    ClaimFrame,
    FrameBuilder,
    candidate_pairs,
    default_settings,
    link_claims,
    link_rows,
    link_type,
    make_links,
    merge_frames,
    score_pairs,
    score_pairs_threaded,
)
from docket.link.names import name_similarity, normalize_place

# (name, lat, lon) of a few towns in Idlib; Ariha and Mhambal are about 8 km apart
ARIHA = ("Ariha", 35.8135, 36.6078)
MHAMBAL = ("Mhambal", 35.7820, 36.5290)
SARMIN = ("Sarmin", 35.9040, 36.7250)


def claim(
    cid: int,
    doc: int,
    day: str,
    town: tuple[str, float, float] | None = ARIHA,
    *,
    target: str | None = "hospital",
    killed: int | None = 12,
    perpetrator: str | None = "ru",
    event_type: str | None = "air_drone_strike",
    precision: DatePrecision | None = DatePrecision.day,
    spelling: str | None = None,
) -> Claim:
    place = None
    if town is not None:
        name, lat, lon = town
        place = ResolvedPlace(
            name=spelling or name,
            lat=lat,
            lon=lon,
            precision=LocationPrecision.settlement,
            admin1="Idlib",
            country="SY",
        )
    return Claim(
        id=cid,
        document_id=doc,
        event_type=event_type,
        date=dt.date.fromisoformat(day) if day else None,
        date_precision=precision if day else None,
        place=place,
        admin1="Idlib",
        country="SY",
        perpetrators=[ActorRef(actor_id=perpetrator, name=perpetrator)] if perpetrator else [],
        targets=[TargetRef(category=target)] if target else [],
        casualties=Casualties(killed=CasualtyCount(civilians=Range(low=killed, high=killed))),
    )


def groups(claims: list[Claim]) -> list[list[int]]:
    return sorted(c.claim_ids for c in link_claims(claims))


def test_names_normalise_transliterations() -> None:
    assert normalize_place("Ma'arrat an-Nu'man") == "marat numan"
    assert normalize_place("Maarat al-Numan") == "marat numan"
    assert normalize_place("Kafr Nabl") == "kafr nabl"
    # ASCII names skip the Unicode decomposition; accented and Arabic ones still take it
    assert normalize_place("Ma’arrat an-Nu’mān") == "marat numan"
    assert normalize_place("Ma'arrat an-Nu'mān") == "marat numan"
    assert normalize_place("الأتارب") == "atarb"
    assert name_similarity("marat numan", "maret numan") >= 85


def test_link_type_refines_by_weapon() -> None:
    assert link_type("air_drone_strike", ["aircraft", "barrel bomb"]) == "barrel_bomb"
    assert link_type("air_drone_strike", ["barrel bomb", "chemical"]) == "chemical"
    assert link_type("shelling_artillery_missile_attack", []) == "shelling_artillery_missile"
    assert link_type("other", []) is None


def test_three_sources_of_one_attack_link() -> None:
    claims = [
        claim(1, 10, "2020-01-29", killed=10),
        claim(2, 11, "2020-01-29", killed=12, spelling="Areeha"),
        claim(3, 12, "2020-01-30", killed=12, perpetrator=None),
    ]
    assert groups(claims) == [[1, 2, 3]]


def test_link_rows_say_what_make_links_says() -> None:
    claims = [
        claim(1, 10, "2020-01-29"),
        claim(2, 11, "2020-01-29", killed=14),
        claim(3, 12, "2020-01-29", MHAMBAL, target="residential", killed=None),
        claim(4, 13, "2020-01-30", None, target=None, killed=40, perpetrator="sy_gov"),
    ]
    f = ClaimFrame.from_claims(claims)
    s = default_settings()
    scores = score_pairs(f, *candidate_pairs(f, s), s)
    ks = list(range(len(scores.a)))
    rows = link_rows(f, scores, ks, s)
    expected = [
        (lk.claim_a, lk.claim_b, lk.weight, lk.probability, lk.levels, lk.explain())
        for lk in make_links(f, scores, ks, s, joined=True)
    ]
    assert len(rows) == 6
    assert [(*r[:4], json.loads(r[4]), r[5]) for r in rows] == expected
    assert rows[0][5] == (
        "same day, same place (0.0 km), same kind of attack, same target (hospital), "
        "same perpetrator, 12 vs 14 killed (death tolls agree) -> match 1.00"
    )


def test_threaded_scoring_in_chunks_scores_as_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    claims = [claim(i, 10 + i, f"2020-01-{28 + i % 3}", (ARIHA, MHAMBAL)[i % 2]) for i in range(6)]
    f = ClaimFrame.from_claims(claims)
    s = default_settings()
    a, b = candidate_pairs(f, s)
    whole = score_pairs(f, a, b, s)
    monkeypatch.setattr(core, "_SCORE_CHUNK", 4)  # several chunks in two threads
    chunked = score_pairs_threaded(f, a, b, s, threads=2)
    assert len(a) > 8
    assert chunked.weight.tolist() == whole.weight.tolist()
    assert {c: v.tolist() for c, v in chunked.levels.items()} == {
        c: v.tolist() for c, v in whole.levels.items()
    }


def test_frames_built_in_parts_merge_into_the_whole() -> None:
    claims = [
        claim(1, 10, "2020-01-29", target="school", perpetrator="sy_gov"),
        claim(2, 11, "2020-01-29", MHAMBAL, spelling="Mhambel"),
        claim(3, 12, "2020-01-30", SARMIN, target="market", event_type=None),
        claim(4, 13, "2020-01-30", None, target=None, killed=None, perpetrator="ru"),
        claim(5, 14, "2020-01-31", ARIHA, target="hospital", perpetrator="hts"),
    ]
    whole = FrameBuilder()
    for i, c in enumerate(claims):
        whole.add_claim(c, i)
    parts = []
    for chunk in (claims[:2], claims[2:]):
        builder = FrameBuilder()
        for i, c in enumerate(chunk):
            builder.add_claim(c, i)
        parts.append(builder.part())
    merged, expected = merge_frames(parts), whole.build()
    for name in core._FRAME_COLUMNS:
        assert np.array_equal(getattr(merged, name), getattr(expected, name), equal_nan=True), name
    assert merged.place_names == expected.place_names
    assert merged.target_bits == expected.target_bits


def test_frame_from_stored_json_matches_frame_from_claims() -> None:
    site = ResolvedPlace(name="al-Nour school", precision=LocationPrecision.settlement)
    province = ResolvedPlace(
        name="Idlib", lat=35.9, lon=36.6, precision=LocationPrecision.admin1, admin1="Idlib"
    )
    claims = [
        claim(1, 10, "2020-01-29", target="school", perpetrator="sy_gov"),
        claim(2, 11, "2020-01-29", MHAMBAL, spelling="Mhambel", killed=None),
        claim(3, 12, "2020-03-05", SARMIN, precision=DatePrecision.month, event_type=None),
        claim(4, 13, "", None, target=None, perpetrator="ru"),
        claim(5, 14, "2020-01-29", ARIHA, precision=DatePrecision.week, target="hospital"),
        claim(6, 15, "2020-01-29", ARIHA, target="school").model_copy(
            update={
                "place": site,
                "places": [PlaceMention(text="al-Nour school"), PlaceMention(text="Sarmin")],
                "weapons": ["barrel bomb"],
                "targets": [TargetRef(category="school", name="al-Nour school")],
                "casualties": Casualties(
                    killed=CasualtyCount(
                        civilians=Range(low=7, high=None), combatants=Range(low=2, high=3)
                    )
                ),
            }
        ),
        claim(7, None, "2020-01-30", ARIHA).model_copy(update={"place": province}),
        claim(8, 16, "2020-01-30", SARMIN).model_copy(
            update={"casualties": Casualties(killed=CasualtyCount(unknown=Range(high=4)))}
        ),
    ]
    from_claims, from_json, from_text = FrameBuilder(), FrameBuilder(), FrameBuilder()
    for i, c in enumerate(claims):
        from_claims.add_claim(c, i)
        assert c.id is not None
        from_json.add_json(json.loads(c.model_dump_json()), c.id, c.document_id)
        from_text.add_text(c.model_dump_json(), c.id, c.document_id)
    # a claim stored in a shape the fast reader does not expect is read as parsed JSON
    odd = claims[0].model_dump(mode="json") | {"id": 9, "places": None}
    from_claims.add_claim(claims[0].model_copy(update={"id": 9, "document_id": 10}), 8)
    from_json.add_json(odd, 9, 10)
    from_text.add_text(json.dumps(odd), 9, 10)
    expected = from_claims.part()
    for built in (from_json.part(), from_text.part()):
        for name in core._FRAME_COLUMNS:
            got, want = getattr(built.frame, name), getattr(expected.frame, name)
            assert np.array_equal(got, want, equal_nan=True), name
        assert built.tables == expected.tables
        assert built.bits == expected.bits
    assert built.frame.killed_lo.tolist()[5:8] == [9.0, 12.0, 0.0]
    assert built.frame.killed_hi.tolist()[5] == np.inf


def test_link_explains_its_weight() -> None:
    [cluster] = link_claims([claim(1, 10, "2020-01-29"), claim(2, 11, "2020-01-29", killed=14)])
    [link] = cluster.links
    assert link.levels == {
        "date": "same_day",
        "location": "same_place",
        "event_type": "same",
        "targets": "overlap",
        "facility": "unknown",
        "perpetrators": "overlap",
        "killed": "agree",
    }
    assert link.explain() == (
        "same day, same place (0.0 km), same kind of attack, same target (hospital), "
        "same perpetrator, 12 vs 14 killed (death tolls agree) -> match 1.00"
    )
    assert link.probability > 0.99


def test_same_day_in_neighbouring_towns_stays_apart() -> None:
    claims = [claim(1, 10, "2020-01-29", ARIHA), claim(2, 11, "2020-01-29", MHAMBAL)]
    assert groups(claims) == [[1], [2]]


def test_same_town_on_different_days_stays_apart() -> None:
    claims = [
        claim(1, 10, "2020-01-29", target="market", killed=6),
        claim(2, 11, "2020-02-03", target="market", killed=6),
        claim(3, 12, "2020-01-31", target="school", killed=2),
    ]
    assert groups(claims) == [[1], [2], [3]]


def test_undated_claim_links_by_place_and_details() -> None:
    claims = [
        claim(
            1,
            10,
            "2020-01-29",
            SARMIN,
            target="school",
            killed=4,
            event_type="shelling_artillery_missile_attack",
        ),
        claim(
            2,
            11,
            "",
            SARMIN,
            target="school",
            killed=4,
            event_type="shelling_artillery_missile_attack",
        ),
        claim(3, 12, "2019-06-02", SARMIN, target="market", killed=20),
    ]
    assert groups(claims) == [[1, 2], [3]]


def test_undated_claim_is_compared_only_where_type_and_target_may_agree() -> None:
    shelling = "shelling_artillery_missile_attack"
    claims = [
        claim(1, 10, "", SARMIN, target="school", event_type=shelling),
        claim(2, 11, "2020-01-29", SARMIN, target="school"),  # type differs
        claim(3, 12, "2020-02-03", SARMIN, target="market", event_type=shelling),  # target differs
        claim(4, 13, "2020-02-09", SARMIN, target=None, event_type=shelling),
        claim(5, 14, "2020-03-01", SARMIN, target="school", event_type=None),
    ]
    f = ClaimFrame.from_claims(claims)
    a, b = candidate_pairs(f, default_settings())
    assert [(int(x), int(y)) for x, y in zip(a, b, strict=True) if x == 0] == [(0, 3), (0, 4)]


def test_claim_without_place_is_compared_in_its_province_only_where_it_may_be_one_attack() -> None:
    claims = [
        claim(1, 10, "2020-01-29", None, target="school"),
        claim(2, 11, "2020-01-29", SARMIN, target="school"),
        claim(3, 12, "2020-01-30", ARIHA, target="market"),  # target differs
        claim(
            4,
            13,
            "2020-01-28",
            MHAMBAL,
            target="school",
            event_type="shelling_artillery_missile_attack",
        ),
    ]
    f = ClaimFrame.from_claims(claims)
    a, b = candidate_pairs(f, default_settings())
    assert [(int(x), int(y)) for x, y in zip(a, b, strict=True) if x == 0] == [(0, 1)]


def test_month_precision_links_inside_its_month_only() -> None:
    month = DatePrecision.month
    claims = [
        claim(1, 10, "2020-01-29"),
        claim(2, 11, "2020-01-01", precision=month),
        claim(3, 12, "2020-03-01", precision=month),
    ]
    assert groups(claims) == [[1, 2], [3]]


def test_distinct_attacks_of_one_document_stay_distinct() -> None:
    claims = [
        claim(1, 10, "2020-01-29", ARIHA),
        claim(2, 10, "2020-01-29", SARMIN, target="school", killed=3),
        claim(3, 11, "2020-01-29", ARIHA),
        claim(4, 11, "2020-01-29", SARMIN, target="school", killed=3),
    ]
    assert groups(claims) == [[1, 3], [2, 4]]


def test_same_document_claims_of_one_attack_merge() -> None:
    claims = [claim(1, 10, "2020-01-29", killed=None), claim(2, 10, "2020-01-29", perpetrator=None)]
    assert groups(claims) == [[1, 2]]


def test_weak_chain_does_not_join_unrelated_attacks() -> None:
    # A vague claim (month, no target, no figure) sits between two different attacks in one town.
    claims = [
        claim(1, 10, "2020-01-05", target="market", killed=20),
        claim(
            2,
            11,
            "2020-01-01",
            target=None,
            killed=None,
            perpetrator=None,
            precision=DatePrecision.month,
        ),
        claim(3, 12, "2020-01-25", target="hospital", killed=3),
    ]
    found = groups(claims)
    assert [1, 3] not in found and [1, 2, 3] not in found


def test_review_constraints_override_scores() -> None:
    claims = [
        claim(1, 10, "2020-01-29"),
        claim(2, 11, "2020-01-29"),
        claim(3, 12, "2020-01-29", MHAMBAL),
    ]
    assert groups(claims) == [[1, 2], [3]]
    apart = sorted(c.claim_ids for c in link_claims(claims, cannot_link=[(1, 2)]))
    assert apart == [[1], [2], [3]]
    together = sorted(c.claim_ids for c in link_claims(claims, must_link=[(2, 3)]))
    assert together == [[1, 2, 3]] or together == [[1], [2, 3]]


def test_frame_keeps_open_ranges() -> None:
    c = claim(1, 10, "2020-01-29", killed=None)
    c.casualties.killed.civilians = Range(low=11, high=None)
    f = ClaimFrame.from_claims([c])
    assert (f.killed_lo[0], f.killed_hi[0]) == (11.0, float("inf"))
    assert default_settings().link_threshold == 0.9


def test_gold_linking_on_dev_corpus(corpus_dev) -> None:
    from docket.link.evaluate import evaluate, gold_claims

    result = evaluate(corpus_dev, gold_claims(corpus_dev))
    assert result is not None and result["metrics"]["f1"] >= 0.95


def test_unresolved_site_name_links_through_the_town_named_with_it() -> None:
    from docket.domain import PlaceMention

    school = claim(1, 10, "2020-02-04", None, target="school", killed=4)
    school.place = ResolvedPlace(name="al-Nour", precision=LocationPrecision.settlement)
    school.places = [PlaceMention(text="al-Nour", relation="in"), PlaceMention(text="Sarmin")]
    town = claim(2, 11, "2020-02-04", SARMIN, target="school", killed=3)
    assert groups([school, town]) == [[1, 2]]
