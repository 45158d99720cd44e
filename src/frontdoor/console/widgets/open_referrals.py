"""The referrals not ended about this caller or person, before triage starts: a chasing
call is answered from the record. Each says its id (read out on the phone), the service,
when it was made, its state and when the team is due to respond, in local time; an
overdue one says OVERDUE in words as well as in red, and a safeguarding one that it is not
to be discussed with the caller (calls/discretion.py). Hidden when there are none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from frontdoor.calls.chases import last_team_chase
from frontdoor.calls.discretion import safeguarding_referral
from frontdoor.console.widgets.history import SAFEGUARDING_WARNING
from frontdoor.referrals.model import Referral

SHOWN = 5  # listed; the rest are counted (the call screen keeps room for triage)
WHEN = "%a %d %b %H:%M"


def referral_line(
    referral: Referral, now: dt.datetime, zone: ZoneInfo, about: bool = False
) -> Text:
    """One referral on one line (two when this call chased it or the team was chased)."""
    overdue = referral.overdue_at(now)
    text = Text()
    text.append(referral.id, style="bold")
    text.append(f"  {referral.service_name}  ")
    text.append(referral.state, style="cyan")
    text.append(f"  made {referral.made_at.astimezone(zone):{WHEN}}")
    text.append(f"  due {referral.due_at.astimezone(zone):{WHEN}}")
    if overdue:
        text.append("  OVERDUE", style="bold white on red")
    notes = []
    if about:
        notes.append("this call is about it")
    chases = referral.caller_chases
    if chases:
        notes.append(f"chased by callers {chases} time{'s' if chases != 1 else ''}")
    team = last_team_chase(referral)
    if team is not None:
        notes.append(f"team chased {team.astimezone(zone):{WHEN}}")
    if notes:
        text.append("\n    " + " · ".join(notes), style="yellow" if about else "dim")
    if safeguarding_referral(referral):
        text.append(f"\n    {SAFEGUARDING_WARNING}", style="bold white on red")
    return text


def referrals_text(
    referrals: Sequence[Referral],
    now: dt.datetime,
    zone: ZoneInfo,
    about: Collection[str] = (),
) -> Text:
    text = Text()
    for number, referral in enumerate(referrals[:SHOWN], start=1):
        if number > 1:
            text.append("\n")
        text.append_text(referral_line(referral, now, zone, referral.id in about))
    if len(referrals) > SHOWN:
        text.append(f"\n…and {len(referrals) - SHOWN} more", style="dim")
    return text


def referrals_title(referrals: Sequence[Referral], now: dt.datetime) -> str:
    overdue = sum(1 for r in referrals if r.overdue_at(now))
    title = f"Open referrals: {len(referrals)}"
    return f"{title}, {overdue} OVERDUE" if overdue else title


class OpenReferralsPanel(Static):
    """Shows the open referrals the screen hands it; hidden while there are none."""

    DEFAULT_CSS = """
    OpenReferralsPanel { height: auto; max-height: 12; border: round $error 60%;
                         padding: 0 1; display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # what is on screen: the form looks referrals up at each key typed, and most
        # lookups find what is shown already (nothing to lay out again while typing)
        self._shown: tuple[object, ...] | None = None

    def show(
        self,
        referrals: Sequence[Referral],
        now: dt.datetime,
        zone: ZoneInfo,
        about: Collection[str] = (),
    ) -> None:
        shown = (list(referrals), sorted(about), now.replace(second=0, microsecond=0))
        if shown == self._shown:
            return
        self._shown = shown
        self.display = bool(referrals)
        if referrals:
            self.update(referrals_text(referrals, now, zone, about))
            self.border_title = referrals_title(referrals, now)
