"""A directory feed's record that a database cannot keep (a long id, a NUL byte, a lone
surrogate) is refused by its number with a reason, and the rest of the feed is saved, the
same on SQLite and PostgreSQL: before, PostgreSQL failed the whole import on it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.directory.imports import read_feed
from frontdoor.directory.model import KEPT_LENGTHS, Service
from frontdoor.directory.store import DirectoryError, DirectoryStore
from frontdoor.directory.tables import ServiceRow

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


@pytest.fixture
def store(db_url: str) -> Iterator[DirectoryStore]:
    engine = make_engine(db_url)
    yield DirectoryStore(make_session_factory(engine))
    engine.dispose()


RECORDS = [
    {"id": "good-1", "name": "Lunch club"},
    {"id": "x" * 121, "name": "A long id"},
    {"id": "nul", "name": "Lunch\x00club"},
    {"id": "lone", "name": "Carers", "description": "tea \ud83d"},
    {"id": "long-name", "name": "n" * 301},
    {"id": "tags", "name": "Tagged", "description": "", "taxonomy_terms": []},
    {"id": "good-2", "name": "Café ☕ 🧑‍🦽 עברית"},
]


def test_a_record_no_database_can_keep_is_refused_by_its_number(store, tmp_path):
    # a file name longer than the column that says where entries came from: cut, not
    # every record refused
    path = tmp_path / ("feed-" + "f" * 100 + ".json")
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    feed = read_feed(path, TODAY, "oruk")
    assert [(r.record, r.reason) for r in feed.refused] == [
        (
            2,
            "it does not fit the model: Value error, id is 121 characters long; the "
            "directory keeps at most 120",
        ),
        (
            3,
            "it does not fit the model: Value error, name holds a NUL character (U+0000), "
            "which the record cannot keep; remove it",
        ),
        (
            4,
            "it does not fit the model: Value error, description holds a lone surrogate "
            "(\\ud83d), which is not a character; give the character itself or its full "
            "surrogate pair",
        ),
        (
            5,
            "it does not fit the model: Value error, name is 301 characters long; the "
            "directory keeps at most 300",
        ),
    ]
    saved = store.save(feed.services, NOW, by="import of " + path.name)
    assert saved.added == ["good-1", "tags", "good-2"]
    assert store.get("good-2").name == "Café ☕ 🧑‍🦽 עברית"
    assert len(store.get("good-1").source) == KEPT_LENGTHS["source"]


def test_a_service_made_without_the_models_check_is_refused_before_anything_is_written(store):
    good = Service(id="good", name="Lunch club")
    unchecked = good.model_copy(update={"id": "y" * 130})
    with pytest.raises(DirectoryError, match="id is 130 characters long"):
        store.save([good, unchecked], NOW, by="test")
    assert store.ids() == frozenset()


def test_the_models_lengths_are_the_tables():
    columns = ServiceRow.__table__.columns
    assert {name: columns[name].type.length for name in KEPT_LENGTHS} == KEPT_LENGTHS
