"""Long lists of ids asked about a part at a time: the databases limit how many values one
statement may carry (SQLite's host parameters, PostgreSQL's), and a purge or a report may
name tens of thousands."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

IDS_AT_A_TIME = 1000  # values in one IN (...) list: well under every database's limit


def in_chunks(values: Iterable[T], size: int = IDS_AT_A_TIME) -> Iterator[list[T]]:
    """`values` a list of at most `size` at a time, in order (read as they are needed:
    a generator is never held whole)."""
    it = iter(values)
    while chunk := list(islice(it, size)):
        yield chunk
