"""A team's file of state changes: times as teams write them, rows numbered as the file's
lines, every bad row named, rows already recorded skipped, and a move checked against the
state the earlier rows of the same file leave."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.local_time import TimeError, read_time
from frontdoor.referrals.model import Change, Referral
from frontdoor.referrals.store import ReferralError, StateChange
from frontdoor.referrals.updates import BadRow, Row, UnreadableFile, parse, plan
from tests.referrals.test_making import referred_falls_call

ZONE = "Europe/London"
HEADER = "id,state,at,by,note\n"


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-04-07T10:30", utc(2026, 4, 7, 9, 30)),  # local, summer time (BST, +01:00)
        ("2026-04-07 10:30", utc(2026, 4, 7, 9, 30)),
        ("2026-04-07T10:30Z", utc(2026, 4, 7, 10, 30)),
        ("2026-04-07T10:30:15z", utc(2026, 4, 7, 10, 30, 15)),
        ("2026-04-07T10:30+01:00", utc(2026, 4, 7, 9, 30)),
        (" 2026-11-23 10:30 ", utc(2026, 11, 23, 10, 30)),  # local, winter time (GMT)
        ("2026-03-29T02:00", utc(2026, 3, 29, 1, 0)),  # the first moment of summer time
        ("2026-10-25T01:30+00:00", utc(2026, 10, 25, 1, 30)),
    ],
)
def test_a_time_is_read_as_teams_write_it(text, moment):
    assert read_time(text, ZONE) == moment


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-03-29T01:30", "did not happen in Europe/London: the clocks went forward"),
        ("2026-10-25 01:30", "happened twice in Europe/London: the clocks went back; give"),
        ("2026-04-07", "is a day: give the time too, such as 2026-04-07T10:30"),
        ("7/4/2026 10:30", "is not a time: give it as ISO 8601"),
    ],
)
def test_a_time_that_names_no_one_moment_is_refused_saying_what_to_give(text, words):
    with pytest.raises(TimeError, match=words):
        read_time(text, ZONE)
    if "twice" in words:
        with pytest.raises(TimeError, match=r"2026-10-25T01:30\+01:00 or 2026-10-25T01:30\+00:00"):
            read_time(text, ZONE)


def test_csv_rows_are_numbered_by_the_line_they_start_on():
    content = (
        "\ufeff"  # Excel's byte order mark
        + HEADER
        + 'R-2026-000001,accepted,2026-04-07T10:30,Falls team,"Booked:\r\nvisit 9 April"\r\n'
        + "\n"
        + "r-2026-000001 , In Progress ,2026-04-09 11:00,,\n"
        + "R-2026-000001,done,tomorrow,,\n"
    )
    rows = parse(content, ZONE, "s.patel")
    assert rows == [
        Row(
            2,
            StateChange(
                "R-2026-000001",
                "accepted",
                utc(2026, 4, 7, 9, 30),
                "Falls team",
                "Booked:\r\nvisit 9 April",
            ),
        ),
        Row(5, StateChange("R-2026-000001", "in-progress", utc(2026, 4, 9, 10), "s.patel")),
        BadRow(
            6,
            "'done' is not a referral state: the states are requested, received, accepted, "
            "rejected, in-progress, on-hold, completed, cancelled; 'at' 'tomorrow' is not a "
            "time: give it as ISO 8601, such as 2026-04-07T10:30 (local time), "
            "2026-04-07T09:30Z or 2026-04-07T10:30+01:00",
        ),
    ]


def test_a_quote_never_closed_is_a_bad_row_not_a_note_swallowing_the_rest():
    content = HEADER + 'R-1,accepted,2026-04-07T10:30,x,"no end\nR-2,accepted,2026-04-07T10:30,x,\n'
    [bad] = parse(content, ZONE, "s.patel")
    assert isinstance(bad, BadRow) and bad.line == 2
    assert bad.reason.startswith("not CSV (unexpected end of data)")


def test_json_lines_are_numbered_and_a_line_separator_in_a_note_is_not_a_new_line():
    content = (
        '{"id": "R-2026-000001", "state": "rejected", "at": "2026-04-07T10:30Z",'
        ' "by": "Falls team", "note": "not housebound\u2028sees practice nurse"}\n'
        "\n"
        "[1, 2]\n"
        '{"id": "R-2026-000001", "state": "accepted", "at": "2026-04-07T10:30Z", "notes": "x"}\n'
        '{"id": "R-2026-000001", "state": "accepted", "at": "2026-04-07T10:30Z", "by": "'
        + "x"
        * 201
        + '"}\n'
        "{not json\n"
        '{"id": "R-2026-000001", "state": "accepted", "at": "2026-04-07 10:30", "by": "\\u0000"}\n'
    )
    rows = parse(content, ZONE, "s.patel")
    assert rows[0] == Row(
        1,
        StateChange(
            "R-2026-000001",
            "rejected",
            utc(2026, 4, 7, 10, 30),
            "Falls team",
            "not housebound\u2028sees practice nurse",
        ),
    )
    assert [(r.line, r.reason) for r in rows[1:] if isinstance(r, BadRow)] == [
        (3, "not a JSON object with id, state, at, by, note"),
        (4, "'notes' is not a key (the keys are id, state, at, by, note)"),
        (5, "'by' is longer than 200 characters: give who said so"),
        (6, "not JSON (Expecting property name enclosed in double quotes, at column 2)"),
        (7, "'by' holds a NUL character"),
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "the file is empty"),
        (" \n\n", "the file is empty"),
        (HEADER, "the file has a header but no rows"),
        ("id;state;at;by;note\nR-1;accepted;2026-04-07T10:30;;\n", "line 1 is not the header"),
        ("id,state,when,by,note\n", "no at: 'when' is not a column"),
        ("\nid,state,at,by,notes\n", "line 2 is not the header id,state,at,by,note"),
    ],
)
def test_a_file_that_is_neither_form_or_holds_nothing_is_unreadable(content, words):
    with pytest.raises(UnreadableFile, match=words):
        parse(content, ZONE, "s.patel")


def referral(referral_id: str, *history: Change) -> Referral:
    return Referral(
        id=referral_id,
        contact_id="c1",
        service_id="falls-prevention-service",
        service_name="Falls Prevention Service",
        made_at=history[0].at,
        due_at=utc(2026, 4, 8, 22, 59, 59),
        respond_within="2 working days",
        history=history,
    )


MADE = Change("requested", utc(2026, 4, 2, 14), "h.jones")
HELD = {
    "R-2026-000001": referral("R-2026-000001", MADE),
    "R-2026-000002": referral(
        "R-2026-000002", MADE, Change("accepted", utc(2026, 4, 7, 9), "Falls team")
    ),
}


def planned(csv_rows: str, now: dt.datetime | None = None):
    return plan(parse(HEADER + csv_rows, ZONE, "s.patel"), HELD.get, now)


def test_rows_recorded_already_are_skipped_and_later_rows_follow_the_earlier():
    result = planned(
        "R-2026-000002,accepted,2026-04-07T10:00,Falls team,\n"  # in its history (09:00Z)
        "R-2026-000001,received,2026-04-03T09:00,Falls team,\n"
        "R-2026-000001,received,2026-04-03T09:00,Falls team,\n"  # the same row twice
        "R-2026-000001,accepted,2026-04-07T09:00,Falls team,\n"  # from the row above's state
        "R-2026-000002,completed,2026-04-20T16:00,Falls team,\n"
    )
    assert result.bad == [] and result.skipped == [2, 4]
    assert [(c.referral_id, c.state) for c in result.changes] == [
        ("R-2026-000001", "received"),
        ("R-2026-000001", "accepted"),
        ("R-2026-000002", "completed"),
    ]


def test_every_bad_row_is_named_with_every_reason():
    result = planned(
        "R-2026-000001,accepted,2026-04-07T09:00,Falls team,\n"
        "R-2026-000001,on-hold,2026-04-06T09:00,Falls team,\n"
        "R-2026-000002,cancelled,2026-04-08T09:00,Falls team,\n"
        "R-2026-000009,accepted,2026-04-08T09:00,Falls team,\n"
        "R-2026-000001,completed,2026-12-25T09:00,Falls team,\n",
        now=utc(2026, 4, 9, 12),
    )
    assert [(b.line, b.reason) for b in result.bad] == [
        (
            3,
            "R-2026-000001: an accepted referral cannot become on-hold (it can become "
            "in-progress, completed, cancelled); 2026-04-06T08:00:00Z is before its last "
            "change (accepted at 2026-04-07T08:00:00Z); changes may not go back in time; "
            "on-hold needs a reason (a note)",
        ),
        (4, "R-2026-000002: cancelled needs a reason (a note)"),
        (5, "there is no referral R-2026-000009"),
        (
            6,
            "R-2026-000001: 2026-12-25T09:00:00Z is in the future (it is now "
            "2026-04-09T12:00:00Z): give the time it happened",
        ),
    ]


def test_a_file_applied_with_one_change_refused_writes_none_of_it(door, clock):
    front = door  # on either database: PostgreSQL moves them by psycopg itself
    call = referred_falls_call(front, clock)
    [made] = front.referrals.made_in(call.contact_id)
    later = clock.now + dt.timedelta(hours=1)
    changes = [
        StateChange(made.id, "accepted", later, "Falls team"),
        # checked when the file was read, but another workstation got there first
        StateChange(made.id, "received", later, "Falls team"),
    ]
    with pytest.raises(ReferralError, match="an accepted referral cannot become received"):
        front.referrals.apply_all(changes, source="update")
    assert front.referrals.get(made.id).history == made.history
    assert front.referrals.apply_all(changes[:1], source="update") == 1
    moved = front.referrals.get(made.id)
    assert moved.state == "accepted" and moved.history[-1].at == later
    assert [c.state for c in moved.history] == ["requested", "accepted"]
