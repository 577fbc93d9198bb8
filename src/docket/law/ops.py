"""Operations of the law stage, mixed into :class:`docket.Docket`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docket._ops import Ops
from docket.law.facts import remembering_facilities
from docket.law.patterns import Patterns, find_patterns
from docket.law.replies import Reply, add_reply, answer_reply, list_replies
from docket.law.rules import Context, Rule, assess, load_rules
from docket.report.scope import Scope, select_incidents
from docket.store.incidents import get_incident, update_incident


@dataclass
class AssessReport:
    """What ``assess_incidents`` did: incidents looked at, changed, and flags by rule."""

    assessed: int = 0
    changed: list[int] = field(default_factory=list)
    flags_by_rule: dict[str, list[int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "assessed": self.assessed,
            "changed": self.changed,
            "flags_by_rule": self.flags_by_rule,
        }


class LawOps(Ops):
    def legal_rules(self) -> list[Rule]:
        """The legal rules in force (built-in plus ``$DOCKET_DATA/law/rules.yaml``)."""
        return load_rules().rules

    def assess_incidents(self, scope: Scope | None = None) -> AssessReport:
        """Flag incidents in ``scope`` as potential violations; stores changed flags, audit-logged.

        Repeated strikes are looked for among all incidents, not only those in scope.
        """
        report = AssessReport()
        with self.store.write() as conn, remembering_facilities():
            everything = select_incidents(conn, Scope())  # with registry facts, read-only
            chosen = select_incidents(conn, scope) if scope else everything
            ctx = Context(load_rules(), everything)
            for incident in chosen:
                flags = assess(incident, ctx=ctx)
                report.assessed += 1
                for flag in flags:
                    report.flags_by_rule.setdefault(flag["rule"], []).append(incident.id or 0)
                if flags != incident.legal_flags:
                    stored = get_incident(conn, incident.id or 0, for_update=True)
                    changed = stored.model_copy(update={"legal_flags": flags})
                    update_incident(conn, changed, self.actor, "legal assessment", action="assess")
                    report.changed.append(incident.id or 0)
        return report

    def patterns(self, scope: Scope | None = None) -> Patterns:
        """Figures bearing on "widespread" and "systematic", each with its incidents."""
        with self.store.read() as conn, remembering_facilities():
            return find_patterns(select_incidents(conn, scope or Scope()))

    def add_reply(
        self,
        *,
        party: str,
        sent_on: dt.date,
        inquiry: str,
        incident_id: int | None = None,
        finding: str | None = None,
        channel: str | None = None,
        status: str = "awaiting",
        response: str | None = None,
        response_on: dt.date | None = None,
    ) -> Reply:
        """Record an inquiry sent to a party (right of reply), and its answer if already in."""
        reply = Reply(
            incident_id=incident_id,
            finding=finding,
            party=party,
            sent_on=sent_on,
            channel=channel,
            inquiry=inquiry,
            status=status,
            response=response,
            response_on=response_on,
        )
        with self.store.write() as conn:
            new_id = add_reply(conn, reply, self.actor)
        return reply.model_copy(
            update={
                "id": new_id,
                "status": "answered" if response and status == "awaiting" else status,
            }
        )

    def answer_reply(
        self,
        reply_id: int,
        *,
        status: str = "answered",
        response: str | None = None,
        response_on: dt.date | None = None,
    ) -> Reply:
        """Record a party's answer (``answered``/``declined``) or silence (``no_response``)."""
        with self.store.write() as conn:
            return answer_reply(
                conn,
                reply_id,
                self.actor,
                status=status,
                response=response,
                response_on=response_on,
            )

    def replies(
        self,
        *,
        incident_id: int | None = None,
        finding: str | None = None,
        party: str | None = None,
    ) -> list[Reply]:
        """Inquiries sent and answers received, by date sent."""
        with self.store.read() as conn:
            return list_replies(
                conn,
                incident_ids=[incident_id] if incident_id is not None else None,
                finding=finding,
                party=party,
            )
