"""Read Open Referral services: ORUK `/services` payloads and HSDS 3.0 JSON.

ORUK is a profile of HSDS, so one reader takes both key sets (`regular_schedules` or
`schedules`, `service_taxonomys` or `attributes`...). Real feeds are messy: usable
services are kept, refusals and flagged fields are reported, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import ValidationError

from frontdoor.directory.eligibility import postcode_district
from frontdoor.directory.feed import Flag, ParsedFeed, Refusal
from frontdoor.directory.model import DAYS, HoursException, OpeningHours, Phone, Service
from frontdoor.directory.text import html_to_text
from frontdoor.response_times import ResponseTimeError, read_response_time

# Front Door's own fields that Open Referral has no place for travel as attributes in
# these taxonomies, so that an export reads back unchanged.
CALLER_TYPE_TAXONOMY = "frontdoor:caller_type"
BANK_HOLIDAY_TAXONOMY = "frontdoor:bank_holidays"
RESPOND_WITHIN_TAXONOMY = "frontdoor:respond_within"

USED = {
    "id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "assured_date",
    "assurer_email",
    "organization",
    "pc_targetAudience",
    "contacts",
    "phones",
    "service_taxonomys",
    "attributes",
    "eligibility_description",
    "eligibilitys",
    "minimum_age",
    "maximum_age",
    "schedules",
    "regular_schedules",
    "holiday_schedules",
    "service_areas",
}
_RRULE_DAYS = {
    "MO": "mon",
    "TU": "tue",
    "WE": "wed",
    "TH": "thu",
    "FR": "fri",
    "SA": "sat",
    "SU": "sun",
}


def _records(payload: Any) -> tuple[list[Any], str]:
    """The service records, and which shape held them."""
    if isinstance(payload, list):
        return payload, "list"
    if isinstance(payload, dict):
        for key in ("contents", "content", "items"):
            if isinstance(payload.get(key), list):
                return list(payload[key]), f"page ({key})"
        if "id" in payload and "name" in payload:
            return [payload], "single service"
    raise ValueError("expected a list of services, a page with 'contents', or one service")


def _text(value: Any) -> str:
    return html_to_text(str(value)) if value not in (None, "") else ""


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _time(value: Any) -> dt.time | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.time.fromisoformat(value.strip()[:8])
    except ValueError:
        return None


def _age(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        age = int(float(value))
    except (TypeError, ValueError):
        return None
    return age if 0 <= age <= 130 else None


class _Reader:
    """Reads one record into a Service, noting what it had to flag."""

    def __init__(self, record: dict[str, Any], feed: ParsedFeed, today: dt.date) -> None:
        self.record = record
        self.feed = feed
        self.today = today
        self.id = str(record.get("id") or "").strip()

    def flag(self, field_name: str, problem: str) -> None:
        self.feed.flagged.append(Flag(self.id, field_name, problem))

    def phones(self) -> list[Phone]:
        numbers: list[Any] = list(self.record.get("phones") or [])
        for contact in self.record.get("contacts") or []:
            numbers += (contact or {}).get("phones") or []
        phones: dict[str, Phone] = {}
        for entry in numbers:
            number = (entry or {}).get("number") if isinstance(entry, dict) else entry
            if not number:
                continue
            phone = Phone.model_validate(
                {
                    "number": str(number),
                    "label": (entry or {}).get("description") or None
                    if isinstance(entry, dict)
                    else None,
                }
            )
            phone = (
                phone.model_copy(update={"label": None})
                if (phone.label and len(phone.label) > 60)
                else phone
            )
            if not phone.valid:
                self.flag("phones", f"'{number}' is not a valid UK phone number; kept as written")
            phones.setdefault(phone.number, phone)
        return list(phones.values())

    def terms(self) -> tuple[list[str], list[str], bool | None, str | None]:
        """Tags, caller types, bank-holiday opening and the response time to a referral
        from taxonomy links."""
        tags: list[str] = []
        caller_types: list[str] = []
        bank_holidays: bool | None = None
        respond_within: str | None = None
        for audience in self.record.get("pc_targetAudience") or []:
            if isinstance(audience, dict) and audience.get("audienceType"):
                tags.append(str(audience["audienceType"]).strip())
        links = list(self.record.get("attributes") or [])
        links += [
            {"taxonomy_term": (t or {}).get("taxonomy")}
            for t in self.record.get("service_taxonomys") or []
        ]
        for link in links:
            term = (link or {}).get("taxonomy_term") or {}
            taxonomy = str(term.get("taxonomy") or "")
            value = str((link or {}).get("value") or term.get("name") or "").strip()
            if taxonomy == CALLER_TYPE_TAXONOMY:
                caller_types.append(value)
            elif taxonomy == BANK_HOLIDAY_TAXONOMY:
                bank_holidays = value == "open"
            elif taxonomy == RESPOND_WITHIN_TAXONOMY:
                respond_within = self.response_time(value)
            elif term.get("name"):
                tags.append(str(term["name"]).strip())
        tags = [t for t in dict.fromkeys(tags) if t]
        return tags, caller_types, bank_holidays, respond_within

    def response_time(self, value: str) -> str | None:
        """A response time as the directory keeps it; a bad one is flagged and left out
        (a referral then takes its category's), not a reason to refuse the service."""
        try:
            return str(read_response_time(value))
        except ResponseTimeError as exc:
            self.flag("respond_within", f"{exc}; left out")
            return None

    def ages(self) -> tuple[int | None, int | None, str]:
        record = self.record
        low, high = _age(record.get("minimum_age")), _age(record.get("maximum_age"))
        text = _text(record.get("eligibility_description"))
        for entry in record.get("eligibilitys") or []:
            low = low if low is not None else _age((entry or {}).get("minimum_age"))
            high = high if high is not None else _age((entry or {}).get("maximum_age"))
            text = text or _text((entry or {}).get("eligibility"))
        if low is not None and high is not None and low > high:
            self.flag("ages", f"minimum age {low} is above maximum age {high}; ages not used")
            return None, None, text
        return low, high, text

    def areas(self) -> tuple[list[str], str]:
        """Postcode districts or named areas; long free text goes to eligibility."""
        areas: list[str] = []
        extra: list[str] = []
        for entry in self.record.get("service_areas") or []:
            if not isinstance(entry, dict):
                continue
            name = _text(entry.get("name") or entry.get("service_area"))
            if name and len(name) <= 40:
                areas.append(postcode_district(name) or name)
                continue
            text = " ".join(filter(None, [name, _text(entry.get("description"))]))
            found = [
                d
                for d in (postcode_district(w) for w in re.findall(r"[A-Z]{1,2}\d[A-Z\d]?", text))
                if d
            ]
            if found:
                areas.extend(found)
                self.flag("service_areas", f"read postcode districts {', '.join(found)} from text")
            elif text:
                extra.append(text)
                self.flag(
                    "service_areas", "free text with no area we can check; kept as eligibility text"
                )
        return list(dict.fromkeys(areas)), " ".join(extra)

    def hours(self) -> list[OpeningHours]:
        hours: list[OpeningHours] = []
        entries = list(self.record.get("schedules") or [])
        entries += list(self.record.get("regular_schedules") or [])
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            sid = entry.get("id", "?")
            opens, closes = _time(entry.get("opens_at")), _time(entry.get("closes_at"))
            raw_days = entry.get("byday") or entry.get("weekday") or ""
            days = [
                _RRULE_DAYS.get(d.strip().upper()[:2], d.strip().lower()[:3])
                for d in str(raw_days).split(",")
                if d.strip()
            ]
            freq = str(entry.get("freq") or "WEEKLY").upper()
            if freq != "WEEKLY" or not days or opens is None or closes is None:
                self.flag(
                    "schedules",
                    f"schedule {sid}: not a weekly pattern with days and times; not used",
                )
                continue
            ignored = [
                k
                for k in ("byweekno", "bymonthday", "byyearday", "count")
                if entry.get(k) not in (None, "")
            ]
            if ignored:
                self.flag(
                    "schedules",
                    f"schedule {sid}: {', '.join(ignored)} contradict a weekly pattern; ignored",
                )
            valid_to = _date(entry.get("valid_to"))
            if valid_to is not None and valid_to < self.today:
                self.flag(
                    "schedules",
                    f"schedule {sid}: valid only until {valid_to}; kept, but "
                    "the hours are not known after that date",
                )
            try:
                hours.append(
                    OpeningHours(
                        days=[d for d in days if d in DAYS] or days,
                        opens=opens,
                        closes=closes,
                        valid_from=_date(entry.get("valid_from")),
                        valid_to=valid_to,
                    )
                )
            except ValidationError:
                self.flag("schedules", f"schedule {sid}: days '{raw_days}' not understood")
        return hours

    def exceptions(self) -> list[HoursException]:
        found: list[HoursException] = []
        for entry in self.record.get("holiday_schedules") or []:
            if not isinstance(entry, dict):
                continue
            start, end = _date(entry.get("start_date")), _date(entry.get("end_date"))
            if start is None:
                continue
            end = end or start
            closed = bool(entry.get("closed", True))
            for offset in range(min((end - start).days, 366) + 1):
                found.append(
                    HoursException(
                        date=start + dt.timedelta(days=offset),
                        closed=closed,
                        opens=None if closed else _time(entry.get("opens_at")),
                        closes=None if closed else _time(entry.get("closes_at")),
                    )
                )
        return found

    def service(self, source: str) -> Service:
        record = self.record
        if not self.id:
            raise ValueError("it has no id")
        name = _text(record.get("name"))
        if not name:
            raise ValueError("it has no name")
        organisation = record.get("organization")
        tags, caller_types, bank_holidays, respond_within = self.terms()
        low, high, eligibility = self.ages()
        areas, area_text = self.areas()
        return Service(
            id=self.id,
            name=name,
            organisation=_text(organisation.get("name")) or None
            if isinstance(organisation, dict)
            else None,
            description=_text(record.get("description")),
            url=(str(record.get("url") or "").strip() or None),
            email=(str(record.get("email") or "").strip() or None),
            phones=self.phones(),
            tags=tags,
            eligibility=" ".join(filter(None, [eligibility, area_text])) or None,
            min_age=low,
            max_age=high,
            caller_types=caller_types,
            areas=areas,
            hours=self.hours(),
            hours_exceptions=self.exceptions(),
            open_on_bank_holidays=bank_holidays,
            respond_within=respond_within,
            status=str(record.get("status") or "active").strip().lower(),
            assured_date=_date(record.get("assured_date")),
            assured_by=(str(record.get("assurer_email") or "").strip() or None),
            source=source,
        )


def parse_payload(payload: Any, source: str, fmt: str, today: dt.date) -> ParsedFeed:
    """Every usable service in an ORUK or HSDS JSON payload, and what could not be used."""
    records, _ = _records(payload)
    feed = ParsedFeed(format=fmt)
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            feed.refused.append(Refusal(number, None, "the record is not an object"))
            continue
        reader = _Reader(record, feed, today)
        flags_before = len(feed.flagged)
        try:
            service = reader.service(source)
        except (ValueError, ValidationError) as exc:
            del feed.flagged[flags_before:]
            reason = (
                str(exc)
                if isinstance(exc, ValueError) and not isinstance(exc, ValidationError)
                else f"it does not fit the model: {exc.errors()[0]['msg']}"
            )
            feed.refused.append(Refusal(number, reader.id or None, reason))
            continue
        if service.id in seen:
            del feed.flagged[flags_before:]
            feed.refused.append(
                Refusal(number, service.id, f"its id repeats record {seen[service.id]}'s")
            )
            continue
        seen[service.id] = number
        feed.services.append(service)
        for key, value in record.items():
            if key not in USED and value not in (None, "", [], {}):
                feed.count_unused(key)
    return feed
