"""The console's part in closing the loop: the follow-up list, a referral's screen, and
calling a caller back. Mixed into the app (handlers, supervisors and leads may all
record referral states and follow-ups).

Calling back: the chosen follow-up is checked to be still owed (another handler may have
made it since the list was read), the new-contact form opens as an outbound call filled
in from the contact it came from, and once that contact has started the follow-up is
marked done with its id. From there the handler takes the call as any other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import work

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App

    from frontdoor.calls.call import Call
    from frontdoor.console.screens.follow_ups import FollowUpsScreen
    from frontdoor.console.wiring import FrontDoor
    from frontdoor.interactions.model import NewContact
    from frontdoor.referrals.model import FollowUp, Referral

    _AppBase = App[Any]
else:
    _AppBase = object

# Each screen and store is imported where it is first used: the app mixes this in, and
# the console's first screen is painted before any of them is needed.

# the list is a shared one: what other handlers make drops out within this time
FOLLOW_UPS_POLL_SECONDS = 10.0


class ReferralDesk(_AppBase):
    front: FrontDoor
    handler: str
    zone: ZoneInfo
    call: Call | None
    # the follow-up whose call-back form is open: done once its contact starts
    calling_back: FollowUp | None = None
    # the referral whose call-about form is open: the call is about it once it starts
    call_about: str | None = None
    follow_ups_poll_seconds: float = FOLLOW_UPS_POLL_SECONDS

    if TYPE_CHECKING:

        def _enter_contact(
            self,
            known: NewContact | None,
            closed: Callable[[NewContact | None], None] | None = None,
        ) -> None: ...

    def action_follow_ups(self) -> None:
        from frontdoor.console.screens.follow_ups import FollowUpsScreen

        self.push_screen(
            FollowUpsScreen(
                self.front.follow_ups.owed,
                clock=self.front.clock,
                zone=self.zone,
                poll_seconds=self.follow_ups_poll_seconds,
            )
        )

    def action_open_referral(self, referral_id: str | None = None) -> None:
        # the handover's text brings FHIR's terms and phone numbers' metadata: imported
        # when a referral is first opened, not at the console's start
        from frontdoor.console.referral_sources import referral_view
        from frontdoor.console.screens.referral import ReferralScreen
        from frontdoor.referrals.handover_text import render_text

        front = self.front
        self.push_screen(
            ReferralScreen(
                referral_id,
                view=lambda asked: referral_view(front, asked),
                record=front.referrals.change,
                by=self.handler,
                clock=front.clock,
                zone=self.zone,
                # what the receiving team would read, as it stands: nothing is recorded
                # (`frontdoor referrals handover` produces and records it)
                handover=lambda asked: render_text(front.handovers.preview(asked, self.handler)),
            )
        )

    # --- a call about a referral, quoted by its reference -------------------------------
    def action_call_about_referral(self) -> None:
        """From a referral's screen: a caller quoting its reference (a GP surgery chasing,
        say) is taken as a new contact about its person, and once the contact starts the
        call is about that referral (the chase recorded, as `r` on a call records it)."""
        from frontdoor.console.screens.referral import ReferralScreen

        screen = self.screen
        if not isinstance(screen, ReferralScreen) or screen.shown is None:
            self.notify("Find the referral first: type its reference.", markup=False)
            return
        if self.call is not None:
            self.notify("Finish the call on screen first.", markup=False)
            return
        self._prepare_call_about(screen.shown)

    @work(
        thread=True,
        exclusive=True,
        group="call-about",
        description="open a call about the referral",
        exit_on_error=False,
    )
    def _prepare_call_about(self, referral: Referral) -> None:
        from frontdoor.access.views import ViewNotRecorded
        from frontdoor.console.referral_sources import call_about_contact

        try:
            known = call_about_contact(self.front, referral, self.handler)
        except ViewNotRecorded as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.call_from_thread(self._open_call_about, referral.id, known)

    def _open_call_about(self, referral_id: str, known: NewContact) -> None:
        from frontdoor.console.screens.referral import ReferralScreen

        while isinstance(self.screen, ReferralScreen):
            self.pop_screen()
        self.call_about = referral_id
        self._enter_contact(known, closed=self._call_about_dropped)

    def _call_about_dropped(self, _: NewContact | None) -> None:
        self.call_about = None

    def about_the_referral(self) -> None:
        """The contact on screen has started: if it was opened from a referral, the call
        is about it, as `r` on the call makes it (the app calls this once it shows it)."""
        from frontdoor.console.screens.call import CallScreen

        referral_id, self.call_about = self.call_about, None
        if referral_id is not None and isinstance(self.screen, CallScreen):
            self.screen.about_referral(referral_id)

    # handlers by name, not @on: a mixin that is not a MessagePump has its methods found
    # through the app's MRO, but not its decorated ones
    def on_follow_ups_screen_referral_asked(self, event: FollowUpsScreen.ReferralAsked) -> None:
        self.action_open_referral(event.referral_id)

    # --- calling back -------------------------------------------------------------------
    def on_follow_ups_screen_call_back_chosen(self, event: FollowUpsScreen.CallBackChosen) -> None:
        if self.call is not None:
            self.notify("Finish the call on screen first.", markup=False)
            return
        self._prepare_call_back(event.follow_up)

    @work(
        thread=True,
        exclusive=True,
        group="call-back",
        description="start the call-back",
        exit_on_error=False,
    )
    def _prepare_call_back(self, follow_up: FollowUp) -> None:
        from frontdoor.console.referral_sources import call_back_contact, still_owed

        if not still_owed(self.front, follow_up):
            self.call_from_thread(self._no_longer_owed)
            return
        known = call_back_contact(self.front, follow_up, self.handler)
        self.call_from_thread(self._open_call_back, follow_up, known)

    def _no_longer_owed(self) -> None:
        from frontdoor.console.screens.follow_ups import FollowUpsScreen

        self.notify(
            "That follow-up is no longer owed: another handler has made it, or the team "
            "has answered. The list is read again.",
            markup=False,
        )
        if isinstance(self.screen, FollowUpsScreen):
            self.screen.read_again()

    def _open_call_back(self, follow_up: FollowUp, known: NewContact) -> None:
        from frontdoor.console.referral_sources import phone_shown

        self.calling_back = follow_up
        # the form forgets what was said before it opened (this word is said after)
        self._enter_contact(known, closed=self._call_back_dropped)
        number = phone_shown(follow_up.caller_key) or "no number on file: find it first"
        self.notify(
            f"Calling back {known.caller_name or 'the caller'} on {number}. "
            f"Why: {follow_up.why}. Ask for consent as on any call, then Ctrl+S.",
            title="Call-back",
            markup=False,
            timeout=20,
        )

    def _call_back_dropped(self, _: NewContact | None) -> None:
        # the form was cancelled: the caller is still owed the call
        self.calling_back = None

    def called_back(self, call: Call) -> None:
        """The contact on screen has started: if it is the call-back's, the follow-up is
        done (the app calls this once it shows the call)."""
        from frontdoor.interactions.model import OUTBOUND

        follow_up, self.calling_back = self.calling_back, None
        if follow_up is not None and call.contact.channel == OUTBOUND:
            self._mark_done(follow_up, call.contact_id)

    @work(
        thread=True,
        group="follow-up-done",
        description="mark the follow-up made",
        exit_on_error=False,
    )
    def _mark_done(self, follow_up: FollowUp, contact_id: str) -> None:
        from frontdoor.console.screens.referral import when
        from frontdoor.referrals.follow_ups import AlreadyDone

        try:
            self.front.follow_ups.done(follow_up, by=self.handler, outbound_contact_id=contact_id)
        except AlreadyDone as exc:
            self.call_from_thread(
                self.notify,
                f"{exc.by or 'Another handler'} called this caller back first "
                f"({when(exc.at, self.zone)}). Your call is recorded too.",
                markup=False,
            )
