"""Base of the per-stage operation mixins that make up :class:`docket.Docket`.

Each stage package (``intake``, ``extract``, ``geo``, ``link``, ``evidence``, ``law``, ``report``)
contributes its verbs in an ``ops.py`` mixin; the CLI and the web app call those same methods.
"""

from __future__ import annotations

from docket.store import Store


class Ops:
    store: Store
    actor: str
