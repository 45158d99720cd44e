"""Exports the official Open Referral schemas accept (HSDS 3.0, HSDS 3.1, the UK profile),
with nothing written as null and an id on every nested record, that Front Door reads back
to the same services."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.directory.export import (
    ExportFormat,
    derived_id,
    export_payload,
    organisation_id,
    service_to_hsds,
)
from frontdoor.directory.feed import ParsedFeed
from frontdoor.directory.imports import read_feed
from frontdoor.directory.model import Capacity, OpeningHours, Phone, Service
from frontdoor.directory.open_referral import parse_payload
from frontdoor.directory.schema_check import (
    SCHEMA_NAMES,
    Problem,
    RecordsError,
    SchemaName,
    check_record,
    check_records,
    schema,
    service_records,
)
from frontdoor.directory.service_file import bundled_demo_files, read_service_file
from frontdoor.directory.store import DirectoryStore
from tests.conftest import FakeClock, copy_sqlite, shared_path

TODAY = dt.date(2026, 11, 23)
# the export each schema is for: the HSDS page for HSDS, the plain list for the UK profile
FORMAT_FOR: dict[SchemaName, ExportFormat] = {
    "hsds-3.0": "hsds",
    "hsds-3.1": "hsds",
    "oruk": "oruk",
}
OFFICIAL = {"hsds-3.0": "hsds-3.0", "hsds-3.1": "hsds-3.1", "oruk": "oruk-3.0-uk"}
FEEDS = ("north-lincolnshire-council", "bristol-council")


@pytest.fixture(scope="module")
def demo() -> list[Service]:
    """The demo directory, read once: its services are frozen, so tests can share them."""
    return [s for path in bundled_demo_files() for s in read_service_file(path)]


@pytest.fixture(scope="module")
def council_feeds() -> dict[str, ParsedFeed]:
    """The two councils' ORUK feeds as Front Door imports them."""
    return {name: read_feed(shared_path("data", "oruk", f"{name}.json"), TODAY) for name in FEEDS}


def failures(services: list[Service], name: SchemaName) -> list[tuple[str | None, Problem]]:
    records = service_records(export_payload(services, FORMAT_FOR[name]))
    assert len(records) == len(services)
    report = check_records(records, name)
    return [(v.id, p) for v in report.failed for p in v.problems]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_shipped_schema_is_the_publishers_own(name: SchemaName) -> None:
    official = shared_path("data", "schemas", OFFICIAL[name], "service.json")
    assert schema(name) == json.loads(official.read_text())


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_demo_service_exported_passes(name: SchemaName, demo: list[Service]) -> None:
    assert len(demo) == 117
    assert failures(demo, name) == []


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_council_service_imported_then_exported_passes(
    name: SchemaName, council_feeds: dict[str, ParsedFeed]
) -> None:
    assert {k: len(v.services) for k, v in council_feeds.items()} == {
        "north-lincolnshire-council": 738,
        "bristol-council": 817,
    }
    for feed in council_feeds.values():
        assert failures(feed.services, name) == []


@pytest.mark.parametrize("fmt", ["hsds", "oruk"])
def test_every_export_reads_back_to_the_same_services(
    fmt: ExportFormat, demo: list[Service], council_feeds: dict[str, ParsedFeed]
) -> None:
    first_reads = [ParsedFeed("demo", services=demo), *council_feeds.values()]
    for first in first_reads:
        again = parse_payload(export_payload(first.services, fmt), "test", fmt, TODAY)
        assert (again.refused, again.unused_fields) == ([], {})
        # what the first import flagged may be flagged again (the text is as it was),
        # nothing else: the export adds no problem of its own
        assert set(again.flagged) <= set(first.flagged)
        assert [s.model_dump(exclude={"source"}) for s in again.services] == [
            s.model_dump(exclude={"source"}) for s in first.services
        ]


