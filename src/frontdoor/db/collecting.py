"""Python's cyclic garbage collector during a bulk load: once a batch, not as it pleases.

A batch of an import (2,000 lines) holds some 150,000 objects while it is read, checked
and inserted: enough allocations to start a full collection every few hundred lines,
each walking every object of the process and the batch (0.1 to 0.3 s apiece), and
finding nothing (the import makes no cycles). Measured on a month's file (12,202 lines,
SQLite), eleven such collections were 1.2 to 1.5 s of a 5 s import.

Here, meanwhile, the collector does not start by itself; the loader calls `collect`
between batches, once a batch is let go, and that collection looks only at what the
load itself made and still holds: what the process held before is frozen (`gc.freeze`)
for the load and unfrozen after. Any cycle a batch did make is still collected, a batch
later at most, so memory stays as flat as the batches are.
"""

from __future__ import annotations

import gc
from types import TracebackType


class CollectedByBatch:
    """`with CollectedByBatch() as garbage:` ... `garbage.collect()` after each batch."""

    def __init__(self) -> None:
        self.was_enabled = False
        self.froze = False

    def __enter__(self) -> CollectedByBatch:
        self.was_enabled = gc.isenabled()
        gc.disable()
        # someone else's frozen objects are theirs to unfreeze: then nothing is frozen
        # here, and each collection walks the whole process (slower, as correct)
        self.froze = gc.get_freeze_count() == 0
        if self.froze:
            gc.freeze()
        return self

    def collect(self) -> None:
        gc.collect()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.froze:
            gc.unfreeze()
        if self.was_enabled:
            gc.enable()
