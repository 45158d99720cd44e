"""Consent to share withdrawn after the call: the person's handovers are refused with a
sentence saying what to do, until an override is recorded with its ground and a reason;
each step audited. `people consent` by an NHS number or a contact's id, `referrals
handover` refused, `contacts export` leaving the person out unless overridden, and a call
recording a withdrawal there and then."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from frontdoor.access.audit import AuditEvent, AuditQuery
from frontdoor.console.cli import main
from frontdoor.interactions.model import NewContact
from frontdoor.people.consent import ConsentError
from frontdoor.referrals.handovers import ConsentRefused, OverrideAsked
from tests.referrals.test_handover import rapid_response_call, words

CONSENT_EVENTS = frozenset(
    {AuditEvent.CONSENT_WITHDRAWN, AuditEvent.CONSENT_RESTORED, AuditEvent.CONSENT_OVERRIDE}
)


def audited(front, person_id: str) -> list[tuple[str, str | None, str | None]]:
    """The consent events about the person (whatever else is audited about them)."""
    return [
        (e.event, e.concerns.referral_id, e.concerns.detail)
        for e in front.trail.entries(AuditQuery(person_id=person_id, events=CONSENT_EVENTS))
    ]


def test_a_withdrawal_refuses_the_handover_until_an_override_is_recorded(front, clock):
    referral = rapid_response_call(front, clock)  # consent to share given on the call
    person = front.referrals.get(referral.id).person_id
    clock.advance(3600)
    front.consent.withdraw(person, note="Told the GP she wants nothing passed on")

    with pytest.raises(ConsentRefused) as refused:
        front.handovers.produce(referral.id, "text", "h.jones")
    assert str(refused.value) == (
        f"{referral.id}: the person withdrew consent to share on 2026-11-23, so no handover "
        "is produced unless an override is recorded with its ground (vital interests or "
        "safeguarding) and a reason"
    )
    assert front.handovers.recorded(referral.id) == []
    assert front.handovers.preview(referral.id, "h.jones").consent == "refused"

    clock.advance(60)
    produced = front.handovers.produce(
        referral.id, "text", "s.lead", OverrideAsked("safeguarding", "Found on the floor again")
    )
    assert (
        "Withdrawn by the person on Monday 23 November 2026, 09:56 (GMT). Shared on the "
        "ground of safeguarding" in words(produced.content)
    )
    front.handovers.produce(referral.id, "html", "h.jones")  # the override stands
    assert audited(front, person) == [
        ("consent_withdrawn", None, "share withdrawn"),
        ("consent_override", referral.id, "safeguarding: handover"),
    ]

    # agreed again: shared as the call recorded it; an override is then no longer needed
    front.consent.restore(person)
    with pytest.raises(ConsentError, match="nothing to restore"):
        front.consent.restore(person)
    assert "Consent: Given" in words(
        front.handovers.produce(referral.id, "text", "h.jones").content
    )


def test_an_override_given_before_a_withdrawal_does_not_stand_after_it(front, clock):
    referral = rapid_response_call(front, clock, consent_share=False)
    front.handovers.produce(referral.id, "text", "s.lead", OverrideAsked("vital_interests", "x"))
    clock.advance(60)
    front.consent.withdraw(front.referrals.get(referral.id).person_id)
    with pytest.raises(ConsentRefused, match="withdrew consent to share"):
        front.handovers.produce(referral.id, "text", "h.jones")


def test_the_commands_record_refuse_and_leave_the_person_out(front, clock, tmp_path):
    referral = rapid_response_call(front, clock)
    other = front.call_service().start(NewContact(handler="h.jones", subject_name="Bob Smith"))
    db = ["--db", front.settings.db]

    def run(*args: str):
        return CliRunner().invoke(main, [*args, *db])

    withdrawn = run("people", "consent", "943 476 5919", "--withdraw-share", "--note", "by letter")
    assert withdrawn.exit_code == 0, withdrawn.output
    assert "consent to share withdrawn" in withdrawn.output
    again = run("people", "consent", referral.contact_id, "--withdraw-share")
    assert again.exit_code == 2 and "withdrew consent to share already" in again.output
    standing = run("people", "consent", referral.contact_id)
    assert "consent to share withdrawn at " in standing.output and "recorded by" in standing.output

    handover = run("referrals", "handover", referral.id)
    assert handover.exit_code == 1
    assert "withdrew consent to share" in handover.output and "--override" in handover.output

    out = tmp_path / "contacts.jsonl"
    left_out = run("contacts", "export", "--out", str(out))
    assert left_out.exit_code == 0, left_out.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [other.contact_id]
    assert "1 contact(s) about 1 person(s) who withdrew consent" in left_out.output
    everyone = run("contacts", "export", "--out", str(out), "--override", "vital_interests")
    assert everyone.exit_code == 0
    assert len(out.read_text().splitlines()) == 2

    person = front.referrals.get(referral.id).person_id
    assert [e[0] for e in audited(front, person)] == ["consent_withdrawn", "consent_override"]
    exports = [
        e
        for e in front.trail.entries(AuditQuery(events=frozenset({AuditEvent.EXPORT.value})))
        if (e.concerns.detail or "").startswith("contacts export")
    ]
    assert [(e.concerns.row_count, e.concerns.destination) for e in exports] == [
        (1, str(out)),
        (2, str(out)),
    ]
    assert exports[0].concerns.detail == "contacts export, in full, 1 left out (consent withdrawn)"

    unknown = run("people", "consent", "nobody-at-all")
    assert unknown.exit_code == 2 and "leads to nobody" in unknown.output
    assert run("people", "consent", person, "--withdraw-share", "--restore-share").exit_code == 2


def test_a_call_records_its_person_withdrawing_and_the_next_call_shows_it(front, clock):
    calls = front.call_service()
    ada = {"subject_name": "Ada Lovelace", "subject_nhs_number": "943 476 5919"}
    call = calls.start(NewContact(handler="h.jones", **ada))
    assert call.share_withdrawn_at is None
    done = call.withdraw_share("Does not want the falls team told")
    assert call.share_withdrawn_at == done.withdrawn_at == clock.now
    [entry] = front.trail.entries(
        AuditQuery(person_id=call.contact.person_id, events=CONSENT_EVENTS)
    )
    assert (entry.event, entry.concerns.contact_id) == ("consent_withdrawn", call.contact_id)

    later = calls.start(NewContact(handler="h.smith", **ada))
    assert later.contact.person_id == call.contact.person_id  # the same NHS number
    assert later.share_withdrawn_at == done.withdrawn_at
    nobody = calls.start(NewContact(handler="h.jones"))
    with pytest.raises(ConsentError, match="names nobody"):
        nobody.withdraw_share()
