"""Before an export that names people: the database can hold its audit row, and the file
can be written (it is written owner-only, by private_files.py)."""

from __future__ import annotations

import os
from pathlib import Path

from frontdoor.console.commands.common import Refused
from frontdoor.console.crash import hide_password
from frontdoor.console.wiring import FrontDoor
from frontdoor.db.engine import is_read_only


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
