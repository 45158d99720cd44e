"""A referral is made as the contact is wrapped up, from what the call recorded, with the
due time its script end, its service or its category gives; states move only as allowed."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.interactions.model import NewContact, ScriptEnd, WrapUp
from frontdoor.referrals.store import ReferralError, StateChange
from frontdoor.simulation.follow_ups import MadeKept

TO_FALLS = ["No", "No", "No", "A fall, or someone unsteady on their feet"]
# two falls, living with family: the falls prevention service
FALLS_SERVICE = ["No", "No", "No", 2, "No", "No", "No", "No"]


def referred_falls_call(front, clock, **details):
    call = front.call_service().start(
        NewContact(
            handler="h.jones",
            caller="01472 000111",
            subject_name="Ada Lovelace",
            subject_dob=dt.date(1940, 5, 1),
            subject_postcode="DN32 7DL",
            consent_share=True,
            **details,
        )
    )
    for answer in TO_FALLS + FALLS_SERVICE:
        clock.advance(5)
        call.answer(answer)
    for service, action in call.suggested_services():
        call.choose(service, action)
    clock.advance(30)
    call.end_call()
    call.wrap_up(WrapUp(outcome="referred", demand="new_need", notes="lives with daughter"))
    return call


def test_a_wrapped_up_referral_has_an_id_a_due_time_and_its_first_state(door, clock):
    front = door  # on either database: PostgreSQL writes it by psycopg itself
    call = referred_falls_call(front, clock)
    [referral] = front.referrals.made_in(call.contact_id)
    assert referral.id == "R-2026-000001"
    assert referral.service_id == "falls-prevention-service"
    assert referral.respond_within == "2 working days" and referral.due_from == "script"
    # made Monday 23 November 2026 (GMT): due the end of Wednesday 25th
    assert referral.due_at == dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)
    assert referral.state == "requested" and referral.history[0].by == "h.jones"
    assert referral.reason == "Falls and mobility: Falls service"
    assert referral.consent_share is True
    # the signposted alarm service makes none; a second referral gets the next number
    call = referred_falls_call(front, clock)
    assert [r.id for r in front.referrals.made_in(call.contact_id)] == ["R-2026-000002"]


def test_the_callers_and_the_persons_open_referrals_are_facts_of_the_next_call(door, clock):
    # on either database: PostgreSQL reads them in the round trip that starts the call
    front = door
    referred_falls_call(front, clock)
    clock.advance(3 * 24 * 3600)  # Thursday: past Wednesday's due time
    call = front.call_service().start(
        NewContact(
            handler="h.smith",
            caller="01472 000111",
            subject_name="Ada Lovelace",
            subject_dob=dt.date(1940, 5, 1),
            subject_postcode="DN32 7DL",
        )
    )
    assert call.facts.person_open_referrals == 1
    assert call.facts.person_overdue_referrals == 1
    assert [r.service_id for r in call.open_referrals] == ["falls-prevention-service"]
    contact = call.contact
    assert call.open_referrals == front.referrals.open_about(
        caller_key=contact.caller_key,
        subject_key=contact.subject_key,
        person_id=contact.person_id,
    )


def test_only_the_allowed_moves_are_made_and_never_back_in_time(front, clock):
    call = referred_falls_call(front, clock)
    [referral] = front.referrals.made_in(call.contact_id)
    at = clock.now + dt.timedelta(hours=2)
    front.referrals.change(StateChange(referral.id, "accepted", at, "falls team"))
    with pytest.raises(ReferralError, match="an accepted referral cannot become received"):
        front.referrals.change(StateChange(referral.id, "received", at, "falls team"))
    with pytest.raises(ReferralError, match="changes may not go back in time"):
        front.referrals.change(
            StateChange(referral.id, "in-progress", at - dt.timedelta(minutes=1), "falls team")
        )
    with pytest.raises(ReferralError, match="cancelled needs a reason"):
        front.referrals.change(StateChange(referral.id, "cancelled", at, "falls team"))
    done = front.referrals.change(StateChange(referral.id, "completed", at, "falls team"))
    assert [c.state for c in done.history] == ["requested", "accepted", "completed"]
    with pytest.raises(ReferralError, match="a completed referral is ended"):
        front.referrals.change(StateChange(referral.id, "in-progress", at, "falls team"))


def test_the_referrals_a_wrap_up_made_are_kept_as_the_store_reads_them_back(front, clock):
    # the simulation's teams plan the referrals its maker kept, not read back: they must
    # be the same, field for field, in the order of the contact's services
    kept = MadeKept(front.referral_maker)
    record = front.record_on(clock, maker=kept)
    contact_id = record.start_contact(
        NewContact(handler="h.jones", caller="01472 000111", subject_name="Ada Lovelace")
    )
    clock.advance(60)
    record.record_end(contact_id, ScriptEnd("falls", 1, "urgent", "referred", red_flag="fell"))
    for service in ("falls-prevention-service", "district-nursing"):
        clock.advance(5)
        record.choose_service(contact_id, service, service.replace("-", " "), "referred")
    record.choose_service(contact_id, "age-uk-befriending", "Befriending", "signposted")
    record.wrap_up(contact_id, WrapUp(outcome="referred", demand="new_need", category="falls"))
    made = kept.take(contact_id)
    assert [r.service_id for r in made] == ["falls-prevention-service", "district-nursing"]
    assert made == front.referrals.made_in(contact_id)
    assert made[0].red_flags == ("fell",) and made[0].made_at.tzinfo == dt.UTC
    assert kept.take(contact_id) == []  # taken once


def test_a_crisis_referral_is_due_within_the_crisis_teams_24_hours(front, clock):
    """Suicidal but safe right now: the script transfers to the crisis team and refers
    it. With no time of its own the team's referral took mental health's 2 working days
    (a red-flag referral no screen would call late for two and a half days); the demo
    directory's urgent teams now say their own."""
    call = front.call_service().start(
        NewContact(handler="h.jones", caller="01472 000555", consent_share=True)
    )
    for answer in ["No", "No", "No", "Mental health or emotional wellbeing"]:
        call.answer(answer)
    call.answer("Yes, but they are safe right now")
    assert call.triage.finished
    for service, action in call.suggested_services():
        if action == "referred":
            call.choose(service, action)
    call.end_call()
    call.wrap_up(WrapUp(outcome="escalated", demand="new_need", notes="safe with her sister"))
    [referral] = front.referrals.made_in(call.contact_id)
    assert referral.service_id == "mental-health-crisis-team"
    assert (referral.respond_within, referral.due_from) == ("24h", "service")
    assert referral.due_at - referral.made_at == dt.timedelta(hours=24)
    assert referral.red_flags == ("Suicidal thoughts or self-harm",)
