"""Operations of the report stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

from docket._ops import Ops


class ReportOps(Ops):
    pass
