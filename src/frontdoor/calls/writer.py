"""Where a call's writes go. The console journals them and applies them off the event loop
(outbox.py); the simulation, loaders and tests apply them at once."""

from __future__ import annotations

from typing import Protocol

from frontdoor.interactions.model import ContactWrite
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
