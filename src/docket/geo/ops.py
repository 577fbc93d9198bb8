"""Operations of the geo stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

from docket._ops import Ops


class GeoOps(Ops):
    pass
