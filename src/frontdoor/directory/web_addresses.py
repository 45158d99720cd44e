"""Is a service's web address or email one? The Open Referral UK validator fails a
record whose `url` is not a URI or whose `email` is not an address; Front Door keeps
the text (a service lead corrects it) and says what is wrong with it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$", re.I
)
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@([^@\s<>()\[\],;:\"]+)$")


def url_problem(text: str) -> str | None:
    """None for an http(s) address with a real host name, else what is wrong with it."""
    if any(c.isspace() for c in text):
        return "has spaces in it"
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https"):
        return (
            None
            if _HOST.match(parts.hostname or "")
            else f"has no host name after {parts.scheme}://"
        )
    if not parts.scheme and _HOST.match(text.split("/", 1)[0]):
        return "has no http:// or https:// in front"
    return "is not a web address"


def email_problem(text: str) -> str | None:
    match = _EMAIL.match(text)
    if match is None:
        return "is not an email address"
    return None if _HOST.match(match.group(1)) else "has no real domain after its @"
