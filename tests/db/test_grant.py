"""`frontdoor db grant` on a real PostgreSQL server: the workstations' role works the
console's whole day (users, sign-in, a contact started and closed, a referral changed,
each audited) and the server itself refuses it any change to an audit row."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from frontdoor.access.audit import AuditQuery
from frontdoor.console.cli import main
from frontdoor.console.settings import Settings, load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.interactions.model import NewContact
from frontdoor.referrals.store import StateChange
from tests.conftest import FakeClock, unavailable
from tests.referrals.test_contacts_file import load

APP_PASSWORD = "the workstations password"
PASSWORD = "correct horse battery"


@pytest.fixture
def app_role(postgres_admin: Engine) -> Iterator[str]:
    """A login role of the test's own, as a site makes the one its workstations use.
    Dropped after the test's database (the fixture is asked for first)."""
    with postgres_admin.connect() as connection:
        may = connection.execute(
            text("SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar()
        if not may:
            unavailable("the test server's user may not create roles: .ci/run gives it CREATEROLE")
        name = f"fd_app_{uuid.uuid4().hex[:10]}"
        connection.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD '{APP_PASSWORD}'"))
        # a member may end the role's connections, as dropping the test's database does
        connection.execute(text(f"GRANT {name} TO CURRENT_USER"))
    yield name
    with postgres_admin.connect() as connection:
        connection.execute(text(f"DROP ROLE IF EXISTS {name}"))


def grant(db: str, role: str):
    return CliRunner().invoke(main, ["db", "grant", "--app-role", role, "--db", db])


def test_the_app_role_works_but_cannot_change_the_audit(
    app_role: str, postgres_url: str, tmp_path: Path
) -> None:
    owner = make_url(postgres_url)
    missing = grant(postgres_url, "no_such_role_here")
    assert missing.exit_code == 2 and "there is no role 'no_such_role_here'" in missing.output
    itself = grant(postgres_url, str(owner.username))
    assert itself.exit_code == 2 and "owns the tables" in itself.output
    granted = grant(postgres_url, app_role)
    assert granted.exit_code == 0, granted.output
    assert f"{app_role} has only SELECT, INSERT on audit_events (no UPDATE, DELETE, TRUNCATE)" in (
        granted.output
    )
    assert f"{app_role} has only SELECT, UPDATE on audit_head" in granted.output

    as_app = owner.set(username=app_role, password=APP_PASSWORD)
    app_url = as_app.render_as_string(hide_password=False)
    clock = FakeClock()
    # the app's own start: the schema checked, the release's scripts brought in
    front = open_front_door(_settings(app_url, tmp_path), clock=clock)
    try:
        front.users.add("ada", "admin", PASSWORD)
        assert front.users.sign_in("ada", PASSWORD, "desk-1").name == "ada"
        contact = front.record.start_contact(NewContact(handler="ada", caller="01472 000111"))
        clock.advance(60)
        front.record.close_incomplete(contact)
        assert front.record.contact(contact).status == "closed"
        referred = {
            "id": "c-granted",
            "channel": "email",
            "caller_type": "public",
            "received_at": "2026-11-23T08:00:00Z",
            "services": [{"service": "district-nursing", "action": "referred"}],
        }
        assert load(front, [json.dumps(referred)]).loaded
        [referral] = front.referrals.made_in("c-granted")
        front.referrals.change(StateChange(referral.id, "received", clock(), "nurses", None))
        assert front.referrals.get(referral.id).state == "received"
        signed = front.trail.entries(AuditQuery(user="ada"))
        assert [e.event for e in signed][-1] == "sign_in"
    finally:
        front.engine.dispose()

    engine = create_engine(as_app)
    try:
        for change in (
            "UPDATE audit_events SET detail = 'nothing happened'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "DELETE FROM audit_head",
        ):
            with (
                pytest.raises(ProgrammingError, match="permission denied"),
                engine.begin() as connection,
            ):
                connection.execute(text(change))
    finally:
        engine.dispose()
    said = CliRunner().invoke(
        main,
        ["audit", "verify", "--as", "ada", "--db", app_url],
        env={"FRONTDOOR_PASSWORD": PASSWORD, "FRONTDOOR_USER": None},
    )
    assert said.exit_code == 0 and said.output.startswith("the audit trail is whole"), said.output


def _settings(url: str, tmp_path: Path) -> Settings:
    return load_settings(db=url, log_file=tmp_path / "log", journal=tmp_path / "journal")


def test_a_sqlite_database_has_no_roles_to_grant(settings: Settings) -> None:
    done = grant(settings.db, "frontdoor_app")
    assert done.exit_code == 2
    assert done.output == (
        "frontdoor: a SQLite database has no roles: its file's permissions are what protect "
        "it (readable and writable by its owner only); db grant is for PostgreSQL\n"
    )
