"""Facts the record already knows, which conditions may use without a question asking them
("key data once": never ask what the record already knows).

The runner is given them as a `Facts` (built by calls/ from the contact, or by a script's
test from `given:`) and the moment as a `Moment` (the service's local time and whether it
is a bank holiday): this package reads no clock, no calendar and no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

FactKind = Literal["number", "text", "true_false"]

# name -> the kind of value it has (None, `null` in a condition, when it is not known)
FACTS: dict[str, FactKind] = {
    "person.age": "number",
    "person.open_referrals": "number",
    "person.overdue_referrals": "number",
    "caller.type": "text",
    "caller.is_person": "true_false",
    "contact.channel": "text",
    "contact.repeat": "true_false",
    "contact.previous": "number",
    "contact.interpreter": "true_false",
    "now.hour": "number",
    "now.weekday": "text",
    "now.bank_holiday": "true_false",
}
# the facts that depend on the moment: a script's test must fix it (`now:` or `today:`)
TIME_FACTS = frozenset(name for name in FACTS if name.startswith("now."))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

FactValue = int | str | bool | None


def is_fact(name: str) -> bool:
    """Facts are the dotted names; a recorded name never has a dot (ids are [a-z0-9_-])."""
    return "." in name


@dataclass(frozen=True)
class RepeatIn:
    """`contact.repeat` as the record knows it: the categories in which an earlier contact
    of this caller or person falls inside the repeat window. The repeat rule compares the
    contact's category, and a call's category is that of the script it is in, so the fact
    is true in a script of one of these categories (as the wrap-up's suggestion would be)."""

    categories: frozenset[str]


@dataclass(frozen=True)
class Facts:
    """What the record knows about the call; None is `null` (not known)."""

    person_age: int | None = None
    # null until referrals are recorded (spec/referrals.md)
    person_open_referrals: int | None = None
    person_overdue_referrals: int | None = None
    caller_type: str | None = None
    caller_is_person: bool = False  # the new-contact form's box: never null
    contact_channel: str | None = None
    contact_repeat: bool | RepeatIn | None = None
    contact_previous: int | None = None
    contact_interpreter: bool | None = None

    @classmethod
    def given(cls, values: Mapping[str, object]) -> Facts:
        """The facts a script's test gives (`given: {person.age: 84}`); a fact it does not
        give is null. ValueError, saying what fits, for an unknown fact or a wrong value."""
        fields: dict[str, object] = {}
        for name, value in values.items():
            kind = FACTS.get(name)
            if kind is None:
                raise ValueError(f"unknown fact '{name}': the facts are {', '.join(FACTS)}")
            if name in TIME_FACTS:
                raise ValueError(f"'{name}' comes from the test's `now:` or `today:`, not given")
            if value is not None and not _fits(kind, value):
                raise ValueError(f"'{name}' is {_KIND_WORDS[kind]}, not {value!r}")
            if name == "caller.is_person" and value is None:
                raise ValueError("'caller.is_person' is true or false, never null")
            fields[name.replace(".", "_")] = value
        return cls(**fields)  # type: ignore[arg-type]

    def values(self, category: str | None, moment: Moment | None) -> dict[str, FactValue]:
        """Every fact by name, as a condition in a script of `category` sees it; the
        `now.*` facts only when the moment is known."""
        repeat = self.contact_repeat
        if isinstance(repeat, RepeatIn):
            repeat = category is not None and category in repeat.categories
        known: dict[str, FactValue] = {
            "person.age": self.person_age,
            "person.open_referrals": self.person_open_referrals,
            "person.overdue_referrals": self.person_overdue_referrals,
            "caller.type": self.caller_type,
            "caller.is_person": self.caller_is_person,
            "contact.channel": self.contact_channel,
            "contact.repeat": repeat,
            "contact.previous": self.contact_previous,
            "contact.interpreter": self.contact_interpreter,
        }
        if moment is not None:
            known["now.hour"] = moment.local.hour
            known["now.weekday"] = WEEKDAYS[moment.local.weekday()]
            known["now.bank_holiday"] = moment.bank_holiday
        return known


_KIND_WORDS: dict[FactKind, str] = {
    "number": "a whole number",
    "text": "text",
    "true_false": "true or false",
}


def _fits(kind: FactKind, value: object) -> bool:
    if kind == "true_false":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


@dataclass(frozen=True)
class Moment:
    """When a condition is evaluated: the wall-clock time in the service's time zone (a
    script's test fixes it with `now:` or `today:`), and whether that day is a bank
    holiday in the service's calendar."""

    local: dt.datetime
    bank_holiday: bool = False

    @property
    def today(self) -> dt.date:
        return self.local.date()


def whole_years(born: dt.date, today: dt.date) -> int:
    """Age in whole years on `today` (a birthday counts on the day itself)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
