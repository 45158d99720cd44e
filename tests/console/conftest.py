"""Fixtures for the console's tests only."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from frontdoor.access import passwords


@pytest.fixture
def quick_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, at its lowest cost: the real parameters take 0.3 s a password on a
    busy test machine, and sign-in tests check dozens (the real ones: tests/access/)."""
    quick = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_HASHER", quick)
    monkeypatch.setattr(passwords, "_DUMMY", quick.hash("not anyone's password at all"))
