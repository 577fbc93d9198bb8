"""Treaty status per state (``data/law/treaties.yaml``): which law binds which party, which courts.

A state party to a treaty is bound by it; where it is not, the customary rules the treaty reflects
bind it instead (the flag says so). Non-state armed groups are bound by common Article 3, by AP II
where the territorial state is party, and by customary IHL. Unknown status is said, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from docket import vocab
from docket.domain import Incident
from docket.errors import ConfigError, one_line


@dataclass(frozen=True)
class Treaties:
    as_of: str
    laws: dict[str, dict[str, Any]]
    states: dict[str, dict[str, Any]]
    non_state: dict[str, list[str]]
    fora_rules: list[dict[str, str]]

    def law_name(self, law: str) -> str:
        return str(self.laws.get(law, {}).get("short", law))

    def status(self, state: str, law: str) -> str:
        """``party``, ``signatory``, ``not_party`` or ``unknown`` (universal treaties: party)."""
        if self.laws.get(law, {}).get("universal"):
            return "party"
        entry = self.states.get(state, {}).get("status", {}).get(law)
        if isinstance(entry, dict):
            entry = entry.get("status")
        return str(entry) if entry else "unknown"

    def since(self, state: str, law: str) -> int | None:
        entry = self.states.get(state, {}).get("status", {}).get(law)
        return entry.get("since") if isinstance(entry, dict) else None

    def describe_basis(self, basis: dict[str, str]) -> dict[str, str]:
        law = basis.get("law", "")
        return {"law": law, "name": self.law_name(law), "provision": basis.get("provision", "")}

    def binding(self, incident: Incident, basis: list[dict[str, str]]) -> list[dict[str, Any]]:
        """For each alleged perpetrator, the laws of ``basis`` binding it and how."""
        laws = list(dict.fromkeys(b.get("law", "") for b in basis))
        territorial = incident.place.country if incident.place else None
        parties = []
        for perp in incident.perpetrators or []:
            term = vocab.actors().get(perp.actor_id)
            kind = str(term["kind"]) if term else "unknown"
            country = str(term["country"]) if term and term["country"] else None
            if kind in ("state", "coalition") and country:
                parties.append(self._state_party(perp.name, country, laws))
            else:
                parties.append(self._non_state_party(perp.name, territorial, laws))
        if not parties:
            parties.append(
                {
                    "party": "unidentified",
                    "state": None,
                    "treaty": [],
                    "customary": [self.law_name(law) for law in laws if self._customary(law)],
                    "note": "no perpetrator identified: whichever party is responsible is bound "
                    "at least by customary IHL",
                }
            )
        return parties

    def _customary(self, law: str) -> bool:
        return bool(self.laws.get(law, {}).get("customary"))

    def _state_party(self, name: str, state: str, laws: list[str]) -> dict[str, Any]:
        treaty, customary, unknown = [], [], []
        for law in laws:
            if self._customary(law):
                customary.append(self.law_name(law))
                continue
            status = self.status(state, law)
            label = self.law_name(law)
            if status == "party":
                since = self.since(state, law)
                treaty.append(f"{label} (party since {since})" if since else label)
            elif status == "unknown":
                unknown.append(f"{label}: status not recorded; check the depositary")
            else:
                word = "signed, not ratified" if status == "signatory" else "not party"
                court = self.laws.get(law, {}).get("court")
                if court:
                    customary.append(
                        f"{label} ({word}: {court} jurisdiction only through the territorial"
                        " state, a declaration or a Security Council referral)"
                    )
                else:
                    customary.append(f"{label} ({word}: the customary rules it reflects apply)")
        return {
            "party": name,
            "state": state,
            "treaty": treaty,
            "customary": customary,
            "unknown": unknown,
        }

    def _non_state_party(
        self, name: str, territorial: str | None, laws: list[str]
    ) -> dict[str, Any]:
        treaty = ["Common Article 3 of the Geneva Conventions"]
        for law in self.non_state.get("through_territorial_state", []):
            if law in laws and territorial and self.status(territorial, law) == "party":
                treaty.append(f"{self.law_name(law)} (territorial state {territorial} is party)")
        return {
            "party": name,
            "state": None,
            "treaty": treaty,
            "customary": [self.law_name(law) for law in laws if self._customary(law)]
            or ["Customary IHL"],
            "unknown": [],
        }

    def fora(self, incident: Incident) -> list[str]:
        """Courts and mechanisms that could hear a case about ``incident``."""
        territorial = incident.place.country if incident.place else None
        states = {territorial} if territorial else set()
        perpetrator_states = set()
        for perp in incident.perpetrators:
            term = vocab.actors().get(perp.actor_id)
            if term and term["kind"] in ("state", "coalition") and term["country"]:
                perpetrator_states.add(str(term["country"]))
        states |= perpetrator_states
        found = []
        for forum in self.fora_rules:
            when = forum.get("when", "always")
            if when == "always":
                found.append(forum["name"])
            elif when == "rome_party":
                parties = sorted(s for s in states if self.status(s, "rome") == "party")
                if parties:
                    found.append(f"{forum['name']} (Rome Statute party: {', '.join(parties)})")
            elif when == "perpetrator_is_state" and perpetrator_states:
                found.append(forum["name"])
        if territorial:
            found += list(self.states.get(territorial, {}).get("mechanisms", []))
        return found


@cache
def load_treaties() -> Treaties:
    path = vocab.data_path("law/treaties.yaml")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read treaty status ({one_line(exc)})") from exc
    for folder in vocab._user_dirs():
        extra = folder / "law" / "treaties.yaml"
        if extra.exists():
            more = yaml.safe_load(extra.read_text(encoding="utf-8")) or {}
            for key in ("laws", "states"):
                raw.setdefault(key, {}).update(more.get(key) or {})
            raw["fora"] = (raw.get("fora") or []) + (more.get("fora") or [])
    return Treaties(
        as_of=str(raw.get("as_of", "")),
        laws=raw.get("laws") or {},
        states=raw.get("states") or {},
        non_state=raw.get("non_state") or {},
        fora_rules=raw.get("fora") or [],
    )
