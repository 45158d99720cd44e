"""What the outage tests need: a PostgreSQL server of the test's own that can be stopped and
started under a running console, and ways to make SQLite refuse the console as a database
locked by another process does.

- `OwnPostgres` (the `own_postgres` fixture in conftest.py): a cluster on its own free port,
  made by copying one cluster initdb'd once per session, so a test that stops it never
  touches the shared server on 5432 or another test's server.
- `DatabaseSwitch`: injected at the DBAPI cursor, so a test sees the failure at once; a real
  lock makes every write wait out the console's busy_timeout (5 s, db/engine.py) first.
- `hold_sqlite_lock`: the real thing, from another process, for a manual or slow check:
  `python -m tests.outage lock PATH` holds the lock until Enter is pressed.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

PG_ROOT = Path("/usr/lib/postgresql")
ROLE = DATABASE = PASSWORD = "frontdoor"
# A server that loses its data on a crash is fine for a test, and starts and stops faster.
SERVER_SETTINGS = """
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 60
shared_buffers = 16MB
"""


class ClusterUnavailable(Exception):
    """This machine cannot run a PostgreSQL cluster of the tests' own (the reason is why)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _accepts_connections(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _fast_folder() -> str | None:
    """/dev/shm when it is roomy (copying a cluster there takes a twentieth of the time on
    disk); containers often give it only 64 MB, and then the usual temporary folder."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2**30:
        return str(shm)
    return None


class PostgresBinaries:
    """Debian's initdb and pg_ctl, run as the `postgres` user when the tests run as root
    (PostgreSQL refuses to run as root)."""

    def __init__(self, bin_dir: Path, run_as: list[str], owner: tuple[int, int] | None) -> None:
        self.bin_dir = bin_dir
        self._run_as = run_as
        self.owner = owner  # (uid, gid) to give folders to, when running as postgres

    @classmethod
    def find(cls) -> PostgresBinaries:
        versions = sorted(
            (
                p
                for p in PG_ROOT.glob("*/bin")
                if (p / "initdb").exists() and (p / "pg_ctl").exists()
            ),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        )
        if not versions:
            raise ClusterUnavailable(f"no initdb and pg_ctl under {PG_ROOT}/<version>/bin")
        if os.geteuid() != 0:
            return cls(versions[-1], [], None)
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            raise ClusterUnavailable("running as root and there is no postgres user") from None
        if shutil.which("runuser"):
            run_as = ["runuser", "-u", "postgres", "--"]
        elif shutil.which("su"):
            run_as = ["su", "postgres", "-s", "/bin/sh", "-c"]  # takes one command string
        else:
            raise ClusterUnavailable("running as root with neither runuser nor su")
        return cls(versions[-1], run_as, (user.pw_uid, user.pw_gid))

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """One of PostgreSQL's programs (initdb, pg_ctl), as the user the server runs as."""
        return self.run_as_owner(str(self.bin_dir / program), *args)

    def run_as_owner(self, *command: str) -> subprocess.CompletedProcess[str]:
        if self._run_as[:1] == ["su"]:
            full = [*self._run_as, shlex.join(command)]
        else:
            full = [*self._run_as, *command]
        return subprocess.run(full, capture_output=True, text=True, timeout=60, check=False)

    def check(self, program: str, *args: str) -> str:
        done = self.run(program, *args)
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} failed: {done.stderr or done.stdout}")
        return done.stdout

    def give(self, path: Path) -> None:
        """Let the user the server runs as write to `path` (a folder we made)."""
        if self.owner:
            os.chown(path, *self.owner)


class OwnPostgres:
    """One cluster on its own port, with a role and database Front Door can migrate."""

    def __init__(self, binaries: PostgresBinaries, data: Path, port: int) -> None:
        self._binaries = binaries
        self.data = data
        self.port = port
        self.log = data.parent / f"{data.name}.log"
        self.url = f"postgresql+psycopg://{ROLE}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}"

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def start(self) -> None:
        """Start the server; returns once it accepts connections (pg_ctl -w waits for it)."""
        options = f"-p {self.port} -k {self.data}"
        done = self._binaries.run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "30",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
        )
        if done.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {done.stdout}{self._log_tail()}")
        if not _accepts_connections(self.port):
            raise RuntimeError(f"PostgreSQL started but port {self.port} refuses connections")

    def stop(self, mode: str = "fast") -> None:
        """Shut the server down (fast: clients are disconnected, as in an outage); returns
        once it no longer accepts connections."""
        self._binaries.check("pg_ctl", "stop", "-w", "-t", "30", "-D", str(self.data), "-m", mode)
        if _accepts_connections(self.port):
            raise RuntimeError(f"PostgreSQL stopped but port {self.port} still accepts")

    def destroy(self) -> None:
        if self.running:
            self._binaries.run("pg_ctl", "stop", "-w", "-D", str(self.data), "-m", "immediate")
        shutil.rmtree(self.data, ignore_errors=True)
        self.log.unlink(missing_ok=True)

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
        except OSError:
            return ""


