"""Who is at the keyboard: signing in and out, the idle lock, and what their role may
open. Mixed into the app (before App).

Before the first user exists, nobody signs in: the session is the name the console was
started with, with every role, and every screen says so in a banner. From the first user
on, the console opens on the sign-in screen; the user's role chooses the first screen,
and the app's actions a role may not run are left out of its footers and, when their key
is pressed, refused in one sentence.

The lock covers whatever is on screen with the sign-in screen; the work under it is kept
as it was. Work finishing behind the lock (a thread's answer, a timer) may open or close
a screen: an opened one goes under the lock and a closing one waits for it to lift
(`push_screen`, `pop_screen`), so nothing shows over the lock and nothing is lost. While a
call is in hand only its user may unlock; with none, someone else may sign in instead.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from frontdoor.access.roles import EVERY_ROLE, Permission, Role, may
from frontdoor.console.crash import explain
from frontdoor.console.logs import get_logger, log_failure
from frontdoor.console.permissions import ACTION_NEEDS, first_screen, refusal
from frontdoor.telephony.states import STILL_HERE_SECONDS, HandlerState

if TYPE_CHECKING:
    from textual.app import App

    from frontdoor.access.audit import Actor, AuditEvent, Concerns
    from frontdoor.access.demo import DemoUser
    from frontdoor.access.users import User
    from frontdoor.calls.call import Call
    from frontdoor.console.permissions import Screen as FirstScreen
    from frontdoor.console.screens.sign_in import Locked, SignInScreen
    from frontdoor.console.wiring import FrontDoor

    _AppBase = App[Any]
else:
    _AppBase = object

# how often the console looks at how long it has been left (at most)
IDLE_CHECK_SECONDS = 5.0


def bound_app_action(screen: Screen[Any], key: str) -> str | None:
    """The app's action a key is bound to on `screen`, if any ("wallboard")."""
    for binding in Binding.make_bindings(screen.BINDINGS):
        keys = [k.strip() for k in binding.key.split(",")]
        if key in keys and binding.action.startswith("app."):
            return binding.action.removeprefix("app.").split("(")[0]
    return None


