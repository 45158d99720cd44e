"""Turning what a handler typed or picked into the value a question records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frontdoor.triage_scripts.model import Question
from frontdoor.words import NO, YES, yes_no_label

Value = str | int | float | bool | dt.date


class AnswerError(ValueError):
    """The answer does not fit the question; the message says what would."""


def parse_answer(question: Question, raw: Any) -> tuple[str, Value]:
    """(label as shown and recorded, value for conditions) for one answer."""
    kind = question.input
    if kind == "yes_no":
        if isinstance(raw, bool):
            return yes_no_label(raw), raw
        text = str(raw).strip().casefold()
        if text in ("yes", "y", "true"):
            return YES, True
        if text in ("no", "n", "false"):
            return NO, False
        raise AnswerError(f"answer {YES} or {NO}")
    if kind == "choice":
        labels = [o.answer for o in question.options or []]
        text = str(raw).strip()
        for label in labels:
            if label.casefold() == text.casefold():
                return label, label
        raise AnswerError(f"choose one of: {', '.join(labels)}")
    if kind == "number":
        if isinstance(raw, bool):
            raise AnswerError("give a number, such as 2")
        if isinstance(raw, int | float):
            return str(raw), raw
        text = str(raw).strip()
        try:
            number: int | float = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise AnswerError("give a number, such as 2") from None
        return text, number
    if kind == "date":
        if isinstance(raw, dt.date):
            return raw.isoformat(), raw
        try:
            day = dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise AnswerError("give a date as YYYY-MM-DD, such as 2026-04-01") from None
        return day.isoformat(), day
    text = str(raw).strip()
    if not text:
        raise AnswerError("type the caller's answer")
    return text, text
