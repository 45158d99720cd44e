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
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the directory is read and indexed.

    Reading 10,000 services makes objects fast enough to start three full collections,
    and a full collection holds the interpreter lock while it walks every object of the
    console, the screen's thread included: measured at 10,000 services, pauses of 0.2 to
    0.55 s on screen during the build, and none with collection paused for the build
    (about a second), the longest pause then 30-140 ms as with no build at all. Most of
    what a build makes lives on in the index, so there is little to collect after it.

    `gc.freeze()` after the build was tried and not kept: `frontdoor directory
    paint-bench`, each start a new process, found the same stalls with it as without
    (median 78 against 75 ms, 15 starts each), and frozen objects are never collected,
    so cyclic garbage discarded after each rebuild would stay for the console's life.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


FULL_EVERY = 8  # batches between full collections in a load


@contextmanager
def collected_by_batch() -> Iterator[Callable[[], object]]:
    """`with collected_by_batch() as collect:` ... `collect()` after each batch: the
    collector paused, and what the process held before frozen meanwhile."""
    # someone else's frozen objects are theirs to unfreeze: then nothing is frozen here,
    # and each collection walks the whole process (slower, as correct)
    froze = gc.get_freeze_count() == 0
    with collector_paused():
        if froze:
            gc.freeze()
        batches = 0

        def collect() -> None:
            # what survives a collection is not walked again until a full one: a load
            # that reads the next batch ahead holds it at each collection, and walking it
            # twice tripled the collections' time (0.05 to 0.16 s of a month's import).
            # A full collection every FULL_EVERY batches still frees any cycle a batch
            # made that outlived its first collection, so memory stays flat.
            nonlocal batches
            batches += 1
            gc.collect(2 if batches % FULL_EVERY == 0 else 1)

        try:
            yield collect
        finally:
            if froze:
                gc.unfreeze()
