"""Each test's database is a copy of one migrated once per run: at the newest revision,
the test's own, and (for `front`) holding the demo directory as loading it would."""

from __future__ import annotations

from sqlalchemy import text

from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.db.engine import make_engine
from frontdoor.db.migrate import current_revision, head_revision
from tests.conftest import START, FakeClock


def claims(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM call_claims")).scalar_one()
    engine.dispose()  # nothing may stay connected to a PostgreSQL template
    return count


def test_a_copied_database_is_at_the_newest_revision_and_the_tests_own(db_url, request):
    engine = make_engine(db_url)
    assert current_revision(engine) == head_revision(engine)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO call_claims (callid, handler, at) VALUES ('1.1', 'h', :at)"),
            {"at": START},
        )
    engine.dispose()
    assert claims(db_url) == 1
    if db_url.startswith("sqlite"):
        template = f"sqlite:///{request.getfixturevalue('sqlite_template')}"
    else:
        admin = request.getfixturevalue("postgres_admin")
        name = request.getfixturevalue("postgres_template")
        template = admin.url.set(database=name).render_as_string(hide_password=False)
    assert claims(template) == 0


def test_front_holds_the_demo_directory_as_loading_it_gives(front, tmp_path):
    loaded = open_front_door(
        load_settings(db=f"sqlite:///{tmp_path / 'loaded.db'}"), clock=FakeClock()
    )
    count = loaded.load_demo_directory()
    assert front.directory.count() == count > 0
    assert front.directory.all() == loaded.directory.all()
    (service,) = front.directory.all()[:1]
    assert front.directory.changes(service.id)[0].at == START
    assert [r.service.id for r in front.index.search("lunch club")] == [
        r.service.id for r in loaded.index.search("lunch club")
    ]
    loaded.engine.dispose()
