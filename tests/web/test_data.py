"""Page data, full-text search and accounts on each database backend (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from tests.web.server import PASSWORD, seed

import docket
from docket.domain import Claim, Incident
from docket.errors import InputError, NotFoundError
from docket.store import incidents as incident_store
from docket.store.claims import insert_claims
from docket.web import auth, data, svg


@pytest.fixture
def seeded(db: docket.Docket, tmp_path: Path) -> dict[str, list[int]]:
    return seed(db, tmp_path / "in")


def test_data_full_text_search_matches_every_word(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    both = data.search_documents(db, q="clinic shelling")
    market = data.search_documents(db, q="Vegetable MARKET")
    sources = data.search_documents(db, q="clinic", source="Field Health Network")
    dated = data.search_documents(db, q="clinic", since=dt.date(2021, 3, 5))
    assert sorted(d.id for d in both.items) == seeded["documents"][:2]
    assert [d.id for d in market.items] == [seeded["documents"][2]]
    assert [d.source for d in sources.items] == ["Field Health Network"]
    assert [d.published for d in dated.items] == [dt.date(2021, 3, 5)]


def test_data_full_text_search_ignores_query_syntax(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    for hostile in ['"', "NEAR(clinic", "clinic*", "-clinic", "clinic OR 1=1", "' ;--"]:
        page = data.search_documents(db, q=hostile)
        assert all(d.id in seeded["documents"] for d in page.items)
    assert data.fts_terms('clinic" OR "market') == ["clinic", "OR", "market"]


def test_data_full_text_search_pages(db: docket.Docket, seeded: dict[str, list[int]]) -> None:
    first = data.search_documents(db, q="clinic", limit=1)
    second = data.search_documents(db, q="clinic", limit=1, offset=1)
    assert (first.next_offset, second.next_offset) == (1, None)
    assert {first.items[0].id, second.items[0].id} == set(seeded["documents"][:2])


def test_data_incidents_by_place_prefix_and_publication(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    everyone = data.list_incidents(db, published_only=False, q="KFAR")
    published = data.list_incidents(db, published_only=True, q="bab")
    assert [i.place.name for i in everyone.items if i.place] == ["Kfar Talis"]
    assert published.items == []


def test_data_incident_detail_for_viewer_hides_drafts(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    draft = seeded["incidents"][1]
    with pytest.raises(NotFoundError, match=f"no published incident with id {draft}"):
        data.incident_detail(db, draft, published_only=True, with_sources=False)
    view = data.incident_detail(db, seeded["incidents"][0], published_only=True, with_sources=True)
    assert [v.document.source for v in view.versions] == ["Northern Wire", "Field Health Network"]


def test_data_review_needs_reason_and_known_decision(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    claim_id = seeded["claims"][0]
    with pytest.raises(InputError, match="a review needs a reason"):
        data.review_claim(db, claim_id, "accept", "  ")
    with pytest.raises(InputError, match="review decision 'maybe' is unknown"):
        data.review_claim(db, claim_id, "maybe", "why not")
    reviewed = data.review_claim(db, claim_id, "accept", "both sources agree")
    assert reviewed.review_status.value == "accepted"
    assert [c.id for c in data.review_queue(db).items] == seeded["claims"][1:]


def test_data_highlight_cuts_at_span_edges() -> None:
    segments = data.highlight(
        "Shells hit the clinic at dawn.",
        [(0, 6, "weapons", 1), (15, 21, "target", 1), (10, 21, "place", 2), (40, 50, "bad", 3)],
    )
    assert [(s.text, s.fields, s.claim_ids) for s in segments] == [
        ("Shells", ["weapons"], [1]),
        (" hit", [], []),
        (" the ", ["place"], [2]),
        ("clinic", ["place", "target"], [1, 2]),
        (" at dawn.", [], []),
    ]


def test_data_dashboard_counts(db: docket.Docket, seeded: dict[str, list[int]]) -> None:
    analyst = data.dashboard(db, published_only=False, documents_visible=True)
    viewer = data.dashboard(db, published_only=True, documents_visible=False)
    assert analyst.counts == {"incidents": 2, "documents": 3, "claims": 3, "to review": 3}
    assert analyst.by_month == [("2021-03", 1), ("2021-04", 1)]
    assert viewer.counts == {"incidents": 1}
    assert viewer.latest_documents == []


def test_data_dashboard_says_what_its_map_and_timeline_leave_out(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    with db.store.write() as conn:
        [nowhere] = incident_store.insert_incidents(conn, [Incident(grade="weak")], "tester")
    view = data.dashboard(db, published_only=False, documents_visible=True)
    assert [i.id for i in view.latest_incidents] == [nowhere, *reversed(seeded["incidents"])]
    assert [i.id for i in view.incidents] == list(reversed(seeded["incidents"]))
    assert (view.counts["incidents"], view.located, view.unmapped, view.undated) == (3, 2, 1, 1)


def test_data_accounts_sessions_and_tokens(db: docket.Docket) -> None:
    db.add_user("amira", "analyst", PASSWORD)
    with pytest.raises(InputError, match="user 'amira' already exists"):
        db.add_user("amira", "viewer", PASSWORD)
    with pytest.raises(InputError, match="too short"):
        db.add_user("bo", "viewer", "short")
    with pytest.raises(InputError, match="unknown role 'chief'"):
        db.add_user("cy", "chief", PASSWORD)
    with db.store.read() as conn:
        user = auth.authenticate(conn, "amira", PASSWORD)
        assert auth.authenticate(conn, "amira", "wrong password") is None
        assert auth.authenticate(conn, "nobody", PASSWORD) is None
    assert user is not None and user.role == "analyst"
    with db.store.write() as conn:
        session = auth.start_session(conn, user)
    with db.store.read() as conn:
        assert auth.session_user(conn, session) == user
        assert auth.session_user(conn, session + "x") is None
    with db.store.write() as conn:
        auth.end_session(conn, session)
    with db.store.read() as conn:
        assert auth.session_user(conn, session) is None
    token = db.create_token("amira", "script")
    assert auth.cached_token_user(token) is None
    with db.store.read() as conn:
        assert auth.token_user(conn, token) == user
    assert auth.cached_token_user(token) == user
    assert token.startswith("dk_")
    assert db.revoke_access("amira") == 1
    assert auth.cached_token_user(token) is None
    with db.store.read() as conn:
        assert auth.token_user(conn, token) is None
    assert db.set_user_role("amira", "investigator").role == "investigator"
    assert [(u.name, u.role) for u in db.users()] == [("amira", "investigator")]


def test_data_password_is_stored_as_argon2(db: docket.Docket) -> None:
    import sqlalchemy as sa

    from docket.web.tables import users

    db.add_user("dana", "viewer", PASSWORD)
    with db.store.read() as conn:
        stored = conn.execute(sa.select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_data_svg_escapes_place_names() -> None:
    from docket.domain import Incident, LocationPrecision, ResolvedPlace

    place = ResolvedPlace(
        name="<b>Town</b>", lat=35.0, lon=36.0, precision=LocationPrecision.settlement
    )
    drawn = str(svg.incident_map([Incident(id=1, place=place, killed_best=4)]))
    assert "&lt;b&gt;Town&lt;/b&gt;" in drawn
    assert "<b>" not in drawn
    assert 'aria-label="Map: no located incidents yet"' in str(svg.incident_map([]))


def test_data_svg_map_keys_its_colours_and_labels_south_and_west() -> None:
    from docket.domain import Incident, LocationPrecision, ResolvedPlace

    def at(lat: float, lon: float) -> ResolvedPlace:
        return ResolvedPlace(name="Town", lat=lat, lon=lon, precision=LocationPrecision.settlement)

    drawn = str(
        svg.incident_map(
            [
                Incident(id=1, place=at(-12.1, -77.0), grade="fair"),
                Incident(id=2, place=at(-12.3, -77.1), grade="confirmed"),
                Incident(id=3, place=at(-12.2, -76.9), grade="fair"),
            ]
        )
    )
    assert re.findall(r'class="map-label">(\w+ \(\d+\))<', drawn) == ["fair (2)", "confirmed (1)"]
    # the key is one group, which docket.css lets clicks pass through to the dots under it
    key = drawn[drawn.index('<g class="map-key">') :]
    assert key.index("</g>") > key.index("confirmed (1)")
    assert (
        ".map-key { pointer-events: none; }"
        in (Path(svg.__file__).with_name("static") / "docket.css").read_text()
    )
    labels = re.findall(r'class="grid-label">([^<]+)<', drawn)
    assert (labels[0], labels[-1]) == ("12.40°S", "76.80°W")
    assert "-" not in "".join(labels)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"q": "kfar"},
        {"since": dt.date(2021, 4, 1)},
        {"until": dt.date(2021, 3, 31), "admin1": "north"},
        {"grade": "weak"},
        {"limit": 1, "offset": 1},
        {"weapon": "artillery"},
        {"weapon": "artillery", "limit": 1, "offset": 1},
        {"target": "market"},
        {"perpetrator": "GOVERNMENT"},
        {"perpetrator": "Government forces", "target": "market"},
        {"perpetrator": "gov_%"},
        {"weapon": "Artillery"},
        {"target": "santé"},
    ],
    ids=str,
)
@pytest.mark.parametrize("published_only", [False, True])
def test_data_incident_page_json_matches_the_records(
    db: docket.Docket, seeded: dict[str, list[int]], filters: dict, published_only: bool
) -> None:
    import json

    raw = json.loads(data.incident_page_json(db, published_only=published_only, **filters))
    page = data.list_incidents(db, published_only=published_only, **filters)
    assert raw["items"] == [i.model_dump(mode="json") for i in page.items]
    assert (raw["limit"], raw["offset"], raw["next_offset"]) == (
        page.limit,
        page.offset,
        page.next_offset,
    )


def test_data_incident_page_json_filters_inside_the_records(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    import json

    def ids(**filters: str | int) -> list[int]:
        page = json.loads(data.incident_page_json(db, published_only=False, **filters))
        return [item["id"] for item in page["items"]]

    kfar = ids()[:1]
    assert len(ids()) == 2
    assert ids(weapon="artillery") == kfar
    assert ids(target="health") == kfar
    assert ids(perpetrator="NORTHERN-BRIGADE") == kfar
    assert ids(perpetrator="northern brigade", weapon="artillery", target="health") == kfar
    assert ids(weapon="artillery", offset=1) == []
    assert ids(weapon="Artillery") == []
    assert ids(target="market") == []
    assert ids(perpetrator="northern%") == []


@pytest.mark.parametrize(
    ("published_only", "with_sources", "include_witness"),
    [(True, False, False), (False, True, False), (False, True, True)],
    ids=["viewer", "analyst", "investigator"],
)
def test_data_incident_detail_json_matches_the_records(
    db: docket.Docket,
    seeded: dict[str, list[int]],
    published_only: bool,
    with_sources: bool,
    include_witness: bool,
) -> None:
    import json

    incident_id = seeded["incidents"][0]
    options = {
        "published_only": published_only,
        "with_sources": with_sources,
        "include_witness": include_witness,
    }
    raw = json.loads(data.incident_detail_json(db, incident_id, **options))
    view = data.incident_detail(db, incident_id, with_context=False, **options)
    assert raw["incident"] == view.incident.model_dump(mode="json")
    expected = [v.claim.model_dump(mode="json") for v in view.versions] if with_sources else None
    assert raw["claims"] == expected
    assert (len(raw["claims"] or []), raw["incident"]["id"]) == (2 if with_sources else 0, 1)


def test_data_witness_claims_hide_the_names_of_victims(db: docket.Docket, tmp_path: Path) -> None:
    import json

    path = tmp_path / "interview.json"
    account = "My neighbour, the nurse Salma Haddad, was killed when the shell hit our street."
    path.write_text(
        json.dumps({"source": "Interview W-3", "source_kind": "witness", "text": account})
    )
    [doc] = db.ingest([path]).stored
    claim = Claim(document_id=doc, named_victims=["Salma Haddad"], quote=account)
    with db.store.write() as conn:
        [claim_id] = insert_claims(conn, [claim], "tester")
    hidden = data.claim_detail(db, claim_id)
    shown = data.claim_detail(db, claim_id, include_witness=True)
    assert (hidden.restricted, hidden.claim.named_victims, hidden.claim.quote) == (True, [], None)
    assert (shown.restricted, shown.claim.named_victims) == (False, ["Salma Haddad"])


def test_data_witness_claims_hidden_in_lists_and_review_answers(
    db: docket.Docket, tmp_path: Path
) -> None:
    # the claims list (page and API), the review queue and a review's answer hid nothing, or
    # only the quote: an analyst read a witness's words and the names in /api/v1/claims
    path = tmp_path / "interview.json"
    account = "The baker Omar Rafiq died when the rocket fell on the bread queue."
    path.write_text(json.dumps({"source": "W-9", "source_kind": "witness", "text": account}))
    [doc] = db.ingest([path]).stored
    spans = [{"field": "quote", "start": 0, "end": len(account), "text": account}]
    claim = Claim(document_id=doc, named_victims=["Omar Rafiq"], quote=account, spans=spans)
    with db.store.write() as conn:
        [claim_id] = insert_claims(conn, [claim], "tester")

    def words(c: Claim) -> tuple[Any, ...]:
        return (c.quote, len(c.spans), c.named_victims)

    listed = data.list_claims(db, document_id=doc).items
    queued = data.review_queue(db).items
    read = data.list_claims(db, document_id=doc, include_witness=True).items
    reviewed = data.review_claim(db, claim_id, "accept", "checked with the interviewer")
    assert [words(c) for c in [*listed, *queued, reviewed]] == [(None, 0, [])] * 3
    assert [words(c) for c in read] == [(account, 1, ["Omar Rafiq"])]


def test_data_incident_detail_json_hides_drafts_and_unknown_ids(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    draft = seeded["incidents"][1]
    with pytest.raises(NotFoundError, match=f"no published incident with id {draft}"):
        data.incident_detail_json(db, draft, published_only=True, with_sources=False)
    with pytest.raises(NotFoundError, match="no incident with id 999;"):
        data.incident_detail_json(db, 999, published_only=False, with_sources=True)


def test_data_places_by_name_prefix(db: docket.Docket, seeded: dict[str, list[int]]) -> None:
    def names(**options: str) -> list[str]:
        page = data.list_places(db, published_only=False, **options)
        return [place["name"] for place in page.items]

    assert names() == ["Bab Salam", "Kfar Talis"]
    assert names(q="KFAR t") == ["Kfar Talis"]
    assert names(q="b") == ["Bab Salam"]
    assert names(q="%") == []
    assert names(q="_ab") == []
    assert [p["name"] for p in data.list_places(db, published_only=True).items] == ["Kfar Talis"]


def test_data_places_by_a_spelling_the_gazetteer_knows(db: docket.Docket, tmp_path: Path) -> None:
    # Stored incidents carry the gazetteer's spelling ("Arīḩā"); people type "Ariha".
    report = tmp_path / "ariha.txt"
    report.write_text(
        "Shelling hit the market in Ariha, in Idlib governorate, on 3 March 2021, killing "
        "four civilians, local rescuers said.",
        encoding="utf-8",
    )
    db.ingest([report])
    db.extract()
    db.link()
    found = data.list_places(db, published_only=False, q="Ariha").items
    listed = data.list_incidents(db, published_only=False, q="Ariha").items
    page = json.loads(data.incident_page_json(db, published_only=False, q="ariha"))
    assert [(p["name"], p["admin1"], p["incidents"]) for p in found] == [("Arīḩā", "Idlib", 1)]
    assert [i.place.name for i in listed if i.place] == ["Arīḩā"]
    assert [i["place"]["name"] for i in page["items"]] == ["Arīḩā"]


def test_data_places_by_a_spelling_whose_capital_is_not_ascii(db: docket.Docket) -> None:
    # SQLite's lower() folds A-Z only (as PostgreSQL's does in the C locale): the stored
    # "Ḩarastā" stays "Ḩarastā" there, and Python's "ḩarastā" never matched it
    from docket.domain import LocationPrecision, ResolvedPlace

    place = ResolvedPlace(
        name="Ḩarastā", lat=33.56, lon=36.37, precision=LocationPrecision.settlement
    )
    with db.store.write() as conn:
        [harasta] = incident_store.insert_incidents(conn, [Incident(place=place)], "tester")
    found = data.list_places(db, published_only=False, q="Harasta").items
    listed = data.list_incidents(db, published_only=False, q="harasta").items
    assert ([p["name"] for p in found], [i.id for i in listed]) == (["Ḩarastā"], [harasta])


def test_data_incidents_by_place_keep_the_other_filters(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    def ids(**filters: Any) -> tuple[list[int | None], list[int]]:
        page = data.list_incidents(db, published_only=False, **filters)
        text = json.loads(data.incident_page_json(db, published_only=False, **filters))
        return [i.id for i in page.items], [i["id"] for i in text["items"]]

    kfar = seeded["incidents"][0]
    assert ids(q="kfar") == ([kfar], [kfar])
    assert ids(q="kfar", since=dt.date(2021, 4, 1)) == ([], [])
    assert ids(q="kfar", grade="weak") == ([], [])
    assert ids(q="kfar", target="health") == ([kfar], [kfar])
    assert ids(q="kfar", weapon="rocket") == ([], [])


def test_data_two_reviewers_of_one_incident_keep_both_changes(
    db: docket.Docket, seeded: dict[str, list[int]]
) -> None:
    if db.store.engine.dialect.name != "postgresql":
        pytest.skip("a SQLite write transaction holds the whole database")
    incident_id = seeded["incidents"][1]
    bob = docket.Docket(db.store, actor="web:bob")
    with db.store.write() as conn:  # alice's review, still open
        held = incident_store.get_incident(conn, incident_id, for_update=True)
        publishing = threading.Thread(
            target=data.set_published, args=(bob, incident_id, True, "checked with the NGO")
        )
        publishing.start()
        assert _waits_for_a_lock(db)
        contested = held.model_copy(update={"grade": "contested"})
        incident_store.update_incident(conn, contested, "web:alice", "two accounts disagree")
    publishing.join()
    with db.store.read() as conn:
        stored = incident_store.get_incident(conn, incident_id)
    assert (stored.grade, stored.published) == ("contested", True)


def _waits_for_a_lock(db: docket.Docket) -> bool:
    """Whether another session of this database comes to wait on a row lock (within 30 s)."""
    waiting = sa.text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(300):
        with db.store.read() as conn:
            if conn.execute(waiting).scalar():
                return True
        time.sleep(0.1)
    return False
