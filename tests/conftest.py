"""Shared fixtures: a fixed clock, throw-away databases copied from templates migrated once
per run, a PostgreSQL server a test may stop, and ../shared when it exists."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from frontdoor.console.logs import configure_logging
from frontdoor.console.settings import Settings, load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.db.engine import make_engine
from frontdoor.db.migrate import upgrade
from tests.outage import ClusterTemplate, ClusterUnavailable, OwnPostgres

SHARED = Path(__file__).resolve().parents[2] / "shared"
START = dt.datetime(2026, 11, 23, 8, 55, tzinfo=dt.UTC)  # a Monday, 8.55


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `long` first: started last, one would keep its test process running
    alone at the end while the others have finished (the week's simulation did, by half
    a minute on a loaded machine). The rest keep their order."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture(scope="session", autouse=True)
def own_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The CLI's default log and database go to folders of this run's own, never into the
    real user's (shared by everyone on the machine, and kept between runs)."""
    home = tmp_path_factory.mktemp("user")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            patch.setenv(name, str(home / name.lower()))
        yield


class FakeClock:
    """A clock that moves only when told to, so times in the record are exact."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def shared_path(*parts: str) -> Path:
    """A file in ../shared; skips on a user's machine, fails in CI where it must exist."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs with ../shared beside the clone")
        pytest.skip(f"{path} is not here (../shared is only beside CI and developer clones)")
    return path


def unavailable(reason: str) -> NoReturn:
    """Skip on a user's machine; fail in CI, where everything the tests need is installed."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run every test")
    pytest.skip(reason)


def postgres_admin_url() -> str:
    """A PostgreSQL server to test against (FRONTDOOR_TEST_PG, a URL whose user may create
    databases). Skips on a machine without one; fails in CI, where .ci/run starts one."""
    url = os.environ.get("FRONTDOOR_TEST_PG")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("FRONTDOOR_TEST_PG is not set: .ci/run starts PostgreSQL and sets it")
        pytest.skip("no PostgreSQL server (set FRONTDOOR_TEST_PG to test against one)")
    return url


# --- Databases: migrated once per run, copied for each test ---------------------------------
#
# Running Alembic for every test costs more than copying a file (SQLite) or a template
# database (PostgreSQL). Tests of the migrations themselves take `empty_db_url`.


def copy_sqlite(template: Path, target: Path) -> str:
    """A database of the test's own at `target`, a copy of a migrated template; its URL.
    Owner-only, as Front Door makes its own (one others could read is tightened, and
    said so on stderr, when opened)."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with template.open("rb") as source, os.fdopen(descriptor, "wb") as copy:
        shutil.copyfileobj(source, copy)
    return f"sqlite:///{target}"


def _seal_sqlite(work: Path, template: Path) -> Path:
    """The database built at `work` (WAL and all, whoever still has it open) as one file at
    `template`, so that copying the file copies it all; the console's engine turns WAL
    back on when it opens a copy."""
    with (
        contextlib.closing(sqlite3.connect(work)) as source,
        contextlib.closing(sqlite3.connect(template)) as sealed,
    ):
        source.backup(sealed)
        sealed.execute("PRAGMA journal_mode=DELETE")
    return template


def patient_sqlite(engine: Engine) -> Engine:
    """For tests of many threads writing at once: SQLite waits up to 60 s for the write lock
    instead of the console's 5 s (db/engine.py). On a machine busy with other work twenty
    writers can queue past 5 s, and the test failed on 'database is locked' by the load,
    not by what it checks (nothing lost, nothing twice). A server database is unchanged."""
    if engine.url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _wait_a_minute_for_the_lock)
    return engine


