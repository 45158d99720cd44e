"""Previous contacts for this caller or person: a repeat or chasing call is visible
before triage starts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from frontdoor.interactions.model import Contact


def history_text(history: list[Contact], days: int, zone: ZoneInfo) -> Text:
    if not history:
        return Text(
            f"No contacts from this caller or about this person in the last {days} days.",
            style="dim",
        )
    text = Text()
    text.append(f"{len(history)} contact(s) in the last {days} days", style="bold yellow")
    for contact in history[:6]:
        when = contact.received_at.astimezone(zone).strftime("%a %d %b %H:%M")
        ends = ", ".join(e.node.replace("_", " ") for e in contact.ends) or "no end reached"
        services = ", ".join(s.service_name for s in contact.services)
        text.append(f"\n{when}  ")
        text.append(contact.category or "uncategorised", style="cyan")
        text.append(f"  {contact.outcome or 'open'}", style="bold")
        text.append(f"  ({ends})")
        if services:
            text.append(f"  -> {services}")
        if contact.demand:
            text.append(f"  [{contact.demand}]", style="magenta")
    return text


class HistoryPanel(Static):
    """Shows earlier contacts; the screen hands it the list."""

    DEFAULT_CSS = """
    HistoryPanel { height: auto; max-height: 9; border: round $warning 50%; padding: 0 1; }
    """

    def show(self, history: list[Contact], days: int, zone: ZoneInfo) -> None:
        self.update(history_text(history, days, zone))
        self.border_title = "Previous contacts"
