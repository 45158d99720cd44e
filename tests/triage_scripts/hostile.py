"""Script files a tester wrote to turn lint against the machine, each with the line it
must be refused at. Shared by the loader's tests and the CLI's."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def script(script_id: str, start: str, nodes: str, tests: str = "") -> str:
    """A draft script; its `nodes:` is line 7, so the first node's name is line 8."""
    head = "title: T\nversion: 1\nstatus: draft\ncategory: carers\n"
    return f"script: {script_id}\n{head}start: {start}\nnodes:\n{nodes}{tests}"


# 0.3 KB: nine levels of nine aliases each, 387 million values expanded
BOMB = "".join(
    f"{name}: &{name} [{', '.join(['lol'] * 9 if name == 'a' else [f'*{prev}'] * 9)}]\n"
    for prev, name in zip(" abcdefgh", "abcdefghi", strict=True)
)
RECURSIVE_ALIAS = "script: x\nnodes: &n\n  a: *n\n"
BRACKETS = "script: x\nnodes: " + "[" * 250 + "]" * 250 + "\n"
ALIASES = "script: x\nkeywords: &k word\nnodes: [" + "*k, " * 600 + "]\n"

# a date compared with text that is not a date: raised at run time before
DATE_YESTERDAY = script(
    "date-check",
    "when",
    """  when:
    ask: When was it delivered?
    input: date
    record: delivered
    route:
      - if: "delivered < 'yesterday'"
        next: done
      - else: done
  done:
    outcome: advice
""",
    'tests:\n  - name: old\n    answers: ["2026-01-01"]\n    expect: done\n',
)
DATE_YESTERDAY_LINE = 13

DEEP_CONDITION = script(
    "deep-condition",
    "count",
    f"""  count:
    ask: How many?
    input: number
    record: falls
    route:
      - if: "{"(" * 100}falls >= 2{")" * 100}"
        next: done
      - else: done
  done:
    outcome: advice
""",
)


def goto_start(script_id: str, target: str) -> str:
    """A script whose start hands on at once: two such scripts naming each other hand a
    call on for ever (the runner recursed until it crashed)."""
    return script(script_id, "go", f"  go:\n    goto_script: {target}\n")


GOTO_LINE = 9  # the goto_script line of goto_start


@dataclass(frozen=True)
class Hostile:
    name: str
    content: bytes | None  # None: made by `make` (a named pipe)
    code: str
    line: int

    def make(self, folder: Path) -> Path:
        path = folder / self.name
        if self.content is None:
            os.mkfifo(path)
        else:
            path.write_bytes(self.content)
        return path


HOSTILE = [
    Hostile("bomb.yaml", BOMB.encode(), "YAML", 6),
    Hostile("recursive-alias.yaml", RECURSIVE_ALIAS.encode(), "YAML", 3),
    Hostile("brackets.yaml", BRACKETS.encode(), "YAML", 2),
    Hostile("aliases.yaml", ALIASES.encode(), "YAML", 3),
    Hostile("fifo.yaml", None, "YAML", 1),
    Hostile("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "YAML", 1),
    Hostile("control.yaml", b"script: x\ntitle: \x00\x01\x02\n", "YAML", 2),
    Hostile("empty.yaml", b"", "YAML", 1),
    Hostile("list.yaml", b"- script: x\n- title: T\n", "YAML", 1),
    Hostile("big.yaml", b"keywords: [" + b"word, " * 1_750_000 + b"]\n", "YAML", 1),
    Hostile("latin-1.yaml", "script: x\ntitle: Café\n".encode("latin-1"), "YAML", 2),
    Hostile("date.yaml", DATE_YESTERDAY.encode(), "R6", DATE_YESTERDAY_LINE),
    Hostile("deep-condition.yaml", DEEP_CONDITION.encode(), "R6", 13),
]
