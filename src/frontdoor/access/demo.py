"""The demo's users: one per role that takes calls, with one password that the console's
sign-in screen shows, so that anyone trying Front Door can sign in as each role.

They are added only to a database with no users of its own (the default database on its
first use, `make demo`'s, a training copy): on a real site a password anyone can read
would be a way in. A site removes them with `frontdoor users disable`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.passwords import verify
from frontdoor.access.roles import Role
from frontdoor.access.tables import UserRow
from frontdoor.access.users import UserError, UserStore

DEMO_PASSWORD = "frontdoor-demo"


@dataclass(frozen=True)
class DemoUser:
    name: str
    role: Role
    display_name: str


DEMO_USERS = (
    DemoUser("demo", Role.HANDLER, "Demo Handler"),
    DemoUser("demo-supervisor", Role.SUPERVISOR, "Demo Supervisor"),
    DemoUser("demo-lead", Role.LEAD, "Demo Lead"),
)
DEMO_NAMES = tuple(u.name for u in DEMO_USERS)


def add_demo_users(store: UserStore) -> list[str]:
    """Add whichever demo users are missing (audited as any user added); their names.
    UserError on a database that has users of its own."""
    present = {u.name for u in store.all()}
    own = sorted(present - set(DEMO_NAMES))
    if own:
        raise UserError(
            f"this database has users of its own ({', '.join(own)}): the demo users, whose "
            "password anyone can read, are only for a demo or training database"
        )
    added = []
    for user in DEMO_USERS:
        if user.name not in present:
            store.add(user.name, user.role, DEMO_PASSWORD, display_name=user.display_name)
            added.append(user.name)
    return added


def demo_sign_ins(sessions: sessionmaker[Session]) -> list[DemoUser]:
    """The demo users one can sign in as with the demo password now: there, enabled, and
    the password not changed since (so the sign-in screen never shows a wrong one), each
    with the role they have now."""
    with sessions() as session:
        rows = {
            row.name: row
            for row in session.scalars(
                select(UserRow).where(UserRow.name.in_(DEMO_NAMES), UserRow.disabled_at.is_(None))
            )
        }
    return [
        DemoUser(user.name, Role(rows[user.name].role), user.display_name)
        for user in DEMO_USERS
        if user.name in rows and verify(rows[user.name].password_hash, DEMO_PASSWORD)
    ]
