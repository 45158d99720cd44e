"""Lint finds every problem of a file in one run, loops of hand-ons across scripts,
literals a name cannot take, and does work that grows with the script and no faster."""

from __future__ import annotations

import pytest

from frontdoor.triage_scripts.graph import Work
from frontdoor.triage_scripts.lint import (
    LintContext,
    check_graph,
    check_literals,
    check_recorded_before_use,
    lint_paths,
)
from frontdoor.triage_scripts.loader import load_text
from frontdoor.triage_scripts.runner import Triage, TriageError
from frontdoor.triage_scripts.synthetic import reverse_script
from tests.triage_scripts.hostile import GOTO_LINE, goto_start, script
from tests.triage_scripts.test_lint_rules import CATEGORIES, OUTCOMES

EVERY_PROBLEM = """\
script: every-problem
title: Every problem
version: 1
status: live
category: carers
start: first
nodes:
  first:
    ask: How many?
    input: number
    record: count
    route:
      - if: "count == 'two'"
        next: broken
      - else: second
  broken:
    ask: Which?
    colour: red
    options:
      - answer: A
        next: third
  third:
    ask: Again?
    input: number
    record: again
    route:
      - if: "again >>> 1"
        next: done
      - else: done
  second:
    ask: Why?
    input: yes_no
    record: why
    route:
      - if: "never_recorded"
        next: done
      - else: done
  lonely:
    outcome: advice
  done:
    outcome: finished
"""


def context(**kwargs) -> LintContext:
    return LintContext(outcomes=OUTCOMES, categories=CATEGORIES, **kwargs)


def lint_texts(tmp_path, texts: dict[str, str], ctx: LintContext | None = None):
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    return lint_paths([tmp_path / name for name in texts], ctx or context())


def test_a_shape_error_in_one_place_hides_no_other_problem(tmp_path):
    loaded, problems = lint_texts(tmp_path, {"every.yaml": EVERY_PROBLEM})
    assert loaded == []  # a script with refused parts is never one to run
    assert [(p.line, p.code) for p in problems] == [
        (4, "R6"),  # status: live
        (13, "R6"),  # a number compared with text
        (18, "R6"),  # unknown key 'colour': the node is refused...
        (27, "R6"),  # a condition off the grammar: this node is refused too
        (35, "R5"),  # the graph rules still run over the nodes that loaded
        (38, "R2"),  # 'lonely' cannot be reached ('third', refused, still leads on)
        (41, "R3"),
    ], [str(p) for p in problems]
    # a refused node counts as existing: no "next 'broken' is not a node"
    assert not any("is not a node" in p.message for p in problems)


def test_loops_of_hand_ons_between_the_files_given_are_refused_at_each_goto(tmp_path):
    _, problems = lint_texts(
        tmp_path,
        {"a.yaml": goto_start("loop-a", "loop-b"), "b.yaml": goto_start("loop-b", "loop-a")},
    )
    assert [(p.file, p.line, p.code) for p in problems] == [
        (str(tmp_path / "a.yaml"), GOTO_LINE, "R2"),
        (str(tmp_path / "b.yaml"), GOTO_LINE, "R2"),
    ]
    assert "(loop-a → loop-b → loop-a)" in problems[0].message


QUESTION_THEN_HAND_ON = """\
  ask:
    ask: Go on?
    input: yes_no
    options:
      - answer: "Yes"
        next: go
      - answer: "No"
        next: {no}
  go:
    goto_script: {target}
  stop:
    outcome: advice
"""


@pytest.mark.parametrize(("no", "looped"), [("go", True), ("stop", False)])
def test_a_loop_through_the_library_is_found_unless_some_path_stops(tmp_path, no, looped):
    library_script = load_text(goto_start("back", "asker"), "back.yaml").loaded
    assert library_script is not None
    asker = script("asker", "ask", QUESTION_THEN_HAND_ON.format(no=no, target="back"))
    ctx = context(library={"back": library_script.script})
    _, problems = lint_texts(tmp_path, {"asker.yaml": asker}, ctx)
    loops = [p for p in problems if "round a loop" in p.message]
    assert [(p.line, p.code) for p in loops] == ([(17, "R2")] if looped else [])
    if looped:
        assert "(asker → back → asker)" in loops[0].message


