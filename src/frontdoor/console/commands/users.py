"""`frontdoor users add / list / disable / password / role`: named users and their roles,
for admins (docs/access.md).

Passwords are never options, so they never reach argv, a shell's history or `ps`: a new
one is typed twice, hidden, or read from FRONTDOOR_NEW_PASSWORD. While no admin exists,
`users add` asks nobody to sign in, so that the first admin can be made.

Exit 0 done; 2 bad usage (a name that cannot be a user's, no such user, a weak password,
the last admin, a user who may not).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

import click

from frontdoor.access.audit import Actor, AuditTrail
from frontdoor.access.passwords import WeakPassword
from frontdoor.access.roles import Permission, Role, read_role, roles_for
from frontdoor.access.users import User, UserError, UserStore, read_name
from frontdoor.console.commands.common import Refused, common, open_from
from frontdoor.console.commands.signing import (
    admit,
    as_option,
    new_password,
    open_signed_in,
)
from frontdoor.console.settings import Settings
from frontdoor.console.wiring import FrontDoor

ADMIN = roles_for(Permission.ADMINISTER)
# The audit's role for whoever adds users while none is an admin (the demo's users only,
# say): anyone at the keyboard may, so that a site can make its first admin.
NO_ADMIN_ROLE = "anyone (no admin yet)"
DISPLAY_NAME_LENGTH = 200
T = TypeVar("T")
_ROLE = click.Choice([role.value for role in Role], case_sensitive=False)


@click.group()
def users() -> None:
    """Named users and their roles (for admins)."""


def _done(change: Callable[[], T]) -> T:
    """A change to users, its refusals in words (exit 2)."""
    try:
        return change()
    except (UserError, WeakPassword) as exc:
        raise Refused(str(exc)) from None


def _opened_for_adding(settings: Settings, as_user: str | None) -> FrontDoor:
    """The database, with an admin signed in; or, while no admin exists, nobody: the
    first admin is made by whoever is at the keyboard."""

    def an_admin_if_any(trail: AuditTrail, people: UserStore) -> None:
        if people.any_admin():
            admit(trail, people, settings, as_user, ADMIN, "users add")
        elif people.count():
            trail.actor = Actor(trail.actor.user, NO_ADMIN_ROLE, trail.actor.workstation)

    return open_from(settings, check_library=False, admit=an_admin_if_any)


def _admin(settings: Settings, as_user: str | None, command: str) -> FrontDoor:
    return open_signed_in(settings, as_user, ADMIN, command, check_library=False)


def _existing(front: FrontDoor, name: str) -> User:
    user = front.users.get(name)
    if user is None:
        raise Refused(
            f"there is no user {name.strip()!r}: `frontdoor users list` shows who there is"
        )
    return user


@users.command("add")
@click.argument("name")
@click.option("--role", "role_text", required=True, type=_ROLE, help="Their one role.")
@click.option(
    "--display-name", help="The name colleagues know them by, shown on screens (default: NAME)."
)
@as_option
@common
def users_add(
    settings: Settings,
    name: str,
    role_text: str,
    display_name: str | None,
    as_user: str | None,
) -> None:
    """Add user NAME (lower-case letters, digits, dots, dashes) with one role. The
    password is typed twice, hidden, or read from FRONTDOOR_NEW_PASSWORD; at least 12
    characters."""
    name = _done(lambda: read_name(name))
    role = read_role(role_text)
    if display_name is not None and len(display_name.strip()) > DISPLAY_NAME_LENGTH:
        raise Refused(f"--display-name is longer than {DISPLAY_NAME_LENGTH} characters")
    front = _opened_for_adding(settings, as_user)
    if front.users.get(name) is not None:
        raise Refused(
            f"there is already a user {name}: `frontdoor users role` or `users password` change one"
        )
    password = new_password(name)
    user = _done(lambda: front.users.add(name, role, password, display_name))
    shown = f" ({user.display_name})" if user.display_name else ""
    click.echo(f"{user.name}{shown} added as {user.role.value}")
    if not front.users.any_admin():
        click.echo(
            "frontdoor: note: there is no admin yet, so anyone here can add users: add one "
            "(frontdoor users add NAME --role admin)",
            err=True,
        )


def _local(at: dt.datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


def _utc(at: dt.datetime | None) -> str | None:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if at else None


def _locked_until(user: User, now: dt.datetime) -> dt.datetime | None:
    """A lock that has run out is no lock."""
    return user.locked_until if user.locked_until and user.locked_until > now else None


def _user_json(user: User, now: dt.datetime) -> dict[str, object]:
    return {
        "name": user.name,
        "display_name": user.display_name,
        "role": user.role.value,
        "active": user.active,
        "disabled_at": _utc(user.disabled_at),
        "locked_until": _utc(_locked_until(user, now)),
        "last_sign_in_at": _utc(user.last_sign_in_at),
        "created_at": _utc(user.created_at),
    }


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of objects, by name.")
@as_option
@common
def users_list(settings: Settings, as_json: bool, as_user: str | None) -> None:
    """Every user: name, display name, role, active or disabled, locked until, last
    sign-in (local time). Never a password or its hash."""
    front = _admin(settings, as_user, "users list")
    found, now = front.users.all(), front.clock()
    if as_json:
        click.echo(json.dumps([_user_json(u, now) for u in found], indent=2, ensure_ascii=False))
        return
    zone = ZoneInfo(settings.time_zone)
    rows = [
        [
            u.name,
            u.display_name or "",
            u.role.value,
            "active" if u.active else f"disabled {_local(u.disabled_at, zone)}",
            _local(_locked_until(u, now), zone),
            _local(u.last_sign_in_at, zone),
        ]
        for u in found
    ]
    header = ["NAME", "DISPLAY NAME", "ROLE", "STATE", "LOCKED UNTIL", "LAST SIGN-IN"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


@users.command("disable")
@click.argument("name")
@as_option
@common
def users_disable(settings: Settings, name: str, as_user: str | None) -> None:
    """Stop NAME signing in, for good: how someone who leaves is removed. The user stays,
    so the audit's names always mean someone."""
    front = _admin(settings, as_user, "users disable")
    user = _done(lambda: front.users.disable(name))
    click.echo(f"{user.name} is disabled: they can no longer sign in")


@users.command("password")
@click.argument("name")
@as_option
@common
def users_password(settings: Settings, name: str, as_user: str | None) -> None:
    """Set NAME's password (typed twice, hidden, or FRONTDOOR_NEW_PASSWORD); it also
    unlocks an account locked after failed sign-ins."""
    front = _admin(settings, as_user, "users password")
    user = _existing(front, name)
    password = new_password(user.name)
    _done(lambda: front.users.set_password(user.name, password))
    click.echo(f"{user.name}'s password is set, and the account is unlocked")


@users.command("role")
@click.argument("name")
@click.argument("role_text", metavar="ROLE", type=_ROLE)
@as_option
@common
def users_role(settings: Settings, name: str, role_text: str, as_user: str | None) -> None:
    """Give NAME another role (handler, supervisor, lead or admin): they have it from
    their next sign-in."""
    front = _admin(settings, as_user, "users role")
    user = _done(lambda: front.users.set_role(name, role_text))
    click.echo(f"{user.name} is now {'an' if user.role is Role.ADMIN else 'a'} {user.role.value}")
