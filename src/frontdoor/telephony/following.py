"""Following a queue_log as the telephone system writes it, and as logrotate rotates it,
one look at a time (the caller decides when to look: a test looks step by step).

- A line is read once its newline is there; the half-written last line waits.
- Rotation by rename: the old file is kept open and read to its end, and goes on being read
  while the PBX may still write to it (until it reopens the log at the path), alongside
  the new file at the path; it is let go once it has not grown for `let_go_after` looks.
- Copy-truncate: the file is the same file, rewritten from its start. Its size is no sign
  (the PBX may have written more than had been read before the follower looks again), so
  the bytes just before the position read so far are kept and compared: when they are no
  longer there, reading starts again at byte 0. What was read before stays held.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from frontdoor.telephony.queue_lines import FileLine, split_lines

# the bytes kept to recognise the file's content at the position read so far
TAIL = 64
# how much of a file one look reads, so a large file is stored in pieces as it is read
LOOK_BYTES = 1 << 20


@dataclass
class OpenFile:
    """One file being read: how far, in bytes, and the number of its next line."""

    handle: BinaryIO
    position: int = 0
    number: int = 1
    tail: bytes = b""  # the bytes just before `position`
    quiet: int = 0  # looks since it last gave a line (a rotated file is let go when quiet)

    @property
    def identity(self) -> tuple[int, int]:
        stat = os.fstat(self.handle.fileno())
        return stat.st_dev, stat.st_ino

    def rewritten(self) -> bool:
        """The file was truncated (and perhaps written again) since it was last read."""
        if os.fstat(self.handle.fileno()).st_size < self.position:
            return True
        if not self.tail:
            return False
        return os.pread(self.handle.fileno(), len(self.tail), self.position - len(self.tail)) != (
            self.tail
        )

    def start_again(self) -> None:
        self.position, self.number, self.tail = 0, 1, b""

    def read(self, final: bool = False, most: int = LOOK_BYTES) -> tuple[list[FileLine], bool]:
        """The complete lines written since the last read (with `final`, a last line
        without its newline too), and whether more was left for the next read."""
        data = os.pread(self.handle.fileno(), most, self.position)
        more = len(data) == most
        lines, used = split_lines(data, self.number, self.position == 0, final and not more)
        if more and not used:
            # no newline in a whole look's bytes (Asterisk's lines are at most 8 KB): taken
            # as a line as it stands, so the reader moves on rather than wait for ever
            lines, used = split_lines(data, self.number, self.position == 0, final=True)
        if used:
            self.position += used
            self.number += len(lines)
            self.tail = (self.tail + data[:used])[-TAIL:]
        return lines, more

    def close(self) -> None:
        self.handle.close()


@dataclass(frozen=True)
class LinesRead:
    lines: list[FileLine]
    rotated: bool  # from a file rotated away from the path (its line numbers are its own)


@dataclass
class QueueLogFollower:
    path: Path
    let_go_after: int = 20  # looks without a line before a rotated file is let go
    current: OpenFile | None = None
    rotated: list[OpenFile] = field(default_factory=list)

    def look(self) -> tuple[list[LinesRead], bool]:
        """Read what has been written since the last look; and whether more is waiting."""
        found: list[LinesRead] = []
        more = False
        for old in list(self.rotated):
            lines, old_more = old.read()
            more |= old_more
            old.quiet = 0 if lines else old.quiet + 1
            if old.quiet >= self.let_go_after:
                # the PBX has moved on: a last line it never ended is read as it stands,
                # as reading the file once would
                lines = old.read(final=True)[0]
                self.rotated.remove(old)
                old.close()
            if lines:
                found.append(LinesRead(lines, rotated=True))
        if self.current is not None:
            if self.current.rewritten():
                self.current.start_again()
            lines, more_here = self.current.read()
            more |= more_here
            if lines:
                found.append(LinesRead(lines, rotated=False))
        if self._rotated_away() and self._open_the_new_file():
            assert self.current is not None
            lines, more_here = self.current.read()
            more |= more_here
            if lines:
                found.append(LinesRead(lines, rotated=False))
        return found, more

    def _rotated_away(self) -> bool:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return False  # between the rename and the new file: the old one is still read
        return self.current is None or (stat.st_dev, stat.st_ino) != self.current.identity

    def _open_the_new_file(self) -> bool:
        try:
            new = OpenFile(self.path.open("rb"))
        except FileNotFoundError:
            return False
        if self.current is not None:
            if new.identity == self.current.identity:
                new.close()  # the same file after all (renamed back since the look)
                return False
            self.rotated.append(self.current)
        self.current = new
        return True

    def close(self) -> None:
        for old in [*self.rotated, *([self.current] if self.current else [])]:
            old.close()
        self.rotated.clear()
        self.current = None
