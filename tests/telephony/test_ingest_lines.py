"""No line can stop a file, on SQLite and PostgreSQL alike: fields as long as Asterisk
writes them are stored, longer ones and NUL bytes are reported with their line, a line the
database itself refuses costs only that line; and a line's key tells two identical lines
in one second apart while a re-read adds nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from frontdoor.console.cli import main
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.telephony.ingest import ingest_file, ingest_lines
from frontdoor.telephony.queue_lines import line_key
from frontdoor.telephony.tables import QueueEventRow
from tests.conftest import copy_sqlite

START = 1778576400  # 12 May 2026 09:00 UTC


def entered(n: int, callid: str | None = None, queue: str = "public") -> str:
    return f"{START + n}|{callid or f'{START}.{n}'}|{queue}|NONE|ENTERQUEUE||0113496{n:04d}|1"


@pytest.fixture
def sessions(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def stored(sessions, column):
    with sessions() as session:
        return session.scalars(select(column).order_by(QueueEventRow.id)).all()


def difficult_file(path: Path) -> Path:
    lines = [
        entered(0),
        entered(1, callid="c" * 149),  # as long as Asterisk's unique ids
        entered(2, queue="q" * 128),
        entered(3, callid="c" * 200),
        entered(4).replace("||", "|\x00|"),
        f"{START + 5}|{START}.5|public|{'a' * 300}|CONNECT|5|x|1",
        *(entered(n) for n in range(6, 10)),
    ]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    return path


def test_long_fields_are_stored_or_reported_and_the_good_lines_all_stored(tmp_path, sessions):
    report = ingest_file(sessions, difficult_file(tmp_path / "queue_log"))
    assert (report.lines, report.added, report.already_held) == (10, 7, 0)
    assert report.unreadable == [
        (4, "the call id is 200 characters long; at most 150 are kept"),
        (5, "it holds a NUL byte, which no queue_log field can (the file may be damaged)"),
        (6, "the agent is 300 characters long; at most 256 are kept"),
    ]
    callids = stored(sessions, QueueEventRow.callid)
    assert callids[:2] == [f"{START}.0", "c" * 149]  # the byte-order mark is not part of it
    assert max(map(len, stored(sessions, QueueEventRow.queue))) == 128


def test_a_line_the_database_refuses_costs_only_that_line(db_url, sessions):
    # the database itself refuses a queue: a trigger, so the refusal is the database's own
    engine = make_engine(db_url)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON queue_events "
                    "WHEN NEW.queue = 'closed' BEGIN SELECT RAISE(ABORT, 'closed'); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                    "IF NEW.queue = 'closed' THEN RAISE EXCEPTION 'closed'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON queue_events "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    engine.dispose()
    lines = [entered(n, queue="closed" if n in (6, 22) else "public") for n in range(30)]
    report = ingest_lines(sessions, lines, chunk=16)
    assert (report.lines, report.added) == (30, 28)
    assert [n for n, _ in report.unreadable] == [7, 23]
    assert all(r.startswith("the database would not store it (") for _, r in report.unreadable)
    assert len(stored(sessions, QueueEventRow.id)) == 28


def test_identical_lines_in_one_second_are_two_events_and_a_re_read_adds_none(sessions):
    ring = f"{START}|{START}.1|public|PJSIP/201|RINGNOANSWER|1000"
    lines = [entered(0), ring, ring, entered(2)]
    first = ingest_lines(sessions, lines)
    assert (first.added, first.already_held) == (4, 0)
    again = ingest_lines(sessions, [*lines, ring])  # a third, written in the same second
    assert (again.added, again.already_held) == (1, 4)
    # a line repeating one from minutes before, out of time order, is that line again
    late = ingest_lines(sessions, [*lines, entered(200), ring])
    assert (late.added, late.already_held) == (1, 5)


def test_the_first_of_identical_lines_keeps_the_key_earlier_releases_gave_it():
    line = entered(0).encode()
    assert line_key(line, 0) == hashlib.sha256(line).hexdigest()[:32]
    assert len({line_key(line, n) for n in range(3)}) == 3


def test_the_report_says_each_unreadable_line_in_text_and_json(tmp_path, sqlite_template):
    url = copy_sqlite(sqlite_template, tmp_path / "r.db")
    run = CliRunner().invoke
    path = difficult_file(tmp_path / "queue_log")
    result = run(main, ["queue", "ingest", str(path), "--db", url], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"{path}: 10 line(s), 7 new event(s), 0 already held, 0 not used, 3 unreadable",
        "  line 4: the call id is 200 characters long; at most 150 are kept",
        "  line 5: it holds a NUL byte, which no queue_log field can (the file may be damaged)",
        "  line 6: the agent is 300 characters long; at most 256 are kept",
    ]
    again = run(main, ["queue", "ingest", str(path), "--json", "--db", url])
    assert {k: v for k, v in json.loads(again.output).items() if k != "unreadable"} == {
        "file": str(path),
        "lines": 10,
        "added": 0,
        "already_held": 7,
        "not_used": 0,
    }
    assert [u["line"] for u in json.loads(again.output)["unreadable"]] == [4, 5, 6]
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(QueueEventRow)) == 7
    engine.dispose()
