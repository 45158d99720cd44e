"""The referrals' part of `records purge`: for the referrals made in purged contacts, the
reason (it may be the handler's own words) and what the caller was told go, the keys
become pseudonyms, and every note (the team's, a chase's, a follow-up's, an override's
reason) is replaced by a mark. The service, the states and their times, the chases and
the follow-ups' times stay: the referral figures are counted from them.

A note a state needs (rejected, cancelled, on hold need a reason) is replaced, not
removed, so that a purged referral is still a referral the rules allow (its export loads
again)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from frontdoor.db.chunks import in_chunks
from frontdoor.people.pseudonyms import Pseudonyms
from frontdoor.referrals.tables import (
    ConsentOverrideRow,
    FollowUpRow,
    ReferralChangeRow,
    ReferralChaseRow,
    ReferralRow,
)

REMOVED = "[removed]"


@dataclass
class ReferralsPurged:
    referrals: int = 0
    referral_notes: int = 0
    chase_notes: int = 0
    follow_ups: int = 0
    override_reasons: int = 0

    def counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def changed_since(session: Session, contact_ids: Sequence[str], since: dt.datetime) -> set[str]:
    """Those of the contacts with a referral whose state changed at or after `since`: the
    care they led to went on, and the retention schedule runs from its end."""
    found: set[str] = set()
    for chunk in in_chunks(contact_ids):
        found.update(
            session.scalars(
                select(ReferralRow.contact_id).where(
                    ReferralRow.contact_id.in_(chunk),
                    ReferralRow.state_at >= since,
                )
            )
        )
    return found


def purge_referrals(
    session: Session, contact_ids: Sequence[str], pseudonyms: Pseudonyms
) -> ReferralsPurged:
    done = ReferralsPurged()
    for chunk in in_chunks(contact_ids):
        _purge_chunk(session, chunk, pseudonyms, done)
    return done


def _purge_chunk(
    session: Session, contacts: list[str], pseudonyms: Pseudonyms, done: ReferralsPurged
) -> None:
    rows = session.execute(
        select(ReferralRow.id, ReferralRow.caller_key, ReferralRow.subject_key).where(
            ReferralRow.contact_id.in_(contacts)
        )
    ).all()
    referral_ids = [r.id for r in rows]
    if rows:
        session.execute(
            update(ReferralRow),
            [
                {
                    "id": r.id,
                    "reason": None,
                    "said": None,
                    "caller_key": pseudonyms.key(r.caller_key),
                    "subject_key": pseudonyms.key(r.subject_key),
                }
                for r in rows
            ],
        )
        done.referrals += len(rows)
        done.referral_notes += _replace(
            session,
            ReferralChangeRow,
            ReferralChangeRow.referral_id.in_(referral_ids),
            ReferralChangeRow.note,
        )
        done.chase_notes += _replace(
            session,
            ReferralChaseRow,
            ReferralChaseRow.referral_id.in_(referral_ids),
            ReferralChaseRow.note,
            by=None,
        )
        done.override_reasons += _replace(
            session,
            ConsentOverrideRow,
            ConsentOverrideRow.referral_id.in_(referral_ids),
            ConsentOverrideRow.reason,
        )
    about = [FollowUpRow.contact_id.in_(contacts)]
    if referral_ids:
        about.append(FollowUpRow.referral_id.in_(referral_ids))
    follow_ups = session.execute(
        select(FollowUpRow.id, FollowUpRow.caller_key).where(or_(*about))
    ).all()
    if follow_ups:
        session.execute(
            update(FollowUpRow),
            [
                {
                    "id": f.id,
                    "caller_key": pseudonyms.key(f.caller_key),
                    "caller_name": None,
                    "why": REMOVED,
                }
                for f in follow_ups
            ],
        )
        done.follow_ups += len(follow_ups)


def _replace(
    session: Session,
    table: type[Any],
    where: ColumnElement[bool],
    column: InstrumentedAttribute[Any],
    by: str | None = REMOVED,
) -> int:
    """Every text of `column` held, replaced by `by` (the mark, or nothing); how many."""
    found = session.scalars(
        select(table.id).where(where, column.is_not(None), column != by if by else true())
    ).all()
    if found:
        session.execute(update(table), [{"id": i, column.key: by} for i in found])
    return len(found)
