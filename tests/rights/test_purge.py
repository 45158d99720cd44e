"""`records purge`: March 2017 (the hand-worked March of tests/mi, nine years earlier,
and three calls taken through the call service with names, notes, a typed answer, a
search, a referral, a call-back and the queue's own lines) purged before the 12th. The MI
report for the purged days and for the whole range is the same after as before, the
repeat across the boundary (c6 on the 10th, c9 on the 16th; a call on the 6th and the
same caller on the 14th) still found; nothing that names anyone is left in the purged
contacts, their referrals or the people only they referred to. On both databases."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from frontdoor.access.audit import AuditEvent, AuditQuery
from frontdoor.calls.chases import CallBack
from frontdoor.console.cli import main
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.interactions.tables import AnswerRow, ContactRow, SearchRow
from frontdoor.people.tables import PersonKeyRow, PersonRow
from frontdoor.referrals.store import StateChange
from frontdoor.referrals.tables import FollowUpRow, ReferralRow
from frontdoor.rights.purge import years_before
from frontdoor.telephony.tables import QueueEventRow
from frontdoor.telephony.writer import line
from tests.conftest import FakeClock, filled_db_url

MARCH = Path(__file__).parents[1] / "mi" / "march.jsonl"
SECRET = {"FRONTDOOR_SITE_SECRET": "a site secret of the tests, thirty-two characters or more"}
AS_OF = "2017-06-01T00:00:00Z"
ADA = {
    "caller": "01472 000111",
    "caller_name": "June Carer",
    "caller_type": "carer",
    "subject_name": "Ada Lovelace",
    "subject_dob": dt.date(1940, 5, 1),
    "subject_postcode": "DN32 7DL",
    "subject_nhs_number": "943 476 5919",  # c6's and c9's subject, imported
    "consent_share": True,
}


def cli(*args: str) -> str:
    result = CliRunner(env=SECRET).invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _call(front: FrontDoor, clock: FakeClock, at: dt.datetime, answers: list[str], **who):
    clock.now = at
    call = front.call_service().start(NewContact(handler="h.jones", **who))
    for answer in answers:
        clock.advance(20)
        call.answer(answer)
    return call


def fill(url: str) -> None:
    """March 2017 as the record holds it."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "march2017.jsonl"
        source.write_text(MARCH.read_text().replace("2026-", "2017-"))
        cli("contacts", "import", str(source), "--db", url)
    clock = FakeClock(dt.datetime(2017, 3, 6, 10, 0, tzinfo=dt.UTC))
    front = open_front_door(load_settings(db=url), clock=clock, migrate=False)
    try:
        front.load_demo_directory()
        # c2's referral (made on the 5th) is answered after the boundary: care went on,
        # and c2 is kept whole
        [c2_referral] = front.referrals.made_in("c2")
        at = dt.datetime(2017, 3, 20, 9, 0, tzinfo=dt.UTC)
        front.referrals.change(StateChange(c2_referral.id, "received", at, "ASC team"))
        # the 6th: a carer rings about Ada's falls; the count of falls is typed (a number),
        # a search names her and her number, a service is chosen from it, a referral made
        call = _call(
            front,
            clock,
            dt.datetime(2017, 3, 6, 10, 0, tzinfo=dt.UTC),
            ["No", "No", "No", "A fall, or someone unsteady on their feet", "No", "No", "No"],
            **ADA,
        )
        call.answer("3")  # falls in the last 12 months: typed
        text = "falls team for ada lovelace 01472 000111"
        results = call.search("falls")
        call.record_search(text, results)
        call.choose(results[0].service, "referred")
        call.end_call()
        call.promise_call_back(CallBack(clock.now + dt.timedelta(days=2), "Ring June back"))
        notes = "Ada fell in the garden at 7am"
        call.wrap_up(WrapUp("advice", "new_need", notes=notes, category="physical_health"))
        # the 7th: Bob, about whom nobody rings again: his entry is emptied by the purge
        bob = _call(
            front,
            clock,
            dt.datetime(2017, 3, 7, 11, 0, tzinfo=dt.UTC),
            ["No", "No", "No"],
            caller="01472 000222",
            subject_name="Bob Smith",
            subject_dob=dt.date(1950, 1, 2),
            subject_postcode="DN31 1AA",
        )
        # an unmet need typed with his name and number: the report shows it cleaned, and
        # the purge keeps it as the report shows it
        bob.record_search("Bins for Bob Smith 01472 000222", [])
        bob.end_call()
        bob.wrap_up(WrapUp("advice", "information_request", notes="Bob asked about bins"))
        # the 14th, after the boundary: June rings about Ada again (a repeat of the 6th)
        again = _call(
            front, clock, dt.datetime(2017, 3, 14, 9, 0, tzinfo=dt.UTC), ["No", "No"], **ADA
        )
        again.end_call()
        again.wrap_up(WrapUp("advice", "repeat_contact", category="physical_health"))
    finally:
        front.engine.dispose()
    at = dt.datetime(2017, 3, 6, 9, 59, tzinfo=dt.UTC)
    connected = at + dt.timedelta(seconds=12)
    with tempfile.TemporaryDirectory() as folder:
        queue_log = Path(folder) / "queue_log"
        queue_log.write_text(
            line(at, "q1", "public", "NONE", "ENTERQUEUE", ["", "01472000111", 1])
            + line(connected, "q1", "public", "PJSIP/201", "CONNECT", [12, "q1", 1])
        )
        cli("queue", "ingest", str(queue_log), "--db", url)


