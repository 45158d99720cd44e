"""Previous contacts for this caller or person: a repeat or chasing call is visible
before triage starts. Each says, in the service's own words rather than codes, when it
was, what it was about and how it ended, who called, who took it, the services it was
given and the first line of its notes; a safeguarding contact says it is not to be
discussed, and not who reported it nor what they said (calls/discretion.py)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from frontdoor.calls.discretion import safeguarding_contact
from frontdoor.console.vocabulary import Vocabulary
from frontdoor.interactions.model import Contact

SHOWN = 4  # contacts listed; the rest are counted
# said of a safeguarding contact or referral, wherever one is shown during a call
SAFEGUARDING_WARNING = "SAFEGUARDING: not to be discussed with the caller, whoever they are"
NOTES_WIDTH = 100


def first_line(notes: str | None) -> str | None:
    line = next((s.strip() for s in (notes or "").splitlines() if s.strip()), None)
    if line and len(line) > NOTES_WIDTH:
        return line[: NOTES_WIDTH - 1] + "…"
    return line


def _contact_lines(contact: Contact, zone: ZoneInfo, vocab: Vocabulary) -> Text:
    text = Text()
    when = contact.received_at.astimezone(zone).strftime("%a %d %b %H:%M")
    text.append(f"{when}  ")
    # who it was about, when not the caller: one caller rings about more than one person
    if contact.subject_name and not contact.caller_is_person:
        text.append(f"about {contact.subject_name}  ", style="bold")
    labels = vocab.labels
    text.append(labels.category(contact.category), style="cyan")
    text.append(" · ")
    outcome = contact.outcome
    text.append(labels.outcome(outcome) if outcome else "Still open", style="bold")
    if contact.demand:
        text.append(f" · {labels.demand_label(contact.demand)}", style="magenta")
    withheld = safeguarding_contact(contact)
    caller_type = labels.caller_type(contact.caller_type) if contact.caller_type else None
    who = ", ".join(part for part in (contact.caller_name, caller_type) if part)
    if withheld:  # who reported a concern is not for whoever rings next
        parts = ["Caller: not shown"]
    else:
        parts = [f"Caller: {who}" if who else "Caller not recorded"]
    parts.append(f"Handler: {contact.handler}" if contact.handler else "Not answered")
    parts += [f"{s.action.capitalize()} to {s.service_name}" for s in contact.services]
    text.append("\n  " + " · ".join(parts), style="dim")
    if withheld:
        text.append(f"\n  {SAFEGUARDING_WARNING}", style="bold white on red")
        return text
    notes = first_line(contact.notes)
    if notes:
        text.append(f"\n  “{notes}”", style="italic")
    return text


def history_text(history: list[Contact], days: int, zone: ZoneInfo, vocab: Vocabulary) -> Text:
    if not history:
        return Text(
            f"No contacts from this caller or about this person in the last {days} days.",
            style="dim",
        )
    count = len(history)
    text = Text()
    text.append(
        f"{count} contact{'s' if count != 1 else ''} in the last {days} days",
        style="bold yellow",
    )
    for contact in history[:SHOWN]:
        text.append("\n")
        text.append_text(_contact_lines(contact, zone, vocab))
    if count > SHOWN:
        text.append(f"\n…and {count - SHOWN} earlier", style="dim")
    return text


class HistoryPanel(Static):
    """Shows earlier contacts; the screen hands it the list."""

    DEFAULT_CSS = """
    HistoryPanel { height: auto; max-height: 14; border: round $warning 50%; padding: 0 1; }
    """

    def __init__(self, vocabulary: Vocabulary, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.vocabulary = vocabulary

    def show(self, history: list[Contact], days: int, zone: ZoneInfo) -> None:
        self.update(history_text(history, days, zone, self.vocabulary))
        self.border_title = "Previous contacts"

    def withhold(self, words: str) -> None:
        """Nothing of the history, and why (it could not be audited as looked at)."""
        self.update(Text(words, style="bold red"))
        self.border_title = "Previous contacts not shown"
