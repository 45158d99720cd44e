"""The collector during a bulk load: off by itself, collecting when asked, as it was after."""

from __future__ import annotations

import gc
import weakref

from frontdoor.db.collecting import collected_by_batch


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_a_batch_cycle_is_collected_between_batches_and_the_collector_is_restored() -> None:
    gc.enable()
    with collected_by_batch() as collect:
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0  # what the process held before, left alone
        gone = _cycle()
        # enough objects made and kept to start collections by themselves
        kept = [_Node() for _ in range(100_000)]
        assert gone() is not None
        del kept
        collect()
        assert gone() is None
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_someone_elses_frozen_objects_stay_frozen_and_a_disabled_collector_stays_off() -> None:
    gc.disable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collected_by_batch() as collect:
            gone = _cycle()
            collect()
            assert gone() is None
        # still frozen (unfreezing empties the permanent generation); not "== frozen":
        # another thread of the test process may free a frozen object meanwhile
        assert frozen > 0 and gc.get_freeze_count() > 0
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_cycle_kept_past_one_collection_is_freed_by_a_full_one_within_a_few_batches() -> None:
    from frontdoor.db.collecting import FULL_EVERY

    with collected_by_batch() as collect:
        kept = _cycle()
        held = kept()  # held across a collection (a batch read ahead), then let go
        collect()
        del held
        for _ in range(FULL_EVERY):
            collect()
        assert kept() is None
