"""`frontdoor users` and `frontdoor audit` as an administrator uses them: the first admin,
the others, a lock and its end, the role and the leaving; who looked at a person's record,
by any key to them and by local days; the chain verified, broken, and checked against an
anchor kept outside."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import select
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from frontdoor.access.audit import Actor, AuditEvent, Concerns
from frontdoor.console.cli import main
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door
from tests.access.hashing import quick_argon2
from tests.conftest import FakeClock, copy_sqlite
from tests.referrals.test_contacts_file import load
from tests.triage_scripts.changing import reworded

PASSWORD = "correct horse battery"
NHS_NUMBER = "9434765919"
UTC = dt.UTC


@pytest.fixture(autouse=True, scope="module")
def quick_hashes() -> Iterator[None]:
    """(the terminal's test runs in a process of its own, at the real cost)"""
    with quick_argon2():
        yield


def run(db: str, *args: str, user: str | None = "ada", **env: str | None):
    environment: dict[str, str | None] = {
        "FRONTDOOR_USER": None,
        "FRONTDOOR_PASSWORD": PASSWORD,
        "FRONTDOOR_NEW_PASSWORD": None,
        **env,
    }
    as_user = ("--as", user) if user else ()
    return CliRunner().invoke(main, [*args, *as_user, "--db", db], env=environment)


def opened(db: str, clock: FakeClock | None = None) -> FrontDoor:
    return open_front_door(load_settings(db=db), clock=clock or FakeClock(), migrate=False)


def test_an_admin_keeps_the_users(tmp_path: Path, sqlite_template: Path) -> None:
    db = copy_sqlite(sqlite_template, tmp_path / "users.db")
    new = {"FRONTDOOR_NEW_PASSWORD": PASSWORD}
    first = run(db, "users", "add", "Ada", "--role", "admin", "--display-name", "Ada L", **new)
    assert (first.exit_code, first.stdout) == (0, "ada (Ada L) added as admin\n")
    weak = run(db, "users", "add", "hal", "--role", "handler", FRONTDOOR_NEW_PASSWORD="short one")
    assert weak.exit_code == 2 and "a password is at least 12 characters" in weak.stderr
    no_password = run(db, "users", "add", "hal", "--role", "handler")
    assert no_password.stderr == (
        "frontdoor: hal's new password is needed: set FRONTDOOR_NEW_PASSWORD, or run this "
        "at a terminal to be asked for it twice\n"
    )
    assert run(db, "users", "add", "hal", "--role", "handler", **new).exit_code == 0
    again = run(db, "users", "add", "hal", "--role", "lead", **new)
    assert again.exit_code == 2 and "there is already a user hal" in again.stderr
    bad_name = run(db, "users", "add", "Hal Jones", "--role", "lead", **new)
    assert bad_name.exit_code == 2 and "cannot be a user name" in bad_name.stderr

    # five wrong passwords lock hal; the list says until when, and a new password unlocks
    for _ in range(5):
        run(db, "referrals", "list", user="hal", FRONTDOOR_PASSWORD="not hal's password")
    listed = run(db, "users", "list")
    assert listed.exit_code == 0 and "argon2" not in listed.stdout
    header, ada, hal = listed.stdout.splitlines()
    assert header.split("  ")[:3] == ["NAME", "DISPLAY NAME", "ROLE"]
    assert ada.split()[:4] == ["ada", "Ada", "L", "admin"]
    assert hal.split()[:3] == ["hal", "handler", "active"]
    [(ada_json, hal_json)] = [json.loads(run(db, "users", "list", "--json").stdout)]
    assert set(hal_json) == {
        "name",
        "display_name",
        "role",
        "active",
        "disabled_at",
        "locked_until",
        "last_sign_in_at",
        "created_at",
    }
    assert hal_json["locked_until"] is not None and hal_json["last_sign_in_at"] is None
    assert ada_json["last_sign_in_at"] is not None
    reset = run(db, "users", "password", "hal", FRONTDOOR_NEW_PASSWORD="a new password 2")
    assert reset.stdout == "hal's password is set, and the account is unlocked\n"
    unlocked = run(db, "referrals", "list", user="hal", FRONTDOOR_PASSWORD="a new password 2")
    assert unlocked.exit_code == 0, unlocked.output

    assert run(db, "users", "role", "hal", "supervisor").stdout == "hal is now a supervisor\n"
    assert run(db, "users", "role", "nobody", "lead").exit_code == 2
    last = run(db, "users", "disable", "ada")
    assert last.exit_code == 2 and "ada is the last admin" in last.stderr
    assert run(db, "users", "disable", "hal").stdout == (
        "hal is disabled: they can no longer sign in\n"
    )
    gone = run(db, "referrals", "list", user="hal", FRONTDOOR_PASSWORD="a new password 2")
    assert gone.exit_code == 2 and "hal is disabled" in gone.stderr
    [_, hal_json] = json.loads(run(db, "users", "list", "--json").stdout)
    assert (hal_json["active"], hal_json["role"]) == (False, "supervisor")


def _site(tmp_path: Path, template: Path, clock: FakeClock) -> tuple[str, str]:
    """A person with one contact, an admin, and what people did, at fixed times: the
    database and the person's id."""
    db = copy_sqlite(template, tmp_path / "audit.db")
    front = opened(db, clock)
    try:
        contact = {
            "id": "c-1",
            "channel": "phone",
            "caller_type": "public",
            "subject_key": NHS_NUMBER,
            "received_at": "2026-03-28T09:00:00Z",
        }
        assert load(front, [json.dumps(contact)]).loaded
        person = front.record.contact("c-1").person_id
        assert person is not None
        front.users.add("ada", "admin", PASSWORD)
        hal, sue = (Actor("hal", "handler", "desk-1"), Actor("sue", "supervisor", "desk-2"))
        # Saturday 28 March 2026 23:30 GMT; the clocks go forward at 01:00 GMT on the 29th
        clock.now = dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
        front.trail.record_now(AuditEvent.PERSON_VIEWED, Concerns(person_id=person), actor=hal)
        # 29 March 23:30 UTC is 30 March 00:30 BST: a day later, locally
        clock.now = dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC)
        front.trail.record_now(AuditEvent.CONTACT_VIEWED, Concerns(contact_id="c-1"), actor=sue)
        front.trail.record_now(AuditEvent.CONTACT_VIEWED, Concerns(contact_id="c-2"), actor=sue)
    finally:
        front.engine.dispose()
    return db, person


