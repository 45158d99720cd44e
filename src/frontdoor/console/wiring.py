"""Build everything the console and the CLI need from settings: the one place that knows
where the database is, which config folder is used, and which tables exist."""

from __future__ import annotations

import datetime as dt
import getpass
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, overload
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, literal, select, table

from frontdoor.access.actor import Actor
from frontdoor.console.locations import default_db_url
from frontdoor.db.engine import is_read_only, make_engine, make_session_factory
from frontdoor.db.migrate import check_current, check_known, upgrade
from frontdoor.local_time import Clock, system_clock

if TYPE_CHECKING:
    # Each imported where it is used. The console opens the database with SQLAlchemy
    # Core alone (the schema's revision, whether it has users) and shows its first real
    # screen (sign-in or ready) before anything else is built: the ORM and the tables
    # with the sessions, the audit and the users; the library and its check (YAML, lint),
    # the calls, referrals and people, and the search index's module (numpy, rapidfuzz,
    # the stemmer) with their first use.
    from collections.abc import Iterable

    from sqlalchemy.orm import Session, sessionmaker

    from frontdoor.access.audit import AuditTrail
    from frontdoor.access.users import UserStore
    from frontdoor.calls.call import CallService, IndexSource
    from frontdoor.calls.escalation import EscalationGuide
    from frontdoor.calls.settings import CallSettings
    from frontdoor.calls.writer import Writer
    from frontdoor.console.settings import Settings
    from frontdoor.console.vocabulary import Vocabulary
    from frontdoor.directory.live_index import LiveIndex
    from frontdoor.directory.search import SearchIndex
    from frontdoor.directory.store import DirectoryStore
    from frontdoor.interactions.applying import ClosingHook
    from frontdoor.interactions.jsonl import Vocabularies
    from frontdoor.interactions.purge import SearchCleaner
    from frontdoor.interactions.record import Record
    from frontdoor.mi.labels import Labels
    from frontdoor.mi.period import MiSettings
    from frontdoor.people.consent import ConsentRegister
    from frontdoor.people.index import PersonIndex
    from frontdoor.private_files import Loosened
    from frontdoor.referrals.follow_ups import FollowUps
    from frontdoor.referrals.handovers import Handovers
    from frontdoor.referrals.importing import ContactsFile
    from frontdoor.referrals.making import ReferralMaker, ReferralRules
    from frontdoor.referrals.store import ReferralStore
    from frontdoor.rights.contacts_out import ContactsOut
    from frontdoor.rights.purge import Purge
    from frontdoor.rights.subject_access import SubjectAccess
    from frontdoor.triage_scripts.lint import LintContext
    from frontdoor.triage_scripts.live_library import LiveLibrary
    from frontdoor.triage_scripts.version_records import BroughtIn
    from frontdoor.triage_scripts.versions import ScriptVersions

T = TypeVar("T")


def _table_modules() -> None:
    """Importing the table modules registers them on the shared metadata (db/ knows
    none). Done by open_front_door: what reads a table imports its module anyway."""
    import frontdoor.access.tables
    import frontdoor.directory.tables
    import frontdoor.interactions.tables
    import frontdoor.people.tables
    import frontdoor.referrals.tables
    import frontdoor.telephony.tables
    import frontdoor.triage_scripts.tables  # noqa: F401


class _Built(Generic[T]):
    """A part of FrontDoor built on its first use, once, whichever thread asks first
    (the others wait for that build): the console shows its first screen before the
    library, the calls or the referrals are needed, and builds them behind it. A build
    that raises is tried again at the next use. Set (`front.x = ...`) like a field."""

    def __init__(self, build: Callable[[FrontDoor], T]) -> None:
        self._build = build
        self._name = build.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, front: None, owner: type) -> _Built[T]: ...
    @overload
    def __get__(self, front: FrontDoor, owner: type) -> T: ...
    def __get__(self, front: FrontDoor | None, owner: type) -> T | _Built[T]:
        if front is None:
            return self
        with front._building:
            if self._name not in front.__dict__:
                front.__dict__[self._name] = self._build(front)
            built: T = front.__dict__[self._name]
            return built


