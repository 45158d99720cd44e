"""What every subcommand shares: --db/--config/--debug, and errors as words.

Errors are plain words on stderr saying what was wrong and what to do, never a
traceback (a traceback only with --debug, for developers). A failure is logged as its
type and place, never its message. Exit statuses are in console/crash.py: 0 success,
1 "ran and found problems", 2 bad usage or input it could not use, 3 could not finish.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from frontdoor.access.roles import Role
from frontdoor.console.commands.visible_output import visible_output
from frontdoor.console.crash import EXIT_FAILED, EXIT_PROBLEMS, EXIT_REFUSED, explain
from frontdoor.console.locations import data_dir, default_db_url, log_dir
from frontdoor.console.logs import configure_logging, get_logger, log_failure, log_path
from frontdoor.private_files import Loosened, private_folder

if TYPE_CHECKING:
    # Imported where used: the settings bring pydantic-settings, and the wiring SQLAlchemy
    # and every table, which the console loads only after its first screen is painted.
    from frontdoor.console.settings import Settings
    from frontdoor.console.wiring import Admit, FrontDoor

F = TypeVar("F", bound=Callable[..., Any])

# ctx.meta key: --debug was given, so failures go up as Python's own traceback.
DEBUG = "frontdoor.debug"
# Ways of ending a command that are not failures of ours: click's own, and a reader
# that stopped reading (`frontdoor contacts export | head`).
_ENDINGS = (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError)


class Refused(click.ClickException):
    """Input that could not be used: exit 2, plain words."""

    exit_code = EXIT_REFUSED

    def show(self, file: Any = None) -> None:
        click.echo(f"frontdoor: {self.message}", err=True)


class Failed(Refused):
    """The command could not finish (the database did not answer, or a fault): exit 3."""

    exit_code = EXIT_FAILED


def _start_log(path: Path) -> None:
    if not configure_logging(path):
        click.echo(f"frontdoor: {no_log(path)}", err=True)


def no_log(path: Path) -> str:
    return f"cannot write the log at {path}; carrying on without it"


def failed(exc: Exception, url: str | None = None, command: str | None = None) -> Refused:
    """Log `exc` (type and place) and turn it into words with the right exit status."""
    if log_path() is None:
        _start_log(log_dir() / "frontdoor.log")
    if command is None:
        context = click.get_current_context(silent=True)
        # the subcommand, without the program's name ("contacts export")
        command = " ".join(context.command_path.split()[1:]) if context else ""
    log_failure("command_failed", exc, command=command or "frontdoor")
    explained = explain(exc, url)
    cls = Failed if explained.exit_code == EXIT_FAILED else Refused
    return cls(explained.words)


class FrontDoorGroup(click.Group):
    """The `frontdoor` group: whatever a subcommand lets escape is worded, never a traceback;
    whatever any command prints is visible text, never a terminal's control sequence."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with visible_output():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        rest = list(ctx.args)  # the words after the subcommand's name; click clears them
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # as Python's documentation advises: nothing more to say, and nowhere to say it
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_PROBLEMS)
        except _ENDINGS:
            raise
        except Exception as exc:
            if ctx.meta.get(DEBUG):
                raise
            raise failed(exc, command=self._named(ctx, ctx.invoked_subcommand, rest)) from None

    def _named(self, ctx: click.Context, first: str | None, rest: list[str]) -> str:
        """The subcommand that ran ("scripts test"), for the log."""
        current = None if first is None else self.get_command(ctx, first)
        if first is None or current is None:
            return ""
        words = [first]
        for word in rest:
            if not isinstance(current, click.Group) or word not in current.commands:
                break
            words.append(word)
            current = current.commands[word]
        return " ".join(words)


@dataclass(frozen=True)
class Asked:
    """--db and --config as given, for the console: its settings are loaded, and its log
    started (console/opening.py), after its first screen is painted."""

    db: str | None
    config: Path | None

    def settings(self) -> Settings:
        from frontdoor.console.settings import load_settings

        return load_settings(db=self.db, config=self.config)


