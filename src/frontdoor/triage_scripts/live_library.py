"""The published library as every workstation runs it: read from the database, checked,
and replaced whole when a lead publishes or retires a script anywhere.

The same pattern as the directory's LiveIndex: a watcher reads a cheap change stamp on an
interval (`ScriptVersions.stamp`) and, when it moved, reads the published versions and
checks them against this service's vocabulary; a library that passes replaces the old
one in a single assignment, so a reader always sees a whole library. A call takes the
mapping as it is when the call starts and keeps it to the end; the next call gets the
newest. Loading is quick (texts are parsed once and kept by hash), so unlike the index
it is done in the watcher's own thread.

A newly published library that fails the check (say this site's config dropped an
outcome a script ends in) is not used: the last good one stays, and `refused` says why.
At start there is no last good one, so `load` raises PublishedLibraryError instead.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from frontdoor.local_time import BankHolidays
from frontdoor.triage_scripts.library import LibraryError
from frontdoor.triage_scripts.lint import LintContext, lint_loaded
from frontdoor.triage_scripts.loader import Problem
from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.version_records import StoredVersion
from frontdoor.triage_scripts.versions import ScriptVersions

Ref = tuple[str, int]  # (script, version)
Check = Callable[[list[StoredVersion]], list[Problem]]


class PublishedLibraryError(LibraryError):
    """The library published in the database fails this service's check: no console can
    run it (at start; later the last good one is kept)."""


@dataclass(frozen=True)
class PublishedLibrary:
    """The published version of each script, read at one moment."""

    scripts: Mapping[str, Script]
    refs: tuple[Ref, ...]
    hashes: frozenset[tuple[str, str]]  # (script, content hash)

    @classmethod
    def of(cls, versions: list[StoredVersion]) -> PublishedLibrary:
        scripts = {v.record.script: v.script for v in versions if v.script is not None}
        return cls(
            MappingProxyType(scripts),
            tuple(sorted((v.record.script, v.record.version) for v in versions)),
            frozenset((v.record.script, v.record.content_hash) for v in versions),
        )


@dataclass(frozen=True)
class RefusedLibrary:
    """A published library that was not used, and the errors that kept it out."""

    refs: tuple[Ref, ...]
    problems: tuple[Problem, ...]


def library_check(context: LintContext) -> Check:
    """Every lint error of the published versions, each linted with the others as its
    library (R4 aside: in the database approval is the record's). `context` is the
    service's vocabulary, as a library from files is checked when it is loaded.

    The same texts checked against the same vocabulary get the same answer, so it is
    kept for the life of the process (see `_Answers`): linting a library runs every
    script's tests, and a process that opens Front Door many times (the tests, a bench)
    did that at each opening."""

    def check(versions: list[StoredVersion]) -> list[Problem]:
        key = _Answers.key(context, versions)
        known = _ANSWERS.get(key)
        if known is not None:
            return list(known)
        problems = [p for v in versions for p in v.problems if p.severity == "error"]
        loaded = [v.loaded for v in versions if v.loaded is not None]
        library = {item.script.script: item.script for item in loaded}
        ctx = replace(context, library=library)
        for item in loaded:
            problems += [p for p in lint_loaded(item, ctx, set(library)) if p.severity == "error"]
        answer = sorted(set(problems), key=lambda p: (p.file, p.line, p.code, p.message))
        _ANSWERS.keep(key, answer)
        return list(answer)

    return check


class _Answers:
    """The last few answers of `library_check`, by what decides them: each version's
    script, number and content hash, and the vocabulary, directory and date checked
    against. Only for England's calendar (the service's): a context with a calendar of
    its own is checked every time. A console meets a new library only when one is
    published, so a handful is plenty."""

    KEPT = 16

    def __init__(self) -> None:
        self._answers: OrderedDict[tuple[object, ...], tuple[Problem, ...]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(context: LintContext, versions: list[StoredVersion]) -> tuple[object, ...] | None:
        if type(context.bank_holidays) is not BankHolidays:
            return None
        texts = frozenset(
            (v.record.script, v.record.version, v.record.content_hash) for v in versions
        )
        vocabulary = (context.outcomes, context.categories, context.caller_types)
        return (texts, vocabulary, context.directory_ids, context.today)

    def get(self, key: tuple[object, ...] | None) -> tuple[Problem, ...] | None:
        if key is None:
            return None
        with self._lock:
            return self._answers.get(key)

    def keep(self, key: tuple[object, ...] | None, answer: list[Problem]) -> None:
        if key is None:
            return
        with self._lock:
            self._answers[key] = tuple(answer)
            while len(self._answers) > self.KEPT:
                self._answers.popitem(last=False)


_ANSWERS = _Answers()


class LiveLibrary:
    """The published library, kept the same as the database's; safe from any thread.

    `check` is the service's check of a library (None: used unchecked, as by commands
    that only look scripts up); `trusted` are (script, content hash) pairs that passed
    the same check a moment ago (the release's library, linted as it was read), so a
    database publishing exactly those needs no second lint.
    """

    def __init__(
        self,
        store: ScriptVersions,
        check: Check | None = None,
        *,
        check_every: float | None = None,
        trusted: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.store = store
        self._check = check
        self._check_every = check_every
        self._trusted = trusted
        self._library = PublishedLibrary(MappingProxyType({}), (), frozenset())
        self._loaded = False  # read on first use, unless `load` was called first
        self._stamp: object = None
        self._refused: RefusedLibrary | None = None
        self._failure: Exception | None = None
        self._changes = 0
        self._checks = 0
        # one check or load at a time (re-entrant: a listener may read the library)
        self._lock = threading.RLock()
        self._checked = threading.Condition()
        self._listeners: list[Callable[[PublishedLibrary], None]] = []
        self._stop_watching: threading.Event | None = None

    # --- reading: what calls start from --------------------------------------------
    def current(self) -> Mapping[str, Script]:
        """The library as it is now (a read-only mapping that never changes: a newer one
        replaces it). Reads the database only the first time, when `load` was not called."""
        return self._in_use.scripts

    @property
    def scripts(self) -> Mapping[str, Script]:
        return self._in_use.scripts

    @property
    def published(self) -> PublishedLibrary:
        return self._in_use

    def get(self, script_id: str) -> Script | None:
        return self._in_use.scripts.get(script_id)

    def __contains__(self, script_id: object) -> bool:
        return script_id in self._in_use.scripts

    def __iter__(self) -> Iterator[str]:
        return iter(self._in_use.scripts)

    @property
    def _in_use(self) -> PublishedLibrary:
        if not self._loaded:
            self.load()
        return self._library

    def version(self, script: str, version: int) -> Script | None:
        """That version of a script, in use or not (what a past contact followed); None
        when the database does not hold it. Reads the database unless it is in use."""
        current = self._in_use.scripts.get(script)
        if current is not None and current.version == version:
            return current
        return self.store.find(script, version)

    @property
    def refused(self) -> RefusedLibrary | None:
        """The newest published library, when it failed the check and is not in use."""
        return self._refused

    @property
    def failure(self) -> str | None:
        """Why the last look at the database failed (the error's type only), if it did."""
        return type(self._failure).__name__ if self._failure is not None else None

    @property
    def changes(self) -> int:
        """How many times a newer library replaced the one in use."""
        return self._changes

    @property
    def checks(self) -> int:
        """How many times the stamp was compared (see `check`)."""
        return self._checks

    def on_change(self, listener: Callable[[PublishedLibrary], None]) -> Callable[[], None]:
        """Call `listener` with the library in use whenever a newer one was published
        (and replaced it, or was refused: then `refused` says why), from the thread that
        checked. Returns what stops it."""
        self._listeners.append(listener)

        def stop() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return stop

    # --- loading ----------------------------------------------------------------------
    def load(self) -> None:
        """Read and check the library now; PublishedLibraryError when it fails the check."""
        with self._lock:
            stamp = self.store.stamp()
            versions = self.store.published()
            problems = self._problems(versions)
            if problems:
                raise PublishedLibraryError(problems)
            self._library, self._stamp = PublishedLibrary.of(versions), stamp
            self._loaded = True

    def check(self) -> bool:
        """Compare the database's stamp with the one the library was read at, and read it
        again when it moved; True when a newer library replaced the one in use. Reads the
        database: off the screen's thread. A database that does not answer changes
        nothing (the next check tries again)."""
        try:
            return self._check_now()
        finally:
            with self._checked:
                self._checks += 1
                self._checked.notify_all()

    def _check_now(self) -> bool:
        with self._lock:
            try:
                stamp = self.store.stamp()
                if stamp == self._stamp:
                    return False
                versions = self.store.published()
            except Exception as exc:
                self._failure = exc
                return False
            self._failure = None
            self._stamp = stamp
            library = PublishedLibrary.of(versions)
            if library.refs == self._library.refs:
                return False  # a draft submitted, say: nothing a call runs changed
            problems = self._problems(versions)
            if problems:
                self._refused = RefusedLibrary(library.refs, tuple(problems))
            else:
                self._library, self._refused = library, None
                self._loaded = True
                self._changes += 1
            for listener in list(self._listeners):
                listener(self._library)
            return not problems

    def _problems(self, versions: list[StoredVersion]) -> list[Problem]:
        if self._check is None:
            return []
        hashes = {(v.record.script, v.record.content_hash) for v in versions}
        if hashes and hashes == self._trusted:
            return []
        return self._check(versions)

    # --- watching ---------------------------------------------------------------------
    def start(self, check_every: float | None = None) -> None:
        """Watch the database's stamp every `check_every` seconds (by default the
        constructor's) in a thread of its own. A second call changes nothing."""
        every = check_every or self._check_every
        with self._checked:
            if not every or self._stop_watching is not None:
                return
            self._stop_watching = threading.Event()
            threading.Thread(
                target=self._watch,
                args=(every, self._stop_watching),
                name="script-library-watcher",
                daemon=True,
            ).start()

    def stop(self) -> None:
        """Stop watching; returns at once (a check under way finishes in its thread)."""
        with self._checked:
            stop, self._stop_watching = self._stop_watching, None
        if stop is not None:
            stop.set()

    def wait_for_checks(self, count: int, timeout: float) -> bool:
        """True once `count` checks have been made in all, False after `timeout` seconds."""
        with self._checked:
            return self._checked.wait_for(lambda: self._checks >= count, timeout)

    def _watch(self, every: float, stop: threading.Event) -> None:
        while not stop.wait(every):
            self.check()
