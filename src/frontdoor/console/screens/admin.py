"""What an admin finds in the console: that their work is the `frontdoor` command.

An admin manages users, contacts files, purges and the audit, and takes no calls and
sees nobody's record (the permissions table, access/roles.py), so the console has
nothing more to offer them than this, signing out and quitting."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

COMMANDS = [
    ("frontdoor users add NAME --role ROLE", "a user (users list, disable, password, role)"),
    ("frontdoor audit --person KEY", "who looked at a person's record (audit verify)"),
    ("frontdoor contacts export / import", "contacts files"),
    ("frontdoor people export KEY", "all that is held about one person"),
    ("frontdoor records purge --before DATE", "personal data past the retention time"),
]


def admin_text(name: str, service_name: str) -> Text:
    text = Text()
    text.append(f"{service_name}\n", style="bold")
    text.append(f"Signed in as {name}, an admin.\n\n")
    text.append(
        "An admin takes no calls and sees nobody's record here: the console has nothing "
        "for you but signing out. The admin work is the frontdoor command, at a terminal, "
        f"signed in with --as {name}:\n\n"
    )
    for command, what in COMMANDS:
        text.append(f"  {command}\n", style="bold")
        text.append(f"      {what}\n")
    text.append("\nfrontdoor --help lists every command.")
    return text


class AdminScreen(Screen[None]):
    BINDINGS = [
        # a handler's keys, which the app leaves out of the footer and refuses in words
        # for an admin (an admin reaching for them is told why, not met with silence)
        Binding("t", "app.take_call", "Take next call"),
        Binding("n", "app.new_contact", "New contact"),
        Binding("o", "app.sign_out", "Sign out"),
        Binding("q", "app.quit", "Quit"),
    ]
    DEFAULT_CSS = """
    AdminScreen { align: center middle; }
    AdminScreen #admin { width: 80; height: auto; border: round $primary; padding: 1 2; }
    """

    def __init__(self, name: str, service_name: str) -> None:
        super().__init__()
        self.admin_name = name
        self.service_name = service_name

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="admin"):
            yield Static(admin_text(self.admin_name, self.service_name))
        yield Footer()
