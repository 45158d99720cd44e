"""Only their owner may read the files Front Door writes: the database (with its WAL and
shared-memory files) and its folder, the log and its folder, and every export, report and
handover. Tried before: user `nobody` read names and dates of birth from the database.

Each test sets a umask that lets others read (022, most machines'), so a file made without
care would be readable by everyone."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from frontdoor.console.cli import main
from frontdoor.db.engine import make_engine
from tests.conftest import unavailable

MARCH = Path(__file__).parents[1] / "mi" / "march.jsonl"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def careless_umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def open_to_all() -> Iterator[Path]:
    """A folder any user may enter (pytest's own are owner-only, which would hide a
    careless file from `nobody` and prove nothing)."""
    folder = Path(tempfile.mkdtemp(prefix="frontdoor-private-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def frontdoor(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def as_nobody_can_read(path: Path) -> bool:
    """Whether the user `nobody` can read `path` (tried, not worked out from the modes)."""
    if os.geteuid() != 0:
        unavailable("only root can try a file as another user (runuser)")
    runuser = shutil.which("runuser")
    if runuser is None:
        unavailable("runuser (util-linux) is not installed")
    tried = subprocess.run(
        [runuser, "-u", "nobody", "--", "cat", str(path)],
        capture_output=True,
        timeout=30,
        check=False,
    )
    return tried.returncode == 0


def default_database(home: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The database and log as `make run` makes them on a new machine: the default
    database in the user's data folder, the log in the user's state folder."""
    monkeypatch.delenv("FRONTDOOR_DB", raising=False)
    monkeypatch.delenv("FRONTDOOR_LOG_FILE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    made = frontdoor("directory", "search", "lunch club")
    assert made.exit_code == 0, made.output
    assert "could be read by other users" not in made.output
    return home / "data" / "frontdoor" / "frontdoor.db", home / "state" / "frontdoor" / "log"


def test_the_default_database_its_wal_its_folder_and_the_log_are_owner_only(
    open_to_all, monkeypatch
):
    database, logs = default_database(open_to_all, monkeypatch)
    assert mode(database) == 0o600
    assert mode(database.parent) == 0o700
    assert mode(logs / "frontdoor.log") == 0o600
    assert mode(logs) == 0o700 and mode(logs.parent) == 0o700
    # the WAL and shared-memory files exist while a connection writes: as the file
    engine = make_engine(f"sqlite:///{database}", create=False)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (x)"))
        connection.execute(text("INSERT INTO scratch VALUES (1)"))
        wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
        assert wal.exists() and shm.exists()
        assert (mode(wal), mode(shm)) == (0o600, 0o600)
    engine.dispose()


def test_nobody_else_can_read_the_database_or_the_log(open_to_all, monkeypatch):
    careless = open_to_all / "careless.txt"
    careless.write_text("as any file is made with umask 022\n")
    assert as_nobody_can_read(careless)  # so a refusal below is the modes' doing
    database, logs = default_database(open_to_all, monkeypatch)
    assert not as_nobody_can_read(database)
    assert not as_nobody_can_read(logs / "frontdoor.log")
    # the file itself, in a folder anyone may enter (a --db file)
    named = open_to_all / "named.db"
    assert frontdoor("db", "upgrade", "--db", f"sqlite:///{named}").exit_code == 0
    assert mode(named) == 0o600 and not as_nobody_can_read(named)


def test_every_file_a_command_writes_is_owner_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'made' / 'frontdoor.db'}"
    env = {"FRONTDOOR_LOG_FILE": str(tmp_path / "logs" / "frontdoor.log")}
    assert frontdoor("db", "upgrade", "--db", url, env=env).exit_code == 0
    assert mode(tmp_path / "made") == 0o700  # a folder made for the database
    assert frontdoor("contacts", "import", str(MARCH), "--db", url, env=env).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        f"contacts export --out {out}/contacts.jsonl",
        f"mi report --from 2026-03-01 --to 2026-03-31 --format md --out {out}/report.md",
        f"directory export --out {out}/directory.json",
        f"scripts export {out}/scripts",
        f"simulate --days 1 --calls-per-month 30 --queue-log {out}/queue_log",
    ]
    for command in commands:
        result = frontdoor(*command.split(), "--db", url, env=env)
        assert result.exit_code == 0, (command, result.output)
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) > len(commands)  # every script is a file of its own
    assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}
    assert mode(out / "scripts") == 0o700
    assert mode(tmp_path / "logs" / "frontdoor.log") == 0o600


def test_a_database_others_could_read_is_made_owner_only_and_said_once(tmp_path):
    path = tmp_path / "shared.db"
    url = f"sqlite:///{path}"
    env = {"FRONTDOOR_LOG_FILE": str(tmp_path / "frontdoor.log")}
    assert frontdoor("db", "upgrade", "--db", url, env=env).exit_code == 0
    path.chmod(0o644)
    first = frontdoor("queue", "stats", "--db", url, env=env)
    assert first.exit_code == 0
    assert first.stderr == (
        f"frontdoor: {path} could be read by other users of this machine: made owner-only "
        "(mode 644 -> 600)\n"
    )
    assert mode(path) == 0o600
    again = frontdoor("queue", "stats", "--db", url, env=env)
    assert again.exit_code == 0 and again.stderr == ""
    logged = (tmp_path / "frontdoor.log").read_text()
    assert logged.count('"readable_by_others"') == 1


def test_a_file_written_over_is_made_private_before_anything_is_in_it(tmp_path):
    """An export over an older file that others could read: the new content is never
    readable by them, not even for a moment (made private at open, before the write)."""
    from frontdoor.private_files import open_private

    old = tmp_path / "old.jsonl"
    old.write_text("old\n")
    old.chmod(0o644)
    with open_private(old) as file:
        assert mode(old) == 0o600 and old.read_text() == ""
        file.write("new\n")
    assert old.read_text() == "new\n"


def test_a_file_another_user_owns_is_left_and_said_so(tmp_path):
    from frontdoor.private_files import tighten

    if os.geteuid() != 0:
        unavailable("only root can give a file to another user to try this")
    theirs = tmp_path / "theirs.db"
    theirs.write_text("")
    theirs.chmod(0o644)
    os.chown(theirs, 65534, 65534)  # nobody's
    found = tighten(theirs)
    assert found is not None and not found.tightened and mode(theirs) == 0o644
    assert "another user owns it" in str(found)


def test_a_consoles_journal_and_its_folders_are_owner_only(tmp_path):
    """The writes a console keeps while the database is away: a caller's answers."""
    from frontdoor.calls.journal import Journal

    folder = tmp_path / "state" / "frontdoor" / "journal"
    journal = Journal(folder, "console-1")
    journal.close(remove_if_empty=False)
    assert mode(folder) == mode(folder.parent) == mode(folder.parent.parent) == 0o700
    assert mode(journal.path) == 0o600
