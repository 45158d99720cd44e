"""Read the HSDS tabular form: a folder of CSV files (services.csv and the tables that
refer to it), assembled into HSDS JSON records for the Open Referral reader.

HSDS 3.0 / 3.1 tables and the HSDS 1.x / 2.0 ones that older exports still carry
(`regular_schedules.csv`, `holiday_schedules.csv`, `eligibility.csv`,
`physical_addresses.csv`...) are read; the report names every other table in the folder,
so a service lead knows what did not come across.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from frontdoor.directory.csv_tables import read_table
from frontdoor.directory.feed import FeedError, ParsedFeed, SkippedRow
from frontdoor.directory.open_referral import parse_payload

# Columns that only link tables together: not data a handler could use.
_LINKS = {
    "organization_id",
    "program_id",
    "location_id",
    "service_at_location_id",
    "contact_id",
    "service_id",
    "link_id",
    "taxonomy_term_id",
    "taxonomy_id",
    "unit_id",
    "link_type",
    "link_entity",
}
# the HSDS 2.0 name of service_at_location.csv, and the 3.x one
_AT_LOCATION = ("service_at_location", "services_at_location")
_ADDRESSES = ("addresses", "physical_addresses", "postal_addresses")
# tables that describe the package rather than hold directory data
_ABOUT_THE_PACKAGE = {"meta_table_descriptions", "metadata"}


def csv_folder(path: Path) -> Path:
    """The folder of CSV files for a folder or its datapackage.json."""
    folder = path.parent if path.is_file() else path
    if not (folder / "services.csv").exists():
        raise FeedError(
            f"{folder} has no services.csv; give the folder of an HSDS CSV export "
            "or its datapackage.json"
        )
    return folder


class _Tables:
    """The folder's tables, each read once, with what was read and what was skipped."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.read: set[str] = set()
        self.skipped: list[SkippedRow] = []

    def rows(self, name: str) -> list[dict[str, str]]:
        self.read.add(name)
        path = self.folder / f"{name}.csv"
        if not path.exists():
            return []
        rows, skipped = read_table(path)
        self.skipped += skipped
        return rows

    def by(self, name: str, key: str) -> dict[str, list[dict[str, str]]]:
        grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in self.rows(name):
            if row.get(key):
                grouped[row[key]].append(row)
        return grouped

    def by_id(self, name: str) -> dict[str, dict[str, Any]]:
        return {r["id"]: _data(r) for r in self.rows(name) if r.get("id")}

    def not_read(self) -> list[str]:
        return sorted(
            p.name
            for p in self.folder.glob("*.csv")
            if p.stem not in self.read and p.stem not in _ABOUT_THE_PACKAGE
        )


def _data(row: dict[str, str]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in _LINKS and v != ""}


def _locations(tables: _Tables) -> dict[str, list[dict[str, Any]]]:
    """service id -> its service_at_locations, each with its location and addresses."""
    locations = tables.by_id("locations")
    addresses = {name: tables.by(name, "location_id") for name in _ADDRESSES}
    links = [row for name in _AT_LOCATION for row in tables.rows(name)]
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        location_id = link.get("location_id", "")
        location = dict(locations.get(location_id, {}))
        for name in _ADDRESSES:
            location[name] = [_data(a) for a in addresses[name].get(location_id, [])]
        found[link.get("service_id", "")].append({**_data(link), "location": location})
    return found


def _capacities(tables: _Tables) -> dict[str, list[dict[str, Any]]]:
    units = tables.by_id("units") | tables.by_id("unit")
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in tables.rows("service_capacity"):
        unit = units.get(row.get("unit_id", ""))
        found[row.get("service_id", "")].append({**_data(row), "unit": unit})
    return found


def _attributes(tables: _Tables) -> dict[str, list[dict[str, Any]]]:
    """Taxonomy links: HSDS 3 attributes.csv, HSDS 2 service_taxonomy.csv."""
    terms = tables.by_id("taxonomy_terms") | tables.by_id("taxonomy")
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in tables.rows("attributes"):
        term = terms.get(row.get("taxonomy_term_id", ""), {})
        found[row.get("link_id", "")].append({"value": row.get("value"), "taxonomy_term": term})
    for row in tables.rows("service_taxonomy"):
        term = terms.get(row.get("taxonomy_id", ""), {})
        found[row.get("service_id", "")].append({"taxonomy_term": term})
    return found


def read_csv_folder(path: Path, today: dt.date) -> ParsedFeed:
    folder = csv_folder(path)
    tables = _Tables(folder)
    # datapackage.json only describes the tables (some exports ship it as a link to
    # another file): the CSV files themselves are what we read.
    organisations = tables.by_id("organizations")
    contacts = tables.by("contacts", "service_id")
    phones = tables.by("phones", "service_id")
    contact_phones = tables.by("phones", "contact_id")
    nested = {
        "schedules": tables.by("schedules", "service_id"),
        "regular_schedules": tables.by("regular_schedules", "service_id"),
        "holiday_schedules": tables.by("holiday_schedules", "service_id"),
        "eligibilitys": tables.by("eligibility", "service_id"),
        "service_areas": tables.by("service_areas", "service_id"),
    }
    at_locations = _locations(tables)
    capacities = _capacities(tables)
    attributes = _attributes(tables)
    records: list[dict[str, Any]] = []
    for row in tables.rows("services"):
        record = _data(row)
        service_id = row.get("id", "")
        if row.get("organization_id") in organisations:
            record["organization"] = organisations[row["organization_id"]]
        record["phones"] = [_data(p) for p in phones.get(service_id, [])]
        record["contacts"] = [
            {**_data(c), "phones": [_data(p) for p in contact_phones.get(c.get("id", ""), [])]}
            for c in contacts.get(service_id, [])
            if not phones.get(service_id)  # the same phones are often linked to both
        ]
        for key, table in nested.items():
            record[key] = [_data(r) for r in table.get(service_id, [])]
        record["service_at_locations"] = at_locations.get(service_id, [])
        record["capacities"] = capacities.get(service_id, [])
        record["attributes"] = attributes.get(service_id, [])
        records.append(record)
    feed = parse_payload(records, source=f"hsds-csv:{folder.name}", fmt="hsds-csv", today=today)
    feed.skipped_rows = tables.skipped
    feed.tables_not_read = tables.not_read()
    return feed
