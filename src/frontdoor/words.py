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


def in_words(code: str) -> str:
    """A code as words for people who do not read codes: `progress_chasing` is "Progress
    chasing", `reason-for-call` "Reason for call". Only for codes with no label of their
    own: where config or a script gives one, that label is used."""
    spaced = " ".join(_SEPARATORS.sub(" ", code).split())
    return spaced[:1].upper() + spaced[1:]
