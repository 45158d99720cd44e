"""What handlers owe callers: call-backs they promised, and overdue referrals whose caller
has not been told. Telling the caller before they chase is the point: a follow-up is done
when a handler calls back (an outbound contact), and the MI counts those made before the
caller chased and after.

A caller is told about an overdue referral when, after it fell due, a handler called
them back about it (a follow-up done, an overdue one or a promised call-back about that
referral), or they rang about it themselves (a caller's chase: the handler who took it
saw it overdue). A call before it fell due tells them nothing about its being late."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, lazyload, sessionmaker

from frontdoor.access.audit import AuditEvent, AuditTrail, Concerns
from frontdoor.db.engine import unit
from frontdoor.interactions.tables import ContactRow
from frontdoor.local_time import Clock
from frontdoor.referrals.model import FollowUp, FollowUpKind, Referral
from frontdoor.referrals.states import WAITING
from frontdoor.referrals.store import ReferralError, changed, to_referral
from frontdoor.referrals.tables import FollowUpRow, ReferralChaseRow, ReferralRow


class AlreadyDone(ReferralError):
    """Another handler made this follow-up first (two lists showed the same one)."""

    def __init__(self, follow_up: FollowUp, by: str | None, at: dt.datetime) -> None:
        what = follow_up.referral_id or "this call-back"
        super().__init__(f"{by or 'someone'} already called the caller back about {what}")
        self.by = by
        self.at = at


def to_follow_up(row: FollowUpRow, caller_name: str | None = None) -> FollowUp:
    return FollowUp(
        id=row.id,
        kind=cast(FollowUpKind, row.kind),
        due_at=row.due_at,
        why=row.why,
        contact_id=row.contact_id,
        referral_id=row.referral_id,
        who=row.who,
        caller_key=row.caller_key,
        caller_name=row.caller_name or caller_name,
        created_at=row.created_at,
        done_at=row.done_at,
        done_by=row.done_by,
        outbound_contact_id=row.outbound_contact_id,
    )


def owed_for(referral: Referral, caller_name: str | None = None) -> FollowUp:
    """An overdue referral as a follow-up not yet stored: the caller is owed news."""
    return FollowUp(
        id=None,
        kind="overdue",
        due_at=referral.due_at,
        why=f"{referral.id} to {referral.service_name} is overdue: tell the caller",
        contact_id=referral.contact_id,
        referral_id=referral.id,
        caller_key=referral.caller_key,
        caller_name=caller_name,
        service_name=referral.service_name,
    )


def told_since_due(at: dt.datetime) -> ColumnElement[bool]:
    """The referral's caller was told, by `at`, after it fell due (the wallboard counts
    the follow-ups owed with this too)."""
    called_back = exists().where(
        FollowUpRow.referral_id == ReferralRow.id,
        FollowUpRow.done_at > ReferralRow.due_at,
        FollowUpRow.done_at <= at,
    )
    rang = exists().where(
        ReferralChaseRow.referral_id == ReferralRow.id,
        ReferralChaseRow.kind == "caller",
        ReferralChaseRow.at > ReferralRow.due_at,
        ReferralChaseRow.at <= at,
    )
    return called_back | rang


class FollowUps:
    """With `audit`, a call-back promised or made writes its audit row in the same
    transaction, at this store's time."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Clock, audit: AuditTrail | None = None
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._audit = audit

    def _audited(
        self,
        session: Session,
        row: FollowUpRow,
        detail: str,
        referral: ReferralRow | None = None,
    ) -> None:
        """A change to the referral it is about (`referral`, when the caller has it in
        hand), else to the contact it was promised in; last in the unit of work (see
        append_many)."""
        if self._audit is None:
            return
        if referral is None and row.referral_id:
            referral = session.get(ReferralRow, row.referral_id, options=[lazyload("*")])
        if referral is not None:
            event, concerns = changed(referral, detail)
        else:
            person = session.scalar(
                select(ContactRow.person_id).where(ContactRow.id == row.contact_id)
            )
            event = AuditEvent.CONTACT_CHANGED
            concerns = Concerns(contact_id=row.contact_id, person_id=person, detail=detail)
        self._audit.record(session, event, concerns, at=self._clock())

    def promise(
        self,
        *,
        due_at: dt.datetime,
        why: str,
        who: str,
        contact_id: str | None,
        caller_key: str | None = None,
        caller_name: str | None = None,
        referral_id: str | None = None,
    ) -> FollowUp:
        """A call-back a handler promised the caller."""
        if not why.strip():
            raise ReferralError("say why the caller is to be called back")
        with unit(self._sessions) as session:
            row = FollowUpRow(
                kind="call_back",
                contact_id=contact_id,
                referral_id=referral_id,
                caller_key=caller_key,
                caller_name=caller_name,
                who=who,
                why=why.strip(),
                due_at=due_at,
                created_at=self._clock(),
            )
            session.add(row)
            session.flush()
            self._audited(session, row, "call-back promised")
            return to_follow_up(row)

    def owed(self, at: dt.datetime | None = None) -> list[FollowUp]:
        """Call-backs promised by `at` (default now) and not yet made, and referrals
        overdue at `at` whose caller has not been told since they fell due, earliest due
        first. The caller's name comes from the contact it was promised or made in when
        the follow-up does not hold it. (Referrals are read by the state they are in now,
        so `at` is for now and the recent past, not for history.)"""
        at = at or self._clock()
        with self._sessions() as session:
            promised = [
                to_follow_up(row, name)
                for row, name in session.execute(
                    select(FollowUpRow, ContactRow.caller_name)
                    .outerjoin(ContactRow, ContactRow.id == FollowUpRow.contact_id)
                    .where(
                        FollowUpRow.kind == "call_back",
                        FollowUpRow.done_at.is_(None),
                        FollowUpRow.created_at <= at,
                    )
                )
            ]
            overdue = [
                (to_referral(row), name)
                for row, name in session.execute(
                    select(ReferralRow, ContactRow.caller_name)
                    .join(ContactRow, ContactRow.id == ReferralRow.contact_id)
                    .where(
                        ReferralRow.state.in_(sorted(WAITING)),
                        ReferralRow.due_at < at,
                        ~told_since_due(at),
                    )
                )
            ]
        owed = [owed_for(r, name) for r, name in overdue if r.overdue_at(at)]
        return sorted([*promised, *owed], key=lambda f: (f.due_at, f.referral_id or "", f.id or 0))

    def done(
        self,
        follow_up: FollowUp,
        *,
        by: str,
        outbound_contact_id: str | None,
        at: dt.datetime | None = None,
    ) -> FollowUp:
        """The handler called back: a promised call-back is done, or an overdue
        referral's caller is told (kept as a done follow-up). AlreadyDone when another
        handler made it first: a call-back is made once, and a caller told once of a
        referral's being late."""
        at = at or self._clock()
        with unit(self._sessions) as session:
            referral = None
            if follow_up.id is not None:
                row = session.scalar(
                    select(FollowUpRow).where(FollowUpRow.id == follow_up.id).with_for_update()
                )
                if row is None:
                    raise ReferralError(f"there is no follow-up {follow_up.id}")
                if row.done_at is not None:
                    raise AlreadyDone(follow_up, row.done_by, row.done_at)
            else:
                referral = self._check_not_told(session, follow_up)
                row = FollowUpRow(
                    kind=follow_up.kind,
                    contact_id=follow_up.contact_id,
                    referral_id=follow_up.referral_id,
                    caller_key=follow_up.caller_key,
                    caller_name=follow_up.caller_name,
                    why=follow_up.why,
                    due_at=follow_up.due_at,
                    created_at=at,
                )
                session.add(row)
            row.done_at = at
            row.done_by = by
            row.outbound_contact_id = outbound_contact_id
            session.flush()
            done_in = f"follow-up done in {outbound_contact_id or 'a call'}"
            self._audited(session, row, done_in, referral)
            return to_follow_up(row)

    def _check_not_told(self, session: Session, follow_up: FollowUp) -> ReferralRow | None:
        """Under a lock on the referral, so that two handlers calling at once do not both
        count as the one who told the caller. The referral locked (None: there is none to
        lock), for the audit row, as the session may not keep it (it holds a row it has
        not changed only while something else does)."""
        if follow_up.referral_id is None:
            return None
        referral = session.scalar(
            select(ReferralRow)
            .where(ReferralRow.id == follow_up.referral_id)
            .with_for_update()
            # its history and chases are not wanted here (they load if asked for): read
            # with them, and read again for the audit row, this was most of the time a
            # follow-up took
            .options(lazyload("*"))
        )
        if referral is None:
            raise ReferralError(f"there is no referral {follow_up.referral_id}")
        earlier = session.scalars(
            select(FollowUpRow)
            .where(FollowUpRow.referral_id == referral.id, FollowUpRow.done_at > referral.due_at)
            .order_by(FollowUpRow.done_at)
            .limit(1)
        ).first()
        if earlier is not None and earlier.done_at is not None:
            raise AlreadyDone(follow_up, earlier.done_by, earlier.done_at)
        return referral

    def made(self, since: dt.datetime, until: dt.datetime) -> list[FollowUp]:
        """Follow-ups done in a period (the MI's before and after the caller chased)."""
        with self._sessions() as session:
            rows = session.scalars(
                select(FollowUpRow).where(FollowUpRow.done_at >= since, FollowUpRow.done_at < until)
            )
            return [to_follow_up(r) for r in rows]
