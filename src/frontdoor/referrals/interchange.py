"""Referrals in contacts JSON Lines: a service referred carries the referral it made.

`"referral": {"id", "service_name", "respond_within", "due_from", "made_at", "due_at",
"reason", "said", "code", "history": [{"state", "at", "by", "note"}], "chases": [{"kind",
"at", "contact", "by", "note"}]}`. An export writes every key. An import keeps what is
given and fills the rest by the rules a wrap-up follows: made at the contact's
`ended_at` (else `received_at`), the response time from the script end, the service or
the category, `requested` from then, a new id. So a file from an older system, with
services referred and no referral key, still gives referrals with due times.

A referral entry that cannot be right (a state that is not one, a move not allowed, an id
given twice) refuses the whole file, by its line number; importing.py loads the rest.

This room may read both the contacts and the referrals (interactions cannot import
referrals): the console composes the export and the import from here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, get_args

from frontdoor.db.fits import misfits
from frontdoor.interactions.export import contact_to_json, time_text
from frontdoor.interactions.jsonl import ContactLine, ReferralLine
from frontdoor.interactions.model import Contact
from frontdoor.referrals.model import ChaseKind, Referral
from frontdoor.referrals.states import State, as_state
from frontdoor.referrals.store import ReferralStore, check_change
from frontdoor.referrals.tables import ReferralChangeRow, ReferralChaseRow, ReferralRow
from frontdoor.response_times import ResponseTimeError, read_response_time

ID = re.compile(r"^R-(\d{4})-(\d{6})$")
# where a referral's response time came from; `file`: given in a file, nothing said why
DUE_FROM = ("script", "service", "category", "file")
CHASE_KINDS: tuple[str, ...] = get_args(ChaseKind)


# --- out ------------------------------------------------------------------------------
def referral_to_json(referral: Referral) -> dict[str, Any]:
    """The referral whole, as a service entry of contacts JSON Lines carries it."""
    return {
        "id": referral.id,
        "service_name": referral.service_name,
        "respond_within": referral.respond_within,
        "due_from": referral.due_from,
        "made_at": time_text(referral.made_at),
        "due_at": time_text(referral.due_at),
        "reason": referral.reason,
        "said": referral.said,
        "code": referral.code,
        "history": [
            {"state": c.state, "at": time_text(c.at), "by": c.by, "note": c.note}
            for c in referral.history
        ],
        "chases": [
            {
                "kind": c.kind,
                "at": time_text(c.at),
                "contact": c.contact_id,
                "by": c.by,
                "note": c.note,
            }
            for c in referral.chases
        ],
    }


def contact_with_referrals(contact: Contact, referrals: Iterable[Referral]) -> dict[str, Any]:
    """The contact as JSON Lines writes it, each service referred with its referral."""
    data = contact_to_json(contact)
    by_seq = {r.service_seq: r for r in referrals}
    for entry, used in zip(data["services"], contact.services, strict=True):
        made = by_seq.get(used.seq) if used.seq is not None else None
        if made is not None:
            entry["referral"] = referral_to_json(made)
    return data


def contact_lines(
    contacts: Iterable[Contact], referrals: ReferralStore, batch: int = 500
) -> Iterator[str]:
    """Every contact as a line, its referrals read a batch of contacts at a time."""
    waiting: list[Contact] = []

    def flush() -> Iterator[str]:
        made = referrals.made_in_each([c.id for c in waiting])
        for contact in waiting:
            data = contact_with_referrals(contact, made.get(contact.id, ()))
            yield json.dumps(data, ensure_ascii=False)
        waiting.clear()

    for contact in contacts:
        waiting.append(contact)
        if len(waiting) >= batch:
            yield from flush()
    yield from flush()


# --- in: what a line says, checked before anything is read from the database ----------
def _made_at(entry: ReferralLine, line: ContactLine) -> dt.datetime:
    return second(entry.made_at or line.ended_at or line.received_at)


# a problem with a referral entry: the key it is about ("" for the entry), and why
Problem = tuple[str, str]


def _misfits(entry: ReferralLine) -> list[Problem]:
    """What in the entry the referral tables cannot keep, on any database (db/fits.py)."""
    found: list[Problem] = misfits(
        ReferralRow.__table__,
        {
            "service_name": entry.service_name,
            "respond_within": entry.respond_within,
            "code": entry.code,
        },
    )
    for index, change in enumerate(entry.history):
        found += [
            (f"history.{index}.{name}", why)
            for name, why in misfits(ReferralChangeRow.__table__, {"by": change.by})
        ]
    for index, chase in enumerate(entry.chases):
        found += [
            (f"chases.{index}.{'contact' if name == 'contact_id' else name}", why)
            for name, why in misfits(
                ReferralChaseRow.__table__, {"contact_id": chase.contact, "by": chase.by}
            )
        ]
    return found


def _entry_problems(entry: ReferralLine, line: ContactLine) -> list[Problem]:
    problems: list[Problem] = _misfits(entry)
    if problems:
        return problems  # what follows reads values that may not be what they seem
    if entry.id is not None and not ID.match(entry.id.strip().upper()):
        problems.append(("id", f"{entry.id!r} is not a referral id such as R-2026-000123"))
    if entry.respond_within is not None:
        try:
            read_response_time(entry.respond_within)
        except ResponseTimeError as exc:
            problems.append(("respond_within", str(exc)))
    if entry.due_from is not None and entry.due_from not in DUE_FROM:
        problems.append(("due_from", f"'{entry.due_from}' is not one of {', '.join(DUE_FROM)}"))
    made_at = _made_at(entry, line)
    if entry.due_at is not None and entry.due_at < made_at:
        problems.append(("due_at", "it is before the referral was made"))
    problems += _history_problems(entry, made_at)
    for index, chase in enumerate(entry.chases):
        if chase.kind not in CHASE_KINDS:
            problems.append(
                (f"chases.{index}", f"kind '{chase.kind}' is not one of {', '.join(CHASE_KINDS)}")
            )
        if chase.at < made_at:
            problems.append((f"chases.{index}", "it is before the referral was made"))
    return problems


def _history_problems(entry: ReferralLine, made_at: dt.datetime) -> list[Problem]:
    """The history in order: it starts requested, then only the moves allowed, never
    back in time, with a reason where one is needed. The first problem ends the check:
    the moves after it cannot be judged."""
    referral = (entry.id or "").strip().upper() or "the referral"
    current: State | None = None
    last_at = made_at
    for index, change in enumerate(entry.history):
        where = f"history.{index}"
        try:
            state = as_state(change.state)
        except ValueError as exc:
            return [(where, str(exc))]
        at = second(change.at)
        if current is None:
            if state != "requested":
                return [
                    (
                        where,
                        f"a referral starts requested, not {state} (or leave the history "
                        "out: it is then requested from made_at)",
                    )
                ]
            if at < made_at:
                return [
                    (
                        where,
                        f"{at.isoformat()} is before the referral was made "
                        f"({made_at.isoformat()}): give made_at",
                    )
                ]
        else:
            refused = check_change(referral, current, last_at, state, at, change.note)
            if refused:
                return [(where, refused)]
        current, last_at = state, at
    return []


def second(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(microsecond=0)


def note_of(text: str | None) -> str | None:
    return (text or "").strip() or None


class ReferralEntries:
    """The check of every line's referral entries (parse_numbered's `check`), in file
    order: an id given twice in one file is refused on its second line."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, number: int, line: ContactLine) -> list[str]:
        problems: list[str] = []
        for index, service in enumerate(line.services):
            entry = service.referral
            if entry is None:
                continue
            where = f"services.{index}.referral"
            found = _entry_problems(entry, line)
            problems += [
                f"{where}.{key}: {why}" if key else f"{where}: {why}" for key, why in found
            ]
            given = (entry.id or "").strip().upper()
            if given and not found:
                if given in self.seen:
                    problems.append(f"{where}.id: {given} is already on line {self.seen[given]}")
                else:
                    self.seen[given] = number
        return problems
