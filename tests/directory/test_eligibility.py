"""Filters give a verdict per service: pass, fail or unknown for each, and why in words."""

from __future__ import annotations

import datetime as dt

from frontdoor.directory.eligibility import Eligibility, Filters, postcode_district
from frontdoor.directory.hours import next_opening
from frontdoor.directory.model import HoursException, OpeningHours, Service

CHECK = Eligibility(
    named_areas={
        "north east lincolnshire": frozenset({"DN31", "DN32", "DN33", "DN34", "DN35", "DN36"}),
        "cleethorpes": frozenset({"DN35"}),
    },
    bank_holidays=frozenset({dt.date(2026, 12, 25)}),
)
WEEKDAYS = OpeningHours(
    days=["mon", "tue", "wed", "thu", "fri"], opens=dt.time(9), closes=dt.time(17)
)
MONDAY_NIGHT = dt.datetime(2026, 11, 23, 20, 0)


def verdict(filters: Filters, **kwargs):
    return CHECK.check(Service(id="s", name="S", **kwargs), filters)


def test_postcode_districts():
    assert [postcode_district(t) for t in ["dn15 6xx", "DN15", "B1 1AA", "EC1A1BB", "Brigg"]] == [
        "DN15",
        "DN15",
        "B1",
        "EC1A",
        None,
    ]


def test_a_filter_not_asked_for_passes():
    fits = verdict(Filters(), min_age=18, areas=["DN35"], caller_types=["professional"])
    assert fits.states() == {
        "area": "pass",
        "age": "pass",
        "caller_type": "pass",
        "open_now": "pass",
    }
    assert fits.fits and not fits.set_aside and fits.reason == ""


def test_ages_pass_fail_or_are_not_known_and_fail_says_the_limits_and_the_age():
    child = verdict(Filters(age=12), min_age=18)
    assert (child.age, child.failed, child.fits, child.set_aside) == (
        "fail",
        ("age 18+, person is 12",),
        False,
        True,
    )
    assert verdict(Filters(age=85), min_age=5, max_age=17).failed == ("ages 5-17, person is 85",)
    assert verdict(Filters(age=30), max_age=25).failed == ("up to age 25, person is 30",)
    assert verdict(Filters(age=64), min_age=18, max_age=64).age == "pass"  # inclusive limits
    unknown = verdict(Filters(age=80))
    assert (unknown.age, unknown.not_known, unknown.fits, unknown.set_aside) == (
        "unknown",
        ("ages not known",),
        False,
        False,
    )


def test_areas_by_postcode_or_named_area_and_a_fail_says_what_it_covers():
    assert verdict(Filters(area="DN32 7DL"), areas=["North East Lincolnshire"]).area == "pass"
    assert verdict(Filters(area="Cleethorpes"), areas=["DN35"]).area == "pass"
    out = verdict(Filters(area="DN32 7DL"), areas=["Cleethorpes", "DN36"])
    assert (out.area, out.reason) == ("fail", "not in DN32: covers Cleethorpes, DN36")
    assert verdict(Filters(area="Cleethorpes"), areas=["DN31"]).reason == (
        "not in Cleethorpes: covers DN31"
    )
    assert verdict(Filters(area="DN20"), areas=[]).not_known == ("area not known",)
    # a place this table does not know, on either side, cannot be judged either way
    assert verdict(Filters(area="Louth"), areas=["DN35"]).not_known == (
        "'Louth' is not a known area",
    )
    unplaced = verdict(Filters(area="DN32 7DL"), areas=["DN35", "Wolds villages"])
    assert (unplaced.area, unplaced.reason) == (
        "unknown",
        "covers Wolds villages: not a known area",
    )


def test_caller_types():
    public = verdict(Filters(caller_type="public"), caller_types=["professional"])
    assert (public.caller_type, public.reason) == (
        "fail",
        "professional callers only, caller is public",
    )
    assert verdict(Filters(caller_type="carer"), caller_types=["carer", "public"]).fits
    assert verdict(Filters(caller_type="public")).not_known == ("who may use it not known",)


def test_open_now_says_when_it_opens_again():
    closed = verdict(Filters(open_at=MONDAY_NIGHT), hours=[WEEKDAYS])
    assert (closed.open_now, closed.reason) == ("fail", "closed now: opens Tue 09:00")
    early = verdict(Filters(open_at=dt.datetime(2026, 11, 24, 7, 0)), hours=[WEEKDAYS])
    assert early.reason == "closed now: opens today 09:00"
    weekend = verdict(Filters(open_at=dt.datetime(2026, 11, 28, 12, 0)), hours=[WEEKDAYS])
    assert weekend.reason == "closed now: opens Mon 09:00"
    assert verdict(Filters(open_at=MONDAY_NIGHT)).not_known == ("opening hours not known",)


def test_the_next_opening_skips_closed_days_bank_holidays_and_ends_within_a_week():
    training = HoursException(date=dt.date(2026, 12, 24), note="training day")
    service = Service(
        id="s",
        name="S",
        hours=[WEEKDAYS],
        hours_exceptions=[training],
        open_on_bank_holidays=False,
    )
    christmas_eve_night = dt.datetime(2026, 12, 23, 18, 0)  # a Wednesday
    # Thursday is a training day, Friday Christmas Day: the next is Monday the 28th
    assert next_opening(service, christmas_eve_night, CHECK.bank_holidays) == dt.datetime(
        2026, 12, 28, 9, 0
    )
    never = Service(id="n", name="N", hours=[WEEKDAYS.model_copy(update={"days": ["sat"]})])
    friday = dt.datetime(2026, 11, 27, 12, 0)
    assert next_opening(never, friday, CHECK.bank_holidays) == dt.datetime(2026, 11, 28, 9, 0)
    gone = Service(
        id="g",
        name="G",
        hours=[WEEKDAYS.model_copy(update={"valid_to": dt.date(2026, 11, 27)})],
    )
    assert next_opening(gone, friday.replace(hour=18), CHECK.bank_holidays) is None
    assert verdict(
        Filters(open_at=friday.replace(hour=18)), **gone.model_dump(exclude={"id", "name"})
    ).reason == ("closed now: not open in the next week")


def test_every_failure_is_said_and_unknowns_after_them():
    out = verdict(
        Filters(age=12, area="DN32 7DL", caller_type="public", open_at=MONDAY_NIGHT),
        min_age=18,
        areas=["Cleethorpes"],
        hours=[WEEKDAYS],
    )
    assert out.failures == ("area", "age", "open_now") and out.unknowns == ("caller_type",)
    assert out.reason == (
        "not in DN32: covers Cleethorpes; age 18+, person is 12; closed now: opens Tue 09:00; "
        "who may use it not known"
    )
