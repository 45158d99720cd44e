"""The Front Door console (Textual). Attributes down, messages up; the database work of
starting and resuming runs in thread workers so the screen never freezes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual import work
from textual.app import App
from textual.binding import Binding

from frontdoor.console.call import CallInProgress
from frontdoor.console.guard import saving
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


class FrontDoorApp(App[None]):
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
        def entered(new: NewContact | None) -> None:
            if new is not None:
                with saving(self, "start the contact"):
                    call = CallInProgress.start(self.front, new)
                    self.log_.info("contact_started", contact_id=call.contact_id)
                    self._open_call(call)

        self.push_screen(NewContactScreen(self.front, self.handler), entered)

    def _open_call(self, call: CallInProgress) -> None:
        self.push_screen(CallScreen(call))

    def action_wallboard(self) -> None:
        self.push_screen(WallboardScreen(self.front))

    def action_management_information(self) -> None:
        self.push_screen(MiScreen(self.front))

    def action_keep_directory(self) -> None:
        self.push_screen(DirectoryAdminScreen(self.front, self.handler))

    def action_browse_directory(self) -> None:
        self.push_screen(BrowseDirectoryScreen(self.front))
