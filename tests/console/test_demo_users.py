"""The demo users: in the default database on its first use and by `db upgrade
--demo-users`, never beside users of a site's own, and on the sign-in screen only while
their password still signs them in."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from frontdoor.access.demo import DEMO_NAMES, DEMO_PASSWORD, demo_sign_ins
from frontdoor.console.cli import main
from frontdoor.console.locations import default_db_url
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door

pytestmark = pytest.mark.usefixtures("quick_hashing")


def upgrade(db: str, *more: str):
    return CliRunner().invoke(main, ["db", "upgrade", "--db", db, *more])


def test_db_upgrade_adds_them_once_and_never_beside_a_sites_own_users(tmp_path, clock):
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    added = upgrade(db, "--demo-users")
    assert added.exit_code == 0, added.output
    assert "demo users added: demo, demo-supervisor, demo-lead" in added.output
    assert f"password {DEMO_PASSWORD}" in added.output
    assert "the demo users were there" in upgrade(db, "--demo-users").output

    front = open_front_door(load_settings(db=db), clock=clock, migrate=False)
    try:
        assert [u.name for u in demo_sign_ins(front.sessions)] == list(DEMO_NAMES)
        # a demo user disabled, another given a password of its own: not offered
        front.users.disable("demo-lead")
        front.users.set_password("demo", "a password of its own")
        assert [u.name for u in demo_sign_ins(front.sessions)] == ["demo-supervisor"]
        front.users.add("ann", "admin", "ann's own password")
    finally:
        front.engine.dispose()
    refused = upgrade(db, "--demo-users")
    assert refused.exit_code == 2
    assert refused.output.strip() == (
        "frontdoor: this database has users of its own (ann): the demo users, whose "
        "password anyone can read, are only for a demo or training database"
    )


def test_the_default_database_gets_them_on_its_first_use_only(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = load_settings(journal=tmp_path / "journal")
    assert settings.db == default_db_url()
    front = open_front_door(settings, clock=clock)  # `make run` on a new machine
    try:
        assert [u.name for u in front.users.all()] == sorted(DEMO_NAMES)
        assert front.directory.count() > 0
        front.users.disable("demo")
    finally:
        front.engine.dispose()
    again = open_front_door(settings, clock=clock)
    try:
        assert [u.name for u in again.users.all() if u.active] == ["demo-lead", "demo-supervisor"]
    finally:
        again.engine.dispose()
    # a site that says no demo gets none
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "site"))
    site = open_front_door(load_settings(journal=tmp_path / "j", seed_demo=False), clock=clock)
    try:
        assert site.users.count() == 0 and site.directory.count() == 0
    finally:
        site.engine.dispose()
