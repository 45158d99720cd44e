"""Queue figures made of kept days (mi/pbx_days.py) are those the from-scratch builder
makes, key by key: for the hand-worked day (tests/mi/pbx_day.queue_log, see
test_pbx_queue.py), for periods of several days with a call spanning midnight (2010,
entered 12 May 23:59:50 and answered after midnight; 2000, entered 11 May 23:58 and never
ended), and after a late line for an old day, which drops the kept day (the triggers of
migration 0019) so that it is worked out again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from frontdoor.console.cli import main
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.mi.pbx_days import period_queue
from frontdoor.mi.pbx_queue import pbx_queue
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.tables import MiPbxDayRow
from frontdoor.telephony.stats import QueueSettings
from frontdoor.telephony.tables import CallClaimRow
from tests.conftest import filled_db_url

DAY = Path(__file__).parent / "pbx_day.queue_log"
LATER = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
MI = MiSettings()
# a queue with its own wrap-up time: the kept sums add it when read
QUEUES = QueueSettings(wrapup_seconds={"professionals": 90})


def _ingest(db: str, path: Path) -> None:
    result = CliRunner().invoke(main, ["queue", "ingest", str(path), "--db", db])
    assert result.exit_code == 0, result.output


@pytest.fixture(params=["sqlite", "postgresql"])
def pbx_day(request, tmp_path):
    return filled_db_url(request, tmp_path, "pbx_day", lambda db: _ingest(db, DAY))


def _both(sessions, first: dt.date, last: dt.date, now: dt.datetime = LATER):
    """(kept path, from scratch) for the period, as of `now`."""
    period = Period(first, last, "Europe/London")
    with sessions() as session:
        kept = period_queue(session, period, now, MI, QUEUES)
    with sessions() as session:
        fresh = pbx_queue(session, period, now, MI, QUEUES)
    return kept, fresh


def _kept(sessions) -> dict[dt.date, MiPbxDayRow]:
    with sessions() as session:
        rows = session.scalars(select(MiPbxDayRow)).all()
        session.expunge_all()
        return {row.day: row for row in rows}


MAY = [dt.date(2026, 5, d) for d in range(11, 15)]


def test_kept_days_give_the_from_scratch_figures_key_by_key(pbx_day):
    sessions = make_session_factory(make_engine(pbx_day))
    day, fresh = _both(sessions, MAY[1], MAY[1])
    assert day is not None and day == fresh
    assert (day.offered, day.answered, day.by_queue["professionals"].aht_seconds) == (11, 6, 350.0)
    kept = _kept(sessions)
    assert list(kept) == [MAY[1]]
    # 2010 was still waiting at the day's end: kept by id, built afresh for each period
    assert kept[MAY[1]].open_callids == ["2010.1"]
    assert sum(s[0] for s in kept[MAY[1]].sums.values()) == 10  # offered: all but 2010
    # several days: 2000 (entered 11 May, never ended) and 2010 (across midnight)
    for first, last in [(MAY[0], MAY[3]), (MAY[1], MAY[2]), (MAY[2], MAY[2])]:
        kept_way, fresh = _both(sessions, first, last)
        assert kept_way == fresh, (first, last)
    assert sorted(_kept(sessions)) == MAY
    # 2000, answered and never ended, is in 11 May's sums: still talking until a restart
    assert _kept(sessions)[MAY[0]].open_callids == []
    assert _kept(sessions)[MAY[0]].sums["public"][10] == 1  # talking
    # warm: read from the kept days alone, the same again
    assert _both(sessions, MAY[0], MAY[3])[0] == fresh_of(sessions, MAY[0], MAY[3])
    # a period not yet over: 12 May settled (kept) and 13 May still worked out
    now = dt.datetime(2026, 5, 14, 12, tzinfo=dt.UTC)
    mixed, fresh = _both(sessions, MAY[1], MAY[2], now)
    assert mixed == fresh and mixed is not None and (mixed.offered, mixed.answered) == (12, 8)


def fresh_of(sessions, first: dt.date, last: dt.date):
    with sessions() as session:
        return pbx_queue(session, Period(first, last, "Europe/London"), LATER, MI, QUEUES)


def test_a_late_line_drops_the_kept_days_it_touches_and_they_are_worked_out_again(
    pbx_day, tmp_path
):
    sessions = make_session_factory(make_engine(pbx_day))
    before, _ = _both(sessions, MAY[0], dt.date(2026, 5, 25))
    assert len(_kept(sessions)) == 15
    late = tmp_path / "late.queue_log"
    # a call of 12 May ingested weeks late: 12 May and 11 May (the day before) go
    late.write_text(
        "1778590900|2013.1|public|NONE|ENTERQUEUE||01724000913|1\n"
        "1778590902|2013.1|public|NONE|ABANDON|1|1|2\n",
        encoding="utf-8",
    )
    _ingest(pbx_day, late)
    assert MAY[1] not in _kept(sessions) and MAY[0] not in _kept(sessions)
    assert MAY[2] in _kept(sessions)
    after, fresh = _both(sessions, MAY[0], dt.date(2026, 5, 25))
    assert after == fresh and after is not None and before is not None
    assert (after.offered, after.short_abandoned) == (before.offered + 1, 3)
    # 2002 (abandoned on 12 May, a call the day's sums hold) back in its queue on 20 May:
    # 12 May goes, whatever the time of the line, and 2002 is one call, waiting again
    (tmp_path / "back.queue_log").write_text(
        "1779264000|2002.1|public|NONE|ENTERQUEUE||01724000902|1\n", encoding="utf-8"
    )
    _ingest(pbx_day, tmp_path / "back.queue_log")
    assert MAY[1] not in _kept(sessions)
    back, fresh = _both(sessions, MAY[0], dt.date(2026, 5, 25))
    assert back == fresh and back is not None and back.abandoned == after.abandoned - 1
    # Asterisk restarted at 23:59:55 on 12 May, the line written late: 2010 never answered
    (tmp_path / "restart.queue_log").write_text(
        "1778626795|NONE|NONE|NONE|QUEUESTART|\n", encoding="utf-8"
    )
    _ingest(pbx_day, tmp_path / "restart.queue_log")
    assert MAY[1] not in _kept(sessions)
    restarted, fresh = _both(sessions, MAY[1], MAY[2])
    assert restarted == fresh and restarted is not None and restarted.answered == 7
    # the restart ends 2000, still talking at 11 May's end (kept there): now handled
    for first in (MAY[0], MAY[0] - dt.timedelta(days=3)):
        ended, fresh = _both(sessions, first, MAY[3])
        assert ended == fresh and ended is not None
        assert ended.by_queue["public"].aht_seconds != before.by_queue["public"].aht_seconds
    # a console's claim changed behind the report: the day of its time goes too
    _both(sessions, MAY[1], MAY[2])
    assert MAY[1] in _kept(sessions)
    with sessions() as session, session.begin():
        session.add(
            CallClaimRow(
                callid="2007.1", handler="sam", at=dt.datetime(2026, 5, 12, 9, 1, tzinfo=dt.UTC)
            )
        )
    assert MAY[1] not in _kept(sessions)
    claimed, fresh = _both(sessions, MAY[1], MAY[2])
    assert claimed == fresh and claimed is not None and claimed.answered == 8
    with sessions() as session, session.begin():
        session.execute(update(CallClaimRow).values(handler="alex"))
    assert _both(sessions, MAY[1], MAY[2])[0] == fresh
