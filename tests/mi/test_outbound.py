"""A call the SPA makes to a caller (an outbound follow-up) is no one's demand: it stays
out of first-contact resolution, demand, failure demand and the queue's figures, and is
not the caller coming back when verified FCR looks for a repeat."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.db.migrate import upgrade
from frontdoor.interactions.export import contact_to_line
from frontdoor.interactions.jsonl import Vocabularies, parse_lines
from frontdoor.interactions.model import OUTBOUND, Contact
from frontdoor.mi.bench import write_contacts
from frontdoor.mi.figures import Figures
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.report import build_report
from frontdoor.mi.unmet import no_directory

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
AS_OF = dt.datetime(2026, 4, 20, tzinfo=dt.UTC)  # every repeat window has closed


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC)


def closed(contact_id: str, channel: str, received: dt.datetime, **fields) -> Contact:
    phone = channel == "phone"
    values = {
        "id": contact_id,
        "channel": channel,
        "caller_type": "public",
        "caller_key": "+441632960111",
        "subject_key": None,
        "consent_record": True,
        "consent_share": True,
        "category": "social_care",
        "queue": "public" if phone else None,
        "handler": "h.jones",
        "received_at": received,
        "offered_at": received if phone else None,
        "answered_at": received + dt.timedelta(seconds=10) if phone else None,
        "abandoned_at": None,
        "ended_at": received + dt.timedelta(minutes=5),
        "wrap_ended_at": received + dt.timedelta(minutes=7) if phone else None,
        "outcome": "signposted",
        "demand": "new_need",
        "notes": None,
    }
    return Contact.without_personal_details(**{**values, **fields})


@pytest.fixture
def sessions(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    write_contacts(
        factory,
        [
            # the caller rang on Monday 2 March, was signposted, and the handler promised
            # to ring back; she did on Tuesday (tagged as the wrap-up suggested before
            # outbound calls were told apart: a repeat)
            closed("in-1", "phone", at(2, 9)),
            closed("out-1", OUTBOUND, at(3, 14), outcome="advice", demand="repeat_contact"),
        ],
    )
    yield factory
    engine.dispose()


def test_an_outbound_call_back_counts_in_no_demand_fcr_or_queue_figure(sessions):
    report = build_report(sessions, MARCH, MiSettings(), AS_OF, {}, no_directory).to_json()
    assert (report["contacts"], report["handled"]) == (2, 1)  # the call made is a contact
    assert report["fcr_declared"]["overall"] == {"rate": 1.0, "n": 1}
    assert set(report["fcr_declared"]["by_channel"]) == {"phone"}
    # the call-back two days later is not the caller coming back: still verified
    assert report["fcr_verified"]["overall"] == {"rate": 1.0, "n": 1}
    assert report["failure_demand"]["share"] == {"rate": 0.0, "n": 1}
    assert sum(report["by_hour"].values()) == 1
    queue = report["queue"]
    assert (queue["offered"], queue["answered"]) == (1, 1)
    with sessions() as session:
        shares = Figures(session, MARCH, MiSettings(), AS_OF).queue_shares()
    assert (shares.total.fcr_declared, shares.total.failure_demand_share) == (1.0, 0.0)


def test_an_outbound_contact_goes_out_and_back_in_as_a_contacts_file_line():
    call_back = closed("out-1", OUTBOUND, at(3, 14))
    none = Vocabularies(frozenset(), frozenset(), frozenset(), frozenset())
    [line], bad = parse_lines([contact_to_line(call_back)], none)
    assert bad == [] and line.channel == OUTBOUND and line.offered_at is None
