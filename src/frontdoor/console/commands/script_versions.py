"""`frontdoor scripts submit / approve / retire / withdraw / list / history / export`: the
library in the shared database (spec/script-governance.md).

Exit 0 done; 1 refused by the library's rules (lint or test errors, the approver is the
author, a script still handed on to), with the lint lines on stdout; 2 bad usage (an
unknown script or version, a file that cannot be read, a user who may not). Submitting,
approving, retiring and withdrawing are a lead's (docs/access.md), recorded as the lead
who signed in with `--as`; before the first user, as the name `--as` gives.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from frontdoor.access.roles import Permission, Role, roles_for
from frontdoor.console.commands.common import Refused, common, open_from, signed_in, who_is_using
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.crash import EXIT_PROBLEMS
from frontdoor.console.settings import Settings
from frontdoor.console.wiring import FrontDoor
from frontdoor.private_files import make_folders, write_private
from frontdoor.triage_scripts import governance
from frontdoor.triage_scripts.catalogue import ScriptSummary, summaries
from frontdoor.triage_scripts.governance import Submission
from frontdoor.triage_scripts.loader import Problem, script_files
from frontdoor.triage_scripts.version_records import (
    ChangeRefused,
    UnknownScript,
    UnknownVersion,
    VersionRecord,
    check_name,
)

_VERSION = click.option("--version", "version", type=click.IntRange(min=1), metavar="N")
SUBMITTERS = roles_for(Permission.SUBMIT_SCRIPTS)
APPROVERS = roles_for(Permission.APPROVE_SCRIPTS)


def _signed_in(
    settings: Settings, as_user: str | None, roles: frozenset[Role], command: str
) -> tuple[FrontDoor, str]:
    """The library, and who is doing it as the record names them: the lead who signed in;
    before the first user, the name `--as` (or FRONTDOOR_USER) gives, never the login
    name, since a second person approves and the two must be told apart."""
    front = open_signed_in(settings, as_user, roles, command, check_library=False)
    if signed_in(front):
        return front, who_is_using(settings, as_user, front)
    try:
        return front, check_name(as_user or settings.user or "")
    except ValueError as exc:
        raise Refused(str(exc)) from None


def _problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem))


@contextmanager
def _library_rules() -> Iterator[None]:
    """The library's refusals in words: exit 1 with the lint lines; unknown scripts and
    versions are bad usage (exit 2)."""
    try:
        yield
    except ChangeRefused as exc:
        _problems(exc.problems)
        click.echo(f"frontdoor: refused: {exc.reason}", err=True)
        sys.exit(EXIT_PROBLEMS)
    except (UnknownScript, UnknownVersion) as exc:
        raise Refused(f"{exc}: 'frontdoor scripts list' shows the scripts there are") from None


def _when(front: FrontDoor, at: dt.datetime | None) -> str:
    return (
        at.astimezone(ZoneInfo(front.settings.time_zone)).strftime("%Y-%m-%d %H:%M") if at else ""
    )


@click.command("submit")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--note", help="What changed and why, for whoever approves it.")
@as_option
@common
def scripts_submit(
    settings: Settings, paths: tuple[Path, ...], note: str | None, as_user: str | None
) -> None:
    """Store each file as a new draft version, once it passes lint and its tests with
    the published scripts it hands on to and from; a second person approves it."""
    files = []
    for path in script_files(paths):
        try:
            files.append(Submission(str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise Refused(f"cannot read {path}: {exc}; give script files (YAML)") from None
    front, name = _signed_in(settings, as_user, SUBMITTERS, "scripts submit")
    with _library_rules():
        done = governance.submit(
            front.scripts, files, name, front.clock(), front.lint_context(), note
        )
    _problems(list(done.warnings))
    for record in done.records:
        click.echo(
            f"{record.ref} submitted by {name} as a draft: another lead approves it with "
            f"'frontdoor scripts approve {record.script} --version {record.version} --as NAME'"
        )


@click.command("approve")
@click.argument("script")
@_VERSION
@as_option
@common
def scripts_approve(
    settings: Settings, script: str, version: int | None, as_user: str | None
) -> None:
    """Publish a draft (the newest unless --version): never one you submitted, and only
    while it passes lint and its tests against today's library."""
    front, name = _signed_in(settings, as_user, APPROVERS, "scripts approve")
    with _library_rules():
        done = governance.approve(
            front.scripts, script, version, name, front.clock(), front.lint_context()
        )
    _problems(list(done.warnings))
    (record,) = done.records
    click.echo(
        f"{record.ref} published, approved by {name}: every console runs it from its next "
        "call (a call in progress keeps the version it started with)"
    )


