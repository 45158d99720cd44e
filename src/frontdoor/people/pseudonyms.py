"""Keys replaced by pseudonyms: an HMAC-SHA-256 of the key under the site's secret, which
is kept outside the database (the console reads it from a file or the environment).

The same key always gives the same pseudonym, so repeat contacts still link and verified
first-contact resolution comes out the same; without the secret nobody can try phone
numbers or NHS numbers one by one to find whose a pseudonym is (a plain hash of a phone
number is undone in minutes). A pseudonym is marked (`hmac:`), and a key already
pseudonymised is kept as it is: a contact purged from the record (its keys replaced) and
a later one with the key in clear give the same pseudonym in a pseudonymised export."""

from __future__ import annotations

import hashlib
import hmac
import re

from frontdoor.identifiers import OUTWARD_CODE, compact_postcode, is_postcode

PREFIX = "hmac:"
_PSEUDONYM = re.compile(r"hmac:[0-9a-f]{64}")
# the shortest secret accepted: 32 bytes, what a new site secret is made of
MIN_SECRET_BYTES = 32


class SecretTooShort(ValueError):
    """A site secret too short to keep anyone from guessing it."""


def is_pseudonym(key: str) -> bool:
    return bool(_PSEUDONYM.fullmatch(key))


class Pseudonyms:
    """Keys to pseudonyms under one site's secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise SecretTooShort(
                f"the site secret has {len(secret)} bytes; it needs at least {MIN_SECRET_BYTES}"
            )
        self._secret = secret

    def of(self, key: str) -> str:
        """The pseudonym of a caller or subject key; a pseudonym already is kept."""
        if is_pseudonym(key):
            return key
        digest = hmac.new(self._secret, key.encode("utf-8"), hashlib.sha256).hexdigest()
        return PREFIX + digest

    def key(self, key: str | None) -> str | None:
        """As `of`, where None stays None (null keys never match)."""
        return None if key is None else self.of(key)

    def token(self, text: str, length: int = 32) -> str:
        """A keyed digest of any text, cut to `length` hex digits: where a plain hash of
        something personal was kept (a queue_log line's, to read it once)."""
        return hmac.new(self._secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:length]


def district(postcode: str | None) -> str | None:
    """'DN32 7DL' -> 'DN32': as much of an address as figures by area need (a district
    alone stays). A text that is neither gives nothing: it might be anything."""
    if not postcode:
        return None
    compact = compact_postcode(postcode)
    if is_postcode(compact):
        return compact[:-3]
    return compact if OUTWARD_CODE.fullmatch(compact) else None
