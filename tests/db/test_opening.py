"""A database is opened as the user meant it: a mistyped SQLite path is not made into a
new empty database, a read-only one can still be read, and one from a newer release is
refused in words."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from frontdoor.console.cli import main
from frontdoor.db.engine import DatabaseMissing, is_read_only, make_engine, sqlite_file
from frontdoor.db.migrate import head_revision, upgrade

MARCH = Path(__file__).parents[1] / "mi" / "march.jsonl"
REPORT = ["mi", "report", "--from", "2026-03-01", "--to", "2026-03-31", "--as-of", "2026-04-20"]


def frontdoor(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def a_record(tmp_path: Path) -> tuple[Path, str, str]:
    """A SQLite database made by `db upgrade`, with March's contacts in it, all in the
    file itself (no -wal or -shm beside it), as after the last console closed; and its
    contacts as `contacts export` writes them."""
    path = tmp_path / "record" / "frontdoor.db"
    url = f"sqlite:///{path}"
    assert frontdoor("db", "upgrade", "--db", url).exit_code == 0
    assert frontdoor("contacts", "import", str(MARCH), "--db", url).exit_code == 0
    expected = frontdoor("contacts", "export", "--db", url).output
    # The commands above ran in this process and left their engines to the collector;
    # one closing later, as root, would delete the -wal and -shm under a reader.
    gc.collect()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for beside in path.parent.glob("*.db-*"):
        beside.unlink()
    return path, url, expected


def one_new_contact(tmp_path: Path) -> Path:
    """A contact March does not have, so that importing it must write."""
    first = MARCH.read_text().splitlines()[0]
    new = tmp_path / "new.jsonl"
    new.write_text(first.replace('"id": "c1"', '"id": "c-new"', 1) + "\n")
    return new


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "command", [["contacts", "export"], REPORT, ["queue", "stats"], ["simulate", "--days", "1"]]
)
def test_a_mistyped_sqlite_path_is_refused_and_nothing_is_made(tmp_path, command):
    path = tmp_path / "no-such-folder" / "frontdor.db"
    result = frontdoor(*command, "--db", f"sqlite:///{path}")
    assert result.exit_code == 2
    assert result.output == (
        f"frontdoor: there is no database at {path}: check the path in --db or FRONTDOOR_DB; "
        f"to make a new, empty one there, run 'frontdoor db upgrade --db sqlite:///{path}'\n"
    )
    assert not path.parent.exists()


def test_db_upgrade_and_the_default_database_are_made_when_missing(tmp_path, monkeypatch):
    monkeypatch.delenv("FRONTDOOR_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("FRONTDOOR_LOG_FILE", str(tmp_path / "frontdoor.log"))
    made = frontdoor("directory", "search", "lunch club", "--json")
    assert made.exit_code == 0, made.output
    assert (tmp_path / "data" / "frontdoor" / "frontdoor.db").exists()
    assert made.output.startswith("[") and "Lunch" in made.output  # the demo directory
    elsewhere = tmp_path / "elsewhere" / "new.db"
    assert frontdoor("db", "upgrade", "--db", f"sqlite:///{elsewhere}").exit_code == 0
    assert elsewhere.exists()


def test_make_engine_makes_a_missing_file_only_when_asked(tmp_path):
    url = f"sqlite:///{tmp_path / 'a' / 'b.db'}"
    with pytest.raises(DatabaseMissing):
        make_engine(url, create=False)
    assert not (tmp_path / "a").exists()
    make_engine(url).dispose()
    assert sqlite_file(f"sqlite:///file:{tmp_path / 'a' / 'b.db'}?mode=ro&uri=true") == (
        tmp_path / "a" / "b.db"
    )
    assert sqlite_file("sqlite://") is None and sqlite_file("postgresql://h/x") is None


def test_a_database_asked_for_read_only_is_read_without_a_write(tmp_path):
    path, _, _ = a_record(tmp_path)
    before = digest(path)
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    engine = make_engine(read_only)
    assert is_read_only(engine)
    engine.dispose()
    # an export names people, and is recorded in the audit before it leaves: not here
    exported = frontdoor("contacts", "export", "--db", read_only)
    assert exported.exit_code == 2 and "an export that names people is recorded" in (
        exported.output
    )
    assert frontdoor(*REPORT, "--db", read_only).exit_code == 0
    refused = frontdoor("contacts", "import", str(one_new_contact(tmp_path)), "--db", read_only)
    assert refused.exit_code == 2
    assert refused.output.startswith(f"frontdoor: the database at sqlite:///file:{path}")
    assert "is read-only, and this needs to write to it" in refused.output
    assert digest(path) == before


# Each command line given (JSON) through the CLI, in order, in this one process; what
# each did, as JSON. A command that fails outside the CLI's own handling of errors ends
# the process with its traceback.
COMMANDS = """
import json, sys
from click.testing import CliRunner
from frontdoor.console.cli import main
done = []
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    done.append([result.exit_code, result.stdout, result.stderr])
print(json.dumps(done))
"""


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def without_write_permission(commands: list[list[str]], env: dict[str, str]) -> list[Ran]:
    """Run `frontdoor ARGS` for each of `commands` as a user whom file permissions bind,
    all in one process (each process spends about two seconds importing Front Door).
    Root is bound by them only without the capabilities that override them, so those
    are dropped."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to drop CAP_DAC_OVERRIDE")
        prefix = [
            setpriv,
            "--inh-caps=-all",
            "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable",
            "--",
        ]
    done = subprocess.run(
        [*prefix, sys.executable, "-c", COMMANDS, json.dumps(commands)],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return [Ran(*ran) for ran in json.loads(done.stdout)]


@pytest.mark.parametrize("made_read_only", ["file", "folder"])
def test_a_database_the_user_cannot_write_is_still_read(tmp_path, made_read_only):
    path, url, _ = a_record(tmp_path)
    new = one_new_contact(tmp_path)
    before = digest(path)
    locked = path if made_read_only == "file" else path.parent
    # owner-only, as Front Door keeps it: a file others may read is tightened, and said so
    locked.chmod(0o400 if made_read_only == "file" else 0o500)
    env = {"FRONTDOOR_LOG_FILE": str(tmp_path / "frontdoor.log")}
    try:
        exported, report, refused = without_write_permission(
            [
                ["contacts", "export", "--db", url],
                [*REPORT, "--db", url],
                ["contacts", "import", str(new), "--db", url],
            ],
            env,
        )
    finally:
        locked.chmod(0o700 if made_read_only == "folder" else 0o600)
    # the export is refused before anything leaves: it could not be audited
    assert exported.returncode == 2 and exported.stdout == ""
    assert "an export that names people is recorded in its audit" in exported.stderr
    assert report.returncode == 0 and '"contacts": 12' in report.stdout
    assert refused.returncode == 2 and "is read-only" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert digest(path) == before


def test_a_read_only_database_of_an_older_release_says_it_needs_upgrading(tmp_path):
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0004")
    engine.dispose()
    result = frontdoor("contacts", "export", "--db", f"sqlite:///file:{path}?mode=ro&uri=true")
    assert result.exit_code == 2
    head = head_revision(engine)
    assert f"made by an older Front Door (revision 0004; this one needs {head})" in result.output
    assert "run 'frontdoor db upgrade' on it first" in result.output


def test_a_database_from_a_newer_release_says_so_plainly(db_url):
    assert frontdoor("db", "upgrade", "--db", db_url).exit_code == 0
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    words = (
        "frontdoor: this database was made by a newer Front Door (revision 0099); "
        "upgrade Front Door\n"
    )
    for command in (["contacts", "export"], ["db", "upgrade"]):
        result = frontdoor(*command, "--db", db_url)
        assert (result.exit_code, result.output) == (2, words)