def test_the_runner_refuses_a_loop_of_hand_ons_instead_of_recursing():
    scripts = {
        s.script: s
        for s in (
            load_text(goto_start("loop-a", "loop-b"), "a.yaml").loaded.script,  # type: ignore[union-attr]
            load_text(goto_start("loop-b", "loop-a"), "b.yaml").loaded.script,  # type: ignore[union-attr]
        )
    }
    with pytest.raises(TriageError, match=r"loop with no question \(loop-a → loop-b → loop-a\)"):
        Triage(scripts["loop-a"], library=scripts)
    asker = load_text(
        script("asker", "ask", QUESTION_THEN_HAND_ON.format(no="stop", target="loop-a")), "x"
    ).loaded
    assert asker is not None
    triage = Triage(asker.script, library={**scripts, "asker": asker.script})
    with pytest.raises(TriageError, match="loop with no question"):
        triage.answer("Yes")
    # nothing recorded, and the answer undone: the question is asked again
    assert triage.ends == [] and triage.node_name == "ask" and not triage.can_go_back
    assert triage.answer("No").end is not None


def literal_script(input_kind: str, condition: str) -> str:
    """`v` recorded by a question of `input_kind`, then compared in `check`'s `if`
    (line 22 for a choice or yes/no question, 19 otherwise)."""
    if input_kind in ("choice", "yes_no"):
        first, second = ("Bed", "Hoist") if input_kind == "choice" else ("Yes", "No")
        leads = (
            f"    options:\n      - answer: {first}\n        next: check\n"
            f"      - answer: {second}\n        next: check\n"
        )
    else:
        leads = "    route:\n      - else: check\n"
    nodes = (
        f"  v_node:\n    ask: V?\n    input: {input_kind}\n    record: v\n{leads}"
        "  check:\n    ask: W?\n    input: number\n    record: w\n    route:\n"
        f'      - if: "{condition}"\n        next: done\n      - else: done\n'
        "  done:\n    outcome: advice\n"
    )
    return script("literals", "v_node", nodes)


@pytest.mark.parametrize(
    ("input_kind", "condition", "refused"),
    [
        ("number", "v == 'two'", "compare it with a number, not 'two'"),
        ("number", "v in [1, 'x']", "compare it with a number, not 'x'"),
        ("number", "v == [1, 2]", "a list goes only with 'in'"),
        ("number", "v > 2 and w <= 1.5", None),
        ("date", "v < 'yesterday'", "a date in quotes, such as '2026-04-01', not 'yesterday'"),
        ("date", "v in ['2026-04-01', 'soon']", "not 'soon'"),
        ("date", "v >= '2026-04-01'", None),
        ("yes_no", "v == 1", "compare it with true or false, not 1"),
        ("yes_no", "v == true or not v", None),
        ("choice", "v == 'Bedd'", "'Bedd' is not one of its options (Bed, Hoist)"),
        ("choice", "v == 3", "one of its options in quotes, not 3"),
        ("choice", "v in ['bed', 'HOIST']", None),
        ("text", "v == 'x'", "free text cannot be used in an 'if'"),
    ],
)
def test_a_literal_is_checked_against_the_type_of_the_answer(input_kind, condition, refused):
    loaded = load_text(literal_script(input_kind, condition), "literals.yaml").loaded
    assert loaded is not None
    problems = check_literals(loaded)
    if refused is None:
        assert problems == []
        return
    (problem,) = problems
    line = 22 if input_kind in ("choice", "yes_no") else 19
    assert (problem.line, problem.code) == (line, "R6")
    assert refused in problem.message, problem.message


def graph_work(questions: int, back: bool) -> int:
    loaded = load_text(reverse_script(questions, back=back), "long.yaml").loaded
    assert loaded is not None
    work = Work()
    assert check_graph(loaded, work) == [] and check_recorded_before_use(loaded, work) == []
    return work.steps


@pytest.mark.parametrize("back", [False, True], ids=["chain", "loop at every question"])
def test_lint_work_grows_linearly_with_a_script_written_in_reverse(back):
    # lint's first version made one node's worth of progress per pass over the whole
    # script: ten times the questions was a thousand times the work
    small, large = graph_work(300, back), graph_work(3000, back)
    assert large <= 10.1 * small, (small, large)
