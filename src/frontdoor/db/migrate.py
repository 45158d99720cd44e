"""Bring a database's schema up to date with the Alembic migrations in this package.

Two databases are refused in words rather than by Alembic's own errors: one made by a
newer release (its revision is not one this release knows), and a read-only one whose
schema is older than this release (it cannot be upgraded, and reading it with this
release's tables would fail further on).
"""

from __future__ import annotations

import functools
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


class SchemaTooNew(Exception):
    """The database was made by a newer release: its revision is not one of ours."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"the database is at revision {revision}, which this release does not know"
        )
        self.revision = revision


class SchemaBehind(Exception):
    """A database that cannot be written to has an older schema than this release needs."""

    def __init__(self, revision: str | None, head: str) -> None:
        super().__init__(
            f"the database is at revision {revision or 'empty'}; this release needs {head}"
        )
        self.revision = revision
        self.head = head


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("frontdoor.db") / "migrations"))
    config.attributes["engine"] = engine
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    """This release's migrations, read once a process: they do not change while it runs,
    and reading them (each a Python file) was a sixth of the time opening Front Door took."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("frontdoor.db") / "migrations"))
    return ScriptDirectory.from_config(config)


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(script.revision for script in _scripts().walk_revisions())


def known_revisions(engine: Engine) -> frozenset[str]:
    return _known()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return _scripts().get_current_head()


def check_known(engine: Engine) -> str | None:
    """The database's revision, or SchemaTooNew if a newer release made it."""
    revision = current_revision(engine)
    if revision is not None and revision not in known_revisions(engine):
        raise SchemaTooNew(revision)
    return revision


def check_current(engine: Engine) -> None:
    """For a database that is only read: its schema is exactly this release's."""
    revision = check_known(engine)
    head = head_revision(engine)
    if head is not None and revision != head:
        raise SchemaBehind(revision, head)


def upgrade(engine: Engine, revision: str = "head") -> None:
    check_known(engine)
    command.upgrade(alembic_config(engine), revision)
