"""The console's writer: each write journalled on disk before the screen moves on, then
applied to the record by a thread of its own, in order and exactly once, so a slow or
stopped database never freezes the screen and loses nothing.

While the database does not answer, writes wait in the journal and the handler is told
how many ("working offline: 3 steps waiting to be saved"); the outbox tries again every
`retry_seconds`. A contact another console has taken from this one is set aside (its
writes stay in the journal) and said, rather than lost.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from frontdoor.calls import journal
from frontdoor.calls.outbox_state import OutboxState
from frontdoor.calls.writer import CallNotSaved
from frontdoor.interactions.model import ContactWrite
from frontdoor.interactions.record import ContactTaken, Record, RecordError

__all__ = ["Outbox", "OutboxState"]


class Outbox:
    def __init__(
        self,
        record: Record,
        folder: Path,
        console_id: str,
        *,
        retry_seconds: float = 2.0,
        on_change: Callable[[OutboxState], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.record = record
        self.console_id = console_id
        self.retry_seconds = retry_seconds
        self.on_change = on_change
        self.on_error = on_error
        self._journal = journal.Journal(folder, console_id)
        self._pending: deque[ContactWrite] = deque(journal.read(self._journal.path))
        self._set_aside: list[ContactWrite] = []
        self._taken: set[str] = set()
        self._refused = 0
        self._offline = False
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Condition(self._lock)
        self._stopping = False
        self._journal_dirty = bool(self._pending)  # appended since the last rewrite
        self.adopted: list[str] = []  # consoles whose journals this one took over
        self._adopt_orphans(folder)
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)

    def _adopt_orphans(self, folder: Path) -> None:
        """Take over the journals of consoles that have gone (killed, perhaps offline):
        their writes go first, in their order, with their console's id as holder."""
        for console_id, path in journal.orphans(folder, exclude=self.console_id):
            writes = journal.read(path)
            for write in writes:
                self._journal.append(write)
            self._pending.extend(writes)
            self._journal_dirty = self._journal_dirty or bool(writes)
            path.unlink(missing_ok=True)
            self.adopted.append(console_id)

    def start(self) -> None:
        self._thread.start()
        self._wake.set()

    # --- the event loop's side: quick, never waits on the database --------------------
    def submit(self, write: ContactWrite) -> None:
        # who made it goes into the journal with it: it may be saved after they sign out
        write = self.record.stamped(write)
        try:
            with self._lock:
                self._journal.append(write)
                self._journal_dirty = True
                if write.contact_id in self._taken:
                    self._set_aside.append(write)
                else:
                    self._pending.append(write)
        except OSError as exc:
            raise CallNotSaved(
                "this workstation could not keep the answer on its disk, so it was not "
                f"taken: try it again, and tell your supervisor ({type(exc).__name__})"
            ) from exc
        self._changed()
        self._wake.set()

    @property
    def state(self) -> OutboxState:
        with self._lock:
            return self._state_locked()

    def _state_locked(self) -> OutboxState:
        return OutboxState(
            waiting=len(self._pending) + len(self._set_aside),
            offline=self._offline,
            taken=frozenset(self._taken),
            refused=self._refused,
            set_aside=len(self._set_aside),
        )

    def retry_now(self) -> None:
        self._wake.set()

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """True once nothing is pending (or all that is left is set aside or refused)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    def wait_for(self, condition: Callable[[OutboxState], bool], timeout: float) -> bool:
        """Until the state meets `condition` (for tests and for a console closing)."""
        with self._idle:
            return self._idle.wait_for(lambda: condition(self._state_locked()), timeout)

    def close(self, timeout: float = 2.0) -> None:
        """Stop after one last try; what is not saved stays in the journal for next time."""
        self._stopping = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        with self._lock:
            self._journal.close(remove_if_empty=not self._pending and not self._set_aside)

    # --- the writer thread --------------------------------------------------------------
    def _run(self) -> None:
        while True:
            self._wake.wait(None if not self._offline else self.retry_seconds)
            self._wake.clear()
            self._drain()
            if self._stopping:
                return

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    if self._journal_dirty:  # one fsync per drained batch, not per write
                        self._journal.rewrite(self._set_aside)
                        self._journal_dirty = False
                    self._idle.notify_all()
                    return
                write = self._pending[0]
            try:
                self.record.apply(write)
            except ContactTaken:
                self._set_contact_aside(write.contact_id)
                continue
            except RecordError:
                with self._lock:  # refused outright (e.g. the contact is not there): kept
                    self._set_aside.append(self._pending.popleft())
                    self._refused += 1
                self._changed()
                continue
            except SQLAlchemyError:
                self._go_offline(True)
                return
            except Exception as exc:  # never let the writer die silently
                self._go_offline(True)
                if self.on_error is not None:
                    self.on_error(exc)
                return
            with self._lock:
                self._pending.popleft()
            self._go_offline(False)
            self._changed()

    def _set_contact_aside(self, contact_id: str) -> None:
        with self._lock:
            self._taken.add(contact_id)
            kept = [w for w in self._pending if w.contact_id == contact_id]
            self._pending = deque(w for w in self._pending if w.contact_id != contact_id)
            self._set_aside.extend(kept)
        self._changed()

    def _go_offline(self, offline: bool) -> None:
        with self._lock:
            changed = self._offline != offline
            self._offline = offline
        if changed:
            self._changed()

    def _changed(self) -> None:
        with self._idle:
            self._idle.notify_all()
        if self.on_change is not None:
            self.on_change(self.state)