def test_who_looked_at_this_persons_record(
    tmp_path: Path, sqlite_template: Path, clock: FakeClock
) -> None:
    db, person = _site(tmp_path, sqlite_template, clock)
    for key in (person, NHS_NUMBER, "943 476 5919", "c-1"):
        seen = run(db, "audit", "--person", key, "--to", "2026-03-31")
        assert seen.exit_code == 0, seen.output
        assert seen.stdout.splitlines() == [
            f"2026-03-28 23:30:00  hal  handler     desk-1  person_viewed   person {person}",
            "2026-03-30 00:30:00  sue  supervisor  desk-2  contact_viewed  contact c-1",
        ]
    # local days of the service: 23:30 GMT is the 28th's; 23:30 UTC a day later, in summer
    # time, is the 30th's, so the 29th holds neither
    assert run(db, "audit", "--person", "c-1", "--to", "2026-03-28").stdout.count("\n") == 1
    day = ("--from", "2026-03-29", "--to", "2026-03-29")
    assert run(db, "audit", "--person", "c-1", *day).stdout == ""
    assert run(db, "audit", "--user", "sue", *day).stdout == ""
    [one] = json.loads(run(db, "audit", "events", "--user", "hal", "--json").stdout)
    assert one == {
        "seq": one["seq"],
        "at": "2026-03-28T23:30:00Z",
        "user": "hal",
        "role": "handler",
        "workstation": "desk-1",
        "event": "person_viewed",
        "contact_id": None,
        "person_id": person,
        "referral_id": None,
        "script": None,
        "service_id": None,
        "about_user": None,
        "row_count": None,
        "destination": None,
        "detail": None,
    }
    nobody = run(db, "audit", "--person", "p-nobody")
    assert nobody.exit_code == 2 and "'p-nobody' leads to nobody: give a person id" in nobody.stderr
    backwards = run(db, "audit", "--from", "2026-03-30", "--to", "2026-03-29")
    assert backwards.exit_code == 2 and "--to is before --from" in backwards.stderr
    # every look at the audit is in it: the admin, the person, how many rows were shown
    front = opened(db, clock)
    try:
        looks = [e for e in front.trail.entries() if e.event == AuditEvent.REPORT]
    finally:
        front.engine.dispose()
    assert [(e.user, e.concerns.detail) for e in looks] == [("ada", "audit")] * 8
    assert (looks[0].concerns.person_id, looks[0].concerns.row_count) == (person, 2)


