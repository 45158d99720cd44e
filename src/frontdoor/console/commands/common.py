"""What every subcommand shares: --db/--config/--debug, and errors as one sentence.

Errors are one plain sentence on stderr saying what was wrong and what to do; a
traceback only with --debug. Exit 0 success, 1 "ran and found problems", 2 bad usage
or input that could not be read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy.exc import SQLAlchemyError

from frontdoor.console.settings import Settings, load_settings
from frontdoor.console.vocabulary import ConfigError
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.directory.feed import FeedError
from frontdoor.directory.store import DirectoryError
from frontdoor.triage_scripts.library import LibraryError

F = TypeVar("F", bound=Callable[..., Any])


class Refused(click.ClickException):
    """Input that could not be read: exit 2, one sentence."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"frontdoor: {self.message}", err=True)


def explain(exc: Exception) -> str:
    if isinstance(exc, ConfigError | FeedError | DirectoryError):
        return str(exc)
    if isinstance(exc, LibraryError):
        return f"the script library does not load: {exc} (run 'frontdoor scripts lint' on it)"
    if isinstance(exc, SQLAlchemyError):
        return (
            f"the database could not be used ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0]}); check --db or FRONTDOOR_DB"
        )
    return f"{type(exc).__name__}: {exc} (run again with --debug for details)"


def common(func: F) -> F:
    """--db, --config and --debug on every subcommand; errors as one sentence."""

    @click.option(
        "--db", "db", help="Database URL (default: FRONTDOOR_DB, else a file in your data folder)."
    )
    @click.option(
        "--config",
        "config",
        type=click.Path(path_type=Path),
        help="Config folder (default: FRONTDOOR_CONFIG, else the bundled one).",
    )
    @click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
    @functools.wraps(func)
    def wrapper(*args: Any, db: str | None, config: Path | None, debug: bool, **kwargs: Any) -> Any:
        try:
            settings = load_settings(db=db, config=config)
            return func(settings, *args, **kwargs)
        except click.ClickException:
            raise
        except Exception as exc:
            if debug:
                raise
            raise Refused(explain(exc)) from exc

    return wrapper  # type: ignore[return-value]


def open_from(settings: Settings) -> FrontDoor:
    """The database and library for a command, with logging to the log file."""
    from frontdoor.console.logs import configure_logging

    configure_logging(settings.log_file)
    return open_front_door(settings)
