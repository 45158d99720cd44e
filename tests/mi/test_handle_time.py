"""Handle time starts when the handler answers. At the console with no telephone system
that is when the new-contact form opens: identity and consent are handle time."""

from __future__ import annotations

import datetime as dt

from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.mi.period import Period
from frontdoor.mi.report import build_report
from frontdoor.mi.unmet import no_directory


def test_handle_time_runs_from_the_form_opening_to_the_end_of_wrap_up(front, clock):
    opened = clock.now
    clock.advance(45)  # the form: who is calling, about whom, consent
    call = front.call_service().start(NewContact(handler="h", answered_at=opened))
    clock.advance(300)  # triage
    call.end_call()
    clock.advance(55)  # wrap-up
    call.wrap_up(WrapUp(outcome="advice", demand="new_need"))
    contact = front.record.contact(call.contact_id)
    assert contact.answered_at == contact.received_at == opened
    day = opened.date()
    report = build_report(
        front.sessions, Period(day, day), front.mi_settings(), clock.now, {}, no_directory
    )
    assert report.queue.aht_seconds == 400.0  # 45 + 300 + 55, not 355


def test_a_call_taken_by_hand_has_no_wait_and_is_not_a_perfect_queue(front, clock):
    """A call started with `n` at a console with no telephone system: its wait is not
    known. It was recorded as offered when answered, so the MI from the contacts showed a
    queue of such calls as offered 4, answered 4, average speed of answer 0 s, service
    level 100%. It counts in handle time only."""
    for _ in range(3):
        call = front.call_service().start(NewContact(handler="h"))
        clock.advance(120)
        call.end_call()
        call.wrap_up(WrapUp(outcome="advice", demand="new_need"))
    queued = front.call_service().start(
        NewContact(handler="h", queue="public", offered_at=clock.now - dt.timedelta(seconds=15))
    )
    clock.advance(60)
    queued.end_call()
    queued.wrap_up(WrapUp(outcome="advice", demand="new_need"))
    assert front.record.contact(call.contact_id).offered_at is None
    day = clock.now.date()
    report = build_report(
        front.sessions, Period(day, day), front.mi_settings(), clock.now, {}, no_directory
    )
    q = report.queue
    assert (q.offered, q.answered, q.abandoned) == (1, 1, 0)  # the call from the queue
    assert q.asa_seconds == 15.0 and q.service_level.rate == 1.0 and q.service_level.n == 1
    assert q.aht_seconds == 105.0  # (3 x 120 + 60) / 4: every answered call
    assert (report.contacts, report.handled) == (4, 4)
