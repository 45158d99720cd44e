"""F8 and F9 guide as well as the question path: F9 hands on to the safeguarding script,
both suggest the services for the person's area at this time of day, set the category,
keep their outcome, and back undoes them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from frontdoor.calls.call import UNREADABLE_SUGGESTIONS, WrapUpRefused
from frontdoor.calls.escalation import Suggestion, suggested
from frontdoor.directory.eligibility import Eligibility
from frontdoor.directory.model import OpeningHours, Service
from frontdoor.directory.search import SearchIndex
from frontdoor.interactions.model import NewContact, WrapUp
from tests.outage import DatabaseSwitch

EMERGENCY, SAFEGUARDING = "escalate_emergency", "escalate_safeguarding"
TO_FALLS = ["No", "No", "No", "A fall, or someone unsteady on their feet"]


def at_local(clock, day: dt.date, hour: int, minute: int = 0) -> None:
    """Set the fixed clock to a local (London) time."""
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo("Europe/London"))
    clock.now = local.astimezone(dt.UTC)


def ids(call) -> list[str]:
    return [s.id for s, _ in call.suggested_services()]


def test_f9_hands_on_to_the_safeguarding_script_and_asks_its_questions(front, clock):
    script = front.library.scripts[front.settings.safeguarding_script]
    call = front.call_service().start(NewContact(handler="h", subject_postcode="DN32 7AB"))
    call.answer("No")  # danger now? no
    step = call.escalate(SAFEGUARDING)
    # the escalation end, then straight on to the safeguarding script's start
    assert [(e.script, e.node) for e in step.ends_reached] == [("reason-for-call", SAFEGUARDING)]
    assert step.red_flags
    triage = call.triage
    assert (triage.script.script, triage.node_name) == (script.script, script.start)
    # the answers of the script's own test that raises the concern with the team
    test = next(
        t for t in script.tests if script.nodes[t.expect].refer_to == "safeguarding-adults-team"
    )
    asked = []
    for answer in test.answers:
        clock.advance(20)
        asked.append(triage.question.ask.lower())
        call.answer(answer)
    assert "danger" in asked[0] and any("child" in a for a in asked)
    assert triage.node_name == test.expect
    advice = call.escalation_advice()
    assert advice is not None and advice.node == SAFEGUARDING
    assert "999" in advice.say and "own words" in advice.say
    contact = front.record.contact(call.contact_id)
    assert [(e.node, e.outcome) for e in contact.ends] == [
        (SAFEGUARDING, "safeguarding"),
        (test.expect, script.nodes[test.expect].outcome),
    ]
    assert contact.ends[0].red_flag


def test_the_escalation_outcome_stands_whatever_ends_follow(front):
    script = front.library.scripts[front.settings.safeguarding_script]
    # a test of the safeguarding script that ends in another outcome (advice, 999...)
    test = next(
        t for t in script.tests if script.nodes[t.expect].outcome not in (None, "safeguarding")
    )
    call = front.call_service().start(NewContact(handler="h"))
    call.escalate(SAFEGUARDING)
    for answer in test.answers:
        call.answer(answer)
    assert call.triage.node_name == test.expect
    assert call.triage.last_end.end.outcome != "safeguarding"
    assert call.suggested_outcome() == "safeguarding"
    assert call.category == "safeguarding"


def test_safeguarding_suggests_the_team_and_the_duty_team_when_it_is_closed(front, clock):
    monday = dt.date(2026, 11, 23)
    at_local(clock, monday, 8, 55)  # before the safeguarding team opens at 9
    call = front.call_service().start(NewContact(handler="h", subject_postcode="DN32 7AB"))
    call.escalate(SAFEGUARDING)
    assert ids(call) == ["safeguarding-adults-team", "adult-social-care-duty"]
    assert dict((s.id, a) for s, a in call.suggested_services())["adult-social-care-duty"] == (
        "referred"
    )
    (note,) = call.escalation_advice().notes
    assert "Safeguarding Adults Team: closed now" in note and "Duty Team" in note
    at_local(clock, monday, 10)
    assert ids(call) == ["safeguarding-adults-team"]
    assert call.escalation_advice().notes == ()
    at_local(clock, dt.date(2026, 12, 25), 11)  # Christmas Day: a bank holiday
    assert ids(call) == ["safeguarding-adults-team", "adult-social-care-duty"]


def test_while_the_database_does_not_answer_the_advice_stands_and_says_so(front, clock):
    """The index keeps no service's details: suggested services are read from the
    database, and while it does not answer F8's advice is still given, saying why its
    services are missing, rather than the call's screen failing."""
    at_local(clock, dt.date(2026, 11, 23), 10)
    front.directory_index.wait()
    call = front.call_service().start(NewContact(handler="h"))
    call.escalate(EMERGENCY)
    switch = DatabaseSwitch.install(front.engine)
    switch.fail()
    advice = call.escalation_advice()
    assert advice is not None and "Ring 999 now" in advice.say
    assert advice.services == () and advice.notes == (UNREADABLE_SUGGESTIONS,)
    assert ids(call) == [] and switch.refused
    switch.restore()
    assert ids(call) == ["emergency-999", "rapid-response-team"]


def test_emergency_suggests_999_always_and_the_urgent_service_for_the_hour(front, clock):
    monday = dt.date(2026, 11, 23)
    at_local(clock, monday, 10)
    call = front.call_service().start(NewContact(handler="h"))
    call.escalate(EMERGENCY)
    assert call.triage.finished
    assert ids(call) == ["emergency-999", "rapid-response-team"]
    advice = call.escalation_advice()
    for words in ("Ring 999 now", "stay on the line", "Do not move the person"):
        assert words in advice.say
    assert call.triage.node.say == advice.say  # the end itself carries the guidance
    at_local(clock, monday, 23)  # the rapid response team works 8am to 10pm
    assert ids(call) == ["emergency-999", "rapid-response-team", "nhs-111"]
    assert "Rapid Response Team: closed now" in call.escalation_advice().notes[0]


