"""Text from outside (feeds, callers, files) can never drive the terminal it is shown on.

A service name holding `\\x1b[31m` turned the terminal red when the CLI printed it; an
escape sequence can as well move the cursor, retitle the window, or write over what is
shown, and a bidirectional override (U+202E) shows text in an order it does not have. So
every character a terminal or a text renderer takes as an instruction is shown as a
visible code instead: C0 controls as their Unicode control pictures (ESC as "␛", BEL as
"␇"), and DEL, C1 controls, the bidirectional controls and the line and paragraph
separators as a JSON escape ("\\u009b", "\\u202e"). Newline and tab are kept where a text
may hold several lines.

The escape is chosen so that printed JSON stays valid and means the same: `json.dumps`
escapes C0 controls itself, so only the others can stand raw in its output, and always
inside a string, where "\\u202e" is the character it replaces.

A leaf module with no imports of ours: the CLI's output streams and the console both use
it, and the console's screen removes the same characters (see console/terminal.py).
"""

from __future__ import annotations

import re

# C0 except tab and newline, DEL, C1; Unicode's Bidi_Control characters; the line and
# paragraph separators (a renderer may break a line at them)
UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_UNSAFE = re.compile(f"[{UNSAFE}]")
_UNSAFE_ON_ONE_LINE = re.compile(f"[{UNSAFE}\t\n]")
_CONTROL_PICTURES = 0x2400  # U+2400 "␀" onwards: a picture of each C0 control, in order


def _code(match: re.Match[str]) -> str:
    point = ord(match.group())
    if point < 0x20:
        return chr(_CONTROL_PICTURES + point)
    return f"\\u{point:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with every character that could drive a terminal shown as a visible code;
    with `one_line`, newlines and tabs too (for a name, an id, a cell of a table)."""
    pattern = _UNSAFE_ON_ONE_LINE if one_line else _UNSAFE
    return pattern.sub(_code, text) if pattern.search(text) else text


def without_unsafe(text: str) -> str:
    """`text` with those characters removed (where a visible code does not fit: each
    takes no room on a screen already laid out)."""
    return _UNSAFE.sub("", text)


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None
