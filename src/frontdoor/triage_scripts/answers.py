"""Turning what a handler typed or picked into the value a question records."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from frontdoor.triage_scripts.model import Question
from frontdoor.words import NO, YES, yes_no_label

# a many question's value is the labels chosen, in the options' order
Value = str | int | float | bool | dt.date | tuple[str, ...]
# what the record keeps of an answer: its label, or a many question's labels
AnswerText = str | tuple[str, ...]


class AnswerError(ValueError):
    """The answer does not fit the question; the message says what would."""


def parse_answer(question: Question, raw: Any) -> tuple[AnswerText, Value]:
    """(label as shown and recorded, value for conditions) for one answer."""
    kind = question.input
    if kind == "many":
        chosen = parse_many(question, raw)
        return chosen, chosen
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


def parse_many(question: Question, raw: Any) -> tuple[str, ...]:
    """The labels chosen for a check-all-that-apply question, in the options' order: at
    least one, each an option, and an `only` option ("None of these") on its own. `raw`
    is a list of labels, or one written as JSON text (as the record keeps it)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = [raw]
    if not isinstance(raw, list | tuple) or not raw:
        raise AnswerError("choose at least one answer")
    options = question.options or []
    chosen: set[str] = set()
    for item in raw:
        text = str(item).strip().casefold()
        option = next((o for o in options if o.answer.casefold() == text), None)
        if option is None:
            raise AnswerError(f"choose from: {', '.join(o.answer for o in options)}")
        chosen.add(option.answer)
    alone = [o.answer for o in options if o.only and o.answer in chosen]
    if alone and len(chosen) > 1:
        raise AnswerError(f"'{alone[0]}' is chosen on its own, not with other answers")
    return tuple(o.answer for o in options if o.answer in chosen)


def answer_words(answer: AnswerText) -> str:
    """An answer as the handler reads it back."""
    return answer if isinstance(answer, str) else ", ".join(answer)
