"""Where the service records are in an Open Referral payload.

A `/services` list, a page of them (`contents`), one service, one organisation with its
services (`organization_full.json`: the services are what Front Door keeps, each under
the organisation's name), a page of organisations, or a service at a location
(`service_at_location_full.json`: its service, at that location).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# fields only an organisation has in HSDS 3 (a service has `url`, `status` and so on)
_ORGANISATION_ONLY = {
    "website",
    "tax_status",
    "tax_id",
    "year_incorporated",
    "legal_status",
    "logo",
    "uri",
    "parent_organization_id",
    "organization_identifiers",
    "programs",
}


@dataclass(frozen=True)
class Entry:
    """One record to read: a service record, or why the thing at that place is not one."""

    record: Any
    not_a_service: str | None = None


def _page(payload: dict[str, Any]) -> list[Any] | None:
    for key in ("contents", "content", "items"):
        if isinstance(payload.get(key), list):
            return list(payload[key])
    return None


def is_organisation(record: dict[str, Any]) -> bool:
    if "services" in record:
        return True
    return "status" not in record and any(k in record for k in _ORGANISATION_ONLY)


def _as_organisation(value: Any) -> Any:
    """The organisation as a service carries it: itself without its services."""
    if not isinstance(value, dict):
        return value
    return {k: v for k, v in value.items() if k != "services"}


def _entries(record: Any) -> list[Entry]:
    if not isinstance(record, dict):
        return [Entry(record)]
    if isinstance(record.get("service"), dict) and "name" not in record:
        service = dict(record["service"])
        if isinstance(record.get("location"), dict) and not service.get("service_at_locations"):
            service["service_at_locations"] = [{"location": record["location"]}]
        return [Entry(service)]
    if not is_organisation(record):
        return [Entry(record)]
    services = record.get("services")
    if not isinstance(services, list) or not services:
        name = record.get("name") if isinstance(record.get("name"), str) else None
        what = f"organisation '{name}'" if name else "an organisation"
        reason = (
            f"it is {what} with no services; import its services"
            if not services
            else f"it is {what} whose services are not a list"
        )
        return [Entry(record, not_a_service=reason)]
    organisation = _as_organisation(record)
    return [
        Entry({**s, "organization": s.get("organization") or organisation})
        if isinstance(s, dict)
        else Entry(s)
        for s in services
    ]


def service_entries(payload: Any) -> list[Entry]:
    """The records to read, in file order: an organisation's services in turn."""
    if isinstance(payload, list):
        records = payload
    elif isinstance(payload, dict):
        page = _page(payload)
        if page is not None:
            records = page
        elif ("id" in payload and "name" in payload) or isinstance(payload.get("service"), dict):
            records = [payload]
        else:
            raise ValueError(
                "expected a list of services, a page with 'contents', one service, "
                "or one organisation with its services"
            )
    else:
        raise ValueError(
            "expected a list of services, a page with 'contents', one service, "
            "or one organisation with its services"
        )
    return [entry for record in records for entry in _entries(record)]
