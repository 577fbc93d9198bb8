"""The extraction pipeline: small named components over one document's state.

Components register themselves like spaCy's ``Language.component``: a name, what they ``require``
from components before them and what they ``assign``. A pipeline is a list of names, checked for
order when it is built::

    >>> from docket.extract.pipeline import Pipeline
    >>> state = Pipeline()("Warplanes struck a market in the town of Kafr Halab on Sunday, "
    ...     "killing at least 7 civilians.", published=dt.date(2020, 5, 11))
    >>> [(c.event_type, str(c.date), c.casualties.killed.civilians.low) for c in state.claims]
    [('air_drone_strike', '2020-05-10', 7)]

A third-party component is registered exactly as the built-in ones are (``@component(...)``) and
added to the list of names.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from docket.domain import AggregateClaim, Claim
from docket.errors import ConfigError
from docket.extract.casualties import Figure
from docket.extract.dates import DateHit
from docket.extract.phrases import Hit
from docket.extract.places import PlaceHit
from docket.extract.resources import Resources, resources

EXTRACTOR_NAME = "docket-rules"
EXTRACTOR_VERSION = "1"
MAX_CHARS = 200_000
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,10});")


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    headline: bool = False


@dataclass(slots=True)
class DocState:
    """Everything known about one document while it goes through the pipeline."""

    text: str
    published: dt.date | None = None
    language: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    dates: list[DateHit] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    named_victims: list[Figure] = field(default_factory=list)  # also those a number counts
    none_reported: list[Hit] = field(default_factory=list)
    places: list[PlaceHit] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    aggregates: list[AggregateClaim] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    aggregate_sentences: set[int] | None = None  # see events.aggregate_sentences
    cue_sentences: list[int] | None = None  # see events.cue_sentences
    cue_cache: dict[tuple[int, int], bool] = field(default_factory=dict)
    cue_starts: list[int] = field(default_factory=list)  # see events.has_cue
    cue_starts_of: list[Figure] | None = None  # the figures ``cue_starts`` was built with
    actor_verdicts: dict[int, Any] = field(default_factory=dict)  # see components._actor_verdict
    _starts: list[int] = field(default_factory=list)

    @property
    def res(self) -> Resources:
        return resources()

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding character ``pos``."""
        if not self._starts:
            self._starts = [s.start for s in self.sentences]
        return max(bisect.bisect_right(self._starts, pos) - 1, 0)

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start : s.end]


@dataclass(frozen=True)
class Component:
    name: str
    func: Callable[[DocState], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


COMPONENTS: dict[str, Component] = {}


def component(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()
) -> Callable[[Callable[[DocState], None]], Callable[[DocState], None]]:
    """Register a pipeline component under ``name``."""

    def register(func: Callable[[DocState], None]) -> Callable[[DocState], None]:
        COMPONENTS[name] = Component(
            name, func, tuple(requires), tuple(assigns), (func.__doc__ or "").strip()
        )
        return func

    return register


DEFAULT_PIPELINE = [
    "normalize",
    "sentences",
    "phrases",
    "dates",
    "casualties",
    "places",
    "events",
    "event_type",
    "claims",
    "geocode",
]


class Pipeline:
    """Runs the named components in order on one text at a time."""

    def __init__(self, names: Iterable[str] | None = None) -> None:
        _load_builtin_components()
        self.names = list(names or DEFAULT_PIPELINE)
        assigned: set[str] = set()
        for name in self.names:
            if name not in COMPONENTS:
                known = ", ".join(sorted(COMPONENTS))
                raise ConfigError(f"unknown extraction component {name!r}; known: {known}")
            missing = [r for r in COMPONENTS[name].requires if r not in assigned]
            if missing:
                raise ConfigError(
                    f"component {name!r} requires {', '.join(missing)}, which no component "
                    "before it assigns; reorder the pipeline"
                )
            assigned.update(COMPONENTS[name].assigns)
        self.components = [COMPONENTS[n] for n in self.names]

    def __call__(
        self, text: str, *, published: dt.date | None = None, language: str | None = None
    ) -> DocState:
        state = DocState(text or "", published, language)
        for comp in self.components:
            comp.func(state)
        return state


@cache
def _load_builtin_components() -> None:
    from docket.extract import components  # noqa: F401 - registers the built-ins


def pad_entities(text: str) -> str:
    """Replace HTML entities by the character they name, padded with spaces (offsets unchanged)."""

    def replace(m: re.Match[str]) -> str:
        char = html.unescape(m.group())
        if len(char) != 1 or not char.isprintable():
            char = " "
        return char + " " * (len(m.group()) - 1)

    return _ENTITY.sub(replace, text)