class ClusterTemplate:
    """A cluster initdb'd once (about a second), with the role and database made, stopped;
    each test gets a copy of its folder (a fraction of a second) and a port of its own."""

    def __init__(self, binaries: PostgresBinaries, root: Path) -> None:
        self._binaries = binaries
        self.root = root
        self.data = root / "template"
        self._made = 0

    @classmethod
    def create(cls) -> ClusterTemplate:
        binaries = PostgresBinaries.find()
        root = Path(tempfile.mkdtemp(prefix="frontdoor-pg-", dir=_fast_folder()))
        binaries.give(root)
        template = cls(binaries, root)
        try:
            template._initdb()
        except Exception:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return template

    def _initdb(self) -> None:
        done = self._binaries.run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--no-sync",
            "--no-instructions",
            "--wal-segsize=1",  # MB: a smaller folder to copy for each test
        )
        if done.returncode != 0:
            # typically: not allowed to run as postgres here, or no such folder for it
            raise ClusterUnavailable(f"initdb failed: {done.stderr.strip()[-500:]}")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(SERVER_SETTINGS)
        server = OwnPostgres(self._binaries, self.data, _free_port())
        server.start()
        try:
            import psycopg

            with psycopg.connect(
                host=str(self.data),
                port=server.port,
                user="postgres",
                dbname="postgres",
                autocommit=True,
            ) as admin:
                admin.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
                admin.execute(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")
        finally:
            server.stop()

    def new_server(self) -> OwnPostgres:
        self._made += 1
        data = self.root / f"cluster-{self._made}"
        copied = self._binaries.run_as_owner("cp", "-a", str(self.data), str(data))
        if copied.returncode != 0:
            raise RuntimeError(f"could not copy the template cluster: {copied.stderr}")
        return OwnPostgres(self._binaries, data, _free_port())

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


# --- SQLite -------------------------------------------------------------------------------


def locked_error() -> sqlite3.OperationalError:
    """The error sqlite3 raises when another connection holds the lock past busy_timeout."""
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
    error.sqlite_errorname = "SQLITE_BUSY"  # type: ignore[attr-defined]
    return error


class DatabaseSwitch:
    """Makes every statement on one engine fail as a locked SQLite database does, until
    restored. The error is raised where the DBAPI cursor would execute, so SQLAlchemy wraps
    it exactly as it wraps the real one (sqlalchemy.exc.OperationalError, with the
    sqlite3.OperationalError as `.orig`), and a transaction begun before `fail()` fails on
    its next statement. Opening a connection still works, as it does beside a real lock."""

    _EVENTS = ("do_execute", "do_executemany", "do_execute_no_params")

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.failing = False
        self.refused = 0  # statements refused so far: a test can show the outage happened

    @classmethod
    def install(cls, engine: Engine) -> DatabaseSwitch:
        if engine.dialect.name != "sqlite":
            raise ValueError("the switch stands in for a SQLite lock; stop own_postgres instead")
        switch = cls(engine)
        for name in cls._EVENTS:
            event.listen(engine, name, switch._statement)
        return switch

    def uninstall(self) -> None:
        for name in self._EVENTS:
            event.remove(self.engine, name, self._statement)

    def fail(self) -> None:
        self.failing = True

    def restore(self) -> None:
        self.failing = False

    def _statement(self, *_args: Any) -> bool:
        if self.failing:
            self.refused += 1
            raise locked_error()
        return False  # not handled here: SQLAlchemy runs the statement as usual


_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


@contextlib.contextmanager
def hold_sqlite_lock(path: Path) -> Iterator[None]:
    """Another process holds `BEGIN EXCLUSIVE` on the SQLite file at `path` while inside.

    In WAL mode (the console's, db/engine.py) an exclusive transaction stops writers, not
    readers; and each refused write first waits out the writer's busy_timeout (5 s for the
    console's engine), so a test using this is slow unless its connection sets a short
    one. Returns once the lock is held, without guessing a delay."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        line = holder.stdout.readline()
        if line.strip() != "locked":
            raise RuntimeError(f"the lock holder did not take the lock on {path}")
        yield
    finally:
        with contextlib.suppress(BrokenPipeError):
            holder.stdin.write("\n")
            holder.stdin.close()
        holder.wait(timeout=30)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "lock":
        print("usage: python -m tests.outage lock PATH-TO-SQLITE-FILE", file=sys.stderr)
        return 2
    with hold_sqlite_lock(Path(argv[1])):
        input(f"{argv[1]} is locked by another process; press Enter to release it. ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
