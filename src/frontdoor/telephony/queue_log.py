"""Asterisk's queue_log: `epoch|callid|queue|agent|event|data1|data2|...`, one event a line.

A line that cannot be read is reported with its number and the reason; it never stops
the rest of the file being read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from frontdoor.identifiers import repeatable

# Every event current Asterisk (apps/app_queue.c, main/logger.c) writes, and those that
# dialplans and distributions (XiVO/Wazo, FreePBX) write with QueueLog(). docs/queue.md
# says how each counts; the groups below are that table.

# a caller offered to a queue: these need the caller's call id
WAIT_STARTS = frozenset({"ENTERQUEUE"})
ANSWERS = frozenset({"CONNECT"})
# the answered call ends; its agent goes into wrap-up
CALL_ENDS = frozenset(
    {"COMPLETECALLER", "COMPLETEAGENT", "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"}
)
ABANDONS = frozenset({"ABANDON"})
# the wait ends without an answer or an abandon, by the queue's rule or the dialplan's
LEAVES = frozenset({"EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY", "LEAVEEMPTY", "WITHDRAW"})
# the call was offered to the queue and never let in (no ENTERQUEUE is written)
NOT_ADMITTED = frozenset({"FULL", "JOINEMPTY", "CLOSED", "DIVERT_CA_RATIO", "DIVERT_HOLDTIME"})
CALL_EVENTS = WAIT_STARTS | ANSWERS | CALL_ENDS | ABANDONS | LEAVES | NOT_ADMITTED

SIGN_INS = frozenset({"ADDMEMBER", "AGENTLOGIN", "AGENTCALLBACKLOGIN"})
SIGN_OUTS = frozenset({"REMOVEMEMBER", "AGENTLOGOFF", "AGENTCALLBACKLOGOFF"})
PAUSES = frozenset({"PAUSE", "PAUSEALL"})
UNPAUSES = frozenset({"UNPAUSE", "UNPAUSEALL"})
AGENT_EVENTS = SIGN_INS | SIGN_OUTS | PAUSES | UNPAUSES

# Asterisk (re)started: every call still waiting or talking before it has gone
RESTART = "QUEUESTART"
# read and kept for reference; no figure depends on them
SET_ASIDE = frozenset(
    {
        "RINGNOANSWER",  # a member rang and did not answer: the caller still waits
        "RINGCANCELED",  # another member answered first, or the caller left while ringing
        "AGENTDUMP",  # the member hung up during the announcement; ABANDON follows
        "SYSCOMPAT",  # the member's channel could not be bridged
        "PENALTY",
        "RINGINUSE",
        "OUTCALL",
        "CONFIGRELOAD",
        "DID",  # the number dialled, written by the dialplan
        "INFO",
        "WRAPUPSTART",  # the console's wrap-up is the one that counts
        "ENTERQUEUE_LOG",
    }
)
KNOWN_EVENTS = CALL_EVENTS | AGENT_EVENTS | SET_ASIDE | {RESTART}
# an event name QueueLog() could write: read and set aside when it is none of the above
EVENT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


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
    """One event; None for an event no figure uses and no one keeps (a dialplan's own);
    QueueLogError for a line that cannot be read. `key`: the line's key when its reader
    knows it (queue_lines.line_key); else a hash of the text."""
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
    if not EVENT_NAME.fullmatch(event):
        raise QueueLogError(
            f"the fifth field should be an event such as ENTERQUEUE, not {repeatable(event)}"
            if repeatable(event)
            else "the fifth field should be an event such as ENTERQUEUE"
        )
    if event not in KNOWN_EVENTS:
        return None  # a dialplan's own QueueLog() event: readable, not ours to count
    if event in CALL_EVENTS and callid in ("", "NONE"):
        raise QueueLogError(f"{event} without a call id")
    digest = key or hashlib.sha256(line.encode("utf-8")).hexdigest()[:32]
    return QueueEvent(at, callid, queue, agent, event, tuple(data), digest)
