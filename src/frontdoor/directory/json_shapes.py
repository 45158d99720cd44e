"""Reading one field of a feed record by the type Open Referral gives it.

A feed written by hand or by a buggy exporter puts a number where a list belongs
(`phones: 1`), a list where text belongs (`name: [1]`). Every nested value the importer
reads passes through here: a wrong type is reported against its record and field and
the value is not used, so one bad field never stops a feed or the record around it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Report = Callable[[str, str], None]  # (field, problem)

_EMPTY: tuple[Any, ...] = (None, "", [], {})


def kind(value: Any) -> str:
    """How a value reads to a service lead: "a number", "a list", "an object"..."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else type(value).__name__


def empty(value: Any) -> bool:
    return any(value is e or (type(value) is type(e) and value == e) for e in _EMPTY)


class Shapes:
    """Typed reads of one record's values; problems go to `report`."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def objects(self, value: Any, where: str) -> list[dict[str, Any]]:
        """A list of objects; a lone object is read as a list of one."""
        if empty(value):
            return []
        if isinstance(value, dict):
            return [value]
        if not isinstance(value, list):
            self.report(where, f"is {kind(value)}, not a list; not used")
            return []
        found: list[dict[str, Any]] = []
        for number, item in enumerate(value, start=1):
            if isinstance(item, dict):
                found.append(item)
            elif not empty(item):
                self.report(where, f"item {number} is {kind(item)}, not an object; not used")
        return found

    def object(self, value: Any, where: str) -> dict[str, Any] | None:
        if empty(value):
            return None
        if isinstance(value, dict):
            return value
        self.report(where, f"is {kind(value)}, not an object; not used")
        return None

    def text(self, value: Any, where: str) -> str | None:
        """Text, or a number written as one (CSV and some exporters); None when absent."""
        if empty(value):
            return None
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return str(value)
            except ValueError:  # more digits than Python will write out
                self.report(where, "is a number too long to be text; not used")
                return None
        if isinstance(value, float) and math.isfinite(value):
            return str(value)
        self.report(where, f"is {kind(value)}, not text; not used")
        return None

    def number(self, value: Any, where: str) -> float | None:
        if empty(value):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                self.report(where, f"'{value}' is not a number; not used")
                return None
        else:
            self.report(where, f"is {kind(value)}, not a number; not used")
            return None
        if not math.isfinite(number):
            self.report(where, f"{str(value)[:20]} is not a usable number; not used")
            return None
        return number

    def boolean(self, value: Any, where: str) -> bool | None:
        if empty(value):
            return None
        if isinstance(value, bool):
            return value
        words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if isinstance(value, str | int) and str(value).strip().lower() in words:
            return words[str(value).strip().lower()]
        self.report(where, f"{kind(value)} {str(value)[:20]!r} is not true or false; not used")
        return None
