"""The audit rows every room writes, with what they record: one call from sign-in to
wrap-up and its handover, in order; nothing audited that did not happen and nothing
happening unaudited; imports one row each; the release brought in by `system`; a write
kept in a journal audited as whoever made it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, insert, select

from frontdoor.access.audit import Actor, AuditQuery, AuditUnavailable
from frontdoor.access.tables import AuditHeadRow
from frontdoor.access.views import PersonViews, ViewNotRecorded
from frontdoor.calls import journal
from frontdoor.console.cli import main
from frontdoor.directory.model import Service
from frontdoor.interactions.model import NewContact, StepTaken, StepWrite, WrapUp
from frontdoor.interactions.record import RecordError
from frontdoor.referrals.interchange import contact_lines
from frontdoor.referrals.store import ReferralError, StateChange
from frontdoor.triage_scripts.version_records import SYSTEM

GOOD = "correct horse battery"
ADA = {
    "caller": "01472 000111",
    "caller_name": "June Carer",
    "caller_type": "carer",
    "subject_name": "Ada Lovelace",
    "subject_dob": dt.date(1940, 5, 1),
    "subject_postcode": "DN32 7DL",
    "consent_record": True,
    "consent_share": True,
}
# the falls script to its "on the floor, not hurt" end: the rapid response team
TO_RAPID_RESPONSE = ["No", "No", "No", "A fall, or someone unsteady on their feet", "No", "Yes"]


def since(front, count: int) -> list[tuple[str, str, str | None]]:
    """(user, event, detail) of each row after the first `count`, in chain order."""
    return [(e.user, e.event, e.concerns.detail) for e in front.trail.entries() if e.seq > count]


def test_one_call_from_sign_in_to_wrap_up_is_on_record_in_order(front, clock):
    """Ann signs in; Ada's carer rings again (her contact of last week shows); Ann takes
    the falls script to the rapid response team, refers, ends the call, wraps up, and
    hands the referral over. The audit, in order:

        ann  sign_in
        ann  contact_created
        ann  person_viewed          (last week's contact about Ada, on the call screen)
        ann  contact_changed  step  (x6, one for each answer; never the answer itself)
        ann  contact_changed  service
        ann  contact_changed  ended
        ann  contact_closed   wrap_up
        ann  referral_made
        ann  handover_produced text  (to the terminal)

    and `audit verify` finds the chain whole."""
    earlier = front.call_service().start(NewContact(handler="a.patel", **ADA))
    earlier.wrap_up(WrapUp("advice", "new_need"))
    clock.advance(7 * 24 * 3600)
    front.users.add("ann", "handler", GOOD, display_name="Ann Hale")
    before = front.trail.anchor().count

    user = front.users.sign_in("ann", GOOD, "desk-1")
    front.trail.actor = Actor(user.name, user.role.value, "desk-1")
    call = front.call_service().start(NewContact(handler="ann", **ADA))
    for answer in TO_RAPID_RESPONSE:
        clock.advance(5)
        call.answer(answer)
    (referred,) = [s for s, action in call.suggested_services() if action == "referred"]
    call.choose(referred, "referred")
    call.end_call()
    call.wrap_up(WrapUp("escalated", "new_need", "On the floor since 7am"))
    (referral,) = front.referrals.made_in(call.contact_id)
    front.handovers.produce(referral.id, "text")  # by whoever is signed in

    expected = [
        ("ann", "sign_in", None),
        ("ann", "contact_created", None),
        ("ann", "person_viewed", None),
        *[("ann", "contact_changed", "step")] * len(TO_RAPID_RESPONSE),
        ("ann", "contact_changed", "service"),
        ("ann", "contact_changed", "ended"),
        ("ann", "contact_closed", "wrap_up"),
        ("ann", "referral_made", None),
        ("ann", "handover_produced", "text"),
    ]
    found = since(front, before)
    assert found == expected, "\n".join(f"{u:5} {e:18} {d or ''}" for u, e, d in found)
    rows = [e for e in front.trail.entries() if e.seq > before]
    person = front.record.contact(call.contact_id).person_id
    assert person == front.record.contact(earlier.contact_id).person_id
    assert {e.concerns.person_id for e in rows[1:]} == {person}
    assert rows[-5].concerns.service_id == rows[-2].concerns.service_id == referred.id
    assert rows[-1].concerns.referral_id == referral.id
    assert rows[-1].concerns.destination is None  # produced here, not written anywhere yet
    # the handover names the signed-in user, as the audit does
    assert [h.by for h in front.handovers.recorded(referral.id)] == ["ann"]
    # nothing a caller said, nor the notes, is in the audit
    assert "floor" not in repr(rows) and "Ada" not in repr(rows)
    verified = front.trail.verify()
    assert verified.ok, verified.problems
    assert verified.rows == front.trail.anchor().count


def test_a_change_refused_writes_no_row_and_a_row_not_written_refuses_the_change(front, clock):
    call = front.call_service().start(NewContact(handler="h", **ADA))
    call.answer("No")
    call.wrap_up(WrapUp("advice", "new_need"))
    count = front.trail.anchor().count
    with pytest.raises(RecordError, match="already closed"):
        front.record.record_step(call.contact_id, StepTaken("reason-for-call", 1, "x", "answer"))
    with pytest.raises(ReferralError, match="there is no referral"):
        front.referrals.change(StateChange("R-2026-000009", "accepted", clock.now, "t"))
    assert front.trail.anchor().count == count

    # with the audit's head row gone nothing can be audited: so nothing is changed either
    second = front.call_service().start(NewContact(handler="h", **ADA))
    with front.sessions() as session, session.begin():
        head = session.get(AuditHeadRow, 1)
        kept = {"id": 1, "count": head.count, "last_hash": head.last_hash}
        session.execute(delete(AuditHeadRow))
    with pytest.raises(AuditUnavailable):
        second.answer("No")
    assert front.record.contact(second.contact_id).answers == []
    with pytest.raises(AuditUnavailable):
        front.record.start_contact(NewContact(handler="h"))
    # and a history that cannot be audited as looked at is not handed out to be shown
    with pytest.raises(ViewNotRecorded, match="not shown: Front Door could not record"):
        PersonViews(front.trail).before_showing([call.contact.person_id])
    with front.sessions() as session, session.begin():
        session.execute(insert(AuditHeadRow).values(**kept))
    assert front.trail.verify().ok


def test_imports_write_one_row_each_and_the_release_came_in_by_system(front, clock):
    # the bundled library went into this database by `system`, as a release brings it
    brought = front.trail.entries(AuditQuery(user=SYSTEM))
    assert {e.event for e in brought} == {"script_submitted", "script_approved"}
    assert any((e.concerns.script or "").startswith("reason-for-call@") for e in brought)

    call = front.call_service().start(NewContact(handler="h", **ADA))
    for answer in TO_RAPID_RESPONSE:
        call.answer(answer)
    (referred,) = [s for s, action in call.suggested_services() if action == "referred"]
    call.choose(referred, "referred")
    call.wrap_up(WrapUp("escalated", "new_need", "noted"))
    line = json.loads(next(iter(contact_lines(front.record.all_contacts(), front.referrals))))
    lines = [
        json.dumps(
            {**line, "id": f"c-import-{n}", "services": [{**line["services"][0], "referral": {}}]}
        )
        for n in range(3)
    ]
    count = front.trail.anchor().count
    loaded = front.load_contacts_file(lines, audit=front.trail)
    assert loaded.loaded and len(loaded.referrals_added) == 3
    rows = [e for e in front.trail.entries() if e.seq > count]
    assert [(e.event, e.concerns.contact_id, e.concerns.detail) for e in rows] == [
        ("contact_closed", f"c-import-{n}", "imported") for n in range(3)
    ] + [("referral_made", f"c-import-{n}", "imported") for n in range(3)]
    assert [e.concerns.referral_id for e in rows[3:]] == loaded.referrals_added

    # a directory import: one row for each service added or changed, none for the same
    count = front.trail.anchor().count
    changed = front.directory.get(referred.id).model_copy(update={"description": "Within 2h"})
    new = Service(id="new-service", name="A new service")
    front.directory.save([changed, new, front.directory.all()[0]], clock.now, by="import")
    assert [
        (e.event, e.concerns.service_id, e.concerns.detail) for e in front.trail.entries()[count:]
    ] == [
        ("directory_changed", "new-service", "added"),
        ("directory_changed", referred.id, "changed"),
    ]
    assert front.trail.verify().ok


def test_a_write_kept_in_a_journal_is_audited_as_whoever_made_it(front, clock, tmp_path):
    """Kept on disk while the database was away, it is saved after Ann signed out and
    Bob signed in at the same desk: it is still Ann's."""
    ann, bob = Actor("ann", "handler", "desk-1"), Actor("bob", "handler", "desk-1")
    front.trail.actor = ann
    call = front.call_service().start(NewContact(handler="ann"))
    write = front.record.stamped(
        StepWrite(
            "s1",
            call.contact_id,
            clock.now,
            None,
            StepTaken("reason-for-call", 1, "q", "answer", "No"),
        )
    )
    kept = journal.Journal(tmp_path, "console-a")
    kept.append(write)
    kept.close(remove_if_empty=False)
    (read,) = journal.read(tmp_path / f"console-a{journal.SUFFIX}")
    assert read == write and read.by == ann
    front.trail.actor = bob
    assert front.record.apply(read) is True
    assert front.record.apply(read) is False  # replayed: no second row either
    last = front.trail.entries()[-1]
    assert (last.user, last.event, last.concerns.detail) == ("ann", "contact_changed", "step")
    assert [
        e.user for e in front.trail.entries(AuditQuery(events=frozenset({"contact_changed"})))
    ] == ["ann"]
    with front.sessions() as session:
        assert session.scalar(select(AuditHeadRow.count)) == front.trail.verify().rows


def test_the_bench_times_a_write_with_its_audit_and_without_in_one_run():
    result = json.loads(
        CliRunner()
        .invoke(
            main,
            ["contacts", "bench", "--steps", "10", "--history", "50", "--writers", "2", "--json"],
        )
        .stdout
    )
    assert result["database"] == "sqlite" and result["history_rows"] == 50
    assert set(result["with_audit"]) == set(result["without_audit"]) == {"median_ms", "p95_ms"}
    assert result["concurrent"]["per_second_with"] > 0
    refused = CliRunner().invoke(main, ["contacts", "bench", "--server", "sqlite:///x.db"])
    assert refused.exit_code == 2 and "a PostgreSQL URL" in refused.output


def test_script_versions_name_the_signed_in_user_where_no_name_is_given(front, clock):
    front.trail.actor = Actor("lena", "lead", "desk-2")
    published = front.scripts.published()[0].record
    text = front.scripts.text(published.script, published.version)
    number = front.scripts.next_version(published.script)
    (draft,) = front.scripts.submit([(published.script, number, text)], None, clock.now, "again")
    front.trail.actor = Actor("omar", "lead", "desk-3")
    approved = front.scripts.approve(published.script, number, None, clock.now)
    retired = front.scripts.retire(published.script, None, clock.now)
    assert (draft.submitted_by, approved.approved_by, retired.ended_by) == ("lena", "omar", "omar")
    rows = front.trail.entries()[-3:]
    assert [(e.user, e.event, e.concerns.script) for e in rows] == [
        ("lena", "script_submitted", draft.ref),
        ("omar", "script_approved", draft.ref),
        ("omar", "script_retired", draft.ref),
    ]
