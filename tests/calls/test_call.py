"""A call in progress keeps the runner and the record in step, and can be resumed."""

from __future__ import annotations

import pytest

from frontdoor.calls.suggest import suggested_outcome
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.people.model import Decision, Details, MatchDecision

TO_CARERS = ["No", "No", "No", "Looking after someone (a carer)"]
# not at breaking point, not a young carer, assessed this year, wants information,
# declines a review
CARER_WANTS_INFORMATION = ["No", "No", "Yes", "Information and advice", "No"]


def test_steps_back_and_hand_ons_are_all_recorded(front, clock):
    call = front.call_service().start(NewContact(handler="h", caller="01632 960111"))
    for answer in TO_CARERS:
        clock.advance(5)
        call.answer(answer)
    call.back()
    call.answer("Looking after someone (a carer)")
    for answer in ["No", "No", "Yes", "Someone to talk to, or other carers to meet", "No"]:
        call.answer(answer)
    contact = front.record.contact(call.contact_id)
    assert [a.kind for a in contact.answers] == ["answer"] * 4 + ["back"] + ["answer"] * 6
    # the first hand-on was withdrawn by going back; the audit keeps it, the ends do not
    assert [(e.script, e.node) for e in contact.ends] == [
        ("reason-for-call", "to_carers"),
        ("carers", "carers_support"),
    ]
    assert call.suggested_outcome() == "signposted" and call.category == "carers"
    assert [s.id for s, _ in call.suggested_services()] == [
        "carers-support-service",
        "carers-peer-group",
    ]


def test_a_call_resumes_where_it_stopped(front):
    call = front.call_service().start(NewContact(handler="h"))
    for answer in TO_CARERS:
        call.answer(answer)
    call.answer("No")  # not at breaking point
    call.answer("No")  # not a young carer
    # the console is killed here; a new one replays the record
    resumed = front.call_service().resume(call.contact_id)
    assert resumed.triage.script.script == "carers"
    assert resumed.triage.node_name == "assessed"
    resumed.answer("No")
    assert resumed.triage.recorded == {"assessed": False}
    resumed.answer("A break from caring")
    resumed.answer("Yes")  # accepts a carer's assessment
    assert resumed.triage.node_name == "carers_assessment"


def test_escalation_is_recorded_as_a_red_flag(front):
    call = front.call_service().start(NewContact(handler="h"))
    call.answer("No")
    call.escalate("escalate_safeguarding")
    contact = front.record.contact(call.contact_id)
    assert contact.answers[-1].kind == "escalate"
    assert contact.ends[-1].red_flag and contact.ends[-1].outcome == "safeguarding"
    assert call.suggested_outcome() == "safeguarding"


def test_repeat_and_chasing_are_suggested(front, clock):
    first = front.call_service().start(NewContact(handler="h", caller="01632 960111"))
    for answer in [*TO_CARERS, *CARER_WANTS_INFORMATION]:
        first.answer(answer)
    first.wrap_up(WrapUp(outcome="advice", demand="new_need", category="carers"))
    clock.advance(3 * 24 * 3600)
    second = front.call_service().start(NewContact(handler="h", caller="01632 960111"))
    assert [c.id for c in second.history] == [first.contact_id]
    for answer in [*TO_CARERS, *CARER_WANTS_INFORMATION]:
        second.answer(answer)
    assert second.suggested_demand() == "repeat_contact"
    chasing = front.call_service().start(NewContact(handler="h"))
    for answer in ["No", "No", "Yes", "Equipment", "No"]:
        chasing.answer(answer)
    assert chasing.suggested_demand() == "progress_chasing"


def test_a_repeat_is_the_same_person_from_another_caller(front, clock):
    doreen = {"subject_name": "Doreen Price", "subject_postcode": "DN31 2AB"}  # no dob
    first = front.call_service().start(NewContact(handler="h", caller="07700 900111", **doreen))
    for answer in [*TO_CARERS, *CARER_WANTS_INFORMATION]:
        first.answer(answer)
    first.wrap_up(WrapUp(outcome="advice", demand="new_need", category="carers"))
    clock.advance(2 * 24 * 3600)
    match = front.people.find(Details("Doreen Price", postcode="DN31 2AB"))
    assert match is not None
    same = MatchDecision.of(match, Decision.CONFIRMED, "h", clock())
    second = front.call_service().start(
        NewContact(handler="h", caller="07700 900222", person_decision=same, **doreen)
    )
    assert [c.id for c in second.history] == [first.contact_id]
    for answer in [*TO_CARERS, *CARER_WANTS_INFORMATION]:
        second.answer(answer)
    assert second.suggested_demand() == "repeat_contact"


@pytest.mark.parametrize(
    ("taken", "outcome"),
    [((), "incomplete"), (("signposted",), "signposted"), (("signposted", "referred"), "referred")],
)
def test_with_no_script_end_the_outcome_is_what_the_handler_did(front, taken, outcome):
    """A service referred to before any script end was pre-filled "call ended before an
    outcome", though a referral is made at wrap-up."""
    call = front.call_service().start(NewContact(handler="h"))
    services = ["carers-support-service", "falls-prevention-service"][: len(taken)]
    for action, service in zip(taken, services, strict=True):
        call.choose(front.index.by_id[service], action, from_search=False)
    assert call.suggested_outcome() == outcome