def built(build: Callable[[FrontDoor], T]) -> _Built[T]:
    return _Built(build)


def search_cleaner() -> SearchCleaner:
    """How a purge keeps a search text, and a pseudonymised export writes it: cleaned as
    the reports clean it (mi/search_text.py), so that the unmet need figures read the same
    after a purge and from the file. A new one each time: it remembers the texts it read."""
    from frontdoor.mi.search_text import Cleaner

    return Cleaner()


# a correction made on another workstation reaches this one's searches within this time
DIRECTORY_CHECK_SECONDS = 3.0
# a script version published on another workstation reaches this one's next call within
LIBRARY_CHECK_SECONDS = 3.0


def _vocabulary(front: FrontDoor) -> Vocabulary:
    from frontdoor.console.vocabulary import load_vocabulary

    return load_vocabulary(front.settings.config)


def _escalations(front: FrontDoor) -> dict[str, EscalationGuide]:
    from frontdoor.console.escalations import load_escalations

    return load_escalations(front.settings.config, front.vocabulary)


def _referral_rules(front: FrontDoor) -> ReferralRules:
    from frontdoor.console.referral_rules import load_referral_rules

    settings = front.settings
    return load_referral_rules(settings.config, settings.time_zone, front.vocabulary.categories)


def _library(front: FrontDoor) -> LiveLibrary:
    """The published library (see open_front_door): the release brought in when it has a
    text the database lacks, and unless `check_library` is off, read and checked now."""
    from frontdoor.triage_scripts.library import LibraryError
    from frontdoor.triage_scripts.live_library import LiveLibrary, library_check
    from frontdoor.triage_scripts.release import bring_in, read_release, release_hashes
    from frontdoor.triage_scripts.versions import ScriptVersions

    settings, opening = front.settings, front.opening
    folder = opening.library_folder or settings.library
    check = vocabulary_context(front.vocabulary)
    store = ScriptVersions(front.sessions, settings.time_zone, front.trail)
    trusted: frozenset[tuple[str, str]] = frozenset()
    # the release is read as YAML and linted only when it brings a text the database
    # lacks: most starts find every one stored, and check the published library
    if not release_hashes(folder) <= store.hashes():
        release = read_release(folder, check)
        if opening.check_library and release.errors:
            raise LibraryError(release.errors)
        if not is_read_only(front.engine):
            bring_in(store, release, front.clock())
        trusted = release.trusted
    library = LiveLibrary(
        store,
        library_check(check) if opening.check_library else None,
        check_every=LIBRARY_CHECK_SECONDS,
        trusted=trusted,
    )
    if opening.check_library:
        library.load()  # else on first use: a command may never need the scripts
        _check_needed(settings, library, folder)
    return library


def _referral_maker(front: FrontDoor) -> ReferralMaker:
    from frontdoor.calls.referral_terms import LibraryTerms
    from frontdoor.directory.store import DirectoryStore
    from frontdoor.referrals.making import ReferralMaker

    return ReferralMaker(
        front.referral_rules, LibraryTerms(front.library, DirectoryStore(front.sessions).get)
    )


def _record(front: FrontDoor) -> Record:
    from frontdoor.interactions.record import Record

    return Record(front.sessions, front.clock, closing=front.referral_maker, audit=front.trail)


def _people(front: FrontDoor) -> PersonIndex:
    from frontdoor.people.index import PersonIndex

    return PersonIndex(front.sessions)


def _sessions(front: FrontDoor) -> sessionmaker[Session]:
    return make_session_factory(front.engine)


def _audit(front: FrontDoor) -> AuditTrail:
    """The audit trail, naming whoever `act_as` last named (else the unsigned actor)."""
    from frontdoor.access.audit import AuditTrail

    sessions = front.sessions
    with front._acting:  # an act_as meanwhile names its actor on this trail
        trail = AuditTrail(sessions, front.clock, front.actor)
        front.__dict__["audit"] = trail
    return trail


