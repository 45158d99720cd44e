"""Where a call's writes go. The console journals them and applies them off the event loop
(outbox.py); loaders and tests apply them at once; the simulation applies each call's
together as it ends."""

from __future__ import annotations

from typing import Protocol

from frontdoor.interactions.model import ContactWrite, WrapUpWrite
from frontdoor.interactions.record import Record


class CallNotSaved(Exception):
    """A write could be kept nowhere (not even on this workstation's disk); the message
    tells the handler what to do, and the step was not taken."""


class Writer(Protocol):
    def submit(self, write: ContactWrite) -> None:
        """Keep `write` durably before returning (or raise CallNotSaved)."""
        ...


class DirectWriter:
    """Each write applied to the record before returning; a failure goes up as it is."""

    def __init__(self, record: Record) -> None:
        self.record = record

    def submit(self, write: ContactWrite) -> None:
        self.record.apply(write)


class CallBatch:
    """A simulated call's writes kept until it is wrapped up (or `flush`ed before the
    simulation writes elsewhere, so the audit keeps their order) and applied in one
    transaction: the same rows as DirectWriter's, without a commit per step. Only for
    calls nobody waits on: a handler's step is durable before the screen moves on."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.waiting: list[ContactWrite] = []

    def submit(self, write: ContactWrite) -> None:
        self.waiting.append(write)
        if isinstance(write, WrapUpWrite):  # the call's last write
            self.flush()

    def flush(self) -> None:
        waiting, self.waiting = self.waiting, []
        self.record.apply_all(waiting)
