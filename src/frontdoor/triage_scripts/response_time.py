"""How soon the team a referral end refers to should respond (format version 2's
`respond_within`): `Nh` clock hours, or `N working day(s)`. spec/referrals.md turns it into
a referral's due time; anything else is refused by rule 6."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic_core import PydanticCustomError

_HOURS = re.compile(r"^\s*(\d+)\s*h\s*$")
_WORKING_DAYS = re.compile(r"^\s*(\d+)\s+working\s+days?\s*$")


@dataclass(frozen=True)
class ResponseTime:
    """`amount` clock hours, or the end of the `amount`th working day."""

    amount: int
    unit: Literal["hours", "working_days"]

    def __str__(self) -> str:
        if self.unit == "hours":
            return f"{self.amount}h"
        return f"{self.amount} working day{'' if self.amount == 1 else 's'}"


def parse_response_time(value: Any) -> ResponseTime:
    if isinstance(value, ResponseTime):
        return value
    text = value if isinstance(value, str) else ""
    for pattern, unit in ((_HOURS, "hours"), (_WORKING_DAYS, "working_days")):
        match = pattern.match(text)
        if match and int(match.group(1)) > 0:
            return ResponseTime(int(match.group(1)), unit)  # type: ignore[arg-type]
    raise PydanticCustomError(
        "R6",
        f"respond_within is Nh (hours) or N working day(s), such as 4h or 2 working days, "
        f"not {value!r}",
    )
