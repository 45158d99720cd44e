"""Run the `tests` written inside a script: answers in order, the end they must reach.

A test may give what a calling script would have recorded and the facts the record
knows (`given`), fix the moment (`now`, `today`), and follow hand-ons into other scripts
(`expect: OTHER-SCRIPT/END`), looked up in `scripts` (the files given, then the library).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

from frontdoor.local_time import BankHolidays
from frontdoor.triage_scripts.answers import AnswerError
from frontdoor.triage_scripts.conditions import ConditionError
from frontdoor.triage_scripts.facts import Facts, Moment, is_fact
from frontdoor.triage_scripts.limits import Deadline
from frontdoor.triage_scripts.loader import LoadedScript
from frontdoor.triage_scripts.model import Script, ScriptTest
from frontdoor.triage_scripts.runner import Triage, TriageError


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest class

    file: str
    line: int
    script: str
    name: str
    passed: bool
    reached: str | None
    message: str = ""
    index: int = 0
    # the hand-on ends of its own script it went through (`expect: OTHER/END`)
    hand_ons: tuple[str, ...] = ()

    def __str__(self) -> str:
        status = "PASS" if self.passed else "FAIL"
        text = f"{status} {self.script}: {self.name}"
        return text if self.passed else f"{text} ({self.message})"


def expected_end(test: ScriptTest) -> tuple[str | None, str]:
    """(other script, end) for `OTHER/END`; (None, end) for an end of its own script."""
    other, slash, end = test.expect.partition("/")
    return (other, end) if slash else (None, test.expect)


def _moment(test: ScriptTest, bank_holidays: Container[dt.date]) -> Moment | None:
    local = test.moment_given()
    return None if local is None else Moment(local, local.date() in bank_holidays)


def _given_answers(test: ScriptTest) -> dict[str, Any]:
    # a many answer given as a list is kept as the runner keeps one: a tuple
    return {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in test.given.items()
        if not is_fact(name)
    }


def run_test(
    loaded: LoadedScript,
    index: int,
    deadline: Deadline | None = None,
    scripts: Mapping[str, Script] | None = None,
    bank_holidays: Container[dt.date] | None = None,
) -> TestResult:
    """One test; it fails, saying where it stopped, if `deadline` passes on the way (one
    test of thousands of answers is as long as thousands of tests). `scripts` are where
    `expect: OTHER/END` hands on to; `bank_holidays` the calendar of `now.bank_holiday`."""
    script = loaded.script
    test = script.tests[index]
    line = loaded.line("tests", index)

    def result(
        passed: bool, reached: str | None, message: str = "", hand_ons: tuple[str, ...] = ()
    ) -> TestResult:
        return TestResult(
            loaded.path,
            line,
            script.script,
            test.title(index),
            passed,
            reached,
            message,
            index,
            hand_ons,
        )

    other, end = expected_end(test)
    try:
        facts = Facts.given({k: v for k, v in test.given.items() if is_fact(k)})
    except ValueError as exc:
        return result(False, None, f"given: {exc}")
    recorded = _given_answers(test)
    missing = [name for name in script.needs if name not in recorded]
    if missing:
        return result(
            False, None, f"the script needs {', '.join(missing)}: give them with 'given:'"
        )
    moment = _moment(test, bank_holidays if bank_holidays is not None else BankHolidays())
    try:
        triage = Triage(
            script,
            library=scripts or {},
            follow_goto=other is not None,
            facts=facts,
            clock=(lambda: moment) if moment is not None else None,
            recorded=recorded,
            stop_at=(other, end) if other is not None else None,
        )
    except (TriageError, ConditionError) as exc:
        return result(False, script.start, f"at the start: {exc}")
    for number, answer in enumerate(test.answers, start=1):
        if triage.finished:
            left = len(test.answers) - number + 1
            return result(
                False,
                triage.node_name,
                f"the script ended at '{triage.node_name}' with {left} answer(s) left",
            )
        at = triage.node_name
        if deadline is not None and deadline.passed():
            return result(
                False,
                at,
                f"stopped at answer {number} of {len(test.answers)}: this file's tests took "
                f"more than {deadline.seconds:g} s, the most one file may take",
            )
        try:
            triage.answer(answer)
        except (AnswerError, TriageError, ConditionError) as exc:
            return result(False, at, f"answer {number} ({answer!r}) at '{at}': {exc}")
    if not triage.finished:
        return result(
            False,
            triage.node_name,
            f"stopped at question '{triage.node_name}': it needs more answers",
        )
    reached = triage.node_name
    if other is not None:
        reached = f"{triage.script.script}/{reached}"
    if reached != test.expect:
        return result(False, reached, f"reached '{reached}', expected '{test.expect}'")
    hand_ons = tuple(e.node for e in triage.ends if e.script == script.script and e.end.goto_script)
    return result(True, reached, hand_ons=hand_ons)


def run_tests(
    loaded: LoadedScript,
    deadline: Deadline | None = None,
    scripts: Mapping[str, Script] | None = None,
    bank_holidays: Container[dt.date] | None = None,
) -> list[TestResult]:
    """Every test of the script, in order; once `deadline` has passed, the test it
    reached fails as not run and the rest are left (a script with thousands of tests
    of thousands of nodes must not hold lint for ever). `scripts` are where
    `expect: OTHER/END` hands on to."""
    results: list[TestResult] = []
    for i, test in enumerate(loaded.script.tests):
        if deadline is not None and deadline.passed():
            left = len(loaded.script.tests) - i
            message = (
                f"not run: this file's tests took more than {deadline.seconds:g} s, the most "
                f"one file may take ({left} test(s) not run)"
            )
            line = loaded.line("tests", i)
            results.append(
                TestResult(
                    loaded.path, line, loaded.script.script, test.title(i), False, None, message, i
                )
            )
            break
        results.append(run_test(loaded, i, deadline, scripts, bank_holidays))
    return results
