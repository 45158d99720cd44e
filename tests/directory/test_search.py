"""Search: typos, synonyms, plurals, field ranking, why each result matched."""

from __future__ import annotations

import pytest

from frontdoor.directory.model import Service
from frontdoor.directory.search import SearchIndex, Synonyms, words
from frontdoor.directory.text import html_to_text

SERVICES = [
    Service(
        id="carers",
        name="Carers Support Service",
        tags=["respite"],
        description="Help for people who look after someone.",
    ),
    Service(id="dementia-carers", name="Dementia Carers Group", description="Peer group."),
    Service(id="meals", name="Community Meals", tags=["hot meals"], description="Meals delivered."),
    Service(id="podiatry", name="Community Podiatry", description="Foot care for diabetes."),
    Service(id="ot", name="Occupational Therapy Service", description="Adaptations at home."),
    Service(id="closed", name="Carers Cafe", status="inactive"),
    Service(id="desc-only", name="Wellbeing Hub", description="Support for carers."),
]
SYNONYMS = Synonyms.from_groups(
    [
        ["meals on wheels", "community meals"],
        ["chiropody", "podiatry"],
        ["OT", "occupational therapy"],
    ]
)


@pytest.fixture(scope="module")
def index():
    return SearchIndex(SERVICES, SYNONYMS)


def ids(results):
    return [r.service.id for r in results]


def test_plurals_and_endings_fold_to_one_stem():
    assert words("The Carers' Support") == ["carer", "support"]
    assert words("bereaved") == words("bereavement")
    assert words("counselling") == words("counseling")
    assert words("families") == words("family")


def test_name_ranks_above_description(index):
    results = index.search("carer")
    assert ids(results)[:2] in (["carers", "dementia-carers"], ["dementia-carers", "carers"])
    assert ids(results)[2] == "desc-only"  # exact in description, above typos anywhere


def test_whole_words_rank_above_typos(index):
    assert ids(index.search("carers support"))[0] == "carers"
    results = index.search("carers suport")
    assert ids(results)[0] == "carers"
    assert 'for "suport"' in results[0].why


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("meals on wheels", "meals"),
        ("chiropody", "podiatry"),
        ("OT", "ot"),
        ("ocupational therapy", "ot"),
        ("podiatary", "podiatry"),
    ],
)
def test_callers_words_find_the_directorys(index, query, expected):
    assert ids(index.search(query))[0] == expected


@pytest.mark.parametrize("query", ["scared", "rare", "pare"])
def test_a_different_first_letter_is_another_word_not_a_typo(index, query):
    """ "scared" read as a typo of "care" put the carers' services first for a frightened
    caller; a typo is looked for among words with the query's first letter."""
    assert not [r for r in index.search(query) if "care" in r.why]


def test_synonym_matches_say_so(index):
    assert 'means "chiropody"' in index.search("chiropody")[0].why


def test_inactive_services_are_left_out_unless_asked(index):
    assert "closed" not in ids(index.search("carers cafe"))
    assert "closed" in ids(index.search("carers cafe", include_inactive=True))


def test_nothing_for_an_empty_or_stopword_query(index):
    assert index.search("") == [] and index.search("the and of") == []


def test_short_words_are_not_fuzzed(index):
    assert index.search("xo") == []


def test_html_becomes_text():
    assert html_to_text("<p>Tea &amp; cake</p><ul><li>Mon</li></ul><script>x</script>") == (
        "Tea & cake\n\n- Mon"
    )


def test_an_entry_not_checked_for_a_year_is_marked_stale():
    import datetime as dt

    old = Service(id="old", name="Carers Group", assured_date=dt.date(2025, 1, 1))
    result = SearchIndex([old]).search("carers", today=dt.date(2026, 11, 23))[0]
    assert result.stale


def test_each_result_says_why_in_the_directorys_words(index):
    result = index.search("carers suport")[0]
    assert result.why == 'name: "carers"; name: "support" (for "suport")'


@pytest.mark.parametrize("query", ["carers", "cafe", "chiropody", "OT", "xyzzy", "the", "mealz"])
def test_finds_says_whether_a_search_finds_a_service(index, query):
    assert index.finds(query) == bool(index.search(query, limit=1))


def test_finds_leaves_out_inactive_services(index):
    assert index.finds("carers") and not index.finds("cafe")  # only Carers Cafe, inactive


@pytest.mark.parametrize(
    "said",
    ["down since my wife died", "lost my husband", "passed away", "widower", "anxious"],
)
def test_a_callers_own_words_find_the_demo_directorys_service(front, said):
    """Found by a fresh pair of eyes: a bereaved caller's words found the hospice (for
    "dying"), Dietetics (for "die") and Singing for the Brain (for "since"), never the
    bereavement service; "anxious" found nothing."""
    wanted = {"bereavement-support"} if said != "anxious" else {"talking-therapies"}
    assert wanted <= {r.service.id for r in front.index.search(said)[:3]}
