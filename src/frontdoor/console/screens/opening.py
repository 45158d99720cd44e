"""The console's first screen, painted before its database is opened: it says the console
is getting ready. The keys typed meanwhile are kept by the app and handed to the screen
that follows it (the sign-in, or the ready screen), so none is lost.

Nothing here needs the database, the settings or the domain: it is all the first paint
imports of Front Door's own (tests/console/test_start_imports.py)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static


class OpeningScreen(Screen[None]):
    DEFAULT_CSS = """
    OpeningScreen { align: center middle; }
    OpeningScreen #opening { width: 76; height: auto; border: round $primary; padding: 1 2; }
    """

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Front Door\n\n", style="bold")
        text.append("Getting ready: opening the database and the scripts.\n")
        text.append("What you type now is kept for the next screen.", style="dim")
        with Center(), Vertical(id="opening"):
            yield Static(text, id="getting-ready")
