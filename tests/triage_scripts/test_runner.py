"""The runner: answers, routes, back, escalation, hand-on between scripts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import weakref
from pathlib import Path

import pytest

from frontdoor.triage_scripts import runner
from frontdoor.triage_scripts.answers import AnswerError
from frontdoor.triage_scripts.library import load_library
from frontdoor.triage_scripts.loader import load_file
from frontdoor.triage_scripts.model import Escalation, ScriptTest
from frontdoor.triage_scripts.runner import Triage, TriageError
from frontdoor.triage_scripts.script_tests import run_tests

GOOD = Path(__file__).parent / "fixtures" / "good"


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_a_whole_path_through_two_scripts_keeps_what_was_recorded(library):
    triage = Triage(library.scripts["reason-for-call"], library=library.scripts)
    for answer in ["No", "No", "No", "A fall, or someone unsteady on their feet"]:
        triage.answer(answer)
    assert triage.script.script == "falls"
    assert [e.node for e in triage.ends] == ["to_falls"]
    for answer in ["No", "No", "No"]:  # not hurt, not on the floor, no blackout
        triage.answer(answer)
    step = triage.answer("3")
    assert step.value == 3 and step.end is None
    for answer in ["No", "No", "No", "No"]:  # no treatment, steady, few medicines, not alone
        step = triage.answer(answer)
    assert step.end is not None
    assert triage.finished and triage.node_name == "falls_service"
    assert triage.outcome == "referred"
    assert triage.recorded == {
        "falls_12m": 3,
        "hurt_or_long_lie": False,
        "unsteady": False,
        "medicines": False,
        "alone": False,
    }


def test_back_undoes_the_answer_and_what_it_recorded(library):
    triage = Triage(library.scripts["falls"], library=library.scripts)
    for answer in ["No", "No", "No"]:
        triage.answer(answer)
    triage.answer(1)
    assert triage.node_name == "needed_treatment" and triage.recorded == {"falls_12m": 1}
    assert [answer for _, answer in triage.path] == ["No", "No", "No", "1"]
    triage.back()
    assert triage.node_name == "falls_count" and triage.recorded == {}
    assert [answer for _, answer in triage.path] == ["No", "No", "No"]
    triage.answer(4)
    for answer in ["No", "No", "No", "No"]:
        triage.answer(answer)
    assert triage.node_name == "falls_service"


def test_back_across_a_hand_on_returns_to_the_first_script(library):
    triage = Triage(library.scripts["reason-for-call"], library=library.scripts)
    for answer in ["No", "No", "No", "Looking after someone (a carer)"]:
        triage.answer(answer)
    assert triage.script.script == "carers"
    triage.back()
    assert triage.script.script == "reason-for-call" and triage.node_name == "main_need"
    assert triage.ends == []


def test_back_at_the_first_question_is_refused(library):
    with pytest.raises(TriageError):
        Triage(library.scripts["falls"]).back()


@pytest.mark.parametrize(
    ("target", "outcome"),
    [("escalate_emergency", "escalated"), ("escalate_safeguarding", "safeguarding")],
)
def test_escalation_is_reachable_from_every_question(library, target, outcome):
    for script in library.scripts.values():
        for name in script.questions():
            triage = Triage(script, library=library.scripts)
            triage._run.machine.set_state(name)  # stand on each question in turn
            step = triage.escalate(target)
            assert step.end is not None and step.end.end.red_flag
            assert triage.finished and triage.outcome == outcome


def test_answers_that_do_not_fit_are_refused_with_what_would(library):
    triage = Triage(library.scripts["falls"])
    with pytest.raises(AnswerError, match="Yes, No"):
        triage.answer("Maybe")
    for answer in ["No", "No", "No"]:
        triage.answer(answer)
    with pytest.raises(AnswerError, match="number"):
        triage.answer("two")
    assert triage.node_name == "falls_count"


def test_no_answer_after_the_end(library):
    triage = Triage(library.scripts["falls"])
    triage.answer("Yes")
    with pytest.raises(TriageError):
        triage.answer("No")


def test_date_and_text_answers_and_lists_in_conditions():
    loaded = {p.stem: load_file(p).loaded for p in GOOD.glob("*.yaml")}
    scripts = {k: v.script for k, v in loaded.items() if v}
    triage = Triage(scripts["equipment-return"], library=scripts)
    triage.answer("hoist")
    step = triage.answer("2024-12-31")
    assert step.value == dt.date(2024, 12, 31)
    assert triage.node_name == "service_due"
    triage = Triage(scripts["equipment-return"], library=scripts)
    triage.answer("Walking frame")
    triage.answer("2020-01-01")
    triage.answer(True)
    triage.answer("Brake sticks")
    assert triage.script.script == "equipment-repair"
    assert triage.recorded["fault_text"] == "Brake sticks"
    triage = Triage(scripts["equipment-return"], library=scripts)
    triage.answer("Bed")
    with pytest.raises(AnswerError, match="YYYY-MM-DD"):
        triage.answer("1st May")


def test_the_machine_has_no_auto_transitions(library):
    triage = Triage(library.scripts["falls"])
    assert not hasattr(triage._run, "to_falls_service")
    assert not any(name.startswith("to_") for name in triage._run.machine.events)


def test_a_script_machine_is_built_once_and_keeps_no_run_alive(library):
    script = library.scripts["falls"]
    first, second = Triage(script), Triage(script)
    assert first._run.machine is second._run.machine
    first.answer("No")
    # two runs of one machine each stand where their own answers took them
    assert first.node_name != second.node_name == script.start
    assert first._run.machine.models == []  # triggered with the run, never registered
    kept = weakref.ref(first._run)
    del first
    gc.collect()
    assert kept() is None
    # a script of its own (a library read again) has a machine of its own, dropped with it
    copy = script.model_copy()
    again = Triage(copy)
    assert again._run.machine is not second._run.machine
    machines = len(runner._MACHINES)
    del again, copy
    gc.collect()
    assert len(runner._MACHINES) == machines - 1


@pytest.fixture(scope="module")
def fixtures():
    return {p.stem: load_file(p).loaded for p in GOOD.glob("*.yaml")}


# the library's "safeguarding script" here is the fixtures' repair script: any will do
F9 = Escalation(say="Listen; do not promise secrecy.", goto_script="equipment-repair")


def test_back_from_an_end_or_an_escalation_returns_to_the_question(fixtures):
    triage = Triage(fixtures["equipment-return"].script)
    triage.answer("Hoist")
    triage.answer("2024-05-01")  # an old hoist: the service_due end
    assert triage.finished and triage.can_go_back
    step = triage.back()
    assert step.ends_withdrawn == 1 and step.node == "service_due"
    assert triage.node_name == "delivered_on" and not triage.finished and triage.ends == []
    assert triage.recorded == {"item": "Hoist"}
    triage.escalate("escalate_emergency")
    assert triage.finished and triage.outcome == "escalated"
    triage.back()
    assert triage.node_name == "delivered_on" and triage.outcome is None
    assert [answer for _, answer in triage.path] == ["Hoist"]


def test_f9_hands_on_with_its_guidance_and_its_outcome_stands(fixtures):
    scripts = {name: loaded.script for name, loaded in fixtures.items()}
    triage = Triage(
        scripts["equipment-return"],
        library=scripts,
        escalations={"escalate_safeguarding": F9},
    )
    triage.answer("Bed")
    step = triage.answer("!safeguarding")
    assert [e.node for e in step.ends_reached] == ["escalate_safeguarding"]
    assert step.end.end.say == F9.say and step.red_flags
    assert (triage.script.script, triage.node_name) == ("equipment-repair", "unsafe")
    assert triage.path[-1] == ("When was it delivered?", "escalated: safeguarding")
    triage.answer("No")
    assert triage.finished and triage.last_end.end.outcome == "resolved"
    assert triage.outcome == "safeguarding"  # the escalation's, whatever follows it
    triage.back()
    triage.back()  # the answer, then the escalation
    assert (triage.script.script, triage.node_name) == ("equipment-return", "delivered_on")
    assert triage.ends == [] and triage.recorded == {"item": "Bed"}


def test_a_hand_on_to_a_script_not_in_the_library_is_refused_before_moving(fixtures):
    triage = Triage(fixtures["equipment-return"].script, escalations={"escalate_safeguarding": F9})
    with pytest.raises(TriageError, match="not in the library"):
        triage.escalate("escalate_safeguarding")
    assert triage.node_name == "what_item" and triage.ends == [] and not triage.can_go_back


def test_in_a_script_test_an_escalation_is_an_answer_and_f9_stops_the_test(fixtures):
    loaded = fixtures["equipment-return"]
    tests = [
        ScriptTest(name="emergency", answers=["Bed", "!emergency"], expect="escalate_emergency"),
        ScriptTest(name="stops", answers=["!safeguarding"], expect="escalate_safeguarding"),
        ScriptTest(
            name="goes on", answers=["!safeguarding", "Bed"], expect="escalate_safeguarding"
        ),
    ]
    loaded = dataclasses.replace(loaded, script=loaded.script.model_copy(update={"tests": tests}))
    results = run_tests(loaded)
    assert [r.passed for r in results] == [True, True, False]
    assert "ended at 'escalate_safeguarding' with 1 answer(s) left" in results[2].message
