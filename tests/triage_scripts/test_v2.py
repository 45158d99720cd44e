"""The format's version 2 in the runner and the script tests: decisions, many answers,
wording for the person, facts and the moment, needs, and tests that follow a hand-on."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from frontdoor.triage_scripts.answers import AnswerError
from frontdoor.triage_scripts.diff import diff, diff_text
from frontdoor.triage_scripts.facts import Facts, Moment, RepeatIn
from frontdoor.triage_scripts.lint import check_tests
from frontdoor.triage_scripts.loader import load_file, load_text
from frontdoor.triage_scripts.mermaid import mermaid
from frontdoor.triage_scripts.model import ResponseTime
from frontdoor.triage_scripts.outline import outline
from frontdoor.triage_scripts.runner import Decided, MomentNotGiven, Triage
from frontdoor.triage_scripts.script_tests import run_tests

V2 = Path(__file__).parent / "fixtures" / "v2"
MONDAY = Moment(dt.datetime(2026, 11, 23, 14, 30))
CHRISTMAS = Moment(dt.datetime(2026, 12, 25, 10, 0), bank_holiday=True)


@pytest.fixture(scope="module")
def loaded():
    return {p.stem: load_file(p).loaded for p in V2.glob("*.yaml")}


@pytest.fixture(scope="module")
def scripts(loaded):
    return {name: item.script for name, item in loaded.items()}


def triage(scripts, moment=MONDAY, **facts) -> Triage:
    return Triage(scripts["breathing"], library=scripts, facts=Facts(**facts), clock=lambda: moment)


def test_a_decision_is_taken_on_the_facts_recorded_in_the_step_and_skipped_by_back(scripts):
    run = triage(scripts, person_age=80)
    step = run.answer(["Cough", "Fever"])
    assert step.decisions == (Decided("breathing", 1, "older_or_closed", "urgent_response"),)
    assert run.finished and run.last_end.end.code == "Dx05"
    assert run.last_end.end.respond_within == ResponseTime(4, "hours")
    run.back()  # back past the decision, to the question before it
    assert run.node_name == "symptoms" and not run.finished
    # not known: the decision falls back to asking
    run = triage(scripts)
    assert run.answer(["Cough", "Fever"]).decisions[0].target == "born_on"
    run.answer("1940-01-01")
    assert run.node_name == "urgent_response"
    run.back()
    assert run.node_name == "born_on"


def test_the_moment_decides_too_and_a_run_without_one_refuses_to_guess(scripts):
    assert triage(scripts, CHRISTMAS, person_age=40).answer(["Fever", "Cough"]).decisions[
        0
    ].target == ("urgent_response")
    saturday = Moment(dt.datetime(2026, 11, 28, 9, 0))
    assert triage(scripts, saturday, person_age=40).answer(["Fever", "Cough"]).decisions
    no_clock = Triage(scripts["breathing"], library=scripts)
    with pytest.raises(MomentNotGiven, match="now:"):
        no_clock.answer(["Fever", "Cough"])
    assert no_clock.node_name == "symptoms" and no_clock.recorded == {}


def test_a_many_answer_is_the_labels_in_the_options_order_with_none_of_these_alone(scripts):
    run = triage(scripts)
    question = run.question
    for wrong, says in [
        ([], "at least one"),
        (["Sneezing"], "choose from"),
        (["Fever", "None of these"], "on its own"),
    ]:
        with pytest.raises(AnswerError, match=says):
            run.answer(wrong)
    assert run.node_name == "symptoms" and question is run.question
    step = run.answer('["short of breath", "COUGH"]')  # as the record keeps it: JSON text
    assert step.answer == ("Cough", "Short of breath")
    assert run.recorded["symptoms"] == ("Cough", "Short of breath")
    assert run.path == [("Which of these does the person have now?", "Cough, Short of breath")]


def test_the_wording_follows_who_is_on_the_phone_and_the_step_says_which(scripts):
    run = triage(scripts, caller_is_person=True)
    step = run.answer(["Chest pain"])
    assert step.wording == "self" and run.path[0][0] == "Which of these do you have now?"
    assert run.last_end.wording == "self"
    assert run.words(run.last_end.end.say) == "Put the phone down and ring 999 now."
    other = triage(scripts)
    assert other.answer(["Chest pain"]).wording == "other"
    assert other.last_end.wording == "other"


def test_a_hand_on_carries_what_was_recorded_into_the_script_that_needs_it(scripts):
    run = triage(scripts, contact_repeat=RepeatIn(frozenset({"physical_health"})))
    run.answer(["Fever"])
    run.answer("2026-11-22")
    step = run.answer("No")
    # the hand-on, then the decision that started the next script: fever, called before
    assert [e.node for e in step.ends_reached] == ["to_self_care"]
    assert step.decisions == (Decided("breathing-self-care", 2, "who_calls", "called_before"),)
    assert run.script.script == "breathing-self-care" and run.node_name == "called_before"
    run.back()  # back over the decision and the hand-on, to the question that led there
    assert (run.script.script, run.node_name) == ("breathing", "on_oxygen")
    assert run.ends == []


def test_contact_repeat_is_true_only_in_a_script_of_a_category_it_was_a_repeat_in():
    facts = Facts(contact_repeat=RepeatIn(frozenset({"physical_health"})))
    assert facts.values("physical_health", None)["contact.repeat"] is True
    assert facts.values("general_enquiry", None)["contact.repeat"] is False
    assert "now.hour" not in facts.values(None, None)
    known = Facts().values(None, CHRISTMAS)
    assert (known["now.hour"], known["now.weekday"], known["now.bank_holiday"]) == (
        10,
        "fri",
        True,
    )


def test_a_replay_follows_the_decisions_recorded_whatever_the_facts_are_now(scripts):
    planned = [Decided("breathing", 1, "older_or_closed", "urgent_response")]
    run = Triage(scripts["breathing"], library=scripts, clock=lambda: MONDAY, planned=list(planned))
    step = run.answer(["Cough", "Fever"])  # the age is not known now: it would ask it
    assert step.decisions == tuple(planned) and run.node_name == "urgent_response"


def test_a_script_starting_with_a_decision_takes_it_before_any_question(scripts):
    run = Triage(
        scripts["breathing-self-care"],
        recorded={"symptoms": ("Fever",)},
        facts=Facts(caller_type="professional"),
    )
    assert run.opening == (Decided("breathing-self-care", 2, "who_calls", "professional_advice"),)
    assert run.finished and not run.can_go_back


def test_a_test_following_a_hand_on_counts_for_the_hand_on_end_it_passes(loaded, scripts):
    breathing = loaded["breathing"]
    results = run_tests(breathing, scripts=scripts)
    assert all(r.passed for r in results), [str(r) for r in results if not r.passed]
    assert results[-1].reached == "breathing-self-care/cough_care"
    assert results[-1].hand_ons == ("to_self_care",)
    assert results[0].name == "test 1"  # names are optional
    # without the test that follows it, the hand-on end of a published script is untested
    tests = [t for t in breathing.script.tests if "/" not in t.expect]
    alone = dataclasses.replace(
        breathing, script=breathing.script.model_copy(update={"tests": tests})
    )
    problems = check_tests(alone, scripts=scripts)
    assert [p.message for p in problems] == [
        "end 'to_self_care' of a published script is not reached by any test"
    ]
    # a chain that goes elsewhere fails, and says where it went
    wrong = breathing.script.tests[-1].model_copy(
        update={"expect": "breathing-self-care/fever_care"}
    )
    elsewhere = dataclasses.replace(
        breathing, script=breathing.script.model_copy(update={"tests": [wrong]})
    )
    (result,) = run_tests(elsewhere, scripts=scripts)
    assert not result.passed and "reached 'breathing-self-care/cough_care'" in result.message
    nowhere = wrong.model_copy(update={"expect": "breathing-self-care/no_such_end"})
    named = dataclasses.replace(
        breathing, script=breathing.script.model_copy(update={"tests": [nowhere]})
    )
    assert (
        "not an end of script 'breathing-self-care'"
        in check_tests(named, scripts=scripts)[0].message
    )


SHAPE = """script: shape
title: Shape
version: 1
status: draft
category: physical_health
start: first
nodes:
  first:
{node}
  done:
    outcome: advice
{tests}
"""


@pytest.mark.parametrize(
    ("node", "says"),
    [
        ("    decide: [{else: done}]\n    options: [{answer: A, next: done}]", "asks"),
        ("    decide: [{else: done}]\n    record: x", "asks and records nothing"),
        ("    decide: [{if: 'person.age > 2', next: done}]", "must end with an 'else'"),
        (
            "    ask: Which?\n    input: many\n    record: s\n"
            "    options: [{answer: A, next: done}]\n    route: [{else: done}]",
            "has no 'next'",
        ),
        ("    ask: Which?\n    options: [{answer: A, next: done, only: true}]", "input many"),
        (
            "    ask: {self: 'Are you?'}\n    input: yes_no\n"
            "    options: [{answer: Yes, next: done}]",
            "both given",
        ),
        ("    outcome: referred\n    respond_within: 4h", "referral end"),
        ("    outcome: referred\n    refer_to: x\n    respond_within: 0h", "not '0h'"),
        ("    outcome: referred\n    refer_to: x\n    respond_within: 24", "not 24"),
    ],
)
def test_version_2_shapes_are_refused_in_words(node, says):
    result = load_text(SHAPE.format(node=node, tests=""), "shape.yaml")
    assert result.loaded is None
    assert any(says in p.message for p in result.problems), [str(p) for p in result.problems]


def test_response_times_read_as_written():
    node = "    outcome: referred\n    refer_to: x\n    respond_within: {}"
    for text, expected in [
        ("24h", ResponseTime(24, "hours")),
        ("1 working day", ResponseTime(1, "working_days")),
        ("5 working days", ResponseTime(5, "working_days")),
    ]:
        result = load_text(SHAPE.format(node=node.format(text), tests=""), "shape.yaml")
        end = result.loaded.script.nodes["first"]
        assert end.respond_within == expected and str(end.respond_within) == text


def test_a_test_gives_now_or_today_not_both_and_only_facts_it_knows():
    node = "    outcome: advice"
    both = "tests:\n  - {expect: first, now: 2026-11-23T14:30, today: 2026-11-23}"
    result = load_text(SHAPE.format(node=node, tests=both), "shape.yaml")
    assert any("not both" in p.message for p in result.problems)
    with pytest.raises(ValueError, match="whole number"):
        Facts.given({"person.age": "old"})
    with pytest.raises(ValueError, match="now:"):
        Facts.given({"now.hour": 9})
    with pytest.raises(ValueError, match="never null"):
        Facts.given({"caller.is_person": None})
    assert Facts.given({"person.age": None, "caller.type": "carer"}) == Facts(caller_type="carer")


def test_the_outline_mermaid_and_diff_show_what_version_2_adds(scripts):
    text = outline(scripts["breathing"])
    assert "older_or_closed [decide]" in text
    assert "options: Fever, Cough, Short of breath, Chest pain, None of these (only)" in text
    assert "ask: self: Which of these do you have now? | other: Which of these does" in text
    assert "respond_within: 4h" in text and "code: Dx05" in text
    assert "needs: symptoms" in outline(scripts["breathing-self-care"])
    assert 'n_older__or__closed{"older#95;or#95;closed<br/>decides' in mermaid(scripts["breathing"])
    later = scripts["breathing"].model_copy(update={"version": 2})
    end = later.nodes["urgent_response"].model_copy(update={"code": "Dx06"})
    later = later.model_copy(update={"nodes": {**later.nodes, "urgent_response": end}})
    assert "  ~ code\n      was: Dx05\n      now: Dx06" in diff_text(
        diff(scripts["breathing"], later)
    )


def test_a_shape_problem_in_one_v2_node_hides_none_of_the_others():
    node = (
        "    ask: Which?\n    input: many\n    record: s\n    options: [{answer: A}]\n"
        "  second:\n    ask: Hurt?\n    decide: [{else: done}]"
    )
    result = load_text(SHAPE.format(node=node, tests=""), "shape.yaml")
    messages = [p.message for p in result.problems]
    assert any("needs 'options', 'record' and a 'route'" in m for m in messages), messages
    assert any("asks and records nothing" in m for m in messages), messages
