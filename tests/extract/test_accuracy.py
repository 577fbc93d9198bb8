"""Error classes found on real reports, each with a hand-written sentence in their style."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docket.extract.output import claim_json
from docket.extract.run import extract_text

MONDAY = dt.date(2020, 5, 11)


def claims(text: str, published: dt.date | None = MONDAY) -> list[dict[str, Any]]:
    state = extract_text(text, published=published, language="en")
    return [claim_json(c) for c in state.claims]


def killed(claim: dict[str, Any]) -> tuple[int | None, int | None]:
    return claim["killed_min"], claim["killed_max"]


def test_casualties_a_third_person_is_one_more_death() -> None:
    found = claims(
        "Two civilians were killed on Sunday in air strikes on the town of Sarmin, the monitor "
        "said. A third was killed in shelling on the town of Binnish, it added. "
        "A third of the victims were children, medics said."
    )
    assert [(c["place"], killed(c)) for c in found] == [("Sarmin", (2, 2)), ("Binnish", (1, 1))]


def test_casualties_fighting_after_a_strike_does_not_lend_it_its_toll() -> None:
    found = claims(
        "One woman was killed on Sunday when warplanes struck the town of Binnish. "
        "Fierce fighting nearby took the death toll to 40, including 25 soldiers and 15 rebels."
    )
    assert [(c["place"], killed(c)) for c in found] == [("Binnish", (1, 1))]
