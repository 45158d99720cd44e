"""A contacts file is loaded as it is read, a batch at a time in one transaction: what
refuses it in a later batch still leaves nothing loaded from the earlier ones, every bad
line named as a whole-file check named it; and a referral given no id never takes one a
later line gives."""

from __future__ import annotations

import itertools
import json

import pytest

from frontdoor.console.wiring import FrontDoor
from frontdoor.interactions.jsonl import BatchReader, FileLines, Vocabularies, numbered_batches
from frontdoor.referrals.importing import (
    ContactsFile,
    FileChecks,
    given_referral_ids,
    load_contacts_file,
)
from tests.referrals.test_contacts_file import line
from tests.referrals.test_contacts_limits import contact
from tests.referrals.test_contacts_limits import door as door  # a fixture, both databases

BATCH = 2  # lines a batch: a file of a few lines spans several


def load(front: FrontDoor, lines: list[str]) -> ContactsFile:
    return front.load_contacts_file(lines, batch=BATCH)


def good(n: int) -> str:
    return json.dumps(contact(f"c-{n}"))


def test_a_bad_line_in_a_later_batch_leaves_nothing_of_the_earlier_ones(door):
    lines = [good(1), good(2), good(3), json.dumps(contact("c-1", notes="again")), good(5)]
    lines += ["{", good(7)]
    refused = load(door, lines)
    # batches 1 and 2 were checked and inserted before line 4 was read; every bad line named
    assert [(b.number, b.reason) for b in refused.bad] == [
        (4, "id c-1 is already on line 1"),
        (6, "not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
    ]
    assert list(door.record.all_contacts()) == []
    assert load(door, [good(1), good(2), good(3)]).added == ["c-1", "c-2", "c-3"]
    # an id held with other content, in the third batch: refused, the new ones not loaded
    clash = [good(10), good(11), good(12), good(13), json.dumps(contact("c-2", notes="other"))]
    refused = load(door, clash)
    assert refused.refused == [
        ("c-2", "this id is already held with other content (ids are not reused)")
    ]
    assert sorted(c.id for c in door.record.all_contacts()) == ["c-1", "c-2", "c-3"]


def referred(contact_id: str, referral_id: str | None = None) -> str:
    entry = {"referral": {"id": referral_id}} if referral_id else {}
    service = {"service": "district-nursing", "action": "referred"} | entry
    return line(contact_id, category="physical_health", services=[service])


def test_a_referral_given_no_id_never_takes_one_a_later_batch_gives(front):
    lines = [referred("c-1"), referred("c-2"), referred("c-3", "r-2026-000002 ")]
    loaded = load(front, lines)
    assert loaded.loaded
    assert loaded.referrals_added == ["R-2026-000003", "R-2026-000004", "R-2026-000002"]


def test_a_referral_held_with_other_content_in_a_later_batch_refuses_the_file(front):
    assert load(front, [referred("c-1", "R-2026-000001")]).loaded
    lines = [good(21), good(22), referred("c-9", "R-2026-000001"), good(24)]
    refused = load(front, lines)
    assert [(b.number, b.reason) for b in refused.bad] == [
        (
            3,
            "services.0.referral: R-2026-000001 is already held with other content "
            "(referral ids are not reused)",
        )
    ]
    assert sorted(c.id for c in front.record.all_contacts()) == ["c-1"]


def test_lines_are_read_as_they_are_needed_and_the_file_twice(tmp_path):
    endless = (good(n).encode() for n in itertools.count(1))
    first = next(numbered_batches(endless, Vocabularies(*[frozenset[str]()] * 4), size=3))
    assert [n.number for n in first.lines] == [1, 2, 3]  # never waited for the end
    path = tmp_path / "contacts.jsonl"
    path.write_text(referred("c-1", "R-2025-000040") + "\n" + referred("c-2") + "\n")
    lines = FileLines(path)
    assert given_referral_ids(lines) == {2025: 40} and len(list(lines)) == 2
    with pytest.raises(TypeError, match="give a list or FileLines"):
        load_contacts_file(None, iter([]), None, None, None)  # type: ignore[arg-type]


NO_WORDS = Vocabularies(*[frozenset[str]()] * 4)


def test_the_next_batch_is_read_ahead_a_line_at_a_time_and_never_further():
    lines = [good(1).encode(), b"{", good(3).encode(), good(1).encode(), good(5).encode()]
    checks = FileChecks()
    reader = BatchReader(lines, NO_WORDS, checks, size=2)
    batches = iter(reader)
    first = next(batches)
    assert [n.number for n in first.lines] == [1] and [b.number for b in first.bad] == [2]
    # while the first batch is loaded, the second is read, one line a call, and no more
    assert reader.read_ahead() and reader.read_ahead()
    assert not reader.read_ahead()
    assert sorted(checks.built) == [1, 3, 4]  # line 4 refused (a repeated id), but made
    # the first batch's contacts taken; the second's, read ahead, stay for their batch
    assert [c.id for c, _ in checks.take(first.lines)] == ["c-1"]
    assert sorted(checks.built) == [3, 4]
    second = next(batches)
    assert [n.number for n in second.lines] == [3]
    assert [(b.number, b.reason) for b in second.bad] == [(4, "id c-1 is already on line 1")]
    assert [c.id for c, _ in checks.take(second.lines)] == ["c-3"]
    third = next(batches)
    assert [n.number for n in third.lines] == [5]
    checks.take(third.lines)
    assert not checks.built  # a refused line's contact forgotten by the next batch's end
    assert not reader.read_ahead() and next(batches, None) is None


def test_batches_read_ahead_are_the_batches_read_plainly():
    lines = [good(n).encode() if n % 7 else b"" for n in range(1, 24)]
    plain = [[n.number for n in b.lines] for b in numbered_batches(lines, NO_WORDS, size=5)]
    reader = BatchReader(lines, NO_WORDS, size=5)
    ahead = []
    for batch in reader:
        ahead.append([n.number for n in batch.lines])
        reader.read_ahead()  # as an import does, a line or two while the server works
    assert ahead == plain and len(plain) == 5
