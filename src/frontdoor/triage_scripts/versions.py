"""The script library in the shared database: every version of every script, as typed
records at this package's edge (spec/script-governance.md).

A version's text never changes once submitted; what changes is its state:

    draft ──approve──► published ──(next approved)──► superseded
      │                    └──retire──► retired
      └──withdraw──► withdrawn

Four keys of the text are the record's, not the file's: a version's `Script` carries the
record's version number, its state as the format's status, and who approved it and when.
This store keeps the states right (one published version per script, a second person
approves); whether a text may be submitted or approved at all (lint and tests against
the library) is `governance.py`'s to decide.
"""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import Actor, AuditEvent, AuditTrail, Concerns
from frontdoor.triage_scripts.loader import LoadedScript, LoadResult, Problem, load_text
from frontdoor.triage_scripts.model import Script, Status
from frontdoor.triage_scripts.script_text import content_hash, with_missing
from frontdoor.triage_scripts.tables import ScriptChangeRow, ScriptVersionRow
from frontdoor.triage_scripts.version_records import (
    SYSTEM,
    BroughtIn,
    ChangeRefused,
    StoredVersion,
    UnknownScript,
    UnknownVersion,
    VersionRecord,
    VersionState,
    check_name,
    same_person,
)

# the format's `status` a version's Script carries: what it was when it was last in use
_STATUS: dict[VersionState, Status] = {
    VersionState.DRAFT: "draft",
    VersionState.PUBLISHED: "published",
    VersionState.SUPERSEDED: "published",
    VersionState.RETIRED: "retired",
    VersionState.WITHDRAWN: "draft",
}


def _log(
    session: Session, script: str, version: int, action: str, by: str, at: dt.datetime
) -> None:
    session.add(ScriptChangeRow(script=script, version=version, action=action, by=by, at=at))


def _event(event: AuditEvent, record: VersionRecord) -> tuple[AuditEvent, Concerns]:
    return event, Concerns(script=record.ref)


def _record(row: ScriptVersionRow) -> VersionRecord:
    return VersionRecord(
        script=row.script,
        version=row.version,
        state=VersionState(row.state),
        content_hash=row.content_hash,
        submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
        note=row.note,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        ended_by=row.ended_by,
        ended_at=row.ended_at,
    )


# What each text loads to, by its hash, shared by every ScriptVersions of the process: a
# process that opens the database many times (the tests, a bench) parsed each published
# text again at each opening, a third of the time opening took.
_LOADS: dict[str, LoadResult] = {}
_LOADS_LOCK = threading.Lock()


