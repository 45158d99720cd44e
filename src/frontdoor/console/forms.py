"""Reading what a handler typed into the new-contact form (no Textual: tested directly)."""

from __future__ import annotations

import datetime as dt
import re

from frontdoor.identifiers import (
    is_postcode,
    nhs_number_valid,
    normalise_nhs_number,
    normalise_postcode,
)
from frontdoor.people.keys import phone_of
from frontdoor.people.model import Details


class FormError(ValueError):
    """What is wrong with a field, in words for the handler; `field` is the box's id, so
    the form can put the cursor where the fix goes."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def parse_dob(text: str, today: dt.date) -> dt.date | None:
    """DD/MM/YYYY (as people say it; `/`, `.`, `-` or a space between, or the eight
    digits run together as a handler types them at speed) or YYYY-MM-DD; None when left
    empty. Eight digits are read day first: a year first would be a date of birth over
    130 years ago or impossible, so there is no doubt in a plausible date."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[/. -](\d{1,2})[/. -](\d{4})", text) or re.fullmatch(
        r"(\d{2})(\d{2})(\d{4})", text
    )
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            value = dt.date(year, month, day)
        else:
            value = dt.date.fromisoformat(text)
    except ValueError:
        raise FormError(
            "date of birth: write it as DD/MM/YYYY, e.g. 04/07/1941", "subject_dob"
        ) from None
    if value > today or value.year < today.year - 130:
        raise FormError("date of birth: that date cannot be right", "subject_dob")
    return value


def check_nhs_number(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if not nhs_number_valid(text):
        raise FormError(
            "NHS number: not a valid NHS number (10 digits; the last is a check "
            "digit). Check it with the caller, or leave it empty",
            "subject_nhs_number",
        )
    return normalise_nhs_number(text)


def check_postcode(text: str) -> str | None:
    if not text.strip():
        return None
    if not is_postcode(text):
        raise FormError("postcode: not a UK postcode, e.g. DN32 7DL", "subject_postcode")
    return normalise_postcode(text)


def person_details(
    name: str, dob: str, postcode: str, nhs_number: str, caller: str, today: dt.date
) -> Details:
    """What the form says so far about the person, for finding them on file while the
    handler types: a field not yet complete or not valid counts as not given."""
    try:
        born = parse_dob(dob, today)
    except FormError:
        born = None
    return Details(
        name=name.strip() or None,
        dob=born,
        postcode=normalise_postcode(postcode) if is_postcode(postcode) else None,
        nhs_number=normalise_nhs_number(nhs_number) if nhs_number_valid(nhs_number) else None,
        phone=phone_of(caller),
    )


WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
}
CALL_BACK_FORMS = "14:30, tomorrow 10:00, fri 09:30 or 27/11 14:00"


def parse_call_back(text: str, now: dt.datetime) -> dt.datetime:
    """When a call-back is promised, as a handler types it: a time today (`14:30`), or a
    day and a time (`tomorrow 10:00`; `fri 09:30`, today if it is Friday, else the next;
    `27/11 14:00`, the next 27 November; `27/11/2026 14:00`), in `now`'s time zone
    (local). The time may come first and the words may be joined as people write them
    (`10:00, 02/12`, `10:00 tomorrow`, `tomorrow at 10:00`): the hint's commas read as
    part of the form. Whether it is still to come is the call's to check."""
    cleaned = " ".join(text.lower().replace(",", " ").split()).replace(" at ", " ")
    match = re.fullmatch(r"(?:(?P<day>\S+) )?(?P<h>\d{1,2})[:.](?P<m>\d{2})", cleaned)
    match = match or re.fullmatch(r"(?P<h>\d{1,2})[:.](?P<m>\d{2}) (?P<day>\S+)", cleaned)
    if not match:
        raise FormError(f"call-back: write when as {CALL_BACK_FORMS}", "call_back_at")
    day_text, hours, minutes = match.group("day", "h", "m")
    try:
        day = _call_back_day(day_text, now.date())
        at = dt.time(int(hours), int(minutes))
    except ValueError:
        raise FormError(
            f"call-back: '{text.strip()}' is not a day and a time; write {CALL_BACK_FORMS}",
            "call_back_at",
        ) from None
    return dt.datetime.combine(day, at, now.tzinfo)


def _call_back_day(text: str | None, today: dt.date) -> dt.date:
    """The day a call-back's day words name; ValueError when they name none."""
    if text in (None, "today"):
        return today
    if text == "tomorrow":
        return today + dt.timedelta(days=1)
    if text in WEEKDAYS:
        return today + dt.timedelta(days=(WEEKDAYS[text] - today.weekday()) % 7)
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?", text)
    if not match:
        raise ValueError(text)
    day, month, year = match.groups()
    named = dt.date(int(year) if year else today.year, int(month), int(day))
    if year is None and named < today:  # 05/01 typed in December: next January
        named = named.replace(year=today.year + 1)
    return named
