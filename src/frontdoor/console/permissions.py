"""What the console lets each role do: the permission every role-bound action needs, the
first screen a user may open, and a refusal in one sentence (the table itself is
access/roles.py's, read through `may`)."""

from __future__ import annotations

from typing import Literal

from frontdoor.access.roles import WHAT, Permission, Role, may, roles_for

# The app's actions a role may be refused, by the permission each needs.
ACTION_NEEDS: dict[str, Permission] = {
    "take_call": Permission.TAKE_CALLS,
    "new_contact": Permission.TAKE_CALLS,
    "call_about_referral": Permission.TAKE_CALLS,  # a new contact, about a referral
    "toggle_away": Permission.TAKE_CALLS,
    "browse_directory": Permission.TAKE_CALLS,  # searching the directory goes with calls
    "follow_ups": Permission.REFERRALS,
    "open_referral": Permission.REFERRALS,
    "wallboard": Permission.SUPERVISE,
    "management_information": Permission.SUPERVISE,
    "keep_directory": Permission.EDIT_DIRECTORY,
    # the scripts screen is where a lead approves a colleague's draft
    "scripts": Permission.APPROVE_SCRIPTS,
}

Screen = Literal["ready", "wallboard", "mi", "directory", "admin"]
SCREENS: tuple[Screen, ...] = ("ready", "wallboard", "mi", "directory", "admin")

SCREEN_NEEDS: dict[Screen, Permission] = {
    "ready": Permission.TAKE_CALLS,
    "wallboard": Permission.SUPERVISE,
    "mi": Permission.SUPERVISE,
    "directory": Permission.EDIT_DIRECTORY,
    "admin": Permission.ADMINISTER,
}

# Where each role starts: leads keep the directory, supervisors watch the wallboard.
ROLE_STARTS: dict[Role, Screen] = {
    Role.HANDLER: "ready",
    Role.SUPERVISOR: "wallboard",
    Role.LEAD: "directory",
    Role.ADMIN: "admin",
}

_SCREEN_WORDS: dict[Screen, str] = {
    "ready": "the ready screen",
    "wallboard": "the wallboard",
    "mi": "the MI",
    "directory": "the directory's upkeep",
    "admin": "the admin screen",
}


def _people(roles: frozenset[Role]) -> str:
    names = [f"{r.value}s" for r in Role if r in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _a(roles: frozenset[Role]) -> str:
    """'A handler', 'An admin': who is refused (a signed-in user has one role)."""
    role = next((r.value for r in Role if r in roles), "nobody signed in")
    return ("An " if role[0] in "aeiou" else "A ") + role


def refusal(roles: frozenset[Role], action: str) -> str | None:
    """Why `roles` may not run `action`, in one sentence; None when they may (or the
    action is not one a role is refused)."""
    needs = ACTION_NEEDS.get(action)
    if needs is None or may(roles, needs):
        return None
    return f"{_a(roles)} may not {WHAT[needs]} here: that is for {_people(roles_for(needs))}."


def first_screen(
    roles: frozenset[Role], asked: str | None = None, role: str | None = None
) -> tuple[Screen, str | None]:
    """The screen a session opens on, and what to say if the one asked for (`--open`, or
    `--role`'s first screen) may not be opened: `asked` first, then the role's start,
    then the user's own role's start."""
    said: str | None = None
    wanted: list[Screen] = [s for s in SCREENS if s == asked]
    wanted += [ROLE_STARTS[r] for r in Role if r.value == role]
    wanted += [ROLE_STARTS[r] for r in Role if r in roles and len(roles) == 1]
    for screen in wanted:
        if may(roles, SCREEN_NEEDS[screen]):
            return screen, said
        said = said or (
            f"{_a(roles)} may not open {_SCREEN_WORDS[screen]}: that is for "
            f"{_people(roles_for(SCREEN_NEEDS[screen]))}."
        )
    return ("ready" if may(roles, Permission.TAKE_CALLS) else "admin"), said
