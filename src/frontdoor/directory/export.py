"""Write the directory as HSDS 3.0 JSON or an ORUK services list, in a shape that
Front Door's own importer reads back to the same services and that the official schemas
(HSDS 3.0 and 3.1, the Open Referral UK profile) accept.

Two rules the schemas set: a value we do not have is left out, never written as null
(every field is typed, and null is no string or number); and every nested record
(organisation, phone, schedule, area, attribute, taxonomy term) carries an id. Our model
keeps no ids for those, so they are derived (uuid5, as the schemas want uuids) from what
the record is: the same directory exported twice gives the same ids, and a consumer that
loads one export over another updates records rather than duplicating them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any, Literal

from frontdoor.directory.model import Capacity, HoursException, OpeningHours, Phone, Service
from frontdoor.directory.open_referral import (
    BANK_HOLIDAY_TAXONOMY,
    CALLER_TYPE_TAXONOMY,
    RESPOND_WITHIN_TAXONOMY,
)

ExportFormat = Literal["hsds", "oruk"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("hsds", "oruk")

TAG_TAXONOMY = "frontdoor:tag"
# Ids of earlier exports derive from this: changing it would give every nested record of
# every export a new id, and a consumer would see them all as new.
_NAMESPACE = uuid.UUID("af02c9da-92b9-4385-9602-ef76542dfa14")

# A taxonomy term must have a description (HSDS requires one); ours say what the
# taxonomy means, since the terms of each are its plain values.
_TAXONOMY_MEANING = {
    TAG_TAXONOMY: "A word or topic the service is found by in the directory",
    CALLER_TYPE_TAXONOMY: "Who may contact the service: public, carer or professional",
    BANK_HOLIDAY_TAXONOMY: "Whether the service opens on bank holidays in England",
    RESPOND_WITHIN_TAXONOMY: (
        "How soon the service answers a referral: hours (4h) or working days (2 working days)"
    ),
}

_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}


def derived_id(*parts: str) -> str:
    """A uuid that depends only on `parts`: the same parts give the same id."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))


def organisation_id(name: str) -> str:
    """One id per organisation name, so that the services of one organisation share it."""
    return derived_id("organization", name)


def taxonomy_term_id(taxonomy: str, name: str) -> str:
    """A term is the same record wherever it is used: its id does not depend on the service."""
    return derived_id("taxonomy_term", taxonomy, name)


