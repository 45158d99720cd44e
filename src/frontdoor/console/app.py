"""The Front Door console (Textual). Attributes down, messages up; the database work of
starting and resuming runs in thread workers so the screen never freezes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual import work
from textual.app import App
from textual.binding import Binding

from frontdoor.console.call import CallInProgress
from frontdoor.console.crash import ShowsFailuresInWords
from frontdoor.console.guard import saving
from frontdoor.console.live import queue_priorities
from frontdoor.console.logs import get_logger
from frontdoor.console.screens.browse import BrowseDirectoryScreen
from frontdoor.console.screens.call import CallScreen
from frontdoor.console.screens.directory_admin import DirectoryAdminScreen
from frontdoor.console.screens.mi import MiScreen
from frontdoor.console.screens.new_contact import NewContactScreen
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.resume import ResumeScreen
from frontdoor.console.screens.wallboard import WallboardScreen
from frontdoor.console.wiring import FrontDoor
from frontdoor.interactions.model import NewContact
from frontdoor.local_time import local_day_start
from frontdoor.telephony.states import HandlerState
from frontdoor.telephony.taking import WaitingCall, set_state, take_next


class FrontDoorApp(ShowsFailuresInWords, App[None]):
    TITLE = "Front Door"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self, front: FrontDoor, handler: str, role: str = "handler", first_screen: str | None = None
    ) -> None:
        super().__init__()
        self.front = front
        self.handler = handler
        self.role = role
        # leads start in the directory, supervisors on the wallboard, handlers ready
        self.first_screen = first_screen or {"lead": "directory", "supervisor": "wallboard"}.get(
            role
        )
        self.zone = ZoneInfo(front.settings.time_zone)
        self.log_ = get_logger().bind(handler=handler)
        self.away = False

    def on_mount(self) -> None:
        self.push_screen(ReadyScreen(self.front, self.handler))
        if self.first_screen == "directory":
            self.push_screen(DirectoryAdminScreen(self.front, self.handler))
        elif self.first_screen == "wallboard":
            self.push_screen(WallboardScreen(self.front))
        elif self.first_screen == "mi":
            self.push_screen(MiScreen(self.front))
        self._check_unfinished()

    @work(thread=True, exclusive=True, group="unfinished")
    def _check_unfinished(self) -> None:
        unfinished = self.front.record.unfinished(self.handler)
        if unfinished:
            self.call_from_thread(self._offer_resume, unfinished)

    def _offer_resume(self, unfinished: list) -> None:
        def decided(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            what, contact_id = choice
            if what == "resume":
                with saving(self, "resume the contact"):
                    self._open_call(CallInProgress.resume(self.front, contact_id))
            else:
                with saving(self, "close the contact"):
                    self.front.record.close_incomplete(
                        contact_id, "closed as incomplete on restart"
                    )
                    self.log_.info("contact_closed_incomplete", contact_id=contact_id)
                    self.notify(f"Contact {contact_id} closed as incomplete.", markup=False)
                self._check_unfinished()

        self.push_screen(ResumeScreen(unfinished, self.zone), decided)

    # --- a call ---------------------------------------------------------------------
    def action_new_contact(self) -> None:
        self._enter_contact(None)

    def _enter_contact(self, known: NewContact | None) -> None:
        """The new-contact form; from the queue it starts with the caller's number, so
        their earlier contacts show at once."""

        def entered(new: NewContact | None) -> None:
            if new is not None:
                with saving(self, "start the contact"):
                    call = CallInProgress.start(self.front, new)
                    self.log_.info("contact_started", contact_id=call.contact_id)
                    self._open_call(call)

        self.push_screen(NewContactScreen(self.front, self.handler, known), entered)

    def _open_call(self, call: CallInProgress) -> None:
        self.set_state(HandlerState.ON_A_CALL)

        def ended(_: None) -> None:
            self.set_state(HandlerState.AWAY if self.away else HandlerState.AVAILABLE)

        self.push_screen(CallScreen(call), ended)

    # --- the queue ------------------------------------------------------------------
    @work(thread=True, group="handler-state")
    def set_state(self, state: HandlerState, reason: str | None = None) -> None:
        """Every workstation and the wallboard see what this handler is doing."""
        with saving(self, "note your state"):
            set_state(self.front.sessions, self.handler, state, self.front.clock(), reason)

    def action_toggle_away(self) -> None:
        self.away = not self.away
        self.set_state(
            HandlerState.AWAY if self.away else HandlerState.AVAILABLE,
            "break" if self.away else None,
        )
        self.notify(
            "You are away: no calls will come to you." if self.away else "You are available.",
            markup=False,
        )

    @work(thread=True, exclusive=True, group="take-call")
    def action_take_call(self) -> None:
        """The oldest waiting call of the highest-priority queue, unless someone took it."""
        now = self.front.clock()
        day_start = local_day_start(now, self.zone)
        call = take_next(
            self.front.sessions, self.handler, now, day_start, queue_priorities(self.front)
        )
        self.call_from_thread(self._answer, call)

    def _answer(self, call: WaitingCall | None) -> None:
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
        self.push_screen(WallboardScreen(self.front))

    def action_management_information(self) -> None:
        self.push_screen(MiScreen(self.front))

    def action_keep_directory(self) -> None:
        self.push_screen(DirectoryAdminScreen(self.front, self.handler))

    def action_browse_directory(self) -> None:
        self.push_screen(BrowseDirectoryScreen(self.front))