def common(func: F) -> F:
    """--db, --config and --debug on every subcommand; logging to the log file; errors
    as words."""
    return _with_options(func, load=True)


def common_asked(func: F) -> F:
    """As `common`, but the command is given what was asked (`Asked`), not the settings:
    it loads them (and starts the log) when it is ready to."""
    return _with_options(func, load=False)


def _with_options(func: F, *, load: bool) -> F:

    @click.option(
        "--db", "db", help="Database URL (default: FRONTDOOR_DB, else a file in your data folder)."
    )
    @click.option(
        "--config",
        "config",
        type=click.Path(path_type=Path),
        help="Config folder (default: FRONTDOOR_CONFIG, else the bundled one).",
    )
    @click.option(
        "--debug", is_flag=True, help="On errors, show Python's traceback (for developers)."
    )
    @functools.wraps(func)
    def wrapper(*args: Any, db: str | None, config: Path | None, debug: bool, **kwargs: Any) -> Any:
        click.get_current_context().meta[DEBUG] = debug
        url = db
        try:
            if not load:
                return func(Asked(db, config), *args, **kwargs)
            from frontdoor.console.settings import load_settings

            settings = load_settings(db=db, config=config)
            url = settings.db
            _start_log(settings.log_file)
            return func(settings, *args, **kwargs)
        except _ENDINGS:
            raise
        except Exception as exc:
            if debug:
                raise
            raise failed(exc, url) from None

    return wrapper  # type: ignore[return-value]


def who_is_using(
    settings: Settings, given: str | None = None, front: FrontDoor | None = None
) -> str:
    """Who a command acts as, the one place that says so. Once someone has signed in on
    `front` (`--as`, docs/access.md), the signed-in user, whatever else is given: the
    record names who did it. Before the first user, the name given (--user, --by, --as),
    else FRONTDOOR_USER or `user` in settings.yaml, else the login name."""
    import getpass

    if front is not None and signed_in(front):
        return front.trail.actor.user
    return (given or "").strip() or settings.user or getpass.getuser()


def signed_in(front: FrontDoor) -> bool:
    """Whether a user signed in on this process: only a sign-in gives the audit's actor
    one of the roles (before the first user it has them all, in words)."""
    return front.trail.actor.role in _ROLE_NAMES


_ROLE_NAMES = frozenset(role.value for role in Role)


def say_loosened(found: Loosened) -> None:
    """A file or folder of ours that others could read: said once, when it is made
    private (or found not ours to change), on stderr and in the log."""
    click.echo(f"frontdoor: {found}", err=True)
    log_loosened(found)


def log_loosened(found: Loosened) -> None:
    get_logger().warning(
        "readable_by_others",
        path=str(found.path),
        mode=f"{found.mode:o}",
        tightened=found.tightened,
    )


def may_create(settings: Settings) -> bool:
    """Only the default database is made on first use (`make run` on a new machine); any
    other path that does not exist is a typo until `frontdoor db upgrade` makes it."""
    return settings.db == default_db_url()


def keep_data_folder_private(
    settings: Settings, on_loosened: Callable[[Loosened], None] = say_loosened
) -> None:
    """The default database's folder is Front Door's own: owner-only, as the file (a
    folder named by --db is the user's, and only made if missing)."""
    if may_create(settings):
        found = private_folder(data_dir())
        if found is not None:
            on_loosened(found)


def open_from(
    settings: Settings,
    *,
    check_library: bool = True,
    admit: Admit | None = None,
    on_loosened: Callable[[Loosened], None] = say_loosened,
    defer: bool = False,
) -> FrontDoor:
    """The database and library for a command (`admit`, `defer`: see open_front_door).
    Files of ours that others could read are said on stderr (`on_loosened`: the console,
    whose screen stderr would not reach, says them on its screen)."""
    from frontdoor.console.wiring import open_front_door

    keep_data_folder_private(settings, on_loosened)
    return open_front_door(
        settings,
        create=may_create(settings),
        check_library=check_library,
        on_loosened=on_loosened,
        admit=admit,
        defer=defer,
    )
