"""One bounded memo for the caches of long runs (a run sees each text once: a cache that kept
everything would grow with the corpus)."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def remember(cache: dict[Any, Any], key: Any, value: T, limit: int = 50_000) -> T:
    """Keep ``value`` for ``key`` in ``cache``, emptied first when it holds ``limit`` entries;
    returns ``value``."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value
