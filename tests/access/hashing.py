"""argon2id at its lowest cost, for tests about who may do what that sign in a hundred
times: the same library and algorithm, 1 MiB and one pass instead of 64 MiB and three.
Hashes made meanwhile carry that cost, so no sign-in rehashes them at the real one.
tests/access/test_core.py holds the stored hashes to the real cost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from argon2 import PasswordHasher

from frontdoor.access import passwords


@contextmanager
def quick_argon2() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        yield
