"""Contacts read whole with one statement per table for any number of them, on the
tables rather than the mapped classes: every call reads its contact as it starts, its
caller's history, and its contact again at wrap-up, and the ORM's identity map and its
selectin loads cost several times the statements (issue 14's simulated month)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import BindParameter, Connection, Select, Table, bindparam, select

from frontdoor.db.raw_reads import RawRead, read_together, utc_columns
from frontdoor.interactions.contact_rows import (
    ANSWERS,
    CONTACTS,
    ENDS,
    SEARCHES,
    SERVICES,
    Raw,
    send_together,
)
from frontdoor.interactions.model import (
    Action,
    Answer,
    Contact,
    ScriptEnd,
    Search,
    ServiceUsed,
    StepKind,
    Wording,
    answer_from_text,
)
from frontdoor.interactions.tables import PersonDecisionRow
from frontdoor.people.model import Decision, MatchDecision, MatchKind

DECISIONS = cast(Table, PersonDecisionRow.__table__)


def contact_of(
    row: Any,
    answers: Iterable[Any],
    ends: Iterable[Any],
    searches: Iterable[Any],
    services: Iterable[Any],
    decisions: Iterable[Any],
) -> Contact:
    """A contact from its row and its rows in order: mapped rows (`to_contact`) or the
    plain rows `reading.py` reads, which have the same names."""
    return Contact(
        id=row.id,
        status=row.status,
        channel=row.channel,
        caller_type=row.caller_type,
        caller_key=row.caller_key,
        caller_name=row.caller_name,
        subject_key=row.subject_key,
        subject_name=row.subject_name,
        subject_dob=row.subject_dob,
        subject_postcode=row.subject_postcode,
        subject_nhs_number=row.subject_nhs_number,
        language=row.language,
        interpreter_needed=row.interpreter_needed,
        caller_is_person=row.caller_is_person,
        consent_record=row.consent_record,
        consent_share=row.consent_share,
        category=row.category,
        queue=row.queue,
        handler=row.handler,
        received_at=row.received_at,
        offered_at=row.offered_at,
        answered_at=row.answered_at,
        abandoned_at=row.abandoned_at,
        ended_at=row.ended_at,
        wrap_ended_at=row.wrap_ended_at,
        outcome=row.outcome,
        demand=row.demand,
        notes=row.notes,
        answers=[
            Answer(
                a.script,
                a.version,
                a.node,
                cast(StepKind, a.kind),
                answer_from_text(a.answer, a.many),
                a.at,
                cast(Wording | None, a.wording),
            )
            for a in answers
        ],
        ends=[
            ScriptEnd(
                e.script,
                e.version,
                e.node,
                e.outcome,
                e.red_flag,
                e.at,
                e.code,
                cast(Wording | None, e.wording),
            )
            for e in ends
            if e.current
        ],
        searches=[
            Search(s.id, s.query, list(s.results), s.chosen, s.at, s.step_id) for s in searches
        ],
        scripts_followed=[(s["script"], s["version"]) for s in row.scripts]
        if row.scripts is not None
        else None,
        services=[
            ServiceUsed(s.service_id, s.service_name, cast(Action, s.action), s.at, s.seq)
            for s in services
            if s.withdrawn_at is None  # taken back before wrap-up: kept, not counted
        ],
        person_id=row.person_id,
        person_link=row.person_link,
        person_decisions=[to_decision(d) for d in decisions],
    )


def to_decision(row: PersonDecisionRow | Any) -> MatchDecision:
    return MatchDecision(
        person_id=row.person_id,
        decision=Decision(row.decision),
        by=row.decided_by,
        at=row.decided_at,
        kind=MatchKind(row.kind),
        score=row.score,
        evidence=tuple(row.evidence),
    )


_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
_ID: BindParameter[Any] = bindparam("id")


def _children(table: Table, order: str, one: bool) -> Select[Any]:
    of = table.c.contact_id == _ID if one else table.c.contact_id.in_(_IDS)
    return select(table).where(of).order_by(table.c.contact_id, table.c[order])


def _statements(one: bool) -> tuple[Select[Any], ...]:
    """The contacts' rows, then their answers, ends, searches, services and decisions.
    One contact (a call's own, as it starts or ends) by `=`: an expanding IN is compiled
    again for each execution, the statement's own cost beside the little it reads."""
    of = CONTACTS.c.id == _ID if one else CONTACTS.c.id.in_(_IDS)
    return (
        select(CONTACTS).where(of),
        _children(ANSWERS, "seq", one),
        _children(ENDS, "seq", one),
        _children(SEARCHES, "seq", one),
        _children(SERVICES, "seq", one),
        _children(DECISIONS, "id", one),
    )


_ONE, _MANY = _statements(True), _statements(False)
# of the children, in the order above
_ENDS_AND_SERVICES = (1, 3)


def read_contacts(
    connection: Connection,
    ids: Sequence[str],
    *,
    steps: bool = True,
    after: Sequence[Raw] = (),
) -> list[Contact]:
    """The contacts with these ids, in the order given (an id not held is left out).
    Without `steps`, their ends and services only: answers, searches and person
    decisions are left empty, not read (what a wrap-up's closing hook is given)."""
    if not ids:
        send_together(connection, list(after))
        return []
    if connection.dialect.name == "postgresql":
        found, read = _read_together(connection, list(ids), steps, after)
    else:
        if after:
            raise ValueError("statements sent with a read are PostgreSQL's (psycopg's)")
        one = len(ids) == 1
        wanted = {"id": ids[0]} if one else {"ids": list(ids)}
        contacts, *others = _ONE if one else _MANY
        found = list(connection.execute(contacts, wanted))
        read = [
            list(connection.execute(statement, wanted))
            if steps or number in _ENDS_AND_SERVICES
            else []
            for number, statement in enumerate(others)
        ]
    rows = {row.id: row for row in found}
    children: list[dict[str, list[Any]]] = []
    for of_table in read:
        by_contact: dict[str, list[Any]] = defaultdict(list)
        for child in of_table:
            by_contact[child.contact_id].append(child)
        children.append(by_contact)
    answers, ends, searches, services, decisions = children
    return [
        contact_of(rows[i], answers[i], ends[i], searches[i], services[i], decisions[i])
        for i in ids
        if i in rows
    ]


# PostgreSQL: the same reads as plain text, each contact's rows in the same order, by
# `= ANY(ids)` (one text for any number of contacts), or by `=` for one contact (a call's
# own as it ends): psycopg's dumping of an array cost more than the read of its rows
_CHILDREN = (
    (ANSWERS, "seq"),
    (ENDS, "seq"),
    (SEARCHES, "seq"),
    (SERVICES, "seq"),
    (DECISIONS, "id"),
)
_TEXTS, _ONE_TEXTS = (
    (
        f"SELECT * FROM contacts WHERE id {of}",
        *(
            f"SELECT * FROM {table.name} WHERE contact_id {of} ORDER BY contact_id, {order}"
            for table, order in _CHILDREN
        ),
    )
    for of in ("= ANY(%(ids)s)", "= %(ids)s")
)
# the columns each table's rows give in UTC
_TIMES = tuple(utc_columns(table) for table in (CONTACTS, *(table for table, _ in _CHILDREN)))


def _read_together(
    connection: Connection, ids: list[str], steps: bool, after: Sequence[Raw]
) -> tuple[list[Any], list[list[Any]]]:
    """On PostgreSQL the statements of `read_contacts` go to psycopg in one pipeline: one
    round trip for a contact's two to six reads (every call reads its own as it ends,
    and its caller's last ones as it starts), its rows as SQLAlchemy gives them."""
    wanted = [0] + [n + 1 for n in range(len(_CHILDREN)) if steps or n in _ENDS_AND_SERVICES]
    texts, given = (_ONE_TEXTS, ids[0]) if len(ids) == 1 else (_TEXTS, ids)
    reads = [RawRead(texts[n], {"ids": given}, _TIMES[n]) for n in wanted]
    results = dict(zip(wanted, read_together(connection, reads, after), strict=True))
    tables = [results.get(number, []) for number in range(len(_TEXTS))]
    return tables[0], tables[1:]
