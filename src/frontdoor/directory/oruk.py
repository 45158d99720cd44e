"""Import the Open Referral UK `/services` list payload.

Real feeds are messy (HTML in descriptions, empty names, repeated ids, missing
organisations): usable services are kept and what could not be used is reported.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontdoor.directory.model import Service
from frontdoor.directory.text import html_to_text

# Fields of an ORUK service we carry into our model; anything else is reported as unused
# when it holds a value.
_USED = {
    "id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "assured_date",
    "organization",
    "pc_targetAudience",
    "contacts",
    "phones",
    "service_taxonomys",
    "taxonomies",
}


@dataclass(frozen=True)
class Refusal:
    index: int
    id: str | None
    reason: str


@dataclass
class ParsedFeed:
    services: list[Service] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    unused_fields: dict[str, int] = field(default_factory=dict)


class FeedError(Exception):
    """The file cannot be read as an ORUK services payload at all."""


def _records(payload: Any) -> list[Any]:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in ("content", "contents", "items"):
            if isinstance(payload.get(key), list):
                return list(payload[key])
    raise FeedError("expected a list of services, or an object with 'content'")


def _date(value: Any) -> dt.date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _phones(record: dict[str, Any]) -> list[str]:
    numbers: list[str] = []
    for contact in record.get("contacts") or []:
        for phone in (contact or {}).get("phones") or []:
            if (phone or {}).get("number"):
                numbers.append(str(phone["number"]).strip())
    for phone in record.get("phones") or []:
        if (phone or {}).get("number"):
            numbers.append(str(phone["number"]).strip())
    return list(dict.fromkeys(numbers))


def _tags(record: dict[str, Any]) -> list[str]:
    tags = [
        str(a.get("audienceType", "")).strip()
        for a in record.get("pc_targetAudience") or []
        if isinstance(a, dict)
    ]
    for link in record.get("service_taxonomys") or []:
        term = (link or {}).get("taxonomy") or {}
        tags.append(str(term.get("name", "")).strip())
    return [t for t in dict.fromkeys(tags) if t]


def parse_service(record: Any, source: str) -> Service:
    """One ORUK service record, or ValueError with the reason it cannot be used."""
    if not isinstance(record, dict):
        raise ValueError("the record is not an object")
    service_id = str(record.get("id") or "").strip()
    if not service_id:
        raise ValueError("it has no id")
    name = html_to_text(str(record.get("name") or ""))
    if not name:
        raise ValueError("it has no name")
    organisation = record.get("organization") or {}
    return Service(
        id=service_id,
        name=name,
        organisation=html_to_text(organisation.get("name")) or None
        if isinstance(organisation, dict)
        else None,
        description=html_to_text(record.get("description")),
        url=(record.get("url") or "").strip() or None,
        email=(record.get("email") or "").strip() or None,
        phones=_phones(record),
        tags=_tags(record),
        status=(record.get("status") or "active").strip().lower(),
        assured_date=_date(record.get("assured_date")),
        source=source,
    )


def parse_feed(payload: Any, source: str) -> ParsedFeed:
    feed = ParsedFeed()
    seen: dict[str, int] = {}
    for index, record in enumerate(_records(payload)):
        raw_id = record.get("id") if isinstance(record, dict) else None
        try:
            service = parse_service(record, source)
        except ValueError as exc:
            feed.refused.append(Refusal(index, raw_id, str(exc)))
            continue
        if service.id in seen:
            feed.refused.append(
                Refusal(index, service.id, f"its id repeats record {seen[service.id]}'s")
            )
            continue
        seen[service.id] = index
        feed.services.append(service)
        for key, value in record.items():
            if key not in _USED and value not in (None, "", [], {}):
                feed.unused_fields[key] = feed.unused_fields.get(key, 0) + 1
    return feed


def read_feed(path: Path) -> ParsedFeed:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedError(f"cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise FeedError(f"{path} is not valid JSON (line {exc.lineno}): {exc.msg}") from exc
    return parse_feed(payload, source=f"oruk:{path.stem}")
