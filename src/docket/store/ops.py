"""Read operations on stored claims, mixed into :class:`docket.Docket`."""

from __future__ import annotations

from typing import Any

from docket._ops import Ops
from docket.domain import AggregateClaim, Claim, ReviewStatus
from docket.store.claims import get_claim, list_aggregates, list_claims, set_review_status


class RecordsOps(Ops):
    def claims(self, **filters: Any) -> list[Claim]:
        """Stored claims in id order (filters: document_id, incident_id, extractor,
        review_status, since, until, unlinked, limit, offset)."""
        with self.store.read() as conn:
            return list_claims(conn, **filters)

    def claim(self, claim_id: int) -> Claim:
        with self.store.read() as conn:
            return get_claim(conn, claim_id)

    def aggregates(self, document_id: int | None = None) -> list[AggregateClaim]:
        """Background statistics ("18 attacks since May") extracted from documents."""
        with self.store.read() as conn:
            return list_aggregates(conn, document_id=document_id)

    def review_claim(self, claim_id: int, status: str, reason: str) -> Claim:
        """Accept or reject a claim, recording who, when and why in the audit log (a rejected
        claim no longer counts in its incident, see ``LinkOps._after_claim_review``)."""
        with self.store.write() as conn:
            claim = set_review_status(conn, claim_id, ReviewStatus(status), self.actor, reason)
            self._after_claim_review(conn, claim, reason)
            return get_claim(conn, claim_id)
