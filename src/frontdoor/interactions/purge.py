"""The record's part of `records purge`: the personal data of old contacts removed, what
the MI counts kept (times, channel, caller type, category, queue, handler, outcome,
demand, script paths, services), and the caller and subject keys replaced by their
pseudonyms, so that repeat contacts still link.

Removed: names, dates of birth, NHS numbers, language, notes, postcodes beyond the
district, and the answers the handler typed (a choice the script offered is kept: it
says which way the call went, and is no one's words). Search texts are kept cleaned (the
MI groups them into unmet needs), by the cleaner the composition root gives: the one the
reports clean texts with, so that the figures read the same after the purge.

A contact after the purge boundary whose key a purged contact had gets that key's
pseudonym beside its own key (`caller_pseudonym`, `subject_pseudonym`): the MI links a
purged contact to a repeat on the far side of the boundary by it (mi/figures.py).

Everything runs in the caller's transaction: the purge is one unit, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from frontdoor.db.chunks import in_chunks
from frontdoor.interactions.model import Answered, answer_from_text
from frontdoor.interactions.tables import AnswerRow, ContactRow, SearchRow
from frontdoor.people.pseudonyms import Pseudonyms, district, is_pseudonym

# Whether an answer is one the script offered (kept) rather than typed by the handler
# (removed): script, version, node, answer. The scripts are not the record's to read.
OfferedAnswer = Callable[[str, int, str, Answered], bool]
# A search text as the reports show it, given the contact's names (its caller's, its
# person's): the reports' own cleaner (mi/search_text.py), given by the composition root.
SearchCleaner = Callable[[str, tuple[str | None, ...]], str]


@dataclass
class ContactsPurged:
    """What the purge did to the record, kind by kind."""

    contacts: int = 0
    keys_pseudonymised: int = 0
    names: int = 0
    dates_of_birth: int = 0
    nhs_numbers: int = 0
    postcodes_cut: int = 0
    notes: int = 0
    typed_answers: int = 0
    search_texts_cleaned: int = 0
    later_contacts_linked: int = 0

    def counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def contacts_to_purge(session: Session, before: dt.datetime) -> list[str]:
    """The contacts received before `before` whose personal data is still held."""
    return list(
        session.scalars(
            select(ContactRow.id)
            .where(ContactRow.received_at < before, ContactRow.purged_at.is_(None))
            .order_by(ContactRow.received_at, ContactRow.id)
        )
    )


def purge_contacts(
    session: Session,
    ids: Sequence[str],
    pseudonyms: Pseudonyms,
    offered: OfferedAnswer,
    clean_search: SearchCleaner,
    now: dt.datetime,
) -> ContactsPurged:
    done = ContactsPurged()
    # raw key -> pseudonym, for the later contacts that share one
    callers: dict[str, str] = {}
    subjects: dict[str, str] = {}
    for chunk in in_chunks(ids):
        names = _purge_rows(session, chunk, pseudonyms, now, done, callers, subjects)
        done.typed_answers += _purge_answers(session, chunk, offered)
        done.search_texts_cleaned += _clean_searches(session, chunk, names, clean_search)
    done.later_contacts_linked = _link_later(session, callers, subjects)
    return done


def _purge_rows(
    session: Session,
    chunk: list[str],
    pseudonyms: Pseudonyms,
    now: dt.datetime,
    done: ContactsPurged,
    callers: dict[str, str],
    subjects: dict[str, str],
) -> dict[str, tuple[str | None, ...]]:
    """Each contact's personal columns emptied and its keys pseudonymised; returns its
    names, which its search texts are cleaned of."""
    names: dict[str, tuple[str | None, ...]] = {}
    changes = []
    # the columns only: a mapped row would bring every answer and search with it
    columns = (
        ContactRow.id,
        ContactRow.caller_key,
        ContactRow.subject_key,
        ContactRow.caller_name,
        ContactRow.subject_name,
        ContactRow.subject_dob,
        ContactRow.subject_nhs_number,
        ContactRow.subject_postcode,
        ContactRow.notes,
    )
    for row in session.execute(select(*columns).where(ContactRow.id.in_(chunk))):
        names[row.id] = (row.caller_name, row.subject_name)
        done.contacts += 1
        done.names += (row.caller_name is not None) + (row.subject_name is not None)
        done.dates_of_birth += row.subject_dob is not None
        done.nhs_numbers += row.subject_nhs_number is not None
        done.notes += bool(row.notes)
        cut = district(row.subject_postcode)
        done.postcodes_cut += row.subject_postcode is not None
        change: dict[str, object] = {
            "id": row.id,
            "caller_name": None,
            "subject_name": None,
            "subject_dob": None,
            "subject_nhs_number": None,
            "subject_postcode": cut,
            "language": None,
            "interpreter_needed": False,
            "notes": None,
            "purged_at": now,
            # its own pseudonyms: they are its keys now
            "caller_pseudonym": None,
            "subject_pseudonym": None,
        }
        for column, seen in (("caller_key", callers), ("subject_key", subjects)):
            key = getattr(row, column)
            if key is not None and not is_pseudonym(key):
                seen[key] = pseudonym = pseudonyms.of(key)
                change[column] = pseudonym
                done.keys_pseudonymised += 1
        changes.append(change)
    if changes:
        # one UPDATE a column set, by primary key: every change dict has the same keys
        # except the keys', so they go in two groups
        for group in _same_keys(changes):
            session.execute(update(ContactRow), group)
    return names


def _same_keys(changes: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    groups: dict[frozenset[str], list[dict[str, object]]] = {}
    for change in changes:
        groups.setdefault(frozenset(change), []).append(change)
    return list(groups.values())


def _purge_answers(session: Session, chunk: list[str], offered: OfferedAnswer) -> int:
    """Typed answers removed; the step stays (where calls stop is an MI figure)."""
    typed = [
        {"id": answer_id}
        for answer_id, script, version, node, text, many in session.execute(
            select(
                AnswerRow.id,
                AnswerRow.script,
                AnswerRow.version,
                AnswerRow.node,
                AnswerRow.answer,
                AnswerRow.many,
            ).where(
                AnswerRow.contact_id.in_(chunk),
                AnswerRow.kind == "answer",
                AnswerRow.answer.is_not(None),
            )
        )
        if not offered(script, version, node, answer_from_text(text, many) or "")
    ]
    if typed:
        session.execute(update(AnswerRow).values(answer=None), typed)
    return len(typed)


def _clean_searches(
    session: Session,
    chunk: list[str],
    names: dict[str, tuple[str | None, ...]],
    clean_search: SearchCleaner,
) -> int:
    changed = []
    for search_id, contact_id, query in session.execute(
        select(SearchRow.id, SearchRow.contact_id, SearchRow.query).where(
            SearchRow.contact_id.in_(chunk)
        )
    ):
        clean = clean_search(query, names.get(contact_id, ()))
        if clean != query:
            changed.append({"id": search_id, "query": clean})
    if changed:
        session.execute(update(SearchRow), changed)
    return len(changed)


def _link_later(session: Session, callers: dict[str, str], subjects: dict[str, str]) -> int:
    """Contacts still held in full that share a purged contact's key get its pseudonym;
    returns how many."""
    changes: dict[str, dict[str, object]] = {}
    for key_column, pseudonym_column, seen in (
        (ContactRow.caller_key, "caller_pseudonym", callers),
        (ContactRow.subject_key, "subject_pseudonym", subjects),
    ):
        raw = sorted(seen)
        for chunk in in_chunks(raw):
            for contact_id, key in session.execute(
                select(ContactRow.id, key_column).where(
                    key_column.in_(chunk),
                    ContactRow.purged_at.is_(None),
                )
            ):
                change = changes.setdefault(contact_id, {"id": contact_id})
                change[pseudonym_column] = seen[key]
    for group in _same_keys(list(changes.values())):
        session.execute(update(ContactRow), group)
    return len(changes)
