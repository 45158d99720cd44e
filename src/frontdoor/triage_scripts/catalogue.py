"""The library at a glance: one line per script, as `frontdoor scripts list` prints it
and the lead's scripts screen lists it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Literal

from frontdoor.triage_scripts.version_records import VersionRecord, VersionState
from frontdoor.triage_scripts.versions import ScriptVersions

# what a script is as a whole: offered (published), never yet published (draft), no
# longer offered (retired), or every version withdrawn
ScriptState = Literal["published", "draft", "retired", "withdrawn"]


@dataclass(frozen=True)
class ScriptSummary:
    script: str
    title: str
    state: ScriptState
    published_version: int | None
    draft_versions: tuple[int, ...]
    owner: str | None
    review_by: dt.date | None
    review_overdue: bool
    approved_by: str | None  # of the version published (else the last one approved)
    approved_at: dt.datetime | None

    def to_json(self) -> dict[str, Any]:
        """The fields spec/script-governance.md names for `scripts list --json`."""
        return {
            "script": self.script,
            "title": self.title,
            "state": self.state,
            "published_version": self.published_version,
            "draft_versions": list(self.draft_versions),
            "owner": self.owner,
            "review_by": self.review_by.isoformat() if self.review_by else None,
            "review_overdue": self.review_overdue,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at.isoformat() if self.approved_at else None,
        }


def _state(records: list[VersionRecord]) -> ScriptState:
    states = {r.state for r in records}
    if VersionState.PUBLISHED in states:
        return "published"
    if VersionState.RETIRED in states:
        return "retired"
    if VersionState.DRAFT in states:
        return "draft"
    return "withdrawn"


def summaries(store: ScriptVersions, today: dt.date) -> list[ScriptSummary]:
    """Every script in the library, sorted by id. Title, owner and review date are the
    published version's (else the newest version's); a review date before `today` is
    overdue."""
    found = []
    for script, group in groupby(store.records(), key=lambda r: r.script):
        records = list(group)
        published = next((r for r in records if r.state == VersionState.PUBLISHED), None)
        shown = published or records[-1]
        parsed = store.version(script, shown.version).script
        approved = published or next(
            (r for r in reversed(records) if r.approved_at is not None), None
        )
        review_by = parsed.review_by if parsed else None
        found.append(
            ScriptSummary(
                script=script,
                title=parsed.title if parsed else script,
                state=_state(records),
                published_version=published.version if published else None,
                draft_versions=tuple(r.version for r in records if r.state == VersionState.DRAFT),
                owner=parsed.owner if parsed else None,
                review_by=review_by,
                review_overdue=review_by is not None and review_by < today,
                approved_by=approved.approved_by if approved else None,
                approved_at=approved.approved_at if approved else None,
            )
        )
    return found


def version_to_show(store: ScriptVersions, script: str, version: int | None = None) -> int:
    """`version` when asked for; else the one published, else the newest stored (a new
    script's draft, or a retired script's last version). UnknownScript when none is."""
    if version is not None:
        return version
    records = store.history(script)
    published = [r for r in records if r.state == VersionState.PUBLISHED]
    return (published or records)[-1].version
