"""The handover summary: what the team receiving a referral needs so that nobody asks the
person to tell their story again. Built from the referral and the contact it was made in;
rendered as text (handover_text.py), HTML (handover_html.py) or a FHIR R4 Bundle
(handover_fhir.py). handovers.py decides whether it may be produced (consent) and records
each one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args
from zoneinfo import ZoneInfo

import phonenumbers

from frontdoor.identifiers import nhs_number_valid
from frontdoor.interactions.model import Contact
from frontdoor.referrals.model import Referral
from frontdoor.referrals.states import WAITING
from frontdoor.referrals.triage_path import AnsweredStep, ScriptVersions, answered_steps
from frontdoor.triage_scripts.facts import whole_years
from frontdoor.words import in_words

# the lawful grounds on which a handover may go although the person refused consent
Ground = Literal["vital_interests", "safeguarding"]
GROUNDS: tuple[Ground, ...] = get_args(Ground)
GROUND_WORDS: dict[Ground, str] = {
    "vital_interests": "vital interests (a risk to life or of serious harm)",
    "safeguarding": "safeguarding",
}
# given on the call; not asked on the call; refused (a preview only: never handed over);
# refused, and shared under a recorded override
ConsentShown = Literal["given", "not_asked", "refused", "overridden"]


@dataclass(frozen=True)
class ConsentOverride:
    """A recorded decision to share although the person refused: on what ground, why,
    who decided and when."""

    id: int
    ground: Ground
    reason: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class SpaContact:
    """Who the receiving team rings about the referral."""

    name: str
    phone: str


@dataclass(frozen=True)
class PersonDetails:
    name: str | None
    dob: dt.date | None
    nhs_number: str | None  # ten digits, no spaces
    postcode: str | None
    language: str | None
    interpreter_needed: bool

    @property
    def nhs_number_spaced(self) -> str | None:
        """943 476 5919: as the NHS writes it, for reading out."""
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if n and len(n) == 10 else n


@dataclass(frozen=True)
class CallerDetails:
    name: str | None
    kind: str  # the caller type in words ("Carer or family")
    phone: str | None  # E.164 (+441472000111), when the caller key is a number
    organisation: str | None  # a professional's organisation, as the record keeps it
    is_person: bool  # the caller is the person the referral is about

    @property
    def phone_readable(self) -> str | None:
        return readable_phone(self.phone) if self.phone else None


@dataclass(frozen=True)
class Handover:
    referral: Referral
    person: PersonDetails
    caller: CallerDetails
    consent: ConsentShown
    reason: str  # in plain words
    told: str | None  # what the caller was told (the script end's `say`)
    notes: str | None  # the handler's notes on the contact
    steps: tuple[AnsweredStep, ...]
    spa: SpaContact
    time_zone: str
    produced_at: dt.datetime
    produced_by: str
    # the record's number for this handover (None: a preview, nothing recorded)
    number: int | None = None
    override: ConsentOverride | None = None
    red_flags: tuple[str, ...] = field(default_factory=tuple)
    # when the person withdrew consent to share after the call (None: they have not)
    withdrawn_at: dt.datetime | None = None

    def local(self, at: dt.datetime) -> dt.datetime:
        return at.astimezone(ZoneInfo(self.time_zone))

    def when(self, at: dt.datetime) -> str:
        """Wednesday 25 November 2026, 23:59 (GMT): a time read out on the phone."""
        local = self.local(at)
        return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({local:%Z})"

    @property
    def person_age(self) -> int | None:
        """The person's age on the day of the handover (None: no date of birth, or one
        after that day, which is a mistyped date rather than an age)."""
        dob = self.person.dob
        today = self.local(self.produced_at).date()
        return whole_years(dob, today) if dob is not None and dob <= today else None

    @property
    def overdue(self) -> bool:
        """Past its due time as the handover is produced, and no team has accepted it."""
        return self.referral.overdue_at(self.produced_at)

    @property
    def waiting(self) -> bool:
        return self.referral.state_at(self.produced_at) in WAITING

    @property
    def consent_words(self) -> str:
        if self.consent == "given":
            return "Given: the person agreed on the call to share this with the services involved."
        if self.consent == "not_asked":
            return (
                "Not recorded: consent to share was not asked on the call. Confirm it with "
                "the person before sharing this further."
            )
        override = self.override
        refused = (
            f"Withdrawn by the person on {self.when(self.withdrawn_at)}"
            if self.withdrawn_at is not None
            else "Refused by the person on the call"
        )
        if self.consent == "refused" or override is None:
            return (
                f"{refused}: this summary may not be handed over unless an override is "
                "recorded (vital interests or safeguarding)."
            )
        return (
            f"{refused}. Shared on the ground of {GROUND_WORDS[override.ground]}, "
            f"decided by {override.by} on {self.when(override.at)}: {override.reason}"
        )


def readable_phone(e164: str) -> str:
    """+441472000111 as 01472 000111 (a UK number) or in international form; as kept
    when it is not a number phonenumbers can read."""
    try:
        parsed = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    if not phonenumbers.is_possible_number(parsed):
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


def _caller(contact: Contact, caller_types: Mapping[str, str]) -> CallerDetails:
    key = contact.caller_key
    # a caller key is a number (people/keys.py: E.164 for a UK number, digits for a short
    # one), else a professional's organisation
    is_number = key is not None and key.removeprefix("+").isdigit()
    return CallerDetails(
        name=contact.caller_name,
        kind=caller_types.get(contact.caller_type, in_words(contact.caller_type)),
        phone=key if is_number else None,
        organisation=key if key and not is_number else None,
        is_person=contact.caller_is_person,
    )


def _person(contact: Contact) -> PersonDetails:
    nhs = contact.subject_nhs_number
    return PersonDetails(
        name=contact.subject_name,
        dob=contact.subject_dob,
        nhs_number=nhs if nhs and nhs_number_valid(nhs) else None,
        postcode=contact.subject_postcode,
        language=contact.language,
        interpreter_needed=contact.interpreter_needed,
    )


def _reason(referral: Referral, contact: Contact, categories: Mapping[str, str]) -> str:
    if referral.reason:
        return referral.reason
    # a service chosen from the directory, not named by a script end
    category = contact.category or referral.category
    about = categories.get(category, in_words(category)) if category else "The call"
    return f"{about}: referred to {referral.service_name} by the call handler"


@dataclass(frozen=True)
class HandoverTerms:
    """What every handover of this service carries and how it words codes: the SPA's
    contact, the local time zone, and the labels of caller types and categories."""

    spa: SpaContact
    time_zone: str = "Europe/London"
    caller_types: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, str] = field(default_factory=dict)


def build_handover(
    referral: Referral,
    contact: Contact,
    scripts: ScriptVersions,
    terms: HandoverTerms,
    *,
    consent: ConsentShown,
    produced_at: dt.datetime,
    produced_by: str,
    number: int | None = None,
    override: ConsentOverride | None = None,
    withdrawn_at: dt.datetime | None = None,
) -> Handover:
    """The handover of `referral`, made in `contact`. The caller decides `consent` (see
    handovers.py): this only puts it in words."""
    if consent == "overridden" and override is None:
        raise ValueError("a handover shared against a refusal needs its override")
    return Handover(
        referral=referral,
        person=_person(contact),
        caller=_caller(contact, terms.caller_types),
        consent=consent,
        reason=_reason(referral, contact, terms.categories),
        told=referral.said,
        notes=contact.notes,
        steps=tuple(answered_steps(contact.answers, scripts, contact.caller_is_person)),
        spa=terms.spa,
        time_zone=terms.time_zone,
        produced_at=produced_at,
        produced_by=produced_by,
        number=number,
        override=override,
        red_flags=referral.red_flags,
        withdrawn_at=withdrawn_at,
    )
