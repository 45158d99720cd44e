"""Users, sign-in with lock-out, and the audit chain, on both databases."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import text

from frontdoor.access.audit import (
    MANY_ROWS,
    Actor,
    Anchor,
    AuditEvent,
    AuditQuery,
    AuditTrail,
    Concerns,
    append_many,
)
from frontdoor.access.passwords import WeakPassword
from frontdoor.access.roles import Permission, Role, may
from frontdoor.access.tables import UserRow
from frontdoor.access.users import SignInRefused, UserError, UserStore
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.db.migrate import upgrade
from tests.conftest import FakeClock

GOOD = "correct horse battery"
DESK = Actor("system", "admin", "desk-1")


@pytest.fixture
def parts(db_url: str, clock: FakeClock):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    trail = AuditTrail(sessions, clock, DESK)
    yield sessions, trail, UserStore(sessions, clock, trail), clock
    engine.dispose()


def test_the_table_of_permissions_is_the_specs() -> None:
    assert may(Role.HANDLER, Permission.TAKE_CALLS)
    assert not may(Role.HANDLER, Permission.SUPERVISE)
    assert may(Role.SUPERVISOR, Permission.SUPERVISE)
    assert not may(Role.SUPERVISOR, Permission.EDIT_DIRECTORY)
    assert may(Role.LEAD, Permission.APPROVE_SCRIPTS)
    assert not may(Role.ADMIN, Permission.TAKE_CALLS)
    assert may(Role.ADMIN, Permission.ADMINISTER)
    assert not may(Role.LEAD, Permission.ADMINISTER)


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(parts) -> None:  # type: ignore[no-untyped-def]
    sessions, trail, users, clock = parts
    users.add("ann", "handler", GOOD, display_name="Ann Hale")
    with sessions() as session:
        stored = session.get(UserRow, "ann")
        assert stored is not None and GOOD not in stored.password_hash
        # RFC 9106's second recommended setting: 64 MiB, three passes, four lanes
        assert stored.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    for _ in range(4):
        with pytest.raises(SignInRefused, match="do not match"):
            users.sign_in("ann", "wrong password!", "desk-1")
    with pytest.raises(SignInRefused, match="now locked for 15 minutes"):
        users.sign_in("ann", "wrong password!", "desk-1")
    # the right password does not open a locked account
    with pytest.raises(SignInRefused, match="locked after 5 failed sign-ins"):
        users.sign_in("ANN", GOOD, "desk-1")
    clock.advance(15 * 60 + 1)
    assert users.sign_in("ann", GOOD, "desk-1").role is Role.HANDLER
    events = [e.event for e in trail.entries(AuditQuery(user="ann"))]
    assert events == ["sign_in_refused"] * 6 + ["sign_in"]
    # a name that is no user's is audited without what was typed
    with pytest.raises(SignInRefused):
        users.sign_in("my secret password", GOOD, "desk-1")
    last = trail.entries()[-1]
    assert last.user == "(unknown name)" and "secret" not in repr(last)


def test_users_are_checked_and_the_last_admin_stays(parts) -> None:  # type: ignore[no-untyped-def]
    _, _, users, _ = parts
    with pytest.raises(WeakPassword, match="at least 12"):
        users.add("bob", "lead", "short")
    with pytest.raises(UserError, match="cannot be a user name"):
        users.add("Bob Smith", "lead", GOOD)
    with pytest.raises(ValueError, match="the roles are handler, supervisor, lead, admin"):
        users.add("bob", "boss", GOOD)
    users.add("root-admin", "admin", GOOD)
    with pytest.raises(UserError, match="last admin"):
        users.disable("root-admin")
    with pytest.raises(UserError, match="already a user"):
        users.add("root-admin", "lead", GOOD)
    users.add("second", "admin", GOOD)
    assert users.disable("root-admin").disabled_at is not None
    with pytest.raises(SignInRefused, match="disabled"):
        users.sign_in("root-admin", GOOD, "desk")


def test_the_chain_finds_a_row_changed_removed_or_the_last_one_gone(parts, db_url: str) -> None:  # type: ignore[no-untyped-def]
    sessions, trail, _, clock = parts
    for n in range(5):
        clock.advance(1)
        trail.record_now(AuditEvent.CONTACT_VIEWED, Concerns(contact_id=f"c-{n}", person_id="p-1"))
    assert trail.verify().ok and trail.verify().rows == 5
    anchor = trail.anchor()
    assert Anchor.read(str(anchor)) == anchor and anchor.count == 5
    assert [e.concerns.contact_id for e in trail.entries(AuditQuery(person_id="p-1"))] == [
        f"c-{n}" for n in range(5)
    ]
    with sessions() as session, session.begin():
        session.execute(text("UPDATE audit_events SET \"user\" = 'someone' WHERE seq = 2"))
    result = trail.verify()
    assert result.problems == ["row 2 was changed after it was written"]
    with sessions() as session, session.begin():
        session.execute(text("UPDATE audit_events SET \"user\" = 'system' WHERE seq = 2"))
        session.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    assert trail.verify().problems == ["row 3 is missing"]


def test_removing_the_last_row_is_found_by_the_head_and_the_anchor(parts) -> None:  # type: ignore[no-untyped-def]
    sessions, trail, _, _ = parts
    for n in range(3):
        trail.record_now(AuditEvent.EXPORT, Concerns(row_count=n, destination="out.jsonl"))
    anchor = trail.anchor()
    with sessions() as session, session.begin():
        session.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    assert trail.verify().problems == [
        "the last 1 row(s) are missing: the head counts 3, the table ends at 2"
    ]
    # and if the head is wound back too, the anchor kept outside still finds it
    with sessions() as session, session.begin():
        head = trail.entries()[-1]
        session.execute(text("UPDATE audit_head SET count = 2, last_hash = :h"), {"h": head.hash})
    assert trail.verify().ok
    assert trail.verify(anchor).problems == [
        "the anchor counts 3 rows but the chain ends at 2: rows were removed since the "
        "anchor was taken"
    ]


def test_a_row_is_written_with_what_it_records_or_not_at_all(parts) -> None:  # type: ignore[no-untyped-def]
    sessions, trail, _, _ = parts
    with pytest.raises(RuntimeError), sessions() as session, session.begin():
        trail.record(session, AuditEvent.CONTACT_CHANGED, Concerns(contact_id="c-1"))
        raise RuntimeError("the change failed")
    assert trail.entries() == [] and trail.anchor().count == 0


def test_a_rows_hash_is_over_its_canonical_text_as_first_written(parts) -> None:  # type: ignore[no-untyped-def]
    """The chain's text pinned: a row written now hashes what rows always hashed (JSON of
    a fixed list, times in UTC to the microsecond), or older chains would stop verifying."""
    sessions, trail, _, _ = parts
    at = dt.datetime(2026, 3, 2, 10, 14, 5, 123, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    concerns = Concerns(contact_id="c-1", row_count=3, detail="café")
    with sessions() as session, session.begin():
        first, second = append_many(
            session,
            Actor("h.jones", "handler", "ws-1"),
            at,
            [(AuditEvent.CONTACT_CLOSED, concerns)] * 2,
        )
    text = (
        f'[{second.seq},"2026-03-02T09:14:05.000123+00:00","h.jones","handler","ws-1",'
        f'"{AuditEvent.CONTACT_CLOSED.value}","c-1",null,null,null,null,null,3,null,"caf\\u00e9"]'
    )
    assert second.prev_hash == first.hash
    assert second.hash == hashlib.sha256(f"{first.hash}\n{text}".encode()).hexdigest()
    # an import's many rows go another way to the database: kept as they were hashed
    with sessions() as session, session.begin():
        many = append_many(
            session,
            Actor("h.jones", "handler", "ws-1"),
            at,
            [(AuditEvent.CONTACT_CLOSED, concerns)] * MANY_ROWS,
        )
    assert many[0].prev_hash == second.hash
    verified = trail.verify()
    assert verified.ok and verified.rows == MANY_ROWS + 2
