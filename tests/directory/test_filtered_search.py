"""Filters never hide a service: those that fit come first, those a filter could not
check next, those that fail one set aside after them, each with why."""

from __future__ import annotations

import datetime as dt

from frontdoor.directory.eligibility import Eligibility, Filters
from frontdoor.directory.model import OpeningHours, Service
from frontdoor.directory.search import SearchIndex

BOROUGH = "North East Lincolnshire"
AREAS = Eligibility(
    named_areas={
        "north east lincolnshire": frozenset({"DN31", "DN32", "DN33", "DN34", "DN35", "DN36"}),
        "cleethorpes": frozenset({"DN35"}),
    }
)
PERSON = Filters(age=85, area="DN32 7DL", caller_type="carer")


def ids(results):
    return [r.service.id for r in results]


def test_a_service_known_to_fit_comes_before_a_better_match_that_cannot_be_checked():
    services = [
        # the best words, but its feed gave no area or ages
        Service(id="unknown", name="Lunch Club Lunch Club", description="lunch club"),
        Service(id="fits", name="Lunch Club", areas=[BOROUGH], min_age=55, caller_types=["carer"]),
        Service(id="half-known", name="Lunch Club", areas=[BOROUGH], caller_types=["carer"]),
        Service(id="elsewhere", name="Lunch Club Lunch Club", areas=["Cleethorpes"]),
    ]
    found = SearchIndex(services, eligibility=AREAS).find("lunch club", filters=PERSON)
    assert ids(found.results) == ["fits", "half-known", "unknown"]
    assert [r.verdict.fits for r in found.results] == [True, False, False]
    assert found.results[2].verdict.not_known == (
        "area not known",
        "ages not known",
        "who may use it not known",
    )
    assert ids(found.set_aside) == ["elsewhere"]
    assert found.set_aside[0].verdict.failed == ("not in DN32: covers Cleethorpes",)
    assert (found.set_aside_total, found.set_aside_by) == (1, {"area": 1})
    # the plain list: the same order, set aside last
    assert ids(SearchIndex(services, eligibility=AREAS).search("lunch club", filters=PERSON)) == [
        "fits",
        "half-known",
        "unknown",
        "elsewhere",
    ]


def test_nothing_is_dropped_when_nothing_fits_and_fewest_failures_come_first():
    services = [
        Service(id="two-out", name="District Nursing", areas=["Cleethorpes"], min_age=18),
        Service(id="one-out", name="District Nursing Team", areas=["Cleethorpes"]),
    ]
    child = Filters(age=12, area="DN32 7DL")
    found = SearchIndex(services, eligibility=AREAS).find("district nursing", filters=child)
    assert found.results == ()
    assert ids(found.set_aside) == ["one-out", "two-out"]
    assert found.set_aside[1].verdict.reason == (
        "not in DN32: covers Cleethorpes; age 18+, person is 12"
    )
    assert (found.set_aside_total, found.set_aside_by) == (2, {"area": 2, "age": 1})


def test_closed_services_are_set_aside_saying_when_they_open():
    weekdays = OpeningHours(
        days=["mon", "tue", "wed", "thu", "fri"], opens=dt.time(9), closes=dt.time(17)
    )
    services = [
        Service(id="office-hours", name="Duty Team", hours=[weekdays]),
        Service(
            id="always",
            name="Duty Team Out of Hours",
            hours=[
                OpeningHours(
                    days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                    opens=dt.time(0),
                    closes=dt.time(0),
                )
            ],
        ),
        Service(id="not-said", name="Duty Team Line"),
    ]
    saturday = Filters(open_at=dt.datetime(2026, 11, 28, 11, 0))
    found = SearchIndex(services, eligibility=AREAS).find("duty team", filters=saturday)
    assert ids(found.results) == ["always", "not-said"]
    assert ids(found.set_aside) == ["office-hours"]
    assert found.set_aside[0].verdict.failed == ("closed now: opens Mon 09:00",)


def test_limits_apply_to_each_part_and_the_count_covers_every_match():
    services = [
        Service(id=f"away-{n}", name="Carers Group", areas=["Cleethorpes"]) for n in range(5)
    ] + [Service(id="here", name="Carers Group", areas=[BOROUGH])]
    found = SearchIndex(services, eligibility=AREAS).find("carers", limit=2, filters=PERSON)
    assert ids(found.results) == ["here"]
    assert len(found.set_aside) == 2 and found.set_aside_total == 5


def test_without_filters_every_service_passes():
    services = [Service(id="a", name="Carers Group", areas=["Cleethorpes"], min_age=18)]
    [result] = SearchIndex(services, eligibility=AREAS).search("carers")
    assert result.verdict.fits and result.verdict.reason == ""
