"""How much one script file may ask of the machine that reads it.

Lint reads files that anyone can write, so a file must not be able to take the
machine's memory or time: a few hundred bytes of YAML aliases can expand to billions
of values, and brackets nested a few hundred deep overflow a recursive reader. Each
limit is far above what a real script needs (the largest bundled script is under 10 KB
and a few hundred values) and each refusal says which limit was met.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    # a 5,000-node script is about 1 MB; more than this is not a script a person wrote
    max_bytes: int = 2_000_000
    # values (texts, numbers, lists, mappings), aliases counted as what they expand to
    max_values: int = 250_000
    max_aliases: int = 500
    # `nodes: name: options: item: key` is 5 deep; 64 leaves room for anything real
    max_depth: int = 64
    # reading one file, and running its tests, each in seconds
    max_seconds: float = 20.0


LIMITS = Limits()


@dataclass
class Deadline:
    """The end of the time one file may take; checked between steps, never by a
    signal, so a check costs a clock read and nothing is interrupted half-done."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    _end: float = field(init=False)

    def __post_init__(self) -> None:
        self._end = self.clock() + self.seconds

    def passed(self) -> bool:
        return self.clock() > self._end
