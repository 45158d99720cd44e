"""Roles and what each may do: the one table every check reads (docs/access.md)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    HANDLER = "handler"
    SUPERVISOR = "supervisor"
    LEAD = "lead"
    ADMIN = "admin"


class Permission(StrEnum):
    # take calls, see a caller's or person's history, search the directory
    TAKE_CALLS = "take_calls"
    # record referral states and follow-ups, produce handovers
    REFERRALS = "referrals"
    # the wallboard, MI reports, every handler's state
    SUPERVISE = "supervise"
    # correct the directory, submit scripts
    EDIT_DIRECTORY = "edit_directory"
    SUBMIT_SCRIPTS = "submit_scripts"
    # approve (or retire) scripts; never one the same person submitted
    APPROVE_SCRIPTS = "approve_scripts"
    # users, imports and exports of contacts, purge, audit reports, people and consent
    ADMINISTER = "administer"


_ROLES: dict[Permission, frozenset[Role]] = {
    Permission.TAKE_CALLS: frozenset({Role.HANDLER, Role.SUPERVISOR, Role.LEAD}),
    Permission.REFERRALS: frozenset({Role.HANDLER, Role.SUPERVISOR, Role.LEAD}),
    Permission.SUPERVISE: frozenset({Role.SUPERVISOR, Role.LEAD}),
    Permission.EDIT_DIRECTORY: frozenset({Role.LEAD}),
    Permission.SUBMIT_SCRIPTS: frozenset({Role.LEAD}),
    Permission.APPROVE_SCRIPTS: frozenset({Role.LEAD}),
    Permission.ADMINISTER: frozenset({Role.ADMIN}),
}

# Said when a role is refused: what the permission lets a person do.
WHAT: dict[Permission, str] = {
    Permission.TAKE_CALLS: "take calls and see people's records",
    Permission.REFERRALS: "record referral states and follow-ups",
    Permission.SUPERVISE: "see the wallboard and the MI",
    Permission.EDIT_DIRECTORY: "correct the directory",
    Permission.SUBMIT_SCRIPTS: "submit scripts",
    Permission.APPROVE_SCRIPTS: "approve scripts",
    Permission.ADMINISTER: "manage users, contacts files, purges and the audit",
}


def roles_for(permission: Permission) -> frozenset[Role]:
    return _ROLES[permission]


def may(roles: frozenset[Role] | Role, permission: Permission) -> bool:
    """Whether a person with `roles` may do it (before the first user, the operating
    system's user has every role, so a set)."""
    held = frozenset({roles}) if isinstance(roles, Role) else roles
    return bool(held & _ROLES[permission])


def read_role(text: str) -> Role:
    """A role from what someone typed, or ValueError naming the roles there are."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise ValueError(
            f"there is no role {text!r}: the roles are " + ", ".join(r.value for r in Role)
        ) from None


EVERY_ROLE = frozenset(Role)
