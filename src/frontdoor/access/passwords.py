"""Passwords, hashed with argon2id (argon2-cffi, the reference implementation's binding):
memory-hard, salted, with its parameters in the hash so they can be raised later."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12

# argon2-cffi's defaults are RFC 9106's second recommended option (argon2id, t=3,
# m=64 MiB, p=4): about 50 ms a sign-in here, slow for anyone guessing offline.
_HASHER = PasswordHasher()


# Checked against when the name is unknown, so a refusal takes as long either way and
# does not tell a guesser which names exist. Hashed at the first sign-in that needs it,
# not at import: a hash takes as long as a sign-in, and every command imports this.
_DUMMY: str | None = None


def _dummy() -> str:
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = _HASHER.hash("not anyone's password at all")
    return _DUMMY


class WeakPassword(ValueError):
    """A new password that may not be used."""


def check_new(password: str, name: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            f"a password is at least {MIN_LENGTH} characters; that had {len(password)}"
        )
    if password.strip().lower() == name.strip().lower():
        raise WeakPassword("a password may not be the user's name")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether `password` is the one hashed in `stored` (None: no such user, checked
    against a dummy all the same)."""
    try:
        return _HASHER.verify(stored or _dummy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)
