"""One set of reconciliation rules read from records and from stored claim JSON: both kinds of
input give the same plain values and the same incident, byte for byte."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from docket.domain import (
    ActorRef,
    Attribution,
    Casualties,
    CasualtyCount,
    Claim,
    DatePrecision,
    LocationPrecision,
    Range,
    ResolvedPlace,
    TargetRef,
)
from docket.link.assess import (
    ObservationWindow,
    Unusual,
    assess_json,
    json_claim,
    place_dict,
)
from docket.link.ops import _claim_from_row, assess_records
from docket.link.reconcile import SourceInfo, plain_claim
from docket.store.incidents import prepare_incident

INFOS = {
    1: SourceInfo(1, "Levant Wire", "news", text_sha256="a", text_head="Jets hit the clinic."),
    2: SourceInfo(2, "Gulf Daily", "news", text_sha256="b", text_head="Jets hit the clinic!"),
    3: SourceInfo(3, "Medical Relief", "ngo", text_sha256="c", text_head="Our clinic was bombed"),
    4: SourceInfo(4, "Civilian Monitor", "monitor", text_sha256="d", text_head="Clinic, 9 dead"),
    5: SourceInfo(5, None, "media", text_sha256="e", text_head="video of the strike"),
}
NO_LOGS = ObservationWindow([], 30)

ARIHA = ResolvedPlace(
    name="Ariha", lat=35.8135, lon=36.6078, precision=LocationPrecision.settlement, admin1="Idlib"
)
CLINIC = ResolvedPlace(
    name="Ariha clinic", lat=35.81, lon=36.61, precision=LocationPrecision.site, score=0.4
)
IDLIB = ResolvedPlace(name="Idlib", precision=LocationPrecision.admin1, country="SY")
# candidates the geocoder turned down, their keys out of order: the JSON sorts them
SARAQIB = ResolvedPlace(
    name="Saraqib",
    lat=35.86,
    lon=36.8,
    precision=LocationPrecision.settlement,
    rejected=[{"score": 0.3, "name": "Saraqib Camp", "admin1": "Idlib"}],
)


def count(civilians: Range = Range(), combatants: Range = Range(), unknown: Range = Range()):
    return CasualtyCount(civilians=civilians, combatants=combatants, unknown=unknown)


def make(cid: int, doc: int, **fields: object) -> Claim:
    return Claim(id=cid, document_id=doc, **fields)  # type: ignore[arg-type]


def row(claim: Claim) -> tuple[int, int, None, str, str]:
    data = claim.model_dump_json(exclude={"id", "document_id", "incident_id", "review_status"})
    assert claim.id is not None and claim.document_id is not None
    return claim.id, claim.document_id, None, "unreviewed", data


GROUPS = {
    "disputed": [
        make(
            1,
            1,
            event_type="air_strike",
            date=dt.date(2024, 3, 4),
            place=ARIHA,
            perpetrators=[ActorRef(actor_id="sy_gov", name="Syrian forces")],
            weapons=["missile"],
            targets=[TargetRef(category="health", name="Ariha clinic")],
            casualties=Casualties(killed=count(Range(low=10, high=10))),
        ),
        make(
            2,
            2,
            event_type="air_strike",
            date=dt.date(2024, 3, 5),
            place=ARIHA,
            perpetrators=[
                ActorRef(actor_id="ru", name="Russian forces", attribution=Attribution.stated)
            ],
            weapons=["bomb", "missile"],
            targets=[TargetRef(category="health", name="Ariha clinic", facility_id=7)],
            casualties=Casualties(
                killed=count(Range(low=30), Range(low=2, high=2)),
                injured=count(unknown=Range(low=4, high=6)),
            ),
        ),
        make(
            3,
            3,
            event_type="shelling",
            date=dt.date(2024, 3, 4),
            date_precision=DatePrecision.day,
            place=CLINIC,
            victims=[ActorRef(actor_id="v1", name="a nurse")],
            named_victims=["Salma Haddad"],
            perpetrators=[
                ActorRef(actor_id="sy_gov", name="Syrian forces", attribution="suspected")
            ],
            casualties=Casualties(killed=count(Range(low=12, high=14), unknown=Range(high=3))),
        ),
        make(4, 4, event_type="air_strike", place=IDLIB, date=dt.date(2024, 3, 4)),
        make(5, 5, date=dt.date(2024, 3, 1), date_precision=DatePrecision.month),
    ],
    "vague dates, combatants only": [
        make(
            6,
            3,
            date=dt.date(2024, 3, 10),
            date_precision=DatePrecision.week,
            casualties=Casualties(killed=count(combatants=Range(low=5, high=5))),
        ),
        make(
            7,
            4,
            date=dt.date(2024, 3, 1),
            date_precision=DatePrecision.month,
            casualties=Casualties(killed=count(combatants=Range(low=6, high=8))),
        ),
    ],
    "dates that do not overlap": [
        make(8, 1, date=dt.date(2023, 1, 1), date_precision=DatePrecision.month),
        make(9, 2, date=dt.date(2024, 6, 1), date_precision=DatePrecision.year),
    ],
    "one bare claim": [make(10, 99)],
    "a place with rejected candidates": [make(13, 4, place=SARAQIB, event_type="shelling")],
    "copies of one story": [
        make(11, 1, place=CLINIC, event_type="air_strike"),
        make(12, 2, place=CLINIC, event_type="air_strike"),
    ],
}


CIVILIANS = [ActorRef(actor_id="civilians", name="Civilians", mention="civilians")]
KILLED_TWO = Casualties(killed=count(Range(low=2, high=2)))
ONE_VOICE = "1 source, 1 independent, 1 credible (ngo)"


@pytest.mark.parametrize(
    ("named", "expected"),
    [
        ([], ("weak", ["a single source", ONE_VOICE])),
        (
            ["Salma Haddad"],
            ("fair", ["one credible source with corroboration", ONE_VOICE, "victims named"]),
        ),
    ],
    ids=["civilians only", "a nurse named"],
)
def test_both_paths_grade_named_victims_alike(named: list[str], expected: tuple) -> None:
    """Victims counted as "civilians" corroborate nothing; a victim named by name does."""
    claim = make(20, 3, victims=CIVILIANS, named_victims=named, casualties=KILLED_TWO)
    record = assess_records([_claim_from_row(row(claim))], INFOS, [], None, 30, 25.0)
    assert (record.grade, record.grade_reasons) == expected
    assert assess_json([json_claim(row(claim))], INFOS, NO_LOGS) == prepare_incident(record)


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_records_and_json_give_the_rules_the_same_values(name: str) -> None:
    for claim in GROUPS[name]:
        from_record, from_json = plain_claim(claim), json_claim(row(claim))
        assert from_record._replace(place=None) == from_json._replace(place=None)
        place = claim.place.model_dump(mode="json") if claim.place else None
        assert place_dict(from_json.place) == place


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_json_path_matches_record_path(name: str) -> None:
    rows = [row(c) for c in GROUPS[name]]
    members = [_claim_from_row(r) for r in rows]
    expected = prepare_incident(assess_records(members, INFOS, [], None, 30, 25.0))
    assert assess_json([json_claim(r) for r in rows], INFOS, NO_LOGS) == expected


def test_plain_values_coerced_like_pydantic() -> None:
    data = {"place": {"name": "Ariha", "lat": 36, "lon": 37, "precision": "settlement"}}
    plain = json_claim((1, 1, None, "unreviewed", json.dumps(data)))
    assert place_dict(plain.place) == {
        "place_id": None,
        "name": "Ariha",
        "lat": 36.0,
        "lon": 37.0,
        "precision": "settlement",
        "admin1": None,
        "country": None,
        "score": 1.0,
        "centroid": False,
        "rejected": [],
        "reason": None,
    }


@pytest.mark.parametrize(
    "data",
    [
        {"casualties": {"killed": {"civilians": {"low": 12.0}}}},  # pydantic makes it 12
        {"date": "2024-3-4"},
        {"date": "2024-02-30"},
        {"date_precision": "hour"},
        {"place": {"name": "Ariha"}},  # no precision
        {"perpetrators": [{"actor_id": "x", "name": "X", "attribution": "rumoured"}]},
        {"targets": [{"name": "clinic"}]},
        {"weapons": None},
        {"casualties": {"killed": None}},
        {"colour": "red"},
    ],
)
def test_unusual_values_take_the_record_path(data: dict) -> None:
    with pytest.raises(Unusual):
        json_claim((1, 1, None, "unreviewed", json.dumps(data)))


def test_observations_near_the_days_take_the_record_path() -> None:
    window = ObservationWindow([dt.datetime(2024, 3, 5, 0, 20)], 30)
    assert window.may_match(dt.date(2024, 3, 4), dt.date(2024, 3, 4))  # 00:20 the next day
    assert window.may_match(dt.date(2024, 3, 5), None)
    assert not window.may_match(dt.date(2024, 3, 3), dt.date(2024, 3, 3))
    assert not window.may_match(dt.date(2024, 3, 6), dt.date(2024, 3, 7))
    assert not window.may_match(None, None)
    claims = [json_claim(row(c)) for c in GROUPS["disputed"]]
    assert assess_json(claims, INFOS, window) is None


def test_incident_json_structs_list_their_fields_in_sorted_order() -> None:
    """msgspec writes struct fields in declared order: sorted, they are the canonical JSON."""
    import msgspec

    from docket.link import assess

    for struct in (
        assess._Low,
        assess._Figure,
        assess._ActorOut,
        assess._TargetOut,
        assess._Details,
        assess._IncidentOut,
        assess._Place,
    ):
        names = [f.encode_name for f in msgspec.structs.fields(struct)]
        assert names == sorted(names), struct.__name__


def test_stored_shapes_mirror_the_domain_records() -> None:
    """The JSON path reads claims through msgspec structs: same fields and defaults as pydantic's."""
    import msgspec

    from docket import domain
    from docket.link import assess

    pairs = {
        assess._Claim: domain.Claim,
        assess._Place: domain.ResolvedPlace,
        assess._Mention: domain.PlaceMention,
        assess._Span: domain.Span,
        assess._Actor: domain.ActorRef,
        assess._Target: domain.TargetRef,
        assess._Casualties: domain.Casualties,
        assess._Count: domain.CasualtyCount,
        assess._Range: domain.Range,
    }
    for struct, model in pairs.items():
        fields = {f.name: f for f in msgspec.structs.fields(struct)}
        assert set(fields) == set(model.model_fields), model.__name__
        for name, info in model.model_fields.items():
            if info.is_required():
                assert fields[name].required, (model.__name__, name)
                continue
            default = info.get_default(call_default_factory=True)
            ours = fields[name].default
            if ours is msgspec.NODEFAULT:
                ours = fields[name].default_factory()
            if isinstance(default, domain.Record):
                default, ours = default.model_dump(), msgspec.to_builtins(ours)
            assert ours == default, (model.__name__, name)


