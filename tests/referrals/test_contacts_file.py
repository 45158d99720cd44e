"""Contacts JSON Lines carry the referrals: an export writes them whole, an import keeps
what is given and fills the rest by the wrap-up's rules, and a bad referral entry refuses
the file by its line number like any bad line."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.interactions.export import time_text
from frontdoor.referrals.importing import ContactsFile
from frontdoor.referrals.interchange import contact_lines
from frontdoor.referrals.store import StateChange
from tests.conftest import FakeClock, copy_sqlite
from tests.referrals.test_making import referred_falls_call

UTC = dt.UTC


def load(front: FrontDoor, lines: list[str]) -> ContactsFile:
    return front.load_contacts_file(lines)


def line(contact_id: str, **fields: object) -> str:
    """A contact as an older system writes it: services referred, no referral key."""
    base: dict[str, object] = {
        "id": contact_id,
        "channel": "phone",
        "caller_type": "public",
        "caller_key": "+441472000999",
        "received_at": "2026-04-02T13:50:00Z",
        "handler": "h.old",
        "outcome": "referred",
        "demand": "new_need",
    }
    return json.dumps(base | fields)


OLDER = [
    # ended Thursday 2 April 2026, 15:00 BST, before Good Friday and Easter Monday; the
    # district nursing service's own entry in the directory says 2 working days: Tuesday
    # 7th, Wednesday 8th, due 23:59:59 BST on the 8th = 22:59:59 UTC
    line(
        "c-old-1",
        category="physical_health",
        offered_at="2026-04-02T13:50:00Z",
        answered_at="2026-04-02T13:50:20Z",
        ended_at="2026-04-02T14:00:00Z",
        services=[
            {"service": "falls-prevention-service", "action": "signposted"},
            {"service": "district-nursing", "action": "referred"},
        ],
    ),
    # an email with no ended_at: made when received, Saturday 28 March 23:30 GMT;
    # safeguarding's default is 24h, real hours across the clocks going forward: 23:30 UTC
    # on the 29th (00:30 BST on the 30th)
    line(
        "c-old-2",
        channel="email",
        category="safeguarding",
        received_at="2026-03-28T23:30:00Z",
        handler="h.old",
        services=[{"service": "safeguarding-adults-team", "action": "referred"}],
    ),
]


def test_a_file_from_an_older_system_gets_referrals_with_due_times_worked_by_hand(front):
    loaded = load(front, OLDER)
    assert loaded.loaded and loaded.referrals_added == ["R-2026-000001", "R-2026-000002"]
    [nursing] = front.referrals.made_in("c-old-1")
    assert nursing.service_id == "district-nursing" and nursing.service_seq == 2
    assert nursing.service_name == "District Nursing Service"  # the directory's name, not the id
    assert nursing.made_at == dt.datetime(2026, 4, 2, 14, 0, tzinfo=UTC)
    assert (nursing.respond_within, nursing.due_from) == ("2 working days", "service")
    assert nursing.due_at == dt.datetime(2026, 4, 8, 22, 59, 59, tzinfo=UTC)
    assert [(c.state, c.at, c.by) for c in nursing.history] == [
        ("requested", nursing.made_at, "h.old")
    ]
    [safeguarding] = front.referrals.made_in("c-old-2")
    assert safeguarding.made_at == dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
    assert safeguarding.due_at == dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC)
    # the same file again: nothing new, the referrals found as they are
    again = load(front, OLDER)
    assert (again.added, again.referrals_added) == ([], [])
    assert again.referrals_unchanged == ["R-2026-000001", "R-2026-000002"]


def second_front(tmp_path, template) -> FrontDoor:
    url = copy_sqlite(template, tmp_path / "other.db")  # migrated, with the demo directory
    return open_front_door(load_settings(db=url), clock=FakeClock(), migrate=False)


def test_export_then_import_into_a_new_database_gives_the_same_referrals(
    front, clock, tmp_path, sqlite_directory_template
):
    call = referred_falls_call(front, clock)
    [made] = front.referrals.made_in(call.contact_id)
    later = clock.now + dt.timedelta(hours=30)
    for state, hours in (("received", 3), ("accepted", 26)):
        at = clock.now + dt.timedelta(hours=hours)
        front.referrals.change(StateChange(made.id, state, at, "falls team", "by email"))
    front.referrals.chase(made.id, "caller", contact_id="c-chase", by="h.smith", at=later)
    assert load(front, OLDER).loaded
    first = list(contact_lines(front.record.all_contacts(), front.referrals, batch=2))
    entry = json.loads(first[-1])["services"][0]["referral"]  # the falls call: the latest
    assert entry["id"] == made.id and entry["due_from"] == "script"
    assert [c["state"] for c in entry["history"]] == ["requested", "received", "accepted"]
    assert entry["chases"] == [
        {
            "kind": "caller",
            "at": time_text(later),
            "contact": "c-chase",
            "by": "h.smith",
            "note": None,
        }
    ]

    other = second_front(tmp_path, sqlite_directory_template)
    try:
        loaded = load(other, first)  # in the order received: c-old-2, c-old-1, the call
        assert loaded.referrals_added == ["R-2026-000003", "R-2026-000002", made.id]
        assert list(contact_lines(other.record.all_contacts(), other.referrals)) == first
        # the ids came from the file: the next referral made there takes a number after them
        call = referred_falls_call(other, other.clock)
        assert [r.id for r in other.referrals.made_in(call.contact_id)] == ["R-2026-000004"]
    finally:
        other.engine.dispose()


def test_bad_referral_entries_refuse_the_file_by_line_number(front, clock):
    call = referred_falls_call(front, clock)
    [held] = front.referrals.made_in(call.contact_id)

    def referred(contact_id: str, referral: dict[str, object]) -> str:
        return line(
            contact_id,
            services=[{"service": "district-nursing", "action": "referred", "referral": referral}],
        )

    def history(then: str) -> dict[str, object]:
        at = "2026-04-02T14:00:00Z"
        return {
            "history": [
                {"state": "requested", "at": at, "by": "h.old"},
                {"state": then, "at": at, "by": "the team"},
            ]
        }

    bad = [
        referred("c-1", {"id": "R-2026-000500"}),  # good: line 1
        referred("c-2", history("sent")),
        referred("c-3", history("completed")),
        referred("c-4", {"id": "R-2026-000500"}),
        referred("c-5", history("rejected")),
    ]
    refused = load(front, bad)
    assert [(b.number, b.reason) for b in refused.bad] == [
        (
            2,
            "services.0.referral.history.1: 'sent' is not a referral state: the states are "
            "requested, received, accepted, rejected, in-progress, on-hold, completed, "
            "cancelled",
        ),
        (
            3,
            "services.0.referral.history.1: the referral: a requested referral cannot become "
            "completed (it can become received, accepted, rejected, cancelled)",
        ),
        (4, "services.0.referral.id: R-2026-000500 is already on line 1"),
        (5, "services.0.referral.history.1: the referral: rejected needs a reason (a note)"),
    ]
    # an id the record holds with other content, through the command: exit 1, the line
    # named, nothing loaded
    path = front.settings.db.removeprefix("sqlite:///") + ".jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(bad[0] + "\n" + referred("c-6", {"id": held.id}) + "\n")
    result = CliRunner().invoke(main, ["contacts", "import", path, "--db", front.settings.db])
    assert result.exit_code == 1, result.output
    assert f"{path}:2: services.0.referral: {held.id} is already held with other content" in (
        result.stderr
    )
    assert front.referrals.get("R-2026-000500") is None
    assert [c.id for c in front.record.all_contacts()] == [call.contact_id]