def leaves(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every value with the keys that lead to it (list positions left out)."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield from leaves(child, (*path, key))
    elif isinstance(node, list) and node:
        for child in node:
            yield from leaves(child, path)
    else:
        yield path, node


def test_a_value_not_known_is_left_out_never_null(demo: list[Service]) -> None:
    bare = Service(id="bare", name="Bare service")
    assert service_to_hsds(bare) == {"id": "bare", "name": "Bare service", "status": "active"}
    aged = service_to_hsds(Service(id="young", name="Young carers", min_age=0, max_age=17))
    assert (aged["minimum_age"], aged["maximum_age"]) == (0, 17)
    found = list(leaves(export_payload(demo, "hsds")))
    assert [path for path, v in found if v is None or v == []] == []
    # the one empty text: an organisation's description, which every schema requires and
    # Front Door does not keep
    assert {path for path, v in found if v == ""} == {("contents", "organization", "description")}


NESTED = ("phones", "schedules", "holiday_schedules", "service_areas", "attributes")


def nested_ids(record: dict[str, Any]) -> list[str]:
    ids = [entry["id"] for key in NESTED for entry in record.get(key, [])]
    ids += [a["taxonomy_term"]["id"] for a in record.get("attributes", [])]
    return ids + ([record["organization"]["id"]] if "organization" in record else [])


def test_every_nested_record_has_a_uuid_that_a_re_export_repeats(demo: list[Service]) -> None:
    first, again = export_payload(demo, "oruk"), export_payload(list(demo), "oruk")
    assert first == again
    ids = [i for record in first for i in nested_ids(record)]
    assert len(ids) > 1000 and {uuid.UUID(i).version for i in ids} == {5}
    # a service's own records are its own: no id repeats within or across services, but
    # an organisation and a taxonomy term are one record wherever they are used
    own = [i for r in first for key in NESTED for i in (e["id"] for e in r.get(key, []))]
    assert len(own) == len(set(own))
    by_name = {
        r["organization"]["name"]: r["organization"]["id"] for r in first if "organization" in r
    }
    assert all(
        r["organization"]["id"] == by_name[r["organization"]["name"]]
        for r in first
        if "organization" in r
    )
    assert by_name["Community Health Services"] == organisation_id("Community Health Services")
    terms: dict[tuple[str, str], set[str]] = {}
    for r in first:
        for a in r.get("attributes", []):
            term = a["taxonomy_term"]
            terms.setdefault((term["taxonomy"], term["name"]), set()).add(term["id"])
            assert a["taxonomy_term_id"] == term["id"]
    assert all(len(found) == 1 for found in terms.values())


def test_a_nested_id_follows_what_the_record_is_not_where_it_stands() -> None:
    hours = OpeningHours(days=["mon"], opens=dt.time(9), closes=dt.time(17))
    before = Service(
        id="clinic", name="Clinic", phones=[Phone(number="0113 496 0000")], hours=[hours]
    )
    after = before.model_copy(
        update={"phones": [Phone(number="0113 496 0999"), *before.phones], "hours": [hours, hours]}
    )
    old, new = service_to_hsds(before), service_to_hsds(after)
    assert new["phones"][1]["id"] == old["phones"][0]["id"] != new["phones"][0]["id"]
    # the same hours written twice are two records, with two ids
    assert new["schedules"][0]["id"] == old["schedules"][0]["id"] != new["schedules"][1]["id"]
    # derived from the service's id: another service's identical phone is another record
    other = service_to_hsds(before.model_copy(update={"id": "clinic-2"}))
    assert other["phones"][0]["id"] != old["phones"][0]["id"]
    assert old["phones"][0]["id"] == derived_id("service", "clinic", "phone", "+441134960000")


def test_each_broken_rule_is_said_in_words_per_record() -> None:
    old_style = {
        "id": "x1",
        "name": "Old export",
        "status": "closed",
        "minimum_age": None,
        "organization": {"name": "Council"},
        "phones": [{"id": "p1", "number": "01134960000"}, {"number": "01134960001"}],
        "attributes": [{"id": "a1", "taxonomy_term": {"id": "t1", "name": 3, "description": ""}}],
    }
    allowed = "'active', 'inactive', 'defunct', 'temporarily closed'"
    assert [str(p) for p in check_record(old_style, "hsds-3.0")] == [
        f"status: is the text 'closed'; HSDS 3.0 allows only {allowed}",
        "minimum_age: is null; HSDS 3.0 wants a number "
        "(a value not known is left out, not written as null)",
        "phones, entry 2: has no 'id', which HSDS 3.0 requires",
        "organization: has no 'id' or 'description', which HSDS 3.0 requires",
        "attributes, entry 1, taxonomy_term, name: is the number 3; HSDS 3.0 wants text",
    ]
    # the UK profile has no service-level phones: other fields are not its concern
    assert [p.where for p in check_record(old_style, "oruk")] == [
        "status",
        "minimum_age",
        "organization",
        "attributes, entry 1, taxonomy_term, name",
    ]
    report = check_records([old_style, "a string", {"name": "No id"}], "hsds-3.1")
    assert [(v.record, v.id, [str(p) for p in v.problems][:1]) for v in report.verdicts] == [
        (1, "x1", [f"status: is the text 'closed'; HSDS 3.1 allows only {allowed}"]),
        (2, None, ["the record: is the text 'a string'; HSDS 3.1 wants an object"]),
        (3, None, ["the record: has no 'id' or 'status', which HSDS 3.1 requires"]),
    ]
    assert report.summary() == "HSDS 3.1: 0 of 3 service(s) pass"


def test_the_records_of_a_page_a_list_or_one_service() -> None:
    one = {"id": "a", "name": "A"}
    assert service_records([one]) == service_records({"contents": [one]}) == [one]
    assert service_records(one) == [one]
    with pytest.raises(RecordsError, match="expected a list of services, a page with 'contents'"):
        service_records({"services": [one]})


def frontdoor(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), env={"FRONTDOOR_USER": None})


