"""Nothing personal leaves in a report. Tried: the MI report in all four formats printed
the unmet need "falls for ottoline fairweather 9434765919". Search texts are cleaned of
the contact's names and of anything that looks like a name, number, date or postcode
before needs are grouped, so that falls for one person and falls for another are one
need."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.mi.formats import FORMATS, render
from frontdoor.mi.period import Period
from frontdoor.mi.report import build_report
from frontdoor.mi.search_text import cleaned, name_words

END = WrapUp(outcome="advice", demand="new_need", category="physical_health")
# (the contact, the searches its handler typed, none chosen from)
CONTACTS = [
    (
        NewContact(
            handler="h", subject_name="Ottoline Fairweather", subject_nhs_number=("9434765919")
        ),
        ["falls for ottoline fairweather 9434765919"],
    ),
    (
        NewContact(
            handler="h",
            caller="07700 900123",
            caller_name="Mr Sid Lovelace",
            subject_name="Ada Lovelace",
            subject_dob=dt.date(1941, 3, 12),
            subject_postcode="DN15 6XX",
        ),
        ["falls for ada lovelace dn15 6xx", "ring sid lovelace on 07700 900123 12/03/1941"],
    ),
    # no names given on the form: a forename of people's table is still a name
    (NewContact(handler="h"), ["carer for bartholomew 12th march 1941"]),
]
PERSONAL = [
    "ottoline",
    "fairweather",
    "9434765919",
    "ada",
    "lovelace",
    "sid ",
    "dn15",
    "6xx",
    "07700",
    "900123",
    "1941",
    "bartholomew",
]


@pytest.fixture
def report(db_url, clock):
    """A day of these contacts, reported on: on SQLite and PostgreSQL (the searches are
    counted in SQL that differs between them)."""
    front = open_front_door(load_settings(db=db_url), clock=clock, migrate=False)
    calls = front.call_service()
    for contact, searches in CONTACTS:
        call = calls.start(contact)
        for text in searches:
            call.record_search(text, [])  # nothing found
        call.end_call()
        call.wrap_up(END)
    today = clock.now.date()
    made = build_report(
        front.sessions,
        Period(today, today),
        front.mi_settings(),
        clock.now + dt.timedelta(hours=1),
        {},
        front.matches_now,
    )
    yield made, front.report_labels()
    front.engine.dispose()


def test_no_format_of_the_report_holds_a_name_and_falls_for_anyone_are_one_need(report):
    made, labels = report
    for fmt in FORMATS:
        text = render(made, fmt, labels).lower()
        assert "falls for [name]" in text, fmt  # the need is kept
        found = [p for p in PERSONAL if p in text]
        assert not found, (fmt, found)
    by_query = {u.query: u for u in made.unmet_need}
    assert set(by_query) == {
        "falls for [name] [number]",
        "ring [name] on [number] [date]",
        "carer for [name] [date]",
    }
    falls = by_query["falls for [name] [number]"]
    assert falls.count == 2
    assert falls.variants == ("falls for [name] [number]", "falls for [name] [postcode]")


@pytest.mark.parametrize(
    ("text", "names", "shown"),
    [
        (
            "falls for ottoline fairweather 9434765919",
            ["Ottoline Fairweather"],
            "falls for [name] [number]",
        ),
        ("blue badge mrs o'brien-smith", ["Mrs O'Brien-Smith"], "blue badge [name]"),
        ("ottoline's carer", ["Ottoline Fairweather"], "[name]'s carer"),
        ("meals for margaret 943 476 5919", [], "meals for [name] [number]"),
        ("born 2/3/1950 in dn15 6xx", [], "born [date] in [postcode]"),
        ("call +44 (0)1632 960000", [], "call [number]"),
        # a need's own words stay, even where they are forenames too
        ("help with a gas bill", [], "help with a gas bill"),
        ("nan on the ward", [], "nan on the ward"),
        ("24 hour care for 2 weeks", [], "24 hour care for 2 weeks"),
    ],
)
def test_a_search_text_as_a_report_shows_it(text, names, shown):
    assert cleaned(text, name_words(tuple(names))) == shown