@pytest.fixture(params=["sqlite", "postgresql"])
def march_2017(request, tmp_path):
    return filled_db_url(request, tmp_path, "rights-march-2017", fill)


def report(db: str, start: str, end: str) -> dict:
    made = json.loads(
        cli("mi", "report", "--from", start, "--to", end, "--as-of", AS_OF, "--db", db)
    )
    made.pop("made_at")  # when it was made: the one thing that may differ
    return made


def test_a_purge_changes_no_figure_and_leaves_nothing_that_names_anyone(march_2017):
    db = march_2017
    periods = [("2017-03-01", "2017-03-11"), ("2017-03-01", "2017-04-30")]
    before = [report(db, *p) for p in periods]
    # the repeats across the boundary are there to be kept, and Bob's need, cleaned
    assert {u["query"] for u in before[0]["unmet_need"]} >= {"bins for [name] [number]"}
    assert before[0]["fcr_verified"]["by_category"]["mental_health"] == {"rate": 0.0, "n": 1}

    dry = cli("records", "purge", "--before", "2017-03-12", "--dry-run", "--db", db)
    assert "nothing was changed" in dry and "9  contacts purged" in dry
    assert report(db, *periods[0]) == before[0]
    too_recent = CliRunner(env=SECRET).invoke(
        main, ["records", "purge", "--before", "2020-01-01", "--db", db]
    )
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    assert too_recent.exit_code == 2
    assert (
        "contacts are kept whole for 8 years (retention_years in settings), so the latest date "
        f"allowed today is {years_before(today, 8)}"
    ) in " ".join(too_recent.output.split())
    done = cli("records", "purge", "--before", "2017-03-12", "--db", db)
    assert "9  contacts purged" in done
    assert "1  contacts kept whole: their referral changed on or after DATE" in done
    # c2 (c1's caller), c9 (c6's subject), the call of the 14th (Ada's number and person)
    assert "3  later contacts given a purged contact's pseudonym" in done

    assert [report(db, *p) for p in periods] == before

    front = open_front_door(load_settings(db=db), migrate=False, check_library=False)
    try:
        with front.sessions() as session:
            purged = session.scalars(
                select(ContactRow).where(
                    ContactRow.received_at < dt.datetime(2017, 3, 12, tzinfo=dt.UTC)
                )
            ).all()
            [c2] = [c for c in purged if c.id == "c2"]
            assert c2.purged_at is None and c2.caller_key == "+441"
            assert c2.caller_pseudonym is not None and c2.caller_pseudonym.startswith("hmac:")
            purged = [c for c in purged if c.id != "c2"]
            assert len(purged) == 9 and all(c.purged_at is not None for c in purged)
            for contact in purged:
                assert contact.caller_name is contact.subject_name is None
                assert contact.subject_dob is contact.subject_nhs_number is None
                assert contact.notes is None and contact.language is None
                for key in (contact.caller_key, contact.subject_key):
                    assert key is None or key.startswith("hmac:")
            ada = next(c for c in purged if c.handler == "h.jones" and c.demand == "new_need")
            assert ada.subject_postcode == "DN32"
            answers = session.scalars(
                select(AnswerRow.answer).where(
                    AnswerRow.contact_id == ada.id, AnswerRow.node == "falls_count"
                )
            ).all()
            assert answers == [None]  # typed: gone; the step stays
            assert "No" in session.scalars(
                select(AnswerRow.answer).where(AnswerRow.contact_id == ada.id)
            )
            [search] = session.scalars(
                select(SearchRow.query).where(SearchRow.contact_id == ada.id)
            )
            assert search == "falls team for [name] [number]"
            [referral] = session.scalars(
                select(ReferralRow).where(ReferralRow.contact_id == ada.id)
            )
            assert referral.reason is None and referral.said is None
            assert referral.caller_key.startswith("hmac:")
            [follow_up] = session.scalars(
                select(FollowUpRow).where(FollowUpRow.contact_id == ada.id)
            )
            assert follow_up.caller_name is None and follow_up.why == "[removed]"
            # Ada is still rung about after the boundary: her entry stays; Bob's is emptied
            kept = session.get(PersonRow, ada.person_id)
            assert kept is not None and kept.name == "Ada Lovelace"
            bob = next(
                c for c in purged if c.handler == "h.jones" and c.demand == "information_request"
            )
            emptied = session.get(PersonRow, bob.person_id)
            assert emptied is not None and emptied.name is None and emptied.dob is None
            assert emptied.district == "DN31"
            assert not session.scalars(
                select(PersonKeyRow).where(PersonKeyRow.person_id == bob.person_id)
            ).all()
            [entered] = session.scalars(
                select(QueueEventRow.data).where(QueueEventRow.event == "ENTERQUEUE")
            )
            assert entered[1].startswith("hmac:")
        [purge] = front.trail.entries(AuditQuery(events=frozenset({AuditEvent.PURGE.value})))
        assert purge.concerns.row_count == 9
        assert "before 2017-03-12: contacts 9, kept_for_referrals 1" in (
            purge.concerns.detail or ""
        )
    finally:
        front.engine.dispose()

    again = cli("records", "purge", "--before", "2017-03-12", "--db", db)
    assert "       0  contacts purged" in again