class _ChildIds:
    """Ids for one service's nested records, from the service's id, the kind of record and
    what it holds; a record that repeats another of its kind exactly gets the next id."""

    def __init__(self, service_id: str) -> None:
        self.service_id = service_id
        self.seen: Counter[tuple[str, ...]] = Counter()

    def __call__(self, kind: str, *key: str) -> str:
        whole = (kind, *key)
        self.seen[whole] += 1
        repeat = self.seen[whole]
        tail = (str(repeat),) if repeat > 1 else ()
        return derived_id("service", self.service_id, *whole, *tail)


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that have a value: None, "" and [] are left out, not written as null."""
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


def _attribute(ids: _ChildIds, taxonomy: str, value: str) -> dict[str, Any]:
    term_id = taxonomy_term_id(taxonomy, value)
    return {
        "id": ids("attribute", taxonomy, value),
        "taxonomy_term_id": term_id,
        "value": value,
        "taxonomy_term": {
            "id": term_id,
            "name": value,
            "description": _TAXONOMY_MEANING[taxonomy],
            "taxonomy": taxonomy,
        },
    }


def _attributes(service: Service, ids: _ChildIds) -> list[dict[str, Any]]:
    attributes = [_attribute(ids, TAG_TAXONOMY, t) for t in service.tags]
    attributes += [_attribute(ids, CALLER_TYPE_TAXONOMY, c) for c in service.caller_types]
    if service.open_on_bank_holidays is not None:
        opens = "open" if service.open_on_bank_holidays else "closed"
        attributes.append(_attribute(ids, BANK_HOLIDAY_TAXONOMY, opens))
    # neither HSDS nor ORUK has a field for how soon a service answers a referral: it
    # travels as an attribute of our own, as the caller types do, in both formats
    if service.respond_within is not None:
        attributes.append(_attribute(ids, RESPOND_WITHIN_TAXONOMY, service.respond_within))
    return attributes


def _extension(extension: str | None) -> int | str | None:
    """HSDS types a phone's extension as a number: "100" is written 100. One that a number
    would change ("0100", "2#") is written as given, and `--check` names it."""
    if extension and extension.isdigit() and str(int(extension)) == extension:
        return int(extension)
    return extension


def _phone(phone: Phone, ids: _ChildIds) -> dict[str, Any]:
    return _present(
        # the extension only when there is one: a phone without keeps the id it had
        id=ids("phone", phone.e164 or phone.number, *filter(None, [phone.extension])),
        number=phone.number,
        extension=_extension(phone.extension),
        description=phone.label,
    )


def _capacity(capacity: Capacity, ids: _ChildIds) -> dict[str, Any]:
    """HSDS 3.1 `capacities`, so that the figure a service published reads back; the unit
    is a record of its own (id and name), one id per unit name."""
    updated = capacity.updated.isoformat()
    return {
        "id": ids("capacity", capacity.unit, updated),
        "available": capacity.available,
        "unit": {"id": derived_id("unit", capacity.unit), "name": capacity.unit},
        "updated": updated,
        **_present(maximum=capacity.maximum, description=capacity.description),
    }


def _schedule(hours: OpeningHours, ids: _ChildIds) -> dict[str, Any]:
    byday = ",".join(_BYDAY[d] for d in hours.days)
    opens, closes = hours.opens.isoformat(), hours.closes.isoformat()
    valid_from = hours.valid_from.isoformat() if hours.valid_from else None
    valid_to = hours.valid_to.isoformat() if hours.valid_to else None
    return _present(
        id=ids("schedule", byday, opens, closes, valid_from or "", valid_to or ""),
        freq="WEEKLY",
        byday=byday,
        opens_at=opens,
        closes_at=closes,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def _holiday(exception: HoursException, ids: _ChildIds) -> dict[str, Any]:
    """HSDS 2.0's holiday schedule: HSDS 3.0 has no record for a closed day, the schemas
    let a service carry other fields, and Front Door's importer reads this one back."""
    day = exception.date.isoformat()
    return {
        "id": ids("holiday_schedule", day),
        "start_date": day,
        "end_date": day,
        "closed": exception.closed,
        **_present(
            opens_at=exception.opens.isoformat() if exception.opens else None,
            closes_at=exception.closes.isoformat() if exception.closes else None,
        ),
    }


def service_to_hsds(service: Service) -> dict[str, Any]:
    ids = _ChildIds(service.id)
    organisation = (
        {
            "id": organisation_id(service.organisation),
            "name": service.organisation,
            # required by every schema; Front Door keeps only the organisation's name
            "description": "",
        }
        if service.organisation
        else None
    )
    return {
        "id": service.id,
        "name": service.name,
        "status": service.status,
        **_present(
            description=service.description,
            url=service.url,
            email=service.email,
            eligibility_description=service.eligibility,
            minimum_age=service.min_age,
            maximum_age=service.max_age,
            assured_date=service.assured_date.isoformat() if service.assured_date else None,
            assurer_email=service.assured_by,
            organization=organisation,
            phones=[_phone(p, ids) for p in service.phones],
            schedules=[_schedule(h, ids) for h in service.hours],
            holiday_schedules=[_holiday(e, ids) for e in service.hours_exceptions],
            service_areas=[{"id": ids("service_area", a), "name": a} for a in service.areas],
            capacities=[_capacity(c, ids) for c in service.capacities],
            attributes=_attributes(service, ids),
        ),
    }


def export_payload(services: list[Service], fmt: ExportFormat) -> Any:
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
