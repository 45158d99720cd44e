"""Changing the library as spec/script-governance.md asks: a change is linted and tested
with the scripts it hands on to and from before it is stored, approved by a second
person against today's library, and a script is retired only once nothing hands on to it.

Each function takes the store, the person (`by`), the time and what lint checks against
(the service's vocabulary, the directory, today), so the CLI and the console's scripts
screen change the library the same way. Refusals are `ChangeRefused` (with the lint lines
when lint refused), unknown scripts and versions `UnknownScript`/`UnknownVersion`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from frontdoor.triage_scripts.lint import LintContext, lint_loaded
from frontdoor.triage_scripts.loader import LoadedScript, Problem, load_text
from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.script_text import content_hash, top_level, with_missing, with_record
from frontdoor.triage_scripts.version_records import (
    ChangeRefused,
    StoredVersion,
    VersionRecord,
    VersionState,
    check_name,
    same_person,
)
from frontdoor.triage_scripts.versions import ScriptVersions

# Problems of the record's own rules (not the format's): an error, like any code but W.
GOVERNANCE = "G"


@dataclass(frozen=True)
class Submission:
    """A script file to submit: `path` names it in problems."""

    path: str
    text: str


@dataclass(frozen=True)
class ChangeDone:
    """What a change stored, and the warnings lint had (never refusals)."""

    records: tuple[VersionRecord, ...]
    warnings: tuple[Problem, ...] = ()


def hand_ons(script: Script) -> set[str]:
    """The scripts `script` hands on to (its ends' goto_script)."""
    return {end.goto_script for end in script.ends().values() if end.goto_script}


def as_published(loaded: LoadedScript, version: int) -> LoadedScript:
    """The script as it would run once published: lint's rules for a published script
    (every end tested) apply, whatever the file's status says."""
    script = loaded.script.model_copy(
        update={"version": version, "status": "published", "approved_by": None, "approved_on": None}
    )
    return LoadedScript(script, loaded.path, loaded.source)


def check_together(
    changed: list[LoadedScript], published: list[StoredVersion], context: LintContext
) -> list[Problem]:
    """Lint `changed` as the library would hold them, with the published scripts that
    hand on to them or that they hand on to (a change to one script is tested with the
    others it hands on to or from). Every problem of the changed scripts; only errors of
    the others (their warnings are not this change's)."""
    ids = {item.script.script for item in changed}
    library = {s.record.script: s.script for s in published if s.script is not None}
    library.update({item.script.script: item.script for item in changed})
    onward = set().union(*(hand_ons(item.script) for item in changed)) if changed else set()
    neighbours = [
        s.loaded
        for s in published
        if s.loaded is not None
        and s.record.script not in ids
        and (s.record.script in onward or hand_ons(s.loaded.script) & ids)
    ]
    ctx = replace(context, library=library)
    known = set(library)
    problems = [p for item in changed for p in lint_loaded(item, ctx, known)]
    problems += [
        p for item in neighbours for p in lint_loaded(item, ctx, known) if p.severity == "error"
    ]
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.code, p.message))


def _errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def submit(
    store: ScriptVersions,
    files: list[Submission],
    by: str | None,
    at: dt.datetime,
    context: LintContext,
    note: str | None = None,
) -> ChangeDone:
    """Store each file as a new draft version, all or none: ChangeRefused, with every
    problem, when any file has a lint error or a failing test (with the library it hands
    on to and from), gives a version that is not the next, or is a text already waiting
    or published. The file's status and approval are the record's, not the file's. `by`
    None: whoever is signed in."""
    by = check_name(store.person(by))
    problems: list[Problem] = []
    changed: list[LoadedScript] = []
    numbers: dict[str, int] = {}
    texts: dict[str, str] = {}
    current = {
        (r.script, r.content_hash): r
        for r in store.records()
        if r.state in (VersionState.DRAFT, VersionState.PUBLISHED)
    }
    for file in files:
        # the placeholder number only lets a file without `version` load; the record's
        # number is put in below, once the script's id is known
        result = load_text(with_missing(file.text, {"version": 1, "status": "draft"}), file.path)
        problems += [p for p in result.problems if p.code != "R4"]  # approval: the record's
        if result.loaded is None:
            continue
        loaded = result.loaded
        script_id = loaded.script.script
        if script_id in numbers:
            problems.append(
                Problem(
                    file.path,
                    loaded.line("script", prefer_value=True),
                    "R1",
                    f"script id '{script_id}' is in two of the files submitted",
                )
            )
            continue
        number = store.next_version(script_id)
        written = (top_level(file.text) or {}).get("version")
        if written is not None and written != number:
            problems.append(
                Problem(
                    file.path,
                    loaded.line("version", prefer_value=True),
                    GOVERNANCE,
                    f"version {written} is not the next version of {script_id}: write "
                    f"{number}, or leave version out and it is numbered for you",
                )
            )
        same = current.get((script_id, content_hash(file.text)))
        if same is not None:
            problems.append(
                Problem(
                    file.path,
                    1,
                    GOVERNANCE,
                    f"this text is {same.ref} ({same.state}) already: nothing to submit",
                )
            )
        numbers[script_id] = number
        texts[script_id] = file.text
        changed.append(as_published(loaded, number))
    problems += check_together(changed, store.published(), context)
    problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.code, p.message))
    if _errors(problems) or not changed:
        raise ChangeRefused(
            f"nothing was submitted: {len(_errors(problems))} error(s) to put right first",
            problems,
        )
    made = store.submit([(s, numbers[s], texts[s]) for s in numbers], by, at, note)
    return ChangeDone(tuple(made), tuple(problems))


