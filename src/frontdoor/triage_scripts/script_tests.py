"""Run the `tests` written inside a script: answers in order, the end they must reach."""

from __future__ import annotations

from dataclasses import dataclass

from frontdoor.triage_scripts.answers import AnswerError
from frontdoor.triage_scripts.conditions import ConditionError
from frontdoor.triage_scripts.limits import Deadline
from frontdoor.triage_scripts.loader import LoadedScript
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

    def __str__(self) -> str:
        status = "PASS" if self.passed else "FAIL"
        text = f"{status} {self.script}: {self.name}"
        return text if self.passed else f"{text} ({self.message})"


def run_test(loaded: LoadedScript, index: int, deadline: Deadline | None = None) -> TestResult:
    """One test; it fails, saying where it stopped, if `deadline` passes on the way (one
    test of thousands of answers is as long as thousands of tests)."""
    script = loaded.script
    test = script.tests[index]
    line = loaded.line("tests", index)

    def result(passed: bool, reached: str | None, message: str = "") -> TestResult:
        return TestResult(loaded.path, line, script.script, test.name, passed, reached, message)

    triage = Triage(script, follow_goto=False)
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
    if reached != test.expect:
        return result(False, reached, f"reached '{reached}', expected '{test.expect}'")
    return result(True, reached)


def run_tests(loaded: LoadedScript, deadline: Deadline | None = None) -> list[TestResult]:
    """Every test of the script, in order; once `deadline` has passed, the test it
    reached fails as not run and the rest are left (a script with thousands of tests
    of thousands of nodes must not hold lint for ever)."""
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
                TestResult(loaded.path, line, loaded.script.script, test.name, False, None, message)
            )
            break
        results.append(run_test(loaded, i, deadline))
    return results
