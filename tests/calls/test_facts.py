"""What the record knows reaches the scripts: facts built from a real contact and its
history, the moment in the service's zone, and a version 2 call kept whole in the record
(its decisions, the wording shown, a many answer as a list, the end's code)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from frontdoor.calls.library import FixedLibrary
from frontdoor.interactions.export import contact_to_line
from frontdoor.interactions.jsonl import Vocabularies, parse_lines
from frontdoor.interactions.loading import load_contacts
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.interactions.tables import AnswerRow
from frontdoor.triage_scripts.facts import Facts, RepeatIn
from frontdoor.triage_scripts.loader import load_file

V2 = Path(__file__).parents[1] / "triage_scripts" / "fixtures" / "v2"
CALLER = "01632 960111"
DAY = 24 * 3600


def at_local(clock, when: dt.datetime) -> None:
    clock.now = when.replace(tzinfo=ZoneInfo("Europe/London")).astimezone(dt.UTC)


def v2_calls(front):
    """Calls on a library with the version 2 scripts a lead wrote beside the bundled."""
    v2 = {p.stem: load_file(p).loaded.script for p in V2.glob("*.yaml")}
    return dataclasses.replace(
        front.call_service(), library=FixedLibrary({**front.library.scripts, **v2})
    )


def test_the_facts_come_from_the_contact_and_the_history_the_call_shows(front, clock):
    calls = front.call_service()
    for category, days_before in [("carers", 17), ("physical_health", 3)]:
        earlier = calls.start(NewContact(handler="h", caller=CALLER))
        earlier.wrap_up(WrapUp(outcome="advice", demand="new_need", category=category))
        clock.advance(days_before * DAY)
    call = calls.start(
        NewContact(
            handler="h",
            caller=CALLER,
            caller_type="carer",
            subject_name="Ann Example",
            subject_dob=dt.date(1941, 7, 4),
            interpreter_needed=True,
            language="Polish",
        )
    )
    # two earlier contacts in the 30 days shown; only the one 3 days ago is in the repeat
    # window, and it is a repeat only in its own category
    assert call.facts == Facts(
        person_age=85,
        person_open_referrals=0,  # the record knows: none
        person_overdue_referrals=0,
        caller_type="carer",
        caller_is_person=False,
        contact_channel="phone",
        contact_repeat=RepeatIn(frozenset({"physical_health"})),
        contact_previous=2,
        contact_interpreter=True,
    )
    assert call.triage.facts is call.facts
    known = call.facts.values("carers", None)
    assert known["contact.repeat"] is False and known["person.open_referrals"] == 0


def test_the_moment_is_local_time_with_england_s_bank_holidays(front, clock):
    calls = front.call_service()
    at_local(clock, dt.datetime(2026, 6, 1, 13, 30))  # summer time: 12.30 UTC
    moment = calls.moment()
    assert (moment.local.hour, moment.local.weekday(), moment.bank_holiday) == (13, 0, False)
    at_local(clock, dt.datetime(2026, 12, 28, 9, 0))  # the Boxing Day substitute
    assert calls.moment().bank_holiday


def test_a_version_2_call_keeps_its_decisions_wording_list_and_code(front, clock):
    call = v2_calls(front).start(
        NewContact(
            handler="h",
            caller=CALLER,
            caller_is_person=True,
            subject_name="Ann Example",
            subject_dob=dt.date(1941, 7, 4),
        ),
        script_id="breathing",
    )
    assert call.triage.words(call.triage.question.ask) == "Which of these do you have now?"
    step = call.answer(["Cough", "Fever"])  # 85 years old: no need to ask the age
    assert [d.target for d in step.decisions] == ["urgent_response"]
    contact = front.record.contact(call.contact_id)
    assert [(a.kind, a.node, a.answer, a.wording) for a in contact.answers] == [
        ("answer", "symptoms", ("Fever", "Cough"), "self"),
        ("decide", "older_or_closed", "urgent_response", None),
    ]
    assert [(a.script, a.version) for a in contact.answers] == [("breathing", 1)] * 2
    (end,) = contact.ends
    assert (end.node, end.outcome, end.code) == ("urgent_response", "referred", "Dx05")
    with front.sessions() as session:
        row = session.scalars(select(AnswerRow).where(AnswerRow.kind == "answer")).one()
        assert (json.loads(row.answer), row.many) == (["Fever", "Cough"], True)


def test_a_resumed_call_goes_where_its_decisions_went_whatever_the_day_is_now(front, clock):
    at_local(clock, dt.datetime(2026, 12, 25, 10, 0))  # Christmas Day: urgent, age unknown
    calls = v2_calls(front)
    call = calls.start(NewContact(handler="h"), script_id="breathing")
    call.answer(["Cough", "Fever"])
    assert call.triage.node_name == "urgent_response"
    at_local(clock, dt.datetime(2026, 12, 29, 10, 0))  # a Tuesday: it would ask the age now
    resumed = calls.resume(call.contact_id)
    assert resumed.triage.finished and resumed.triage.node_name == "urgent_response"
    resumed.back()
    assert resumed.triage.node_name == "symptoms"
    resumed.answer(["Cough", "Fever"])  # decided again, on today's facts
    assert resumed.triage.node_name == "born_on"
    decisions = [
        a.answer for a in front.record.contact(call.contact_id).answers if a.kind == "decide"
    ]
    assert decisions == ["urgent_response", "born_on"]


def test_a_script_that_starts_with_a_decision_records_it_when_the_call_starts(front):
    call = v2_calls(front).start(
        NewContact(handler="h", caller_type="professional"), script_id="breathing-self-care"
    )
    assert call.triage.node_name == "professional_advice" and call.triage.finished
    contact = front.record.contact(call.contact_id)
    assert [(a.kind, a.node, a.answer) for a in contact.answers] == [
        ("decide", "who_calls", "professional_advice")
    ]
    assert [e.node for e in contact.ends] == ["professional_advice"]


def test_a_many_answer_is_a_json_list_in_contacts_json_lines_and_loads_back(front):
    call = v2_calls(front).start(NewContact(handler="h"), script_id="breathing")
    call.answer(["Chest pain", "Short of breath"])
    call.wrap_up(WrapUp(outcome="escalated", demand="new_need", notes="999 called"))
    line = contact_to_line(front.record.contact(call.contact_id))
    assert json.loads(line)["answers"][0]["answer"] == ["Short of breath", "Chest pain"]
    vocab = Vocabularies(frozenset(), frozenset(), frozenset(), frozenset())
    lines, bad = parse_lines([line, line.replace(call.contact_id, "c-copy")], vocab)
    assert bad == []
    result = load_contacts(front.sessions, lines)
    # the same content as held (the list read back as a list), and a copy added
    assert (result.unchanged, result.added) == ([call.contact_id], ["c-copy"])
    copy = front.record.contact("c-copy")
    assert copy.answers[0].answer == ("Short of breath", "Chest pain")
