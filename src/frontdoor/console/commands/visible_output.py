"""Everything a `frontdoor` command prints passes through `terminal_text.visible`: its
stdout and stderr are wrapped once, for the whole run, by FrontDoorGroup, so no command
(nor click's own usage errors, which repeat what was typed) can let a service name or a
caller's text drive the terminal, and no command has to remember to.

Click writes to a wrapped stream as to any text stream: it has an encoding and errors,
and no binary buffer to write around it. Output of our own that must drive the terminal
(click's progress bar redraws its line and hides the cursor) goes to `terminal_itself`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from frontdoor.terminal_text import visible


class VisibleOnly:
    """A text stream that writes `visible(text)` to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # as a text stream does; click then looks no further
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.stream.write(visible(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return self.stream.closed

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return getattr(self.stream, "errors", None) or "strict"

    @property
    def name(self) -> str:
        return str(getattr(self.stream, "name", "<stream>"))


@contextlib.contextmanager
def visible_output() -> Iterator[None]:
    """sys.stdout and sys.stderr show only visible text while inside."""
    out, err = sys.stdout, sys.stderr
    if out is not None and not isinstance(out, VisibleOnly):
        sys.stdout = VisibleOnly(out)
    if err is not None and not isinstance(err, VisibleOnly):
        sys.stderr = VisibleOnly(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def terminal_itself(stream: TextIO) -> TextIO:
    """The stream under a VisibleOnly one: for our own control output, never for text."""
    return stream.stream if isinstance(stream, VisibleOnly) else stream
