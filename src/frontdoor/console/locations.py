"""Where Front Door keeps its files on this machine (XDG on Linux, the OS's own elsewhere)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

APP = "frontdoor"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP))


def journal_dir() -> Path:
    """Where a console keeps the writes the database has not yet taken (user's state
    folder: private to them, kept across restarts)."""
    return Path(platformdirs.user_state_dir(APP)) / "journal"


def site_secret_path() -> Path:
    """The site secret pseudonyms are made under: in the user's state folder, never the
    database's (whoever holds a copy of the database must not hold the secret too)."""
    return Path(platformdirs.user_state_dir(APP)) / "site-secret"


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'frontdoor.db'}"


def bundled_config_dir() -> Path:
    return Path(str(resources.files("frontdoor") / "config"))
