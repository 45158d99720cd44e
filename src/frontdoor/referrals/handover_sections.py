"""What a handover says, in the order a team reads it, as labelled lines: the text and
the HTML summaries show these same lines, so the two never say different things. The
triage (every question and answer) follows them; each renderer lays it out its own way."""

from __future__ import annotations

from dataclasses import dataclass

from frontdoor.referrals.handover import Handover

NOT_GIVEN = "not given"


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    alert: bool = False  # a team must not miss it: overdue, a red flag, consent overridden


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]


def _given(value: str | None) -> str:
    return value if value and value.strip() else NOT_GIVEN


def _referral(h: Handover) -> Section:
    r = h.referral
    made_by = r.history[0].by if r.history else NOT_GIVEN
    lines = [
        Line("Referral id", r.id),
        Line("To", r.service_name),
        Line("State", r.state_at(h.produced_at) or r.state),
        Line("Made", f"{h.when(r.made_at)} by {made_by}"),
        Line("Respond by", f"{h.when(r.due_at)} (within {r.respond_within})"),
    ]
    if h.overdue:
        lines.append(
            Line("Overdue", "past its respond-by time and not yet accepted by the team", True)
        )
    lines.append(Line("Questions about it", f"ring {h.spa.name} on {h.spa.phone}"))
    return Section("Referral", tuple(lines))


def _person(h: Handover) -> Section:
    p = h.person
    born = NOT_GIVEN
    if p.dob is not None:
        born = f"{p.dob.day} {p.dob:%B %Y}"
        if h.person_age is not None:
            born += f" (age {h.person_age})"
    interpreter = "needed" if p.interpreter_needed else "not needed"
    return Section(
        "The person",
        (
            Line("Name", _given(p.name)),
            Line("Date of birth", born),
            Line("NHS number", _given(p.nhs_number_spaced)),
            Line("Postcode", _given(p.postcode)),
            Line("Language", _given(p.language)),
            Line("Interpreter", interpreter, p.interpreter_needed),
        ),
    )


def _caller(h: Handover) -> Section:
    c = h.caller
    who = f"{c.kind}, the person themself" if c.is_person else c.kind
    lines = [Line("Name", _given(c.name)), Line("Who", who)]
    if c.organisation:
        lines.append(Line("Organisation", c.organisation))
    lines.append(Line("Phone", c.phone_readable or "no number recorded"))
    return Section("The caller", tuple(lines))


def _why(h: Handover) -> tuple[Section, ...]:
    flags = tuple(Line("Red flag", flag, True) for flag in h.red_flags) or (
        Line("Red flags", "none recorded"),
    )
    reason = [Line("Reason", h.reason)]
    if h.notes and h.notes.strip():
        reason.append(Line("Handler's note", h.notes.strip()))
    told = h.told.strip() if h.told and h.told.strip() else "not recorded"
    return (
        Section("Why", tuple(reason)),
        Section("Red flags", flags),
        Section("What the caller was told", (Line("Told", told),)),
    )


def sections(h: Handover) -> list[Section]:
    consent = Line("Consent", h.consent_words, h.consent != "given")
    return [
        _referral(h),
        _person(h),
        _caller(h),
        Section("Consent to share", (consent,)),
        *_why(h),
    ]


def produced_words(h: Handover) -> str:
    """The last line: when, by whom, and the record's number for this handover."""
    number = f"handover {h.number} in the record" if h.number is not None else "a preview"
    return f"Produced {h.when(h.produced_at)} by {h.produced_by} ({number})."
