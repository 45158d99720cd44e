"""What handlers owe callers: promised call-backs, and overdue referrals whose caller has
not been told since they fell due; a follow-up is made once, by an outbound call."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.access.audit import AuditEvent, AuditQuery
from frontdoor.interactions.model import OUTBOUND, NewContact
from frontdoor.referrals.follow_ups import AlreadyDone
from frontdoor.referrals.model import FollowUp
from frontdoor.referrals.store import StateChange
from tests.referrals.test_making import referred_falls_call

# the falls referral is made on Monday 23 November 2026 at about 09:00 (GMT), "2 working
# days": due at the end of Wednesday 25th
DUE = dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)
WEDNESDAY_NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
THURSDAY = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def call_back(front, clock, follow_up: FollowUp, at: dt.datetime, by: str = "h.smith"):
    """An outbound contact to the caller at `at`, and the follow-up marked done with it."""
    clock.now = at
    call = front.call_service().start(
        NewContact(handler=by, channel=OUTBOUND, caller=follow_up.caller_key, consent_record=True)
    )
    return front.follow_ups.done(follow_up, by=by, outbound_contact_id=call.contact_id)


def test_promised_call_backs_are_owed_earliest_first_until_made_once(front, clock):
    call = referred_falls_call(front, clock, caller_name="Doreen Price")
    later = front.follow_ups.promise(
        due_at=THURSDAY, why="say when the assessment is", who="h.jones", contact_id=call.contact_id
    )
    sooner = front.follow_ups.promise(
        due_at=WEDNESDAY_NOON,
        why="check the key safe number",
        who="h.jones",
        contact_id=call.contact_id,
        caller_key="+441472000111",
        caller_name="Mrs Price",
    )
    owed = front.follow_ups.owed()
    assert [f.why for f in owed] == ["check the key safe number", "say when the assessment is"]
    # the name given with the promise, else the caller's name on the contact it came from
    assert [f.caller_name for f in owed] == ["Mrs Price", "Doreen Price"]
    assert owed[1].who == "h.jones" and owed[1].kind == "call_back"

    done = call_back(front, clock, sooner, WEDNESDAY_NOON)
    assert done.done_by == "h.smith" and done.outbound_contact_id is not None
    assert front.record.contact(done.outbound_contact_id).channel == OUTBOUND
    assert [f.id for f in front.follow_ups.owed()] == [later.id]
    with pytest.raises(AlreadyDone, match=r"h\.smith already called the caller back") as refused:
        front.follow_ups.done(sooner, by="h.other", outbound_contact_id=None)
    assert refused.value.at == WEDNESDAY_NOON


def test_an_overdue_referral_is_owed_once_it_falls_due_until_the_caller_is_told(door, clock):
    front = door
    call = referred_falls_call(front, clock, caller_name="Doreen Price")
    [referral] = front.referrals.made_in(call.contact_id)
    assert referral.due_at == DUE
    assert front.follow_ups.owed(WEDNESDAY_NOON) == []  # not due yet
    assert front.follow_ups.owed(DUE) == []  # due, not past it
    [owed] = front.follow_ups.owed(THURSDAY)
    assert (owed.kind, owed.referral_id, owed.id) == ("overdue", referral.id, None)
    assert owed.due_at == DUE and owed.service_name == "Falls Prevention Service"
    assert (owed.caller_key, owed.caller_name) == ("+441472000111", "Doreen Price")

    call_back(front, clock, owed, THURSDAY)
    assert front.follow_ups.owed(FRIDAY) == []  # told after it fell due: nothing owed
    with pytest.raises(AlreadyDone):  # a second handler with yesterday's list
        front.follow_ups.done(owed, by="h.other", outbound_contact_id=None, at=FRIDAY)


def test_a_call_before_it_fell_due_tells_nothing_and_a_later_overdue_still_shows(front, clock):
    call = referred_falls_call(front, clock)
    [first] = front.referrals.made_in(call.contact_id)
    # a call-back about it, promised and made on Tuesday: before it fell due
    promised = front.follow_ups.promise(
        due_at=WEDNESDAY_NOON,
        why="check it was received",
        who="h.jones",
        contact_id=call.contact_id,
        caller_key="+441472000111",
        referral_id=first.id,
    )
    call_back(front, clock, promised, dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC))
    # a second referral for the same caller, made on Tuesday: due the end of Thursday
    clock.now = dt.datetime(2026, 11, 24, 11, 0, tzinfo=dt.UTC)
    second = front.referrals.made_in(referred_falls_call(front, clock).contact_id)[0]
    assert [f.referral_id for f in front.follow_ups.owed(THURSDAY)] == [first.id]

    [owed] = front.follow_ups.owed(THURSDAY)
    call_back(front, clock, owed, THURSDAY)
    # the caller was told of the first; the second falls due later and is owed then
    assert [f.referral_id for f in front.follow_ups.owed(FRIDAY)] == [second.id]


def test_a_callers_chase_after_it_fell_due_or_the_team_acting_drops_it(door, clock):
    front = door
    chased = front.referrals.made_in(referred_falls_call(front, clock).contact_id)[0]
    accepted = front.referrals.made_in(referred_falls_call(front, clock).contact_id)[0]
    waiting = front.referrals.made_in(referred_falls_call(front, clock).contact_id)[0]
    # a chase before it fell due says nothing of its being late; a team chase tells the
    # caller nothing at all
    front.referrals.chase(chased.id, "caller", contact_id="C-1", by="h.jones", at=WEDNESDAY_NOON)
    front.referrals.chase(waiting.id, "team", contact_id=None, by="h.jones", at=THURSDAY)
    assert [f.referral_id for f in front.follow_ups.owed(FRIDAY)] == [
        chased.id,
        accepted.id,
        waiting.id,
    ]
    # the caller rang on Thursday and the handler saw it overdue; the team accepted one
    front.referrals.chase(chased.id, "caller", contact_id="C-2", by="h.jones", at=THURSDAY)
    front.referrals.change(StateChange(accepted.id, "accepted", THURSDAY, "falls team"))
    assert [f.referral_id for f in front.follow_ups.owed(FRIDAY)] == [waiting.id]


def test_each_follow_up_is_audited_as_a_change_to_what_it_is_about(door, clock):
    """A follow-up done about a referral is a change to that referral (naming its contact
    and person); a call-back promised about no referral is a change to its contact."""
    front = door
    call = referred_falls_call(front, clock, caller_name="Doreen Price")
    [referral] = front.referrals.made_in(call.contact_id)
    person = front.record.contact(call.contact_id).person_id
    assert person is not None
    promised = front.follow_ups.promise(
        due_at=THURSDAY, why="say when the assessment is", who="h.jones", contact_id=call.contact_id
    )
    [owed] = [f for f in front.follow_ups.owed(THURSDAY) if f.kind == "overdue"]
    done = call_back(front, clock, owed, THURSDAY)
    changed = [
        (e.event, e.concerns.referral_id, e.concerns.contact_id, e.concerns.person_id)
        for e in front.trail.entries(
            AuditQuery(
                events=frozenset(
                    {AuditEvent.REFERRAL_CHANGED.value, AuditEvent.CONTACT_CHANGED.value}
                )
            )
        )
        if (e.concerns.detail or "").startswith(("follow-up done", "call-back promised"))
    ]
    assert changed == [
        (AuditEvent.CONTACT_CHANGED, None, call.contact_id, person),
        (AuditEvent.REFERRAL_CHANGED, referral.id, call.contact_id, person),
    ]
    assert promised.id is not None and done.outbound_contact_id is not None
