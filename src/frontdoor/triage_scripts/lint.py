"""Check script files against every rule of the format (R1-R7) and warn (W).

Lint takes what it checks against as arguments (vocabularies, directory ids, the
bundled library, today's date) so that it runs the same in the CLI, CI and tests.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from frontdoor.local_time import BankHolidays
from frontdoor.triage_scripts import conditions, graph, lint_v2
from frontdoor.triage_scripts.facts import is_fact
from frontdoor.triage_scripts.limits import LIMITS, Deadline, Limits
from frontdoor.triage_scripts.literal_types import literal_problems, recorded_types
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
    # what lint reads the time one file takes from (Limits.max_seconds)
    clock: Callable[[], float] = time.monotonic
    # the service's calendar, for the `now.bank_holiday` of tests that fix `now`/`today`
    bank_holidays: Container[dt.date] = field(default_factory=BankHolidays)


def script_graph(loaded: LoadedScript) -> dict[str, tuple[str, ...]]:
    """Each node of the script and where its answers lead, escalations left out (they
    are the handler's choice, not a way out the script offers). A node whose shape was
    refused leads where its raw `next`/`else` say."""
    edges: dict[str, tuple[str, ...]] = {
        name: () if isinstance(node, End) else tuple(node.targets())
        for name, node in loaded.script.nodes.items()
    }
    for name, failed in loaded.failed_nodes.items():
        edges[name] = failed.targets
    return edges


def _may_finish(loaded: LoadedScript, edges: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Where a call stops: the ends, and what lint cannot see into (a node whose shape
    was refused, a name that is not a node: both reported already, so they do not also
    count as having no way out)."""
    stops = set(loaded.script.ends()) | set(loaded.failed_nodes)
    stops.update(t for after in edges.values() for t in after if t not in edges)
    return stops


def check_references(loaded: LoadedScript, known_scripts: set[str]) -> list[Problem]:
    """R1: every next, else, start and goto_script names something that exists."""
    script = loaded.script
    problems: list[Problem] = []
    names = set(script.nodes) | set(loaded.failed_nodes) | set(ESCALATIONS)
    if "start" not in loaded.failed_keys and script.start not in names:
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


def check_graph(loaded: LoadedScript, work: graph.Work | None = None) -> list[Problem]:
    """R2: every node is reachable from start, and every path can reach an end."""
    script = loaded.script
    problems: list[Problem] = []
    edges = script_graph(loaded)
    # where a `next` names no node (R1), the node it meant is unreachable too: saying
    # so would report one mistake twice
    quiet_unreachable = any(
        t not in edges and t not in ESCALATIONS for after in edges.values() for t in after
    )
    seen = set(edges)
    if "start" not in loaded.failed_keys and script.start in edges:
        seen = graph.reachable(script.start, edges, work)
        for name in edges:
            if name not in seen and not quiet_unreachable:
                problems.append(
                    Problem(
                        loaded.path,
                        loaded.line("nodes", name),
                        "R2",
                        f"node '{name}' cannot be reached from start",
                    )
                )
    # escalations don't count: a loop whose only exit is escalation is still a loop
    # without exit
    can_finish = graph.reaching(_may_finish(loaded, edges), edges, work)
    for name in edges:
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


def _hand_ons(script: Script) -> tuple[bool, list[tuple[str, str]]]:
    """(can a call through `script` stop in it, the goto_script ends it can reach with
    their targets). A call can stop at an end that does not hand on."""
    edges = {
        name: () if isinstance(node, End) else tuple(node.targets())
        for name, node in script.nodes.items()
    }
    if script.start not in edges:
        return True, []  # an escalation, or a name R1 reports
    stops = False
    hand_ons: list[tuple[str, str]] = []
    for name in graph.reachable(script.start, edges):
        node = script.nodes[name]
        if isinstance(node, End) and node.goto_script:
            hand_ons.append((name, node.goto_script))
        elif isinstance(node, End) or any(t not in edges for t in edges[name]):
            stops = True  # an end, an escalation, or a name R1 reports
    return stops, sorted(hand_ons)


def check_hand_on_loops(given: list[LoadedScript], library: Mapping[str, Script]) -> list[Problem]:
    """R2 across scripts: a call handed on by goto_script must be able to stop somewhere.
    Scripts whose every path hands on again, round a loop of scripts, never end; each
    of the files given in such a loop is reported at its goto_script lines.

    The files given stand for the library's scripts of the same id. A script that did not
    load whole, or a goto_script to a script that does not exist (R1), counts as able to
    stop, so one mistake is not reported twice.
    """
    scripts: dict[str, Script] = dict(library)
    partial: set[str] = set()
    for item in given:
        scripts[item.script.script] = item.script
        if not item.complete:
            partial.add(item.script.script)
    hands_on: dict[str, list[tuple[str, str]]] = {}
    stops: set[str] = set(partial)
    for script_id, script in scripts.items():
        if script_id in partial:
            continue
        stops_in_it, hands_on[script_id] = _hand_ons(script)
        # a script that neither stops nor hands on has no way out of its own (R2 within
        # it); only loops of hand-ons are this rule's
        if stops_in_it or not hands_on[script_id]:
            stops.add(script_id)
    edges = {s: tuple(t for _, t in hands_on.get(s, [])) for s in scripts}
    stops.update(t for after in edges.values() for t in after if t not in scripts)
    can_stop = graph.reaching(stops, edges)
    next_of = {
        s: next(t for t in after if t not in can_stop)
        for s, after in edges.items()
        if s not in can_stop and any(t not in can_stop for t in after)
    }
    problems: list[Problem] = []
    for item in given:
        script_id = item.script.script
        if script_id in can_stop or scripts.get(script_id) is not item.script:
            continue
        for node, target in hands_on.get(script_id, []):
            if target in can_stop:
                continue
            chain = " → ".join(graph.first_cycle(script_id, {**next_of, script_id: target}))
            problems.append(
                Problem(
                    item.path,
                    item.line("nodes", node, "goto_script", prefer_value=True),
                    "R2",
                    f"goto_script '{target}' hands the call on round a loop without exit "
                    f"({chain}): no path through these scripts reaches an end that does "
                    "not hand on",
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


def check_recorded_before_use(
    loaded: LoadedScript,
    work: graph.Work | None = None,
    scripts: Mapping[str, Script] | None = None,
) -> list[Problem]:
    """R5: every name in an `if` is recorded earlier on every path that reaches it (what
    the script `needs` counts as recorded from its start; facts are always known), and a
    `goto_script` end is reached only by paths that recorded what the script it hands on
    to `needs` (looked up in `scripts`).

    A forward data-flow over the graph (graph.surely_done): what is surely recorded on
    entry to a node is the intersection of what its predecessors surely recorded on
    leaving (a decide node records nothing). Names are bits of one int, so an
    intersection is one operation.
    """
    script = loaded.script
    if "start" in loaded.failed_keys or script.start not in script.nodes:
        return []
    edges = script_graph(loaded)
    records = {name: q.record for name, q in script.questions().items() if q.record}
    records.update(
        {name: failed.record for name, failed in loaded.failed_nodes.items() if failed.record}
    )
    names = dict.fromkeys([*records.values(), *script.needs])
    bits = {name: 1 << i for i, name in enumerate(names)}
    gen = {node: bits[name] for node, name in records.items()}
    needed = sum(bits[name] for name in dict.fromkeys(script.needs))
    entry = graph.surely_done(script.start, edges, gen, at_start=needed, work=work)
    problems: list[Problem] = []
    for name, node in script.routing().items():
        if name not in entry:
            continue  # unreachable: rule 2 says so
        known = entry[name] | gen.get(name, 0)
        key, rules = rules_of(node)
        for i, rule in enumerate(rules):
            condition = rule.condition
            if condition is None:
                continue
            for used in sorted(conditions.names(condition)):
                if not is_fact(used) and not known & bits.get(used, 0):
                    problems.append(
                        Problem(
                            loaded.path,
                            loaded.line("nodes", name, key, i, "if", prefer_value=True),
                            "R5",
                            f"'{used}' is used in a condition but not recorded on every "
                            "path before it",
                        )
                    )
    for name, end in script.ends().items():
        target = (scripts or {}).get(end.goto_script or "")
        if target is None or name not in entry:
            continue
        for missing in [n for n in target.needs if not entry[name] & bits.get(n, 0)]:
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


def check_literals(loaded: LoadedScript) -> list[Problem]:
    """R6: every literal in an `if` is a value the name it is compared with can take."""
    types = recorded_types(loaded.script.questions())
    return [
        Problem(loaded.path, line, "R6", message)
        for line, condition in loaded.conditions()
        for message in literal_problems(condition, types)
    ]


def check_tests(
    loaded: LoadedScript,
    deadline: Deadline | None = None,
    *,
    run: bool = True,
    scripts: Mapping[str, Script] | None = None,
    bank_holidays: Container[dt.date] | None = None,
) -> list[Problem]:
    """R7: the script's tests pass, and a published script has every end tested (a test
    that follows a hand-on into `scripts` counts for each hand-on end of its own script
    it passes). The tests are run only with `run` and when the script loaded whole (the
    parts they would pass through were refused); what can be said without running them
    still is."""
    script = loaded.script
    others = scripts or {}
    problems: list[Problem] = []
    bad_setup: set[int] = set()  # reported as such: not again as a failing test
    for i, test in enumerate(script.tests):
        given = lint_v2.given_problems(loaded, i)
        if given:
            bad_setup.add(i)
            problems += given
        why = lint_v2.expect_problem(test.expect, loaded, others)
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
    results = run_tests(loaded, deadline, others, bank_holidays) if run and loaded.complete else []
    for result in results:
        if not result.passed and result.index not in bad_setup:
            problems.append(
                Problem(
                    result.file, result.line, "R7", f"test '{result.name}' fails: {result.message}"
                )
            )
    if script.status == "published" and not loaded.failed_tests:
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
    if (
        ctx.categories
        and "category" not in loaded.failed_keys
        and script.category not in ctx.categories
    ):
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
    deadline: Deadline | None = None,
    scripts: Mapping[str, Script] | None = None,
) -> list[Problem]:
    """Every rule for one script; `scripts` are the others it may hand on to (the files
    given, then the library: `ctx.library` when not given)."""
    others = scripts if scripts is not None else ctx.library
    references = check_references(loaded, known_scripts)
    problems = [*references, *check_graph(loaded), *lint_v2.check_decide_loops(loaded)]
    problems += check_recorded_before_use(loaded, scripts=others)
    problems += check_literals(loaded)
    problems += lint_v2.check_condition_types(loaded)
    problems += check_outcomes(loaded, ctx)
    problems += check_vocabulary(loaded, ctx)
    # a `next` to nowhere would stop the test runner, not a test
    problems += check_tests(
        loaded,
        deadline,
        run=not references,
        scripts=others,
        bank_holidays=ctx.bank_holidays,
    )
    return problems


def lint_paths(
    paths: Iterable[Path | str], ctx: LintContext, limits: Limits = LIMITS
) -> tuple[list[LoadedScript], list[Problem]]:
    """Load and check every script file under `paths`; returns the scripts that loaded
    whole and all problems, of every file, in one run."""
    problems: list[Problem] = []
    checked: list[LoadedScript] = []
    for path in script_files(paths):
        result = load_file(path, limits, Deadline(limits.max_seconds, ctx.clock))
        problems += result.problems
        if result.lintable is not None:
            checked.append(result.lintable)
    first_seen: dict[str, LoadedScript] = {}
    for item in checked:
        if "script" in item.failed_keys:
            continue
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
    for item in checked:
        problems += lint_loaded(item, ctx, known, Deadline(limits.max_seconds, ctx.clock), scripts)
    problems += check_hand_on_loops(list(first_seen.values()), ctx.library)
    loaded = [item for item in checked if item.complete]
    return loaded, sorted(set(problems), key=lambda p: (p.file, p.line, p.code, p.message))
