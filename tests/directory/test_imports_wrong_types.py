"""One wrongly-typed field never stops a feed: for every field the importer reads, and
many wrong types for each, the record is refused or kept with a flag that names the
field, and the record after it is read as if nothing had happened."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from typing import Any

from frontdoor.directory.open_referral import parse_payload

TODAY = dt.date(2026, 11, 23)


def _good(service_id: str) -> dict[str, Any]:
    """A record using every field the importer reads, each of the right type."""
    return {
        "id": service_id,
        "name": "Lunch club",
        "description": "<p>Hot meals</p>",
        "url": "https://example.org/lunch",
        "email": "lunch@example.org",
        "status": "active",
        "assured_date": "2026-01-05",
        "assurer_email": "lead@example.org",
        "eligibility_description": "Over 60s",
        "minimum_age": 60,
        "maximum_age": 120,
        "organization": {"id": "o1", "name": "Age Well"},
        "phones": [{"number": "0113 496 0001", "extension": "12", "description": "Desk"}],
        "contacts": [{"name": "Ann", "phones": [{"number": "0113 496 0002"}]}],
        "attributes": [{"value": "x", "taxonomy_term": {"name": "Meals", "taxonomy": "local"}}],
        "service_taxonomys": [{"taxonomy": {"name": "Food", "vocabulary": "esd"}}],
        "pc_targetAudience": [{"audienceType": "Older people"}],
        "eligibilitys": [{"eligibility": "Retired", "minimum_age": 60}],
        "schedules": [
            {
                "id": "sc1",
                "freq": "WEEKLY",
                "byday": "MO",
                "opens_at": "12:00",
                "closes_at": "14:00",
            }
        ],
        "regular_schedules": [{"weekday": "Tuesday", "opens_at": "12:00", "closes_at": "14:00"}],
        "holiday_schedules": [{"start_date": "2026-12-25", "closed": True}],
        "service_areas": [{"name": "DN31"}],
        "service_at_locations": [{"location": {"addresses": [{"postal_code": "DN32 7DL"}]}}],
        "capacities": [
            {
                "available": 3,
                "maximum": 10,
                "unit": {"name": "place"},
                "updated": "2026-11-23T08:00Z",
            }
        ],
    }


# where each field sits in the record, and the wrong values tried there
PATHS: list[tuple[Any, ...]] = [
    (key,)
    for key in _good("x")
    if key not in ("description",)  # text: a number there is read as text, correctly
] + [
    ("organization", "name"),
    ("phones", 0),
    ("phones", 0, "number"),
    ("phones", 0, "extension"),
    ("phones", 0, "description"),
    ("contacts", 0),
    ("contacts", 0, "phones"),
    ("contacts", 0, "phones", 0, "number"),
    ("attributes", 0),
    ("attributes", 0, "taxonomy_term"),
    ("attributes", 0, "taxonomy_term", "name"),
    ("attributes", 0, "taxonomy_term", "taxonomy"),
    ("attributes", 0, "value"),
    ("service_taxonomys", 0, "taxonomy"),
    ("pc_targetAudience", 0, "audienceType"),
    ("eligibilitys", 0),
    ("eligibilitys", 0, "minimum_age"),
    ("eligibilitys", 0, "eligibility"),
    ("schedules", 0),
    ("schedules", 0, "byday"),
    ("schedules", 0, "opens_at"),
    ("schedules", 0, "freq"),
    ("regular_schedules", 0, "weekday"),
    ("holiday_schedules", 0, "start_date"),
    ("holiday_schedules", 0, "closed"),
    ("service_areas", 0),
    ("service_areas", 0, "name"),
    ("service_at_locations", 0, "location"),
    ("service_at_locations", 0, "location", "addresses"),
    ("service_at_locations", 0, "location", "addresses", 0, "postal_code"),
    ("capacities", 0),
    ("capacities", 0, "available"),
    ("capacities", 0, "unit"),
    ("capacities", 0, "unit", "name"),
    ("capacities", 0, "updated"),
]
WRONG: list[Any] = [
    1,
    -7,
    2.5,
    10**400,
    True,
    "x",
    [1],
    ["x"],
    [None],
    [[1]],
    [True, {"a": 1}],
    {"a": [1]},
    {"number": {"deep": []}},
]


def _set(record: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _at(record: dict[str, Any], path: tuple[Any, ...]) -> Any:
    for step in path:
        record = record[step]
    return record


def _names(path: tuple[Any, ...]) -> set[str]:
    return {str(p) for p in path if isinstance(p, str)} | {
        "schedules" if path[0] == "regular_schedules" else path[0]
    }


def test_every_wrong_type_in_every_field_refuses_or_flags_that_record_only():
    baseline = parse_payload([_good("s1")], "t", "hsds", TODAY)
    assert baseline.refused == [] and len(baseline.services) == 1
    unflagged: list[tuple[tuple[Any, ...], Any]] = []
    for path, value in itertools.product(PATHS, WRONG):
        bad = copy.deepcopy(_good("bad"))
        _set(bad, path, copy.deepcopy(value))
        feed = parse_payload([bad, _good("s1")], "t", "hsds", TODAY)
        # the record after it is read exactly as it is alone
        assert feed.services[-1] == baseline.services[0], (path, value)
        names = _names(path)
        if feed.refused:
            (refusal,) = feed.refused
            assert refusal.record == 1 and any(n in refusal.reason for n in ("id", "name"))
            assert path[0] in ("id", "name"), (path, value, refusal)
            continue
        kept = feed.services[0]
        flags = [f for f in feed.flagged if f.id == kept.id]
        named = [f for f in flags if any(n in f.field or n in f.problem for n in names)]
        if named:
            continue
        # no flag: the value must have been one the field can honestly take (a number
        # as text, 1 as a true/false, "x" as a name) and the service otherwise intact
        unflagged.append((path, value))
        assert kept.name and kept.id == ("bad" if path != ("id",) else str(value)), (path, value)
    unexplained = [
        (path, value)
        for path, value in unflagged
        if not (
            (isinstance(value, str | int | float) and not isinstance(value, bool))
            or value is True
            or (path[0] == "phones" and value in (["x"], [1]))  # a list of numbers
            # an object where objects go (with nothing in it we use), a null item
            or (isinstance(value, dict) and isinstance(_at(_good("x"), path), dict | list))
            or value == [None]
        )
    ]
    assert unexplained == [], "\n".join(map(str, unexplained))


def test_the_reason_names_the_field_and_what_was_there():
    bad = _good("bad") | {"phones": 1, "attributes": [1], "schedules": "x", "organization": 3}
    feed = parse_payload([bad], "t", "hsds", TODAY)
    (service,) = feed.services
    assert service.phones[0].number == "0113 496 0002"  # the contact's phone is still there
    assert service.organisation is None and service.hours[0].days == ["tue"]
    problems = {(f.field, f.problem) for f in feed.flagged}
    assert {
        ("phones", "is a number, not a list; not used"),
        ("attributes", "item 1 is a number, not an object; not used"),
        ("schedules", "is text, not a list; not used"),
        ("organization", "is a number, not an object; not used"),
    } <= problems
    nameless = parse_payload(
        [_good("a") | {"name": [1]}, {"id": [2], "name": "B"}], "t", "x", TODAY
    )
    assert [(r.record, r.id, r.reason) for r in nameless.refused] == [
        (1, "a", "its name is a list, not text"),
        (2, None, "its id is a list, not text"),
    ]
