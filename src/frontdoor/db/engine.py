"""Engines and session factories, made by the composition root from a URL.

A SQLite file is opened as the user meant it: a missing file is created only when the
caller says so (a mistyped path must not become a new empty database), and a file this
process cannot write (chmod 444, a read-only folder, or `mode=ro` in the URL) is opened
read-only, so it can still be read.

The file holds names and dates of birth: a new one (and any folder made for it) is
owner-only from its first byte, and SQLite gives its WAL, shared-memory and journal files
the database file's mode. One found readable by others is made owner-only if this process
owns it (`on_loosened` hears of it, to say so). No engine puts a statement's values into
an error's text (`hide_parameters`): they are the caller's answers, and an error's text
reaches logs and screens.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from frontdoor.private_files import Loosened, create_private, make_folders, tighten

if TYPE_CHECKING:
    # the ORM is imported with the first session factory: the console opens its database
    # and paints its sign-in or ready screen with SQLAlchemy Core alone
    from sqlalchemy.orm import Session, sessionmaker

# the files SQLite keeps beside a database while it is open, or after a crash
SIDE_FILES = ("-wal", "-shm", "-journal")


class DatabaseMissing(Exception):
    """The SQLite file named does not exist, and the caller did not ask to create it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"there is no database at {path}")
        self.path = path


def sqlite_file(url: str | URL) -> Path | None:
    """The file a SQLite URL names (plain or `file:` URI form); None for memory or a server."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if parsed.query.get("uri") in ("true", "1") and database.startswith("file:"):
        database = unquote(database.removeprefix("file:").split("?", 1)[0])
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    return Path(database).expanduser().absolute()


def is_read_only(engine: Engine) -> bool:
    """Whether `make_engine` opened this database read-only."""
    return engine.url.get_backend_name() == "sqlite" and engine.url.query.get("mode") == "ro"


def _writable(path: Path) -> bool:
    # A WAL database needs its folder too: SQLite creates the -wal and -shm files there.
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_url(path: Path) -> URL:
    query = {"uri": "true", "mode": "ro"}
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists():
        # Nobody can write here, so nothing can change under us; without this SQLite
        # wants to create the -shm file next to a WAL database, which it cannot.
        query["immutable"] = "1"
    return URL.create("sqlite", database=f"file:{quote(str(path))}", query=query)


def _sqlite_pragmas(read_only: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if not read_only:
            # WAL lets the console write each answer while a reader (MI, another
            # process) reads. Setting it writes to the file, so not when read-only.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    return on_connect


def _tighten_all(path: Path, on_loosened: Callable[[Loosened], None] | None) -> None:
    for each in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_FILES)):
        found = tighten(each)
        if found is not None and on_loosened is not None:
            on_loosened(found)


def make_engine(
    url: str, *, create: bool = True, on_loosened: Callable[[Loosened], None] | None = None
) -> Engine:
    """An engine for `url`. For SQLite: with `create`, a missing file (and its folder) is
    made, owner-only; without it, DatabaseMissing. A file others could read is made
    owner-only if it is ours (`on_loosened` is told). A file that cannot be written is
    opened read-only."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    path = sqlite_file(parsed)
    target: str | URL = url
    read_only = False
    if path is not None and not path.exists():
        if not create or parsed.query.get("mode") == "ro":
            raise DatabaseMissing(path)
        make_folders(path.parent)
        with contextlib.suppress(FileExistsError):  # made by another process meanwhile
            create_private(path)
    elif path is not None:
        _tighten_all(path, on_loosened)
        if parsed.query.get("mode") == "ro" or not _writable(path):
            read_only = True
            target = _read_only_url(path)
    engine = create_engine(target, connect_args={"check_same_thread": False}, hide_parameters=True)
    event.listen(engine, "connect", _sqlite_pragmas(read_only))
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


@contextlib.contextmanager
def unit(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: a session in a transaction, committed at the end of the `with`
    and rolled back if it raises (every store's writes go through it)."""
    with sessions() as session, session.begin():
        yield session
