"""What a call needs to know of the service's settings, given to it (never read here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from dataclasses import dataclass, field

from frontdoor.calls.escalation import EscalationGuide
from frontdoor.local_time import BankHolidays
from frontdoor.triage_scripts.model import ESCALATE_SAFEGUARDING, ESCALATIONS, Escalation


@dataclass(frozen=True)
class CallSettings:
    time_zone: str = "Europe/London"
    # a contact from the same caller or person, in the same category, this soon after an
    # earlier one is suggested as a repeat
    repeat_window_days: int = 7
    # how far back the caller's and the person's earlier contacts are shown
    history_days: int = 30
    # a console holds the contact it has open this long, and renews it well before then;
    # a console that has gone lets it lapse, and only then is it offered for resume
    lease_seconds: int = 30
    # what F8 and F9 say and suggest, by escalation end (escalate_emergency,
    # escalate_safeguarding); none given: they record the red flag and outcome only
    escalations: Mapping[str, EscalationGuide] = field(default_factory=dict)
    # the library's script that F9 hands the call on to, at its start
    safeguarding_script: str | None = None
    # the service's calendar: a script's `now.bank_holiday`
    bank_holidays: Container[dt.date] = field(default_factory=BankHolidays)

    def escalation_ends(self) -> dict[str, Escalation]:
        """The escalation ends as the runner needs them: what to say, and F9's hand-on
        (a call's, and a rehearsal's that records nothing)."""
        return {
            name: Escalation(
                say=guide.say if (guide := self.escalations.get(name)) else None,
                goto_script=self.safeguarding_script if name == ESCALATE_SAFEGUARDING else None,
            )
            for name in ESCALATIONS
        }
