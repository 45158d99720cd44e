"""Words every room must spell the same way: the labels of a yes/no answer, and how a code
with no label of its own is put in words.

A leaf module with no imports of ours, so that the script format, the runner, the contacts
file format and the reports (which cannot import one another) share one definition.
"""

from __future__ import annotations

import re

YES = "Yes"
NO = "No"


def yes_no_label(value: bool) -> str:
    return YES if value else NO


_SEPARATORS = re.compile(r"[_\-]+")
# two-letter words a code may hold that are words, not initials (GP, DN, A&E are initials)
_TWO_LETTER_WORDS = frozenset(
    re.findall(r"\w+", "am an as at be by do go he if in is it me my no of on or so to up us we")
)


def in_words(code: str) -> str:
    """A code as words for people who do not read codes: `progress_chasing` is "Progress
    chasing", `reason-for-call` "Reason for call", `gp_advice` "GP advice". Only for codes
    with no label of their own: where config or a script gives one, that label is used."""
    words = [
        w.upper() if len(w) == 2 and w.isalpha() and w.lower() not in _TWO_LETTER_WORDS else w
        for w in _SEPARATORS.sub(" ", code).split()
    ]
    spaced = " ".join(words)
    return spaced[:1].upper() + spaced[1:]
