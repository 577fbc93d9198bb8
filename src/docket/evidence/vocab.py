"""The evidence vocabularies in ``data/evidence.yaml``: media signatures, location methods,
testimony roles and consent scopes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from docket.errors import InputError
from docket.vocab import Term, _terms_from, data_path, load_yaml

FILE = "evidence.yaml"


@dataclass(frozen=True)
class Signature:
    """A media format recognised by bytes at fixed offsets of a file."""

    media_type: str
    kind: str
    ext: str
    checks: tuple[tuple[int, bytes], ...]

    def matches(self, head: bytes) -> bool:
        return all(head[offset : offset + len(magic)] == magic for offset, magic in self.checks)


@cache
def signatures() -> tuple[Signature, ...]:
    found = []
    for entry in load_yaml(FILE)["media_types"]:
        checks = [(int(entry.get("offset", 0)), bytes.fromhex(entry["magic"]))]
        if also := entry.get("also"):
            checks.append((int(also.get("offset", 0)), bytes.fromhex(also["magic"])))
        found.append(Signature(entry["media_type"], entry["kind"], entry["ext"], tuple(checks)))
    return tuple(found)


def sniff(head: bytes) -> Signature | None:
    """The first known format whose signature matches the first bytes of a file."""
    return next((s for s in signatures() if s.matches(head)), None)


@cache
def terms(key: str) -> dict[str, Term]:
    return {t.id: t for t in _terms_from(data_path(FILE), key)}


def check_term(key: str, value: str, option: str) -> str:
    """``value`` if it is an id of vocabulary ``key``, else an error listing the valid ids."""
    known = terms(key)
    if value not in known:
        raise InputError(f"{option} {value!r} is not one of: {', '.join(known)}")
    return value
