"""The site secret: made on first need (32 random bytes as hex, owner-only), the same one
read after; taken from FRONTDOOR_SITE_SECRET when set; refused in a sentence when it is
too short, others may read it, or it can be neither read nor made."""

from __future__ import annotations

import os
import stat

import pytest

from frontdoor.console.settings import load_settings
from frontdoor.console.site_secret import NoSiteSecret, site_pseudonyms, site_secret


def test_made_once_owner_only_and_read_the_same_after(tmp_path, monkeypatch):
    monkeypatch.delenv("FRONTDOOR_SITE_SECRET", raising=False)
    path = tmp_path / "state" / "site-secret"
    settings = load_settings(site_secret_file=path)
    first = site_secret(settings)
    assert len(first) == 64 and int(first, 16)  # 32 random bytes, as hex
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert site_secret(settings) == first
    assert site_pseudonyms(settings).of("+441472000111") == site_pseudonyms(settings).of(
        "+441472000111"
    )

    path.chmod(0o644)
    with pytest.raises(NoSiteSecret, match=f"may be read by other users: run chmod 600 {path}"):
        site_secret(settings)
    path.chmod(0o600)
    path.write_text("too short\n")
    with pytest.raises(NoSiteSecret, match="holds 9 bytes; it needs at least 32"):
        site_secret(settings)


def test_the_variable_first_and_a_place_it_cannot_be_had_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTDOOR_SITE_SECRET", "x" * 40)
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    settings = load_settings(site_secret_file=blocked / "site-secret")
    assert site_secret(settings) == b"x" * 40
    monkeypatch.delenv("FRONTDOOR_SITE_SECRET")
    with pytest.raises(NoSiteSecret, match=r"site secret at .*: set FRONTDOOR_SITE_SECRET"):
        site_secret(load_settings(site_secret_file=blocked / "site-secret"))