def test_verify_finds_a_row_changed_and_the_anchor_rows_removed_with_the_head(
    tmp_path: Path, sqlite_template: Path, clock: FakeClock
) -> None:
    db, _ = _site(tmp_path, sqlite_template, clock)
    front = opened(db, clock)
    rows = front.trail.anchor().count
    [hal] = [e.seq for e in front.trail.entries() if e.user == "hal"]
    whole = run(db, "audit", "verify")  # the admin's sign-in is a row more
    assert whole.exit_code == 0, whole.output
    assert whole.stdout.startswith(f"the audit trail is whole: {rows + 1} row(s), head")
    anchor = run(db, "audit", "anchor").stdout.strip()
    count, digest = anchor.split(":")
    assert int(count) == rows + 2 and len(digest) == 64
    try:
        with front.sessions.begin() as session:
            who = text('UPDATE audit_events SET "user" = :who WHERE seq = :seq')
            session.execute(who, {"who": "nobody", "seq": hal})
        broken = run(db, "audit", "verify")
        assert (broken.exit_code, broken.stdout) == (
            1,
            f"row {hal} was changed after it was written\n",
        )
        with front.sessions.begin() as session:
            session.execute(who, {"who": "hal", "seq": hal})
            # the anchored row and those after it taken out, the head wound back to match
            session.execute(text("DELETE FROM audit_events WHERE seq >= :n"), {"n": rows + 2})
            last = text("SELECT hash FROM audit_events WHERE seq = :n")
            head = session.execute(last, {"n": rows + 1}).scalar()
            wound = text("UPDATE audit_head SET count = :n, last_hash = :h")
            session.execute(wound, {"n": rows + 1, "h": head})
    finally:
        front.engine.dispose()
    assert run(db, "audit", "verify").exit_code == 0  # the chain alone cannot tell
    held = run(db, "audit", "verify", "--anchor", anchor)
    assert held.exit_code == 1
    # the check's own sign-in took the anchored row's place, but not its hash
    assert held.stdout == (
        f"row {rows + 2} is not the row anchored: the chain up to it was changed or rebuilt "
        "since the anchor was taken\n"
    )
    unreadable = run(db, "audit", "verify", "--anchor", "seven")
    assert unreadable.exit_code == 2 and "is not an anchor: give COUNT:HASH" in unreadable.stderr


