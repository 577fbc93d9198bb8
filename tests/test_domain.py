import pytest

from docket import vocab
from docket.domain import ActorRef, CasualtyCount, Claim, Range


@pytest.mark.parametrize(
    ("parts", "total"),
    [
        ({}, Range()),
        ({"civilians": Range(low=11)}, Range(low=11, high=None)),
        ({"civilians": Range(low=11, high=14)}, Range(low=11, high=14)),
        (
            {"combatants": Range(low=15, high=15), "unknown": Range(low=7, high=7)},
            Range(low=22, high=22),
        ),
        ({"civilians": Range(high=14)}, Range(low=None, high=14)),
        ({"civilians": Range(low=3, high=3), "combatants": Range(high=5)}, Range(low=3, high=8)),
    ],
)
def test_domain_casualty_total(parts: dict[str, Range], total: Range) -> None:
    assert CasualtyCount(**parts).total == total
    assert CasualtyCount(**parts).total_bounds == (total.low, total.high)


def test_domain_range_addition_keeps_open_bounds() -> None:
    assert Range(low=2, high=None) + Range(low=3, high=4) == Range(low=5, high=4)


def test_domain_claim_json_holds_named_victims_only_when_someone_is_named() -> None:
    # claims stored (and digested by the audit log) before the field existed dump as they did
    counted = Claim(victims=[ActorRef(actor_id="civilians", name="Civilians")])
    named = Claim(named_victims=["Salma Haddad", "Yusuf Darwish"])
    assert "named_victims" not in counted.model_dump(mode="json")
    assert named.model_dump(mode="json")["named_victims"] == ["Salma Haddad", "Yusuf Darwish"]
    assert Claim.model_validate_json(named.model_dump_json()) == named


def test_vocab_has_all_25_acled_sub_event_types() -> None:
    types = vocab.event_types()
    assert len(types) == 25
    assert types["air_drone_strike"].name == "Air/drone strike"
    assert types["air_drone_strike"]["parent"] == "Explosions/Remote violence"
    assert vocab.coarse_event_type("suicide_bomb") == "explosive_device"
    assert vocab.coarse_event_type("peaceful_protest") == "other"


def test_vocab_user_folder_extends_and_overrides(tmp_path, monkeypatch) -> None:
    (tmp_path / "weapons.yaml").write_text(
        "weapons:\n  - {id: thermobaric, name: Thermobaric weapon, aliases: [thermobaric, vacuum bomb]}\n"
        "  - {id: drone, name: Drone, aliases: [drone, loitering munition]}\n"
    )
    monkeypatch.setenv("DOCKET_DATA", str(tmp_path))
    vocab.vocabulary.cache_clear()
    try:
        weapons = vocab.weapons()
        assert weapons["thermobaric"].aliases == ("thermobaric", "vacuum bomb")
        assert weapons["drone"].aliases == ("drone", "loitering munition")
        assert "barrel bomb" in weapons
    finally:
        vocab.vocabulary.cache_clear()
