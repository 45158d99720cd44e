"""The Front Door console (Textual). Attributes down, messages up.

Nothing here waits on the database on the event loop: a call's writes go to the outbox
(journalled on disk, applied by its own thread), and everything that reads or starts
something runs in a thread worker. `frontdoor console` paints its first screen before
the database is even opened (`FrontDoorApp.opening`): the settings and database are
opened by a worker after that paint, while the screen says the console is getting ready
and keeps the keys typed meanwhile; then the sign-in or ready screen is shown, and behind
it a second worker brings in and checks the library and builds what calls need (the
outbox, the calls). The keys typed until that is done are kept too, and handed on in
order once it is: no call starts on a library not yet checked, and no key is lost. A
worker that fails never closes the console (but for those two, which open it): one
handler turns the failure into words and the screen stays where it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.message_pump import MessagePump
from textual.reactive import reactive
from textual.worker import Worker, WorkerState, get_current_worker

from frontdoor.calls.outbox_state import OutboxState
from frontdoor.console.crash import ShowsFailuresInWords, explain
from frontdoor.console.logs import get_logger, log_failure
from frontdoor.console.messages import (
    CallBackPromised,
    CallConnected,
    ContactEntered,
    ContactSaved,
    ContactTakenAway,
    DeskFree,
    Escalation,
    LibraryChanged,
    OutboxChanged,
    WrapUpStarted,
)
from frontdoor.console.referral_desk import ReferralDesk
from frontdoor.console.screen_text import DrawsNoControls
from frontdoor.console.signed_in import SignedInConsole
from frontdoor.telephony.states import HandlerState

if TYPE_CHECKING:
    from frontdoor.access.views import PersonViews
    from frontdoor.calls.call import Call
    from frontdoor.calls.chases import CallBack
    from frontdoor.console.opening import Opened
    from frontdoor.console.permissions import Screen as FirstScreen
    from frontdoor.console.screens.call import OpenWith
    from frontdoor.console.sources import ReadySummary
    from frontdoor.console.wiring import FrontDoor
    from frontdoor.interactions.model import Contact, NewContact
    from frontdoor.telephony.taking import WaitingCall
    from frontdoor.triage_scripts.live_library import PublishedLibrary

# Every screen, and what only a call, a report or the database needs, is imported where
# it is first used: `frontdoor console` paints its first screen (screens/opening.py)
# before the database is opened, and what that paint does not use would only delay it
# (tests/console/test_start_imports.py).


# The app's actions that need the console to have finished opening (the library checked,
# the stores and calls made): shown greyed in the footer until then, so that a click does
# not start what a key typed then waits for (the keys are kept, and handed on after).
WAITS_FOR_OPENING = frozenset(
    {
        "take_call",
        "new_contact",
        "follow_ups",
        "open_referral",
        "browse_directory",
        "keep_directory",
        "management_information",
        "wallboard",
        "scripts",
    }
)


async def _kept() -> None:
    """What handling a key kept for later returns (SignedInConsole.on_event)."""


# how long a saved contact's referrals are waited for before their references are said
REFERENCES_WAIT_SECONDS = 10.0
# after a hang-up, how long Textual's own close is given before the process ends
HANGUP_GRACE_SECONDS = 3.0
# how often the console asks whether its terminal is still there (see _close_on_hangup)
TERMINAL_CHECK_SECONDS = 1.0


def _end_after(seconds: float) -> None:
    """End the process (a daemon thread's last resort, after a hang-up: what the console
    keeps is kept by then, and only the gone terminal is left to restore)."""
    time.sleep(seconds)
    os._exit(0)


class FrontDoorApp(ShowsFailuresInWords, DrawsNoControls, ReferralDesk, SignedInConsole, App[None]):
    TITLE = "Front Door"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False),
        # Tab moves the focus as the app reads it, before the keys typed after it are
        # handed on: left to bubble up from the focused field (Textual's default), a Tab
        # queued behind a busy field let the next word land in the field it left.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
        # from anywhere, mid-call too: the call is kept under the lock (signed_in.py)
        Binding("ctrl+l", "lock", "Lock", show=False, priority=True),
    ]
    ENABLE_COMMAND_PALETTE = False

    outbox_state: reactive[OutboxState] = reactive(OutboxState, always_update=True)

    def __init__(
        self,
        front: FrontDoor | None,
        handler: str = "",
        role: str | None = None,
        first_screen: str | None = None,
        *,
        sign_in_as: str | None = None,
        journal_folder: Path | None = None,
        poll_seconds: float = 2.0,
        retry_seconds: float = 2.0,
        lease_renew_seconds: float | None = None,
        idle_check_seconds: float | None = None,
        opener: Callable[[], Opened] | None = None,
        closes_on_hangup: bool = False,
    ) -> None:
        """`handler` is who takes calls while the database has no users; once it has,
        whoever signs in (`sign_in_as` fills in the name). `role` and `first_screen`
        choose the first screen among those the user may open (permissions.py).

        Without `front`, `opener` opens it (and says who the handler is) in a worker once
        the first screen is painted: see `opening`."""
        super().__init__()
        if front is None and opener is None:
            raise ValueError("FrontDoorApp needs a FrontDoor, or an opener to open one")
        self.role = role
        self.first_screen = first_screen
        self.console_id = uuid.uuid4().hex
        self.away = False
        self.poll_seconds = poll_seconds
        self.call: Call | None = None  # the call on screen, whose lease this console renews
        # the referrals the last call made, as said to the handler, until the next begins
        self.last_references: tuple[str, ...] = ()
        self._contacts_begun = 0  # contacts begun: a reference late for its call is not said
        self.views: PersonViews | None = None  # what the contact being entered has shown
        self._stop_listening: Callable[[], None] = lambda: None  # to the script library
        self._opener = opener
        # `frontdoor console`: a terminal closed, or a TERM, closes it as ctrl+q, y would
        self._closes_on_hangup = closes_on_hangup
        self._hangups: tuple[int, ...] = ()
        self._closed_down = False
        # what the opener raised: the console closes, and the command says it in words
        self.not_opened: Exception | None = None
        # keys typed while the console is getting ready or a sign-in is checked, handed on
        # to the screen that follows (None when keys go their own way)
        self._kept_keys: list[events.Key] | None = None if front else []
        self._typed_again: set[int] = set()  # the kept key being handed on, by id
        self._sign_in_checking = False  # a sign-in's password being checked: keys kept
        # the library checked, the outbox and calls made (at once when given a `front`)
        self.is_warm = False
        self._unfinished_asked = False  # by the desk before the outbox was there
        # unfinished contacts found while a call or a form was in hand: offered at the desk
        self._resume_waits = False
        self._journal_folder = journal_folder
        self._retry_seconds = retry_seconds
        self._lease_renew_seconds = lease_renew_seconds
        self._idle_check_seconds = idle_check_seconds
        self.setup_before_sign_in()  # and `is_open` False until _set_up
        if front is not None:
            self._set_up(front, handler, sign_in_as, None)
            self._set_up_calls()

    @classmethod
    def opening(
        cls,
        opener: Callable[[], Opened],
        role: str | None = None,
        first_screen: str | None = None,
        **options: Any,
    ) -> FrontDoorApp:
        """The console as `frontdoor console` runs it: its first screen says it is getting
        ready and is painted at once; `opener` runs in a worker after that paint."""
        return cls(None, role=role, first_screen=first_screen, opener=opener, **options)

    def _set_up(
        self, front: FrontDoor, handler: str, sign_in_as: str | None, users_exist: bool | None
    ) -> None:
        """What the sign-in or ready screen needs: the database opened, who signs in."""
        self.front = front
        self.is_open = True
        self.handler = handler
        self.zone = ZoneInfo(front.settings.time_zone)
        self.log_ = get_logger().bind(handler=handler)
        self.setup_sign_in(sign_in_as, self._idle_check_seconds, users_exist)

    def _set_up_calls(self) -> None:
        """What calls need, built on the library and the stores: the outbox and the calls.
        From __init__ when given a front; else in `_finish_opening`'s worker."""
        from frontdoor.calls.outbox import Outbox

        front = self.front
        self.outbox = Outbox(
            front.record,
            self._journal_folder or front.settings.journal,
            self.console_id,
            retry_seconds=self._retry_seconds,
            on_change=self._outbox_posted,
            on_error=self._outbox_failed,
        )
        self.calls = front.call_service(
            writer=self.outbox, holder=self.console_id, index=front.directory_index
        )
        self.lease_renew_seconds = (
            self._lease_renew_seconds or self.calls.settings.lease_seconds / 3
        )

    # --- starting and stopping ------------------------------------------------------
    def on_mount(self) -> None:
        if self._closes_on_hangup:
            self._close_on_hangup()
        if self.is_open:
            self._start_calls()
            self.start_session()  # signed_in.py: a sign-in, or with no users the desk at once
            return
        from frontdoor.console.screens.opening import OpeningScreen

        self.push_screen(OpeningScreen())

    def _close_on_hangup(self) -> None:
        """The terminal closed (HUP) or the console told to stop (TERM): closed as a
        handler closes it, the writes kept, the contact let go and the handler shown
        signed out. Left to itself the console went on running with no terminal, at half
        a core, its handler shown available on every wallboard."""
        loop = asyncio.get_running_loop()
        for name, closing in (("SIGHUP", self._hung_up), ("SIGTERM", self.exit)):
            number = getattr(signal, name, None)
            if number is None:  # Windows has no HUP
                continue
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(number, closing)
                self._hangups += (number,)
        if self._hangups and sys.__stdin__ is not None and sys.__stdin__.isatty():
            # no HUP comes when the console is not its terminal's first process: under
            # `make run`, make has it, and waits for the console, which ran on at half a
            # core; so the terminal itself is asked, every second, if it is still there
            # (only a terminal: keys from elsewhere have no terminal to lose)
            self.set_interval(TERMINAL_CHECK_SECONDS, self._check_terminal)

    def _check_terminal(self) -> None:
        """A terminal that has hung up no longer answers for its settings."""
        import termios

        try:
            termios.tcgetattr(sys.__stdin__.fileno() if sys.__stdin__ else 0)
        except (termios.error, OSError, ValueError):
            if not self._closed_down:
                self._hung_up()

    def _hung_up(self) -> None:
        """The terminal is gone. Textual's own close writes to it first (the mouse and
        keys given back), and with no terminal there its writer can wait for ever: seen
        both before and after the console's own closing. So that closing is done here,
        first, and the process ends a moment later whatever Textual still waits for."""
        self._close_down()
        threading.Thread(target=_end_after, args=(HANGUP_GRACE_SECONDS,), daemon=True).start()
        self.exit()

    def _start_calls(self) -> None:
        """Calls at work: from on_mount, or once `_finish_opening`'s worker is done."""
        front = self.front
        # a version published anywhere reaches this console's next call
        self._stop_listening = front.library.on_change(self._library_published)
        self.outbox.start()
        self.outbox_state = self.outbox.state
        self.set_interval(self.lease_renew_seconds, self._renew_lease)
        self.is_warm = True
        if self._unfinished_asked:
            self._check_unfinished()

    def on_ready(self) -> None:
        """The first screen is painted: now the search index is built (once, in the
        background, before anyone asks) and the library watched; or, when `opening`, the
        database opened first. Started in on_mount, the build's imports and reads shared
        the interpreter with the first paint."""
        self.call_after_refresh(self._warm_up if self.is_warm else self._open)

    @work(thread=True, exclusive=True, group="opening", exit_on_error=False)
    def _open(self) -> None:
        assert self._opener is not None
        try:
            opened = self._opener()
        except Exception as exc:
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self._not_opened, exc)
            return
        if get_current_worker().is_cancelled:  # closed while it opened (ctrl+q)
            opened.front.engine.dispose()
            return
        self.call_from_thread(self._opened, opened)

    def _not_opened(self, exc: Exception) -> None:
        """The database or library could not be opened: the console closes, and
        `frontdoor console` says why as any command does (with the same words and exit
        status as before the console painted first)."""
        self.not_opened = exc
        self.exit(return_code=1)

    def _opened(self, opened: Opened) -> None:
        if not self.is_running:  # closed (ctrl+q) as the worker handed it over
            opened.front.engine.dispose()
            return
        self.database_url = opened.front.settings.db
        self._set_up(opened.front, opened.handler, opened.sign_in_as, opened.users_exist)
        self.pop_screen()  # the opening screen
        self.start_session()  # signed_in.py: a sign-in, or with no users the desk at once
        for notice in opened.notices:
            self.notify(notice, severity="warning", markup=False, timeout=20)
        # the rest once that screen is painted: its imports and reads would delay it
        self.screen.call_after_refresh(self._finish_opening, opened.finish)

    @work(thread=True, exclusive=True, group="finish-opening", exit_on_error=False)
    def _finish_opening(self, finish: Callable[[], None]) -> None:
        """Behind the sign-in or ready screen: the library brought in and checked, the
        stores, the outbox and the calls. What fails closes the console, as a failure to
        open it did (a library that fails its check must not take calls)."""
        try:
            finish()
            self._set_up_calls()
        except Exception as exc:
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self._not_opened, exc)
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._finished_opening)

    def _finished_opening(self) -> None:
        if not self.is_running:
            return
        self._start_calls()
        self._warm_up()
        self.refresh_bindings()  # the footer's keys greyed until now (WAITS_FOR_OPENING)
        # handed on now that a call may start: in order, as if typed now
        self._type_again()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_warm and action in WAITS_FOR_OPENING:
            return None  # greyed: see WAITS_FOR_OPENING
        return super().check_action(action, parameters)

    def _type_again(self) -> None:
        """The keys kept, and any typed meanwhile, handed on in the order they came, each
        once the one before has gone all its way (to the focused field, up through its
        screen and back to the app's bindings), as a typist's keys come: `n` has opened
        the form before the number is typed, and a sign-in's Enter has started its check
        (which keeps what follows for the desk) before the next key is read."""
        self._typed_again.clear()  # the last one handed on has gone its way
        if self._kept_keys is None:
            return
        kept = self._kept_keys
        if not kept:
            self._kept_keys = None  # keys go their own way again
            return
        if self._sign_in_checking:
            return  # handed on once the sign-in is answered
        key = kept.pop(0)
        again = events.Key(key.key, key.character)
        self._typed_again.add(id(again))
        self.post_message(again)
        self.call_later(self._follow_key)  # behind it in the app's queue

    @property
    def keeps_keys(self) -> bool:
        """Whether keys typed now are kept (the console opening, a sign-in checked, the
        kept keys still being handed on)."""
        return self._kept_keys is not None

    def _follow_key(self) -> None:
        # the key has just been handed to the focused field (or the screen): behind it in
        # each queue it may go up through, to the app's own last
        self._behind(list((self.screen.focused or self.screen).ancestors_with_self))

    def _behind(self, way: list[MessagePump]) -> None:
        if way:
            way[0].call_later(self._behind, way[1:])
        else:
            self._type_again()

    def hold_keys_for_sign_in(self) -> None:
        """From the sign-in screen as it checks a password: what is typed after its Enter
        is for the desk the sign-in opens, not for the password field; kept until then."""
        self._sign_in_checking = True
        if self._kept_keys is None:
            self._kept_keys = []

    def sign_in_answered(self, signed_in: bool) -> None:
        """The keys kept since the sign-in's Enter: handed on to the desk it opened, once
        that is on screen; after a refusal, let go (they were not meant for the sign-in)."""
        self._sign_in_checking = False
        if not signed_in:
            self._kept_keys = None
        elif self.is_warm:
            self.call_after_refresh(self._type_again)
        # else: still opening, and _finished_opening hands them on

    def on_event(self, event: events.Event) -> Coroutine[Any, Any, None]:
        # Not `async`, as SignedInConsole.on_event. A key typed before the console's first
        # screen is up, or while a sign-in is checked, is kept for the screen that follows;
        # ctrl+q is not: it closes the console (action_quit).
        kept = self._kept_keys
        if isinstance(event, events.Key) and id(event) in self._typed_again:
            pass  # a kept key handed on (or on its way back up from the screen)
        elif kept is not None and isinstance(event, events.Key) and event.key != "ctrl+q":
            kept.append(event)
            return _kept()
        return super().on_event(event)

    def close_database(self) -> None:
        """After the console has closed: its connections let go (if it opened at all)."""
        if self.is_open:
            self.front.engine.dispose()

    def _warm_up(self) -> None:
        if not self.is_warm:
            return
        self.front.start_index()
        self.front.library.start()

    def _open_desk(self, first: FirstScreen) -> None:
        """The ready screen of whoever is signed in, the first screen over it, and the
        contacts they left unfinished."""
        from frontdoor.console.screens.ready import ReadyScreen

        handler = self.handler

        # read by the screen's worker, which imports what they read (the queue, its
        # statistics) after the screen is painted
        def summary() -> ReadySummary:
            from frontdoor.console.sources import ready_summary

            return ready_summary(self.front, handler)

        def connected() -> WaitingCall | None:
            from frontdoor.console.sources import connected_call

            return connected_call(self.front, handler)

        self.push_screen(
            ReadyScreen(
                handler if self.user is None else f"{self.user.label} ({self.user.role.value})",
                self.front.settings.service_name,
                summary=summary,
                connected=connected,
                away=lambda: self.away,
                references=lambda: self.last_references,
                poll_seconds=self.poll_seconds,
            )
        )
        if first == "directory":
            self.action_keep_directory()
        elif first == "wallboard":
            self.action_wallboard()
        elif first == "mi":
            self.action_management_information()
        if self.is_warm:
            self._check_unfinished()
        else:  # once the outbox has replayed this workstation's journals (_start_calls)
            self._unfinished_asked = True

    def on_unmount(self) -> None:
        for number in self._hangups:
            asyncio.get_running_loop().remove_signal_handler(number)
        self._close_down()

    def _close_down(self) -> None:
        """What closing keeps: the writes saved or journalled, the contact let go, the
        handler shown signed out. Once, whether the console is closed or hung up on."""
        if not self.is_warm or self._closed_down:
            return  # closed while getting ready: nothing was started yet
        self._closed_down = True
        self.front.stop_index()
        self.front.library.stop()
        self._stop_listening()
        # one last try to save; what is left stays in the journal for the next start
        self.outbox.close()
        self.sign_out_as_it_closes()
        if self.call is not None:
            releasing = threading.Thread(
                target=self._release, args=(self.call.contact_id,), daemon=True
            )
            releasing.start()
            releasing.join(1.0)

    def _release(self, contact_id: str) -> None:
        """Let the contact go at once, so the next start offers it without waiting for
        its lease; with the database down, the lease simply lapses."""
        from sqlalchemy.exc import SQLAlchemyError

        with contextlib.suppress(SQLAlchemyError):
            self.front.record.release(contact_id, self.console_id)

    # --- failures, in words -----------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        error = event.worker.error
        log_failure("worker_failed", error, worker=event.worker.name, handler=self.handler)
        words = explain(error, self.front.settings.db if self.is_open else None).words
        self.notify(
            f"Could not {event.worker.description or 'finish that'}: {words}. "
            "Everything saved before is kept; try again, and tell your supervisor if it "
            "goes on.",
            title="Not done",
            severity="error",
            markup=False,
            timeout=10,
        )

    def _outbox_posted(self, state: OutboxState) -> None:
        # called from the outbox's thread or the event loop; post_message is thread-safe
        self.post_message(OutboxChanged(state))

    def _outbox_failed(self, error: BaseException) -> None:
        log_failure("outbox_failed", error, handler=self.handler)

    @on(OutboxChanged)
    def _outbox_changed(self, event: OutboxChanged) -> None:
        before = self.outbox_state
        self.outbox_state = event.state
        if event.state.offline and not before.offline:
            self.log_.warning("working_offline", waiting=event.state.waiting)
        elif before.offline and not event.state.offline:
            self.log_.info("back_online", waiting=event.state.waiting)
        if self.call is not None and self.call.contact_id in event.state.taken - before.taken:
            self.post_message(ContactTakenAway(self.call.contact_id))

    def _library_published(self, _: PublishedLibrary) -> None:
        self.post_message(LibraryChanged())  # from the watcher's thread: thread-safe

    @on(LibraryChanged)
    def _library_changed(self) -> None:
        library = self.front.library
        refused = library.refused
        if refused is None:
            self.log_.info("script_library_changed", scripts=len(library.scripts))
            return
        # the last good library stays in use: calls go on, but a lead must know
        self.log_.warning("script_library_refused", errors=len(refused.problems))
        self.notify(
            f"The scripts just published fail this workstation's check "
            f"({len(refused.problems)} error(s), the first: {refused.problems[0]}). Calls go "
            "on with the scripts in use; tell a service lead.",
            title="Scripts not updated",
            severity="warning",
            markup=False,
            timeout=20,
        )

    # --- contacts left open by a console that has gone --------------------------------
    @work(thread=True, exclusive=True, group="unfinished", exit_on_error=False)
    def _check_unfinished(self) -> None:
        """After this workstation's earlier journals are saved, offer what was left open."""
        worker = get_current_worker()
        while not self.outbox.wait_until_idle(timeout=0.5):
            if worker.is_cancelled:
                return
        for console_id in self.outbox.adopted:
            self.front.record.take_over(console_id, self.console_id)
        self.outbox.adopted.clear()
        unfinished = [
            c
            for c in self.front.record.unfinished(self.handler, holder=self.console_id)
            if self.call is None or c.id != self.call.contact_id
        ]
        if unfinished:
            self.call_from_thread(self._offer_resume, unfinished)

    def _offer_resume(self, unfinished: list[Contact]) -> None:
        from frontdoor.console.screens.resume import ResumeScreen

        if self._call_in_hand():
            # a new-contact form typed into since start-up, or a call taken meanwhile: the
            # offer would cover it and take the keys typed for it, so it waits for the desk
            if not self._resume_waits:
                self.notify(
                    f"{len(unfinished)} unfinished contact(s) from an earlier session: "
                    "offered once this caller is done.",
                    markup=False,
                )
            self._resume_waits = True
            return

        def decided(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            what, contact_id = choice
            if what == "resume":
                self._resume(contact_id)
            else:
                self._close_incomplete(contact_id)

        self.push_screen(ResumeScreen(unfinished, self.zone), decided)

    @work(
        thread=True,
        exclusive=True,
        group="open-call",
        description="resume the contact",
        exit_on_error=False,
    )
    def _resume(self, contact_id: str) -> None:
        from frontdoor.interactions.record import ContactTaken

        try:
            call = self.calls.resume(contact_id)
        except ContactTaken:
            self.call_from_thread(
                self.notify,
                f"Contact {contact_id} is open on another console now.",
                markup=False,
            )
            return
        self.call_from_thread(self._resumed, call)

    def _resumed(self, call: Call) -> None:
        self.forget_last_call()
        # a call that had ended was being wrapped up when its console stopped: back there
        self._open_call(call, "wrap_up" if call.contact.ended_at is not None else None)

    def forget_last_call(self) -> None:
        """A new contact begins: what was said of the last one goes, its references with
        it (a safeguarding referral's reference stayed on screen over the next caller's
        form and into their triage)."""
        self._contacts_begun += 1
        self.last_references = ()
        self.clear_notifications()

    @work(thread=True, group="close", description="close the contact", exit_on_error=False)
    def _close_incomplete(self, contact_id: str) -> None:
        self.front.record.close_incomplete(
            contact_id, "closed as incomplete on restart", holder=self.console_id
        )
        self.log_.info("contact_closed_incomplete", contact_id=contact_id)
        self.call_from_thread(
            self.notify, f"Contact {contact_id} closed as incomplete.", markup=False
        )
        self._check_unfinished()

    @on(DeskFree)
    def _desk_free(self) -> None:
        if self._resume_waits:
            self._resume_waits = False
            self._check_unfinished()

    # --- a call ---------------------------------------------------------------------
    def action_new_contact(self) -> None:
        self._enter_contact(None)

    def _enter_contact(
        self,
        known: NewContact | None,
        closed: Callable[[NewContact | None], None] | None = None,
    ) -> None:
        """The new-contact form; from the queue it starts with the caller's number, so
        their earlier contacts show at once. The call is answered now, as the form opens:
        taking who is calling and their consent is handle time. `closed` hears of the
        form cancelled (a started contact closes it without a word). What was said of the
        last call goes as the form opens."""
        from frontdoor.access.views import PersonViews
        from frontdoor.console.screens.new_contact import NewContactScreen
        from frontdoor.console.sources import look_up_history
        from frontdoor.interactions.model import NewContact

        self.forget_last_call()
        answered = self.front.clock()
        # the people this contact shows, audited once each from its form to its wrap-up
        views = self.views = PersonViews(self.front.trail)
        self.push_screen(
            NewContactScreen(
                self.handler,
                replace(known, answered_at=answered)
                if known
                else NewContact(handler=self.handler, answered_at=answered),
                vocabulary=self.front.vocabulary,
                look_up=lambda caller, subject, details, confirmed: look_up_history(
                    self.front, caller, subject, details, confirmed, views
                ),
                history_days=self.front.settings.history_days,
                zone=self.zone,
                today=lambda: self.front.local_now().date(),
                clock=self.front.clock,
            ),
            closed,
        )

    @on(ContactEntered)
    def _contact_entered(self, event: ContactEntered) -> None:
        self._start_contact(event.new, event.escalate)

    @work(
        thread=True,
        exclusive=True,
        group="open-call",
        description="start the contact",
        exit_on_error=False,
    )
    def _start_contact(self, new: NewContact, escalate: Escalation | None = None) -> None:
        """The form stays on screen until the contact is started, so nothing typed is
        lost if the database does not answer."""
        call = self.calls.start(new, views=self.views)
        self.log_.info("contact_started", contact_id=call.contact_id)
        self.call_from_thread(self._started, call, escalate)

    def _started(self, call: Call, escalate: Escalation | None = None) -> None:
        from frontdoor.console.screens.new_contact import NewContactScreen

        if isinstance(self.screen, NewContactScreen):
            self.pop_screen()
        self._open_call(call, escalate)
        self.called_back(call)
        self.about_the_referral()

    def _open_call(self, call: Call, at_once: OpenWith | None = None) -> None:
        from frontdoor.console.screens.call import CallScreen

        self.call = call
        self.set_state(HandlerState.ON_A_CALL)
        self.push_screen(
            CallScreen(
                call,
                vocabulary=self.front.vocabulary,
                directory=self.front.directory_index,
                zone=self.zone,
                history_days=self.front.settings.history_days,
                local_now=self.front.local_now,
                at_once=at_once,
            )
        )

    @on(WrapUpStarted)
    def _wrap_up_started(self) -> None:
        self.set_state(HandlerState.WRAP_UP)

    @on(ContactSaved)
    def _contact_saved(self, event: ContactSaved) -> None:
        self.call = None
        self.set_state(HandlerState.AWAY if self.away else HandlerState.AVAILABLE)
        # no id: the handler never needs it, and it covered the footer for seconds
        self.notify("Contact saved. Ready for the next call.", markup=False)
        self._tell_references(event.contact_id)

    @work(thread=True, group="references", description="the referrals made", exit_on_error=False)
    def _tell_references(self, contact_id: str) -> None:
        """Each referral the wrap-up made, with the reference the caller quotes when they
        ring to chase (`R-2026-000123`), said once the outbox has saved it; a caller still
        on the line can be given it. Offline, it is made when the database answers and is
        shown with the person's open referrals from then on."""
        from sqlalchemy.exc import SQLAlchemyError

        if not self.outbox.wait_for(lambda state: not state.saving, REFERENCES_WAIT_SECONDS):
            return
        begun = self._contacts_begun
        try:
            made = self.front.referrals.made_in(contact_id)
        except SQLAlchemyError as exc:
            log_failure("references_not_read", exc, contact_id=contact_id)
            return
        references = tuple(
            f"Referral {referral.id} to {referral.service_name}, due by "
            f"{referral.due_at.astimezone(self.zone):%a %d %b %H:%M}"
            for referral in made
        )
        if references:
            self.call_from_thread(self._references_made, references, begun)

    def _references_made(self, references: tuple[str, ...], begun: int) -> None:
        """Said, and kept on the ready screen until the next contact begins; not said at
        all once it has (that caller is not this one)."""
        from frontdoor.console.screens.ready import ReadyScreen

        if begun != self._contacts_begun:
            return
        self.last_references = references
        for reference in references:
            self.notify(
                f"{reference}: give the caller this reference.",
                title="Referral made",
                markup=False,
                timeout=30,
            )
        for screen in self.screen_stack:
            if isinstance(screen, ReadyScreen):
                screen.show_headline()

    @on(CallBackPromised)
    def _call_back_promised(self, event: CallBackPromised) -> None:
        self._promise_call_back(event.call, event.call_back)

    @work(thread=True, group="call-back", description="keep the call-back", exit_on_error=False)
    def _promise_call_back(self, call: Call, call_back: CallBack) -> None:
        """On the follow-up list, after the wrap-up is kept. If the database does not
        answer, the handler is told plainly what was promised, to note it elsewhere."""
        from sqlalchemy.exc import SQLAlchemyError

        from frontdoor.calls.chases import ChaseRefused

        when = f"{call_back.due_at.astimezone(self.zone):%a %d %b %H:%M}"
        try:
            call.promise_call_back(call_back)
        except (SQLAlchemyError, ChaseRefused) as exc:
            log_failure("call_back_not_kept", exc, contact_id=call.contact_id)
            if isinstance(exc, ChaseRefused):
                words = str(exc)
            else:
                words = explain(exc, self.front.settings.db).words
            self.call_from_thread(
                self.notify,
                f"The call-back promised for {when} ({call_back.why}) could not be put on "
                f"the follow-up list: {words}. Note it and tell your supervisor; the contact "
                "itself is saved.",
                title="Call-back not kept",
                severity="error",
                markup=False,
                timeout=30,
            )
            return
        self.log_.info("call_back_promised", contact_id=call.contact_id)
        self.call_from_thread(
            self.notify, f"Call-back for {when} is on the follow-up list.", markup=False
        )

    @on(ContactTakenAway)
    def _taken_away(self, event: ContactTakenAway) -> None:
        self.log_.warning("contact_taken_away", contact_id=event.contact_id)
        self.notify(
            f"Contact {event.contact_id} was taken over or closed on another console. "
            "Nothing you recorded is lost: it is kept on this workstation. Tell your "
            "supervisor.",
            title="Contact taken over",
            severity="error",
            markup=False,
            timeout=20,
        )

    @work(thread=True, exclusive=True, group="lease", exit_on_error=False)
    def _renew_lease(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        call = self.call
        if call is None or call.contact_id in self.outbox_state.taken:
            return
        try:
            held = self.front.record.hold(
                call.contact_id, self.console_id, self.calls.lease_until()
            )
        except SQLAlchemyError:
            return  # offline: the outbox says so; the lease is renewed when it answers
        if not held and self.call is call:
            self.post_message(ContactTakenAway(call.contact_id))

    # --- the queue ------------------------------------------------------------------
    def set_state(self, state: HandlerState, reason: str | None = None) -> None:
        self._note_state(self.handler, state, reason)

    async def action_quit(self) -> None:
        """Asked first, from whichever screen: a stray key must not close the console.
        While it is getting ready there is nothing to keep, and the keys typed are kept
        for its first screen (a question's answer would be too): it closes at once."""
        from frontdoor.console.screens.confirm_quit import ConfirmQuit

        if not self.is_open:
            self.exit()
            return
        if isinstance(self.screen, ConfirmQuit):
            return

        def answered(quit_: bool | None) -> None:
            if quit_:
                self.exit()

        self.push_screen(ConfirmQuit(self.call is not None, self.outbox_state.waiting), answered)

    def action_toggle_away(self) -> None:
        from frontdoor.console.screens.ready import ReadyScreen

        self.away = not self.away
        self.set_state(
            HandlerState.AWAY if self.away else HandlerState.AVAILABLE,
            "break" if self.away else None,
        )
        self.notify(
            "You are away: no calls will come to you." if self.away else "You are available.",
            markup=False,
        )
        for screen in self.screen_stack:
            if isinstance(screen, ReadyScreen):
                screen.show_headline()

    @work(
        thread=True,
        exclusive=True,
        group="take-call",
        description="take the next call",
        exit_on_error=False,
    )
    def action_take_call(self) -> None:
        """The oldest waiting call of the highest-priority queue, unless someone took it."""
        from frontdoor.console.live import queue_priorities
        from frontdoor.local_time import local_day_start
        from frontdoor.telephony.taking import take_next

        now = self.front.clock()
        call = take_next(
            self.front.sessions,
            self.handler,
            now,
            local_day_start(now, self.zone),
            queue_priorities(self.front),
        )
        self.call_from_thread(self._answer, call)

    @on(CallConnected)
    def _connected(self, event: CallConnected) -> None:
        self._answer(event.call)

    def _answer(self, call: WaitingCall | None) -> None:
        from frontdoor.interactions.model import NewContact

        if call is None:
            self.notify("No calls are waiting.", markup=False)
            return
        self.log_.info("call_taken", callid=call.callid, queue=call.queue)
        self._enter_contact(
            NewContact(
                handler=self.handler, caller=call.caller, queue=call.queue, offered_at=call.entered
            )
        )

    def action_wallboard(self) -> None:
        from frontdoor.console.live import alerts, live_source
        from frontdoor.console.screens.wallboard import WallboardScreen

        self.push_screen(WallboardScreen(live_source(self.front), alerts(self.front)))

    def action_management_information(self) -> None:
        from frontdoor.console.live import report_source
        from frontdoor.console.screens.mi import MiScreen

        front = self.front
        self.push_screen(
            MiScreen(
                report_source(front),
                front.clock,
                front.settings.time_zone,
                labels=front.report_labels(),
            )
        )

    def action_keep_directory(self) -> None:
        from frontdoor.console.screens.directory_admin import DirectoryAdminScreen

        self.push_screen(DirectoryAdminScreen(self.front, self.handler))

    def action_browse_directory(self) -> None:
        from frontdoor.console.screens.browse import BrowseDirectoryScreen

        self.push_screen(BrowseDirectoryScreen(self.front))

    def action_scripts(self) -> None:
        from frontdoor.console.screens.scripts import ScriptsScreen

        # approving records the person signed in at this console
        self.push_screen(ScriptsScreen(self.front, self.handler, self.calls.settings))
