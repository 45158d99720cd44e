"""Where the search index finds a service's details (phones, capacity, hours...) when it
shows or hands one out: the index keeps only what it scores and filters on, so that a
directory of 100,000 services is not held twice, once in the database and once in
memory. The store reads them by id, a screenful in one query; a small cache keeps those
shown lately, since typing a search shows the same few again and again."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Protocol

from frontdoor.directory.model import Service


class DetailsUnavailable(Exception):
    """The services' details could not be read (the database did not answer): the
    search, which shows them, cannot show anything until it does."""


class ServiceDetails(Protocol):
    """Services by id, those that exist (a service the index knows may have been
    removed since it was built); DetailsUnavailable when they cannot be read."""

    def services(self, ids: Sequence[str]) -> dict[str, Service]: ...


class ServicesInMemory:
    """Details kept as they were given: small directories, tests, the benchmarks'."""

    def __init__(self, services: Iterable[Service] = ()) -> None:
        self._by_id: dict[str, Service] = {}
        self.add(services)

    def add(self, services: Iterable[Service]) -> None:
        self._by_id.update((s.id, s) for s in services)

    def services(self, ids: Sequence[str]) -> dict[str, Service]:
        by_id = self._by_id
        return {i: by_id[i] for i in ids if i in by_id}


RECENT = 256  # services kept: a few screenfuls, each a few KB


class RecentServices:
    """Details read through `source` and the last `size` kept, for any thread."""

    def __init__(self, source: ServiceDetails, size: int = RECENT) -> None:
        self._source = source
        self._size = size
        self._kept: OrderedDict[str, Service] = OrderedDict()
        self._lock = threading.Lock()

    def services(self, ids: Sequence[str]) -> dict[str, Service]:
        found: dict[str, Service] = {}
        with self._lock:
            for service_id in ids:
                service = self._kept.get(service_id)
                if service is not None:
                    self._kept.move_to_end(service_id)
                    found[service_id] = service
        missing = [i for i in dict.fromkeys(ids) if i not in found]
        if missing:  # read outside the lock: another thread's read need not wait for it
            read = self._source.services(missing)
            found.update(read)
            with self._lock:
                self._kept.update(read)
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
        return found
