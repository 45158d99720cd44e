"""Every command of the access table, run for real by a user of each role: a test per
cell. Allowed: the command's own result (exit 0, or 1 where the command itself refuses,
e.g. a lead approving a draft they submitted). Refused: exit 2 and one sentence, before
anything is read or written (the audit's last row for the user is the refusal).

The table as tested (`yes`: allowed; `-`: refused):

| command | handler | supervisor | lead | admin |
|---|---|---|---|---|
| `contacts import` | - | - | - | yes |
| `contacts export` | - | - | - | yes |
| `audit` | - | - | - | yes |
| `audit verify` | - | - | - | yes |
| `audit anchor` | - | - | - | yes |
| `users add` | - | - | - | yes |
| `users list` | - | - | - | yes |
| `users password` | - | - | - | yes |
| `users role` | - | - | - | yes |
| `users disable` | - | - | - | yes |
| `simulate` | - | - | - | yes |
| `mi report` | - | yes | yes | - |
| `queue stats` | - | yes | yes | - |
| `referrals list` | yes | yes | yes | - |
| `referrals set` | yes | yes | yes | - |
| `referrals update` | yes | yes | yes | - |
| `referrals handover` | yes | yes | yes | - |
| `directory import` | - | - | yes | - |
| `directory export` | - | - | yes | - |
| `scripts submit` | - | - | yes | - |
| `scripts approve` | - | - | yes | - |
| `scripts retire` | - | - | yes | - |
| `scripts withdraw` | - | - | yes | - |

`scripts withdraw` is not in the spec's table; it is a lead's, as submitting is.
"anyone" commands run with users present and no `--as`; with no users at all nothing is
asked; while no admin exists `users add` needs nobody, so the first admin can be made.

One database for the module, users added once; every run through click's CliRunner. The
cells are about who may run what, with a sign-in each: argon2id is used at its lowest
cost here (tests/access/test_core.py holds the stored hashes to the real cost).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from frontdoor.access.audit import Actor, AuditQuery, AuditTrail
from frontdoor.console.cli import main
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.directory.export import export_payload
from tests.access.hashing import quick_argon2
from tests.conftest import FakeClock, copy_sqlite
from tests.referrals.test_contacts_file import load
from tests.triage_scripts.changing import bundled_version, reworded

PASSWORD = "correct horse battery"
ROLES = ("handler", "supervisor", "lead", "admin")
USER = {"handler": "hal", "supervisor": "sue", "lead": "lee", "admin": "ada"}
REFERRAL = "R-2026-000777"
NHS_NUMBER = "9434765919"
CONTACT = {
    "id": "c-perm-1",
    "channel": "phone",
    "caller_type": "public",
    "caller_key": "+441472000999",
    "subject_key": NHS_NUMBER,
    "category": "physical_health",
    "received_at": "2026-04-02T13:50:00Z",
    "offered_at": "2026-04-02T13:50:00Z",
    "answered_at": "2026-04-02T13:50:20Z",
    "ended_at": "2026-04-02T14:00:00Z",
    "handler": "h.old",
    "consent": {"record": True, "share": True},
    "outcome": "referred",
    "demand": "new_need",
    "services": [
        {"service": "district-nursing", "action": "referred", "referral": {"id": REFERRAL}}
    ],
}
UPDATE_CSV = f"id,state,at,by,note\n{REFERRAL},received,2026-04-02T16:30,district nurses,\n"
QUEUE_LOG = "1778493600|1000.1|public|NONE|ENTERQUEUE||01724000999|1\n"


@dataclass(frozen=True)
class Cell:
    command: str  # as the refusal names it
    args: tuple[str, ...]  # after `frontdoor`; {files} filled from the fixture
    roles: frozenset[str]


def cell(command: str, *args: str, roles: str) -> Cell:
    return Cell(command, tuple(command.split()) + args, frozenset(roles.split()))


ADMIN, SUPERVISORS, TAKERS, LEAD = "admin", "supervisor lead", "handler supervisor lead", "lead"
CELLS = [
    cell("contacts import", "{contacts}", roles=ADMIN),
    cell("contacts export", roles=ADMIN),
    cell("audit", "--person", NHS_NUMBER, roles=ADMIN),
    cell("audit verify", roles=ADMIN),
    cell("audit anchor", roles=ADMIN),
    cell("users add", "newbie", "--role", "handler", roles=ADMIN),
    cell("users list", roles=ADMIN),
    cell("users password", "spare", roles=ADMIN),
    cell("users role", "spare", "supervisor", roles=ADMIN),
    cell("users disable", "leaver", roles=ADMIN),
    cell(
        "simulate", "--days", "1", "--calls-per-month", "30", "--start", "2026-04-06", roles=ADMIN
    ),
    cell("mi report", "--from", "2026-04-01", "--to", "2026-04-02", roles=SUPERVISORS),
    cell("queue stats", roles=SUPERVISORS),
    cell("referrals list", roles=TAKERS),
    cell("referrals set", REFERRAL, "accepted", roles=TAKERS),
    cell("referrals update", "{update}", roles=TAKERS),
    cell("referrals handover", REFERRAL, roles=TAKERS),
    cell("directory import", "{directory}", roles=LEAD),
    cell("directory export", roles=LEAD),
    cell("scripts submit", "{script}", roles=LEAD),
    cell("scripts approve", "falls", roles=LEAD),
    cell("scripts retire", "care-at-home", roles=LEAD),
    cell("scripts withdraw", "carers", roles=LEAD),
]
# Commands anyone may run, no sign-in: they show nothing personal and change no record.
ANYONE = [
    "db upgrade",
    "db grant",
    "scripts lint",
    "scripts test",
    "scripts list",
    "scripts show",
    "scripts history",
    "scripts diff",
    "scripts export",
    "scripts bench",
    "directory search",
    "directory validate",
    "directory bench",
    "directory paint-bench",
    "queue ingest",
    "queue bench",
    "mi bench",
]


def table_as_tested() -> str:
    lines = ["| command | " + " | ".join(ROLES) + " |", "|---|" + "---|" * len(ROLES)]
    for c in CELLS:
        marks = " | ".join("yes" if role in c.roles else "-" for role in ROLES)
        lines.append(f"| `{c.command}` | {marks} |")
    return "\n".join(lines)


def run(db: str, *args: str, user: str | None = None, password: str | None = PASSWORD, **env):
    environment: dict[str, str | None] = {
        "FRONTDOOR_USER": None,
        "FRONTDOOR_PASSWORD": password,
        "FRONTDOOR_NEW_PASSWORD": None,
        **env,
    }
    as_user = ("--as", user) if user else ()
    return CliRunner().invoke(main, [*args, *as_user, "--db", db], env=environment)


@dataclass(frozen=True)
class Site:
    db: str
    files: dict[str, str]

    def args(self, c: Cell) -> list[str]:
        return [a.format(**self.files) for a in c.args]

    def last_audit_of(self, name: str) -> tuple[str, str | None]:
        engine = make_engine(self.db)
        try:
            trail = AuditTrail(make_session_factory(engine), FakeClock(), Actor("t", "t", "t"))
            last = trail.entries(AuditQuery(user=name))[-1]
        finally:
            engine.dispose()
        return last.event, last.concerns.detail


@pytest.fixture(scope="module")
def quick_hashes() -> Iterator[None]:
    with quick_argon2():
        yield


@pytest.fixture(scope="module")
def site(
    quick_hashes: None, tmp_path_factory: pytest.TempPathFactory, sqlite_directory_template: Path
) -> Site:
    """A database with a contact about a person, its referral, the four roles' users (and
    a second lead's drafts of `falls` and `carers` waiting), and a small file for each command that
    reads one."""
    folder = tmp_path_factory.mktemp("permissions")
    db = copy_sqlite(sqlite_directory_template, folder / "site.db")
    front = open_front_door(load_settings(db=db), clock=FakeClock(), migrate=False)
    try:
        assert load(front, [json.dumps(CONTACT)]).loaded
        directory = folder / "directory.json"
        directory.write_text(json.dumps(export_payload(front.directory.all()[:1], "oruk")))
        for role, name in [*USER.items(), ("lead", "lee2"), ("handler", "spare")]:
            front.users.add(name, role, PASSWORD)
        for name in ("leaver", "locky"):
            front.users.add(name, "handler", PASSWORD)
    finally:
        front.engine.dispose()
    contacts = folder / "contacts.jsonl"
    contacts.write_text(json.dumps(CONTACT) + "\n")
    update = folder / "update.csv"
    update.write_text(UPDATE_CSV)
    script = folder / "falls.yaml"
    script.write_text(reworded("falls").text)
    carers = folder / "carers.yaml"
    carers.write_text(reworded("carers").text)
    drafted = run(db, "scripts", "submit", str(script), str(carers), user="lee2")
    assert drafted.exit_code == 0, drafted.output
    files = {"contacts": contacts, "update": update, "directory": directory, "script": script}
    return Site(db, {k: str(v) for k, v in files.items()})


def test_the_table_in_this_docstring_is_the_one_tested() -> None:
    assert table_as_tested() in (__doc__ or "")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("c", CELLS, ids=[c.command.replace(" ", "-") for c in CELLS])
def test_a_cell(site: Site, c: Cell, role: str) -> None:
    name = USER[role]
    done = run(site.db, *site.args(c), user=name, FRONTDOOR_NEW_PASSWORD="a new password 1")
    refusal = re.compile(rf"{name} is an? {role}, and {c.command} is for [a-z, ]+ users only")
    if role in c.roles:
        assert done.exit_code in (0, 1), done.output
        assert not refusal.search(done.output), done.output
        return
    assert done.exit_code == 2, done.output
    assert refusal.fullmatch(done.output.removeprefix("frontdoor: ").rstrip("\n")), done.output
    assert site.last_audit_of(name) == ("sign_in_refused", f"role may not run {c.command}")


def _paths(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    context = click.Context(group)
    for name in group.list_commands(context):  # `frontdoor` loads its groups when named
        command = group.get_command(context, name)
        assert command is not None, name
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.update(_paths(command, path + " "))
        if not isinstance(command, click.Group) or command.invoke_without_command:
            found[path] = command  # `frontdoor console` runs itself, and has `bench`
    return found


def test_the_commands_of_the_table_take_a_user_and_the_others_do_not() -> None:
    commands = _paths(main)
    named = {"audit": "audit events"}
    for c in CELLS:
        params = {p.name for p in commands[named.get(c.command, c.command)].params}
        assert "as_user" in params, c.command
    for name in ANYONE:
        assert "as_user" not in {p.name for p in commands[name].params}, name


def test_signing_in_refused_in_one_sentence(site: Site) -> None:
    listing = ("referrals", "list")
    cases = [
        (dict(user="hal", password="not the password"), "That name and password do not match"),
        (dict(user="nobody-here"), "That name and password do not match a user here."),
        (dict(user=None), "referrals list needs a user: give --as NAME (or set FRONTDOOR_USER)"),
        (dict(user="hal", password=None), "hal's password is needed: set FRONTDOOR_PASSWORD"),
    ]
    for how, words in cases:
        done = run(site.db, *listing, **how)  # type: ignore[arg-type]
        assert done.exit_code == 2 and done.output.startswith(f"frontdoor: {words}"), done.output
        assert done.output.count("\n") == 1, done.output
    # FRONTDOOR_USER names the user as --as does
    assert run(site.db, *listing, FRONTDOOR_USER="hal").exit_code == 0
    # the fifth wrong password locks the account; then even the right one is refused
    for _ in range(4):
        assert run(site.db, *listing, user="locky", password="wrong password").exit_code == 2
    fifth = run(site.db, *listing, user="locky", password="wrong password")
    assert "locky is now locked for 15 minutes after 5 failed sign-ins" in fifth.output
    locked = run(site.db, *listing, user="locky")
    assert (
        locked.exit_code == 2 and "locky is locked after 5 failed sign-ins until" in locked.output
    )


def test_anyone_commands_run_with_users_present_and_no_user_given(
    site: Site, tmp_path: Path
) -> None:
    queue_log = tmp_path / "queue_log"
    queue_log.write_text(QUEUE_LOG)
    for args in [
        ("db", "upgrade"),
        ("scripts", "list"),
        ("scripts", "show", "falls"),
        ("scripts", "history", "falls"),
        (
            "scripts",
            "diff",
            "falls",
            str(bundled_version("falls")),
            str(bundled_version("falls") + 1),
        ),
        ("scripts", "export", str(tmp_path / "exported")),
        ("scripts", "lint", "--no-directory", site.files["script"]),
        ("directory", "search", "falls"),
        ("queue", "ingest", str(queue_log)),
    ]:
        done = run(site.db, *args, user=None, password=None)
        assert done.exit_code in (0, 1), (args, done.output)
        assert "needs a user" not in done.output, args
    for args in (["scripts", "test", site.files["script"]], ["--version"]):
        done = CliRunner().invoke(main, args, env={"FRONTDOOR_USER": None})
        assert done.exit_code in (0, 1) and "needs a user" not in done.output, done.output


def test_before_the_first_user_nothing_is_asked_and_the_first_admin_needs_nobody(
    quick_hashes: None, tmp_path: Path, sqlite_template: Path
) -> None:
    db = copy_sqlite(sqlite_template, tmp_path / "new.db")
    assert run(db, "users", "list", user=None, password=None).exit_code == 0
    new = {"FRONTDOOR_NEW_PASSWORD": PASSWORD}
    handler = run(db, "users", "add", "hal", "--role", "handler", user=None, **new)
    assert handler.exit_code == 0 and "there is no admin yet" in handler.output
    # users exist, none an admin: the first admin is still made without signing in
    assert run(db, "users", "list", user=None).exit_code == 2
    first = run(db, "users", "add", "ada", "--role", "admin", user=None, **new)
    assert first.exit_code == 0 and first.output.startswith("ada added as admin"), first.output
    again = run(db, "users", "add", "bob", "--role", "admin", user=None, **new)
    assert again.exit_code == 2 and "users add needs a user" in again.output
