"""`frontdoor referrals list / set / update` as a supervisor uses them: referrals made in
calls at fixed times, the files teams send written by hand (tests/referrals/files), and
the states, due times and overdue lists worked out by hand.

The referrals, made in calls (the wrap-up makes one for each service referred):

R-2026-000001  Rapid Response Team, from the falls script's "on the floor" end: 2h (the
    script's). Made Sunday 29 March 2026 00:30 GMT. The clocks go forward at 01:00 GMT,
    so 2 real hours later is 02:30 UTC = 03:30 BST: three hours on the wall clock.
R-2026-000002  Falls Prevention Service, from the falls script: 2 working days (the
    script's). Made Thursday 2 April 2026 15:00 BST. Friday 3rd is Good Friday, then the
    weekend, then Easter Monday 6th: the 1st working day after is Tuesday 7th, the 2nd
    Wednesday 8th; due its end, 23:59:59 BST = 22:59:59 UTC.
R-2026-000003  District Nursing Service: 2 working days (the directory's, the script end
    gives none). Made Friday 23 October 2026 16:00 BST. The clocks go back on Sunday 25th:
    Monday 26th is the 1st working day, Tuesday 27th the 2nd, due 23:59:59 GMT = 23:59:59
    UTC (an hour later in UTC than it would be in summer time).
R-2026-000004  Enablement Care Team: neither the script nor the directory says, so the
    category's (social care): 5 working days. Made Friday 23 October 2026 16:30 BST: Mon
    26 to Fri 30; due Friday 30 October 23:59:59 GMT = 23:59:59 UTC.

What the teams' files say (times without a zone are local):

community-health.csv (CRLF, as a spreadsheet writes it; a note over two lines)
    R1 accepted 29 Mar 03:45 local = 02:45 UTC (after its 02:30 due: a breach);
       completed 05:10+01:00 = 04:10 UTC.
    R2 received 7 Apr 09:05 BST = 08:05 UTC; accepted 9 Apr 11:30 UTC.
adult-services.jsonl (a blank line 3)
    R3 received 26 Oct 08:15 UTC; accepted 28 Oct 10:00 GMT (after its due: a breach);
       in-progress 29 Oct 11:20 GMT.
    R4 received 27 Oct 14:00 UTC (the row names nobody: --by s.patel).
A caller chases R3 on 28 Oct 09:30 UTC.

Overdue = past due and still requested or received. As of (local time):
  29 Mar 03:20 BST (02:20Z)  R1 requested, due 02:30Z: not overdue
  29 Mar 03:40 BST (02:40Z)  R1 requested: OVERDUE
  29 Mar 04:00 BST (03:00Z)  R1 accepted: not overdue
   8 Apr 23:30 BST (22:30Z)  R1 completed; R2 received, due 22:59:59Z: not overdue
   9 Apr 00:00 BST (23:00Z on the 8th)  R2 received: OVERDUE
   9 Apr 13:00 BST (12:00Z)  R2 accepted: not overdue
  27 Oct 23:30 GMT           R3 received, due 23:59:59Z: not overdue (in summer time it
                             would have been due at 22:59:59Z and overdue); R4 received
  28 Oct 09:45 GMT           R3 received: OVERDUE, chased once; R4 received, due 30th
  31 Oct 09:00 GMT           R3 in-progress; R4 received: OVERDUE
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from frontdoor.access.audit import AuditQuery
from frontdoor.console.cli import main
from frontdoor.interactions.model import NewContact, WrapUp

FILES = Path(__file__).parents[1] / "referrals" / "files"
FALL = "A fall, or someone unsteady on their feet"
R1, R2, R3, R4 = (f"R-2026-00000{n}" for n in range(1, 5))


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def referred(front, clock, chosen_at, main_need, answers, wrap):
    """A call that reaches a script end naming a service, chosen at `chosen_at` (each
    answer takes 5 s), ended and wrapped up: the wrap-up makes the referral."""
    steps = ["No", "No", "No", main_need, *answers]
    clock.now = chosen_at - dt.timedelta(seconds=5 * len(steps))
    call = front.call_service().start(
        NewContact(
            handler="h.jones",
            caller="01472 000111",
            subject_name="Ada Lovelace",
            subject_dob=dt.date(1940, 5, 1),
            subject_postcode="DN32 7DL",
            consent_share=True,
        )
    )
    for answer in steps:
        clock.advance(5)
        call.answer(answer)
    for service, action in call.suggested_services():
        call.choose(service, action)
    clock.advance(30)
    call.end_call()
    call.wrap_up(wrap)
    return call.contact_id


def make_the_four(front, clock) -> list[str]:
    return [
        referred(
            front,
            clock,
            utc(2026, 3, 29, 0, 30),
            FALL,
            ["No", "Yes"],
            WrapUp("escalated", "new_need", "On the floor since midnight", "physical_health"),
        ),
        referred(
            front,
            clock,
            utc(2026, 4, 2, 14, 0),
            FALL,
            ["No", "No", "No", 2, "No", "No", "No", "No"],
            WrapUp("referred", "new_need", category="physical_health"),
        ),
        referred(
            front,
            clock,
            utc(2026, 10, 23, 15, 0),
            "Nursing care at home (wounds, insulin, catheter)",
            ["No", "No", "Yes", "A wound or dressing", "No"],
            WrapUp("referred", "new_need", category="physical_health"),
        ),
        referred(
            front,
            clock,
            utc(2026, 10, 23, 15, 30),
            "Care and support at home",
            ["No", "No", "Getting back on their feet after hospital or illness"],
            WrapUp("referred", "new_need", category="social_care"),
        ),
    ]


def run(db: str, *args: str, env: dict[str, str] | None = None):
    return CliRunner(env=env).invoke(main, ["referrals", *args, "--db", db])


def listed(db: str, at: str, *options: str) -> list[tuple[str, str, str, bool, int]]:
    result = run(db, "list", "--json", "--at", at, *options)
    assert result.exit_code == 0, result.output
    return [
        (r["id"], r["state"], r["due_at"], r["overdue"], r["chases"])
        for r in json.loads(result.stdout)
    ]


DUE = {
    R1: "2026-03-29T02:30:00Z",
    R2: "2026-04-08T22:59:59Z",
    R3: "2026-10-27T23:59:59Z",
    R4: "2026-10-30T23:59:59Z",
}


def test_files_from_teams_give_the_states_due_times_and_overdue_lists_worked_by_hand(front, clock):
    contacts = make_the_four(front, clock)
    db = front.settings.db
    [first] = json.loads(run(db, "list", "--json", "--at", "2026-03-29T00:30Z").stdout)
    assert first == {
        "id": R1,
        "contact": contacts[0],
        "service": "rapid-response-team",
        "service_name": "Rapid Response Team",
        "state": "requested",
        "since": "2026-03-29T00:30:00Z",
        "made_at": "2026-03-29T00:30:00Z",
        "due_at": DUE[R1],
        "respond_within": "2h",
        "due_from": "script",
        "overdue": False,
        "chases": 0,
    }
    made = json.loads(run(db, "list", "--json", "--at", "2026-11-01T00:00").stdout)
    assert [
        (r["id"], r["made_at"], r["due_at"], r["respond_within"], r["due_from"]) for r in made
    ] == [
        (R1, "2026-03-29T00:30:00Z", DUE[R1], "2h", "script"),
        (R2, "2026-04-02T14:00:00Z", DUE[R2], "2 working days", "script"),
        (R3, "2026-10-23T15:00:00Z", DUE[R3], "2 working days", "service"),
        (R4, "2026-10-23T15:30:00Z", DUE[R4], "5 working days", "category"),
    ]

    health = run(db, "update", str(FILES / "community-health.csv"))
    assert (health.exit_code, health.stdout) == (
        0,
        f"{FILES / 'community-health.csv'}: 4 applied, 0 already recorded\n",
    )
    adult = run(db, "update", str(FILES / "adult-services.jsonl"), "--by", "s.patel")
    assert adult.exit_code == 0 and "4 applied, 0 already recorded" in adult.stdout
    front.referrals.chase(R3, "caller", contact_id=None, by="h.smith", at=utc(2026, 10, 28, 9, 30))

    assert listed(db, "2026-03-29T03:20") == [(R1, "requested", DUE[R1], False, 0)]
    assert listed(db, "2026-03-29T03:40") == [(R1, "requested", DUE[R1], True, 0)]
    assert listed(db, "2026-03-29T04:00") == [(R1, "accepted", DUE[R1], False, 0)]
    assert listed(db, "2026-04-08T23:30")[1:] == [(R2, "received", DUE[R2], False, 0)]
    assert listed(db, "2026-04-09T00:00") == [
        (R1, "completed", DUE[R1], False, 0),
        (R2, "received", DUE[R2], True, 0),
    ]
    assert listed(db, "2026-04-09T13:00", "--overdue") == []
    assert listed(db, "2026-10-27T23:30", "--state", "received") == [
        (R3, "received", DUE[R3], False, 0),
        (R4, "received", DUE[R4], False, 0),
    ]
    assert listed(db, "2026-10-28T09:45", "--overdue") == [(R3, "received", DUE[R3], True, 1)]
    assert listed(db, "2026-10-31T09:00", "--overdue") == [(R4, "received", DUE[R4], True, 0)]
    assert listed(db, "2026-10-31T09:00", "--service", "district-nursing") == [
        (R3, "in-progress", DUE[R3], False, 1)
    ]
    # who said so: the file's `by`, else --by (R4's row names nobody)
    r4 = front.referrals.get(R4)
    assert [(c.state, c.by) for c in r4.history] == [
        ("requested", "h.jones"),
        ("received", "s.patel"),
    ]
    assert (
        front.referrals.get(R1).history[-1].note
        == "Lifted, no injury.\r\nFalls service letter sent"
    )

    # the same file again changes nothing
    again = run(db, "update", str(FILES / "community-health.csv"))
    assert again.exit_code == 0 and again.stdout.endswith(": 0 applied, 4 already recorded\n")

    bad = FILES / "not-allowed.csv"
    refused = run(db, "update", str(bad))
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        f"{bad}:line 2: {R1}: a completed referral is ended: it cannot become in-progress",
        f"{bad}:line 4: {R2}: cancelled needs a reason (a note)",
        f"{bad}:line 5: {R3}: 2026-10-29T09:00:00Z is before its last change (in-progress at "
        "2026-10-29T11:20:00Z); changes may not go back in time",
        f"{bad}:line 6: there is no referral R-2026-000099",
        # line 3 (allowed on its own) left R4 accepted, and accepted cannot go on hold
        f"{bad}:line 7: {R4}: an accepted referral cannot become on-hold (it can become "
        "in-progress, completed, cancelled); on-hold needs a reason (a note)",
        f"{bad}: refused, nothing applied (5 bad line(s))",
    ]
    # nothing of it was applied, line 3 included
    assert listed(db, "2026-11-23T12:00") == [
        (R1, "completed", DUE[R1], False, 0),
        (R2, "accepted", DUE[R2], False, 0),
        (R3, "in-progress", DUE[R3], False, 1),
        (R4, "received", DUE[R4], True, 0),
    ]

    text = run(db, "list", "--at", "2026-10-31T09:00").stdout.splitlines()
    assert text[0].split() == ["id", "service", "made", "state", "due", "chases"]
    assert (
        text[4].split()
        == (
            f"{R4} Enablement Care Team Fri 2026-10-23 16:30 BST received "
            "Fri 2026-10-30 23:59 GMT OVERDUE 0"
        ).split()
    )
    assert text[-1] == "4 referral(s) as of Sat 2026-10-31 09:00 GMT; 1 overdue"

    # every change a team's file made is on record once, with the chase; every list too
    changes = front.trail.entries(AuditQuery(events=frozenset({"referral_changed"})))
    assert sorted((e.concerns.referral_id, e.concerns.detail) for e in changes) == sorted(
        [
            *[
                (r, f"{c.state} (update)")
                for r in (R1, R2, R3, R4)
                for c in front.referrals.get(r).history[1:]
            ],
            (R3, "chased: the caller rang about it"),
        ]
    )
    reports = front.trail.entries(AuditQuery(events=frozenset({"report"})))
    assert [(e.concerns.detail, e.concerns.row_count) for e in reports][-2:] == [
        ("referrals list", 4),
        ("referrals list", 4),
    ]


def test_set_records_one_change_and_says_why_it_would_not(front, clock):
    make_the_four(front, clock)
    db = front.settings.db
    env = {"FRONTDOOR_USER": "s.patel"}
    done = run(db, "set", R4.lower(), "accepted", "--at", "2026-10-29 14:00", env=env)
    assert (done.exit_code, done.stdout) == (
        0,
        f"{R4} is accepted from Thu 2026-10-29 14:00 GMT, by s.patel\n",
    )
    assert front.referrals.get(R4).history[-1].by == "s.patel"

    held = run(db, "set", R4, "on hold", "--note", "In hospital", "--at", "2026-10-30T09:00")
    assert held.exit_code == 1
    assert held.stderr == (
        f"frontdoor: refused: {R4}: an accepted referral cannot become on-hold "
        "(it can become in-progress, completed, cancelled)\n"
    )
    assert run(db, "set", "R-2026-000099", "accepted", "--at", "2026-10-30T09:00").exit_code == 1

    for args, words in [
        ((R4, "cancelled"), "frontdoor: cancelled needs the reason: give it with --note\n"),
        ((R4, "done"), "frontdoor: 'done' is not a referral state: the states are requested,"),
        ((R4, "completed", "--by", "x" * 201), "frontdoor: --by is longer than 200 characters"),
        (
            (R4, "completed", "--at", "2026-03-29T01:30"),
            "frontdoor: --at: 2026-03-29T01:30 did not happen",
        ),
        (
            (R4, "completed", "--at", "2099-01-01T09:00"),
            "frontdoor: --at 2099-01-01T09:00:00Z is in the future",
        ),
    ]:
        usage = run(db, "set", *args)
        assert usage.exit_code == 2 and usage.stderr.startswith(words), usage.stderr
    assert front.referrals.get(R4).state == "accepted"


def test_files_that_cannot_be_read_and_times_that_name_no_moment_are_exit_2(tmp_path, settings):
    db = settings.db
    files = {
        # a spreadsheet's "CSV" in Windows-1252: the note's é is one byte, not UTF-8's two
        "latin1.csv": b"id,state,at,by,note\nR-2026-000001,rejected,2026-04-07T10:30,,D\xe9j\xe0\n",
        "empty.csv": b"",
        "no-header.csv": b"R-2026-000001,accepted,2026-04-07T10:30,,\n",
    }
    said = {
        "latin1.csv": "is not UTF-8 text (line 2 is not): save it as UTF-8 CSV or JSON Lines",
        "empty.csv": "the file is empty: give CSV with id,state,at,by,note or JSON Lines",
        "no-header.csv": "line 1 is not the header id,state,at,by,note",
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = run(db, "update", str(path))
        assert result.exit_code == 2 and said[name] in result.stderr, result.stderr
    missing = run(db, "update", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2 and "there is no file" in missing.stderr
    for options in (["--at", "2026-10-25T01:30"], ["--state", "done"]):
        assert run(db, "list", *options).exit_code == 2