@click.command("retire")
@click.argument("script")
@as_option
@common
def scripts_retire(settings: Settings, script: str, as_user: str | None) -> None:
    """Stop offering a script; refused while a published script hands on to it."""
    front, name = _signed_in(settings, as_user, APPROVERS, "scripts retire")
    with _library_rules():
        record = governance.retire(
            front.scripts, script, name, front.clock(), front.needed_scripts()
        )
    click.echo(f"{record.ref} retired by {name}: no new call is offered it")


@click.command("withdraw")
@click.argument("script")
@_VERSION
@as_option
@common
def scripts_withdraw(
    settings: Settings, script: str, version: int | None, as_user: str | None
) -> None:
    """Take back a draft (the newest unless --version) so that it is never published."""
    front, name = _signed_in(settings, as_user, SUBMITTERS, "scripts withdraw")
    with _library_rules():
        record = governance.withdraw(front.scripts, script, version, name, front.clock())
    click.echo(f"{record.ref} withdrawn by {name}")


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _summary_row(front: FrontDoor, item: ScriptSummary) -> list[str]:
    review = item.review_by.isoformat() if item.review_by else ""
    approved = f"{item.approved_by} {_when(front, item.approved_at)}" if item.approved_by else ""
    return [
        item.script,
        item.title,
        f"v{item.published_version}" if item.published_version else item.state,
        ", ".join(f"v{n}" for n in item.draft_versions),
        item.owner or "",
        f"{review} OVERDUE" if item.review_overdue else review,
        approved,
    ]


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON list sorted by script id.")
@common
def scripts_list(settings: Settings, as_json: bool) -> None:
    """Every script: title, published version, drafts waiting, owner, review date
    (overdue marked), last approved by."""
    front = open_from(settings, check_library=False)
    found = summaries(front.scripts, front.local_now().date())
    if as_json:
        _echo_json([item.to_json() for item in found])
        return
    header = ["SCRIPT", "TITLE", "PUBLISHED", "DRAFTS", "OWNER", "REVIEW BY", "APPROVED BY"]
    _table(header, [_summary_row(front, item) for item in found])


def _history_row(front: FrontDoor, record: VersionRecord) -> list[str]:
    # superseded, retired or withdrawn: the state says which, this says by whom and when
    ended = f"{record.ended_by} {_when(front, record.ended_at)}" if record.ended_by else ""
    return [
        f"v{record.version}",
        record.state,
        f"{record.submitted_by} {_when(front, record.submitted_at)}",
        f"{record.approved_by} {_when(front, record.approved_at)}" if record.approved_by else "",
        ended,
        record.note or "",
    ]


@click.command("history")
@click.argument("script")
@click.option("--json", "as_json", is_flag=True, help="A JSON list, oldest version first.")
@common
def scripts_history(settings: Settings, script: str, as_json: bool) -> None:
    """Every version of a script: who submitted and approved it, when, its note, state."""
    front = open_from(settings, check_library=False)
    with _library_rules():
        records = front.scripts.history(script)
    if as_json:
        _echo_json([record.to_json() for record in records])
        return
    header = ["VERSION", "STATE", "SUBMITTED", "APPROVED", "ENDED", "NOTE"]
    _table(header, [_history_row(front, record) for record in records])


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@common
def scripts_export(settings: Settings, folder: Path) -> None:
    """Write the published library as YAML files (version, status, approved_by and
    approved_on from the record), one SCRIPT.yaml each."""
    front = open_from(settings, check_library=False)
    files = governance.exported(front.scripts)
    try:
        make_folders(folder)
        for name, text in files:
            write_private(folder / name, text)
    except OSError as exc:
        raise Refused(f"cannot write to {folder}: {exc}; give a folder you can write to") from None
    click.echo(f"{len(files)} published script(s) written to {folder}", err=True)


VERSION_COMMANDS: list[click.Command] = [
    scripts_submit,
    scripts_approve,
    scripts_retire,
    scripts_withdraw,
    scripts_list,
    scripts_history,
    scripts_export,
]

__all__ = ["VERSION_COMMANDS"]
