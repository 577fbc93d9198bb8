"""Legal rules: every rule with a positive and a negative case, treaty status, and assessment."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from docket.domain import ActorRef, Incident, ResolvedPlace, TargetRef
from docket.law.rules import assess, load_rules
from docket.store.schema import audit_log
from findings_samples import sample_incidents, store_samples


@pytest.fixture
def samples() -> list[Incident]:
    found = sample_incidents()
    for n, incident in enumerate(found, start=1):
        incident.id = n
    return found


def _rules(incident: Incident, others: list[Incident]) -> list[str]:
    return [f["rule"] for f in assess(incident, others)]


def test_rules_every_sample_gets_the_hand_counted_flags(samples: list[Incident]) -> None:
    assert {i.id: _rules(i, samples) for i in samples} == {
        1: ["medical_units", "deconflicted_facility", "repeated_strike"],
        2: ["medical_units", "deconflicted_facility", "repeated_strike"],
        3: ["markets_residential"],
        4: [
            "schools_civilian_objects",
            "cluster_munitions_populated",
            "indiscriminate_weapons_populated",
        ],
        5: ["medical_units", "deconflicted_facility"],
        6: ["schools_civilian_objects", "indiscriminate_weapons_populated"],
        7: ["medical_units"],
        8: ["markets_residential", "indiscriminate_weapons_populated"],
        9: ["markets_residential"],
        10: [],
        11: ["medical_units"],
        12: ["schools_civilian_objects"],
    }


def _bare(**changes: object) -> Incident:
    base = Incident(
        id=100,
        date_low=sample_incidents()[0].date_low,
        place=ResolvedPlace(name="Open country", precision="admin1", admin1="Idlib", country="SY"),
        weapons=["artillery"],
        targets=[TargetRef(category="other")],
    )
    return base.model_copy(update=changes)


@pytest.mark.parametrize(
    ("rule", "positive", "negative"),
    [
        (
            "medical_units",
            {"targets": [TargetRef(category="clinic")]},
            {"targets": [TargetRef(category="market")]},
        ),
        (
            "schools_civilian_objects",
            {"targets": [TargetRef(category="school")]},
            {"targets": [TargetRef(category="other")]},
        ),
        (
            "markets_residential",
            {"targets": [TargetRef(category="camp")]},
            {"targets": [TargetRef(category="hospital")]},
        ),
        (
            "cluster_munitions_populated",
            {"weapons": ["cluster munition"], "targets": [TargetRef(category="residential")]},
            # cluster munitions in open country: not a populated area
            {"weapons": ["cluster munition"]},
        ),
        (
            "indiscriminate_weapons_populated",
            {"weapons": ["barrel bomb"], "details": {"populated": True}},
            {"weapons": ["missile"], "details": {"populated": True}},
        ),
        (
            "deconflicted_facility",
            {
                "details": {
                    "facility": {"name": "Field hospital", "type": "hospital", "deconflicted": True}
                }
            },
            {
                "details": {
                    "facility": {
                        "name": "Field hospital",
                        "type": "hospital",
                        "deconflicted": False,
                    }
                }
            },
        ),
    ],
)
def test_rules_positive_and_negative(rule: str, positive: dict, negative: dict) -> None:
    assert rule in _rules(_bare(**positive), [])
    assert rule not in _rules(_bare(**negative), [])


def test_rules_repeated_strike_needs_same_site_within_a_day(samples: list[Incident]) -> None:
    first, second = samples[0], samples[1]
    # A day later but two days apart: no longer a "double tap".
    later = second.model_copy(update={"date_low": second.date_low.replace(day=16)})
    assert "repeated_strike" in _rules(first, [first, second])
    assert "repeated_strike" not in _rules(first, [first, later])
    # Exact points 300 m apart, no facility named: same site; 3 km apart: not.
    point = ResolvedPlace(name="x", lat=35.0, lon=36.0, precision="site", country="SY")
    near = point.model_copy(update={"lat": 35.0027})
    far = point.model_copy(update={"lat": 35.027})
    a = _bare(place=point, id=1)
    assert "repeated_strike" in _rules(a, [a, _bare(place=near, id=2)])
    assert "repeated_strike" not in _rules(a, [a, _bare(place=far, id=3)])


def test_rules_flag_cites_basis_facts_missing_and_binding_law(samples: list[Incident]) -> None:
    flag = assess(samples[3], samples)[1]  # cluster munitions on a school in Idlib city
    assert flag["rule"] == "cluster_munitions_populated"
    assert flag["assessment"].startswith("Potential use of cluster munitions")
    assert flag["facts"] == [
        "weapon reported: cluster munition",
        "populated area: school struck in Idlib",
    ]
    assert [b["name"] for b in flag["basis"]] == ["CCM", "AP I", "Customary IHL", "Rome Statute"]
    assert flag["missing"] == [
        "physical or photographic identification of the munition type (remnants, submunitions)",
        "the density of civilians present at the time",
    ]
    (party,) = flag["parties"]
    assert party["party"] == "Syrian government forces"
    assert party["treaty"] == ["AP I (party since 1983)"]
    assert party["customary"][0] == "CCM (not party: the customary rules it reflects apply)"
    assert party["customary"][1] == "Customary IHL"
    assert party["customary"][2].startswith("Rome Statute (signed, not ratified: International")
    assert "International Criminal Court" not in " ".join(flag["fora"])


def test_rules_non_state_party_bound_through_territorial_state() -> None:
    incident = _bare(
        targets=[TargetRef(category="hospital")],
        perpetrators=[ActorRef(actor_id="rsf", name="Rapid Support Forces")],
        place=ResolvedPlace(name="El Fasher", precision="settlement", country="SD"),
    )
    (flag,) = assess(incident, [])
    assert flag["parties"][0]["treaty"] == [
        "Common Article 3 of the Geneva Conventions",
        "AP II (territorial state SD is party)",
    ]
    assert "ICC, situation in Darfur (Security Council referral, Darfur only)" in flag["fora"]


def test_rules_icc_listed_when_a_state_is_party() -> None:
    incident = _bare(
        targets=[TargetRef(category="school")],
        perpetrators=[ActorRef(actor_id="ru", name="Russian forces")],
        place=ResolvedPlace(name="Kharkiv", precision="settlement", country="UA"),
    )
    (flag,) = assess(incident, [])
    assert flag["fora"][0] == "International Criminal Court (Rome Statute party: UA)"


def test_rules_user_rules_extend_builtin(tmp_path, monkeypatch) -> None:
    (tmp_path / "law").mkdir()
    (tmp_path / "law" / "rules.yaml").write_text(
        "rules:\n  - id: bakeries\n    title: Attack on a bakery\n"
        "    when: {target_category: [bakery]}\n"
        "    basis: [{law: cihl, provision: 'Rule 54'}]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("DOCKET_DATA", str(tmp_path))
    load_rules.cache_clear()
    try:
        assert "bakeries" in _rules(_bare(targets=[TargetRef(category="bakery")]), [])
        assert len(load_rules().rules) == 8
    finally:
        monkeypatch.delenv("DOCKET_DATA")
        load_rules.cache_clear()


def test_rules_assess_stores_flags_audit_logged(db) -> None:
    ids = store_samples(db)
    report = db.assess_incidents()
    assert report.assessed == 12
    assert sorted(report.changed) == [i for i in ids if i != ids[9]]
    assert sorted(report.flags_by_rule["medical_units"]) == [ids[n] for n in (0, 1, 4, 6, 10)]
    with db.store.read() as conn:
        assessed = conn.execute(
            sa.select(sa.func.count()).select_from(audit_log).where(audit_log.c.action == "assess")
        ).scalar_one()
    assert assessed == 11
    assert db.assess_incidents().changed == []  # nothing changes the second time


def test_rules_missing_lists_the_record_gaps(samples: list[Incident]) -> None:
    (flag,) = assess(samples[6], samples)  # Darat Izza clinic: one source, suspected, "possible"
    assert flag["missing"][2:] == [
        "attribution only suspected by the sources",
        "a single source; corroboration needed",
        "grade of evidence: possible",
    ]
    (flag,) = assess(samples[2], samples)  # the market: two sources, confirmed, stated
    assert len(flag["missing"]) == 2  # only the rule's own questions
