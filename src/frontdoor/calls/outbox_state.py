"""What the outbox (calls/outbox.py) says of itself: a module of its own, so that the
console can show it, and start with an empty one, without importing the outbox (which
brings SQLAlchemy and the record) before its first screen is painted."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutboxState:
    waiting: int = 0  # writes kept on this workstation, not yet in the database
    offline: bool = False  # the database did not answer the last try
    taken: frozenset[str] = field(default_factory=frozenset)  # contacts set aside
    refused: int = 0  # writes the record refused outright (kept in the journal too)
    set_aside: int = 0  # of `waiting`, those no retry will save (taken or refused)

    @property
    def saving(self) -> bool:
        """Writes on their way to the database, which answers."""
        return self.waiting > self.set_aside and not self.offline