def _users(front: FrontDoor) -> UserStore:
    from frontdoor.access.users import UserStore

    return UserStore(front.sessions, front.clock, front.trail, front.settings.time_zone)


def _directory(front: FrontDoor) -> DirectoryStore:
    from frontdoor.directory.store import DirectoryStore

    return DirectoryStore(front.sessions, front.trail)


def _referrals(front: FrontDoor) -> ReferralStore:
    from frontdoor.referrals.store import ReferralStore

    return ReferralStore(front.sessions, front.clock, front.trail)


def _follow_ups(front: FrontDoor) -> FollowUps:
    from frontdoor.referrals.follow_ups import FollowUps

    return FollowUps(front.sessions, front.clock, front.trail)


def _directory_index(front: FrontDoor) -> LiveIndex:
    from frontdoor.directory.live_index import LiveIndex

    # a LiveIndex is only a holder: the build (and its imports) start with start_index
    # or the first wait
    return LiveIndex(
        front._build_index, lambda: front.directory.stamp(), check_every=DIRECTORY_CHECK_SECONDS
    )


@dataclass(frozen=True)
class Opening:
    """How open_front_door was asked to open the library, for its build on first use."""

    library_folder: Path | None = None
    check_library: bool = True


@dataclass
class FrontDoor:
    """The database opened at this release's schema, and everything built on it. Only
    the settings, engine and clock are made as it opens; every other part (the sessions
    and the ORM they bring, the audit and the users, the library and its check, the
    record, the referrals, the search index...) is built on its first use, once
    (`_Built`): see `finish_opening`."""

    settings: Settings
    engine: Engine
    clock: Clock
    opening: Opening = field(default_factory=Opening)
    _building: threading.RLock = field(default_factory=threading.RLock, repr=False)
    # who the audit names until someone else is named (act_as): set in __post_init__
    _actor: Actor | None = field(default=None, repr=False)
    _acting: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # the ORM's sessions; the audit trail, written as `audit.actor` (whoever is signed
    # in here); the users
    sessions = built(_sessions)
    audit = built(_audit)
    users = built(_users)

    # the service's config: its vocabulary, what F8 and F9 say and suggest
    # (config/escalations.yaml), and due times by category when neither the script nor
    # the service gives one
    vocabulary = built(_vocabulary)
    escalations = built(_escalations)
    referral_rules = built(_referral_rules)
    # the published scripts, as every workstation runs them (see live_library.py)
    library = built(_library)
    # makes a contact's referrals as it is wrapped up (the record's closing hook), and
    # fills what a contacts file leaves out of a referral by the same rules
    referral_maker = built(_referral_maker)
    record = built(_record)
    people = built(_people)
    directory = built(_directory)
    referrals = built(_referrals)
    follow_ups = built(_follow_ups)
    # the search index every screen shares: built once, off the screen's thread, and
    # rebuilt when any workstation changes the directory (see start_index)
    directory_index = built(_directory_index)
    # held whole up to this many services, else read by id when shown (indexing.py; None:
    # its HELD_WHOLE_UP_TO)
    directory_held_whole_up_to: int | None = None

    def __post_init__(self) -> None:
        if self._actor is None:
            self._actor = unsigned_actor(self.settings)

    @property
    def actor(self) -> Actor:
        """Who the audit names now (the trail's actor, whether or not it is built yet)."""
        trail = self.__dict__.get("audit")
        if trail is not None:
            actor: Actor = trail.actor
            return actor
        assert self._actor is not None
        return self._actor

    def act_as(self, actor: Actor) -> None:
        """Whom the audit names from now on (a sign-in, or a console's handler before the
        first user): on the trail, or kept for its build, which may be under way on
        another thread (the console names its handler before the trail is built)."""
        with self._acting:
            self._actor = actor
            trail = self.__dict__.get("audit")
            if trail is not None:
                trail.actor = actor

    def has_users(self) -> bool:
        """Whether anyone must sign in (users are `UserRow`s in access/tables.py)."""
        return self._has_rows("users")

    def _has_rows(self, name: str) -> bool:
        """Whether the table holds a row: asked with SQLAlchemy Core before the console's
        first real screen, which the ORM's import would delay."""
        with self.engine.connect() as connection:
            return connection.scalar(select(literal(1)).select_from(table(name)).limit(1)) == 1

    def finish_opening(self) -> None:
        """Everything a call needs, built now rather than at its first use: the config
        read, the library brought in and checked (LibraryError, PublishedLibraryError,
        ConfigError as open_front_door raises them), the stores made. The console calls
        it behind its first screen; open_front_door, for commands, before it returns.
        Each part built on first use (`_Built`), in the order declared; the search index
        is only a holder here, its build started by start_index."""
        for name, part in vars(FrontDoor).items():
            if isinstance(part, _Built):
                getattr(self, name)
        _table_modules()

    @property
    def trail(self) -> AuditTrail:
        """The audit trail (`audit`, under the name the rooms give it)."""
        return self.audit

    def _build_index(self) -> SearchIndex:
        from frontdoor.directory.details import HELD_WHOLE_UP_TO
        from frontdoor.directory.eligibility import Eligibility
        from frontdoor.directory.indexing import index_of
        from frontdoor.directory.search import Synonyms

        held = self.directory_held_whole_up_to
        return index_of(
            self.directory,
            Synonyms.from_groups(self.vocabulary.synonym_groups),
            Eligibility(named_areas=self.vocabulary.named_areas),
            held_whole_up_to=HELD_WHOLE_UP_TO if held is None else held,
        )

    def record_on(
        self,
        clock: Clock,
        sessions: sessionmaker[Session] | None = None,
        audit: AuditTrail | None = None,
        maker: ClosingHook | None = None,
    ) -> Record:
        """The record on another clock (the simulation's), making referrals as this one
        does (or as `maker` does); on other sessions and audit (a held transaction's),
        if given."""
        from frontdoor.interactions.record import Record

        return Record(
            sessions or self.sessions,
            clock,
            closing=maker or self.referral_maker,
            audit=audit or self.trail,
        )

    @property
    def index(self) -> SearchIndex:
        """The search index, waiting for its build if need be: for CLI commands and
        thread workers. Screens use `directory_index`, which never waits."""
        return self.directory_index.wait()

    @property
    def handovers(self) -> Handovers:
        """Referral handovers, with the SPA's contact and the service's words."""
        from frontdoor.referrals.handover import HandoverTerms, SpaContact
        from frontdoor.referrals.handovers import Handovers

        terms = HandoverTerms(
            spa=SpaContact(self.settings.spa_contact_name, self.settings.spa_contact_phone),
            time_zone=self.settings.time_zone,
            caller_types=self.vocabulary.caller_types,
            categories=self.vocabulary.categories,
        )
        return Handovers(
            self.sessions, self.clock, self.record.contact, self.library, terms, self.trail
        )

    @property
    def consent(self) -> ConsentRegister:
        """Withdrawals of consent to share, audited as whoever is signed in here."""
        from frontdoor.people.consent import ConsentRegister

        return ConsentRegister(self.sessions, self.clock, self.trail)

    @property
    def subject_access(self) -> SubjectAccess:
        from frontdoor.rights.subject_access import SubjectAccess

        return SubjectAccess(self.sessions, self.clock, self.trail, self.handovers)

    @property
    def contacts_out(self) -> ContactsOut:
        from frontdoor.rights.contacts_out import ContactsOut

        return ContactsOut(self.sessions, self.record, self.referrals, self.trail)

    def purge(self) -> Purge:
        """`records purge` under this site's retention schedule."""
        from frontdoor.rights.purge import Purge

        return Purge(
            self.sessions,
            self.clock,
            self.trail,
            scripts=self.library,
            clean_search=search_cleaner(),
            retention_years=self.settings.retention_years,
            time_zone=self.settings.time_zone,
        )

    @property
    def scripts(self) -> ScriptVersions:
        """Every version of every script: what the scripts commands change."""
        return self.library.store

    def needed_scripts(self) -> dict[str, str]:
        """Scripts this service cannot be without, and why (they may not be retired)."""
        from frontdoor.calls.call import FRONT_DOOR_SCRIPT

        return {
            FRONT_DOOR_SCRIPT: "every call starts with it",
            self.settings.safeguarding_script: (
                "F9 hands on to it (safeguarding_script in settings.yaml)"
            ),
        }

    def line_vocabularies(self) -> Vocabularies:
        """The config's names a contacts file's lines are checked against."""
        from frontdoor.interactions.jsonl import Vocabularies

        vocab = self.vocabulary
        return Vocabularies(
            outcomes=frozenset(vocab.outcomes),
            demand=frozenset(vocab.demand),
            categories=frozenset(vocab.categories),
            caller_types=frozenset(vocab.caller_types),
        )

    def load_contacts_file(
        self,
        lines: Iterable[str | bytes],
        *,
        audit: AuditTrail | None = None,
        batch: int | None = None,
    ) -> ContactsFile:
        """`contacts import`'s load: the file's contacts and referrals checked against
        this site's config and directory, and loaded in one transaction or not at all."""
        from frontdoor.referrals.importing import load_contacts_file

        return load_contacts_file(
            self.sessions,
            lines,
            self.line_vocabularies(),
            self.referral_maker,
            self.clock(),
            service_name={s.id: s.name for s in self.directory.all()}.get,
            audit=audit,
            **({} if batch is None else {"batch": batch}),
        )

    def start_index(self, check_every: float | None = None) -> None:
        """Build the index in the background and keep it the same as the database's
        directory (checked every `check_every` seconds). The console calls it on mount."""
        self.directory_index.start(check_every)

    def stop_index(self) -> None:
        self.directory_index.stop()

    def matches_now(self, text: str) -> bool:
        """Whether today's directory finds a service for a search text, whoever it is for
        (the MI's unmet need says so of each need; mi/ does not search the directory)."""
        return self.index.finds(text)

    def call_service(
        self,
        writer: Writer | None = None,
        holder: str | None = None,
        index: IndexSource | None = None,
    ) -> CallService:
        """Calls on this database, their writes applied at once unless a writer is given
        (the console gives its journalling outbox, and the live index, which never
        waits; elsewhere the index is waited for if it is still being built)."""
        from frontdoor.calls.call import CallService, FixedIndex
        from frontdoor.calls.writer import DirectWriter

        return CallService(
            record=self.record,
            library=self.library,
            index=index or FixedIndex(self.index),
            settings=call_settings(self.settings, self.escalations),
            clock=self.clock,
            writer=writer or DirectWriter(self.record),
            holder=holder,
            referrals=self.referrals,
            follow_ups=self.follow_ups,
            audit=self.trail,
            consent=self.consent,
        )

    def mi_settings(self) -> MiSettings:
        from frontdoor.mi.period import MiSettings

        return MiSettings(
            time_zone=self.settings.time_zone,
            repeat_window_days=self.settings.repeat_window_days,
            short_abandon_seconds=self.settings.short_abandon_seconds,
            service_level_seconds=self.settings.service_level_seconds,
            resolved_outcomes=self.vocabulary.resolved_outcomes,
            failure_codes=frozenset(self.vocabulary.failure_demand),
        )

    def report_labels(self) -> Labels:
        """The words the MI report and screen show for codes: this service's config labels
        and the library's script titles."""
        from frontdoor.mi.labels import Labels

        vocab = self.vocabulary
        return Labels(
            categories=vocab.categories,
            outcomes=vocab.outcomes,
            demand=vocab.demand,
            caller_types=vocab.caller_types,
            scripts={key: s.title for key, s in self.library.scripts.items()},
        )

    def local_now(self) -> dt.datetime:
        """Now in the service's time zone (opening hours are local)."""
        return self.clock().astimezone(ZoneInfo(self.settings.time_zone))

    def load_demo_directory(self) -> int:
        from frontdoor.directory.service_file import bundled_demo_files, read_service_file

        services = [s for path in bundled_demo_files() for s in read_service_file(path)]
        self.directory.save(services, self.clock(), by="demo data")
        self.directory_index.refresh()
        return len(services)

    def lint_context(self, with_directory: bool = True) -> LintContext:
        from frontdoor.triage_scripts.lint import LintContext

        now = self.clock()
        return LintContext(
            outcomes=frozenset(self.vocabulary.outcomes),
            categories=frozenset(self.vocabulary.categories),
            caller_types=frozenset(self.vocabulary.caller_types),
            directory_ids=self.directory.ids() if with_directory else None,
            library=self.library.scripts,
            today=now.date(),
        )


