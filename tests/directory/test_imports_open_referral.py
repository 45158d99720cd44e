"""Open Referral as the validators read it: the validator's verdicts (pass kept, warn
kept and flagged, fail refused), organisation files, phone extensions, web addresses
and emails that are not ones, HSDS 3.1 capacity, and areas from where a service is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from frontdoor.console.screens.service_detail import detail_text
from frontdoor.console.widgets.directory_panel import service_text
from frontdoor.directory.imports import read_feed
from frontdoor.directory.model import Capacity
from frontdoor.directory.open_referral import parse_payload
from tests.conftest import shared_path

TODAY = dt.date(2026, 11, 23)
HERE = Path(__file__).parent / "open_referral"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def test_what_the_validator_passes_is_kept_unflagged():
    feed = read_feed(HERE / "pass_service_list.json", TODAY)
    assert (feed.refused, feed.flagged) == ([], [])
    cafe, club = feed.services
    assert (cafe.name, cafe.organisation, cafe.areas) == (
        "Carers' Cafe",
        "Carers Together",
        ["DN35"],
    )
    assert [p.shown for p in cafe.phones] == ["0113 496 0123 ext. 21"]
    assert club.areas == ["North East Lincolnshire"]


def test_what_it_warns_of_is_kept_and_flagged_field_by_field():
    feed = read_feed(HERE / "warn_service_list.json", TODAY)
    assert feed.refused == [] and len(feed.services) == 3
    assert [(f.id[:2], f.field) for f in feed.flagged] == [
        ("6f", "url"),
        ("w2", "email"),
        ("w2", "status"),
        ("w3", "phones"),
        ("w3", "assured_date"),
    ]
    url, email = feed.services[0].url, feed.services[1].email
    assert (url, email) == ("www.carers.example.org/cafe", "cafe@carers")  # as written
    assert not feed.services[1].active  # "open" is not a status: not searched as active


def test_what_it_fails_is_refused_with_each_record_and_reason():
    feed = read_feed(HERE / "fail_service_list.json", TODAY)
    assert feed.services == []
    assert [(r.record, r.reason) for r in feed.refused] == [
        (1, "it has no name"),
        (2, "its name is a list, not text"),
        (3, "it has no id"),
        (4, "it has no name"),
        (5, "its id is an object, not text"),
    ]


def test_an_organisation_file_is_its_services_under_its_name():
    feed = read_feed(HERE / "organization_full.json", TODAY)
    assert [(s.name, s.organisation) for s in feed.services] == [
        ("Carers' Cafe", "Carers Together"),
        ("Carers' Helpline", "Carers Together"),
    ]
    hsds = read_feed(shared_path("data", "hsds-3.0-examples", "organization_full.json"), TODAY)
    assert hsds.refused == []
    assert [(s.id, s.name, s.organisation) for s in hsds.services] == [
        (
            "ac148810-d857-441c-9679-408f346de14b",
            "Community Counselling",
            "Example Organization Inc.",
        )
    ]
    # a page of organisations with no services brings no service named after one
    page = parse_payload(
        {"contents": [{"id": "o", "name": "Org", "website": "x"}]}, "t", "x", TODAY
    )
    assert page.services == []
    assert [r.reason for r in page.refused] == [
        "it is organisation 'Org' with no services; import its services"
    ]


def test_a_service_at_a_location_takes_its_area_from_the_address():
    record = {
        "id": "sal",
        "service": {"id": "s", "name": "Clinic"},
        "location": {"addresses": [{"postal_code": "dn32 7dl"}]},
    }
    feed = parse_payload(record, "t", "hsds", TODAY)
    assert feed.services[0].areas == ["DN32"]
    assert feed.flagged[0].problem == (
        "none given; DN32 taken from the address of where it is delivered"
    )
    own = parse_payload(
        {
            **record["service"],
            "service_areas": [{"name": "DN40"}],
            "service_at_locations": [{"location": record["location"]}],
        },
        "t",
        "hsds",
        TODAY,
    )
    assert own.services[0].areas == ["DN40"] and own.flagged == []  # its own areas stand


def test_capacity_is_kept_and_told_to_the_handler_with_its_age():
    record = {
        "id": "beds",
        "name": "Respite beds",
        "capacities": [
            {
                "id": "c1",
                "available": 3,
                "unit": {"id": "u1", "name": "Place"},
                "updated": "2026-11-23T08:00:00Z",
            },
            {
                "id": "c2",
                "available": 1,
                "maximum": 4,
                "unit": "bed",
                "updated": "2026-11-01T09:00",
            },
            {"id": "c3", "available": 2, "unit": {"name": "room"}},
        ],
    }
    feed = parse_payload([record], "t", "hsds", TODAY)
    service = feed.services[0]
    assert [c.describe(NOW) for c in service.capacities] == [
        "3 places free, updated 2 hours ago",
        "1 of 4 beds free, updated 01 Nov 2026",
    ]
    assert [(f.field, f.problem) for f in feed.flagged] == [
        ("capacities", "capacity 3: no time it was updated; not used")
    ]
    panel = service_text(service, now=NOW).plain
    assert "3 places free, updated 2 hours ago" in panel
    detail = detail_text(service, NOW).plain
    assert "Places free  3 places free, updated 2 hours ago; 1 of 4 beds free" in detail


def test_capacity_wording():
    place = Capacity(available=1, unit="place", updated=NOW - dt.timedelta(minutes=1))
    assert place.describe(NOW) == "1 place free, updated 1 minute ago"
    assert place.describe(NOW - dt.timedelta(minutes=1)) == "1 place free, updated just now"
    beds = Capacity(available=0.5, unit="beds", updated=NOW - dt.timedelta(days=2))
    assert beds.describe(NOW) == "0.5 beds free, updated 2 days ago"


def test_the_detail_marks_an_address_that_is_not_one():
    record = {"id": "s", "name": "Club", "url": "example/club", "email": "club-at-example"}
    service = parse_payload([record], "t", "oruk", TODAY).services[0]
    text = detail_text(service, NOW).plain
    assert "example/club (NOT VALID: is not a web address)" in text
    assert "club-at-example (NOT VALID: is not an email address)" in text
