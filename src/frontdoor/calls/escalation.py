"""What the two escalation keys say and suggest: the service's guidance (given from its
config, never read here) and the services for the person's area at this time of day.

F8 and F9 can be pressed at any question of any script, so what to say and whom to call
cannot come from the script: it comes from here, the same for every script.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frontdoor.directory.eligibility import Filters
from frontdoor.directory.hours import open_status
from frontdoor.directory.model import Service
from frontdoor.interactions.model import Action

if TYPE_CHECKING:  # numpy and the stemmer come with it: not for the console's first paint
    from frontdoor.directory.search import SearchIndex


@dataclass(frozen=True)
class Suggestion:
    """Services to suggest: those of `services` that cover the person's area (all of
    them when none does, rather than none), and, when none of those is open now,
    `out_of_hours` too (the duty team that answers when the day team is closed)."""

    services: tuple[str, ...]
    action: Action
    out_of_hours: Suggestion | None = None


@dataclass(frozen=True)
class EscalationGuide:
    """One escalation key: what to say and do now, the category it gives the contact
    (None: the category of the script it was pressed in), the services it suggests."""

    title: str
    say: str
    category: str | None = None
    suggest: tuple[Suggestion, ...] = ()


@dataclass(frozen=True)
class EscalationAdvice:
    """What the escalation reached in a call says now: the guidance, the services for
    this person at this moment, and why those (a team closed, the out-of-hours team
    suggested instead)."""

    node: str
    title: str
    say: str
    services: tuple[tuple[Service, Action], ...]
    notes: tuple[str, ...]


def _for_area(index: SearchIndex, ids: Sequence[str], area: str | None) -> list[Service]:
    by_id = index.services(ids)
    services = [by_id[i] for i in ids if i in by_id]
    if area is None:
        return services
    covering = [s for s in services if not index.eligibility.check(s, Filters(area=area)).set_aside]
    return covering or services


def suggested(
    index: SearchIndex, rules: Sequence[Suggestion], area: str | None, local_now: dt.datetime
) -> tuple[list[tuple[Service, Action]], list[str]]:
    """The services `rules` suggest for someone in `area` at `local_now` (the service's
    local time), with a note for each team found closed."""
    chosen: list[tuple[Service, Action]] = []
    notes: list[str] = []
    for rule in rules:
        services = _for_area(index, rule.services, area)
        chosen += [(s, rule.action) for s in services]
        if rule.out_of_hours is None or not services:
            continue
        states = [open_status(s, local_now, index.eligibility.bank_holidays) for s in services]
        if any(state.state == "open" for state in states):
            continue
        more, more_notes = suggested(index, [rule.out_of_hours], area, local_now)
        names = ", ".join(s.name for s in services)
        reasons = "; ".join(dict.fromkeys(state.reason for state in states))
        instead = ", ".join(s.name for s, _ in more)
        if instead:
            notes.append(f"{names}: {reasons}. Out of hours: {instead}.")
        chosen += more
        notes += more_notes
    return first_mentions(chosen), notes


def first_mentions(services: Sequence[tuple[Service, Action]]) -> list[tuple[Service, Action]]:
    """Each service once, with the action it was first suggested with."""
    seen: set[str] = set()
    kept: list[tuple[Service, Action]] = []
    for service, action in services:
        if service.id not in seen:
            seen.add(service.id)
            kept.append((service, action))
    return kept
