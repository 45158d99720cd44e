"""Messages the console's screens post, named as the facts they report: screens say what
happened, and the app decides what follows (attributes down, messages up)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:  # only named: the app imports this before its first screen, they after
    from frontdoor.calls.call import Call
    from frontdoor.calls.chases import CallBack
    from frontdoor.calls.outbox import OutboxState
    from frontdoor.interactions.model import NewContact
    from frontdoor.telephony.taking import WaitingCall


# F8 or F9: an escalation a key starts, on a call or on the new-contact form
Escalation = Literal["emergency", "safeguarding"]


class ContactEntered(Message):
    """The handler filled in the new-contact form; the contact is to be started, and
    escalated at once when `escalate` says so ("emergency" or "safeguarding": F8 or F9
    pressed on the form)."""

    def __init__(self, new: NewContact, escalate: Escalation | None = None) -> None:
        super().__init__()
        self.new = new
        self.escalate = escalate


class CallConnected(Message):
    """The telephone system connected a waiting call to this handler's phone."""

    def __init__(self, call: WaitingCall) -> None:
        super().__init__()
        self.call = call


class WrapUpStarted(Message):
    """The conversation is over; the handler is wrapping up."""


class DeskFree(Message):
    """The ready screen is showing again: no call, no form in hand."""


class ContactSaved(Message):
    """The wrap-up was kept: the contact is finished on this console."""

    def __init__(self, contact_id: str) -> None:
        super().__init__()
        self.contact_id = contact_id


class CallBackPromised(Message):
    """At wrap-up the handler promised the caller a call-back; the wrap-up is kept, and
    the promise is to go on the follow-up list."""

    def __init__(self, call: Call, call_back: CallBack) -> None:
        super().__init__()
        self.call = call
        self.call_back = call_back


class ContactTakenAway(Message):
    """Another console took the contact on screen (or closed it)."""

    def __init__(self, contact_id: str) -> None:
        super().__init__()
        self.contact_id = contact_id


class OutboxChanged(Message):
    """How many writes wait to be saved, and whether the database answers."""

    def __init__(self, state: OutboxState) -> None:
        super().__init__()
        self.state = state


class LibraryChanged(Message):
    """A lead published or retired a script somewhere: the library calls start from was
    replaced, or (see `FrontDoor.library.refused`) the newest one failed the check."""
