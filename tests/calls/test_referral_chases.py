"""A call and the referrals it is about: a chase linked to its referral and counted once per
contact, a chase to the team for an overdue one only, the chasing script routed by the
record, a service taken back before wrap-up, and a call-back promised at wrap-up."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.calls import journal
from frontdoor.calls.chases import CallBack, ChaseRefused
from frontdoor.interactions.model import NewContact, ServiceTakenBackWrite, WrapUp
from frontdoor.interactions.tables import ContactServiceRow
from frontdoor.mi.figures import Figures
from frontdoor.mi.period import Period
from tests.referrals.test_making import referred_falls_call

DAY = 24 * 3600
ADA = {
    "caller": "01472 000111",
    "subject_name": "Ada Lovelace",
    "subject_dob": dt.date(1940, 5, 1),
    "subject_postcode": "DN32 7DL",
}
# no danger, no harm, something already arranged: the chasing script; a referral to the
# falls team, and she has not got worse
TO_CHASING = ["No", "No", "Yes", "A referral or assessment", "Falls prevention", "No"]


def chasing_call(front, handler: str = "h.smith"):
    call = front.call_service().start(NewContact(handler=handler, **ADA))
    for answer in TO_CHASING:
        call.answer(answer)
    return call


def test_an_overdue_referral_is_chased_with_the_team_without_the_handler_judging(front, clock):
    referred_falls_call(front, clock)  # made Monday, due the end of Wednesday
    clock.advance(3 * DAY)  # Thursday
    call = chasing_call(front)
    assert call.triage.node_name == "chase_overdue"
    [referral] = call.open_referrals
    assert referral.overdue_at(clock.now)

    # the handler phones the falls team while the caller holds: one key, recorded now
    clock.advance(60)
    chased = call.chase_team(referral.id)
    [team] = chased.chases
    assert (team.kind, team.by, team.at, team.contact_id) == (
        "team",
        "h.smith",
        clock.now,
        call.contact_id,
    )
    assert chased.caller_chases == 0  # the team's chase is not the caller's
    assert call.open_referrals == [chased]  # the list on screen shows it


def test_a_referral_within_its_time_is_answered_from_the_record(front, clock):
    referred_falls_call(front, clock)
    clock.advance(DAY)  # Tuesday: due tomorrow night
    call = chasing_call(front)
    assert call.triage.node_name == "within_time"
    assert call.facts.person_open_referrals == 1 and call.facts.person_overdue_referrals == 0
    [referral] = call.open_referrals
    with pytest.raises(ChaseRefused, match=r"is not overdue \(requested, due Wed 25 Nov 23:59\)"):
        call.chase_team(referral.id)
    assert front.referrals.get(referral.id).chases == ()  # nothing written


def test_a_chase_is_linked_to_its_referral_once_per_contact_and_suggests_chasing(front, clock):
    referred_falls_call(front, clock)
    clock.advance(DAY)
    # a call not through the chasing script: the handler says it is about the referral
    call = front.call_service().start(NewContact(handler="h.smith", **ADA))
    assert call.suggested_demand() == "information_request"
    referral_id = call.open_referrals[0].id
    with pytest.raises(ChaseRefused, match="R-2026-000999 is not one of the open referrals"):
        call.link_chase("R-2026-000999")
    linked = call.link_chase(f" {referral_id.lower()} ")  # as typed
    again = call.link_chase(referral_id)  # pressed twice: still one chase by this contact
    assert linked.caller_chases == again.caller_chases == 1
    assert front.referrals.get(referral_id).chases[0].contact_id == call.contact_id
    assert call.suggested_demand() == "progress_chasing"

    # the console closed mid-call: the resumed call knows what it is about
    resumed = front.call_service().resume(call.contact_id)
    assert resumed.chased == {referral_id}
    assert resumed.suggested_demand() == "progress_chasing"
    # a second contact chasing the same referral counts again
    clock.advance(600)
    other = front.call_service().start(NewContact(handler="h.jones", **ADA))
    assert other.link_chase(referral_id).caller_chases == 2


def test_a_service_taken_back_is_kept_for_the_audit_and_makes_no_referral(front, clock):
    call = front.call_service().start(NewContact(handler="h.jones", **ADA))
    index = front.index
    falls, alarm = index.by_id["falls-prevention-service"], index.by_id["telecare-service"]
    call.choose(falls, "referred")
    call.choose(alarm, "signposted")
    call.choose(falls, "signposted")
    with pytest.raises(IndexError):
        call.take_back(4)
    assert call.take_back(1) == (falls, "referred")  # the referral was recorded in error
    assert [(s.id, a) for s, a in call.chosen] == [
        ("telecare-service", "signposted"),
        ("falls-prevention-service", "signposted"),
    ]
    # the script has not ended: what the handler did, the referral taken back
    assert call.suggested_outcome() == "signposted"
    call.wrap_up(WrapUp(outcome="signposted", demand="new_need", category="physical_health"))

    assert front.referrals.made_in(call.contact_id) == []
    contact = front.record.contact(call.contact_id)
    assert [(s.service_id, s.action) for s in contact.services] == [
        ("telecare-service", "signposted"),
        ("falls-prevention-service", "signposted"),
    ]
    with front.sessions() as session:
        rows = session.query(ContactServiceRow).order_by(ContactServiceRow.seq).all()
        assert [(r.service_id, r.action, r.withdrawn_at) for r in rows] == [
            ("falls-prevention-service", "referred", clock.now),
            ("telecare-service", "signposted", None),
            ("falls-prevention-service", "signposted", None),
        ]
        today = clock.now.date()
        sent = Figures(
            session, Period(today, today, "Europe/London"), front.mi_settings(), clock.now
        ).destinations()
    # the MI's destinations count what was done, not what was taken back
    assert sorted((s, a, n) for s, _, a, n in sent) == [
        ("falls-prevention-service", "signposted", 1),
        ("telecare-service", "signposted", 1),
    ]


def test_a_taken_back_service_goes_through_the_journal_and_applies_once(front, clock):
    call = front.call_service().start(NewContact(handler="h.jones"))
    call.choose(front.index.by_id["falls-prevention-service"], "referred")
    write = ServiceTakenBackWrite(
        "step-1", call.contact_id, clock.now, "console-a", "falls-prevention-service", "referred"
    )
    line = journal.to_json(write)
    assert line["kind"] == "taken_back"
    assert journal.from_json(line) == write
    assert front.record.apply(journal.from_json(line)) is True
    assert front.record.apply(write) is False  # replayed: nothing written twice
    assert front.record.contact(call.contact_id).services == []


def test_a_call_back_promised_at_wrap_up_is_on_the_follow_up_list(front, clock):
    referred_falls_call(front, clock)
    clock.advance(DAY)
    call = chasing_call(front)
    call.link_chase(call.open_referrals[0].id)
    later = clock.now + dt.timedelta(days=2)
    for refused, why in (
        (CallBack(later, "  "), "say why"),
        (CallBack(clock.now - dt.timedelta(minutes=1), "news"), "that time has passed"),
        (CallBack(clock.now + dt.timedelta(days=40), "news"), "more than a month away"),
    ):
        with pytest.raises(ChaseRefused, match=why):
            call.check_call_back(refused)
    call.wrap_up(WrapUp(outcome="resolved", demand="progress_chasing"))
    promised = call.promise_call_back(CallBack(later, " Tell her when the falls team rings "))
    [owed] = [f for f in front.follow_ups.owed(later) if f.kind == "call_back"]
    assert owed == promised
    assert (owed.due_at, owed.why, owed.who, owed.contact_id) == (
        later,
        "Tell her when the falls team rings",
        "h.smith",
        call.contact_id,
    )
    assert owed.referral_id == call.open_referrals[0].id  # the referral the call was about
    assert owed.caller_key == call.contact.caller_key
