"""``Docket``: the library API. The CLI and the web app are thin layers over these methods."""

from __future__ import annotations

from docket.evidence.ops import EvidenceOps
from docket.extract.ops import ExtractOps
from docket.geo.ops import GeoOps
from docket.intake.ops import IntakeOps
from docket.law.ops import LawOps
from docket.link.ops import LinkOps
from docket.report.ops import ReportOps
from docket.store import Store
from docket.store.ops import RecordsOps
from docket.web.ops import WebOps


class Docket(
    IntakeOps, RecordsOps, ExtractOps, GeoOps, LinkOps, EvidenceOps, LawOps, ReportOps, WebOps
):
    """One Docket project: its store plus every stage's operations.

    Open one with :func:`docket.open`. ``actor`` names who makes the changes in the audit log.
    """

    def __init__(self, store: Store, actor: str = "cli") -> None:
        self.store = store
        self.actor = actor

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Docket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Docket({self.store!r})"
