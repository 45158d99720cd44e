"""A version of a script as the record holds it, and the words for what the library's
rules refuse: the typed results `versions.ScriptVersions` hands out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from frontdoor.triage_scripts.loader import LoadedScript, Problem
from frontdoor.triage_scripts.model import Script

# who submits and approves the library a release brings (a person may not use the name)
SYSTEM = "system"


class VersionState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    RETIRED = "retired"
    WITHDRAWN = "withdrawn"


class UnknownScript(LookupError):
    """No version of that script is stored (bad usage: exit 2 in the CLI)."""

    def __init__(self, script: str) -> None:
        super().__init__(f"there is no script '{script}' in the library")
        self.script = script


class UnknownVersion(LookupError):
    """That script has no such version (bad usage: exit 2 in the CLI)."""

    def __init__(self, script: str, version: int) -> None:
        super().__init__(f"script '{script}' has no version {version}")


class ChangeRefused(Exception):
    """A change the library's rules refuse (exit 1 in the CLI); `problems` are the lint
    lines that refused it, when lint did."""

    def __init__(self, reason: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.problems = list(problems)


@dataclass(frozen=True)
class VersionRecord:
    """One version as the record holds it, without its text."""

    script: str
    version: int
    state: VersionState
    content_hash: str
    submitted_by: str
    submitted_at: dt.datetime
    note: str | None
    approved_by: str | None
    approved_at: dt.datetime | None
    ended_by: str | None  # withdrew it, retired it, or approved the one that superseded it
    ended_at: dt.datetime | None

    @property
    def ref(self) -> str:
        """How problems name the version: `falls@3`."""
        return f"{self.script}@{self.version}"

    def to_json(self) -> dict[str, Any]:
        def when(value: dt.datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "script": self.script,
            "version": self.version,
            "state": self.state.value,
            "content_hash": self.content_hash,
            "submitted_by": self.submitted_by,
            "submitted_at": when(self.submitted_at),
            "note": self.note,
            "approved_by": self.approved_by,
            "approved_at": when(self.approved_at),
            "ended_by": self.ended_by,
            "ended_at": when(self.ended_at),
        }


@dataclass(frozen=True)
class StoredVersion:
    """A version with its text, loaded: `loaded` is None (and `problems` say why) when
    the text no longer loads, as a later release's format might refuse an old one."""

    record: VersionRecord
    text: str
    loaded: LoadedScript | None
    problems: tuple[Problem, ...]

    @property
    def script(self) -> Script | None:
        return self.loaded.script if self.loaded else None


@dataclass(frozen=True)
class BroughtIn:
    """What a release's library did to the database's: published (a database that held
    no scripts), arrived as drafts, or nothing (each text already stored)."""

    published: tuple[str, ...] = ()
    drafts: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.published or self.drafts)


def check_name(by: str) -> str:
    """The person doing it, as they will be recorded; ValueError says what to give."""
    name = (by or "").strip()
    if not name:
        raise ValueError("say who is doing it: --as NAME (your name, as leads know you)")
    if name.casefold() == SYSTEM:
        raise ValueError(
            f"'{SYSTEM}' is the name Front Door records for the library a release brings; "
            "give your own name with --as"
        )
    return name


def same_person(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()
