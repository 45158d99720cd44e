"""Who the audit names (access/audit.py), in a module of its own: the console names its
handler before its ready screen is painted, and the audit's module brings the ORM, which
the console imports behind that screen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who is doing it, as the audit names them: the signed-in user and their role (or,
    before the first user, the operating system's user with every role), and where."""

    user: str
    role: str
    workstation: str
