"""The referrals made in a person's contacts, with their follow-ups and handovers, for
their subject access request."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from frontdoor.referrals.follow_ups import to_follow_up
from frontdoor.referrals.model import FollowUp, Referral
from frontdoor.referrals.store import to_referral
from frontdoor.referrals.tables import FollowUpRow, ReferralRow


def referrals_of(session: Session, contact_ids: Sequence[str]) -> list[Referral]:
    if not contact_ids:
        return []
    rows = session.scalars(
        select(ReferralRow)
        .where(ReferralRow.contact_id.in_(list(contact_ids)))
        .order_by(ReferralRow.made_at, ReferralRow.id)
    )
    return [to_referral(r) for r in rows]


def follow_ups_of(
    session: Session, contact_ids: Sequence[str], referral_ids: Sequence[str]
) -> list[FollowUp]:
    """Call-backs promised in these contacts or about these referrals, oldest first."""
    about = []
    if contact_ids:
        about.append(FollowUpRow.contact_id.in_(list(contact_ids)))
    if referral_ids:
        about.append(FollowUpRow.referral_id.in_(list(referral_ids)))
    if not about:
        return []
    rows = session.scalars(
        select(FollowUpRow).where(or_(*about)).order_by(FollowUpRow.created_at, FollowUpRow.id)
    )
    return [to_follow_up(r) for r in rows]