# Who may go on opening the database (signs a user in, sets the trail's actor), or raises.
Admit = Callable[["AuditTrail", "UserStore"], None]

# The role the audit names before the first user exists: everyone may do everything.
NO_USERS_ROLE = "every role (no users yet)"


def workstation() -> str:
    """Where a command or console runs, as the audit names it."""
    return socket.gethostname() or "unknown workstation"


def unsigned_actor(settings: Settings) -> Actor:
    """Who acts before anyone signs in: the name settings give (FRONTDOOR_USER), else the
    operating system's user. Sign-in (console, CLI) replaces it."""
    return Actor(settings.user or getpass.getuser(), NO_USERS_ROLE, workstation())


def add_demo_users_to(settings: Settings, sessions: sessionmaker[Session]) -> list[str]:
    """The demo users (access/demo.py) into a database, audited as added by whoever runs
    it; their names. Refused in words (UserError) for a database with users of its own."""
    from frontdoor.access.audit import AuditTrail
    from frontdoor.access.demo import add_demo_users
    from frontdoor.access.users import UserStore

    trail = AuditTrail(sessions, system_clock, unsigned_actor(settings))
    return add_demo_users(UserStore(sessions, system_clock, trail, settings.time_zone))


def call_settings(
    settings: Settings, escalations: dict[str, EscalationGuide] | None = None
) -> CallSettings:
    from frontdoor.calls.settings import CallSettings

    return CallSettings(
        time_zone=settings.time_zone,
        repeat_window_days=settings.repeat_window_days,
        history_days=settings.history_days,
        escalations=escalations or {},
        safeguarding_script=settings.safeguarding_script,
    )


