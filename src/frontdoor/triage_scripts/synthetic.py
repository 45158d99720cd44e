"""Made-up scripts for measuring lint: long, and written the way that was slowest."""

from __future__ import annotations


def reverse_script(nodes: int, script_id: str = "long", *, back: bool = False) -> str:
    """A script of `nodes` number questions in a chain, each recording its answer and
    routing on it and on the one before, written last question first: the order in
    which lint's first version propagated one node per pass over the whole script.
    With `back`, a negative answer goes back to the question before (a loop at every
    question). Two tests: one stops at once, one answers every question."""
    if nodes < 1:
        raise ValueError("a script needs at least one question")
    lines = [
        f"script: {script_id}",
        "title: A long chain of questions",
        "version: 1",
        "status: draft",
        "category: general_enquiry",
        "start: q0",
        "nodes:",
    ]
    for i in reversed(range(nodes)):
        after = f"q{i + 1}" if i + 1 < nodes else "done"
        condition = f"a{i} > 0" + (f" and a{i - 1} > 0" if i else "")
        lines += [
            f"  q{i}:",
            f"    ask: Question {i}?",
            "    input: number",
            f"    record: a{i}",
            "    route:",
            f'      - if: "{condition}"',
            f"        next: {after}",
        ]
        if back and i:
            lines += [f'      - if: "a{i} < 0"', f"        next: q{i - 1}"]
        lines += ["      - else: done"]
    lines += [
        "  done:",
        "    outcome: advice",
        "tests:",
        "  - name: stops at once",
        "    answers: [0]",
        "    expect: done",
        "  - name: answers every question",
        f"    answers: [{', '.join(['1'] * nodes)}]",
        "    expect: done",
    ]
    return "\n".join(lines) + "\n"