class SignedInConsole(_AppBase):
    front: FrontDoor
    handler: str
    role: str | None
    first_screen: str | None
    call: Call | None
    away: bool
    log_: Any

    if TYPE_CHECKING:

        def _open_desk(self, first: FirstScreen) -> None: ...

        def hold_keys_for_sign_in(self) -> None: ...

        def sign_in_answered(self, signed_in: bool) -> None: ...

    def setup_before_sign_in(self) -> None:
        """From __init__: nobody signed in, nothing locked, whatever comes next."""
        # the database and library open, `front` with them (the app's _set_up)
        self.is_open = False
        self.users_exist = False
        self.user: User | None = None  # signed in; None before, or with no users yet
        self.roles: frozenset[Role] = frozenset()  # nobody's, until a session begins
        self.locked: Locked | None = None
        # what work behind the lock asked of the screens, done when it lifts
        self._held: list[Callable[[], object]] = []
        # the handler this console last said was at the desk (any state but signed out):
        # said to be signed out as the console closes (sign_out_as_it_closes)
        self._shown_at_desk: str | None = None

    def setup_sign_in(
        self,
        sign_in_as: str | None,
        idle_check_seconds: float | None,
        users_exist: bool | None = None,
    ) -> None:
        """Once the database is open, before the session starts: whether anyone must sign
        in is asked once (here, unless the opener asked it off the screen's thread), so
        that a console without users opens at once."""
        self.users_exist = self.front.users.count() > 0 if users_exist is None else users_exist
        self.sign_in_as = (sign_in_as or "").strip().lower()
        self.idle_after = dt.timedelta(minutes=self.front.settings.idle_lock_minutes)
        self.idle_check_seconds = idle_check_seconds or min(
            IDLE_CHECK_SECONDS, self.idle_after.total_seconds() / 6
        )
        self.last_input = self.front.clock()

    def start_session(self) -> None:
        """From on_mount: the sign-in screen, or with no users the session at once."""
        self.screen_change_signal.subscribe(self, self._screen_shown, immediate=True)
        self.set_interval(self.idle_check_seconds, self.lock_if_idle)
        self.set_interval(STILL_HERE_SECONDS, self._say_still_here)
        if self.users_exist:
            self._ask_sign_in()
        else:
            self._begin(None)

    # --- who is signed in -------------------------------------------------------------
    def _ask_sign_in(self, note: str | None = None, locked: Locked | None = None) -> None:
        from frontdoor.console.screens.sign_in import SignInScreen

        def demo_users() -> list[DemoUser]:
            # in the screen's worker: the users' module brings the ORM
            from frontdoor.access.demo import demo_sign_ins

            return demo_sign_ins(self.front.sessions)

        self.push_screen(
            SignInScreen(
                self.front.settings.service_name,
                self._attempt,
                demo_users,
                user_name=self.sign_in_as,
                locked=locked,
                note=note,
                while_checking=self.hold_keys_for_sign_in,
                refused=lambda: self.sign_in_answered(False),
            )
        )

    def _attempt(self, name: str, password: str) -> User | str:
        """From the sign-in screen's thread: the user, or the sentence to show."""
        from frontdoor.access.users import SignInRefused
        from frontdoor.console.wiring import workstation

        try:
            return self.front.users.sign_in(name, password, workstation())
        except SignInRefused as exc:
            return str(exc)
        except Exception as exc:  # the database, most likely: the screen stays up
            log_failure("sign_in_failed", exc)
            words = explain(exc, self.front.settings.db).words
            return f"The password could not be checked: {words}."

    def _begin(self, user: User | None) -> None:
        """A session: its roles, the audit's actor, and its first screen."""
        from frontdoor.access.actor import Actor
        from frontdoor.console.wiring import NO_USERS_ROLE, workstation

        self.user, self.away = user, False
        # named without building the audit trail: at the console's start that is built
        # behind the ready screen (its ORM would delay the screen)
        if user is None:
            self.roles = EVERY_ROLE
            self.front.act_as(Actor(self.handler, NO_USERS_ROLE, workstation()))
        else:
            self.roles = frozenset({user.role})
            self.handler = user.name
            self.front.act_as(Actor(user.name, user.role.value, workstation()))
        self.log_ = get_logger().bind(handler=self.handler)
        self.last_input = self.front.clock()
        first, refused = first_screen(self.roles, self.first_screen, self.role)
        if first == "admin":
            from frontdoor.console.screens.admin import AdminScreen

            self.push_screen(AdminScreen(self.handler, self.front.settings.service_name))
        else:
            self._open_desk(first)
            if user is not None:
                self._note_state(self.handler, HandlerState.AVAILABLE)
        if refused:
            self.notify(refused, title="Not for your role", severity="warning", markup=False)
        self.refresh_bindings()

    # (named, not @on: the decorator's handlers are gathered only on Textual's classes)
    def on_sign_in_screen_signed_in(self, event: SignInScreen.SignedIn) -> None:
        self._signed_in(event.user)
        self.sign_in_answered(True)  # what was typed after the Enter, to the desk

    def _signed_in(self, user: User) -> None:
        locked = self.locked
        if locked is None:
            self._pop_now()  # the sign-in screen
            self._begin(user)
            return
        if user.name == locked.user:
            self._unlock(user)
            return
        # someone else: the screen let them only with no call in hand
        self._held.clear()
        self.locked = None
        self._end_session(f"at the lock, when {user.name} signed in")
        self._begin(user)

    def _call_in_hand(self) -> bool:
        """A call on screen, or a caller being taken on the new-contact form."""
        from frontdoor.console.screens.new_contact import NewContactScreen

        return self.call is not None or any(
            isinstance(screen, NewContactScreen) for screen in self.screen_stack
        )

    def action_sign_out(self) -> None:
        if self.user is None:
            return
        if self._call_in_hand():
            self.notify(
                "A call is in hand: wrap it up before you sign out (ctrl+l locks the "
                "console and keeps it).",
                severity="warning",
                markup=False,
            )
            return
        name = self.user.name
        self._end_session("")
        self._ask_sign_in(note=f"{name} signed out.")

    def _end_session(self, detail: str) -> None:
        """The session's screens closed and its sign-out audited: back to the base."""
        from frontdoor.access.audit import AuditEvent
        from frontdoor.console.widgets.no_users_banner import NoUsersBanner

        self._note(AuditEvent.SIGN_OUT, _concerns(detail=detail or None), self.front.actor)
        if may(self.roles, Permission.TAKE_CALLS):
            self._note_state(self.handler, HandlerState.SIGNED_OUT)
        while len(self.screen_stack) > 1:
            self._pop_now()
        for banner in self.screen_stack[0].query(NoUsersBanner):
            banner.remove()
        self.clear_notifications()  # what was said to them is not for whoever signs in next
        self.user, self.roles = None, frozenset()

    # --- the lock ---------------------------------------------------------------------
    def action_lock(self) -> None:
        if self.user is None and self.roles:
            self.notify(
                "There is nothing to unlock with before the first user: add an admin "
                "(frontdoor users add NAME --role admin), then users for everyone.",
                severity="warning",
                markup=False,
            )
            return
        self.lock("with ctrl+l")

    def lock(self, why: str) -> None:
        """Cover the screen until the user's password is given again (audited)."""
        if self.user is None or self.locked is not None:
            return
        from frontdoor.access.audit import AuditEvent
        from frontdoor.console.screens.sign_in import Locked

        in_hand = self._call_in_hand()
        self.locked = Locked(self.user.name, in_hand, why)
        self._ask_sign_in(locked=self.locked)
        concerns = _concerns(contact_id=self.call.contact_id if self.call else None, detail=why)
        self._note(AuditEvent.LOCK, concerns, self.front.actor)
        if not in_hand and not self.away and may(self.roles, Permission.TAKE_CALLS):
            self._note_state(self.handler, HandlerState.AWAY, "locked")

    def _unlock(self, user: User) -> None:
        self.locked, self.user = None, user
        self._pop_now()  # the lock
        held, self._held = self._held, []
        for step in held:
            step()
        self.last_input = self.front.clock()
        if not self._call_in_hand() and not self.away and may(self.roles, Permission.TAKE_CALLS):
            self._note_state(self.handler, HandlerState.AVAILABLE)

    def lock_if_idle(self) -> None:
        """Every few seconds: lock a session left longer than the idle setting. With no
        users yet there is no password to ask: it looks for users instead, and once there
        are some (and no call is in hand) asks for a sign-in."""
        now = self.front.clock()
        if self.locked is not None or now - self.last_input < self.idle_after:
            return
        if self.user is not None:
            minutes = f"{self.front.settings.idle_lock_minutes:g}"
            self.lock(f"after {minutes} minutes with no key or mouse")
        elif self.roles:
            self.last_input = now
            self._look_for_users()

    @work(thread=True, exclusive=True, group="users", exit_on_error=False)
    def _look_for_users(self) -> None:
        if self.front.users.count() > 0:
            self.call_from_thread(self._users_arrived)

    def _users_arrived(self) -> None:
        if self.user is not None or not self.roles or self._call_in_hand():
            return  # signed in since, or a call to finish first: asked again when idle
        self.users_exist = True
        self._end_session("users were added")
        self._ask_sign_in(note="Users have been added since this console opened: sign in.")

    def on_event(self, event: events.Event) -> Coroutine[Any, Any, None]:
        # Any key or mouse, as it arrives, before a screen has it. Not `async`: the
        # event is handled after this returns, so this frame is never in the traceback
        # of a failure in its handling (logs.py names the innermost frame of ours).
        if isinstance(event, events.InputEvent) and not event.is_forwarded and self.is_open:
            self.last_input = self.front.clock()
        return super().on_event(event)

    # --- screens while locked -----------------------------------------------------------
    def push_screen(
        self,
        screen: Screen[Any] | str,
        callback: Any = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> Any:
        push = super().push_screen

        def now() -> Any:
            if wait_for_dismiss:
                return push(screen, callback, True, mode=mode)
            return push(screen, callback, mode=mode)

        if self.locked is not None and not _over_the_lock(screen):
            # opened by work finishing behind the lock: shown when it lifts
            self._held.append(now)
            return AwaitComplete.nothing()
        return now()

    def pop_screen(self) -> AwaitComplete:
        if self.locked is not None and _over_the_lock(self.screen, quit_too=False):
            # a screen under the lock closing itself: closed when the lock lifts
            self._held.append(super().pop_screen)
            return AwaitComplete.nothing()
        return super().pop_screen()

    def _pop_now(self) -> None:
        super().pop_screen()

    # --- roles --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False leaves a key out of the footer; on_key says why when it is pressed
        if action in ACTION_NEEDS:
            return may(self.roles, ACTION_NEEDS[action])
        if action == "sign_out":
            return self.user is not None
        if action == "lock":  # before the first user it says why there is no lock
            return self.user is not None or bool(self.roles)
        return True

    def on_key(self, event: events.Key) -> None:
        """A key the screen binds to an action this role may not run: said, not silent."""
        action = bound_app_action(self.screen, event.key)
        words = refusal(self.roles, action) if action else None
        if words:
            self.notify(words, title="Not for your role", severity="warning", markup=False)

    def _screen_shown(self, screen: Screen[Any]) -> None:
        """With no users yet, every screen says so (a box over one shows it through)."""
        from frontdoor.console.screens.sign_in import SignInScreen
        from frontdoor.console.widgets.no_users_banner import NoUsersBanner

        if self.users_exist or isinstance(screen, (ModalScreen, SignInScreen)):
            return
        if not screen.query(NoUsersBanner):
            screen.mount(NoUsersBanner())

    # --- in the background ----------------------------------------------------------------
    @work(thread=True, group="audit", description="note it in the audit", exit_on_error=False)
    def _note(self, event: AuditEvent, concerns: Concerns, actor: Actor) -> None:
        self.front.trail.record_now(event, concerns, actor=actor)

    @work(thread=True, group="handler-state", description="note your state", exit_on_error=False)
    def _note_state(self, handler: str, state: HandlerState, reason: str | None = None) -> None:
        """Every workstation and the wallboard see what this handler is doing."""
        self._say_state(handler, state, reason)
        # this console's own wallboard read the states as it opened, in a worker of its
        # own that could run before this one: a supervisor saw themself not signed in
        self.call_from_thread(self._state_said)

    def _state_said(self) -> None:
        from frontdoor.console.screens.wallboard import WallboardScreen

        if isinstance(self.screen, WallboardScreen):
            self.screen.refresh_figures()

    def _say_state(self, handler: str, state: HandlerState, reason: str | None = None) -> None:
        from frontdoor.telephony.taking import set_state

        self._shown_at_desk = None if state is HandlerState.SIGNED_OUT else handler
        set_state(self.front.sessions, handler, state, self.front.clock(), reason)

    @work(thread=True, exclusive=True, group="still-here", exit_on_error=False)
    def _say_still_here(self) -> None:
        """Off the screen's thread: a database slow to answer must not hold a key."""
        self.say_still_here()

    def say_still_here(self) -> None:
        """Every minute, the handler shown at the desk is still there: so that a console
        killed or switched off, which cannot say its handler signed out, shows on the
        wallboard as not heard from within minutes rather than available for ever."""
        from sqlalchemy.exc import SQLAlchemyError

        from frontdoor.telephony.taking import still_here

        handler = self._shown_at_desk
        if handler is None:
            return
        try:
            still_here(self.front.sessions, handler, self.front.clock())
        except SQLAlchemyError:
            # offline (the outbox says so): to the wallboard, which reads the same
            # database, this console is indeed not heard from until it answers again
            return

    def sign_out_as_it_closes(self) -> None:
        """A console closed leaves its handler signed out on every wallboard, not available
        (tried for a second: a database that does not answer must not hold the close)."""
        handler = self._shown_at_desk
        if handler is None:
            return
        saying = threading.Thread(target=self._say_signed_out, args=(handler,), daemon=True)
        saying.start()
        saying.join(1.0)

    def _say_signed_out(self, handler: str) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self._say_state(handler, HandlerState.SIGNED_OUT)
        except SQLAlchemyError as exc:  # closing while offline: the wallboard keeps the last
            log_failure("state_not_said", exc, handler=handler)


def _concerns(contact_id: str | None = None, detail: str | None = None) -> Concerns:
    from frontdoor.access.audit import Concerns

    return Concerns(contact_id=contact_id, detail=detail)


def _over_the_lock(screen: Screen[Any] | str, *, quit_too: bool = True) -> bool:
    """The sign-in screen (the lock itself), and the question to quit, show over the lock;
    asked only while locked, so the sign-in's module is imported only then."""
    from frontdoor.console.screens.confirm_quit import ConfirmQuit
    from frontdoor.console.screens.sign_in import SignInScreen

    return isinstance(screen, SignInScreen) or (quit_too and isinstance(screen, ConfirmQuit))
