"""Checks of the format's version 2 that need the whole script: decisions that loop among
themselves (R2), conditions that use an answer or a fact as its kind allows (R6), the
facts a test gives (R6) and the end it expects, in its own script or one it hands on to
(R7). lint.py runs them with the other rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from frontdoor.triage_scripts.conditions import TIME_FUNCTIONS, Compare, comparisons
from frontdoor.triage_scripts.facts import FACTS, Facts, is_fact
from frontdoor.triage_scripts.loader import LoadedScript, Problem
from frontdoor.triage_scripts.model import ESCALATIONS, InputKind, Script

_FACT_WORDS = {"number": "a number", "text": "text", "true_false": "true or false"}


def check_decide_loops(loaded: LoadedScript) -> list[Problem]:
    """R2: decide nodes that lead back to themselves with nothing asked between would
    pass round for ever (a depth-first search over decide-to-decide steps)."""
    decides = loaded.script.decides()
    colour: dict[str, str] = {}  # "open" while on the search path, then "done"
    seen_loops: set[frozenset[str]] = set()
    problems: list[Problem] = []
    for root in decides:
        if root in colour:
            continue
        colour[root] = "open"
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(decides[root].targets()))]
        while stack:
            name, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                colour[name] = "done"
                stack.pop()
            elif target in decides and colour.get(target) == "open":
                path = [n for n, _ in stack]
                loop = path[path.index(target) :]
                if frozenset(loop) not in seen_loops:
                    seen_loops.add(frozenset(loop))
                    problems.append(
                        Problem(
                            loaded.path,
                            loaded.line("nodes", loop[0]),
                            "R2",
                            "decide nodes loop with nothing asked between: "
                            + " -> ".join([*loop, loop[0]]),
                        )
                    )
            elif target in decides and target not in colour:
                colour[target] = "open"
                stack.append((target, iter(decides[target].targets())))
    return problems


def _answer_kinds(script: Script) -> tuple[dict[str, set[InputKind]], dict[str, set[str]]]:
    """The input kinds each recorded name is recorded with, and a many answer's labels."""
    kinds: dict[str, set[InputKind]] = {}
    labels: dict[str, set[str]] = {}
    for question in script.questions().values():
        if question.record:
            kinds.setdefault(question.record, set()).add(question.input)
            if question.input == "many":
                labels.setdefault(question.record, set()).update(question.labels())
    return kinds, labels


def _fact_misuse(compare: Compare) -> str | None:
    kind = FACTS[compare.name]
    if compare.op == "truthy" and kind != "true_false":
        return (
            f"a bare name means 'is true', and '{compare.name}' is {_FACT_WORDS[kind]}: "
            f"compare it with a value"
        )
    if compare.op.startswith("has"):
        return f"'has' works only on a many answer, and '{compare.name}' is a fact"
    return None


def misuse(compare: Compare, kinds: set[InputKind], labels: set[str]) -> str | None:
    """Why a comparison does not fit the kind of answer it reads (None when it does)."""
    many = kinds == {"many"}
    kind_words = f"a {' or '.join(sorted(kinds))} answer"
    if compare.function == "count" and not many:
        return f"count() works only on a many answer, and '{compare.name}' is {kind_words}"
    if compare.function in TIME_FUNCTIONS and kinds != {"date"}:
        return (
            f"{compare.function}() works only on a date answer, "
            f"and '{compare.name}' is {kind_words}"
        )
    if compare.op.startswith("has"):
        if not many:
            return f"'has' works only on a many answer, and '{compare.name}' is {kind_words}"
        wanted = compare.value if isinstance(compare.value, tuple) else (compare.value,)
        unknown = [label for label in wanted if label not in labels]
        if unknown:
            return (
                f"'{unknown[0]}' is not an option of '{compare.name}' "
                f"(labels match exactly: {', '.join(sorted(labels))})"
            )
        return None
    if many and compare.function is None:
        return (
            f"'{compare.name}' is a many answer: use has, has any, has all or count(), "
            f"not {'a bare name' if compare.op == 'truthy' else compare.op}"
        )
    if compare.op == "truthy" and kinds != {"yes_no"}:
        return (
            f"a bare name means 'is true', which only a yes_no answer is; "
            f"'{compare.name}' is {kind_words}: compare it with a value"
        )
    return None


def check_condition_types(loaded: LoadedScript) -> list[Problem]:
    """R6: `has`, `count` and a bare name where the answer or fact allows them, and
    labels that are options of the many question they test. A name the script only
    `needs` is recorded by another script: its kind is not known here."""
    kinds, labels = _answer_kinds(loaded.script)
    problems: list[Problem] = []
    for line, condition in loaded.conditions():
        for compare in comparisons(condition):
            if is_fact(compare.name):
                why = _fact_misuse(compare)
            elif compare.name in kinds:
                why = misuse(compare, kinds[compare.name], labels.get(compare.name, set()))
            else:
                why = None  # needed from a calling script, or not recorded (rule R5)
            if why is not None:
                problems.append(Problem(loaded.path, line, "R6", why))
    return problems


def given_problems(loaded: LoadedScript, index: int) -> list[Problem]:
    """R6: the facts a test gives are facts, with values of their kind."""
    test = loaded.script.tests[index]
    problems: list[Problem] = []
    for name, value in test.given.items():
        if not is_fact(name):
            continue
        try:
            Facts.given({name: value})
        except ValueError as exc:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line("tests", index, "given", name),
                    "R6",
                    f"test '{test.title(index)}' gives {exc}",
                )
            )
    return problems


def expect_problem(
    test_expect: str, loaded: LoadedScript, scripts: Mapping[str, Script]
) -> str | None:
    """Why a test's `expect` names no end (None when it does): an end of its own script,
    or OTHER/END of a script it can hand on to (a node whose shape was refused may be the
    end meant: it is reported already)."""
    script = loaded.script
    other, slash, end = test_expect.partition("/")
    if not slash:
        known = set(script.ends()) | set(ESCALATIONS) | set(loaded.failed_nodes)
        return None if test_expect in known else "which is not an end of this script"
    target = script if other == script.script else scripts.get(other)
    if target is None:
        return f"and there is no script '{other}' in the files given or the library"
    if end in target.ends() or end in ESCALATIONS:
        return None
    return f"which is not an end of script '{other}'"
