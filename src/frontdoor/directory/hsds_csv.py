"""Read the HSDS 3.0 tabular form: a folder of CSV files (services.csv and the tables
that refer to it), assembled into HSDS JSON records for the Open Referral reader."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from frontdoor.directory.feed import FeedError, ParsedFeed
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
    "link_type",
    "link_entity",
}


def csv_folder(path: Path) -> Path:
    """The folder of CSV files for a folder or its datapackage.json."""
    folder = path.parent if path.is_file() else path
    if not (folder / "services.csv").exists():
        raise FeedError(
            f"{folder} has no services.csv; give the folder of an HSDS CSV export "
            "or its datapackage.json"
        )
    return folder


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / f"{name}.csv"
    if not path.exists():
        return []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [
                {k: (v or "").strip() for k, v in row.items() if k}
                for row in csv.DictReader(handle)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FeedError(f"cannot read {path}: {exc}") from exc


def _by(rows: list[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            grouped[row[key]].append(row)
    return grouped


def _data(row: dict[str, str]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in _LINKS and v != ""}


def read_csv_folder(path: Path, today: dt.date) -> ParsedFeed:
    folder = csv_folder(path)
    # datapackage.json only describes the tables (some exports ship it as a link to
    # another file): the CSV files themselves are what we read.
    organisations = {r["id"]: _data(r) for r in _read(folder, "organizations") if r.get("id")}
    phones = _by(_read(folder, "phones"), "service_id")
    schedules = _by(_read(folder, "schedules"), "service_id")
    areas = _by(_read(folder, "service_areas"), "service_id")
    terms = {r["id"]: _data(r) for r in _read(folder, "taxonomy_terms") if r.get("id")}
    attributes = _by(_read(folder, "attributes"), "link_id")
    records: list[dict[str, Any]] = []
    for row in _read(folder, "services"):
        record = _data(row)
        service_id = row.get("id", "")
        if row.get("organization_id") in organisations:
            record["organization"] = organisations[row["organization_id"]]
        record["phones"] = [_data(p) for p in phones.get(service_id, [])]
        record["schedules"] = [_data(s) for s in schedules.get(service_id, [])]
        record["service_areas"] = [_data(a) for a in areas.get(service_id, [])]
        record["attributes"] = [
            {"value": a.get("value"), "taxonomy_term": terms.get(a.get("taxonomy_term_id", ""), {})}
            for a in attributes.get(service_id, [])
        ]
        records.append(record)
    return parse_payload(records, source=f"hsds-csv:{folder.name}", fmt="hsds-csv", today=today)
