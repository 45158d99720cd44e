"""What the console opens once its first screen is painted, off the screen's thread: its
settings, the database and the script library (wiring.open_front_door), who takes the
calls, and whether anyone must sign in. Each of these imports or reads more than the
paint itself (pydantic-settings, SQLAlchemy and every table, the library's check)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontdoor.console.settings import Settings
    from frontdoor.console.wiring import FrontDoor
    from frontdoor.private_files import Loosened


@dataclass(frozen=True)
class Opened:
    front: FrontDoor
    # who takes the calls while the database has no users (--user, else FRONTDOOR_USER,
    # else the login name)
    handler: str
    # the name filled in on the sign-in screen
    sign_in_as: str | None
    # asked here, off the screen's thread: the sign-in screen, or the desk at once
    users_exist: bool
    # what a command says on stderr as it opens (a log it cannot write, files of ours
    # that others could read): said on the screen, which stderr is by then
    notices: tuple[str, ...] = ()


def open_console(settings: Settings, user: str | None) -> Opened:
    """The log started and the database opened as `frontdoor console` does it; its
    failures (a database that does not answer, a library with errors) are raised as from
    any command."""
    from frontdoor.console.commands.common import log_loosened, no_log, open_from, who_is_using
    from frontdoor.console.logs import configure_logging

    notices: list[str] = []
    if not configure_logging(settings.log_file):
        notices.append(no_log(settings.log_file))

    def found(what: Loosened) -> None:
        log_loosened(what)
        notices.append(str(what))

    front = open_from(settings, on_loosened=found)
    try:
        users_exist = front.users.count() > 0
    except BaseException:
        front.engine.dispose()
        raise
    return Opened(
        front, who_is_using(settings, user), user or settings.user, users_exist, tuple(notices)
    )
