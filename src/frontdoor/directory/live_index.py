"""The search index every screen and command reads: built once, in the background, and
kept the same as the directory in the database on every workstation.

Building the index of a large directory takes a second or more, so it is built in a
thread of its own, started when the console starts; whoever needs it before it is ready
waits for that one build instead of starting another. A watcher reads the directory's
change stamp on an interval and rebuilds when it moved, so a correction made on one
workstation (or by the CLI) reaches the others within one interval. A new index replaces
the old one in a single assignment once it is complete: a search always sees a whole
index, the old one until the new one is ready.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from frontdoor.db.collecting import collector_paused

if TYPE_CHECKING:  # built by the caller's function: numpy comes with the build, off the start
    from frontdoor.directory.search import SearchIndex

_NEVER = object()  # the stamp of "no index built yet": equal to no real stamp


class LiveIndex:
    """One search index, rebuilt when the directory changes; safe to use from any thread.

    `build` reads the directory and makes an index (it runs in a background thread);
    `stamp` reads the directory's change stamp (see `DirectoryStore.stamp`), which must
    change whenever the directory does; `check_every` is how often, in seconds, the
    watcher started by `start` compares it.
    """

    def __init__(
        self,
        build: Callable[[], SearchIndex],
        stamp: Callable[[], Hashable] | None = None,
        *,
        check_every: float | None = None,
    ) -> None:
        self._build = build
        self._stamp = stamp
        self._check_every = check_every
        # guards everything below; waiters are woken whenever a build ends
        self._built = threading.Condition()
        self._index: SearchIndex | None = None
        self._built_from: object = _NEVER
        self._failure: Exception | None = None
        self._building = False
        self._again = False  # a change arrived while building: build once more after
        self._builds = 0
        self._stop_watching: threading.Event | None = None  # set: the watcher ends

    # --- reading -------------------------------------------------------------------
    def current(self) -> SearchIndex | None:
        """The newest complete index, or None while the first is being built. Never waits."""
        return self._index

    @property
    def builds(self) -> int:
        """How many indexes have been built (each build reads the whole directory)."""
        return self._builds

    @property
    def failure(self) -> str | None:
        """Why the last build or check failed (the error's type only), if it did."""
        return type(self._failure).__name__ if self._failure is not None else None

    def wait(self, timeout: float | None = None) -> SearchIndex:
        """The index, waiting for it to be built if need be: for the CLI and for thread
        workers, never for the screen's own thread.

        Starts the build if nobody has; raises what the build raised when it failed and
        no index is ready, and `TimeoutError` when `timeout` seconds pass first.
        """
        with self._built:
            if self._index is None and not self._building:
                self._start_build()
            if not self._built.wait_for(self._settled, timeout):
                raise TimeoutError("the directory index is still being built")
            if self._index is None:
                assert self._failure is not None
                raise self._failure
            return self._index

    def wait_for_index(self, timeout: float) -> SearchIndex | None:
        """The index once one is ready, or None after `timeout` seconds; failed builds
        do not end the wait (the watcher tries again). For workers that keep a screen
        saying "loading" and look now and then whether they are still wanted. Starts the
        build if nobody has, as `wait` does: a worker must never wait on a build that was
        never started (a screen shown before the console's warm-up, say)."""
        with self._built:
            if self._index is None and not self._building and self._failure is None:
                self._start_build()
            self._built.wait_for(lambda: self._index is not None, timeout)
            return self._index

    def wait_for_builds(self, count: int, timeout: float) -> bool:
        """True once `count` indexes have been built in all (see `builds`), False when
        `timeout` seconds pass first: to wait for a rebuild that `check` started."""
        with self._built:
            return self._built.wait_for(lambda: self._builds >= count, timeout)

    def _settled(self) -> bool:
        return self._index is not None or (self._failure is not None and not self._building)

    # --- building --------------------------------------------------------------------
    def start(self, check_every: float | None = None) -> None:
        """Build now in the background unless a build is done or under way, and watch
        the directory's stamp every `check_every` seconds (by default the constructor's).
        Returns at once; a second call changes nothing."""
        every = check_every or self._check_every
        with self._built:
            if self._index is None and not self._building:
                self._start_build()
            if self._stamp is None or not every or self._stop_watching is not None:
                return
            self._stop_watching = threading.Event()
            threading.Thread(
                target=self._watch,
                args=(every, self._stop_watching),
                name="directory-index-watcher",
                daemon=True,
            ).start()

    def stop(self) -> None:
        """Stop watching. Returns at once, never waiting for a database that does not
        answer: a check or build under way finishes in its own thread."""
        with self._built:
            stop, self._stop_watching = self._stop_watching, None
        if stop is not None:
            stop.set()

    def refresh(self) -> None:
        """The directory changed here: rebuild in the background. Returns at once; does
        nothing when no index was ever asked for (the first will read the change)."""
        with self._built:
            if self._index is None and not self._building:
                return
            self._start_build()

    def check(self) -> bool:
        """Compare the directory's stamp with the one the index was built from, and start
        a rebuild when they differ (or when no index could be built yet). Reads the
        database: call it off the screen's thread. True when a rebuild was started."""
        with self._built:
            if self._building:
                return False
            if self._index is None:
                self._start_build()
                return True
            built_from = self._built_from
        if self._stamp is None:
            return False
        try:
            stamp = self._stamp()
        except Exception as exc:  # the database did not answer: keep the index we have
            with self._built:
                self._failure = exc
            return False
        with self._built:
            self._failure = None
            if stamp == built_from or self._building:
                return False
            self._start_build()
            return True

    def _watch(self, every: float, stop: threading.Event) -> None:
        while not stop.wait(every):
            self.check()

    def _start_build(self) -> None:
        """With the lock held: build in a new thread, or once more after the one running."""
        if self._building:
            self._again = True
            return
        self._building = True
        self._failure = None
        threading.Thread(target=self._run_builds, name="directory-index-build", daemon=True).start()

    def _run_builds(self) -> None:
        again = True
        while again:
            stamp: object = _NEVER
            try:
                # the stamp first: a change committed while the directory is read moves
                # it again, so the next check builds once more rather than missing it
                if self._stamp is not None:
                    stamp = self._stamp()
                with collector_paused():
                    index = self._build()
            except Exception as exc:
                with self._built:
                    self._failure = exc
                    again, self._again = self._again, False
                    self._building = again
                    self._built.notify_all()
                continue
            with self._built:
                self._index, self._built_from = index, stamp
                self._builds += 1
                again, self._again = self._again, False
                self._building = again
                self._built.notify_all()
