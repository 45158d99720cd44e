"""`contacts export`, as the person's rights shape it.

In full, it names people: the contacts of anyone whose withdrawal of consent to share
stands are left out, and said so, unless an override is given on a lawful ground (vital
interests, safeguarding), audited for each person it lets through (CONSENT_OVERRIDE, the
ground in its detail).

Pseudonymised, it names nobody: caller and subject keys become their pseudonyms (a
keyed hash under the site secret, which the file's reader does not have), names, dates
of birth, NHS numbers, language and notes are dropped, postcodes cut to the district
(the format carries postcodes only inside subject keys, which are pseudonyms now),
answers the handler typed dropped (the script's own choices kept), search texts
cleaned, and a referral's reason, what the caller was told and every note dropped. Repeat
contacts still link, so verified first-contact resolution computed from the file is
the record's. A withdrawal of consent to share does not hold such a file back: it shares
nothing that identifies the person with whoever reads it, and leaving their contacts out
would make its figures wrong.

Either way the export is audited (EXPORT, with the row count and destination), before
the first line leaves."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import AuditEvent, AuditTrail, Concerns
from frontdoor.interactions.model import Contact
from frontdoor.interactions.purge import SearchCleaner
from frontdoor.interactions.record import Record
from frontdoor.people.consent import withdrawn_people
from frontdoor.people.pseudonyms import Pseudonyms, district
from frontdoor.referrals.handover import Ground
from frontdoor.referrals.interchange import contact_lines, contact_with_referrals
from frontdoor.referrals.model import Referral
from frontdoor.referrals.purge import REMOVED
from frontdoor.referrals.store import ReferralStore
from frontdoor.referrals.triage_path import ScriptVersions
from frontdoor.rights.answers import OfferedAnswers

EVER = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class ExportPlan:
    """What an export will write, counted before anything leaves (the audit row says so)."""

    contacts: int  # lines to be written
    left_out: int  # contacts of people whose withdrawal stands, not written
    withdrawn: frozenset[str] = field(default_factory=frozenset)  # those people
    overridden: frozenset[str] = field(default_factory=frozenset)  # let through, on a ground


class ContactsOut:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        record: Record,
        referrals: ReferralStore,
        audit: AuditTrail,
    ) -> None:
        self._sessions = sessions
        self._record = record
        self._referrals = referrals
        self._audit = audit

    # --- in full ------------------------------------------------------------------------
    def plan(self, override: Ground | None = None) -> ExportPlan:
        with self._sessions() as session:
            withdrawn = frozenset(withdrawn_people(session))
        every = self._record.count_since(EVER)
        theirs = {p: self._record.count_about(p) for p in withdrawn}
        held_back = sum(theirs.values())
        if override is not None:
            let_through = frozenset(p for p, n in theirs.items() if n)
            return ExportPlan(every, 0, withdrawn, let_through)
        return ExportPlan(every - held_back, held_back, withdrawn)

    def lines(self, plan: ExportPlan) -> Iterator[str]:
        """Every contact as a line, but those of people whose withdrawal stands (unless the
        plan lets them through)."""
        hold_back = plan.withdrawn - plan.overridden
        contacts: Iterable[Contact] = (
            c for c in self._record.all_contacts() if c.person_id not in hold_back
        )
        return contact_lines(contacts, self._referrals)

    def record(
        self,
        plan: ExportPlan,
        destination: str,
        *,
        override: Ground | None = None,
        pseudonymised: bool = False,
    ) -> None:
        """The export audited, with each override, in one transaction, before it is
        written."""
        with self._sessions() as session, session.begin():
            for person_id in sorted(plan.overridden):
                self._audit.record(
                    session,
                    AuditEvent.CONSENT_OVERRIDE,
                    Concerns(person_id=person_id, detail=f"{override}: contacts export"),
                )
            what = "pseudonymised" if pseudonymised else "in full"
            held = f", {plan.left_out} left out (consent withdrawn)" if plan.left_out else ""
            self._audit.record(
                session,
                AuditEvent.EXPORT,
                Concerns(
                    row_count=plan.contacts,
                    destination=destination,
                    detail=f"contacts export, {what}{held}",
                ),
            )

    # --- pseudonymised -----------------------------------------------------------------
    def pseudonymised_plan(self) -> ExportPlan:
        return ExportPlan(self._record.count_since(EVER), 0)

    def pseudonymised_lines(
        self,
        pseudonyms: Pseudonyms,
        scripts: ScriptVersions,
        clean_search: SearchCleaner,
        batch: int = 500,
    ) -> Iterator[str]:
        shape = Pseudonymiser(pseudonyms, OfferedAnswers(scripts), clean_search)
        waiting: list[Contact] = []

        def flush() -> Iterator[str]:
            made = self._referrals.made_in_each([c.id for c in waiting])
            for contact in waiting:
                referrals = [shape.referral(r) for r in made.get(contact.id, ())]
                data = contact_with_referrals(shape.contact(contact), referrals)
                yield json.dumps(data, ensure_ascii=False)
            waiting.clear()

        for contact in self._record.all_contacts():
            waiting.append(contact)
            if len(waiting) >= batch:
                yield from flush()
        yield from flush()


@dataclass(frozen=True)
class Pseudonymiser:
    """A contact and its referrals as a pseudonymised export writes them."""

    pseudonyms: Pseudonyms
    offered: OfferedAnswers
    clean_search: SearchCleaner

    def contact(self, c: Contact) -> Contact:
        names = (c.caller_name, c.subject_name)
        return replace(
            c,
            caller_key=self.pseudonyms.key(c.caller_key),
            subject_key=self.pseudonyms.key(c.subject_key),
            caller_name=None,
            subject_name=None,
            subject_dob=None,
            subject_postcode=district(c.subject_postcode),
            subject_nhs_number=None,
            language=None,
            interpreter_needed=False,
            notes=None,
            answers=[
                replace(a, answer=None)
                if a.kind == "answer"
                and a.answer is not None
                and not self.offered(a.script, a.version, a.node, a.answer)
                else a
                for a in c.answers
            ],
            searches=[replace(s, query=self.clean_search(s.query, names)) for s in c.searches],
            person_decisions=[],
        )

    def referral(self, r: Referral) -> Referral:
        return replace(
            r,
            caller_key=self.pseudonyms.key(r.caller_key),
            subject_key=self.pseudonyms.key(r.subject_key),
            reason=None,
            said=None,
            # a state that needs a reason keeps one: the mark
            history=tuple(replace(c, note=REMOVED if c.note else None) for c in r.history),
            chases=tuple(replace(c, note=None) for c in r.chases),
        )
