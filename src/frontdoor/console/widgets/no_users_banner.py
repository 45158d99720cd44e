"""The line every screen shows while the database has no users: nobody signed in, so
everyone at the keyboard has every role, and the way out of that."""

from __future__ import annotations

from textual.widgets import Static

NO_USERS = (
    "No users yet: anyone at this keyboard can do anything. "
    "Add an admin: frontdoor users add NAME --role admin"
)


class NoUsersBanner(Static):
    DEFAULT_CSS = """
    NoUsersBanner { dock: top; width: 100%; height: auto; padding: 0 1;
                    background: $warning; color: $text; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__(NO_USERS, markup=False)
