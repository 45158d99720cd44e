"""The console's half of terminal_text.py: nothing drawn on the screen can drive the
terminal. Textual strips a few controls from what it draws (BEL, backspace, CR) but
passes ESC, C1 controls and bidirectional overrides through to the terminal, so a service
named "\\x1b[31mRed" would colour the screen, and a caller's text could move the cursor.

One filter, on every line every widget draws (Textual's line filters, the way it makes a
screen monochrome), removes those characters after layout: a visible code would not fit
the room already given to the text, and each of them takes none. This covers every
widget, screen, notification and input, whatever it shows and however it got it. That
such text is never read as Rich markup ("[bold red]x") is each widget's part: outside
text is given as `Text` or `Content`, never as a markup string.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from frontdoor.terminal_text import has_unsafe, without_unsafe

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[Any]
else:
    _AppBase = object


class WithoutControls(LineFilter):
    """Removes from each drawn segment of text the characters that drive a terminal."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(s.control is None and has_unsafe(s.text) for s in segments):
            return segments
        kept = []
        for segment in segments:
            if segment.control is None and has_unsafe(segment.text):
                text = without_unsafe(segment.text)
                if not text:
                    continue  # Textual wants no empty segments
                segment = Segment(text, segment.style, segment.control)
            kept.append(segment)
        return kept


class DrawsNoControls(_AppBase):
    """Mix into the console's App (before App): every line drawn goes through
    WithoutControls, after the filters Textual already uses."""

    _without_controls = WithoutControls()

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), self._without_controls]
