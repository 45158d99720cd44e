"""Bring a database's schema up to date with the Alembic migrations in this package.

Two databases are refused in words rather than by Alembic's own errors: one made by a
newer release (its revision is not one this release knows), and a read-only one whose
schema is older than this release (it cannot be upgraded, and reading it with this
release's tables would fail further on).

Alembic is imported only when a database is not at this release's head: most starts find
it current, and importing Alembic (with Mako) took longer than the console takes to paint
its first screen. Whether it is current is read from `alembic_version` with one query,
against the revisions this release's migration files declare (`revision = "..."`).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory


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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("frontdoor.db") / "migrations"))
    config.attributes["engine"] = engine
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    """This release's migrations, read once a process: they do not change while it runs,
    and reading them (each a Python file) was a sixth of the time opening Front Door took."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(resources.files("frontdoor.db") / "migrations"))
    return ScriptDirectory.from_config(config)


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(script.revision for script in _scripts().walk_revisions())


def known_revisions(engine: Engine) -> frozenset[str]:
    return _known()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


_DECLARED = re.compile(
    r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:"([^"]*)"|'([^']*)'|None)\s*$""", re.M
)


@functools.cache
def declared_head() -> str | None:
    """This release's head as its migration files declare it, without importing Alembic;
    None when the files do not say it plainly (then Alembic is asked)."""
    folder = resources.files("frontdoor.db") / "migrations" / "versions"
    revisions: set[str] = set()
    downs: set[str] = set()
    for entry in folder.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        found = {m[1]: m[2] or m[3] for m in _DECLARED.finditer(entry.read_text("utf-8"))}
        if "revision" not in found or "down_revision" not in found:
            return None  # a tuple of parents, a merge: left to Alembic
        revisions.add(found["revision"])
        if found["down_revision"]:
            downs.add(found["down_revision"])
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def is_at_head(engine: Engine) -> bool:
    """Whether the database is already at this release's head, by one query and without
    Alembic; False when that cannot be told so cheaply (Alembic then looks)."""
    head = declared_head()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:  # no such table yet: a new database
        return False
    return [row[0] for row in rows] == [head]


def head_revision(engine: Engine) -> str | None:
    return _scripts().get_current_head()


def check_known(engine: Engine) -> str | None:
    """The database's revision, or SchemaTooNew if a newer release made it."""
    if is_at_head(engine):
        return declared_head()
    revision = current_revision(engine)
    if revision is not None and revision not in known_revisions(engine):
        raise SchemaTooNew(revision)
    return revision


def check_current(engine: Engine) -> None:
    """For a database that is only read: its schema is exactly this release's."""
    if is_at_head(engine):
        return
    revision = check_known(engine)
    head = head_revision(engine)
    if head is not None and revision != head:
        raise SchemaBehind(revision, head)


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and is_at_head(engine):
        return
    from alembic import command

    check_known(engine)
    command.upgrade(alembic_config(engine), revision)
