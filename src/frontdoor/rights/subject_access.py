"""`people export`: everything the SPA holds about one person, for their subject access
request (UK GDPR article 15): their entry in the person index and the keys they are
known by; every contact about them or from them, with its answers, notes, script ends,
searches, services and the decisions that linked it to them; the referrals made in those
contacts, with their histories, chases, follow-ups and handovers; their withdrawals of
consent; and who viewed or changed their record (the audit's rows about them, their
contacts or their referrals).

It is the person's own right, not a share with another service, so a withdrawal of
consent to share does not hold it back. Gathered in one read; the export itself is
audited (EXPORT, with the row count and where it went) before it is written out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import AuditEntry, AuditEvent, AuditQuery, AuditTrail, Concerns
from frontdoor.interactions.about_person import contacts_of
from frontdoor.interactions.export import time_text
from frontdoor.interactions.model import Contact
from frontdoor.local_time import Clock
from frontdoor.people.consent import Withdrawal, withdrawals_of
from frontdoor.people.index import known_by, person_held
from frontdoor.people.model import Person
from frontdoor.referrals.about_person import follow_ups_of, referrals_of
from frontdoor.referrals.handovers import HandoverRecord, Handovers
from frontdoor.referrals.interchange import referral_to_json
from frontdoor.referrals.model import FollowUp, Referral

FORMAT = "frontdoor subject access, version 1"


class PersonNotFound(LookupError):
    """No person has this id in the person index."""


@dataclass(frozen=True)
class HeldAbout:
    """What the record holds about one person, gathered for their request."""

    person: Person
    known_by: tuple[str, ...]
    contacts: tuple[Contact, ...]
    referrals: tuple[Referral, ...]
    handovers: dict[str, list[HandoverRecord]]  # referral id -> its handovers
    follow_ups: tuple[FollowUp, ...]
    withdrawals: tuple[Withdrawal, ...]
    audit: tuple[AuditEntry, ...]
    made_at: dt.datetime
    made_by: str

    @property
    def rows(self) -> int:
        """How many records the file holds (the person, and each item of every list)."""
        return 1 + sum(
            len(part)
            for part in (
                self.contacts,
                self.referrals,
                self.follow_ups,
                self.withdrawals,
                self.audit,
            )
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "made_at": time_text(self.made_at),
            "made_by": self.made_by,
            "person": _person(self.person, self.known_by),
            "consent_withdrawals": [_withdrawal(w) for w in self.withdrawals],
            "contacts": [_contact(c, self.person.id) for c in self.contacts],
            "referrals": [
                _referral(r, self.handovers.get(r.id, []), self.follow_ups) for r in self.referrals
            ],
            "call_backs": [_follow_up(f) for f in self.follow_ups if f.referral_id is None],
            "viewed_and_changed_by": [_audit(e) for e in self.audit],
        }


class SubjectAccess:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        audit: AuditTrail,
        handovers: Handovers,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._audit = audit
        self._handovers = handovers

    def gather(self, person_id: str) -> HeldAbout:
        with self._sessions() as session:
            person = person_held(session, person_id)
            if person is None:
                raise PersonNotFound(f"there is no person {person_id!r} in the person index")
            keys = tuple(known_by(session, person_id))
            contacts = contacts_of(session, person)
            contact_ids = [c.id for c in contacts]
            referrals = referrals_of(session, contact_ids)
            referral_ids = [r.id for r in referrals]
            follow_ups = follow_ups_of(session, contact_ids, referral_ids)
            withdrawals = withdrawals_of(session, person_id)
        entries = self._audit.entries(
            AuditQuery(
                person_id=person_id,
                contact_ids=frozenset(contact_ids),
                referral_ids=frozenset(referral_ids),
            )
        )
        return HeldAbout(
            person=person,
            known_by=keys,
            contacts=tuple(contacts),
            referrals=tuple(referrals),
            handovers={r: self._handovers.recorded(r) for r in referral_ids},
            follow_ups=tuple(follow_ups),
            withdrawals=tuple(withdrawals),
            audit=tuple(entries),
            made_at=self._clock(),
            made_by=self._audit.actor.user,
        )

    def record_export(self, held: HeldAbout, destination: str) -> None:
        """Audited before the file is written: an export that contains personal data."""
        self._audit.record_now(
            AuditEvent.EXPORT,
            Concerns(
                person_id=held.person.id,
                row_count=held.rows,
                destination=destination,
                detail=(
                    f"subject access: {len(held.contacts)} contact(s), "
                    f"{len(held.referrals)} referral(s), {len(held.audit)} audit row(s)"
                ),
            ),
        )


# --- the file's parts ------------------------------------------------------------------
def _person(person: Person, known_by: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "date_of_birth": person.dob.isoformat() if person.dob else None,
        "postcode": person.postcode,
        "nhs_number": person.nhs_number,
        "phone": person.phone,
        "known_by": list(known_by),
    }


def _withdrawal(w: Withdrawal) -> dict[str, Any]:
    return {
        "withdrawn_at": time_text(w.withdrawn_at),
        "recorded_by": w.recorded_by,
        "note": w.note,
        "restored_at": time_text(w.restored_at),
        "restored_by": w.restored_by,
    }


def _contact(c: Contact, person_id: str) -> dict[str, Any]:
    return {
        "id": c.id,
        "about_them": c.person_id == person_id,
        "channel": c.channel,
        "caller_type": c.caller_type,
        "caller": {"name": c.caller_name, "number_or_organisation": c.caller_key},
        "caller_is_them": c.caller_is_person,
        "about": {
            "name": c.subject_name,
            "date_of_birth": c.subject_dob.isoformat() if c.subject_dob else None,
            "postcode": c.subject_postcode,
            "nhs_number": c.subject_nhs_number,
            "language": c.language,
            "interpreter_needed": c.interpreter_needed,
        },
        "consent": {"record": c.consent_record, "share": c.consent_share},
        "category": c.category,
        "received_at": time_text(c.received_at),
        "answered_at": time_text(c.answered_at),
        "ended_at": time_text(c.ended_at),
        "handler": c.handler,
        "answers": [
            {
                "script": a.script,
                "version": a.version,
                "node": a.node,
                "kind": a.kind,
                "answer": list(a.answer) if isinstance(a.answer, tuple) else a.answer,
                "at": time_text(a.at),
            }
            for a in c.answers
        ],
        "ends": [
            {"script": e.script, "version": e.version, "node": e.node, "red_flag": e.red_flag}
            for e in c.ends
        ],
        "searches": [
            {"query": s.query, "at": time_text(s.at), "chosen": s.chosen} for s in c.searches
        ],
        "services": [
            {"service": s.service_id, "name": s.service_name, "action": s.action}
            for s in c.services
        ],
        "outcome": c.outcome,
        "demand": c.demand,
        "notes": c.notes,
        "linked_to_them": [
            {
                "decision": d.decision.value,
                "by": d.by,
                "at": time_text(d.at),
                "evidence": list(d.evidence),
            }
            for d in c.person_decisions
        ],
    }


def _follow_up(f: FollowUp) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "contact": f.contact_id,
        "referral": f.referral_id,
        "why": f.why,
        "who": f.who,
        "due_at": time_text(f.due_at),
        "done_at": time_text(f.done_at),
        "done_by": f.done_by,
    }


def _referral(
    r: Referral, handovers: list[HandoverRecord], follow_ups: tuple[FollowUp, ...]
) -> dict[str, Any]:
    return {
        "contact": r.contact_id,
        "service": r.service_id,
        **referral_to_json(r),
        "follow_ups": [_follow_up(f) for f in follow_ups if f.referral_id == r.id],
        "handovers": [
            {
                "format": h.format,
                "by": h.by,
                "at": time_text(h.at),
                "override": (
                    {"ground": h.override.ground, "reason": h.override.reason, "by": h.override.by}
                    if h.override is not None
                    else None
                ),
            }
            for h in handovers
        ],
    }


def _audit(e: AuditEntry) -> dict[str, Any]:
    c = e.concerns
    return {
        "at": time_text(e.at),
        "user": e.user,
        "role": e.role,
        "workstation": e.workstation,
        "event": e.event,
        "person": c.person_id,
        "contact": c.contact_id,
        "referral": c.referral_id,
        "detail": c.detail,
    }
