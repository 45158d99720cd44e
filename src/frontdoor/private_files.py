"""Files and folders only their owner may read: every file Front Door writes holds, or may
hold, someone's name, date of birth or notes (the database, its logs, journals, exports,
reports, handovers), so each is made owner-only (0600, folders 0700) as it is created.

A file is created with its mode (os.open), never chmod-ed once the data is in: between
the two, anyone on the machine could open it and keep the descriptor. A file that already
exists and that others may read is tightened before anything is written to it, when this
process owns it; `loosened` says whether one needs to be.

A leaf module with no imports of ours: the database, the journal, the logs and the CLI's
exports all write files, and cannot import one another.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path
from typing import TextIO

FILE_MODE = 0o600
FOLDER_MODE = 0o700
# what group and others may do: anything here is too much
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


@dataclass(frozen=True)
class Loosened:
    """A file or folder that others could read, as it was found."""

    path: Path
    mode: int  # its permission bits when found, e.g. 0o644
    tightened: bool  # made owner-only; False when another user owns it

    def __str__(self) -> str:
        done = (
            f"made owner-only (mode {self.mode:o} -> {self.mode & ~_OTHERS:o})"
            if self.tightened
            else "left as it is: another user owns it; ask them to run chmod go= on it"
        )
        return f"{self.path} could be read by other users of this machine: {done}"


def _owned(info: os.stat_result) -> bool:
    return info.st_uid == os.geteuid()


def tighten(path: Path) -> Loosened | None:
    """Make `path` (a file or a folder) owner-only if others may use it and this process
    owns it. None when it was already private, or is not there."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    mode = stat.S_IMODE(info.st_mode)
    if not mode & _OTHERS:
        return None
    if not _owned(info):
        return Loosened(path, mode, tightened=False)
    path.chmod(mode & ~_OTHERS)
    return Loosened(path, mode, tightened=True)


def make_folders(path: Path) -> None:
    """Make `path` and any missing folders above it, each owner-only; folders already
    there are left as they are (a database named in a shared folder leaves it alone)."""
    missing = list(takewhile(lambda folder: not folder.exists(), (path, *path.parents)))
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            folder.mkdir(mode=FOLDER_MODE)


def private_folder(path: Path) -> Loosened | None:
    """A folder of Front Door's own (its data, logs, journals): made owner-only, or, if
    it was there already, tightened when this process owns it. What was loosened."""
    make_folders(path)
    return tighten(path)


def _private_descriptor(path: Path, flags: int) -> int:
    descriptor = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        info = os.fstat(descriptor)
        if stat.S_IMODE(info.st_mode) & _OTHERS and _owned(info):
            # an existing file that others could read: private before a byte is written
            os.fchmod(descriptor, stat.S_IMODE(info.st_mode) & ~_OTHERS)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def open_private(path: Path, *, append: bool = False) -> TextIO:
    """`path` opened for writing text (replaced, or appended to), created owner-only."""
    flags = os.O_WRONLY | (os.O_APPEND if append else os.O_TRUNC)
    return os.fdopen(_private_descriptor(path, flags), "a" if append else "w", encoding="utf-8")


def write_private(path: Path, text: str) -> None:
    """`text` written to `path`, replacing what was there; created owner-only."""
    with open_private(path) as file:
        file.write(text)


def create_private(path: Path) -> None:
    """An empty file at `path`, owner-only, for another program to fill (SQLite gives its
    WAL and journal files the database file's mode)."""
    os.close(_private_descriptor(path, os.O_WRONLY | os.O_EXCL))
