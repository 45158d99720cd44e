"""What the console opens once its first screen is painted, off the screen's thread, in
two steps. `open_console`, before the sign-in or ready screen: its settings, its log, the
database at this release's schema (wiring.open_front_door with `defer`), who takes the
calls, and whether anyone must sign in. `finish_opening`, once that screen is painted:
the config, the script library brought in and checked, the stores and the calls' own
modules; until it is done the console keeps the keys typed (no call starts on a library
not yet checked), and what it raises closes the console as `open_console`'s would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
    # the rest, run once the sign-in or ready screen is painted (finish_opening)
    finish: Callable[[], None] = field(default=lambda: None)


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

    front = open_from(settings, on_loosened=found, defer=True)
    try:
        users_exist = front.has_users()  # SQLAlchemy Core: the ORM follows the screen
    except BaseException:
        front.engine.dispose()
        raise
    return Opened(
        front,
        who_is_using(settings, user),
        user or settings.user,
        users_exist,
        tuple(notices),
        lambda: finish_opening(front),
    )


def finish_opening(front: FrontDoor) -> None:
    """The rest of what `frontdoor console` opens (wiring.FrontDoor.finish_opening): the
    library brought in, read and checked (LibraryError, PublishedLibraryError), the
    config (ConfigError), the stores; and the calls' modules imported, so that the first
    call does not wait for them."""
    import frontdoor.calls.call  # noqa: F401

    front.finish_opening()
