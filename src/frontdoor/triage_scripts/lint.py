"""Check script files against every rule of the format (R1-R7) and warn (W).

Lint takes what it checks against as arguments (vocabularies, directory ids, the
bundled library, today's date) so that it runs the same in the CLI, CI and tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from frontdoor.local_time import BankHolidays
from frontdoor.triage_scripts import conditions, lint_v2
from frontdoor.triage_scripts.facts import is_fact
from frontdoor.triage_scripts.loader import LoadedScript, Problem, load_file, script_files
from frontdoor.triage_scripts.model import ESCALATIONS, Decide, End, Question, Script, rules_of
from frontdoor.triage_scripts.script_tests import expected_end, run_tests


@dataclass(frozen=True)
class LintContext:
    # None when the service's vocabulary is not at hand: outcomes are then not checked.
    outcomes: frozenset[str] | None
    categories: frozenset[str]
    caller_types: frozenset[str] = frozenset({"public", "carer", "professional"})
    # None when no directory is at hand: refer_to/signpost are then not looked up.
    directory_ids: frozenset[str] | None = None
    library: Mapping[str, Script] = field(default_factory=dict)
    today: dt.date | None = None
    # the service's calendar, for the `now.bank_holiday` of tests that fix `now`/`today`
    bank_holidays: Container[dt.date] = field(default_factory=BankHolidays)


def successors(node: Question | Decide | End) -> list[str]:
    if isinstance(node, Question):
        return [*node.targets(), *ESCALATIONS]
    if isinstance(node, Decide):  # passed through: no escalation from here
        return node.targets()
    return []


def check_references(loaded: LoadedScript, known_scripts: set[str]) -> list[Problem]:
    """R1: every next, else, start and goto_script names something that exists."""
    script = loaded.script
    problems: list[Problem] = []
    names = set(script.nodes) | set(ESCALATIONS)
    if script.start not in names:
        problems.append(
            Problem(
                loaded.path,
                loaded.line("start", prefer_value=True),
                "R1",
                f"start '{script.start}' is not a node of this script",
            )
        )
    for name, node in script.nodes.items():
        if isinstance(node, Question):
            labels: set[str] = set()
            for i, option in enumerate(node.options or []):
                if option.answer.casefold() in labels:
                    problems.append(
                        Problem(
                            loaded.path,
                            loaded.line("nodes", name, "options", i),
                            "R1",
                            f"option '{option.answer}' is written twice in '{name}'",
                        )
                    )
                labels.add(option.answer.casefold())
                if option.next is not None and option.next not in names:
                    problems.append(
                        Problem(
                            loaded.path,
                            loaded.line("nodes", name, "options", i, "next", prefer_value=True),
                            "R1",
                            f"next '{option.next}' is not a node of this script",
                        )
                    )
        if isinstance(node, Question | Decide):
            field_name, rules = rules_of(node)
            for i, rule in enumerate(rules):
                key = "else" if rule.else_ is not None else "next"
                if rule.target not in names:
                    problems.append(
                        Problem(
                            loaded.path,
                            loaded.line("nodes", name, field_name, i, key, prefer_value=True),
                            "R1",
                            f"{key} '{rule.target}' is not a node of this script",
                        )
                    )
        elif node.goto_script and node.goto_script not in known_scripts:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line("nodes", name, "goto_script", prefer_value=True),
                    "R1",
                    f"goto_script '{node.goto_script}' is not in the files given or the library",
                )
            )
    return problems


def check_graph(loaded: LoadedScript) -> list[Problem]:
    """R2: every node is reachable from start, and every path can reach an end."""
    script = loaded.script
    problems: list[Problem] = []
    if script.start not in script.nodes:
        return problems
    seen, todo = set(), [script.start]
    while todo:
        name = todo.pop()
        if name in seen or name not in script.nodes:
            continue
        seen.add(name)
        todo.extend(t for t in successors(script.nodes[name]) if t not in ESCALATIONS)
    for name in script.nodes:
        if name not in seen:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line("nodes", name),
                    "R2",
                    f"node '{name}' cannot be reached from start",
                )
            )
    # Nodes that can reach an end, found backwards from the ends (escalations don't
    # count: a loop whose only exit is escalation is still a loop without exit).
    can_finish = {n for n, node in script.nodes.items() if isinstance(node, End)}
    changed = True
    while changed:
        changed = False
        for name, node in script.routing().items():
            if name not in can_finish and any(t in can_finish for t in node.targets()):
                can_finish.add(name)
                changed = True
    for name in script.nodes:
        if name in seen and name not in can_finish:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line("nodes", name),
                    "R2",
                    f"node '{name}' has no way out: no path from it reaches an end",
                )
            )
    return problems


def check_outcomes(loaded: LoadedScript, ctx: LintContext) -> list[Problem]:
    """R3: outcomes from the vocabulary; refer_to/signpost in the directory (warning)."""
    problems: list[Problem] = []
    for name, node in loaded.script.ends().items():
        outcomes = ctx.outcomes
        if node.outcome is not None and outcomes is not None and node.outcome not in outcomes:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line("nodes", name, "outcome", prefer_value=True),
                    "R3",
                    f"outcome '{node.outcome}' is not one of: {', '.join(sorted(outcomes))}",
                )
            )
        if ctx.directory_ids is None:
            continue
        wanted: list[tuple[tuple[str | int, ...], str]] = (
            [(("refer_to",), node.refer_to)] if node.refer_to else []
        )
        wanted += [(("signpost", i), sid) for i, sid in enumerate(node.signpost)]
        for key, service_id in wanted:
            if service_id not in ctx.directory_ids:
                path = ("nodes", name, *key)
                problems.append(
                    Problem(
                        loaded.path,
                        loaded.line(*path, prefer_value=True),
                        "W",
                        f"service '{service_id}' is not in the directory yet (R3)",
                    )
                )
    return problems


def recorded_on_entry(script: Script) -> dict[str, set[str]]:
    """What is surely recorded on entry to each node: a forward data-flow over the graph,
    where entry to a node is the intersection of what its predecessors surely recorded on
    leaving. What the script `needs` counts as recorded from the start; a decide node
    records nothing."""
    if script.start not in script.nodes:
        return {}
    needed = set(script.needs)
    all_names = {q.record for q in script.questions().values() if q.record} | needed
    entry: dict[str, set[str]] = {name: set(all_names) for name in script.nodes}
    entry[script.start] = set(needed)
    changed = True
    while changed:
        changed = False
        for name, node in script.routing().items():
            leaving = entry[name] | _records(node)
            for target in node.targets():
                if target in entry and target != script.start:
                    narrowed = entry[target] & leaving
                    if narrowed != entry[target]:
                        entry[target] = narrowed
                        changed = True
    return entry


def _records(node: Question | Decide) -> set[str]:
    return {node.record} if isinstance(node, Question) and node.record else set()


def check_recorded_before_use(
    loaded: LoadedScript, scripts: Mapping[str, Script] | None = None
) -> list[Problem]:
    """R5: every name in an `if` is recorded earlier on every path that reaches it (facts
    are always known), and a `goto_script` end is reached only by paths that recorded
    what the script it hands on to `needs` (looked up in `scripts`)."""
    script = loaded.script
    entry = recorded_on_entry(script)
    if not entry:
        return []
    problems: list[Problem] = []
    for name, node in script.routing().items():
        known = entry[name] | _records(node)
        key, rules = rules_of(node)
        for i, rule in enumerate(rules):
            if rule.if_ is None:
                continue
            used = conditions.names(conditions.parse(rule.if_))
            for missing in sorted(n for n in used - known if not is_fact(n)):
                problems.append(
                    Problem(
                        loaded.path,
                        loaded.line("nodes", name, key, i, "if", prefer_value=True),
                        "R5",
                        f"'{missing}' is used in a condition but not recorded on every path "
                        "before it",
                    )
                )
    for name, end in script.ends().items():
        target = (scripts or {}).get(end.goto_script or "")
        if target is None:
            continue
        for missing in [n for n in target.needs if n not in entry[name]]:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line("nodes", name, "goto_script", prefer_value=True),
                    "R5",
                    f"'{target.script}' needs '{missing}', which is not recorded on every "
                    "path to this end",
                )
            )
    return problems


def _expect_problem(test_expect: str, script: Script, scripts: Mapping[str, Script]) -> str | None:
    """Why a test's `expect` names no end (None when it does): an end of its own script,
    or OTHER/END of a script it can hand on to."""
    other, slash, end = test_expect.partition("/")
    if not slash:
        if test_expect in script.ends() or test_expect in ESCALATIONS:
            return None
        return "which is not an end of this script"
    target = script if other == script.script else scripts.get(other)
    if target is None:
        return f"and there is no script '{other}' in the files given or the library"
    if end in target.ends() or end in ESCALATIONS:
        return None
    return f"which is not an end of script '{other}'"


def check_tests(
    loaded: LoadedScript,
    scripts: Mapping[str, Script] | None = None,
    bank_holidays: Container[dt.date] | None = None,
) -> list[Problem]:
    """R7: the script's tests pass, and a published script has every end tested (a test
    that follows a hand-on counts for each hand-on end of its script it passes)."""
    script = loaded.script
    others = scripts or {}
    problems: list[Problem] = []
    bad_setup: set[int] = set()  # reported as such: not again as a failing test
    for i, test in enumerate(script.tests):
        given = lint_v2.given_problems(loaded, i)
        if given:
            bad_setup.add(i)
            problems += given
        why = _expect_problem(test.expect, script, others)
        if why is not None:
            bad_setup.add(i)
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line("tests", i, "expect", prefer_value=True),
                    "R7",
                    f"test '{test.title(i)}' expects '{test.expect}', {why}",
                )
            )
    results = run_tests(loaded, others, bank_holidays)
    for result in results:
        if not result.passed and result.index not in bad_setup:
            problems.append(
                Problem(
                    result.file, result.line, "R7", f"test '{result.name}' fails: {result.message}"
                )
            )
    if script.status == "published":
        reached = {
            end for test in script.tests for other, end in [expected_end(test)] if other is None
        }
        reached |= {end for result in results if result.passed for end in result.hand_ons}
        for name in sorted(set(script.ends()) - reached):
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line("nodes", name),
                    "R7",
                    f"end '{name}' of a published script is not reached by any test",
                )
            )
    return problems


def check_vocabulary(loaded: LoadedScript, ctx: LintContext) -> list[Problem]:
    """R6 for values that must come from the service's config; W for overdue review."""
    script = loaded.script
    problems: list[Problem] = []
    if ctx.categories and script.category not in ctx.categories:
        problems.append(
            Problem(
                loaded.path,
                loaded.line("category", prefer_value=True),
                "R6",
                f"category '{script.category}' is not one of: {', '.join(sorted(ctx.categories))}",
            )
        )
    for i, caller_type in enumerate(script.caller_types):
        if caller_type not in ctx.caller_types:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line("caller_types", i, prefer_value=True),
                    "R6",
                    f"caller type '{caller_type}' is not one of: "
                    f"{', '.join(sorted(ctx.caller_types))}",
                )
            )
    if ctx.today and script.review_by and script.review_by < ctx.today:
        problems.append(
            Problem(
                loaded.path,
                loaded.line("review_by", prefer_value=True),
                "W",
                f"review was due on {script.review_by.isoformat()}",
            )
        )
    return problems


