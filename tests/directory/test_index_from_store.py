"""The index the console builds reads the directory from the database as columns (never a
whole service each) and reads back by id only the services a search shows: what it finds,
and what it shows of each, must be what an index of the whole services finds and shows."""

from __future__ import annotations

import datetime as dt

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.directory.eligibility import Eligibility, Filters
from frontdoor.directory.model import HoursException, OpeningHours, Phone, Service
from frontdoor.directory.search import SearchIndex, Synonyms
from frontdoor.directory.store import DirectoryStore

NOW = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
TODAY = NOW.date()
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
AREAS = Eligibility(named_areas={"scunthorpe": frozenset({"DN15", "DN16", "DN17"})})
SYNONYMS = Synonyms.from_groups([["OT", "occupational therapy"]])
SERVICES = [
    Service(
        id="cafe",
        name="Memory Café",  # not ASCII: kept in the database as an escape
        description="A café for people living with dementia and their carers",
        tags=["dementia", "café", "carers' support"],
        areas=["DN15", "DN16"],
        min_age=50,
        hours=[OpeningHours(days=["tue"], opens=dt.time(10), closes=dt.time(12))],
        phones=[Phone(number="01724 296500", label="bookings", extension="12")],
        assured_date=dt.date(2026, 6, 1),
    ),
    Service(
        id="ot",
        name="Occupational Therapy",
        organisation='North Lincolnshire "Adult" Services',
        tags=['aids "and" adaptations'],  # a quote: escaped in the JSON
        areas=["Scunthorpe"],
        caller_types=["professional", "carer"],
        hours=[OpeningHours(days=WEEKDAYS, opens=dt.time(9), closes=dt.time(17))],
        hours_exceptions=[HoursException(date=TODAY, closed=True, note="training day")],
        open_on_bank_holidays=False,
    ),
    Service(
        id="carers",
        name="Carers Support Group",
        description="support for unpaid carers",
        tags=["carers"],
        areas=["DN15", "DN16"],  # the café's areas: one kind for the area filter
        min_age=18,
        max_age=99,
        assured_date=dt.date(2024, 1, 5),  # not checked for 12 months
    ),
    Service(id="closed", name="Carers Drop-in", status="closed", tags=["carers"]),
    Service(
        id="night",
        name="Night Sitting for Carers",
        tags=["carers", "respite"],
        hours=[OpeningHours(days=WEEKDAYS, opens=dt.time(22), closes=dt.time(6))],
        caller_types=["public"],
    ),
]
# "u00e9": the escape of é in the JSON the database keeps, never a word of the tags
QUERIES = [
    "carers",
    "cafe",
    "café",
    "u00e9",
    "OT",
    "adaptations",
    "dementia carers",
    "cares",
    "night",
]
FILTERS = [
    Filters(),
    Filters(age=80, area="DN15 7AB", caller_type="carer"),
    Filters(area="DN40", open_at=dt.datetime(2026, 11, 24, 10, 45)),
    Filters(age=20, open_at=dt.datetime(2026, 11, 24, 23, 0), include_inactive=True),
]


def _store(db_url: str) -> DirectoryStore:
    store = DirectoryStore(make_session_factory(make_engine(db_url)))
    store.save(SERVICES, NOW, "test")
    return store


def test_an_index_read_from_the_database_finds_and_shows_what_one_of_the_services_does(db_url):
    store = _store(db_url)
    whole = SearchIndex(SERVICES, SYNONYMS, AREAS)
    read = SearchIndex(store.listed(batch=2), SYNONYMS, AREAS, details=store)
    assert len(read) == len(SERVICES)
    for query in QUERIES:
        for filters in FILTERS:
            expected = whole.find(query, filters=filters, today=TODAY)
            found = read.find(query, filters=filters, today=TODAY)
            assert found == expected, (query, filters)
    assert [r.service.id for r in read.search("carers", today=TODAY)] == [
        "carers",
        "night",
        "cafe",
    ]


def test_the_services_shown_are_the_stores_own(db_url):
    store = _store(db_url)
    index = SearchIndex(store.listed(), SYNONYMS, AREAS, details=store)
    shown = index.find("carers", filters=FILTERS[1], today=TODAY).ranked
    assert len(shown) == 3
    for result in shown:
        assert result.service == store.get(result.service.id)
    # and those a script names, by id
    assert index.by_id["ot"] == store.get("ot")
    assert "nowhere" not in index.by_id
    assert index.services(["ot", "nowhere", "cafe"]) == {
        "ot": store.get("ot"),
        "cafe": store.get("cafe"),
    }


def test_a_service_corrected_since_the_build_shows_as_it_is_now(db_url):
    store = _store(db_url)
    index = SearchIndex(store.listed(), SYNONYMS, AREAS, details=store)
    corrected = store.get("night")
    assert corrected is not None
    corrected = corrected.model_copy(update={"phones": [Phone(number="01724 000000")]})
    store.update(corrected, NOW, "lead")
    [result] = index.search("night sitting", today=TODAY)
    assert result.service.phones == corrected.phones
