"""Unmet need as mi-definitions.md defines it, on calls made through the call service with
the demo directory: once per contact, only when the contact chose no service for the need,
"nothing found" apart from "found, not chosen", each saying whether the directory has a
match now."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.mi.period import Period
from frontdoor.mi.report import build_report
from frontdoor.mi.unmet import SearchesMade, SearchMade, unmet_need

END = WrapUp(outcome="advice", demand="new_need", category="social_care")


@pytest.fixture
def desk(db_url, clock):
    """Front Door with the demo directory, on SQLite and on PostgreSQL (the counting is
    done in SQL that differs between them)."""
    door = open_front_door(load_settings(db=db_url), clock=clock, migrate=False)
    door.load_demo_directory()
    yield door
    door.engine.dispose()


def typed(call, text: str) -> None:
    """The search box typed into a letter at a time, as the console reports it."""
    for n in range(1, len(text) + 1):
        call.searching(text[:n], call.search(text[:n]))


def report_of(front, clock):
    today = clock.now.date()
    services = front.index.by_id
    report = build_report(
        front.sessions,
        Period(today, today),
        front.mi_settings(),
        clock.now + dt.timedelta(hours=1),
        services,
        front.matches_now,
    )
    return {(u.query, u.kind): u for u in report.unmet_need}, report


def test_unmet_need_is_what_each_contact_chose_nothing_for(desk, clock):
    front = desk
    calls = front.call_service()

    # 1. "skydiving" found nothing and Enter was never pressed: counted at the call's end
    call = calls.start(NewContact(handler="h"))
    typed(call, "skydiving")
    call.end_call()
    call.wrap_up(END)

    # 2. "crisis" found the crisis team, which was chosen from the script's suggestions
    #    (not from the search): the need was met, so it is not counted
    call = calls.start(NewContact(handler="h"))
    results = call.search("crisis")
    call.record_search("crisis", results)
    call.choose(results[0].service, "referred", from_search=False)
    call.end_call()
    call.wrap_up(END)

    # 3. and 4. "lunch club" found clubs and none was chosen, in two contacts; the first
    #    searched for it three times: once per contact, so 2
    for searches in (["lunch club", "lunch clubs", "Lunch club"], ["lunch club"]):
        call = calls.start(NewContact(handler="h"))
        for text in searches:
            call.record_search(text, call.search(text))
        call.end_call()
        call.wrap_up(END)

    # 5. "district nurse" chosen from its search: met
    call = calls.start(NewContact(handler="h"))
    results = call.search("district nurse")
    call.record_search("district nurse", results)
    call.choose(results[0].service, "referred")
    call.end_call()
    call.wrap_up(END)

    # 6. "meals on wheels" showed nothing (the filters of the call hid it, say), though
    #    the directory has it: nothing found, with a match now
    call = calls.start(NewContact(handler="h"))
    call.record_search("meals on wheels", [])
    call.end_call()
    call.wrap_up(END)

    unmet, report = report_of(front, clock)
    assert set(unmet) == {
        ("skydiving", "nothing_found"),
        ("lunch club", "not_chosen"),
        ("meals on wheels", "nothing_found"),
    }
    assert unmet["skydiving", "nothing_found"].matches_now is False
    assert unmet["skydiving", "nothing_found"].count == 1
    lunch = unmet["lunch club", "not_chosen"]
    assert (lunch.count, lunch.matches_now, lunch.variants) == (
        2,
        True,
        ("lunch club", "lunch clubs"),
    )
    assert unmet["meals on wheels", "nothing_found"].matches_now is True
    # the JSON report's entries, with the two new fields
    entries = report.to_json()["unmet_need"]
    assert entries[0] == {
        "query": "lunch club",
        "category": "social_care",
        "count": 2,
        "variants": ["lunch club", "lunch clubs"],
        "kind": "not_chosen",
        "matches_now": True,
    }
    assert {e["kind"] for e in entries} == {"nothing_found", "not_chosen"}
    assert all(isinstance(e["matches_now"], bool) for e in entries)


def test_one_need_searched_both_ways_was_found_and_not_chosen():
    """A typing error that found nothing and the same need spelt right that found the
    podiatry service, nothing chosen: one need, found and not chosen."""
    searches = [
        SearchMade("c1", "chiropdy", "physical_health", (), None),
        SearchMade("c1", "chiropody", "physical_health", ("podiatry-service",), None),
        SearchMade("c2", "chiropody", "physical_health", ("podiatry-service",), None),
    ]
    # c2 was signposted to the podiatry service its search showed: met
    made = SearchesMade([], searches, {"c2": {"podiatry-service"}})
    (need,) = unmet_need(made, lambda text: text == "chiropody")
    assert (need.query, need.kind, need.count, need.matches_now) == (
        "chiropdy",
        "not_chosen",
        1,
        True,
    )
    assert need.variants == ("chiropdy", "chiropody")


def test_searches_typed_alike_are_one_need_across_contacts():
    """Searches for "blue badge" (twice), "blu badge" and "bluebadge" found nothing in four
    contacts: one need of four contacts, shown as typed most often; "mind" is not "mine"."""
    texts = ["blue badge", "blu badge", "bluebadge", "blue badge", "mind", "mine"]
    searches = [
        SearchMade(f"c{n}", text, "general_enquiry", (), None) for n, text in enumerate(texts)
    ]
    found = unmet_need(SearchesMade([], searches, {}), lambda text: False)
    assert [(u.query, u.count, u.variants) for u in found] == [
        ("blue badge", 4, ("blu badge", "blue badge", "bluebadge")),
        ("mind", 1, ("mind",)),
        ("mine", 1, ("mine",)),
    ]


def test_typing_errors_of_one_word_are_one_need_without_the_word_itself():
    """ "poiatry" and "podiary" are each one letter from "podiatry", two from each other:
    with "podiatry" never typed they still join, through the text each was typed like."""
    texts = ["poiatry", "podiatry", "podiary"]
    searches = [SearchMade(f"c{n}", t, "physical_health", (), None) for n, t in enumerate(texts)]
    (need,) = unmet_need(SearchesMade([], searches, {}), lambda text: False)
    assert (need.count, need.variants) == (3, ("podiary", "podiatry", "poiatry"))
