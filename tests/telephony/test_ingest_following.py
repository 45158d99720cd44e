"""Following a queue_log is as exact as reading it once: through CRLF line ends, bytes that
are not UTF-8, half-written lines, and both kinds of rotation while the PBX writes on.

A `Pbx` writes lines as Asterisk does (one open file, appended to, until told to reopen the
path). `follow` asks `stop` before each look: each answer first moves the PBX and logrotate
on a step, so the test drives the follower look by look, never by sleeping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.telephony.ingest import IngestReport, follow, ingest_file
from frontdoor.telephony.tables import QueueEventRow
from tests.conftest import copy_sqlite

START = 1778576400  # 12 May 2026 09:00 UTC


def calls(count: int, twice_every: int = 25) -> list[bytes]:
    """`count` lines of calls entering the queue, one a second; every `twice_every`th is
    written twice in its second (two events that look alike), so a follower that merged
    identical lines, or read one line twice, would be caught."""
    lines: list[bytes] = []
    for n in range(count):
        line = f"{START + n}|{START}.{n}|public|NONE|ENTERQUEUE||0113496{n:04d}|1\n".encode()
        lines.extend([line, line] if n % twice_every == twice_every - 1 else [line])
    return lines


class Pbx:
    """Appends to the file it opened, as Asterisk does, until it reopens the path."""

    def __init__(self, path: Path, append: bool = True) -> None:
        self.path, self.append = path, append
        self.reopen()

    def reopen(self) -> None:
        if getattr(self, "handle", None):
            self.handle.close()
        if self.append:
            self.handle = self.path.open("ab", buffering=0)
        else:  # a writer without O_APPEND goes on at its own offset after a truncate
            self.path.touch()
            self.handle = self.path.open("r+b", buffering=0)
            self.handle.seek(0, os.SEEK_END)

    def write(self, *pieces: bytes) -> None:
        for piece in pieces:
            self.handle.write(piece)


def drive(sessions, path: Path, steps: list[Callable[[], object]]) -> IngestReport:
    """Follow `path`, taking one step before each look; three looks after the last step."""
    script: Iterator[Callable[[], object]] = iter([*steps, *[lambda: None] * 3])

    def stop() -> bool:
        step = next(script, None)
        if step is None:
            return True
        step()
        return False

    return follow(sessions, path, stop=stop, sleep=lambda _: None, let_go_after=3)


def held(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(QueueEventRow))


@pytest.fixture
def sessions(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def sqlite_sessions(tmp_path, sqlite_template):
    engine = make_engine(copy_sqlite(sqlite_template, tmp_path / "f.db"))
    yield make_session_factory(engine)
    engine.dispose()


def test_a_rename_rotation_loses_nothing_the_pbx_wrote_to_the_old_file(tmp_path, sessions):
    path, rotated = tmp_path / "queue_log", tmp_path / "queue_log.1"
    lines = calls(300)  # 312 lines: 12 calls logged twice in their second
    pbx = Pbx(path)

    def rotate() -> None:
        path.rename(rotated)
        path.touch()  # logrotate's `create`; Asterisk still writes to the old file
        pbx.write(lines[150][20:], *lines[151:200])

    report = drive(
        sessions,
        path,
        [
            lambda: pbx.write(*lines[:100]),
            lambda: pbx.write(*lines[100:150], lines[150][:20]),  # a line half-written
            rotate,
            lambda: pbx.write(*lines[200:250]),  # before Asterisk reopens the log
            lambda: (pbx.reopen(), pbx.write(*lines[250:])),
        ],
    )
    assert (report.lines, report.added, report.unreadable) == (312, 312, [])
    assert held(sessions) == 312
    # each file read once afterwards, as a rotated log is: nothing new, nothing lost
    for name, count in ((rotated, 250), (path, 62)):
        again = ingest_file(sessions, name)
        assert (again.lines, again.added, again.already_held) == (count, 0, count)


@pytest.mark.parametrize("append", [True, False], ids=["o_append", "own-offset"])
def test_a_copy_truncate_is_noticed_though_the_file_grew_past_the_position(
    tmp_path, sessions, append
):
    path, copy = tmp_path / "queue_log", tmp_path / "queue_log.1"
    lines = calls(300)
    pbx = Pbx(path, append)

    def copy_then_write() -> None:
        shutil.copyfile(path, copy)
        pbx.write(*lines[150:153])  # between logrotate's copy and its truncate

    def truncate_then_write() -> None:
        os.truncate(path, 0)
        pbx.write(*lines[153:])  # more than was read before: the size alone looks grown

    report = drive(
        sessions,
        path,
        [
            lambda: pbx.write(*lines[:100]),
            lambda: pbx.write(*lines[100:150]),
            copy_then_write,  # the follower reads the three lines the copy missed
            truncate_then_write,
        ],
    )
    assert (report.lines, report.added, report.unreadable) == (312, 312, [])
    assert held(sessions) == 312
    for name, count in ((copy, 150), (path, 159)):
        again = ingest_file(sessions, name)
        assert (again.lines, again.added, again.already_held) == (count, 0, count)
    if not append:  # the truncated file begins with the hole the writer left: NUL bytes
        assert path.read_bytes().startswith(b"\x00" * 100)


def test_crlf_line_ends_read_in_pieces_make_no_phantom_events(tmp_path, sqlite_sessions):
    path = tmp_path / "queue_log"
    lines = [line.replace(b"\n", b"\r\n") for line in calls(40, twice_every=10)]
    pbx = Pbx(path)
    report = drive(
        sqlite_sessions,
        path,
        [
            lambda: pbx.write(*lines[:10], lines[10][:-1]),  # cut between the CR and the LF
            lambda: pbx.write(lines[10][-1:], *lines[11:25], lines[25][:7]),
            lambda: pbx.write(lines[25][7:], *lines[26:]),
        ],
    )
    assert (report.lines, report.added, report.unreadable) == (44, 44, [])
    with sqlite_sessions() as session:
        years = set(session.scalars(select(func.strftime("%Y", QueueEventRow.at))))
        data = session.scalars(select(QueueEventRow.data)).all()
    assert years == {"2026"}  # the old reader made a CONNECT dated 1973 from a CR
    assert all(not value.endswith("\r") for row in data for value in row)


def test_bytes_that_are_not_utf8_never_swallow_the_next_line(tmp_path, sqlite_sessions):
    path = tmp_path / "queue_log"
    pbx = Pbx(path)
    report = drive(
        sqlite_sessions,
        path,
        [
            lambda: pbx.write(calls(1)[0], b"\xff" * 12 + b"\n"),
            lambda: pbx.write(
                f"{START + 5}|{START}.5|public|NONE|ENTERQUEUE||01134960005|1\n".encode(),
                # a member's name written in Latin-1: kept, the byte shown as U+FFFD
                f"{START + 9}|{START}.5|public|Jos".encode() + b"\xe9|CONNECT|9|x|1\n",
            ),
        ],
    )
    assert report.added == 3
    assert [n for n, _ in report.unreadable] == [2]
    with sqlite_sessions() as session:
        agents = session.scalars(select(QueueEventRow.agent).order_by(QueueEventRow.at)).all()
    assert agents == ["NONE", "NONE", "Jos\ufffd"]
