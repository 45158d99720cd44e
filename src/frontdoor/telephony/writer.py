"""Write queue_log lines as Asterisk does, so that simulated calls reach Front Door by the
same path as a real telephone system's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TextIO


def line(
    at: dt.datetime, callid: str, queue: str, agent: str, event: str, data: Sequence[object] = ()
) -> str:
    fields = [str(int(at.timestamp())), callid, queue, agent, event, *(str(d) for d in data)]
    return "|".join(fields) + "\n"


class QueueLogWriter:
    """Appends one call's events as it happens."""

    def __init__(self, handle: TextIO) -> None:
        self.handle = handle

    def entered(self, at: dt.datetime, callid: str, queue: str, caller: str) -> None:
        self.handle.write(line(at, callid, queue, "NONE", "ENTERQUEUE", ["", caller, 1]))

    def connected(
        self, at: dt.datetime, callid: str, queue: str, agent: str, waited: float
    ) -> None:
        self.handle.write(line(at, callid, queue, agent, "CONNECT", [round(waited), callid, 1]))

    def completed(
        self, at: dt.datetime, callid: str, queue: str, agent: str, waited: float, talked: float
    ) -> None:
        self.handle.write(
            line(at, callid, queue, agent, "COMPLETEAGENT", [round(waited), round(talked), 1])
        )

    def abandoned(self, at: dt.datetime, callid: str, queue: str, waited: float) -> None:
        self.handle.write(line(at, callid, queue, "NONE", "ABANDON", [1, 1, round(waited)]))

    def agent(self, at: dt.datetime, agent: str, queue: str, event: str) -> None:
        self.handle.write(line(at, "NONE", queue, agent, event, [""]))
