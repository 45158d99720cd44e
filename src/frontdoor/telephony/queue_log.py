"""Asterisk's queue_log: `epoch|callid|queue|agent|event|data1|data2|...`, one event a line.

A line that cannot be read is reported with its number and the reason; it never stops
the rest of the file being read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from frontdoor.identifiers import repeatable

CALL_EVENTS = {
    "ENTERQUEUE",
    "CONNECT",
    "COMPLETECALLER",
    "COMPLETEAGENT",
    "TRANSFER",
    "ABANDON",
    "EXITWITHTIMEOUT",
    "EXITEMPTY",
    "EXITWITHKEY",
    "RINGNOANSWER",
}
AGENT_EVENTS = {
    "ADDMEMBER",
    "AGENTLOGIN",
    "REMOVEMEMBER",
    "AGENTLOGOFF",
    "PAUSE",
    "PAUSEALL",
    "UNPAUSE",
    "UNPAUSEALL",
}
OTHER_EVENTS = {
    "QUEUESTART",
    "CONFIGRELOAD",
    "AGENTDUMP",
    "ATTENDEDTRANSFER",
    "BLINDTRANSFER",
    "ENTERQUEUE_LOG",
    "AGENTCALLBACKLOGIN",
    "AGENTCALLBACKLOGOFF",
}


class QueueLogError(ValueError):
    """This line cannot be read; the message says why."""


@dataclass(frozen=True)
class QueueEvent:
    at: dt.datetime
    callid: str
    queue: str
    agent: str
    event: str
    data: tuple[str, ...]
    line_hash: str  # the same line read twice is one event

    def number(self, index: int) -> float | None:
        """data1, data2... as a number, when there is one."""
        try:
            return float(self.data[index - 1])
        except (IndexError, ValueError):
            return None


def parse_line(text: str, key: str | None = None) -> QueueEvent | None:
    """One event, None for a line of an event we do not use, or QueueLogError. `key`: the
    line's key when its reader knows it (queue_lines.line_key); else a hash of the text."""
    line = text.rstrip("\r\n")
    parts = line.split("|")
    if len(parts) < 5:
        raise QueueLogError(f"expected at least 5 fields separated by '|', found {len(parts)}")
    stamp, callid, queue, agent, event, *data = parts
    try:
        at = dt.datetime.fromtimestamp(float(stamp), dt.UTC)
    except (ValueError, OverflowError, OSError):
        # the fields of a line out of step may hold a caller's number: not repeated
        raise QueueLogError("the time (the first field) is not seconds since 1970") from None
    if event not in CALL_EVENTS | AGENT_EVENTS | OTHER_EVENTS:
        raise QueueLogError(f"unknown event {repeatable(event) or '(in the fifth field)'}")
    if event in OTHER_EVENTS:
        return None
    if event in CALL_EVENTS and callid in ("", "NONE"):
        raise QueueLogError(f"{event} without a call id")
    digest = key or hashlib.sha256(line.encode("utf-8")).hexdigest()[:32]
    return QueueEvent(at, callid, queue, agent, event, tuple(data), digest)
