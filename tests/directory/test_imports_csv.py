"""HSDS CSV packages: one bad row costs only itself, older HSDS tables are read, and the
report names the tables Front Door did not read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from frontdoor.directory.imports import read_feed
from tests.conftest import shared_path

TODAY = dt.date(2026, 11, 23)


def _package(folder: Path, tables: dict[str, str]) -> Path:
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_an_unterminated_quote_costs_its_own_row_not_the_records_after_it(tmp_path):
    services = (
        "id,name,description\n"
        "s1,Lunch club,Hot meals\n"
        's2,"Meals on wheels,Delivered daily\n'  # the quote is never closed
        "s3,Befriending,Weekly calls\n"
        's4,Carers,"A description\nover two lines"\n'  # a quoted line break is fine
        "s5,Too,many,columns\n"
        "s6,Falls prevention,Classes\n"
    )
    feed = read_feed(_package(tmp_path, {"services": services}), TODAY)
    assert [s.id for s in feed.services] == ["s1", "s3", "s4", "s6"]
    assert feed.services[2].description == "A description\nover two lines"
    assert [(r.table, r.line) for r in feed.skipped_rows] == [
        ("services.csv", 3),
        ("services.csv", 7),
    ]
    assert "unterminated quote" in feed.skipped_rows[0].reason
    assert feed.skipped_rows[1].reason == "not read: 4 columns where the header has 3"


def test_hsds_2_tables_are_read_and_the_others_named(tmp_path):
    folder = _package(
        tmp_path,
        {
            "services": "id,name,organization_id\ns1,Lunch club,o1\n",
            "organizations": "id,name\no1,Age Well\n",
            "regular_schedules": "id,service_id,weekday,opens_at,closes_at\n"
            "r1,s1,Monday,12:00,14:00\nr2,s1,Friday,11:30,13:30\n",
            "holiday_schedules": "id,service_id,closed,start_date,end_date\n"
            "h1,s1,true,2026-12-25,2026-12-26\n",
            "eligibility": "id,service_id,eligibility\ne1,s1,Over 60s living alone\n",
            "service_areas": "id,service_id,service_area,description\na1,s1,DN31,\n",
            "services_at_location": "id,service_id,location_id\nl1,s1,loc1\n",
            "locations": "id,name\nloc1,Town hall\n",
            "physical_addresses": "id,location_id,address_1,postal_code\n"
            "p1,loc1,1 Main St,DN32 7DL\n",
            "phones": "id,service_id,number,extension\nph1,s1,0113 496 0001,204\n",
            "service_capacity": "id,service_id,unit_id,available,maximum,updated\n"
            "c1,s1,u1,3,12,2026-11-23T08:00:00Z\n",
            "units": "id,name\nu1,place\n",
            "languages": "id,service_id,language\nla,s1,Polish\n",
            "accessibility_for_disabilities": "id,location_id,accessibility\nx,loc1,Ramp\n",
        },
    )
    feed = read_feed(folder, TODAY)
    assert feed.refused == [] and feed.skipped_rows == []
    (service,) = feed.services
    assert service.organisation == "Age Well"
    assert [(h.days, f"{h.opens:%H:%M}") for h in service.hours] == [
        (["mon"], "12:00"),
        (["fri"], "11:30"),
    ]
    assert [e.date.day for e in service.hours_exceptions] == [25, 26]
    assert service.eligibility == "Over 60s living alone"
    assert service.areas == ["DN31"]  # its own area, not its location's
    assert [p.shown for p in service.phones] == ["0113 496 0001 ext. 204"]
    assert [(c.available, c.maximum, c.unit) for c in service.capacities] == [(3, 12, "place")]
    assert feed.tables_not_read == ["accessibility_for_disabilities.csv", "languages.csv"]


def test_the_hsds_example_package_says_which_tables_it_did_not_read():
    feed = read_feed(shared_path("data", "hsds-3.0-examples", "csv"), TODAY)
    assert feed.refused == [] and feed.skipped_rows == []
    assert [p.shown for p in feed.services[0].phones] == ["01234 234567 ext. 100"]
    assert feed.tables_not_read == [
        "accessibility.csv",
        "cost_options.csv",
        "funding.csv",
        "languages.csv",
        "organization_identifiers.csv",
        "programs.csv",
        "required_documents.csv",
        "taxonomies.csv",
    ]
