"""What handlers owe callers: call-backs they promised, and overdue referrals whose caller
has not been told. Telling the caller before they chase is the point: a follow-up is done
when a handler calls back (an outbound contact), and the MI counts those made before the
caller chased and after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.local_time import Clock
from frontdoor.referrals.model import FollowUp, FollowUpKind, Referral
from frontdoor.referrals.states import WAITING
from frontdoor.referrals.store import ReferralError, to_referral
from frontdoor.referrals.tables import FollowUpRow, ReferralRow


def to_follow_up(row: FollowUpRow) -> FollowUp:
    return FollowUp(
        id=row.id,
        kind=cast(FollowUpKind, row.kind),
        due_at=row.due_at,
        why=row.why,
        contact_id=row.contact_id,
        referral_id=row.referral_id,
        who=row.who,
        caller_key=row.caller_key,
        caller_name=row.caller_name,
        created_at=row.created_at,
        done_at=row.done_at,
        done_by=row.done_by,
        outbound_contact_id=row.outbound_contact_id,
    )


def owed_for(referral: Referral) -> FollowUp:
    """An overdue referral as a follow-up not yet stored: the caller is owed news."""
    return FollowUp(
        id=None,
        kind="overdue",
        due_at=referral.due_at,
        why=f"{referral.id} to {referral.service_name} is overdue: tell the caller",
        contact_id=referral.contact_id,
        referral_id=referral.id,
        caller_key=referral.caller_key,
    )


class FollowUps:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

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
        with self._unit() as session:
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
            return to_follow_up(row)

    def owed(self, at: dt.datetime | None = None) -> list[FollowUp]:
        """Call-backs not yet made, and overdue referrals whose caller has not been told
        since they fell due, earliest due first."""
        at = at or self._clock()
        with self._sessions() as session:
            promised = [
                to_follow_up(r)
                for r in session.scalars(
                    select(FollowUpRow).where(
                        FollowUpRow.kind == "call_back", FollowUpRow.done_at.is_(None)
                    )
                )
            ]
            overdue = [
                to_referral(r)
                for r in session.scalars(
                    select(ReferralRow).where(
                        ReferralRow.state.in_(sorted(WAITING)), ReferralRow.due_at < at
                    )
                )
            ]
            told = {
                (r.referral_id, r.done_at)
                for r in session.scalars(
                    select(FollowUpRow).where(
                        FollowUpRow.kind == "overdue", FollowUpRow.done_at.is_not(None)
                    )
                )
            }
        told_after: dict[str, dt.datetime] = {}
        for referral_id, done_at in told:
            if referral_id and done_at:
                told_after[referral_id] = max(done_at, told_after.get(referral_id, done_at))
        owed = [
            owed_for(r)
            for r in overdue
            if r.overdue_at(at) and told_after.get(r.id, r.due_at) <= r.due_at
        ]
        return sorted([*promised, *owed], key=lambda f: (f.due_at, f.referral_id or ""))

    def done(
        self,
        follow_up: FollowUp,
        *,
        by: str,
        outbound_contact_id: str | None,
        at: dt.datetime | None = None,
    ) -> FollowUp:
        """The handler called back: a promised call-back is done, or an overdue
        referral's caller is told (kept as a done follow-up)."""
        at = at or self._clock()
        with self._unit() as session:
            if follow_up.id is not None:
                row = session.get(FollowUpRow, follow_up.id)
                if row is None:
                    raise ReferralError(f"there is no follow-up {follow_up.id}")
            else:
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
            return to_follow_up(row)

    def made(self, since: dt.datetime, until: dt.datetime) -> list[FollowUp]:
        """Follow-ups done in a period (the MI's before and after the caller chased)."""
        with self._sessions() as session:
            rows = session.scalars(
                select(FollowUpRow).where(FollowUpRow.done_at >= since, FollowUpRow.done_at < until)
            )
            return [to_follow_up(r) for r in rows]
