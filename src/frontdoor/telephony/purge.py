"""The queue's part of `records purge`: the caller's number an ENTERQUEUE line gave
becomes its pseudonym, and each old line's hash (a plain hash of a line holding the
number, which anyone could recompute by trying numbers) a keyed one. Times, queues,
agents and events stay: the queue figures are counted from them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from frontdoor.people.pseudonyms import Pseudonyms, is_pseudonym
from frontdoor.telephony.tables import QueueEventRow

# the data field of ENTERQUEUE that holds the caller's number (data2)
CALLER = 1


def purge_queue_events(session: Session, before: dt.datetime, pseudonyms: Pseudonyms) -> int:
    """Returns how many numbers were replaced."""
    changes = []
    for event_id, data, line_hash in session.execute(
        select(QueueEventRow.id, QueueEventRow.data, QueueEventRow.line_hash).where(
            QueueEventRow.at < before, QueueEventRow.event == "ENTERQUEUE"
        )
    ):
        values = list(data or [])
        number = values[CALLER] if len(values) > CALLER else ""
        if not number or is_pseudonym(str(number)):
            continue
        values[CALLER] = pseudonyms.key(str(number))
        changes.append({"id": event_id, "data": values, "line_hash": pseudonyms.token(line_hash)})
    if changes:
        session.execute(update(QueueEventRow), changes)
    return len(changes)
