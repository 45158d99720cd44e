"""Importing open data: the real council files and the HSDS examples, with every refusal
and flag reported, re-imports that change nothing, and exports that read back the same."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from frontdoor.directory.export import export_payload, service_to_hsds
from frontdoor.directory.feed import FeedError
from frontdoor.directory.imports import read_feed
from frontdoor.directory.open_referral import RESPOND_WITHIN_TAXONOMY, parse_payload
from frontdoor.directory.service_file import (
    ServiceFileError,
    bundled_demo_files,
    read_service_file,
)
from frontdoor.directory.store import DirectoryStore
from tests.conftest import shared_path

TODAY = dt.date(2026, 11, 23)


def nl():
    return shared_path("data", "oruk", "north-lincolnshire-council.json")


def test_north_lincolnshire_imports_every_usable_service_with_its_own_id():
    feed = read_feed(nl(), TODAY)
    raw = json.loads(nl().read_text())
    assert feed.format == "oruk"
    assert len(feed.services) == 738 and feed.refused == []
    assert [s.id for s in feed.services] == [r["id"] for r in raw]
    first = feed.services[0]
    assert first.name == '"We are with You" WAWY'
    assert "<p>" not in first.description and "&amp;" not in first.description
    assert first.description.startswith("Struggling with Drug & Alcohol Addiction?")
    assert first.organisation == "Victor House"
    assert first.assured_date == dt.date(2024, 12, 10)
    # the council feeds say nothing of hours, ages or areas: "not known", not made up
    assert (first.hours, first.min_age, first.areas) == ([], None, [])
    assert feed.unused_fields["pc_metadata"] == 738
    # the web addresses and emails the UK validator would fail: kept as written, flagged
    assert [(f.field, f.problem.rsplit("' ", 1)[1]) for f in feed.flagged].count(
        ("url", "has no http:// or https:// in front; kept as written")
    ) == 14
    assert {f.field for f in feed.flagged} == {"url", "email"} and len(feed.flagged) == 15


def test_bristol_refuses_the_nameless_and_the_repeated_id_with_reasons():
    feed = read_feed(shared_path("data", "oruk", "bristol-council.json"), TODAY)
    assert len(feed.services) == 817
    reasons = {(r.record, r.id, r.reason) for r in feed.refused}
    assert reasons == {
        (1, "def5ccd4-f121-df4d-60d2-4dc0d69ff555", "it has no name"),
        (811, "2af617e5-4532-bebe-1036-ffdf2e93ce55", "its id repeats record 374's"),
    }
    assert {f.field for f in feed.flagged} == {"url", "email"} and len(feed.flagged) == 60


@pytest.mark.parametrize(
    ("parts", "fmt"),
    [
        (("service_full.json",), "hsds"),
        (("service_list.json",), "hsds"),
        (("csv",), "hsds-csv"),
        (("csv", "datapackage.json"), "hsds-csv"),
    ],
)
def test_the_hsds_examples_import_in_each_form(parts, fmt):
    feed = read_feed(shared_path("data", "hsds-3.0-examples", *parts), TODAY)
    assert feed.format == fmt and feed.refused == []
    (service,) = feed.services
    assert service.id == "ac148810-d857-441c-9679-408f346de14b"
    assert service.name == "Community Counselling"
    assert service.organisation == "Example Organization Inc."
    if fmt == "hsds" and parts[0] == "service_list.json":
        return  # the list form carries no phones, schedules or areas
    assert (service.min_age, service.max_age) == (12, 100)
    # the quoted phone number is unwrapped and validated
    assert [(p.number, p.e164) for p in service.phones] == [("01234 234567", "+441234234567")]
    assert service.areas == ["AB1", "AB2", "AB3"]
    (hours,) = service.hours
    assert hours.days == ["thu", "fri"] and hours.opens == dt.time(10)
    problems = [f.problem for f in feed.flagged]
    assert any("contradict a weekly pattern" in p for p in problems)
    assert any("valid only until 2005-01-01" in p for p in problems)


def test_a_bad_phone_number_is_kept_as_written_and_flagged():
    payload = [{"id": "s1", "name": "Lunch club", "phones": [{"number": "01234 56"}]}]
    feed = parse_payload(payload, "test", "oruk", TODAY)
    (phone,) = feed.services[0].phones
    assert (phone.number, phone.valid) == ("01234 56", False)
    assert [(f.id, f.field) for f in feed.flagged] == [("s1", "phones")]


def test_records_that_cannot_be_used_are_refused_not_fatal():
    feed = parse_payload([None, {"name": "No id"}, {"id": "a", "name": "A"}], "t", "oruk", TODAY)
    assert [s.id for s in feed.services] == ["a"]
    assert [(r.record, r.reason) for r in feed.refused] == [
        (1, "the record is not an object"),
        (2, "it has no id"),
    ]


def test_a_file_that_is_not_a_feed_is_refused_with_what_to_do(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(FeedError, match="not valid JSON"):
        read_feed(bad, TODAY)
    with pytest.raises(FeedError, match="no file or folder"):
        read_feed(tmp_path / "missing.json", TODAY)
    with pytest.raises(FeedError, match=r"no services\.csv"):
        read_feed(tmp_path, TODAY)


def test_reimporting_changes_nothing_and_an_edit_updates_in_place(front, clock):
    store = DirectoryStore(front.sessions)
    feed = read_feed(nl(), TODAY)
    first = store.save(feed.services, clock(), by="test")
    clock.advance(60)
    again = store.save(read_feed(nl(), TODAY).services, clock(), by="test")
    assert (len(first.added), len(again.added), len(again.updated), len(again.unchanged)) == (
        738,
        0,
        0,
        738,
    )
    edited = feed.services[0].model_copy(update={"description": "Now on Fridays too."})
    report = store.save([edited], clock(), by="import of a later file")
    assert report.updated == [edited.id]
    change = store.changes(edited.id)[-1]
    assert (change.by, change.field_name, change.replacement) == (
        "import of a later file",
        "description",
        "Now on Fridays too.",
    )


@pytest.mark.parametrize("fmt", ["hsds", "oruk"])
def test_an_export_reads_back_unchanged(front, clock, tmp_path, fmt):
    store = DirectoryStore(front.sessions)
    store.save(
        read_feed(shared_path("data", "hsds-3.0-examples", "service_full.json"), TODAY).services,
        clock(),
        by="test",
    )
    before = store.all()
    out = tmp_path / f"export-{fmt}.json"
    out.write_text(json.dumps(export_payload(before, fmt)))
    feed = read_feed(out, TODAY)
    assert feed.refused == []

    def by_id(services):
        return sorted((s.model_dump(exclude={"source"}) for s in services), key=lambda d: d["id"])

    assert by_id(feed.services) == by_id(before)
    report = store.save(feed.services, clock(), by="round trip")
    assert report.updated == [] and len(report.unchanged) == len(before)


def test_how_soon_a_service_answers_travels_in_both_exports_and_a_bad_one_is_flagged(tmp_path):
    demo = [s for path in bundled_demo_files() for s in read_service_file(path)]
    timed = {s.id: s.respond_within for s in demo if s.respond_within}
    assert timed == {
        "district-nursing": "2 working days",
        "rapid-response-team": "2h",
        "adult-social-care-assessment": "5 working days",
        "adult-social-care-duty": "24h",
        "mental-health-crisis-team": "24h",
        "safeguarding-adults-team": "24h",
        "childrens-social-care": "24h",
    }
    for fmt in ("hsds", "oruk"):
        feed = parse_payload(export_payload(demo, fmt), "test", fmt, TODAY)
        assert {s.id: s.respond_within for s in feed.services if s.respond_within} == timed
    # another system's feed with a time Front Door cannot use: the service is kept without it
    record = service_to_hsds(next(s for s in demo if s.id == "district-nursing"))
    for attribute in record["attributes"]:
        if attribute["taxonomy_term"]["taxonomy"] == RESPOND_WITHIN_TAXONOMY:
            attribute["value"] = "2 days"
    feed = parse_payload([record], "test", "oruk", TODAY)
    assert feed.services[0].respond_within is None and feed.refused == []
    assert [(f.field, f.problem) for f in feed.flagged] == [
        (
            "respond_within",
            "respond_within is Nh (hours) or N working day(s), such as 4h or 2 working days, "
            "not '2 days'; left out",
        )
    ]
    # in our own service files, a bad one refuses the file, naming it and the entry
    path = tmp_path / "teams.yaml"
    path.write_text("services:\n  - {id: dn, name: District nursing, respond_within: soon}\n")
    words = r"teams.yaml: entry 1 \(dn\) is not a valid service: respond_within: respond_within is"
    with pytest.raises(ServiceFileError, match=words):
        read_service_file(path)


def test_the_national_lines_scripts_give_callers_are_their_real_numbers_in_the_demo():
    """The mental health script tells a caller in crisis to ring Samaritans on 116 123;
    the demo directory said 0113 496 0152 (a drama number, as its local ones are)."""
    demo = {s.id: s for path in bundled_demo_files() for s in read_service_file(path)}

    def numbers(service_id: str) -> list[str]:
        return [phone.number for phone in demo[service_id].phones]

    assert numbers("samaritans") == ["116 123"]
    assert numbers("nhs-111") == ["111"] and numbers("emergency-999") == ["999"]
