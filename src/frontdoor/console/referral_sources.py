"""What the referral and follow-up screens read from the database, as plain callables the
app hands them (screens never open sessions; each runs these in a thread worker)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from frontdoor.access.views import record_contact_viewed
from frontdoor.console.wiring import FrontDoor
from frontdoor.directory.phones import display
from frontdoor.interactions.model import OUTBOUND, Contact, NewContact
from frontdoor.interactions.record import RecordError
from frontdoor.referrals.model import FollowUp, Referral


@dataclass(frozen=True)
class ReferralView:
    """A referral with the words for who it is about and who asked, from the contact it
    was made in (the referral keeps only their keys)."""

    referral: Referral
    caller: str | None  # "Doreen Price, 01472 000111"
    person: str | None  # "Ada Lovelace, born 01/05/1940"


def phone_shown(caller_key: str | None) -> str | None:
    """A caller key as a person dials it: a UK number in its national form (the key keeps
    +44), an organisation as it is kept."""
    if not caller_key:
        return None
    if caller_key.startswith("+44"):
        shown = display(caller_key)
        return "0" + caller_key[3:] if shown == caller_key else shown
    return caller_key


def _contact(front: FrontDoor, contact_id: str | None) -> Contact | None:
    if contact_id is None:
        return None
    try:
        return front.record.contact(contact_id)
    except RecordError:  # a follow-up promised outside a contact the record holds
        return None


def referral_view(front: FrontDoor, referral_id: str) -> ReferralView | None:
    """The referral with who it is about and who asked: the contact it was made in is
    audited as viewed first (ViewNotRecorded: nothing is shown)."""
    referral = front.referrals.get(referral_id)
    if referral is None:
        return None
    record_contact_viewed(
        front.trail, referral.contact_id, referral.person_id, "referral", referral_id=referral.id
    )
    contact = _contact(front, referral.contact_id)
    caller = ", ".join(
        part for part in (contact and contact.caller_name, phone_shown(referral.caller_key)) if part
    )
    person = None
    if contact is not None and contact.subject_name:
        born = f"born {contact.subject_dob:%d/%m/%Y}" if contact.subject_dob else None
        person = ", ".join(part for part in (contact.subject_name, born) if part)
    return ReferralView(referral, caller or None, person)


def same_follow_up(one: FollowUp, other: FollowUp) -> bool:
    """A stored follow-up by its id; an overdue referral's news by its referral."""
    if one.id is not None or other.id is not None:
        return one.id == other.id
    return (one.kind, one.referral_id) == (other.kind, other.referral_id)


def still_owed(front: FrontDoor, follow_up: FollowUp) -> bool:
    """Whether the follow-up is owed now: another handler may have made it since this
    list was read, or the team may have answered."""
    return any(same_follow_up(owed, follow_up) for owed in front.follow_ups.owed())


def call_back_contact(front: FrontDoor, follow_up: FollowUp, handler: str) -> NewContact:
    """The outbound contact a call-back starts from: the caller's number and name, and the
    person the first contact was about, so the form opens filled in (consent is asked
    again: it is asked on every contact). The first contact is audited as viewed before
    its details fill the form."""
    first = _contact(front, follow_up.contact_id)
    if first is not None:
        record_contact_viewed(
            front.trail,
            first.id,
            first.person_id,
            "call-back",
            referral_id=follow_up.referral_id,
        )
    return about_the_person_of(
        first,
        NewContact(
            handler=handler,
            channel=OUTBOUND,
            caller_type=first.caller_type if first else "public",
            caller=phone_shown(follow_up.caller_key),
            caller_name=follow_up.caller_name or (first.caller_name if first else None),
            caller_is_person=first.caller_is_person if first else False,
        ),
    )


def call_about_contact(front: FrontDoor, referral: Referral, handler: str) -> NewContact:
    """A call someone has rung about a referral they quote by its reference: the form opens
    with the person the referral is about filled in (the caller is whoever rang, asked
    as on any call, and consent too). The referral's contact is audited as viewed before
    its details fill the form."""
    record_contact_viewed(
        front.trail, referral.contact_id, referral.person_id, "call about", referral_id=referral.id
    )
    return about_the_person_of(_contact(front, referral.contact_id), NewContact(handler=handler))


def about_the_person_of(first: Contact | None, new: NewContact) -> NewContact:
    """`new` about the person `first` was about (their details as it gave them), or as
    it is when that contact is not held."""
    if first is None:
        return new
    return replace(
        new,
        subject_name=first.subject_name,
        subject_dob=first.subject_dob,
        subject_postcode=first.subject_postcode,
        subject_nhs_number=first.subject_nhs_number,
        language=first.language,
        interpreter_needed=first.interpreter_needed,
    )
