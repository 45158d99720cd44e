"""A contacts import drops the kept days its contacts touch, once a batch (SQLite, its
INSERT triggers dropped for the load: db/import_days.py) or row by row (PostgreSQL, the
triggers): the same days on both; and the triggers are there again after it, whether the
file loaded or was refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlalchemy import select

from frontdoor.db.import_days import ImportDays
from frontdoor.interactions.loading import bulk_add
from frontdoor.mi.bench import contacts_of_day, write_contacts
from frontdoor.mi.tables import MiDayRow
from tests.mi.test_kept_days import FIRST, LAST, _kept, _report
from tests.referrals.test_contacts_limits import contact
from tests.referrals.test_contacts_limits import door as door  # a fixture, both databases


def _days(first: int, last: int) -> list[dt.date]:
    return [dt.date(2026, 3, day) for day in range(first, last + 1)]


def test_an_import_drops_the_kept_days_its_contacts_touch_and_no_others(door):
    sessions = door.sessions
    days = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    write_contacts(sessions, (c for day in days for c in contacts_of_day(day, 60, 5)))
    _report(sessions)
    assert _kept(sessions) == _days(1, 18)  # settled by the report's "now", 26 March

    # 5 March touches the days whose repeat window holds it (26 February to 5 March);
    # a contact of 2025 touches none; two batches of two lines, one transaction
    lines = [
        json.dumps(contact("old-1", received_at="2025-06-01T10:00:00Z")),
        json.dumps(contact("old-2", received_at="2026-03-05T12:00:00Z")),
        json.dumps(contact("old-3", received_at="2026-03-05T12:30:00+00:00")),
    ]
    loaded = door.load_contacts_file(lines, batch=2)
    assert loaded.added == ["old-1", "old-2", "old-3"]
    assert _kept(sessions) == _days(6, 18)

    # a refused file leaves the kept days (and the triggers) as they were
    refused = door.load_contacts_file(
        [json.dumps(contact("old-4", received_at="2026-03-12T09:00:00Z")), "{"], batch=1
    )
    assert not refused.loaded and _kept(sessions) == _days(6, 18)

    # the triggers are there again: a contact written another way still drops its days
    late = next(c for c in contacts_of_day(dt.date(2026, 3, 10), 60, 5) if c.outcome)
    with sessions() as session, session.begin():
        bulk_add(session, [dataclasses.replace(late, id="written-late")])
    assert _kept(sessions) == _days(11, 18)


def test_while_a_load_holds_its_days_its_inserts_drop_none_until_it_forgets_them(door):
    """The INSERT triggers stand aside for the load's own transaction (SQLite: dropped;
    PostgreSQL: told by SET LOCAL, migration 0022), the load drops the days itself, and
    after `finish` an insert in the same transaction drops its days again."""
    sessions = door.sessions
    days = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    write_contacts(sessions, (c for day in days for c in contacts_of_day(day, 60, 5)))
    _report(sessions)
    ten, three = (
        next(c for c in contacts_of_day(dt.date(2026, 3, day), 60, 5) if c.answers)
        for day in (10, 3)
    )

    def kept(session) -> list[dt.date]:
        return list(session.scalars(select(MiDayRow.day).order_by(MiDayRow.day)))

    with sessions() as session, session.begin():
        load = ImportDays(session.connection())
        assert load.paused
        bulk_add(session, [dataclasses.replace(ten, id="loaded-10")])  # with its answers
        assert kept(session) == _days(1, 18)  # no trigger dropped anything
        load.forget([ten.received_at])
        # the days whose repeat window holds 10 March: 3 to 10 March
        assert kept(session) == _days(1, 2) + _days(11, 18)
        load.finish()
        bulk_add(session, [dataclasses.replace(three, id="written-3")])  # the trigger's
        assert kept(session) == _days(11, 18)
    assert _kept(sessions) == _days(11, 18)
