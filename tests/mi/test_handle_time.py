"""Handle time starts when the handler answers. At the console with no telephone system
that is when the new-contact form opens: identity and consent are handle time."""

from __future__ import annotations

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
    assert contact.answered_at == contact.offered_at == contact.received_at == opened
    day = opened.date()
    report = build_report(
        front.sessions, Period(day, day), front.mi_settings(), clock.now, {}, no_directory
    )
    assert report.queue.aht_seconds == 400.0  # 45 + 300 + 55, not 355
    assert report.queue.asa_seconds == 0.0  # no queue: answered as it was offered
