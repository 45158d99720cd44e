"""Importing the real council files: usable services kept, the rest reported."""

from __future__ import annotations

import json

from frontdoor.directory.oruk import parse_feed, read_feed
from frontdoor.directory.store import DirectoryStore
from tests.conftest import shared_path


def test_north_lincolnshire_imports_every_usable_service_with_its_own_id():
    feed = read_feed(shared_path("data", "oruk", "north-lincolnshire-council.json"))
    raw = json.loads(shared_path("data", "oruk", "north-lincolnshire-council.json").read_text())
    assert len(feed.services) == 738 and feed.refused == []
    assert [s.id for s in feed.services] == [r["id"] for r in raw]
    first = feed.services[0]
    assert first.name == '"We are with You" WAWY'
    assert "<p>" not in first.description and "&amp;" not in first.description
    assert first.description.startswith("Struggling with Drug & Alcohol Addiction?")
    assert first.organisation == "Victor House"
    assert first.assured_date is not None and first.assured_date.isoformat() == "2024-12-10"
    assert feed.unused_fields["pc_metadata"] == 738


def test_bristol_refuses_the_nameless_and_the_repeated_id_with_reasons():
    feed = read_feed(shared_path("data", "oruk", "bristol-council.json"))
    assert len(feed.services) == 817
    reasons = {(r.id, r.reason) for r in feed.refused}
    assert ("def5ccd4-f121-df4d-60d2-4dc0d69ff555", "it has no name") in reasons
    assert ("2af617e5-4532-bebe-1036-ffdf2e93ce55", "its id repeats record 373's") in reasons


def test_reimporting_the_same_file_changes_nothing(front, clock):
    feed = read_feed(shared_path("data", "oruk", "north-lincolnshire-council.json"))
    store = DirectoryStore(front.sessions)
    first = store.save(feed.services, clock())
    clock.advance(60)
    again = store.save(feed.services, clock())
    assert (len(first.added), len(again.added), len(again.updated), len(again.unchanged)) == (
        738,
        0,
        0,
        738,
    )


def test_an_edited_record_updates_in_place(front, clock):
    payload = [{"id": "svc-1", "name": "Lunch club", "description": "<b>Tuesdays</b>"}]
    store = DirectoryStore(front.sessions)
    store.save(parse_feed(payload, "test").services, clock())
    payload[0]["description"] = "Tuesdays and Thursdays"
    report = store.save(parse_feed(payload, "test").services, clock())
    assert report.updated == ["svc-1"]
    assert [s.description for s in store.all() if s.id == "svc-1"] == ["Tuesdays and Thursdays"]


def test_records_that_are_not_objects_are_refused_not_fatal():
    feed = parse_feed([None, "text", {"id": "a", "name": "A"}], "test")
    assert [s.id for s in feed.services] == ["a"]
    assert [r.reason for r in feed.refused] == ["the record is not an object"] * 2
