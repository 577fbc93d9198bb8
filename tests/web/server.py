"""Helpers of the web tests: seed a project, run the app under a real uvicorn on loopback.

The reports and numbers below are invented for these tests.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

import docket
from docket.domain import (
    ActorRef,
    Casualties,
    CasualtyCount,
    Claim,
    DatePrecision,
    Incident,
    LocationPrecision,
    Range,
    ResolvedPlace,
    SourceFigure,
    Span,
    TargetRef,
)
from docket.store import claims as claim_store
from docket.store import incidents as incident_store
from docket.web.app import Settings, create_app

PASSWORD = "long-enough-password"
ROLES = ("viewer", "analyst", "investigator", "admin")

REPORTS = [
    {
        "source": "Northern Wire",
        "source_kind": "news",
        "published": "2021-03-04",
        "url": "https://wire.example.org/2021/03/04/kfar-talis-clinic",
        "title": "Shelling damages clinic in Kfar Talis, four dead",
        "text": (
            "KFAR TALIS - Artillery shells struck the main clinic of Kfar Talis on Wednesday "
            "morning, killing four civilians and wounding nine, local medics said.\n\n"
            "The clinic's generator room was destroyed. Residents said the shells came from "
            "positions held by the Northern Brigade."
        ),
    },
    {
        "source": "Field Health Network",
        "source_kind": "ngo",
        "published": "2021-03-05",
        "url": "https://fhn.example.net/alerts/kfar-talis",
        "title": "Alert: Kfar Talis clinic out of service",
        "text": (
            "Our partner clinic in Kfar Talis was hit by shelling on 3 March 2021. Five patients "
            "were killed and between 9 and 12 people injured. The clinic has suspended all "
            "services."
        ),
    },
    {
        "source": "Northern Wire",
        "source_kind": "news",
        "published": "2021-04-11",
        "url": "https://wire.example.org/2021/04/11/bab-salam-market",
        "title": "Air strike on Bab Salam market kills 12",
        "text": (
            "BAB SALAM - An air strike hit the vegetable market in Bab Salam on Sunday, killing "
            "12 people including three children, a rescue group said. Witnesses blamed "
            "government aircraft."
        ),
    },
]


def _span(text: str, words: str, field: str) -> Span:
    start = text.index(words)
    return Span(field=field, start=start, end=start + len(words), text=words)


def seed(db: docket.Docket, folder: Path) -> dict[str, list[int]]:
    """Three reports, their claims (with evidence spans), one published and one draft incident."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, report in enumerate(REPORTS):
        (folder / f"report-{index}.json").write_text(json.dumps(report), encoding="utf-8")
    stored = db.ingest([folder])
    doc_ids = sorted(stored.stored)
    texts = {i: db.document(i).text for i in doc_ids}
    kfar = ResolvedPlace(
        name="Kfar Talis",
        lat=36.01,
        lon=36.72,
        precision=LocationPrecision.settlement,
        admin1="North",
        country="XX",
    )
    bab = ResolvedPlace(
        name="Bab Salam",
        lat=36.34,
        lon=37.05,
        precision=LocationPrecision.settlement,
        admin1="North",
        country="XX",
    )
    claims = [
        Claim(
            document_id=doc_ids[0],
            event_type="shelling_artillery_missile_attack",
            date=dt.date(2021, 3, 3),
            date_precision=DatePrecision.day,
            place=kfar,
            perpetrators=[
                ActorRef(
                    actor_id="northern-brigade", name="Northern Brigade", attribution="suspected"
                )
            ],
            weapons=["artillery"],
            targets=[TargetRef(category="health", name="Kfar Talis clinic")],
            casualties=Casualties(
                killed=CasualtyCount(civilians=Range(low=4, high=4)),
                injured=CasualtyCount(unknown=Range(low=9, high=9)),
            ),
            quote="killing four civilians and wounding nine",
            spans=[
                _span(texts[doc_ids[0]], "Artillery shells", "weapons"),
                _span(texts[doc_ids[0]], "killing four civilians", "killed"),
                _span(texts[doc_ids[0]], "wounding nine", "injured"),
                _span(texts[doc_ids[0]], "Kfar Talis", "place"),
            ],
            extractor="test",
            extractor_version="1",
        ),
        Claim(
            document_id=doc_ids[1],
            event_type="shelling_artillery_missile_attack",
            date=dt.date(2021, 3, 3),
            date_precision=DatePrecision.day,
            place=kfar,
            targets=[TargetRef(category="health")],
            casualties=Casualties(
                killed=CasualtyCount(civilians=Range(low=5, high=5)),
                injured=CasualtyCount(unknown=Range(low=9, high=12)),
            ),
            quote="Five patients were killed",
            spans=[
                _span(texts[doc_ids[1]], "3 March 2021", "date"),
                _span(texts[doc_ids[1]], "Five patients were killed", "killed"),
            ],
            extractor="test",
            extractor_version="1",
        ),
        Claim(
            document_id=doc_ids[2],
            event_type="air_drone_strike",
            date=dt.date(2021, 4, 11),
            date_precision=DatePrecision.day,
            place=bab,
            perpetrators=[
                ActorRef(actor_id="government", name="Government forces", attribution="suspected")
            ],
            targets=[TargetRef(category="market")],
            casualties=Casualties(
                killed=CasualtyCount(unknown=Range(low=12, high=12), children=Range(low=3, high=3))
            ),
            quote="killing 12 people including three children",
            spans=[_span(texts[doc_ids[2]], "killing 12 people", "killed")],
            extractor="test",
            extractor_version="1",
        ),
    ]
    with db.store.write() as conn:
        claim_ids = claim_store.insert_claims(conn, claims, "tester")
        incident_ids = incident_store.insert_incidents(
            conn,
            [
                Incident(
                    claim_ids=claim_ids[:2],
                    event_type="shelling_artillery_missile_attack",
                    date_low=dt.date(2021, 3, 3),
                    date_high=dt.date(2021, 3, 3),
                    place=kfar,
                    perpetrators=claims[0].perpetrators,
                    weapons=["artillery"],
                    targets=[TargetRef(category="health", name="Kfar Talis clinic")],
                    killed=Range(low=4, high=5),
                    killed_best=5,
                    civilians_killed=Range(low=4, high=5),
                    injured=Range(low=9, high=12),
                    injured_best=9,
                    grade="fair",
                    grade_reasons=["two independent sources", "place named by both"],
                    legal_flags=[
                        {
                            "rule": "medical_units",
                            "title": "Attack on a medical unit",
                            "short": "medical unit hit",
                            "assessment": "A clinic in use was struck; no warning is reported.",
                            "missing": ["whether the clinic was used for military purposes"],
                        }
                    ],
                    source_figures=[
                        SourceFigure(
                            claim_id=claim_ids[0],
                            source="Northern Wire",
                            killed=Range(low=4, high=4),
                        ),
                        SourceFigure(
                            claim_id=claim_ids[1],
                            source="Field Health Network",
                            killed=Range(low=5, high=5),
                        ),
                    ],
                    disagreements=["killed: 4 (Northern Wire) vs 5 (Field Health Network)"],
                    published=True,
                ),
                Incident(
                    claim_ids=claim_ids[2:],
                    event_type="air_drone_strike",
                    date_low=dt.date(2021, 4, 11),
                    date_high=dt.date(2021, 4, 11),
                    place=bab,
                    killed=Range(low=12, high=12),
                    killed_best=12,
                    grade="weak",
                    grade_reasons=["one source"],
                    published=False,
                ),
            ],
            "tester",
        )
        claim_store.assign_incident(conn, claim_ids[:2], incident_ids[0], "tester")
        claim_store.assign_incident(conn, claim_ids[2:], incident_ids[1], "tester")
    return {"documents": doc_ids, "claims": claim_ids, "incidents": incident_ids}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    """A running app: its base URL, the open project, what was seed, and one token per role."""

    url: str
    db: docket.Docket
    seeded: dict[str, list[int]]
    tokens: dict[str, str]
    reports_dir: Path

    def client(self, role: str | None = None) -> httpx.Client:
        headers = {"authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    @contextmanager
    def browser_client(self, role: str) -> Iterator[httpx.Client]:
        """A client logged in through the login form, as a browser would be."""
        with httpx.Client(base_url=self.url, timeout=30, follow_redirects=True) as client:
            login(client, role, PASSWORD)
            yield client


def csrf_of(client: httpx.Client, path: str = "/login") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, f"no csrf field on {path}"
    return found.group(1)


def login(client: httpx.Client, name: str, password: str, code: str = "") -> httpx.Response:
    token = csrf_of(client)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": token, "code": code, "next": "/"},
    )


@contextmanager
def running_site(folder: Path, **settings: object) -> Iterator[Site]:
    """Seed a SQLite project in ``folder``, add one account per role, serve it on loopback."""
    db = docket.open(folder / "web.db", actor="tester")
    seeded = seed(db, folder / "reports-in")
    tokens = {}
    for role in ROLES:
        db.add_user(role, role, PASSWORD)
        tokens[role] = db.create_token(role, "tests")
    reports_dir = folder / "reports"
    app = create_app(Settings(reports_dir=reports_dir, **settings), db=db)  # type: ignore[arg-type]
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start in 20 s")
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", db, seeded, tokens, reports_dir)
    finally:
        server.should_exit = True
        thread.join(10)
        db.close()
