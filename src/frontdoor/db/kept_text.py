"""Text no database keeps as it is: NUL (U+0000; PostgreSQL text cannot hold it) and
lone surrogates (U+D800 to U+DFFF alone are not characters: a JSON escape such as
"\\ud800" gives one, and no UTF-8 file or database takes it).

Without SQLAlchemy, so that the directory's model can use it at no cost to start-up.
"""

from __future__ import annotations

from collections.abc import Mapping


def _is_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


def text_problem(text: str) -> str | None:
    """Why no database can keep `text` as it is, or None."""
    if "\x00" in text:
        return "holds a NUL character (U+0000), which the record cannot keep; remove it"
    # most text is ASCII or encodes at once: the character scan is for the rest only
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            bad = next(c for c in text if _is_surrogate(c))
            return (
                f"holds a lone surrogate (\\u{ord(bad):04x}), which is not a character; "
                "give the character itself or its full surrogate pair"
            )
    return None


def nested_text_problem(value: object) -> str | None:
    """As `text_problem`, for every string (keys too) in a JSON-like value."""
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, Mapping):
        for key, item in value.items():
            problem = nested_text_problem(key) or nested_text_problem(item)
            if problem:
                return problem
    elif isinstance(value, list | tuple):
        for item in value:
            problem = nested_text_problem(item)
            if problem:
                return problem
    return None
