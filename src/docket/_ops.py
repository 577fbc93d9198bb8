"""Base of the per-stage operation mixins that make up :class:`docket.Docket`.

Each stage package (``intake``, ``extract``, ``geo``, ``link``, ``evidence``, ``law``, ``report``)
contributes its verbs in an ``ops.py`` mixin; the CLI and the web app call those same methods.
"""

from __future__ import annotations

import sqlalchemy as sa

from docket.domain import Claim
from docket.store import Store


class Ops:
    store: Store
    actor: str

    def _after_claim_review(self, conn: sa.Connection, claim: Claim, reason: str) -> None:
        """What a stage does, in the review's transaction, once a claim is accepted or rejected
        (the link stage takes a rejected claim out of its incident's figures)."""
