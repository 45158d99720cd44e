"""Filters: ages, areas, caller types; "not known" keeps a service and says so."""

from __future__ import annotations

import datetime as dt

from frontdoor.directory.eligibility import Eligibility, Filters, postcode_district
from frontdoor.directory.model import OpeningHours, Service

CHECK = Eligibility(named_areas={"scunthorpe": frozenset({"DN15", "DN16", "DN17"})})


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


def test_age_limits_apply_and_unknown_ages_are_kept_and_said():
    assert not verdict(Filters(age=80), min_age=18, max_age=64).kept
    assert verdict(Filters(age=64), min_age=18, max_age=64).kept  # the limits are inclusive
    unknown = verdict(Filters(age=80))
    assert unknown.kept and unknown.notes == ("ages not known",)


def test_areas_by_postcode_or_named_area():
    assert verdict(Filters(area="DN16 1AA"), areas=["Scunthorpe"]).kept
    assert verdict(Filters(area="Scunthorpe"), areas=["DN15"]).kept
    out = verdict(Filters(area="DN20 8AA"), areas=["Scunthorpe"])
    assert not out.kept and out.notes == ("outside its area",)
    assert verdict(Filters(area="DN20"), areas=[]).notes == ("area not known",)


def test_caller_types_and_status():
    assert not verdict(Filters(caller_type="public"), caller_types=["professional"]).kept
    assert verdict(Filters(caller_type="public")).notes == ("who may use it not known",)
    assert not verdict(Filters(), status="inactive").kept
    assert verdict(Filters(include_inactive=True), status="inactive").kept


def test_open_now():
    hours = [OpeningHours(days=["mon"], opens=dt.time(9), closes=dt.time(17))]
    monday_night = dt.datetime(2026, 11, 23, 20, 0)
    assert not verdict(Filters(open_at=monday_night), hours=hours).kept
    assert verdict(Filters(open_at=monday_night)).notes == ("opening hours not known",)