def _draft_to_act_on(store: ScriptVersions, script: str, version: int | None) -> VersionRecord:
    """The draft named, or the newest draft of the script; ChangeRefused when none waits."""
    records = store.history(script)
    if version is None:
        drafts = [r for r in records if r.state == VersionState.DRAFT]
        if not drafts:
            raise ChangeRefused(f"no draft of {script} is waiting")
        return drafts[-1]
    record = store.record(script, version)
    if record.state != VersionState.DRAFT:
        raise ChangeRefused(f"{record.ref} is {record.state}, not a draft waiting")
    return record


def approve(
    store: ScriptVersions,
    script: str,
    version: int | None,
    by: str | None,
    at: dt.datetime,
    context: LintContext,
) -> ChangeDone:
    """Publish a draft (the newest when `version` is None): refused when `by` (None:
    whoever is signed in) submitted it, or when it no longer passes lint and its tests
    against today's library."""
    by = check_name(store.person(by))
    record = _draft_to_act_on(store, script, version)
    if same_person(record.submitted_by, by):
        raise ChangeRefused(
            f"{record.ref} was submitted by {record.submitted_by}: a second person approves it"
        )
    stored = store.version(script, record.version)
    if stored.loaded is None:
        raise ChangeRefused(f"{record.ref} no longer loads", stored.problems)
    problems = check_together(
        [as_published(stored.loaded, record.version)], store.published(), context
    )
    if _errors(problems):
        raise ChangeRefused(
            f"{record.ref} no longer passes lint and its tests against today's library", problems
        )
    approved = store.approve(script, record.version, by, at)
    return ChangeDone((approved,), tuple(problems))


def _ends_handing_on(script: Script, to: str) -> list[str]:
    return sorted(name for name, end in script.ends().items() if end.goto_script == to)


def retire(
    store: ScriptVersions,
    script: str,
    by: str | None,
    at: dt.datetime,
    needed: Mapping[str, str] | None = None,
) -> VersionRecord:
    """Stop offering a script: refused while a published script still hands on to it, or
    when the service needs it (`needed`: script id to the reason, such as the script
    every call starts with). `by` None: whoever is signed in."""
    by = check_name(store.person(by))
    store.history(script)  # UnknownScript, before anything is said about it
    if needed and script in needed:
        raise ChangeRefused(f"{script} cannot be retired: {needed[script]}")
    handing = [
        f"{s.record.ref} ({', '.join(_ends_handing_on(s.script, script))})"
        for s in store.published()
        if s.script is not None and s.record.script != script and script in hand_ons(s.script)
    ]
    if handing:
        raise ChangeRefused(
            f"{script} is still handed on to by {'; '.join(handing)}: submit and approve "
            "them without the hand-on first"
        )
    return store.retire(script, by, at)


def withdraw(
    store: ScriptVersions, script: str, version: int | None, by: str | None, at: dt.datetime
) -> VersionRecord:
    """Take back a draft (the newest when `version` is None) so it is never published."""
    record = _draft_to_act_on(store, script, version)
    return store.withdraw(script, record.version, check_name(store.person(by)), at)


def exported(store: ScriptVersions) -> list[tuple[str, str]]:
    """The published library as files: (file name, text), each text as its lead wrote it
    with version, status, approved_by and approved_on written from the record."""
    files = []
    for stored in store.published_texts():
        record, text = stored
        values = {
            "version": record.version,
            "status": "published",
            "approved_by": record.approved_by,
            "approved_on": store.approved_on(record),
        }
        files.append((f"{record.script}.yaml", with_record(text, values)))
    return files
