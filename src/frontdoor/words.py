"""Words every room must spell the same way: the labels of a yes/no answer.

A leaf module with no imports of ours, so that the script format, the runner and the
contacts file format (which cannot import one another) share one definition.
"""

from __future__ import annotations

YES = "Yes"
NO = "No"


def yes_no_label(value: bool) -> str:
    return YES if value else NO