def test_validate_says_per_record_what_fails_and_exits_1(
    tmp_path: Path, demo: list[Service]
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(export_payload(demo[:3], "hsds")))
    done = frontdoor("directory", "validate", str(good))
    assert (done.exit_code, done.output.splitlines()) == (
        0,
        [
            "HSDS 3.0: 3 of 3 service(s) pass",
            "HSDS 3.1: 3 of 3 service(s) pass",
            "the Open Referral UK profile: 3 of 3 service(s) pass",
        ],
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "b", "name": "B", "status": "active", "url": None}]))
    done = frontdoor("directory", "validate", str(bad), "--schema", "oruk")
    assert (done.exit_code, done.output.splitlines()) == (
        1,
        [
            "the Open Referral UK profile: 0 of 1 service(s) pass",
            "  record 1 (id b):",
            "    url: is null; the Open Referral UK profile wants text "
            "(a value not known is left out, not written as null)",
        ],
    )
    as_json = json.loads(frontdoor("directory", "validate", str(bad), "--json").output)
    assert [(r["schema"], r["passed"], len(r["failed"])) for r in as_json] == [
        ("hsds-3.0", 0, 1),
        ("hsds-3.1", 0, 1),
        ("oruk", 0, 1),
    ]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "c",\n')
    done = frontdoor("directory", "validate", str(broken))
    assert done.exit_code == 2 and "is not JSON: Expecting property name" in done.output
    assert "at line 2, column 1" in done.output


def test_export_check_passes_the_directory_and_names_a_status_no_schema_allows(
    tmp_path: Path, sqlite_directory_template: Path
) -> None:
    db = copy_sqlite(sqlite_directory_template, tmp_path / "directory.db")
    out = tmp_path / "export.json"
    done = frontdoor("directory", "export", "--check", "--out", str(out), "--db", db)
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[1:] == [
        "HSDS 3.0: 117 of 117 service(s) pass",
        "HSDS 3.1: 117 of 117 service(s) pass",
    ]
    engine = make_engine(db, create=False)
    DirectoryStore(make_session_factory(engine)).save(
        [Service(id="paused", name="Paused clinic", status="paused")], FakeClock()(), by="test"
    )
    engine.dispose()
    done = frontdoor(
        "directory", "export", "--format", "oruk", "--check", "--out", str(out), "--db", db
    )
    assert done.exit_code == 1
    assert done.output.splitlines()[1:] == [
        "the Open Referral UK profile: 117 of 118 service(s) pass",
        "  record 81 (id paused):",  # the directory lists services by name
        "    status: is the text 'paused'; the Open Referral UK profile allows only "
        "'active', 'inactive', 'defunct', 'temporarily closed'",
    ]


def test_an_extension_and_a_capacity_pass_every_schema_and_read_back() -> None:
    updated = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
    service = Service(
        id="respite",
        name="Respite beds",
        phones=[Phone(number="0113 496 0000", extension="100")],
        capacities=[Capacity(available=3, maximum=10, unit="bed", updated=updated)],
    )
    record = service_to_hsds(service)
    assert record["phones"][0]["extension"] == 100  # HSDS types an extension as a number
    assert record["capacities"][0]["unit"] == {"id": derived_id("unit", "bed"), "name": "bed"}
    assert "description" not in record["capacities"][0]
    assert {name: check_record(record, name) for name in SCHEMA_NAMES} == {
        name: () for name in SCHEMA_NAMES
    }
    back = parse_payload([record], "test", "hsds", TODAY)
    assert (back.flagged, back.refused) == ([], [])
    assert back.services[0].model_dump(exclude={"source"}) == service.model_dump(exclude={"source"})
