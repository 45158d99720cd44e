"""A failure nothing else handled: logged as its type and place, said in words that say
what to do, and a non-zero exit. Never a traceback: Textual's and Python's both print
local variables or messages, which hold the database password and the caller's answers.

`explain` words any failure for the CLI and the console alike. `ShowsFailuresInWords`
is the console's half: Textual 8 has no public hook for an unhandled exception, and every
path that meets one (message handlers, workers, timers, screens) calls
`App._handle_exception`, which renders a Rich traceback with locals (`_fatal_error`)
unless the exception has `__rich__`, in which case it is shown by `panic` instead. So the
mixin logs the failure and hands Textual a stand-in exception whose `__rich__` is the
words: Textual still sets `return_code` to 1, stops the app, restores the terminal and
prints the words, and the original stays attached as `__cause__` for tests under Pilot.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontdoor.console.logs import log_failure, log_path
from frontdoor.terminal_text import visible

if TYPE_CHECKING:
    from rich.text import Text
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError
    from textual.app import App

    from frontdoor.triage_scripts.library import LibraryError
    from frontdoor.triage_scripts.live_library import PublishedLibraryError

    _AppBase = App[Any]
else:
    _AppBase = object

# Exit statuses of every `frontdoor` command.
EXIT_PROBLEMS = 1  # ran, and found problems (lint errors, failed tests, bad lines)
EXIT_REFUSED = 2  # bad usage, or input it could not use (a file, a setting, a database)
EXIT_FAILED = 3  # could not finish: the database did not answer, or something unexpected


@dataclass(frozen=True)
class Explained:
    words: str
    exit_code: int


def hide_password(url: str) -> str:
    """A database URL fit to show: the password as ***; not even that if it does not parse."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(the database URL given)"


def _without(secret: str | None, text: str) -> str:
    return text.replace(secret, "***") if secret else text


