"""Read Open Referral services: ORUK `/services` payloads and HSDS 3.0 / 3.1 JSON.

ORUK is a profile of HSDS, so one reader takes both key sets (`regular_schedules` or
`schedules`, `service_taxonomys` or `attributes`...). Real feeds are messy: usable
services are kept, refusals and flagged fields are reported, never silently dropped.
Every value is read by the type Open Referral gives it (json_shapes): a field of the
wrong type is flagged and not used, and only a record with no usable id or name is
refused, so one bad record never stops a feed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import ValidationError

from frontdoor.directory.eligibility import postcode_district
from frontdoor.directory.feed import Flag, ParsedFeed, Refusal
from frontdoor.directory.feed_records import service_entries
from frontdoor.directory.json_shapes import Shapes, kind
from frontdoor.directory.model import (
    DAYS,
    KEPT_LENGTHS,
    Capacity,
    HoursException,
    OpeningHours,
    Phone,
    Service,
)
from frontdoor.directory.text import html_to_text
from frontdoor.directory.web_addresses import email_problem, url_problem
from frontdoor.response_times import ResponseTimeError, read_response_time

# Front Door's own fields that Open Referral has no place for travel as attributes in
# these taxonomies, so that an export reads back unchanged.
CALLER_TYPE_TAXONOMY = "frontdoor:caller_type"
BANK_HOLIDAY_TAXONOMY = "frontdoor:bank_holidays"
RESPOND_WITHIN_TAXONOMY = "frontdoor:respond_within"

# the statuses HSDS and the UK profile allow; another is kept as written, flagged, and
# (not being "active") left out of searches until a service lead corrects it
STATUSES = ("active", "inactive", "defunct", "temporarily closed")

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
    "service_at_locations",
    "capacities",
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
# where a location keeps its addresses: HSDS 3 `addresses`, HSDS 2 / ORUK 1 the others
_ADDRESS_KEYS = ("addresses", "physical_addresses", "postal_addresses")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _time(value: Any) -> dt.time | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.time.fromisoformat(value.strip()[:8])
    except ValueError:
        return None


def _moment(value: str) -> dt.datetime | None:
    """An RFC 3339 time; one with no offset is read as UTC."""
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class _Reader:
    """Reads one record into a Service, noting what it had to flag."""

    def __init__(self, record: dict[str, Any], feed: ParsedFeed, today: dt.date) -> None:
        self.record = record
        self.feed = feed
        self.today = today
        self.shapes = Shapes(self.flag)
        raw_id = record.get("id")
        self.id = (
            str(raw_id).strip()
            if isinstance(raw_id, str | int) and not isinstance(raw_id, bool)
            else ""
        )
        self.id_problem = (
            None if raw_id is None or self.id or raw_id == "" else f"its id is {kind(raw_id)}"
        )

    def flag(self, field_name: str, problem: str) -> None:
        self.feed.flagged.append(Flag(self.id, field_name, problem))

    def text(self, key: str, source: dict[str, Any] | None = None, where: str = "") -> str:
        """Plain text (HTML stripped) of `source[key]` (the record's by default); a
        problem is reported against `where` (the key by default)."""
        raw = (source if source is not None else self.record).get(key)
        found = self.shapes.text(raw, where or key)
        return html_to_text(found) if found else ""

    def objects(self, key: str, source: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.shapes.objects((source if source is not None else self.record).get(key), key)

    def phones(self) -> list[Phone]:
        entries: list[tuple[str, Any]] = []
        raw = self.record.get("phones")
        # a bare list of numbers is a phone list too (some feeds write them so)
        if isinstance(raw, list):
            entries += [("phones", p) for p in raw if isinstance(p, str | int) and p != ""]
            raw = [p for p in raw if not isinstance(p, str | int)]
        entries += [("phones", p) for p in self.shapes.objects(raw, "phones")]
        for contact in self.objects("contacts"):
            entries += [("contacts.phones", p) for p in self.objects("phones", contact)]
        phones: dict[str, Phone] = {}
        for where, entry in entries:
            if isinstance(entry, dict):
                number = self.shapes.text(entry.get("number"), f"{where}.number")
                label = self.shapes.text(entry.get("description"), f"{where}.description")
                extension = self.shapes.text(entry.get("extension"), f"{where}.extension")
            else:
                number, label, extension = str(entry), None, None
            if not number:
                continue
            phone = Phone.model_validate(
                {
                    "number": number,
                    "label": label if label and len(label) <= 60 else None,
                    "extension": extension,
                }
            )
            if not phone.valid:
                self.flag("phones", f"'{number}' is not a valid UK phone number; kept as written")
            phones.setdefault(phone.shown, phone)
        return list(phones.values())

    def terms(self) -> tuple[list[str], list[str], bool | None, str | None]:
        """Tags, caller types, bank-holiday opening and the response time to a referral
        from taxonomy links."""
        tags: list[str] = []
        caller_types: list[str] = []
        bank_holidays: bool | None = None
        respond_within: str | None = None
        for audience in self.objects("pc_targetAudience"):
            found = self.shapes.text(audience.get("audienceType"), "pc_targetAudience")
            if found:
                tags.append(found)
        links = self.objects("attributes")
        for link in self.objects("service_taxonomys"):
            linked = self.shapes.object(link.get("taxonomy"), "service_taxonomys.taxonomy")
            links.append({"taxonomy_term": linked})
        for link in links:
            term = self.shapes.object(link.get("taxonomy_term"), "attributes.taxonomy_term") or {}
            taxonomy = self.shapes.text(term.get("taxonomy"), "taxonomy_term.taxonomy") or ""
            name = self.shapes.text(term.get("name"), "taxonomy_term.name")
            value = self.shapes.text(link.get("value"), "attributes.value") or name or ""
            if taxonomy == CALLER_TYPE_TAXONOMY:
                caller_types.append(value)
            elif taxonomy == BANK_HOLIDAY_TAXONOMY:
                bank_holidays = value == "open"
            elif taxonomy == RESPOND_WITHIN_TAXONOMY:
                respond_within = self.response_time(value)
            elif name:
                tags.append(name)
        tags = [t for t in dict.fromkeys(tags) if t]
        return tags, [c for c in caller_types if c], bank_holidays, respond_within

    def response_time(self, value: str) -> str | None:
        """A response time as the directory keeps it; a bad one is flagged and left out
        (a referral then takes its category's), not a reason to refuse the service."""
        try:
            return str(read_response_time(value))
        except ResponseTimeError as exc:
            self.flag("respond_within", f"{exc}; left out")
            return None

    def age(self, value: Any, where: str) -> int | None:
        number = self.shapes.number(value, where)
        if number is None:
            return None
        if not 0 <= number <= 130:
            self.flag(where, f"{number:g} is not an age; not used")
            return None
        return int(number)

    def ages(self) -> tuple[int | None, int | None, str]:
        low = self.age(self.record.get("minimum_age"), "minimum_age")
        high = self.age(self.record.get("maximum_age"), "maximum_age")
        text = self.text("eligibility_description")
        # every entry is read, so that a wrongly-typed one is reported even when the
        # service's own fields already say
        for entry in self.objects("eligibilitys"):
            entry_low = self.age(entry.get("minimum_age"), "eligibilitys.minimum_age")
            entry_high = self.age(entry.get("maximum_age"), "eligibilitys.maximum_age")
            entry_text = self.text("eligibility", entry, "eligibilitys.eligibility")
            low = low if low is not None else entry_low
            high = high if high is not None else entry_high
            text = text or entry_text
        if low is not None and high is not None and low > high:
            self.flag("ages", f"minimum age {low} is above maximum age {high}; ages not used")
            return None, None, text
        return low, high, text

    def areas(self) -> tuple[list[str], str]:
        """Postcode districts or named areas; long free text goes to eligibility. A
        service that names none takes the districts of its locations' addresses."""
        areas: list[str] = []
        extra: list[str] = []
        for entry in self.objects("service_areas"):
            name = self.text("name", entry, "service_areas.name") or self.text(
                "service_area", entry, "service_areas.service_area"
            )
            if name and len(name) <= 40:
                areas.append(postcode_district(name) or name)
                continue
            described = self.text("description", entry, "service_areas.description")
            text = " ".join(filter(None, [name, described]))
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
        at_locations = self.location_districts()
        if not areas and at_locations:
            areas = at_locations
            self.flag(
                "service_areas",
                f"none given; {', '.join(dict.fromkeys(areas))} taken from the address "
                "of where it is delivered",
            )
        return list(dict.fromkeys(areas)), " ".join(extra)

    def location_districts(self) -> list[str]:
        districts: list[str] = []
        for link in self.objects("service_at_locations"):
            where = "service_at_locations.location"
            location = self.shapes.object(link.get("location"), where) or {}
            for key in _ADDRESS_KEYS:
                for address in self.shapes.objects(location.get(key), f"location.{key}"):
                    code = self.shapes.text(address.get("postal_code"), f"{key}.postal_code")
                    district = postcode_district(code) if code else None
                    if district:
                        districts.append(district)
        return districts

    def hours(self) -> list[OpeningHours]:
        hours: list[OpeningHours] = []
        entries = self.objects("schedules") + self.objects("regular_schedules")
        for entry in entries:
            sid = self.shapes.text(entry.get("id"), "schedules.id") or "?"
            opens = _time(self.shapes.text(entry.get("opens_at"), "schedules.opens_at"))
            closes = _time(self.shapes.text(entry.get("closes_at"), "schedules.closes_at"))
            raw_days = (
                self.shapes.text(entry.get("byday") or entry.get("weekday"), "schedules.byday")
                or ""
            )
            days = [
                _RRULE_DAYS.get(d.strip().upper()[:2], d.strip().lower()[:3])
                for d in raw_days.split(",")
                if d.strip()
            ]
            freq = (self.shapes.text(entry.get("freq"), "schedules.freq") or "WEEKLY").upper()
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
        for entry in self.objects("holiday_schedules"):
            start, end = _date(entry.get("start_date")), _date(entry.get("end_date"))
            if start is None:
                self.flag("holiday_schedules", "a holiday with no start date; not used")
                continue
            end = end or start
            closed = self.shapes.boolean(entry.get("closed"), "holiday_schedules.closed")
            closed = True if closed is None else closed
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

    def capacities(self) -> list[Capacity]:
        """HSDS 3.1 `capacities`: what is free, of what unit, as of when."""
        found: list[Capacity] = []
        for number, entry in enumerate(self.objects("capacities"), start=1):
            available = self.shapes.number(entry.get("available"), "capacities.available")
            maximum = self.shapes.number(entry.get("maximum"), "capacities.maximum")
            unit_record = entry.get("unit")
            # HSDS 3.1 gives a unit object; a plain name is read too
            unit_object = (
                None
                if isinstance(unit_record, str)
                else self.shapes.object(unit_record, "capacities.unit")
            )
            unit = (
                self.shapes.text(unit_record, "capacities.unit")
                if isinstance(unit_record, str)
                else self.text("name", unit_object, "capacities.unit.name")
                if unit_object
                else None
            )
            stamp = self.shapes.text(entry.get("updated"), "capacities.updated")
            updated = _moment(stamp) if stamp else None
            missing = [
                what
                for what, value in (
                    ("number available", available),
                    ("unit", unit),
                    ("time it was updated", updated),
                )
                if value in (None, "")
            ]
            if missing or available is None or updated is None or not unit:
                self.flag("capacities", f"capacity {number}: no {', no '.join(missing)}; not used")
                continue
            try:
                found.append(
                    Capacity(
                        available=available,
                        maximum=maximum,
                        unit=unit,
                        updated=updated,
                        description=self.text("description", entry, "capacities.description")
                        or None,
                    )
                )
            except ValidationError:
                self.flag("capacities", f"capacity {number}: a negative count; not used")
        return found

    def kept(self, field_name: str, value: str | None) -> str | None:
        """An optional field too long for the directory to keep is flagged and left out:
        the service is still worth having without it (an id or a name too long refuses
        the record, as the model says)."""
        limit = KEPT_LENGTHS.get(field_name)
        if value and limit is not None and len(value) > limit:
            self.flag(
                field_name,
                f"is {len(value)} characters long; the directory keeps at most {limit}; not used",
            )
            return None
        return value

    def web(self, key: str, check: Any) -> str | None:
        value = self.kept(key, self.text(key))
        if value:
            problem = check(value)
            if problem:
                self.flag(key, f"'{value}' {problem}; kept as written")
        return value or None

    def status(self) -> str:
        status = self.text("status").lower()
        if not status:
            return "active"
        if self.kept("status", status) is None:
            return "unknown"  # not one of STATUSES: kept out of the active searches
        if status not in STATUSES:
            self.flag(
                "status",
                f"'{status}' is not one of {', '.join(STATUSES)}; kept, and not searched as active",
            )
        return status

    def organisation(self) -> str | None:
        organisation = self.shapes.object(self.record.get("organization"), "organization")
        return (
            self.text("name", organisation, "organization.name") or None if organisation else None
        )

    def assured_date(self) -> dt.date | None:
        value = self.record.get("assured_date")
        found = _date(value)
        if found is None and value not in (None, ""):
            self.flag("assured_date", f"{str(value)[:30]!r} is not a date; not used")
        return found

    def service(self, source: str) -> Service:
        if self.id_problem:
            raise ValueError(f"{self.id_problem}, not text")
        if not self.id:
            raise ValueError("it has no id")
        raw_name = self.record.get("name")
        if raw_name not in (None, "") and (
            not isinstance(raw_name, str | int) or isinstance(raw_name, bool)
        ):
            raise ValueError(f"its name is {kind(raw_name)}, not text")
        name = self.text("name")
        if not name:
            raise ValueError("it has no name")
        tags, caller_types, bank_holidays, respond_within = self.terms()
        low, high, eligibility = self.ages()
        areas, area_text = self.areas()
        return Service(
            id=self.id,
            name=name,
            organisation=self.kept("organisation", self.organisation()),
            description=self.text("description"),
            url=self.web("url", url_problem),
            email=self.web("email", email_problem),
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
            respond_within=self.kept("respond_within", respond_within),
            capacities=self.capacities(),
            status=self.status(),
            assured_date=self.assured_date(),
            assured_by=self.kept("assured_by", self.text("assurer_email") or None),
            source=source,
        )


def parse_payload(payload: Any, source: str, fmt: str, today: dt.date) -> ParsedFeed:
    """Every usable service in an ORUK or HSDS JSON payload, and what could not be used."""
    entries = service_entries(payload)
    feed = ParsedFeed(format=fmt)
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        record = entry.record
        if entry.not_a_service:
            feed.refused.append(Refusal(number, None, entry.not_a_service))
            continue
        if not isinstance(record, dict):
            feed.refused.append(Refusal(number, None, "the record is not an object"))
            continue
        reader = _Reader(record, feed, today)
        flags_before = len(feed.flagged)
        try:
            service = reader.service(source)
        except ValidationError as exc:
            del feed.flagged[flags_before:]
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            # a whole-record check has no field to name: its message names it
            said = f"{where}: {first['msg']}" if where else first["msg"]
            reason = f"it does not fit the model: {said}"
            feed.refused.append(Refusal(number, reader.id or None, reason))
            continue
        except ValueError as exc:
            del feed.flagged[flags_before:]
            feed.refused.append(Refusal(number, reader.id or None, str(exc)))
            continue
        except (TypeError, AttributeError, KeyError, IndexError, OverflowError) as exc:
            # a shape no check above foresaw: this record is refused, the feed goes on
            del feed.flagged[flags_before:]
            reason = f"a field of a type Front Door cannot read ({type(exc).__name__}: {exc})"
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