def test_a_new_password_is_typed_twice_and_never_shown(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """The one test through a terminal: the double prompt is the terminal's."""
    db = copy_sqlite(sqlite_template, tmp_path / "prompt.db")
    command = [sys.executable, "-m", "frontdoor.console.cli"]
    command += ["users", "add", "ada", "--role", "admin", "--db", db]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
    child, terminal = pty.fork()
    if child == 0:  # pragma: no cover (the child process)
        os.execve(sys.executable, command, env)
    seen = b""
    for answer in (PASSWORD, PASSWORD):
        seen += _read_until(terminal, b": ")
        os.write(terminal, answer.encode() + b"\n")
    seen += _read_until(terminal, None)
    _, status = os.waitpid(child, 0)
    said = seen.decode()
    assert os.waitstatus_to_exitcode(status) == 0, said
    assert "New password for ada: " in said and "The same password again: " in said
    assert "ada added as admin" in said and PASSWORD not in said
    front = opened(db)
    try:
        assert front.users.sign_in("ada", PASSWORD, "desk").name == "ada"
    finally:
        front.engine.dispose()


def _read_until(terminal: int, end: bytes | None, limit: float = 60) -> bytes:
    """What the child writes, up to `end` (None: until it closes the terminal)."""
    got = b""
    while end is None or not got.endswith(end):
        ready, _, _ = select.select([terminal], [], [], limit)
        if not ready:
            raise AssertionError(f"the command said nothing more after {got!r}")
        try:
            chunk = os.read(terminal, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        got += chunk
    return got


def test_the_record_names_who_signed_in(
    tmp_path: Path, sqlite_directory_template: Path, clock: FakeClock
) -> None:
    """A handover and a script's submission and approval name the signed-in user, not a
    name typed; a referral's --by still names who at the team said so."""
    db = copy_sqlite(sqlite_directory_template, tmp_path / "names.db")
    front = opened(db, clock)
    referral = "R-2026-000321"
    try:
        contact = {
            "id": "c-names",
            "channel": "email",
            "caller_type": "public",
            "received_at": "2026-11-20T09:00:00Z",
            "consent": {"record": True, "share": True},
            "services": [
                {"service": "district-nursing", "action": "referred", "referral": {"id": referral}}
            ],
        }
        assert load(front, [json.dumps(contact)]).loaded
        for name, role in (("hal", "handler"), ("lee", "lead"), ("lee2", "lead")):
            front.users.add(name, role, PASSWORD)
    finally:
        front.engine.dispose()

    claimed = run(db, "referrals", "handover", referral, "--by", "someone.else", user="hal")
    assert claimed.exit_code == 2 and "produced by whoever signed in (hal)" in claimed.stderr
    assert run(db, "referrals", "handover", referral, user="hal").exit_code == 0
    said = run(db, "referrals", "set", referral, "received", "--by", "nurse.jo", user="hal")
    assert said.exit_code == 0 and said.stdout.endswith("by nurse.jo\n"), said.output
    moved = run(db, "referrals", "set", referral, "accepted", user="hal")
    assert moved.exit_code == 0 and moved.stdout.endswith("by hal\n"), moved.output

    script = tmp_path / "falls.yaml"
    script.write_text(reworded("falls").text)
    submitted = run(db, "scripts", "submit", str(script), user="lee")
    assert submitted.exit_code == 0 and "submitted by lee as a draft" in submitted.stdout
    own = run(db, "scripts", "approve", "falls", user="lee")
    assert own.exit_code == 1 and "was submitted by lee: a second person approves it" in (
        own.stderr
    )
    approved = run(db, "scripts", "approve", "falls", user="lee2")
    assert approved.exit_code == 0 and "approved by lee2" in approved.stdout

    front = opened(db, clock)
    try:
        [handover] = front.handovers.recorded(referral)
        assert handover.by == "hal"
        history = front.referrals.get(referral).history
        assert [(c.state, c.by) for c in history][-2:] == [
            ("received", "nurse.jo"),
            ("accepted", "hal"),
        ]
        last = front.scripts.history("falls")[-1]
        assert (last.submitted_by, last.approved_by) == ("lee", "lee2")
    finally:
        front.engine.dispose()