def test_a_link_run_reads_unusual_claims_through_pydantic(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from docket.link.ops import load_claims, load_sources
    from docket.store.claims import insert_claims
    from docket.store.schema import claims as claims_table

    docs = []
    for key, source in (("wire", "Levant Wire"), ("ngo", "Medical Relief")):
        path = tmp_path / f"{key}.json"
        text = f"{source}: a clinic in Ariha was struck on 4 March; several patients were killed."
        path.write_text(json.dumps({"text": text, "source": source, "source_kind": "news"}))
        docs += db.ingest([path]).stored
    disputed = GROUPS["disputed"][:2]
    with db.store.write() as conn:
        ids = insert_claims(
            conn,
            [
                c.model_copy(update={"id": None, "document_id": d})
                for c, d in zip(disputed, docs, strict=True)
            ],
            "tester",
        )
        data = disputed[0].model_dump(mode="json", exclude={"id", "document_id"})
        data["casualties"]["killed"]["civilians"] = {"low": 10.0, "high": 10.0}  # pydantic: 10
        conn.execute(sa.update(claims_table).where(claims_table.c.id == ids[0]).values(data=data))
    db.link()
    [incident] = db.incidents()
    with db.store.read() as conn:
        members = load_claims(conn, ids)
        infos = load_sources(conn, docs)
    expected = assess_records(members, infos, [], None, 30, 25.0)
    assert incident.claim_ids == ids
    assert incident.killed == Range(low=10, high=32)
    assert incident.model_dump(exclude={"id"}) == expected.model_dump(exclude={"id"})