class ScriptVersions:
    """The store. `time_zone` is the service's: the day a version was approved on is the
    day there (the format's `approved_on`)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        time_zone: str = "UTC",
        audit: AuditTrail | None = None,
    ) -> None:
        self._sessions = sessions
        self._zone = ZoneInfo(time_zone)
        # each version submitted, approved or retired is audited in its transaction
        self._audit = audit
        # what each text loads to, by its hash: texts never change, so this never goes stale
        self._loads = _LOADS
        self._loads_lock = _LOADS_LOCK

    # --- reading ----------------------------------------------------------------------
    def stamp(self) -> tuple[int, int]:
        """Moves whenever the library does, from any workstation or command: every change
        appends a row to script_changes and none is ever removed. The count catches a
        change committed after a later-numbered one (PostgreSQL hands out ids before
        commit). One query over a small table: consoles poll it every few seconds."""
        with self._sessions() as session:
            count, highest = session.execute(
                select(func.count(ScriptChangeRow.id), func.max(ScriptChangeRow.id))
            ).one()
            return int(count), int(highest or 0)

    def records(self, script: str | None = None) -> list[VersionRecord]:
        """Every version (of one script, or all), by script and version (sorted here: a
        server's collation may order ids otherwise)."""
        query = select(ScriptVersionRow)
        if script is not None:
            query = query.where(ScriptVersionRow.script == script)
        with self._sessions() as session:
            found = [_record(row) for row in session.scalars(query)]
        return sorted(found, key=lambda r: (r.script, r.version))

    def history(self, script: str) -> list[VersionRecord]:
        """Every version of `script`, oldest first; UnknownScript when it has none."""
        found = self.records(script)
        if not found:
            raise UnknownScript(script)
        return found

    def record(self, script: str, version: int) -> VersionRecord:
        with self._sessions() as session:
            return _record(self._row(session, script, version))

    def text(self, script: str, version: int) -> str:
        """The text exactly as it was submitted."""
        with self._sessions() as session:
            return self._row(session, script, version).text

    def version(self, script: str, version: int) -> StoredVersion:
        """A version loaded, its Script carrying the record's number, state and approval:
        what a past contact followed, or what a lead wants to see or compare."""
        with self._sessions() as session:
            row = self._row(session, script, version)
            return self._stored(_record(row), row.text)

    def find(self, script: str, version: int) -> Script | None:
        """The Script of that version, or None when it is not stored or does not load."""
        try:
            return self.version(script, version).script
        except (UnknownScript, UnknownVersion):
            return None

    def published(self) -> list[StoredVersion]:
        """The published version of every script, loaded, by script id."""
        return [self._stored(record, text) for record, text in self.published_texts()]

    def published_texts(self) -> list[tuple[VersionRecord, str]]:
        """The published version of every script and its text, by script id, unparsed."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ScriptVersionRow).where(
                    ScriptVersionRow.state == VersionState.PUBLISHED.value
                )
            )
            found = [(_record(row), row.text) for row in rows]
        return sorted(found, key=lambda item: item[0].script)

    def published_scripts(self) -> dict[str, Script]:
        return {s.record.script: s.script for s in self.published() if s.script is not None}

    def next_version(self, script: str) -> int:
        """One more than the highest version of `script` stored in any state."""
        with self._sessions() as session:
            return self._next(session, script)

    def hashes(self) -> frozenset[str]:
        """The content hash of every text stored, in any state."""
        with self._sessions() as session:
            return frozenset(session.scalars(select(ScriptVersionRow.content_hash)))

    def approved_on(self, record: VersionRecord) -> dt.date | None:
        """The day it was approved, in the service's time zone (the format's approved_on)."""
        return record.approved_at.astimezone(self._zone).date() if record.approved_at else None

    # --- changing ---------------------------------------------------------------------
    def person(self, by: str | None) -> str:
        """Who a change is recorded as: the name given, else whoever is signed in (the
        audit's actor); "" when neither is known (check_name then says what to give)."""
        given = (by or "").strip()
        if given or self._audit is None:
            return given
        return self._audit.actor.user

    def _audited(
        self,
        session: Session,
        items: list[tuple[AuditEvent, Concerns]],
        at: dt.datetime,
        actor: Actor | None = None,
    ) -> None:
        """Last in the unit of work (see append_many)."""
        if self._audit is not None and items:
            self._audit.record_many(session, items, actor=actor, at=at)

    def submit(
        self,
        texts: list[tuple[str, int, str]],
        by: str | None,
        at: dt.datetime,
        note: str | None,
    ) -> list[VersionRecord]:
        """Store each (script, version, text) as a draft, all or none, by `by` (None:
        whoever is signed in). `version` must be the script's next number: ChangeRefused
        when someone else took it meanwhile."""
        by = check_name(self.person(by))
        try:
            with self._sessions() as session, session.begin():
                made = []
                for script, version, text in texts:
                    expected = self._next(session, script)
                    if version != expected:
                        raise ChangeRefused(
                            f"{script}: version {version} cannot be submitted: the next "
                            f"version is {expected}"
                        )
                    row = self._add(session, script, version, text, by, at, note)
                    made.append(_record(row))
                self._audited(session, [_event(AuditEvent.SCRIPT_SUBMITTED, r) for r in made], at)
                return made
        except IntegrityError:
            raise ChangeRefused(
                "another version was submitted at the same moment; submit again"
            ) from None

    def approve(self, script: str, version: int, by: str | None, at: dt.datetime) -> VersionRecord:
        """Publish a draft, approved by `by` (None: whoever is signed in); the version
        published before is superseded. Refused when the approver submitted it, or when it
        is not a draft, or older than the one published."""
        by = check_name(self.person(by))
        with self._sessions() as session, session.begin():
            row = self._row(session, script, version, for_update=True)
            if row.state != VersionState.DRAFT.value:
                raise ChangeRefused(f"{script}@{version} is {row.state}, not a draft waiting")
            if same_person(row.submitted_by, by):
                raise ChangeRefused(
                    f"{script}@{version} was submitted by {row.submitted_by}: a second "
                    "person approves it"
                )
            current = self._published_row(session, script)
            if current is not None:
                if current.version > version:
                    raise ChangeRefused(
                        f"{script}@{current.version}, newer than {version}, is published: "
                        f"to bring {version} back, submit its text again as a new version"
                    )
                current.state = VersionState.SUPERSEDED.value
                current.ended_by, current.ended_at = by, at
            row.state = VersionState.PUBLISHED.value
            row.approved_by, row.approved_at = by, at
            _log(session, script, version, "approve", by, at)
            session.flush()
            # two drafts of one script approved at the same moment: the second to commit
            # would not have seen the first's (a new statement does), so one must give way
            published = select(func.count(ScriptVersionRow.id)).where(
                ScriptVersionRow.script == script,
                ScriptVersionRow.state == VersionState.PUBLISHED.value,
            )
            if session.scalar(published) != 1:
                raise ChangeRefused(
                    f"another version of {script} was approved at the same moment: look at "
                    f"'frontdoor scripts history {script}' and try again"
                )
            approved = _record(row)
            self._audited(session, [_event(AuditEvent.SCRIPT_APPROVED, approved)], at)
            return approved

    def retire(self, script: str, by: str | None, at: dt.datetime) -> VersionRecord:
        """Stop offering a script: its published version is retired (by `by`, None:
        whoever is signed in). Whether anything still hands on to it is for
        governance.retire to check first."""
        by = check_name(self.person(by))
        with self._sessions() as session, session.begin():
            self._known(session, script)
            row = self._published_row(session, script)
            if row is None:
                raise ChangeRefused(f"{script} has no published version to retire")
            row.state = VersionState.RETIRED.value
            row.ended_by, row.ended_at = by, at
            _log(session, script, row.version, "retire", by, at)
            retired = _record(row)
            self._audited(session, [_event(AuditEvent.SCRIPT_RETIRED, retired)], at)
            return retired

    def withdraw(self, script: str, version: int, by: str | None, at: dt.datetime) -> VersionRecord:
        """Take back a draft that should not be published (by `by`, None: whoever is
        signed in)."""
        by = check_name(self.person(by))
        with self._sessions() as session, session.begin():
            row = self._row(session, script, version, for_update=True)
            if row.state != VersionState.DRAFT.value:
                raise ChangeRefused(f"{script}@{version} is {row.state}: only a draft is withdrawn")
            row.state = VersionState.WITHDRAWN.value
            row.ended_by, row.ended_at = by, at
            _log(session, script, version, "withdraw", by, at)
            return _record(row)

    def bring_in(self, texts: list[tuple[Script, str]], at: dt.datetime) -> BroughtIn:
        """A release's library (each script and its file's text, all lint-clean) into the
        database, by `system`. Into a database holding no scripts, each is published
        (a draft file stays a draft) under its file's own version number, so the numbers
        contacts recorded before the library moved into the database still name the same
        script. Into any other, a text not stored yet arrives as a draft for a lead to
        approve, numbered as any new version: it never replaces what a site published.
        Two consoles starting on a new database at once: the second finds it done."""
        try:
            return self._bring_in(texts, at)
        except IntegrityError:
            return BroughtIn()  # another workstation brought the same texts in meanwhile

    def _bring_in(self, texts: list[tuple[Script, str]], at: dt.datetime) -> BroughtIn:
        published: list[str] = []
        drafts: list[str] = []
        audited: list[tuple[AuditEvent, Concerns]] = []
        with self._sessions() as session, session.begin():
            stored = {
                (name, digest)
                for name, digest in session.execute(
                    select(ScriptVersionRow.script, ScriptVersionRow.content_hash)
                )
            }
            first = not stored
            for script, text in texts:
                if (script.script, content_hash(text)) in stored:
                    continue
                if first and script.status in ("published", "approved"):
                    row = self._add(session, script.script, script.version, text, SYSTEM, at, None)
                    row.state = VersionState.PUBLISHED.value
                    row.approved_by, row.approved_at = SYSTEM, at
                    _log(session, script.script, script.version, "approve", SYSTEM, at)
                    published.append(row.script)
                    audited += [
                        _event(AuditEvent.SCRIPT_SUBMITTED, _record(row)),
                        _event(AuditEvent.SCRIPT_APPROVED, _record(row)),
                    ]
                else:
                    number = script.version if first else self._next(session, script.script)
                    row = self._add(session, script.script, number, text, SYSTEM, at, None)
                    drafts.append(script.script)
                    audited.append(_event(AuditEvent.SCRIPT_SUBMITTED, _record(row)))
                session.flush()
            if self._audit is not None:
                # the release did it, wherever it was brought in
                system = Actor(SYSTEM, SYSTEM, self._audit.actor.workstation)
                self._audited(session, audited, at, actor=system)
        return BroughtIn(tuple(published), tuple(drafts))

    # --- inside -----------------------------------------------------------------------
    def _add(
        self,
        session: Session,
        script: str,
        version: int,
        text: str,
        by: str,
        at: dt.datetime,
        note: str | None,
    ) -> ScriptVersionRow:
        row = ScriptVersionRow(
            script=script,
            version=version,
            text=text,
            content_hash=content_hash(text),
            state=VersionState.DRAFT.value,
            submitted_by=by,
            submitted_at=at,
            note=note or None,
        )
        session.add(row)
        _log(session, script, version, "submit", by, at)
        session.flush()  # a second text of the same script numbers after this one
        return row

    @staticmethod
    def _next(session: Session, script: str) -> int:
        highest = session.scalar(
            select(func.max(ScriptVersionRow.version)).where(ScriptVersionRow.script == script)
        )
        return int(highest or 0) + 1

    @staticmethod
    def _known(session: Session, script: str) -> None:
        query = select(ScriptVersionRow.id).where(ScriptVersionRow.script == script).limit(1)
        if session.scalar(query) is None:
            raise UnknownScript(script)

    def _row(
        self, session: Session, script: str, version: int, *, for_update: bool = False
    ) -> ScriptVersionRow:
        query = select(ScriptVersionRow).where(
            ScriptVersionRow.script == script, ScriptVersionRow.version == version
        )
        # two leads approving at once: the second waits, then sees it is no draft
        row = session.scalar(query.with_for_update() if for_update else query)
        if row is None:
            self._known(session, script)
            raise UnknownVersion(script, version)
        return row

    @staticmethod
    def _published_row(session: Session, script: str) -> ScriptVersionRow | None:
        return session.scalar(
            select(ScriptVersionRow)
            .where(
                ScriptVersionRow.script == script,
                ScriptVersionRow.state == VersionState.PUBLISHED.value,
            )
            .with_for_update()
        )

    def _stored(self, record: VersionRecord, text: str) -> StoredVersion:
        result = self._load(text, record)
        loaded = None
        if result.loaded is not None:
            script = result.loaded.script.model_copy(
                update={
                    "version": record.version,
                    "status": _STATUS[record.state],
                    "approved_by": record.approved_by,
                    "approved_on": self.approved_on(record),
                }
            )
            loaded = LoadedScript(script, record.ref, result.loaded.source)
        problems = tuple(
            Problem(record.ref, p.line, p.code, p.message)
            for p in result.problems
            if p.code != "R4"  # approval is the record's in the database
        )
        return StoredVersion(record, text, loaded, problems)

    def _load(self, text: str, record: VersionRecord) -> LoadResult:
        """What the text loads to, the keys the record speaks for filled in where the file
        left them out (R4, approval in the file, is not the database's rule)."""
        key = record.content_hash
        with self._loads_lock:
            cached = self._loads.get(key)
        if cached is None:
            filled = with_missing(text, {"version": record.version, "status": "draft"})
            cached = load_text(filled, record.ref)
            with self._loads_lock:
                self._loads[key] = cached
        return cached

    def remember(self, text: str, result: LoadResult) -> None:
        """What a text already loaded to (the release's library, just linted): its
        published version then needs no second parse."""
        with self._loads_lock:
            self._loads.setdefault(content_hash(text), result)