def _driver_reason(exc: DBAPIError, url: str | None) -> str:
    """(the driver's own first line, why it failed)", with the password removed; nothing
    when the URL, and so the password, is not known."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if not url:
        return ""
    line = (str(exc.orig).strip().splitlines() or [""])[0].strip()
    with contextlib.suppress(ArgumentError):
        line = _without(make_url(url).password, line)
    line = _without(url, line).rstrip(".")
    return f" ({line})" if line else ""


def _log_hint() -> str:
    path = log_path()
    return f"the log at {path}" if path else "the log"


def _database_words(exc: SQLAlchemyError, url: str | None) -> Explained:
    from sqlalchemy.exc import InterfaceError, OperationalError

    where = f"the database at {hide_password(url)}" if url else "the database"
    driver = getattr(exc, "orig", None)
    if getattr(driver, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
        return Explained(
            f"{where} is read-only, and this needs to write to it: use a copy you can "
            "write to, or ask whoever looks after it",
            EXIT_REFUSED,
        )
    if isinstance(exc, OperationalError | InterfaceError):
        return Explained(
            f"{where} did not answer{_driver_reason(exc, url)}: check that the database "
            "server is running and that --db or FRONTDOOR_DB names it, then try again",
            EXIT_FAILED,
        )
    return Explained(
        f"{where} refused the work ({type(exc).__name__}); it is in {_log_hint()}. Try "
        "again, and if it happens again tell whoever looks after Front Door",
        EXIT_FAILED,
    )


def _library_words(exc: LibraryError) -> str:
    lines = "\n".join(f"  {problem}" for problem in exc.problems)
    return (
        f"the script library has {len(exc.problems)} error(s), so it is not used:\n{lines}\n"
        "Fix each one ('frontdoor scripts lint FOLDER' checks them again)."
    )


def _published_words(exc: PublishedLibraryError) -> str:
    lines = "\n".join(f"  {problem}" for problem in exc.problems)
    return (
        f"the scripts published in the database have {len(exc.problems)} error(s) against "
        f"this service's config, so no call could run them:\n{lines}\n"
        "A lead submits and approves a corrected version of each script named "
        "(frontdoor scripts submit / approve), or the config is put back as it was."
    )


def explain(exc: BaseException, url: str | None = None) -> Explained:
    """Words for any failure, and the exit status it deserves. `url` is the database
    the command used, shown with its password hidden."""
    # here, not at the top: a feed's module brings the directory's model (and phone
    # numbers' metadata), and the rest SQLAlchemy and the domain's models, none of which
    # the console's first screen needs (it is painted before the database is opened)
    from pydantic import ValidationError
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from frontdoor.access.audit import AuditUnavailable
    from frontdoor.access.views import ViewNotRecorded
    from frontdoor.console.vocabulary import ConfigError
    from frontdoor.db.engine import DatabaseMissing
    from frontdoor.db.migrate import SchemaBehind, SchemaTooNew
    from frontdoor.directory.feed import FeedError
    from frontdoor.directory.store import DirectoryError
    from frontdoor.triage_scripts.library import LibraryError
    from frontdoor.triage_scripts.live_library import PublishedLibraryError

    if isinstance(exc, ConfigError | FeedError | DirectoryError):
        return Explained(str(exc), EXIT_REFUSED)
    if isinstance(exc, ViewNotRecorded | AuditUnavailable):  # their words say what to do
        return Explained(str(exc), EXIT_FAILED)
    if isinstance(exc, PublishedLibraryError):
        return Explained(_published_words(exc), EXIT_REFUSED)
    if isinstance(exc, LibraryError):
        return Explained(_library_words(exc), EXIT_REFUSED)
    if isinstance(exc, DatabaseMissing):
        create = (
            f"frontdoor db upgrade --db {hide_password(url)}" if url else "frontdoor db upgrade"
        )
        return Explained(
            f"there is no database at {exc.path}: check the path in --db or FRONTDOOR_DB; "
            f"to make a new, empty one there, run '{create}'",
            EXIT_REFUSED,
        )
    if isinstance(exc, SchemaTooNew):
        return Explained(
            f"this database was made by a newer Front Door (revision {exc.revision}); "
            "upgrade Front Door",
            EXIT_REFUSED,
        )
    if isinstance(exc, SchemaBehind):
        return Explained(
            "this database cannot be written to, and it was made by an older Front Door "
            f"(revision {exc.revision or 'none'}; this one needs {exc.head}): someone who "
            "can write to it should run 'frontdoor db upgrade' on it first",
            EXIT_REFUSED,
        )
    if isinstance(exc, ArgumentError):  # includes an unknown driver
        return Explained(
            "--db or FRONTDOOR_DB is not a database URL Front Door can use: give one like "
            "sqlite:///path/to/frontdoor.db or postgresql+psycopg://user@host/name",
            EXIT_REFUSED,
        )
    if isinstance(exc, SQLAlchemyError):
        return _database_words(exc, url)
    if isinstance(exc, ValidationError):
        wrong = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in exc.errors(include_input=False, include_url=False)
        )
        return Explained(
            f"a setting is not valid ({wrong}): check settings.yaml in the config folder "
            "and the FRONTDOOR_* variables",
            EXIT_REFUSED,
        )
    return Explained(
        f"something unexpected went wrong ({type(exc).__name__}); it is in {_log_hint()}. "
        "Everything saved before is kept. Try again, and if it happens again tell "
        "whoever looks after Front Door, with the time it happened",
        EXIT_FAILED,
    )


class WordedFailure(Exception):
    """What Textual is given instead of the failure: it renders as words, not a traceback."""

    def __init__(self, words: str) -> None:
        super().__init__(words)
        self.words = words

    def __rich__(self) -> Text:
        from rich.text import Text

        # as text, never markup; printed once the screen is gone, so nothing filters it
        return Text(f"frontdoor: {visible(self.words)}")


class ShowsFailuresInWords(_AppBase):
    """Mix into the console's App (before App): an unhandled failure is logged, shown as
    words once the terminal is back, and `failure` says what it was."""

    failure: Explained | None = None
    # the database in use, so that words about it can name it (password hidden)
    database_url: str | None = None

    def _handle_exception(self, error: Exception) -> None:
        from textual.worker import WorkerFailed

        cause = error.error if isinstance(error, WorkerFailed) else error
        if not isinstance(cause, Exception):  # a worker stopped by a BaseException
            cause = error
        log_failure("console_failed", cause)
        if hasattr(cause, "__rich__") and type(cause).__module__.startswith("textual.css"):
            # a stylesheet error renders as the .tcss lines at fault: for the developer
            self.failure = self.failure or Explained("the stylesheet has errors", EXIT_FAILED)
            super()._handle_exception(error)
            return
        explained = explain(cause, self.database_url)
        if self.failure is None:  # Textual shows the first; so do we
            self.failure = explained
        stand_in = WordedFailure(explained.words)
        stand_in.__cause__ = cause
        super()._handle_exception(stand_in)


def run_console(
    app: ShowsFailuresInWords, database_url: str | None = None, *, headless: bool = False
) -> int:
    """Run the app to its end; the exit status for the command."""
    app.database_url = database_url
    app.run(headless=headless)
    if app.failure is not None:
        return app.failure.exit_code
    return app.return_code or 0
