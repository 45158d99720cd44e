"""A queue_log as the bytes on disk: where each line ends, and each line's key.

Positions are counted in bytes, never in decoded text, so a CRLF line end or a byte that is
not UTF-8 can never move a reader into the middle of a line. A line is cut at b"\\n" only;
a CR before it, a byte-order mark at the very start of the file and NUL bytes before the
line (a crash's zero padding, or the hole a writer without O_APPEND leaves after a
copy-truncate) are not part of it.

The key: two identical lines written in one second are two events (a handler's two
RINGNOANSWERs in the same second), yet a file read again, or a rotated file read after it
was followed, adds nothing. So a line's key is its bytes and how many identical lines came
before it in the same stream of lines: the n-th identical line has the same key on every
reading of the file. Identical lines share their first field, the time, so only the lines
within `SAME_MOMENT` seconds of the line being read are remembered: memory stays
small however long the file, and a line that repeats one from minutes before (a piece of
the log copied in again) is that line read again. The count is taken in the order of the
file, so it is the same whether the file is read once or followed in pieces.

After a rotation the follower goes on counting from what it had read of the old file (a
copy-truncate re-presents nothing, and a renamed file's new file holds only new lines): a
line identical to one written just before the rotation is still a second event. Reading
the new file alone later counts from nothing, and finds each of its keys held already.
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass

BOM = b"\xef\xbb\xbf"
# lines whose times are this far behind the newest read are no longer counted
SAME_MOMENT = 60


@dataclass(frozen=True)
class FileLine:
    number: int  # 1 for the first line of its file
    raw: bytes  # without its line end, leading NUL bytes or the file's byte-order mark


def split_lines(
    data: bytes, first_number: int, at_file_start: bool, final: bool = False
) -> tuple[list[FileLine], int]:
    """The lines `data` holds and how many bytes they took. A last line without its
    newline is left for later (the writer is half-way through it) unless `final`."""
    end = len(data) if final else data.rfind(b"\n") + 1
    start = len(BOM) if at_file_start and data.startswith(BOM) else 0
    pieces = data[start:end].split(b"\n") if end > start else []
    if pieces and data.endswith(b"\n", 0, end):
        pieces.pop()  # the empty piece after the last newline
    lines = [
        FileLine(number, (raw[:-1] if raw.endswith(b"\r") else raw).lstrip(b"\x00"))
        for number, raw in enumerate(pieces, start=first_number)
    ]
    return lines, end


def line_key(raw: bytes, before: int) -> str:
    """The line's key: its bytes, and `before`, how many identical lines came before it.
    The first of them has the key earlier releases gave every line (a hash of the line
    alone), so a file read by one of them is still held."""
    if before:
        raw = raw + b"\n" + str(before).encode()  # no line holds a newline: no collision
    return hashlib.sha256(raw).hexdigest()[:32]


def _second(raw: bytes) -> int | None:
    stamp = raw.split(b"|", 1)[0]
    try:
        return int(float(stamp))
    except (ValueError, OverflowError):
        return None


class IdenticalLines:
    """How many identical lines came before each line of one stream of lines."""

    def __init__(self) -> None:
        self._seen: dict[bytes, int] = {}
        self._by_time: list[tuple[int, bytes]] = []  # a heap: the earliest time first

    def before(self, raw: bytes) -> int:
        """Count `raw` and say how many identical lines were counted before it."""
        second = _second(raw)
        if second is None:
            return 0  # a line without a time is never an event: nothing to tell apart
        # forget the lines a minute older than this one: no line identical to them can
        # follow, as the time is part of the line (a late line does not bring them back)
        while self._by_time and self._by_time[0][0] < second - SAME_MOMENT:
            del self._seen[heapq.heappop(self._by_time)[1]]
        count = self._seen.get(raw, 0)
        self._seen[raw] = count + 1
        if not count:
            heapq.heappush(self._by_time, (second, raw))
        return count
