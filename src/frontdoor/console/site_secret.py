"""The site secret pseudonyms are made under, kept outside the database: from
FRONTDOOR_SITE_SECRET, else from the file `site_secret_file` names (by default in the
user's state folder), made with 32 random bytes (as 64 hex digits), readable by its
owner only, the first time one is needed.

Every workstation that purges or exports for one database must use the same secret (copy
the file, or set the variable): under another secret, a purged contact's pseudonym and
a later contact's no longer match, and repeats across the purge are lost. Keep a copy
where the database's backups are not."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from frontdoor.console.settings import Settings
from frontdoor.people.pseudonyms import MIN_SECRET_BYTES, Pseudonyms
from frontdoor.private_files import private_folder

VARIABLE = "FRONTDOOR_SITE_SECRET"


class NoSiteSecret(Exception):
    """No secret could be had: the message says why and what to do."""


def site_pseudonyms(settings: Settings) -> Pseudonyms:
    return Pseudonyms(site_secret(settings))


def site_secret(settings: Settings) -> bytes:
    if settings.site_secret is not None:
        given = settings.site_secret.get_secret_value().strip().encode("utf-8")
        if len(given) < MIN_SECRET_BYTES:
            raise NoSiteSecret(
                f"{VARIABLE} has {len(given)} characters; a site secret needs at least "
                f"{MIN_SECRET_BYTES} (make one with: python3 -c 'import secrets; "
                "print(secrets.token_hex(32))')"
            )
        return given
    return _from_file(settings.site_secret_file)


def _from_file(path: Path) -> bytes:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    try:
        _make(path)
    except FileExistsError:
        pass  # another process made it meanwhile: read theirs
    except OSError as exc:
        raise NoSiteSecret(
            f"cannot make the site secret at {path} ({exc.strerror}): set {VARIABLE}, or "
            "site_secret_file in settings.yaml to a file you can write"
        ) from None
    return _read(path)


def _read(path: Path) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise NoSiteSecret(
            f"cannot read the site secret at {path} ({exc.strerror}): set {VARIABLE}, or "
            "site_secret_file in settings.yaml to a file you can read"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise NoSiteSecret(f"the site secret {path} is not a file: give a file's path")
    if stat.S_IMODE(info.st_mode) & (stat.S_IRWXG | stat.S_IRWXO):
        raise NoSiteSecret(
            f"the site secret {path} may be read by other users: run chmod 600 {path} "
            "(and, if anyone else could have read it, make a new one before the next purge)"
        )
    try:
        secret = path.read_bytes().strip()
    except OSError as exc:
        raise NoSiteSecret(f"cannot read the site secret at {path} ({exc.strerror})") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise NoSiteSecret(
            f"the site secret {path} holds {len(secret)} bytes; it needs at least "
            f"{MIN_SECRET_BYTES}: restore the site's secret there (a new one would not "
            "match the pseudonyms already made)"
        )
    return secret


def _make(path: Path) -> None:
    private_folder(path.parent)
    # created with its mode: no moment when another user could open it
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32) + "\n")
