"""The bundled demo directory: invented services in one real place, North East
Lincolnshire, that a real postcode there finds."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.console.locations import bundled_config_dir
from frontdoor.console.vocabulary import load_vocabulary
from frontdoor.directory.eligibility import Eligibility, Filters
from frontdoor.directory.listed import Listed
from frontdoor.directory.search import SearchIndex, Synonyms
from frontdoor.directory.service_file import bundled_demo_files, read_service_file

BOROUGH = frozenset({"DN31", "DN32", "DN33", "DN34", "DN35", "DN36", "DN37", "DN40", "DN41"})
# the search box's own example, and what a carer asked for when the directory failed her
WANTED = {
    "district nurse": "district-nursing",
    "falls prevention": "falls-prevention-service",
    "meals on wheels": "community-meals",
}
LUNCH_CLUB = {"DN31 1HU": "lunch-club-eastgate", "DN32 7DL": "lunch-club-eastgate"}
LUNCH_CLUB["DN35 8LN"] = "lunch-club-seaview"


@pytest.fixture(scope="module")
def demo():
    vocabulary = load_vocabulary(bundled_config_dir())
    services = [s for path in bundled_demo_files() for s in read_service_file(path)]
    eligibility = Eligibility(named_areas=vocabulary.named_areas)
    index = SearchIndex(services, Synonyms.from_groups(vocabulary.synonym_groups), eligibility)
    return services, eligibility, index


def test_every_area_named_is_a_known_part_of_the_borough(demo):
    services, eligibility, _ = demo
    assert eligibility.districts("North East Lincolnshire") == BOROUGH
    for service in services:
        for area in service.areas:
            assert eligibility.districts(area), f"{service.id}: '{area}' is not a known area"
            assert eligibility.districts(area) <= BOROUGH, f"{service.id} covers {area}"
    assert not [s.id for s in services if "northmoor" in s.model_dump_json().lower()]


@pytest.mark.parametrize("postcode", sorted(LUNCH_CLUB))
def test_a_real_postcode_finds_the_services_a_handler_looks_for(demo, postcode):
    _, _, index = demo
    person = Filters(age=82, area=postcode, caller_type="carer")
    for query, wanted in {**WANTED, "lunch club": LUNCH_CLUB[postcode]}.items():
        found = index.find(query, limit=8, filters=person)
        assert found.results[0].service.id == wanted, query


def test_a_lunch_club_in_another_town_is_set_aside_saying_where_it_is(demo):
    _, _, index = demo
    found = index.find("lunch club", filters=Filters(area="DN35 8LN"))
    eastgate = next(r for r in found.set_aside if r.service.id == "lunch-club-eastgate")
    assert eastgate.verdict.failed == ("not in DN35: covers DN31, DN32, DN33",)


def test_a_kind_of_service_gets_the_verdict_each_of_its_services_would(demo):
    """The search checks one service of each kind (Listed.parts); every service must
    get the verdict a check of its own gives."""
    services, eligibility, index = demo
    monday_night = dt.datetime(2026, 11, 23, 20, 0)
    for filters in (
        Filters(age=12, area="DN35 8LN", caller_type="public", open_at=monday_night),
        Filters(age=70, area="Immingham", caller_type="professional"),
    ):
        for query in ("support", "lunch club", "mental health", "carers", "nursing"):
            for result in index.find(query, limit=200, filters=filters).ranked:
                assert result.verdict == eligibility.check(result.service, filters)
    kinds = {Listed.of(s).parts for s in services}
    assert 1 < len(kinds) < len(services)