def test_the_team_for_the_persons_area_is_suggested():
    def team(id_: str, areas: list[str]) -> Service:
        hours = [OpeningHours(days=["mon"], opens=dt.time(9), closes=dt.time(17))]
        return Service(id=id_, name=id_, areas=areas, hours=hours)

    index = SearchIndex(
        [team("north-team", ["DN15"]), team("south-team", ["DN31"]), team("duty", [])],
        eligibility=Eligibility(),
    )
    rule = Suggestion(("north-team", "south-team"), "referred", Suggestion(("duty",), "referred"))
    monday_noon = dt.datetime(2026, 11, 23, 12)
    found, _ = suggested(index, [rule], "DN31 2AB", monday_noon)
    assert [s.id for s, _ in found] == ["south-team"]
    found, _ = suggested(index, [rule], "DN15 6XX", monday_noon.replace(hour=20))
    assert [s.id for s, _ in found] == ["north-team", "duty"]
    # a person outside every team's area still gets them all, never none
    found, _ = suggested(index, [rule], "LS1 4AP", monday_noon)
    assert [s.id for s, _ in found] == ["north-team", "south-team"]


@pytest.mark.parametrize(
    ("answers", "target", "category"),
    [
        ([], SAFEGUARDING, "safeguarding"),
        (TO_FALLS, SAFEGUARDING, "safeguarding"),
        (TO_FALLS, EMERGENCY, "physical_health"),  # the falls script's own
        (["No"], EMERGENCY, "general_enquiry"),  # the front door's own
    ],
)
def test_an_escalation_sets_the_category(front, answers, target, category):
    call = front.call_service().start(NewContact(handler="h"))
    for answer in answers:
        call.answer(answer)
    call.escalate(target)
    assert call.category == category


def test_back_undoes_an_escalation_and_keeps_the_answers_with_their_times(front, clock):
    call = front.call_service().start(NewContact(handler="h"))
    call.answer("No")
    clock.advance(10)
    call.escalate(EMERGENCY)
    clock.advance(10)
    step = call.back()
    assert step.ends_withdrawn == 1
    assert call.triage.node_name == "harm_from_others" and not call.triage.finished
    assert call.triage.outcome is None and call.suggested_services() == []
    clock.advance(10)
    call.escalate(SAFEGUARDING)
    script = front.library.scripts[front.settings.safeguarding_script]
    two = next(t for t in script.tests if len(t.answers) >= 3).answers[:2]
    for answer in two:  # two of the safeguarding script's questions
        clock.advance(10)
        call.answer(answer)
    for _ in range(3):
        clock.advance(10)
        call.back()
    triage = call.triage
    assert (triage.script.script, triage.node_name) == ("reason-for-call", "harm_from_others")
    assert call.category == "general_enquiry" and call.escalation_advice() is None
    contact = front.record.contact(call.contact_id)
    kinds = [a.kind for a in contact.answers]
    assert kinds == ["answer", "escalate", "back", "escalate", "answer", "answer"] + ["back"] * 3
    times = [a.at for a in contact.answers]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert contact.ends == []  # every end withdrawn; the answers that led there kept
    # and a console that takes the contact over stands at the same question
    resumed = front.call_service().resume(call.contact_id)
    assert resumed.triage.node_name == "harm_from_others" and resumed.triage.can_go_back


def test_a_safeguarding_contact_is_not_saved_without_notes(front):
    call = front.call_service().start(NewContact(handler="h"))
    call.escalate(SAFEGUARDING)
    wrap = WrapUp(outcome="safeguarding", demand="new_need", category="safeguarding")
    with pytest.raises(WrapUpRefused, match="needs notes"):
        call.wrap_up(wrap)
    assert front.record.contact(call.contact_id).status == "open"
    with pytest.raises(WrapUpRefused):  # the category alone makes it one
        call.wrap_up(WrapUp(outcome="advice", demand="new_need", category="safeguarding"))
    call.wrap_up(WrapUp("safeguarding", "new_need", "Neighbour heard shouting.", "safeguarding"))
    assert front.record.contact(call.contact_id).status == "closed"


def test_answering_yes_to_harm_is_as_good_as_f9(front):
    """Found at a desk: the script's own way into safeguarding had no red flag, no
    guidance and no team, where F9 on the same question had all three."""
    by_key = front.call_service().start(NewContact(handler="h", subject_postcode="DN32 7AB"))
    by_key.answer("No")
    by_key.escalate(SAFEGUARDING)
    by_answer = front.call_service().start(NewContact(handler="h", subject_postcode="DN32 7AB"))
    by_answer.answer("No")
    step = by_answer.answer("Yes")  # is anyone being abused, neglected or harmed?
    assert step.red_flags == by_key.red_flags != []
    assert (by_answer.triage.script.script, by_answer.triage.node_name) == (
        by_key.triage.script.script,
        by_key.triage.node_name,
    )
    advice, expected = by_answer.escalation_advice(), by_key.escalation_advice()
    assert advice is not None and expected is not None
    assert (advice.say, [s.id for s, _ in advice.services]) == (
        expected.say,
        [s.id for s, _ in expected.services],
    )
    assert by_answer.category == by_key.category == "safeguarding"
