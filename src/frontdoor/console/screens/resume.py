"""Contacts left open when the console stopped: resume one, or close it as incomplete."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from frontdoor.interactions.model import Contact
from frontdoor.words import in_words


def unfinished_text(contact: Contact, zone: ZoneInfo) -> Text:
    when = contact.received_at.astimezone(zone).strftime("%a %d %b %H:%M")
    text = Text(f"{when}  {in_words(contact.caller_type)}")
    if contact.subject_name:
        text.append(f"  about {contact.subject_name}")
    steps = sum(a.kind == "answer" for a in contact.answers)
    text.append(f"  {steps} answer(s) given", style="dim")
    return text


class ResumeScreen(ModalScreen[tuple[str, str] | None]):
    """Dismisses with ('resume' | 'close', contact id), or None to decide later."""

    BINDINGS = [
        Binding("r", "choose('resume')", "Resume"),
        Binding("c", "choose('close')", "Close as incomplete"),
        Binding("escape", "later", "Later"),
    ]
    DEFAULT_CSS = """
    ResumeScreen { align: center middle; }
    ResumeScreen > Vertical { width: 90; height: auto; max-height: 80%; border: thick $warning;
                              padding: 1 2; background: $surface; }
    ResumeScreen OptionList { height: auto; max-height: 12; }
    """

    def __init__(self, contacts: list[Contact], zone: ZoneInfo) -> None:
        super().__init__()
        self.contacts = contacts
        self.zone = zone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(
                    f"{len(self.contacts)} unfinished contact(s) from an earlier "
                    "session. Everything answered so far was saved.",
                    style="bold",
                )
            )
            yield OptionList(
                *[Option(unfinished_text(c, self.zone), id=c.id) for c in self.contacts],
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def action_choose(self, what: str) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        self.dismiss((what, option.id or ""))

    def action_later(self) -> None:
        self.dismiss(None)
