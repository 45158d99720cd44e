"""A service in the directory, as the rest of the program sees it.

Real feeds often leave out hours, ages and areas: an empty list or None here means
"not known", and filters keep such a service and say so rather than hiding it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from frontdoor.db.kept_text import nested_text_problem, text_problem
from frontdoor.directory.phones import clean, display, to_e164
from frontdoor.response_times import ResponseTimeError, read_response_time

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STALE_MONTHS = 12  # an entry not checked with its service for this long may be out of date


def stale_before(today: dt.date, months: int = STALE_MONTHS) -> dt.date:
    """Entries last checked before this date are stale: the same day `months` calendar
    months before `today`, or that month's last day when it is shorter (12 months before
    29 February 2028 is 28 February 2027). The one rule for the search's "not checked
    since" and the service leads' list of entries to check."""
    year, month0 = divmod(today.year * 12 + today.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(today.day, last_day))


class Phone(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    number: str  # as shown to the handler: national form when valid, else as written
    e164: str | None = None  # None when the number is not a valid one
    label: str | None = None
    extension: str | None = None  # dialled after the number answers ("100")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str | int):
            value = {"number": str(value)}
        if isinstance(value, dict) and "e164" not in value:
            number = clean(str(value.get("number", "")))
            value = {**value, "number": display(number), "e164": to_e164(number)}
        return value

    @property
    def valid(self) -> bool:
        return self.e164 is not None

    @property
    def shown(self) -> str:
        """The number as a handler dials it: "01234 234567 ext. 100"."""
        return f"{self.number} ext. {self.extension}" if self.extension else self.number


class OpeningHours(BaseModel):
    """Open on `days` from `opens` to `closes` (closes before opens runs past midnight)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    days: list[str]
    opens: dt.time
    closes: dt.time
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        days = [d.strip().lower()[:3] for d in value]
        bad = [d for d in days if d not in DAYS]
        if bad:
            raise ValueError(f"days are mon..sun, not {bad[0]!r}")
        return days


class HoursException(BaseModel):
    """A date with other hours, or closed (Christmas, a training day)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    closed: bool = True
    opens: dt.time | None = None
    closes: dt.time | None = None
    note: str | None = None


class Capacity(BaseModel):
    """How much of a service is free (HSDS 3.1 `service_capacity`): 3 places of 10, as of
    when the service last said so; a handler weighs an old figure accordingly."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    available: float = Field(ge=0)
    maximum: float | None = Field(default=None, ge=0)
    unit: str = Field(min_length=1)  # "place", "bed", "hour"
    updated: dt.datetime  # with its offset; a feed's bare time is read as UTC
    description: str | None = None

    def describe(self, now: dt.datetime) -> str:
        """ "3 places free, updated 2 hours ago" (or "3 of 10 beds free, updated 4 Mar
        2026" once it is more than a week old)."""
        count = _number(self.available)
        unit = self.unit.strip().lower()
        counted = self.maximum if self.maximum is not None else self.available
        if counted != 1 and not unit.endswith("s"):
            unit += "s"
        of = f" of {_number(self.maximum)}" if self.maximum is not None else ""
        return f"{count}{of} {unit} free, updated {_ago(self.updated, now)}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _ago(then: dt.datetime, now: dt.datetime) -> str:
    seconds = (now - then).total_seconds()
    if seconds < -60:
        return f"{then:%d %b %Y %H:%M} (in the future: check the clock of its source)"
    for size, word in ((86400 * 7, ""), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            if not word:
                return f"{then:%d %b %Y}"
            amount = int(seconds // size)
            return f"{amount} {word}{'s' if amount != 1 else ''} ago"
    return "just now"


# The lengths of the services table's columns (a test holds them to the table): the model
# does not import the table, which the search and the console's first screen do not need.
KEPT_LENGTHS = {
    "id": 120,
    "name": 300,
    "organisation": 300,
    "url": 500,
    "email": 300,
    "respond_within": 40,
    "status": 30,
    "assured_by": 200,
    "source": 60,
}
# every field that holds text, nested or not: checked for NUL and lone surrogates
TEXT_FIELDS = (
    "id",
    "name",
    "organisation",
    "description",
    "url",
    "email",
    "tags",
    "eligibility",
    "caller_types",
    "areas",
    "respond_within",
    "status",
    "assured_by",
    "source",
    "phones",
    "hours_exceptions",
    "capacities",
)


class Service(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    organisation: str | None = None
    description: str = ""
    url: str | None = None
    email: str | None = None
    phones: list[Phone] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    eligibility: str | None = None
    min_age: int | None = Field(default=None, ge=0, le=130)
    max_age: int | None = Field(default=None, ge=0, le=130)
    caller_types: list[str] = Field(default_factory=list)  # empty: not known
    areas: list[str] = Field(default_factory=list)  # postcode districts or named areas
    hours: list[OpeningHours] = Field(default_factory=list)  # empty: not known
    hours_exceptions: list[HoursException] = Field(default_factory=list)
    open_on_bank_holidays: bool | None = None
    # how soon the service answers a referral ("2 working days", "4h"); None: not known,
    # and a referral to it is due by its category's default (config/referrals.yaml)
    respond_within: str | None = None
    capacities: list[Capacity] = Field(default_factory=list)  # empty: not published
    status: str = "active"
    assured_date: dt.date | None = None
    assured_by: str | None = None
    source: str = "local"

    @model_validator(mode="after")
    def _keepable(self, info: ValidationInfo) -> Service:
        """What the directory's columns keep on SQLite and PostgreSQL alike: one entry a
        database refuses would abort a whole import, on PostgreSQL only. An entry read
        back from the database is taken as it is (one an older release kept is shown)."""
        if info.context and info.context.get("stored"):
            return self
        for name, limit in KEPT_LENGTHS.items():
            value = getattr(self, name)
            if value is not None and len(value) > limit:
                raise ValueError(
                    f"{name} is {len(value)} characters long; the directory keeps at most {limit}"
                )
        # one look at all the text at once; the field is looked for only when it is needed
        texts = [
            self.id,
            self.name,
            self.organisation or "",
            self.description,
            self.url or "",
            self.email or "",
            self.eligibility or "",
            self.respond_within or "",
            self.status,
            self.assured_by or "",
            self.source,
            *self.tags,
            *self.caller_types,
            *self.areas,
            *(p.number for p in self.phones),
            *(p.label or "" for p in self.phones),
            *(p.extension or "" for p in self.phones),
            *(e.note or "" for e in self.hours_exceptions),
            *(c.unit + (c.description or "") for c in self.capacities),
        ]
        if text_problem("".join(texts)):
            nested = {
                "phones": [(p.number, p.label, p.extension) for p in self.phones],
                "hours_exceptions": [e.note for e in self.hours_exceptions],
                "capacities": [(c.unit, c.description) for c in self.capacities],
            }
            for name in TEXT_FIELDS:
                problem = nested_text_problem(nested.get(name, getattr(self, name, None)))
                if problem:
                    raise ValueError(f"{name} {problem}")
        return self

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        # a label Front Door makes from the file's name ("oruk:" + its stem): a long name
        # is cut, rather than every entry of the file refused
        return value[: KEPT_LENGTHS["source"]]

    @field_validator("respond_within")
    @classmethod
    def _response_time(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return str(read_response_time(value))
        except ResponseTimeError as exc:
            raise ValueError(str(exc)) from None

    @property
    def active(self) -> bool:
        return self.status == "active"

    def stale(self, today: dt.date, months: int = STALE_MONTHS) -> bool:
        """Not checked in the last `months` months (or never): see `stale_before`."""
        return self.assured_date is None or self.assured_date < stale_before(today, months)
