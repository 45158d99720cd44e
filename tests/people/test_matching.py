"""Matching a new contact to the person index the way a master patient index does: exact
on an NHS number or a full key, otherwise scored for the handler to decide."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.people.model import Agreement, Details, Field, Match, MatchKind, Person
from frontdoor.people.names import ForenameForms, VariantsError, bundled_forms, parse_name
from frontdoor.people.scoring import (
    POSSIBLE_AT,
    PROBABLE_AT,
    compare_dobs,
    score,
    worth_asking,
)

FORMS = bundled_forms()
DOB = dt.date(1941, 7, 4)
DOREEN = Person("p-doreen", "Doreen Price", None, "DN31 2AB", None, "+447700900123")
WILLIAM = Person("p-william", "William Ashby", DOB, "DN32 7QT", "9434765919", None)


def scored(details: Details, person: Person) -> tuple[float, dict[Field, Agreement]]:
    result = score(details, person, FORMS)
    return result.total, {f.field: f.agreement for f in result.fields}


def test_bill_is_william():
    total, fields = scored(Details("Bill Ashby", DOB, "DN32 7QT"), WILLIAM)
    assert fields[Field.FORENAME] == Agreement.VARIANT
    assert total >= PROBABLE_AT


@pytest.mark.parametrize(
    ("a", "b"),
    [("Peggy", "Margaret"), ("Jim", "James"), ("Ted", "Edward"), ("Sandy", "Alexandra")],
)
def test_the_table_knows_the_common_forms(a, b):
    assert FORMS.are_forms(a, b)


def test_two_names_sharing_a_short_form_are_not_forms_of_each_other():
    # Alex is short for both; Alexander and Alexandra are still two people's names
    assert FORMS.are_forms("Alex", "Alexander") and FORMS.are_forms("Alex", "Alexandra")
    assert not FORMS.are_forms("Alexander", "Alexandra")


def test_a_typo_in_the_surname_still_matches():
    total, fields = scored(Details("Doreen Prise", postcode="DN31 2AB"), DOREEN)
    assert fields[Field.SURNAME] == Agreement.TYPO
    assert POSSIBLE_AT <= total < PROBABLE_AT


@pytest.mark.parametrize(
    ("given", "agreement"),
    [
        (dt.date(1941, 4, 7), Agreement.TRANSPOSED),
        (dt.date(1947, 7, 4), Agreement.ONE_DIGIT),
        (dt.date(1941, 7, 14), Agreement.ONE_DIGIT),
        (dt.date(1952, 3, 9), Agreement.DIFFERENT),
        (None, Agreement.UNKNOWN),
    ],
)
def test_dates_of_birth_transposed_or_a_digit_out(given, agreement):
    assert compare_dobs(given, DOB) == agreement


def test_a_transposed_date_of_birth_still_matches():
    total, _ = scored(Details("William Ashby", dt.date(1941, 4, 7)), WILLIAM)
    assert total >= POSSIBLE_AT


def test_no_date_of_birth_but_name_and_postcode_matches():
    total, fields = scored(Details("Doreen Price", postcode="dn31 2ab"), DOREEN)
    assert fields[Field.DOB] == Agreement.UNKNOWN
    assert total >= POSSIBLE_AT


def test_a_different_person_of_the_same_surname_is_not_matched():
    # her husband, same house and phone
    total, _ = scored(Details("Frank Price", None, "DN31 2AB", phone="+447700900123"), DOREEN)
    assert total < POSSIBLE_AT
    # a twin sister: same surname, birthday and house, another forename
    twin = Person("p-twin", "Doreen Price", DOB, "DN31 2AB", None, None)
    total, _ = scored(Details("Maureen Price", DOB, "DN31 2AB"), twin)
    assert total < POSSIBLE_AT


def test_a_name_alone_is_not_enough_to_ask_about_nor_is_all_but_the_name():
    assert worth_asking(score(Details("Doreen Price"), DOREEN, FORMS)) is None
    # her birthday and house, but nobody gave a name (only a title)
    with_dob = Person("p", "Doreen Price", DOB, "DN31 2AB", None, "+447700900123")
    nameless = score(Details("Mrs", DOB, "DN31 2AB", phone="+447700900123"), with_dob, FORMS)
    assert nameless.total >= POSSIBLE_AT and worth_asking(nameless) is None


def test_a_middle_name_used_as_a_forename_agrees():
    person = Person("p", "Margaret Doreen Price", None, "DN31 2AB", None, None)
    _, fields = scored(Details("Doreen Price", postcode="DN31 2AB"), person)
    assert fields[Field.FORENAME] == Agreement.SAME


def test_names_are_read_as_handlers_type_them():
    assert parse_name("Mrs  Price") == parse_name("mrs price")
    assert parse_name("Mrs Price").surname == "price" and parse_name("Mrs Price").given == ()
    assert parse_name("Séan O'Brien").given == ("sean",)
    assert parse_name("Ann Smith - Jones").surname == "smith-jones"


def test_a_bad_line_in_a_variants_file_is_named():
    with pytest.raises(VariantsError, match="line 2: write a name, a colon"):
        ForenameForms.parse("william: bill\nmargaret peggy\n")


# --- the index on each database --------------------------------------------------------


@pytest.fixture
def index(db_url):
    from frontdoor.db.engine import make_engine, make_session_factory
    from frontdoor.people.index import PersonIndex

    engine = make_engine(db_url)
    yield make_session_factory(engine), PersonIndex(make_session_factory(engine))
    engine.dispose()


NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def _kept(sessions, details: Details) -> str:
    from frontdoor.people.index import link

    with sessions() as session, session.begin():
        made = link(session, details, None, NOW)
    assert made is not None
    return made.person_id


def test_the_index_matches_exactly_then_by_score(index):
    sessions, people = index
    doreen = _kept(sessions, Details("Doreen Price", None, "DN31 2AB"))
    william = _kept(sessions, Details("William Ashby", DOB, "DN32 7QT", "9434765919"))
    _kept(sessions, Details("Frank Price", None, "DN31 2AB"))

    by_nhs = people.find(Details("W. Smith", None, None, "9434765919"))
    assert by_nhs == Match(people.person(william), MatchKind.NHS_NUMBER)
    by_key = people.find(Details("william ashby", DOB, "DN32 7QT"))
    assert by_key is not None and by_key.kind == MatchKind.SUBJECT_KEY
    assert by_key.person.id == william

    bill = people.find(Details("Bill Ashby", dt.date(1941, 4, 7), None))  # found by his dob
    assert bill is not None and bill.person.id == william and not bill.exact

    again = people.find(Details("Doreen Price", None, "DN31 2AB"))  # 20 minutes later
    assert again is not None and again.person.id == doreen and again.kind == MatchKind.POSSIBLE
    assert people.find(Details("Joan Price", None, "DN31 2AB")) is None
    # another NHS number is another person, however well the rest agrees
    assert people.find(Details("William Ashby", DOB, "DN32 7QT", "4010232137")) is None
