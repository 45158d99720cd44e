"""Who runs a command that touches personal data: `--as NAME` or FRONTDOOR_USER, with the
password from FRONTDOOR_PASSWORD or asked on the terminal, and their role checked
against the command's (docs/access.md). A refusal is one sentence and exit 2.

Before the first user exists nobody signs in: the command runs as the operating
system's user with every role, so the first admin can be made."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from frontdoor.access.audit import Actor, AuditEvent, AuditTrail, Concerns
from frontdoor.access.roles import Role
from frontdoor.access.users import SignInRefused, UserStore
from frontdoor.console.commands.common import Refused, open_from
from frontdoor.console.settings import Settings
from frontdoor.console.wiring import FrontDoor, workstation

F = TypeVar("F", bound=Callable[..., Any])

PASSWORD_VARIABLE = "FRONTDOOR_PASSWORD"
# a new password (users add, users password): never an option, so never in argv or history
NEW_PASSWORD_VARIABLE = "FRONTDOOR_NEW_PASSWORD"


def as_option(func: F) -> F:
    """`--as NAME` on a command that needs a user."""
    return click.option(
        "--as",
        "as_user",
        metavar="NAME",
        help=(
            "Sign in as NAME (default: FRONTDOOR_USER); the password is asked, or read "
            f"from {PASSWORD_VARIABLE}."
        ),
    )(func)


def _roles_words(roles: frozenset[Role]) -> str:
    names = [r.value for r in Role if r in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _password(name: str) -> str:
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise Refused(
            f"{name}'s password is needed: set {PASSWORD_VARIABLE}, or run this at a terminal "
            "to be asked"
        )
    return str(click.prompt(f"Password for {name}", hide_input=True, err=True))


def new_password(name: str) -> str:
    """A new password for `name`: from FRONTDOOR_NEW_PASSWORD, else typed twice at the
    terminal, hidden; two that differ change nothing."""
    given = os.environ.get(NEW_PASSWORD_VARIABLE)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise Refused(
            f"{name}'s new password is needed: set {NEW_PASSWORD_VARIABLE}, or run this at a "
            "terminal to be asked for it twice"
        )
    first = str(click.prompt(f"New password for {name}", hide_input=True, err=True))
    again = str(click.prompt("The same password again", hide_input=True, err=True))
    if first != again:
        raise Refused("the two passwords typed differ, so nothing was changed: run it again")
    return first


def sign_in(
    front: FrontDoor, settings: Settings, as_user: str | None, roles: frozenset[Role], command: str
) -> Actor:
    """The user the command runs as, signed in and allowed `command`; the audit's actor
    from now on. Refused (exit 2) otherwise."""
    return admit(front.trail, front.users, settings, as_user, roles, command)


def admit(
    trail: AuditTrail,
    users: UserStore,
    settings: Settings,
    as_user: str | None,
    roles: frozenset[Role],
    command: str,
) -> Actor:
    """`sign_in` on the trail and users of a database still being opened."""
    if users.count() == 0:
        return trail.actor
    name = (as_user or settings.user or "").strip()
    if not name:
        raise Refused(
            f"{command} needs a user: give --as NAME (or set FRONTDOOR_USER), with the "
            f"password in {PASSWORD_VARIABLE} or typed when asked"
        )
    try:
        user = users.sign_in(name, _password(name), workstation())
    except SignInRefused as exc:
        raise Refused(str(exc)) from None
    actor = Actor(user.name, user.role.value, workstation())
    if user.role not in roles:
        trail.record_now(
            AuditEvent.SIGN_IN_REFUSED,
            Concerns(about_user=user.name, detail=f"role may not run {command}"),
            actor=actor,
        )
        article = "an" if user.role is Role.ADMIN else "a"
        raise Refused(
            f"{user.name} is {article} {user.role.value}, and {command} is for "
            f"{_roles_words(roles)} users only"
        )
    trail.actor = actor
    return actor


def open_signed_in(
    settings: Settings, as_user: str | None, roles: frozenset[Role], command: str, **opening: Any
) -> FrontDoor:
    """The database, with the command's user signed in (see `sign_in`) as soon as its
    schema is current: before the script library is read, or anything written."""

    def signing_in(trail: AuditTrail, users: UserStore) -> None:
        admit(trail, users, settings, as_user, roles, command)

    return open_from(settings, admit=signing_in, **opening)
