"""What the record knows about a call, as triage scripts see it: the facts (`person.age`,
`contact.repeat`...) and the moment (`now.*`), so that a script never asks what the record
already knows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from frontdoor.calls.settings import CallSettings
from frontdoor.interactions.demand import is_repeat
from frontdoor.interactions.model import Contact
from frontdoor.referrals.model import Referral
from frontdoor.triage_scripts.facts import Facts, Moment, RepeatIn, whole_years


def age_of(contact: Contact, today: dt.date) -> int | None:
    """The person's age in whole years, when their date of birth is known (and not after
    today, which would be a mistyped date rather than an age)."""
    dob = contact.subject_dob
    if dob is None or dob > today:
        return None
    return whole_years(dob, today)


def facts_for(
    contact: Contact,
    history: list[Contact],
    settings: CallSettings,
    now: dt.datetime,
    referrals: Sequence[Referral] | None = None,
) -> Facts:
    """The facts of a contact as it starts: `history` is the earlier contacts of the same
    caller or person that the call shows (settings.history_days back); `referrals` the
    open referrals about the person or from the caller (None: not known, so the referral
    facts are null)."""
    today = now.astimezone(ZoneInfo(settings.time_zone)).date()
    # the wrap-up's repeat rule, for every category an earlier contact is a repeat in: a
    # script's condition sees it in the category of the script the call is in then
    window = settings.repeat_window_days
    repeats = frozenset(
        c.category for c in history if c.category and is_repeat(c, c.category, now, window)
    )
    return Facts(
        person_age=age_of(contact, today),
        person_open_referrals=None if referrals is None else len(referrals),
        person_overdue_referrals=None
        if referrals is None
        else sum(1 for r in referrals if r.overdue_at(now)),
        caller_type=contact.caller_type,
        caller_is_person=contact.caller_is_person,
        contact_channel=contact.channel,
        contact_repeat=RepeatIn(repeats),
        contact_previous=len(history),
        contact_interpreter=contact.interpreter_needed,
    )


def moment_at(now: dt.datetime, settings: CallSettings) -> Moment:
    """`now` in the service's time zone, and whether it is a bank holiday there."""
    local = now.astimezone(ZoneInfo(settings.time_zone))
    return Moment(local, local.date() in settings.bank_holidays)
