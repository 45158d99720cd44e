"""Nodes of a script that no call reached lately: a question no caller is asked any more,
an end nobody gets to, is a script to simplify (the scripts screen shows them for the
last 90 days, spec/script-governance.md).

A node is reached by a call when the record has a step taken at it (an answer, a back,
an escalation) or an end recorded at it, withdrawn by back or not: the call was there.
A call that stopped at a question without answering it left no step there, so that
question counts only once someone answers it. Calls are those received in the window,
found through the contacts' index on `received_at` like every other figure.

The MI does not read scripts (DESIGN.md: mi reads interactions): the caller gives the
node names, in the script's order, and gets back those no call reached, in that order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, select, union
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.interactions.tables import AnswerRow, ContactRow, EndRow

NEVER_REACHED_DAYS = 90


def nodes_reached(session: Session, script: str, version: int, since: dt.datetime) -> set[str]:
    """The nodes of `script` at `version` that calls received since `since` reached."""
    steps, ends = (
        select(row.node)
        .join(ContactRow, ContactRow.id == row.contact_id)
        .where(
            ContactRow.received_at >= since,
            and_(row.script == script, row.version == version),
        )
        for row in (AnswerRow, EndRow)
    )
    return {str(node) for node in session.scalars(union(steps, ends))}


def nodes_never_reached(
    sessions: sessionmaker[Session],
    script: str,
    version: int,
    nodes: Sequence[str],
    now: dt.datetime,
    days: int = NEVER_REACHED_DAYS,
) -> list[str]:
    """Those of `nodes` (the script's node names, in its order) that no call received in
    the `days` before `now` reached."""
    if days < 1:
        raise ValueError(f"days must be 1 or more, not {days}: the window is the last N days")
    with sessions() as session:
        reached = nodes_reached(session, script, version, now - dt.timedelta(days=days))
    return [name for name in nodes if name not in reached]
