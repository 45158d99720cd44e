"""Write the directory as HSDS 3.0 JSON or an ORUK services list, in a shape that
Front Door's own importer reads back to the same services."""

from __future__ import annotations

from typing import Any

from frontdoor.directory.model import Service
from frontdoor.directory.open_referral import (
    BANK_HOLIDAY_TAXONOMY,
    CALLER_TYPE_TAXONOMY,
    RESPOND_WITHIN_TAXONOMY,
)

_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}


def _attribute(taxonomy: str, value: str) -> dict[str, Any]:
    return {"value": value, "taxonomy_term": {"name": value, "taxonomy": taxonomy}}


def service_to_hsds(service: Service) -> dict[str, Any]:
    attributes = [_attribute("frontdoor:tag", t) for t in service.tags]
    attributes += [_attribute(CALLER_TYPE_TAXONOMY, c) for c in service.caller_types]
    if service.open_on_bank_holidays is not None:
        attributes.append(
            _attribute(BANK_HOLIDAY_TAXONOMY, "open" if service.open_on_bank_holidays else "closed")
        )
    # neither HSDS nor ORUK has a field for how soon a service answers a referral: it
    # travels as an attribute of our own, as the caller types do, in both formats
    if service.respond_within is not None:
        attributes.append(_attribute(RESPOND_WITHIN_TAXONOMY, service.respond_within))
    return {
        "id": service.id,
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "eligibility_description": service.eligibility,
        "minimum_age": service.min_age,
        "maximum_age": service.max_age,
        "assured_date": service.assured_date.isoformat() if service.assured_date else None,
        "assurer_email": service.assured_by,
        "organization": {"name": service.organisation} if service.organisation else None,
        "phones": [
            {"number": p.number, "extension": p.extension, "description": p.label}
            for p in service.phones
        ],
        "schedules": [
            {
                "freq": "WEEKLY",
                "byday": ",".join(_BYDAY[d] for d in h.days),
                "opens_at": h.opens.isoformat(),
                "closes_at": h.closes.isoformat(),
                "valid_from": h.valid_from.isoformat() if h.valid_from else None,
                "valid_to": h.valid_to.isoformat() if h.valid_to else None,
            }
            for h in service.hours
        ],
        "holiday_schedules": [
            {
                "start_date": e.date.isoformat(),
                "end_date": e.date.isoformat(),
                "closed": e.closed,
                "opens_at": e.opens.isoformat() if e.opens else None,
                "closes_at": e.closes.isoformat() if e.closes else None,
            }
            for e in service.hours_exceptions
        ],
        "service_areas": [{"name": a} for a in service.areas],
        # HSDS 3.1 service_capacity, so that the figure a service published reads back
        "capacities": [
            {
                "available": c.available,
                "maximum": c.maximum,
                "unit": {"name": c.unit},
                "updated": c.updated.isoformat(),
                "description": c.description,
            }
            for c in service.capacities
        ],
        "attributes": attributes,
    }


def export_payload(services: list[Service], fmt: str) -> Any:
    """HSDS: a page with `contents`; ORUK: the plain list a `/services` call returns."""
    records = [service_to_hsds(s) for s in services]
    if fmt == "oruk":
        return records
    return {
        "total_items": len(records),
        "total_pages": 1,
        "page_number": 1,
        "size": len(records),
        "first_page": True,
        "last_page": True,
        "empty": not records,
        "contents": records,
    }
