"""A new person's id: the shape it always had (a random UUID's first sixteen hex digits)."""

from __future__ import annotations

import re

from frontdoor.people.index import new_person_id

# version 4: the thirteenth digit is always "4"
UUID4_PREFIX = re.compile(r"p-[0-9a-f]{12}4[0-9a-f]{3}")


def test_a_new_persons_id_is_a_random_uuids_first_sixteen_digits() -> None:
    made = [new_person_id() for _ in range(2000)]
    assert all(UUID4_PREFIX.fullmatch(person_id) for person_id in made)
    assert len(set(made)) == len(made)
    # every other digit varies
    assert all(len({p[2 + i] for p in made}) > 1 for i in range(16) if i != 12)