def _wait_a_minute_for_the_lock(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout=60000")  # after the engine's own 5 s


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with every migration applied, and nothing in it."""
    folder = tmp_path_factory.mktemp("templates")
    engine = make_engine(f"sqlite:///{folder / 'building.db'}")
    upgrade(engine)
    engine.dispose()
    return _seal_sqlite(folder / "building.db", folder / "migrated.db")


@pytest.fixture(scope="session")
def sqlite_directory_template(sqlite_template: Path) -> Path:
    """The migrated template with the bundled demo directory loaded at START, as `front`
    always had it."""
    work = sqlite_template.with_name("building-directory.db")
    door = open_front_door(
        load_settings(db=copy_sqlite(sqlite_template, work)), clock=FakeClock(), migrate=False
    )
    door.load_demo_directory()
    door.engine.dispose()
    return _seal_sqlite(work, sqlite_template.with_name("directory.db"))


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    engine = create_engine(make_url(postgres_admin_url()), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def _create_database(admin: Engine, template: str | None = None) -> str:
    name = f"frontdoor_test_{uuid.uuid4().hex[:10]}"
    like = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{like}'))
    return name


def _drop_database(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _url_of(admin: Engine, name: str) -> str:
    return admin.url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_template(postgres_admin: Engine) -> Iterator[str]:
    """A database on the test server with every migration applied, copied by each test.
    Nothing may stay connected to it: PostgreSQL copies only an unused template."""
    name = _create_database(postgres_admin)
    engine = make_engine(_url_of(postgres_admin, name))
    upgrade(engine)
    engine.dispose()
    yield name
    _drop_database(postgres_admin, name)


@pytest.fixture
def postgres_url(postgres_admin: Engine, postgres_template: str) -> Iterator[str]:
    """A migrated database of the test's own on the test server, dropped afterwards."""
    name = _create_database(postgres_admin, postgres_template)
    yield _url_of(postgres_admin, name)
    _drop_database(postgres_admin, name)


@pytest.fixture
def empty_postgres_url(postgres_admin: Engine) -> Iterator[str]:
    """A new, empty database on the test server (no migrations), dropped afterwards."""
    name = _create_database(postgres_admin)
    yield _url_of(postgres_admin, name)
    _drop_database(postgres_admin, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each database Front Door runs on, SQLite and a real PostgreSQL server, migrated."""
    if request.param == "sqlite":
        return copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "test.db")
    return str(request.getfixturevalue("postgres_url"))


Fill = Callable[[str], None]


class FilledTemplates:
    """Templates holding data as well as the schema, filled once per run by name (a month
    of contacts, say) and copied for each test that asks, like the migrated ones."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[tuple[str, str], Path | str] = {}
        self.admin: Engine | None = None

    def sqlite(self, request: pytest.FixtureRequest, name: str, fill: Fill) -> Path:
        if ("sqlite", name) not in self.made:
            work = self.folder / f"building-{name}.db"
            fill(copy_sqlite(request.getfixturevalue("sqlite_template"), work))
            self.made["sqlite", name] = _seal_sqlite(work, self.folder / f"{name}.db")
        return Path(self.made["sqlite", name])

    def postgres(self, request: pytest.FixtureRequest, name: str, fill: Fill) -> str:
        if ("postgresql", name) not in self.made:
            self.admin = admin = request.getfixturevalue("postgres_admin")
            database = _create_database(admin, request.getfixturevalue("postgres_template"))
            fill(_url_of(admin, database))
            # whatever `fill` left connected would stop PostgreSQL copying the template
            with admin.connect() as connection:
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": database},
                )
            self.made["postgresql", name] = database
        return str(self.made["postgresql", name])

    def drop(self) -> None:
        for (backend, _), made in self.made.items():
            if backend == "postgresql" and self.admin is not None:
                _drop_database(self.admin, str(made))


@pytest.fixture(scope="session")
def filled_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FilledTemplates]:
    templates = FilledTemplates(tmp_path_factory.mktemp("filled"))
    yield templates
    templates.drop()


def filled_db_url(request: pytest.FixtureRequest, tmp_path: Path, name: str, fill: Fill) -> str:
    """For a fixture parametrized like `db_url`: a database of the test's own holding what
    `fill(url)` puts in a migrated database, filled once per run and copied per test."""
    templates: FilledTemplates = request.getfixturevalue("filled_templates")
    if request.param == "sqlite":
        return copy_sqlite(templates.sqlite(request, name, fill), tmp_path / "test.db")
    admin: Engine = request.getfixturevalue("postgres_admin")
    database = _create_database(admin, templates.postgres(request, name, fill))
    request.addfinalizer(lambda: _drop_database(admin, database))
    return _url_of(admin, database)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each database Front Door runs on, empty: for tests that run the migrations."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return str(request.getfixturevalue("empty_postgres_url"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, sqlite_template: Path) -> Settings:
    configure_logging(tmp_path / "frontdoor.log")
    return load_settings(
        db=copy_sqlite(sqlite_template, tmp_path / "test.db"),
        log_file=tmp_path / "frontdoor.log",
        journal=tmp_path / "journal",
    )


@pytest.fixture
def front(
    settings: Settings, clock: FakeClock, sqlite_directory_template: Path
) -> Iterator[FrontDoor]:
    """Front Door on a migrated database holding the demo directory (copied, not loaded)."""
    copy_sqlite(sqlite_directory_template, Path(make_url(settings.db).database or ""))
    door = open_front_door(settings, clock=clock, migrate=False)
    yield door
    door.engine.dispose()


# --- Outages: a PostgreSQL server of the test's own, SQLite made to refuse --------------------


@pytest.fixture(scope="session")
def postgres_cluster_template() -> Iterator[ClusterTemplate]:
    """One initdb per run; each `own_postgres` is a copy of it."""
    try:
        template = ClusterTemplate.create()
    except ClusterUnavailable as exc:
        unavailable(f"no PostgreSQL cluster of the tests' own: {exc}")
    yield template
    template.remove()


@pytest.fixture
def own_postgres(postgres_cluster_template: ClusterTemplate) -> Iterator[OwnPostgres]:
    """A running PostgreSQL server of this test's own, on its own port (never the shared
    one), that the test may `.stop()` and `.start()`; `.url` has an empty database its role
    owns. Removed afterwards, stopped or not."""
    server = postgres_cluster_template.new_server()
    try:
        server.start()
        yield server
    finally:
        server.destroy()
