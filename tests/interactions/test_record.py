"""The record: every step committed as it is given, and read back as it was."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.interactions.demand import suggest_demand
from frontdoor.interactions.model import NewContact, ScriptEnd, StepTaken, WrapUp
from frontdoor.interactions.reading import read_contacts
from frontdoor.interactions.record import Record, RecordError
from frontdoor.interactions.tables import AnswerRow


def test_each_answer_is_in_the_database_the_moment_it_is_given(front, settings, clock):
    contact_id = front.record.start_contact(NewContact(handler="h.jones", caller="01632 960111"))
    front.record.record_step(contact_id, StepTaken("falls", 1, "on_floor", "answer", "No"))
    # A second process (a console started after this one was killed) sees it at once.
    other = open_front_door(settings, clock=clock)
    with other.sessions() as session:
        rows = session.scalars(select(AnswerRow)).all()
    assert [(r.node, r.answer) for r in rows] == [("on_floor", "No")]
    assert [c.id for c in other.record.unfinished("h.jones")] == [contact_id]
    other.engine.dispose()


def test_times_come_from_the_clock_and_come_back_in_utc(front, clock):
    contact_id = front.record.start_contact(NewContact(handler="h"))
    clock.advance(42)
    front.record.record_step(contact_id, StepTaken("falls", 1, "on_floor", "answer", "No"))
    contact = front.record.contact(contact_id)
    assert contact.received_at == clock.now - dt.timedelta(seconds=42)
    assert contact.answers[0].at == clock.now and contact.answers[0].at.tzinfo == dt.UTC


def test_searches_keep_what_was_shown_and_what_was_chosen(front):
    record: Record = front.record
    contact_id = record.start_contact(NewContact(handler="h"))
    unmet = record.record_search(contact_id, "chiropody for my mum", ["podiatry-service"])
    chosen = record.record_search(contact_id, "carers", ["carers-support-service"])
    record.choose_service(
        contact_id, "carers-support-service", "Carers' Support Service", "signposted", chosen
    )
    contact = record.contact(contact_id)
    # a search is known by the id its write was given (a console may make it offline)
    assert [(s.step_id, s.chosen) for s in contact.searches] == [
        (unmet, None),
        (chosen, "carers-support-service"),
    ]
    assert [(s.service_id, s.action) for s in contact.services] == [
        ("carers-support-service", "signposted")
    ]


def test_a_closed_contact_takes_no_more_steps(front):
    contact_id = front.record.start_contact(NewContact(handler="h"))
    front.record.wrap_up(contact_id, WrapUp(outcome="advice", demand="new_need"))
    with pytest.raises(RecordError, match="closed"):
        front.record.record_step(contact_id, StepTaken("falls", 1, "on_floor", "answer", "No"))
    with pytest.raises(RecordError, match="no contact"):
        front.record.wrap_up("c-nope", WrapUp(outcome="advice", demand=None))


def test_history_finds_the_caller_or_the_person_not_others(front, clock):
    record = front.record
    a = record.start_contact(
        NewContact(handler="h", caller="01632 960111", subject_nhs_number="9434765919")
    )
    record.start_contact(NewContact(handler="h", caller="01632 960222"))
    c = record.start_contact(
        NewContact(handler="h", caller="01632 960333", subject_nhs_number="943 476 5919")
    )
    since = clock() - dt.timedelta(days=30)
    assert {x.id for x in record.history("+441632960111", None, since)} == {a}
    assert {x.id for x in record.history(None, "9434765919", since)} == {a, c}
    assert record.history(None, None, since) == []


def test_repeat_contact_is_suggested_within_the_window_in_the_same_category(front, clock):
    record = front.record
    earlier = record.start_contact(NewContact(handler="h", caller="01632 960111"))
    record.set_category(earlier, "social_care")
    history = [record.contact(earlier)]
    now = clock() + dt.timedelta(days=7)
    assert suggest_demand(history, "social_care", now, 7, chasing=False) == "repeat_contact"
    assert suggest_demand(history, "mental_health", now, 7, chasing=False) is None
    later = now + dt.timedelta(seconds=1)
    assert suggest_demand(history, "social_care", later, 7, chasing=False) is None
    assert suggest_demand(history, "social_care", now, 7, chasing=True) == "progress_chasing"


def test_a_contact_started_is_what_the_record_reads_back_on_either_database(db_url, clock):
    # a call starts from the contact as written, not read back: it must be the same, to
    # the zone of each time, however the contact was given (a phone call offered in local
    # time, a visit, a person described, the lease of the console holding it)
    front = open_front_door(load_settings(db=db_url), clock=clock, migrate=False)
    local = ZoneInfo("Europe/London")
    given = [
        NewContact(
            handler="a.patel",
            caller="0113 496 0000",
            caller_type="carer",
            queue="carer",
            offered_at=dt.datetime(2026, 7, 1, 9, 30, 15, 250, tzinfo=local),
            consent_share=False,
        ),
        NewContact(
            handler="b.okoro",
            channel="visit",
            caller="07700 900123",
            caller_name="Ann",
            subject_name="Mary Smith",
            subject_dob=dt.date(1941, 3, 2),
            subject_postcode="ls1 4ap",
            subject_nhs_number="943 476 5919",
            language="Polish",
            interpreter_needed=True,
            answered_at=dt.datetime(2026, 7, 1, 10, 0, tzinfo=local),
        ),
    ]
    try:
        for new in given:
            started = front.record.started(
                new, holder="ws-1", held_until=clock.now.astimezone(local)
            )
            assert started == front.record.contact(started.id)
            assert started.received_at.tzinfo == dt.UTC
    finally:
        front.engine.dispose()


def read_contacts_of(front, ids):
    with front.sessions() as session:
        return read_contacts(session.connection(), ids)


def test_a_contact_started_with_its_history_reads_what_history_reads(db_url, clock):
    # a call starts with its caller's and its person's earlier contacts read with the
    # contact's INSERT (one round trip on PostgreSQL): the same contacts, in the same
    # order, as the record's history look-up gives for it afterwards, and never itself
    front = open_front_door(load_settings(db=db_url), clock=clock, migrate=False)
    record = front.record
    since = clock.now - dt.timedelta(days=30)
    mary = {
        "subject_name": "Mary Smith",
        "subject_dob": dt.date(1941, 3, 2),
        "subject_postcode": "DN31 1HU",
    }
    try:
        earlier = [
            record.start_contact(NewContact(handler="a", caller="01472 000001")),
            record.start_contact(NewContact(handler="a", caller="01472 000002", **mary)),
            record.start_contact(NewContact(handler="a", caller="01472 000003")),
        ]
        # the first has steps, a search, an end and a service: the history has its end
        # and service, what the screen shows and a repeat is judged by, not its steps
        record.record_step(earlier[0], StepTaken("falls", 1, "on_floor", "answer", "No"))
        record.record_search(earlier[0], "falls", ["falls-service"])
        record.record_end(earlier[0], ScriptEnd("falls", 1, "done", "referred", "fall"))
        record.choose_service(earlier[0], "falls-service", "Falls service", "referred")
        whole = record.contact(earlier[0])
        assert whole.answers and whole.searches and whole.ends and whole.services
        for new, expected in [
            (NewContact(handler="b", caller="01472 000001"), [earlier[0]]),
            (NewContact(handler="b", caller="01472 000009", **mary), [earlier[1]]),
            (NewContact(handler="b", caller="01472 000008"), []),
            (NewContact(handler="b"), []),  # no caller, no person: nothing to look up by
        ]:
            clock.advance(60)
            begun = record.start_call(new, since)
            started, history = begun.contact, begun.history
            assert [c.id for c in history] == expected
            assert history == record.history(
                started.caller_key,
                started.subject_key,
                since,
                exclude=started.id,
                person=started.person_id,
            )
            for seen in history:
                read = record.contact(seen.id)
                assert (seen.ends, seen.services) == (read.ends, read.services)
                steps = {"answers": [], "searches": [], "person_decisions": []}
                assert seen == dataclasses.replace(read, **steps)
            assert started == record.contact(started.id)
        # a contact read by psycopg itself (one id at a time, or many) is what the ORM reads
        by_orm = {c.id: c for c in record.all_contacts()}
        assert len(by_orm) > 4 and by_orm[earlier[0]].answers
        assert [record.contact(i) for i in by_orm] == list(by_orm.values())
        assert read_contacts_of(front, list(by_orm)) == list(by_orm.values())
        # nothing from before `since`
        begun = record.start_call(
            NewContact(handler="b", caller="01472 000001"), clock.now + dt.timedelta(seconds=1)
        )
        assert begun.history == []
    finally:
        front.engine.dispose()
