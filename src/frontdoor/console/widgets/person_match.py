"""Who the contact may be about: a person on file the new-contact form found, for the
handler to confirm (the same person: their earlier contacts show) or reject (not them: a
new person is kept), one key each. An exact match (the same NHS number; the same name,
date of birth and postcode) needs no answer.

Only what tells two people apart is shown (name, postcode district, how many contacts),
never their details: the handler asks the caller, the screen does not tell them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from frontdoor.interactions.model import Contact
from frontdoor.people.model import Agreement, Decision, Field, Match, MatchDecision, MatchKind
from frontdoor.referrals.model import Referral


@dataclass(frozen=True)
class PersonOnFile:
    match: Match
    contacts: int  # about them in the record, ever


@dataclass(frozen=True)
class Lookup:
    """What the form's lookup found: earlier contacts, a person who may be the one, and
    the referrals not ended about them or from this caller."""

    history: list[Contact]
    person: PersonOnFile | None
    referrals: list[Referral] = field(default_factory=list)


_SAID = {  # how a field's agreement reads to the handler
    Agreement.SAME: "same",
    Agreement.VARIANT: "another form of the name",
    Agreement.TYPO: "nearly the same",
    Agreement.INITIAL: "the initial fits",
    Agreement.TRANSPOSED: "day and month swapped",
    Agreement.ONE_DIGIT: "one digit different",
    Agreement.DISTRICT: "same district",
    Agreement.DIFFERENT: "different",
}
_FIELD = {
    Field.FORENAME: "first name",
    Field.SURNAME: "surname",
    Field.DOB: "date of birth",
    Field.POSTCODE: "postcode",
    Field.PHONE: "phone",
}


def summary(on_file: PersonOnFile) -> str:
    """'Doreen Price, DN31, 2 contacts'."""
    person = on_file.match.person
    count = on_file.contacts
    parts = [person.name or "no name on file", person.district or "", f"{count} contact"]
    parts[-1] += "" if count == 1 else "s"
    return ", ".join(p for p in parts if p)


def evidence(match: Match) -> str:
    if match.kind == MatchKind.NHS_NUMBER:
        return "the same NHS number"
    if match.kind == MatchKind.SUBJECT_KEY:
        return "the same name, date of birth and postcode"
    if match.score is None:
        return ""
    said = [
        f"{_FIELD[f.field]}: {_SAID[f.agreement]}"
        for f in match.score.fields
        if f.agreement != Agreement.UNKNOWN
    ]
    missing = [_FIELD[f.field] for f in match.score.fields if f.agreement == Agreement.UNKNOWN]
    if missing:
        said.append(f"nothing to compare: {', '.join(missing)}")
    return " · ".join(said)


def match_text(on_file: PersonOnFile, decision: Decision | None) -> Text:
    match = on_file.match
    text = Text()
    if match.exact:
        text.append("Known person: ", style="bold green")
        text.append(summary(on_file))
        text.append(f"  ({evidence(match)})", style="dim")
        return text
    if decision == Decision.CONFIRMED:
        text.append("Same person: ", style="bold green")
        text.append(summary(on_file))
        text.append("  (you confirmed; F4 if not)", style="dim")
    elif decision == Decision.REJECTED:
        text.append("Not the same person as ", style="bold")
        text.append(summary(on_file))
        text.append(": a new person will be kept  (F3 if it is them)", style="dim")
    else:
        label = "Probable match: " if match.kind == MatchKind.PROBABLE else "Possible match: "
        text.append(label, style="bold yellow")
        text.append(summary(on_file))
        text.append("  F3 same person · F4 not the same", style="bold")
    text.append(f"\n{evidence(match)}", style="dim")
    return text


class PersonMatchPanel(Static):
    """The person on file the form found, and the handler's decision about them. The
    screen hands it each lookup's person and binds the keys (the handler types in the
    form's fields, so the keys must work from there)."""

    DEFAULT_CSS = """
    PersonMatchPanel { height: auto; padding: 0 1; margin: 0 1; border: round $accent 50%; }
    """

    class Decided(Message):
        """The handler confirmed or rejected the person on file."""

        def __init__(self, decision: MatchDecision) -> None:
            super().__init__()
            self.decision = decision

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.on_file: PersonOnFile | None = None
        self._decision: MatchDecision | None = None

    def on_mount(self) -> None:
        self.display = False
        self.border_title = "Person on file"

    def show(self, on_file: PersonOnFile | None) -> None:
        """A lookup's person. A decision stands while the same person is found: typing
        more that finds someone else (or nobody) leaves nothing decided."""
        self.on_file = on_file
        if self._decision and (
            on_file is None or on_file.match.person.id != self._decision.person_id
        ):
            self._decision = None
        self.display = on_file is not None
        if on_file is not None:
            self.update(match_text(on_file, self._decision.decision if self._decision else None))

    @property
    def can_decide(self) -> bool:
        return self.on_file is not None and not self.on_file.match.exact

    @property
    def decision(self) -> MatchDecision | None:
        """The decision to record with the contact, if the handler made one."""
        return self._decision

    @property
    def confirmed(self) -> str | None:
        """The person the handler confirmed, whose contacts the history should show."""
        if self._decision and self._decision.decision == Decision.CONFIRMED:
            return self._decision.person_id
        return None

    def decide(self, decision: Decision, by: str, at: dt.datetime) -> None:
        if self.on_file is None or not self.can_decide:
            return
        self._decision = MatchDecision.of(self.on_file.match, decision, by, at)
        self.update(match_text(self.on_file, decision))
        self.post_message(self.Decided(self._decision))
