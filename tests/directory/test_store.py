"""Keeping the directory current: corrections, "checked" marks, and the change history."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.directory.store import DirectoryError, DirectoryStore


def test_a_correction_is_kept_with_who_and_when(front, clock):
    store = DirectoryStore(front.sessions)
    service = store.get("community-meals")
    assert service is not None
    clock.advance(3600)
    fixed = service.model_copy(update={"phones": [], "description": "Now also weekends."})
    assert store.update(fixed, clock(), by="s.lead")
    assert not store.update(fixed, clock(), by="s.lead")  # nothing changed the second time
    changes = [c for c in store.changes("community-meals") if c.action == "update"]
    assert {(c.field_name, c.by, c.at) for c in changes} == {
        ("phones", "s.lead", clock()),
        ("description", "s.lead", clock()),
    }
    assert next(c for c in changes if c.field_name == "description").previous.startswith("Hot")
    with pytest.raises(DirectoryError):
        store.update(fixed.model_copy(update={"id": "no-such"}), clock(), by="s.lead")


def test_marking_checked_sets_the_date_and_who(front, clock):
    store = DirectoryStore(front.sessions)
    checked = store.mark_checked("hearing-loops", clock(), by="s.lead", today=dt.date(2026, 11, 23))
    assert (checked.assured_date, checked.assured_by) == (dt.date(2026, 11, 23), "s.lead")
    assert store.changes("hearing-loops")[-1].action == "assure"


def test_entries_not_checked_for_a_year_oldest_first(front, clock):
    store = DirectoryStore(front.sessions)
    stale = store.not_checked_since(dt.date(2025, 11, 23))
    assert [s.id for s in stale] == ["hearing-loops"]
    store.mark_checked("hearing-loops", clock(), by="s.lead", today=dt.date(2026, 11, 23))
    assert store.not_checked_since(dt.date(2025, 11, 23)) == []
