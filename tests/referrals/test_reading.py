"""A referral reads the same whichever way it is read: whole through the ORM (`get`), a
contact's (`made_in`), the open ones about a caller or a person as a call starts, and a
chased one, on either database (on PostgreSQL all but `get` go to psycopg itself)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from frontdoor.referrals.model import Referral
from frontdoor.referrals.reading import REFERRALS
from frontdoor.referrals.store import StateChange
from tests.referrals.test_making import referred_falls_call


def times_of(referral: Referral) -> list[dt.datetime]:
    return [
        referral.made_at,
        referral.due_at,
        *(c.at for c in referral.history),
        *(c.at for c in referral.chases),
    ]


def test_a_referral_reads_the_same_every_way_on_either_database(door, clock):
    front = door
    referrals = front.referrals
    first = referred_falls_call(front, clock)
    [accepted] = referrals.made_in(first.contact_id)
    clock.advance(3600)
    second = referred_falls_call(front, clock)
    [chased] = referrals.made_in(second.contact_id)
    clock.advance(3600)
    [ended] = referrals.made_in(referred_falls_call(front, clock).contact_id)
    later = clock.now + dt.timedelta(hours=1)
    referrals.chase(chased.id, "team", contact_id=None, by="h.jones", at=later)
    back = referrals.chase(chased.id, "caller", contact_id=second.contact_id, by="h.smith")
    # two referrals moved in one batch (a team's file), the first of them twice
    moves = [
        StateChange(accepted.id, "received", later, "falls team"),
        StateChange(ended.id, "rejected", later, "falls team", "not eligible"),
        StateChange(accepted.id, "accepted", later + dt.timedelta(minutes=5), "falls team"),
    ]
    assert referrals.apply_all(moves, source="update") == 3

    stored = {r.id: referrals.get(r.id) for r in (accepted, chased, ended)}
    assert [(c.state, c.at) for c in stored[accepted.id].history[1:]] == [
        ("received", later),
        ("accepted", later + dt.timedelta(minutes=5)),
    ]
    assert stored[ended.id].state == "rejected" and stored[chased.id].state == "requested"
    # the row's own copy of its last state, which lists and the MI filter on
    read = select(REFERRALS.c.id, REFERRALS.c.state, REFERRALS.c.state_at)
    with front.engine.connect() as connection:
        columns = {r.id: (r.state, r.state_at.astimezone(dt.UTC)) for r in connection.execute(read)}
    assert columns == {r.id: (r.state, r.history[-1].at) for r in stored.values()}
    assert back == stored[chased.id]
    assert [c.kind for c in back.chases] == ["team", "caller"]
    assert referrals.made_in(first.contact_id) == [stored[accepted.id]]
    assert referrals.made_in(second.contact_id) == [stored[chased.id]]
    # the same person and caller every time: by any key, the two not ended, oldest due
    # first; the rejected one is never among them
    open_ones = [stored[accepted.id], stored[chased.id]]
    for key in ("caller_key", "subject_key", "person_id"):
        given = {key: getattr(accepted, key)}
        assert given[key], key
        assert referrals.open_about(**given, at=clock.now) == open_ones, key
    assert referrals.open_about(caller_key="01472 999999") == []
    # the same fields, to the zone of every time and the kind of every value
    for referral in [*open_ones, back, *referrals.made_in(first.contact_id)]:
        assert all(t.tzinfo is dt.UTC for t in times_of(referral)), referral.id
        assert isinstance(referral.red_flags, tuple)
        assert [type(v) for v in dataclasses.astuple(referral)] == [
            type(v) for v in dataclasses.astuple(stored[referral.id])
        ]
