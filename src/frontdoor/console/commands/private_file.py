"""Files that name people, written readable by their owner only (0600): made with that
mode, never loosened, and an existing file others could read tightened before a byte is
written to it."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO

from frontdoor.console.commands.common import Refused
from frontdoor.console.crash import hide_password
from frontdoor.console.wiring import FrontDoor
from frontdoor.db.engine import is_read_only

_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def refuse_unaudited(front: FrontDoor) -> None:
    """An export that names people is audited before it leaves: from a database this
    cannot write to, it cannot be."""
    if is_read_only(front.engine):
        raise Refused(
            f"the database at {hide_password(front.settings.db)} is read-only here, and an "
            "export that names people is recorded in its audit before it is written: run "
            "this as someone who can write to the database"
        )


def check_writable(out: Path) -> None:
    """Said before anything is read or recorded: an export audited as made is written."""
    folder = out.absolute().parent
    if not folder.is_dir():
        raise Refused(f"cannot write {out}: the folder {folder} does not exist")
    if out.is_dir():
        raise Refused(f"cannot write {out}: it is a folder; give a file's name")
    if not os.access(out if out.exists() else folder, os.W_OK):
        raise Refused(f"cannot write {out}: you may not write there")


def open_private(path: Path) -> TextIO:
    """`path` opened for writing text, replacing what was there, owner-only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        mode = stat.S_IMODE(os.fstat(descriptor).st_mode)
        if mode & _OTHERS:
            os.fchmod(descriptor, mode & ~_OTHERS)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "w", encoding="utf-8")