def vocabulary_context(vocabulary: Vocabulary) -> LintContext:
    """What a library is checked against when it is loaded: the service's vocabulary."""
    from frontdoor.triage_scripts.lint import LintContext

    return LintContext(
        outcomes=frozenset(vocabulary.outcomes),
        categories=frozenset(vocabulary.categories),
        caller_types=frozenset(vocabulary.caller_types),
    )


def bring_in_release(
    settings: Settings,
    store: ScriptVersions,
    now: dt.datetime,
    *,
    vocabulary: Vocabulary | None = None,
    library_folder: Path | None = None,
) -> BroughtIn:
    """The release's library (`library_folder`, else settings.library, else the bundled
    one) into the database: published into a new one, changed scripts as drafts by
    `system` into one that has a library. LibraryError when the folder has lint errors."""
    from frontdoor.console.vocabulary import load_vocabulary
    from frontdoor.triage_scripts.library import LibraryError
    from frontdoor.triage_scripts.release import bring_in, read_release

    vocabulary = vocabulary or load_vocabulary(settings.config)
    release = read_release(library_folder or settings.library, vocabulary_context(vocabulary))
    if release.errors:
        raise LibraryError(release.errors)
    return bring_in(store, release, now)


def open_front_door(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    library_folder: Path | None = None,
    migrate: bool = True,
    create: bool = True,
    check_library: bool = True,
    on_loosened: Callable[[Loosened], None] | None = None,
    admit: Admit | None = None,
    defer: bool = False,
) -> FrontDoor:
    """Open the database (bringing its schema up to date) and its script library.

    `create`: a SQLite file that does not exist is made (else DatabaseMissing). A
    database that cannot be written is opened read-only: not migrated, but checked to be
    at this release's schema. A database from a newer release is refused (SchemaTooNew).

    The release's library (`library_folder`, else settings.library, else the bundled
    one), when it has a text the database lacks, is lint-checked against the service's
    vocabulary (LibraryError) and brought into a database that can be written (see
    `bring_in_release`). Calls run the library published in the database, checked the
    same way (PublishedLibraryError when it fails) and kept the same as the database's
    while the console runs. With `check_library` False neither is checked and a release
    with errors is not brought in: for commands that only look scripts up, or mend the
    library. `on_loosened` hears of a database file that others could read (made
    owner-only if it is ours). The bundled demo directory and the demo users
    (access/demo.py) go into the default database the first time it is used, so that
    `make run` on a new machine has something to search and someone to sign in as.

    `admit` is called as soon as the schema is current, before anything else is read or
    written: the CLI signs its user in there, so someone refused waits for nothing more
    and changes nothing.

    `defer`: only the database is opened now (its schema checked, the users); the config,
    the library and its check, and the stores are built by `front.finish_opening()` or at
    their first use, raising then what they would have raised here. The console shows its
    first screen in between.
    """
    opening = Opening(library_folder, check_library)
    vocabulary: Vocabulary | None = None
    if not defer:  # the config's mistakes said before the database is touched
        from frontdoor.console.escalations import load_escalations
        from frontdoor.console.vocabulary import load_vocabulary

        vocabulary = load_vocabulary(settings.config)
        escalations = load_escalations(settings.config, vocabulary)
    engine = make_engine(settings.db, create=create, on_loosened=on_loosened)
    try:
        if is_read_only(engine):
            check_current(engine)
        elif migrate:
            upgrade(engine)
        else:
            check_known(engine)
        # every room writes its audit rows through its one trail, as whoever is signed in
        # here; the sessions, the trail and the users are built with the first use
        front = FrontDoor(settings, engine, clock, opening)
        if admit is not None:
            admit(front.trail, front.users)
        if vocabulary is not None:
            front.vocabulary, front.escalations = vocabulary, escalations
            front.finish_opening()
        if (
            settings.seed_demo
            and settings.db == default_db_url()
            and not is_read_only(engine)
            and not front._has_rows("services")  # Core: `make run` opens here every time
        ):
            from frontdoor.access.demo import add_demo_users

            front.load_demo_directory()
            # and someone to sign in as, each role that takes calls (their password is on
            # the sign-in screen); a site with users of its own never gets them
            if front.users.count() == 0:
                add_demo_users(front.users)
    except BaseException:
        engine.dispose()
        raise
    return front


def _check_needed(settings: Settings, library: LiveLibrary, folder: Path | None) -> None:
    """The scripts every call needs are published: a console without them would fail
    mid-call."""
    from frontdoor.calls.call import FRONT_DOOR_SCRIPT
    from frontdoor.console.vocabulary import ConfigError

    if not library.scripts:
        raise ConfigError(
            "the database holds no published scripts: run 'frontdoor db upgrade' on it, "
            "which publishes the bundled library (or the folder in settings.library)"
        )
    for needed, setting in (
        (FRONT_DOOR_SCRIPT, None),
        (settings.safeguarding_script, "safeguarding_script"),
    ):
        if needed in library:
            continue
        if setting is None:
            raise ConfigError(
                f"the library has no published '{needed}', which every call starts with: "
                f"a lead submits and approves one (frontdoor scripts submit / approve)"
            )
        # F9 hands every call on to it
        raise ConfigError(
            f"settings: safeguarding_script '{needed}' is not a script of the library "
            f"published in the database (brought in from {folder or 'the bundled library'}); "
            "name one that is (FRONTDOOR_SAFEGUARDING_SCRIPT or safeguarding_script in "
            "settings.yaml)"
        )
