"""`people export`: a person with two contacts and a referral, looked at by two people;
the file (readable by its owner only) holds their record, both contacts with answers and
notes, the referral with its history and handover, and who viewed them; the export is
audited with its row count and where it went."""

from __future__ import annotations

import json
import os
import stat

from click.testing import CliRunner

from frontdoor.access.audit import Actor, AuditEvent, AuditQuery, Concerns
from frontdoor.console.cli import main
from frontdoor.interactions.model import NewContact, WrapUp
from tests.referrals.test_handover import rapid_response_call


def test_everything_held_about_one_person_and_who_viewed_it(front, clock, tmp_path):
    referral = rapid_response_call(front, clock)  # Ada, from June Carer's number
    front.handovers.produce(referral.id, "text", "h.jones")
    clock.advance(3600)
    again = front.call_service().start(
        NewContact(handler="h.smith", subject_name="Ada Lovelace", subject_nhs_number="9434765919")
    )
    again.end_call()
    again.wrap_up(
        WrapUp("advice", "repeat_contact", notes="Ada is home now", category="physical_health")
    )
    other = front.call_service().start(NewContact(handler="h.smith", subject_name="Bob Smith"))
    person = front.referrals.get(referral.id).person_id
    front.trail.record_now(
        AuditEvent.PERSON_VIEWED,
        Concerns(person_id=person),
        actor=Actor("h.smith", "handler", "desk-2"),
    )
    front.trail.record_now(
        AuditEvent.CONTACT_VIEWED,
        Concerns(contact_id=again.contact_id),
        actor=Actor("s.lead", "supervisor", "desk-3"),
    )
    front.trail.record_now(  # someone else's record: not theirs to see
        AuditEvent.PERSON_VIEWED, Concerns(person_id=other.contact.person_id)
    )

    out = tmp_path / "sar.json"
    result = CliRunner().invoke(
        main, ["people", "export", "943 476 5919", "--out", str(out), "--db", front.settings.db]
    )
    assert result.exit_code == 0, result.output
    assert f"{person}: 2 contact(s), 1 referral(s) and " in result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    held = json.loads(out.read_text())

    assert held["person"]["name"] == "Ada Lovelace"
    assert held["person"]["nhs_number"] == "9434765919"
    assert "9434765919" in held["person"]["known_by"]
    first, second = held["contacts"]
    assert first["caller"] == {"name": "June Carer", "number_or_organisation": "+441472000111"}
    assert first["notes"] == "On the kitchen floor since 7am"
    assert first["about"]["date_of_birth"] == "1940-05-01"
    assert [a["answer"] for a in first["answers"] if a["kind"] == "answer"][:3] == ["No"] * 3
    assert second["notes"] == "Ada is home now" and second["about_them"]
    [made] = held["referrals"]
    assert made["id"] == referral.id and made["contact"] == first["id"]
    assert [h["state"] for h in made["history"]] == ["requested"]
    assert [(h["format"], h["by"]) for h in made["handovers"]] == [("text", "h.jones")]
    # (the rows of their contacts' and referral's changes are there too, where audited)
    audit = held["viewed_and_changed_by"]
    viewed = [(v["user"], v["event"]) for v in audit if v["user"] in ("h.smith", "s.lead")]
    assert viewed == [("h.smith", "person_viewed"), ("s.lead", "contact_viewed")]
    assert {v["person"] for v in audit} <= {person, None}  # Bob's look is not theirs

    [export] = front.trail.entries(AuditQuery(events=frozenset({AuditEvent.EXPORT.value})))
    assert export.concerns.person_id == person
    assert export.concerns.destination == str(out)
    # the person, their contacts, the referral, the audit's rows
    assert export.concerns.row_count == 1 + 2 + 1 + len(audit)
    assert "Ada" not in (export.concerns.detail or "")

    missing = CliRunner().invoke(
        main, ["people", "export", "p-nobody", "--out", str(out), "--db", front.settings.db]
    )
    assert missing.exit_code == 2 and "leads to nobody" in missing.output