def lint_loaded(
    loaded: LoadedScript,
    ctx: LintContext,
    known_scripts: set[str],
    scripts: Mapping[str, Script] | None = None,
) -> list[Problem]:
    """Every rule for one loaded script; `scripts` are the others it may hand on to (the
    files given, then the library)."""
    others = scripts if scripts is not None else ctx.library
    problems = check_references(loaded, known_scripts)
    structural = bool(problems)
    if not structural:
        problems += check_graph(loaded)
        problems += lint_v2.check_decide_loops(loaded)
        problems += check_recorded_before_use(loaded, others)
        problems += lint_v2.check_condition_types(loaded)
    problems += check_outcomes(loaded, ctx)
    problems += check_vocabulary(loaded, ctx)
    if not structural:
        problems += check_tests(loaded, others, ctx.bank_holidays)
    return problems


def lint_paths(
    paths: Iterable[Path | str], ctx: LintContext
) -> tuple[list[LoadedScript], list[Problem]]:
    """Load and check every script file under `paths`; returns what loaded and all problems."""
    problems: list[Problem] = []
    loaded: list[LoadedScript] = []
    for path in script_files(paths):
        result = load_file(path)
        problems += result.problems
        if result.loaded is not None:
            loaded.append(result.loaded)
    first_seen: dict[str, LoadedScript] = {}
    for item in loaded:
        other = first_seen.setdefault(item.script.script, item)
        if other is not item:
            problems.append(
                Problem(
                    item.path,
                    item.line("script", prefer_value=True),
                    "R1",
                    f"script id '{item.script.script}' is already used by {other.path}",
                )
            )
    known = set(ctx.library) | set(first_seen)
    # a hand-on looks in the files given first, then the library
    scripts = {**ctx.library, **{key: item.script for key, item in first_seen.items()}}
    for item in loaded:
        problems += lint_loaded(item, ctx, known, scripts)
    return loaded, sorted(set(problems), key=lambda p: (p.file, p.line, p.code, p.message))
