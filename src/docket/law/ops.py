"""Operations of the law stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

from docket._ops import Ops


class LawOps(Ops):
    pass
