"""Referrals for the MI benchmark: one for each contact that referred someone, with the
history a team's answers give it (received, accepted or rejected, started, completed;
some never answered), the callers' chases of the late ones and the follow-ups that told
some callers first. Written in bulk beside the contacts, so that the report's referral
figures are timed on a year as the SPA would have it.

Each referral has a random stream of its own (from the seed and its contact), so the
contacts are the same with referrals as without."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from frontdoor.interactions.model import Contact
from frontdoor.local_time import BankHolidays
from frontdoor.referrals.tables import (
    FollowUpRow,
    ReferralChangeRow,
    ReferralChaseRow,
    ReferralRow,
)
from frontdoor.response_times import ResponseTime, due_at

ZONE = "Europe/London"
HOLIDAYS = BankHolidays()
# how soon teams are asked to answer, and how often
WITHIN = [
    (ResponseTime(4, "hours"), 0.1),
    (ResponseTime(24, "hours"), 0.2),
    (ResponseTime(2, "working_days"), 0.4),
    (ResponseTime(5, "working_days"), 0.3),
]
NEVER_ANSWERED = 0.08  # still requested or received: overdue for good once due
DECISIONS = (("accepted", 0.86), ("rejected", 0.10), ("cancelled", 0.04))
REASONS = {"rejected": "does not meet the criteria", "cancelled": "no longer needed"}
DAY = dt.timedelta(days=1)


@dataclass
class ReferralRows:
    """The rows of many referrals, for one bulk insert of each table."""

    referrals: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    chases: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)

    def write(self, session: Session) -> int:
        for table, rows in (
            (ReferralRow, self.referrals),
            (ReferralChangeRow, self.changes),
            (ReferralChaseRow, self.chases),
            (FollowUpRow, self.follow_ups),
        ):
            if rows:
                session.execute(insert(table), rows)
        written = len(self.referrals)
        self.referrals, self.changes, self.chases, self.follow_ups = [], [], [], []
        return written


def _history(
    rng: random.Random, made: dt.datetime, due: dt.datetime
) -> list[tuple[str, dt.datetime, str | None]]:
    """(state, at, reason) in order: most teams answer in about two fifths of the time
    they were given, one answer in ten comes late, a few never come."""
    history: list[tuple[str, dt.datetime, str | None]] = [("requested", made, None)]
    if rng.random() < NEVER_ANSWERED:
        if rng.random() < 0.3:
            history.append(("received", made + (due - made) * rng.uniform(0.1, 0.5), None))
        return history
    answered = made + (due - made) * rng.lognormvariate(-0.9, 0.7)
    if rng.random() < 0.5:
        history.append(("received", made + (answered - made) * rng.uniform(0.1, 0.6), None))
    decision = rng.choices([d for d, _ in DECISIONS], [w for _, w in DECISIONS])[0]
    history.append((decision, answered, REASONS.get(decision)))
    if decision == "accepted":
        started = answered + DAY * rng.expovariate(1 / 2)
        if rng.random() < 0.9:
            history.append(("in-progress", started, None))
            if rng.random() < 0.85:
                history.append(("completed", started + DAY * rng.expovariate(1 / 10), None))
        elif rng.random() < 0.5:
            history.append(("completed", started, None))
    return history


def add_referral(rows: ReferralRows, contact: Contact, seed: int, until: dt.datetime) -> None:
    """The referral of a contact that referred someone (its first service), with what
    happened to it up to `until` (none if it was made after). Its id is the contact's
    ("R-20250101-00001"), so that the days a benchmark writes in turn never give two
    referrals one id."""
    made = contact.ended_at or contact.received_at
    if made > until:  # not made yet
        return
    referral_id = f"R-{contact.id.removeprefix('b-')}"
    rng = random.Random(f"{seed}:{contact.id}:referral")
    within = rng.choices([w for w, _ in WITHIN], [p for _, p in WITHIN])[0]
    due = due_at(made, within, ZONE, HOLIDAYS)
    service = contact.services[0]
    history = [h for h in _history(rng, made, due) if h[1] <= until]
    rows.referrals.append(
        {
            "id": referral_id,
            "contact_id": contact.id,
            "service_seq": 1,
            "subject_key": contact.subject_key,
            "caller_key": contact.caller_key,
            "category": contact.category,
            "service_id": service.service_id,
            "service_name": service.service_name,
            "red_flags": [],
            "consent_share": True,
            "respond_within": str(within),
            "due_from": "category",
            "made_at": made,
            "due_at": due,
            "state": history[-1][0],
            "state_at": history[-1][1],
        }
    )
    rows.changes += [
        {
            "referral_id": referral_id,
            "seq": seq,
            "state": state,
            "at": at,
            "by": contact.handler if seq == 1 else "the team",
            "note": note,
            "recorded_at": at,
            "source": "call" if seq == 1 else "update",
        }
        for seq, (state, at, note) in enumerate(history, start=1)
    ]
    answered = next(
        (at for state, at, _ in history if state not in ("requested", "received")), None
    )
    _chases_and_follow_ups(rows, rng, contact, referral_id, made, due, answered, until)


def _chases_and_follow_ups(
    rows: ReferralRows,
    rng: random.Random,
    contact: Contact,
    referral_id: str,
    made: dt.datetime,
    due: dt.datetime,
    answered: dt.datetime | None,
    until: dt.datetime,
) -> None:
    """Callers chase late referrals (up to three times, in the days after the due time,
    until the team answers), a few chase early; some late ones are rung first."""
    late = answered is None or answered > due
    if late:
        times = [
            due + DAY * rng.uniform(0.1, 4)
            for _ in range(rng.choices([0, 1, 2, 3], [35, 35, 20, 10])[0])
        ]
    else:
        times = [made + (due - made) * rng.uniform(0.3, 0.9)] if rng.random() < 0.04 else []
    stop = min(answered or until, until)
    rows.chases += [
        {
            "referral_id": referral_id,
            "contact_id": f"{contact.id}-chase-{n}",
            "kind": "caller",
            "at": at,
            "by": contact.handler,
            "note": None,
        }
        for n, at in enumerate(sorted(times), start=1)
        if at <= stop
    ]
    told = due + DAY * rng.uniform(0.05, 1.5)
    if late and rng.random() < 0.35 and told <= stop:
        rows.follow_ups.append(_follow_up("overdue", contact, referral_id, due, told, told))
    if rng.random() < 0.03:  # a call-back the handler promised about it
        done = made + DAY * rng.uniform(0.5, 1.5)
        if done <= until:
            promised = _follow_up("call_back", contact, referral_id, made + DAY, made, done)
            rows.follow_ups.append(promised)


def _follow_up(
    kind: str,
    contact: Contact,
    referral_id: str,
    due: dt.datetime,
    created: dt.datetime,
    done: dt.datetime,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "contact_id": contact.id,
        "referral_id": referral_id,
        "caller_key": contact.caller_key,
        "why": "tell the caller where the referral is",
        "who": contact.handler,
        "due_at": due,
        "created_at": created,
        "done_at": done,
        "done_by": contact.handler,
        "outbound_contact_id": None,
    }
