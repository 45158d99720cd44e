"""Rule 6 for the literals of a condition: each must be a value the name it is compared
with can take. A date answer compared with 'yesterday' raised at run time, a number
compared with text or a yes/no answer with a number was silently never true, and a
choice compared with a label its question does not offer is a misspelling that sends
every call the other way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from frontdoor.triage_scripts import conditions
from frontdoor.triage_scripts.facts import FACTS, WEEKDAYS, is_fact
from frontdoor.triage_scripts.model import InputKind, Question


@dataclass(frozen=True)
class AnswerType:
    """What a recorded name holds: the input of the question that records it, and for a
    choice the labels it offers."""

    input: InputKind
    question: str
    labels: tuple[str, ...] = ()


def recorded_types(questions: Mapping[str, Question]) -> dict[str, list[AnswerType]]:
    """Each recorded name with the type of every question that records it."""
    types: dict[str, list[AnswerType]] = {}
    for name, question in questions.items():
        if question.record:
            labels = tuple(o.answer for o in question.options or [])
            types.setdefault(question.record, []).append(AnswerType(question.input, name, labels))
    return types


def comparisons(condition: conditions.Condition) -> Iterator[conditions.Compare]:
    """The comparisons of a condition, left to right, without recursing."""
    todo = [condition]
    while todo:
        item = todo.pop()
        if isinstance(item, conditions.Compare):
            yield item
        elif isinstance(item, conditions.Not):
            todo.append(item.operand)
        else:
            todo.extend(reversed(item.operands))


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _shown(value: conditions.Literal) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _misfit(name: str, kind: AnswerType, value: conditions.Literal) -> str | None:
    """Why `value` cannot be a value of `kind`, or None when it can."""
    what = f"'{name}' is a {kind.input.replace('_', '/')} answer (recorded at '{kind.question}')"
    if kind.input == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{what}: compare it with a number, not {_shown(value)}"
    elif kind.input == "date":
        if not _is_date(value):
            return (
                f"{what}: compare it with a date in quotes, such as '2026-04-01', "
                f"not {_shown(value)}"
            )
    elif kind.input == "yes_no":
        if not isinstance(value, bool):
            return f"{what}: compare it with true or false, not {_shown(value)}"
    elif kind.input == "choice":
        if not isinstance(value, str):
            return f"{what}: compare it with one of its options in quotes, not {_shown(value)}"
        offered = {label.casefold() for label in kind.labels}
        if offered and value.casefold() not in offered:
            return f"{what}: {_shown(value)} is not one of its options ({', '.join(kind.labels)})"
    return None


def _number_misfit(what: str, value: conditions.Literal) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{what} is a number: compare it with a number, not {_shown(value)}"
    return None


def _fact_misfit(name: str, value: conditions.Literal) -> str | None:
    """Why `value` cannot be a value of the fact `name` (version 2), or None."""
    kind = FACTS[name]
    if kind == "number":
        return _number_misfit(f"'{name}'", value)
    if kind == "true_false":
        if not isinstance(value, bool):
            return f"'{name}' is true or false: compare it with true or false, not {_shown(value)}"
        return None
    if not isinstance(value, str):
        return f"'{name}' is text: compare it with text in quotes, not {_shown(value)}"
    if name == "now.weekday" and value not in WEEKDAYS:
        return f"'now.weekday' is one of {', '.join(WEEKDAYS)}, not {_shown(value)}"
    return None


def _v2_misfit(compare: conditions.Compare, value: conditions.Literal) -> str | None:
    """A function's value is a number (days, years, labels ticked); a fact's is of its
    kind. None for a comparison that is neither."""
    if compare.function is not None:
        return _number_misfit(f"{compare.function}({compare.name})", value)
    return _fact_misfit(compare.name, value)


def _free_text(name: str, kind: AnswerType) -> str:
    return (
        f"'{name}' is a text answer (recorded at '{kind.question}'): "
        "free text cannot be used in an 'if'"
    )


def literal_problems(
    condition: conditions.Condition, types: Mapping[str, list[AnswerType]]
) -> list[str]:
    """What is wrong with the literals of `condition`, one message each, for the names
    whose type is known (an unrecorded name is rule 5's to report)."""
    messages: list[str] = []
    for compare in comparisons(condition):
        if compare.op.startswith("has"):
            continue  # a many answer's labels: lint_v2 checks them against its options
        if compare.function is not None or is_fact(compare.name):
            if compare.op == "truthy" or compare.value is None:
                continue
            values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
            found = next((m for v in values if (m := _v2_misfit(compare, v)) is not None), None)
            if found is not None:
                messages.append(found)
            continue
        kinds = types.get(compare.name, [])
        text = next((k for k in kinds if k.input == "text"), None)
        if text is not None:
            messages.append(_free_text(compare.name, text))
            continue
        if compare.op == "truthy" or compare.value is None:
            continue
        if compare.op != "in" and isinstance(compare.value, tuple):
            messages.append(f"'{compare.name} {compare.op} [..]': a list goes only with 'in'")
            continue
        values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
        for kind in kinds:
            found = next(
                (m for v in values if (m := _misfit(compare.name, kind, v)) is not None), None
            )
            if found is not None:
                messages.append(found)
                break
    return list(dict.fromkeys(messages))
