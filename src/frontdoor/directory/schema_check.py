"""Check service records against the official Open Referral schemas, record by record,
saying in words which rule each one breaks.

The schemas ship inside the package (`schemas/`, with their licence) as their publishers
compiled them. They are read as JSON Schema 2020-12 without asserting formats: `uuid`,
`email` and `uri` are annotations there, as in the publishers' own validators, so a
directory whose ids are names ("district-nursing") still passes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # jsonschema is loaded at the first check, not when a command starts
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SchemaName = Literal["hsds-3.0", "hsds-3.1", "oruk"]
SCHEMA_NAMES: tuple[SchemaName, ...] = ("hsds-3.0", "hsds-3.1", "oruk")
TITLES: dict[SchemaName, str] = {
    "hsds-3.0": "HSDS 3.0",
    "hsds-3.1": "HSDS 3.1",
    "oruk": "the Open Referral UK profile",
}
_FILES: dict[SchemaName, str] = {
    "hsds-3.0": "hsds-3.0-service.json.gz",
    "hsds-3.1": "hsds-3.1-service.json.gz",
    "oruk": "oruk-3.0-uk-service.json.gz",
}
_KINDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


class RecordsError(ValueError):
    """The payload holds no service records to check; the message says what it should be."""


@dataclass(frozen=True)
class Problem:
    where: str  # "the record", "organization", "phones, entry 2"
    rule: str  # the rule broken, in words

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}"


@dataclass(frozen=True)
class RecordVerdict:
    record: int  # 1-based position in the payload, as import reports number records
    id: str | None
    problems: tuple[Problem, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class SchemaReport:
    schema: SchemaName
    verdicts: tuple[RecordVerdict, ...]

    @property
    def title(self) -> str:
        return TITLES[self.schema]

    @property
    def passed(self) -> int:
        return sum(v.passed for v in self.verdicts)

    @property
    def failed(self) -> list[RecordVerdict]:
        return [v for v in self.verdicts if not v.passed]

    def summary(self) -> str:
        return f"{self.title}: {self.passed} of {len(self.verdicts)} service(s) pass"


def schema(name: SchemaName) -> dict[str, Any]:
    """The publisher's compiled service schema, as shipped in the package."""
    import gzip

    packed = resources.files("frontdoor.directory").joinpath("schemas", _FILES[name])
    loaded: dict[str, Any] = json.loads(gzip.decompress(packed.read_bytes()))
    return loaded


@functools.cache
def _validator(name: SchemaName) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    # no format_checker: formats are annotations, not assertions (see the module's note)
    return Draft202012Validator(schema(name))


def service_records(payload: Any) -> list[Any]:
    """The service records of an export or feed: a list (ORUK), a page with `contents`
    (HSDS), or one service."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in ("contents", "content", "items"):
            if isinstance(payload.get(key), list):
                return list(payload[key])
        if "id" in payload and "name" in payload:
            return [payload]
    raise RecordsError(
        "expected a list of services, a page with 'contents', or one service with an id and a name"
    )


def _where(path: Sequence[str | int]) -> str:
    parts: list[str] = []
    for step in path:
        parts.append(f"entry {step + 1}" if isinstance(step, int) else step)
    return ", ".join(parts) or "the record"


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}" + ("..." if len(value) > 40 else "")
    return "a list" if isinstance(value, list) else "an object"


def _wanted(kinds: str | list[str]) -> str:
    return " or ".join(_KINDS.get(k, k) for k in ([kinds] if isinstance(kinds, str) else kinds))


def _rule(error: ValidationError, title: str) -> str:
    keyword, value, instance = error.validator, error.validator_value, error.instance
    if keyword == "required":
        missing = [name for name in value if name not in instance]
        names = " or ".join(f"'{name}'" for name in missing)
        return f"has no {names}, which {title} requires"
    if keyword == "type":
        # a null is how an unknown value is usually written: the fix is to leave it out
        hint = " (a value not known is left out, not written as null)" if instance is None else ""
        return f"is {_shown(instance)}; {title} wants {_wanted(value)}{hint}"
    if keyword == "enum":
        allowed = ", ".join(repr(v) for v in value)
        return f"is {_shown(instance)}; {title} allows only {allowed}"
    if keyword in ("minimum", "maximum"):
        bound = "at least" if keyword == "minimum" else "at most"
        return f"is {_shown(instance)}; {title} wants {bound} {value}"
    return f"{error.message} ({title}'s '{keyword}' rule)"


def check_record(record: Any, name: SchemaName) -> tuple[Problem, ...]:
    title = TITLES[name]
    problems: dict[tuple[str, str], Problem] = {}
    for error in _validator(name).iter_errors(record):
        problem = Problem(_where(list(error.absolute_path)), _rule(error, title))
        # one sentence per place and rule: `required` names every missing field at once
        problems.setdefault((problem.where, problem.rule), problem)
    return tuple(problems.values())


def check_records(records: Sequence[Any], name: SchemaName) -> SchemaReport:
    verdicts = []
    for number, record in enumerate(records, start=1):
        raw_id = record.get("id") if isinstance(record, dict) else None
        record_id = str(raw_id) if raw_id not in (None, "") else None
        verdicts.append(RecordVerdict(number, record_id, check_record(record, name)))
    return SchemaReport(name, tuple(verdicts))
