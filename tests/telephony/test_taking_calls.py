"""Handlers take the next call: highest-priority queue first, oldest first, and never a
call another handler has taken, however many ask at once."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.db.migrate import upgrade
from frontdoor.telephony.ingest import ingest_lines
from frontdoor.telephony.taking import set_state, states, take_next
from tests.conftest import patient_sqlite

DAY = dt.datetime(2026, 5, 12, tzinfo=dt.UTC)
PRIORITIES = {"professionals": 1, "public": 2}


def queue_of(count: int, at: dt.datetime) -> list[str]:
    lines = []
    for n in range(count):
        queue = "professionals" if n % 5 == 4 else "public"
        lines.append(
            f"{int(at.timestamp()) + n}|c{n:03d}|{queue}|NONE|ENTERQUEUE||0113496{n:04d}|1"
        )
    return lines


def sessions_for(url: str):
    engine = patient_sqlite(make_engine(url))  # twenty handlers at once, below
    upgrade(engine)
    return engine, make_session_factory(engine)


def test_priority_then_age(db_url):
    engine, sessions = sessions_for(db_url)
    ingest_lines(sessions, queue_of(6, DAY + dt.timedelta(hours=9)))
    now = DAY + dt.timedelta(hours=10)
    taken = [take_next(sessions, "a", now, DAY, PRIORITIES) for _ in range(7)]
    assert [t.callid for t in taken if t] == ["c004", "c000", "c001", "c002", "c003", "c005"]
    assert taken[-1] is None
    assert taken[0].caller == "01134960004"
    assert states(sessions)["a"][0] == "on a call"
    engine.dispose()


def test_twenty_handlers_never_take_the_same_call(db_url):
    engine, sessions = sessions_for(db_url)
    ingest_lines(sessions, queue_of(60, DAY + dt.timedelta(hours=9)))
    now = DAY + dt.timedelta(hours=10)
    taken: list[tuple[str, str]] = []
    lock = threading.Lock()
    start = threading.Barrier(20)

    def handler(name: str) -> None:
        start.wait()
        while (call := take_next(sessions, name, now, DAY, PRIORITIES)) is not None:
            with lock:
                taken.append((name, call.callid))

    threads = [threading.Thread(target=handler, args=(f"h{n:02d}",)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    calls = [callid for _, callid in taken]
    assert sorted(calls) == [f"c{n:03d}" for n in range(60)]  # each once, none lost
    assert len({name for name, _ in taken}) > 1
    engine.dispose()


def test_states_are_kept_with_their_reason(tmp_path):
    engine, sessions = sessions_for(f"sqlite:///{tmp_path / 's.db'}")
    set_state(sessions, "a", "away", DAY, "training")
    set_state(sessions, "b", "available", DAY)
    assert states(sessions) == {
        "a": ("away", "training", DAY, DAY),  # the last: when the console was last heard
        "b": ("available", None, DAY, DAY),
    }
    engine.dispose()


LOG = Path(__file__).parent / "queue_log"