@pytest.mark.parametrize(
    ("script", "taken", "outcome"),
    [
        ("referred", ("signposted",), "signposted"),  # no referral made: none counted
        ("referred", ("referred",), "referred"),
        ("referred", (), "referred"),
        ("advice", ("signposted",), "signposted"),
        ("escalated", ("signposted",), "escalated"),
    ],
)
def test_the_script_ends_outcome_gives_way_to_what_was_done(script, taken, outcome):
    assert suggested_outcome(script, taken) == outcome


def test_the_outcome_follows_what_the_handler_recorded(front, clock):
    call = front.call_service().start(NewContact(handler="h"))
    for answer in [
        "No",
        "No",
        "No",
        "Nursing care at home (wounds, insulin, catheter)",
        "No",
        "Yes",
        "A wound or dressing",
        "No",
    ]:
        call.answer(answer)
    assert call.suggested_outcome() == "resolved"
    service = front.index.by_id["tissue-viability"]
    call.choose(service, "referred", from_search=False)
    assert call.suggested_outcome() == "referred"
    clock.advance(30)
    call.end_call()
    clock.advance(90)
    call.wrap_up(WrapUp(outcome="referred", demand="new_need"))
    contact = front.record.contact(call.contact_id)
    assert (contact.wrap_ended_at - contact.ended_at).total_seconds() == 90


def test_a_step_that_cannot_be_kept_anywhere_is_not_taken(front):
    """Applied at once (the simulation's writer), a failed write goes up and the runner
    goes back to where the kept steps left it."""
    import pytest
    from sqlalchemy.exc import OperationalError

    class Refusing:
        def __init__(self):
            self.refuse = False

        def submit(self, write):
            if self.refuse:
                raise OperationalError("INSERT", {}, Exception("database is locked"))
            front.record.apply(write)

    writer = Refusing()
    call = front.call_service(writer=writer).start(NewContact(handler="h"))
    call.answer("No")
    writer.refuse = True
    with pytest.raises(OperationalError):
        call.answer("No")
    assert call.triage.node_name == "harm_from_others"  # the runner did not move on
    writer.refuse = False
    call.answer("No")
    assert call.triage.node_name == "already_arranged"
    assert [a.node for a in front.record.contact(call.contact_id).answers] == [
        "danger_now",
        "harm_from_others",
    ]


def test_the_step_says_what_happened(front):
    call = front.call_service().start(NewContact(handler="h"))
    steps = [call.answer(a) for a in TO_CARERS]
    assert steps[0].option is not None and steps[0].option.next == "harm_from_others"
    handed_on = steps[-1]
    assert [e.node for e in handed_on.ends_reached] == ["to_carers"]
    assert handed_on.ends_withdrawn == 0
    back = call.back()
    assert back.ends_withdrawn == 1 and back.ends_reached == ()
    escalated = call.escalate("escalate_emergency")
    assert escalated.red_flags and escalated.end is not None


# danger? no. harm? no. chasing? yes: the district nurse has not come to dress the leg ulcer
CHASE_MISSED_DRESSING = [
    "No",
    "No",
    "Yes",
    "A district nurse who has not come",
    "No",  # not very unwell
    "A wound or dressing (leg ulcer, pressure sore)",
    "No",  # the wound looks no different
]


def test_a_missed_nursing_visit_is_physical_health_and_the_third_chase_in_a_week_a_repeat(
    front, clock
):
    """As it was found: a daughter chasing her father's missed leg-ulcer dressing was put
    down as a general enquiry, resolved from the record, and her third call that week was
    not suggested as a repeat."""
    daughter = "01632 960444"
    suggested = []
    for _ in range(3):
        call = front.call_service().start(NewContact(handler="h", caller=daughter))
        for answer in CHASE_MISSED_DRESSING:
            call.answer(answer)
        assert call.triage.script.script == "missed-nursing-visit"
        assert call.triage.node_name == "rebook_visit"
        assert call.category == "physical_health"
        assert call.suggested_outcome() == "referred"
        assert [s.id for s, _ in call.suggested_services()] == ["district-nursing"]
        demand = call.suggested_demand()
        suggested.append(demand)
        call.wrap_up(WrapUp(outcome="referred", demand=demand, category=call.category))
        clock.advance(2 * 24 * 3600 + 3600)
    assert suggested == ["progress_chasing", "repeat_contact", "repeat_contact"]


def test_a_search_is_kept_when_the_handler_settles_on_it_not_at_each_keystroke(front):
    """The search box reports every keystroke; the record keeps what the handler settled
    on, Enter or not: typing errors put right are one search, a box emptied or typed over
    settles the search before, and the call's end settles the last."""
    call = front.call_service().start(NewContact(handler="h"))

    def typed(text: str, start: str = "") -> None:
        for n in range(len(start) + 1, len(text) + 1):
            call.searching(text[:n], call.search(text[:n]))

    typed("chiropody")
    for n in range(len("chiropody") - 1, -1, -1):  # deleted back to an empty box
        call.searching("chiropody"[:n], call.search("chiropody"[:n]))
    typed("distrcit")
    for n in (7, 6, 5):  # put right: deleted back to "distr", then typed on
        call.searching("distrcit"[:n], [])
    typed("district nurse", start="distr")
    call.record_search("district nurse", call.search("district nurse"))  # Enter
    call.searching("district nurs", [])  # deleting back from a kept search
    typed("skydiving")  # typed over it (all selected): a new search
    call.end_call()
    searches = front.record.contact(call.contact_id).searches
    assert [(s.query, bool(s.results)) for s in searches] == [
        ("chiropody", True),
        ("district nurse", True),
        ("skydiving", False),
    ]
