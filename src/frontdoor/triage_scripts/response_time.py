"""How soon the team a referral end refers to should respond (format version 2's
`respond_within`): `Nh` clock hours, or `N working day(s)` (frontdoor/response_times.py
turns it into a referral's due time); anything else is refused by rule 6."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from frontdoor.response_times import ResponseTime, ResponseTimeError, read_response_time


def parse_response_time(value: Any) -> ResponseTime:
    try:
        return read_response_time(value)
    except ResponseTimeError as exc:
        raise PydanticCustomError("R6", str(exc)) from None


__all__ = ["ResponseTime", "parse_response_time"]
