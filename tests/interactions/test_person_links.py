"""Contacts linked to people: exact keys link on their own, a handler's decision on a
possible match is kept with the contact, repeats are looked for by person or caller, and
imports link by exact key only. On SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.interactions.demand import suggest_demand
from frontdoor.interactions.jsonl import ContactLine
from frontdoor.interactions.loading import load_contacts
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.interactions.record import Record
from frontdoor.people.index import PersonIndex
from frontdoor.people.model import Decision, Details, LinkedBy, MatchDecision
from frontdoor.people.tables import PersonRow
from tests.conftest import FakeClock

DOREEN = {"subject_name": "Doreen Price", "subject_postcode": "DN31 2AB"}


@pytest.fixture
def door(db_url):
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    clock = FakeClock()
    yield Record(sessions, clock), PersonIndex(sessions), clock
    engine.dispose()


def _decided(people: PersonIndex, clock, decision: Decision, name: str = "Doreen Price"):
    match = people.find(Details(name, None, "DN31 2AB"))
    assert match is not None and not match.exact
    return MatchDecision.of(match, decision, "h.jones", clock())


def test_a_second_call_about_her_without_a_date_of_birth_finds_her_once_confirmed(door):
    record, people, clock = door
    first = record.start_contact(NewContact(handler="a.patel", caller="01632 960111", **DOREEN))
    record.set_category(first, "safeguarding")
    clock.advance(20 * 60)
    confirmed = _decided(people, clock, Decision.CONFIRMED)
    second = record.start_contact(
        NewContact(handler="h.jones", caller="01632 960222", person_decision=confirmed, **DOREEN)
    )
    contact = record.contact(second)
    assert contact.subject_key is None  # no date of birth: no key, as before
    assert contact.person_id == record.contact(first).person_id
    assert contact.person_link == LinkedBy.CONFIRMED
    assert contact.person_decisions == [confirmed]  # who decided, when, on what evidence
    assert "postcode:same" in confirmed.evidence and confirmed.by == "h.jones"
    # the repeat rule: the same person (a different caller, no subject key)
    since = clock() - dt.timedelta(days=30)
    history = record.history("+441632960222", None, since, exclude=second, person=contact.person_id)
    assert [c.id for c in history] == [first]
    assert suggest_demand(history, "safeguarding", clock(), 7, chasing=False) == "repeat_contact"
    assert record.count_about(contact.person_id) == 2


def test_rejecting_the_possible_match_keeps_a_new_person(door):
    record, people, clock = door
    first = record.start_contact(NewContact(handler="a.patel", **DOREEN))
    rejected = _decided(people, clock, Decision.REJECTED)
    second = record.start_contact(NewContact(handler="h.jones", person_decision=rejected, **DOREEN))
    contact = record.contact(second)
    assert contact.person_id not in (None, record.contact(first).person_id)
    assert contact.person_link == LinkedBy.NEW
    assert [d.decision for d in contact.person_decisions] == [Decision.REJECTED]
    assert contact.person_decisions[0].person_id == record.contact(first).person_id
    since = clock() - dt.timedelta(days=30)
    assert record.history(None, None, since, exclude=second, person=contact.person_id) == []


def test_an_exact_key_links_without_asking_and_fills_in_what_was_missing(door):
    record, people, _ = door
    first = record.start_contact(
        NewContact(handler="h", subject_nhs_number="943 476 5919", subject_name="Bill Ashby")
    )
    second = record.start_contact(
        NewContact(
            handler="h",
            subject_nhs_number="9434765919",
            subject_name="William Ashby",
            subject_dob=dt.date(1941, 7, 4),
            subject_postcode="dn32 7qt",
        )
    )
    person = record.contact(first).person_id
    assert record.contact(second).person_id == person
    assert record.contact(second).person_link == LinkedBy.NHS_NUMBER
    known = people.person(person)
    assert known is not None
    assert (known.name, known.dob, known.postcode) == (
        "Bill Ashby",
        dt.date(1941, 7, 4),
        "DN32 7QT",
    )
    # now known by name, date of birth and postcode too: a call without the NHS number
    third = record.start_contact(
        NewContact(
            handler="h",
            subject_name="william ashby",
            subject_dob=dt.date(1941, 7, 4),
            subject_postcode="DN32 7QT",
        )
    )
    assert record.contact(third).person_id == person
    assert record.contact(third).person_link == LinkedBy.SUBJECT_KEY
    # a contact naming nobody is about nobody in the index
    assert record.contact(record.start_contact(NewContact(handler="h"))).person_id is None


def _line(contact_id: str, subject_key: str | None, day: int) -> ContactLine:
    return ContactLine(
        id=contact_id,
        channel="web",
        caller_type="public",
        subject_key=subject_key,
        received_at=dt.datetime(2026, 3, day, 9, tzinfo=dt.UTC),
        outcome="advice",
        demand="new_need",
    )


def test_imports_link_by_exact_key_only(door, db_url):
    record, _, _ = door
    console = record.start_contact(NewContact(handler="h", subject_nhs_number="9434765919"))
    record.wrap_up(console, WrapUp(outcome="advice", demand="new_need"))
    # like a person on file (name, dob, postcode) but a key the index does not hold
    record.start_contact(NewContact(handler="h", **DOREEN, subject_dob=None))
    lines = [
        _line("i1", "9434765919", 2),
        _line("i2", "doreen price|1941-07-04|DN312AB", 3),
        _line("i3", "doreen price|1941-07-04|DN312AB", 4),
        _line("i4", None, 5),
    ]
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    assert load_contacts(sessions, lines).added == ["i1", "i2", "i3", "i4"]
    i1, i2, i3, i4 = (record.contact(c) for c in ("i1", "i2", "i3", "i4"))
    assert i1.person_id == record.contact(console).person_id
    assert i2.person_id == i3.person_id and i2.person_link == LinkedBy.SUBJECT_KEY
    assert i2.person_id not in (None, i1.person_id)
    assert i4.person_id is None
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PersonRow)) == 3
        made = session.get(PersonRow, i2.person_id)
        assert made is not None and (made.name, made.postcode) == ("Doreen Price", "DN31 2AB")
    # loading the same file again changes nothing
    assert load_contacts(sessions, lines).unchanged == ["i1", "i2", "i3", "i4"]
    engine.dispose()


def test_a_call_from_a_queue_with_a_long_name_is_kept_whole(door):
    """The queue_log keeps queue names of up to 256 characters (as Wazo does); contacts
    kept 60, so on PostgreSQL a call taken from such a queue could not be started."""
    record, _, clock = door
    queue = "spa-" + "professionals-and-care-homes-" * 8 + "x" * 20
    assert len(queue) == 256
    contact_id = record.start_contact(
        NewContact(handler="a.patel", caller="01632 960111", queue=queue, offered_at=clock())
    )
    assert record.contact(contact_id).queue == queue
