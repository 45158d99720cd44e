"""Which script to try: the library loaded today, by title. Choosing one opens it as a
rehearsal that records nothing (try_script.py); Esc goes back."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from frontdoor.calls.settings import CallSettings
from frontdoor.console.screens.try_script import TryScriptScreen, rehearsal
from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.runner import TriageError


def script_row(script: Script) -> Text:
    return Text(f"{script.title}  ({script.script} v{script.version})")


class ChooseScriptToTry(ModalScreen[None]):
    BINDINGS = [Binding("escape", "leave", "Back")]
    DEFAULT_CSS = """
    ChooseScriptToTry { align: center middle; }
    ChooseScriptToTry > Vertical { width: 80; height: 80%; border: thick $primary;
                                   padding: 0 1; background: $surface; }
    ChooseScriptToTry OptionList { height: 1fr; }
    """

    def __init__(self, library: Mapping[str, Script], settings: CallSettings) -> None:
        super().__init__()
        self.library = library
        self.settings = settings

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Try a script: it runs as a call that records nothing."))
            ordered = sorted(self.library.values(), key=lambda s: s.title.casefold())
            yield OptionList(
                *[Option(script_row(s), id=s.script) for s in ordered],
                id="scripts",
                markup=False,
            )
        yield Footer()

    @on(OptionList.OptionSelected, "#scripts")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        script = self.library.get(event.option.id or "")
        if script is None:
            return
        try:
            screen = TryScriptScreen(
                rehearsal(script, self.library, self.settings), guides=self.settings.escalations
            )
        except TriageError as exc:  # its start hands on to a script the library lacks
            self.notify(str(exc), title="Cannot try it", severity="error", markup=False)
            return
        self.app.switch_screen(screen)

    def action_leave(self) -> None:
        self.dismiss(None)
