"""The migrations build exactly the tables the packages declare, and run twice safely."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import frontdoor.directory.tables
import frontdoor.interactions.tables
import frontdoor.mi.tables
import frontdoor.people.tables
import frontdoor.referrals.tables
import frontdoor.telephony.tables
import frontdoor.triage_scripts.tables  # noqa: F401
from frontdoor.db.base import Base
from frontdoor.db.engine import make_engine
from frontdoor.db.migrate import current_revision, head_revision, upgrade


def test_migrations_match_the_models_and_are_idempotent(empty_db_url):
    engine = make_engine(empty_db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_a_database_from_the_first_release_upgrades_with_its_data(tmp_path):
    import datetime as dt

    from sqlalchemy import text

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO services (id, name, description, phones, tags, status, source, "
                "updated_at) VALUES ('s1', 'Lunch club', '', :phones, '[]', 'active', 'local', "
                ":now)"
            ),
            {"now": dt.datetime(2026, 1, 1), "phones": '["0113 496 0001"]'},
        )
    upgrade(engine)
    from frontdoor.db.engine import make_session_factory
    from frontdoor.directory.store import DirectoryStore

    (service,) = DirectoryStore(make_session_factory(engine)).all()
    assert service.name == "Lunch club" and service.phones[0].e164 == "+441134960001"
    assert service.hours == [] and service.caller_types == []
    engine.dispose()


def test_contacts_held_before_people_are_linked_by_their_exact_subject_key(empty_db_url):
    import datetime as dt

    import sqlalchemy as sa

    from frontdoor.db.base import UTCDateTime

    engine = make_engine(empty_db_url)
    upgrade(engine, "0006")
    contacts = sa.table(
        "contacts",
        *(sa.column(c) for c in ("id", "status", "channel", "caller_type", "caller_key")),
        *(sa.column(c) for c in ("subject_key", "subject_name", "subject_postcode")),
        sa.column("subject_dob", sa.Date),
        sa.column("interpreter_needed", sa.Boolean),
        sa.column("received_at", UTCDateTime()),
    )
    key = "ann example|1941-07-04|DN312AB"
    rows = [  # (id, subject key, name as typed, days after the first)
        ("c1", key, "Ann Example", 0),
        ("c2", key, "Ann  Example", 3),
        ("c3", "9434765919", None, 1),  # imported: only its key
        ("c4", None, "Doreen Price", 2),  # no date of birth: no key, no person
    ]
    with engine.begin() as connection:
        connection.execute(
            sa.insert(contacts),
            [
                {
                    "id": cid,
                    "status": "closed",
                    "channel": "phone",
                    "caller_type": "public",
                    "caller_key": "+441632960111",
                    "subject_key": subject,
                    "subject_name": name,
                    "subject_dob": dt.date(1941, 7, 4) if subject == key else None,
                    "subject_postcode": "DN31 2AB" if name else None,
                    "interpreter_needed": False,
                    "received_at": dt.datetime(2026, 3, 2 + days, 9, tzinfo=dt.UTC),
                }
                for cid, subject, name, days in rows
            ],
        )
    upgrade(engine)
    with engine.connect() as connection:
        linked = dict(
            connection.execute(sa.text("SELECT id, person_id FROM contacts")).tuples().all()
        )
        people = {
            row.id: row
            for row in connection.execute(
                sa.text("SELECT id, name, postcode, district, nhs_number, phone FROM people")
            )
        }
        keys = dict(connection.execute(sa.text("SELECT key, person_id FROM person_keys")).all())
        links = {r for (r,) in connection.execute(sa.text("SELECT person_link FROM contacts"))}
    engine.dispose()
    assert linked["c1"] == linked["c2"] == keys[key] and linked["c3"] == keys["9434765919"]
    assert linked["c4"] is None and len(people) == 2 and links == {"subject_key", None}
    ann, nhs = people[keys[key]], people[keys["9434765919"]]
    assert (ann.name, ann.postcode, ann.district) == ("Ann  Example", "DN31 2AB", "DN31")
    assert ann.phone == "+441632960111" and nhs.nhs_number == "9434765919"


def test_the_head_the_files_declare_is_alembics_and_a_current_database_skips_alembic(
    empty_db_url,
):
    """Starts skip Alembic when the database is at the head the migration files declare
    (db/migrate.py): that head must be the one Alembic itself finds, else a database one
    migration behind would be taken for current."""
    from frontdoor.db.migrate import declared_head, is_at_head

    engine = make_engine(empty_db_url)
    assert declared_head() is not None
    assert declared_head() == head_revision(engine)
    assert not is_at_head(engine)  # empty: no alembic_version table yet
    upgrade(engine, "0013")
    assert not is_at_head(engine)
    upgrade(engine)
    assert is_at_head(engine)
    engine.dispose()


def test_a_database_of_the_last_release_with_a_directory_and_calls_upgrades(empty_db_url):
    """At 0014 with a service, its change history (which refers to it) and the queue's
    events and claims: the later migrations rebuild or widen those tables and keep every
    row. A rebuild of `services` failed here on SQLite (foreign keys on)."""
    import datetime as dt

    from sqlalchemy import text

    engine = make_engine(empty_db_url)
    upgrade(engine, "0014")
    now = dt.datetime(2026, 11, 1, 9)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO services (id, name, description, phones, tags, status, source, "
                "updated_at, caller_types, areas, hours, hours_exceptions) VALUES ('s1', "
                "'Lunch club', '', '[]', '[]', 'active', 'local', :now, '[]', '[]', '[]', '[]')"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO service_changes (service_id, at, by, action) "
                "VALUES ('s1', :now, 'import', 'create')"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO queue_events (line_hash, at, callid, queue, agent, event, data) "
                "VALUES ('h1', :now, '1.1', 'public', 'NONE', 'ENTERQUEUE', '[]')"
            ),
            {"now": now},
        )
        connection.execute(
            text("INSERT INTO call_claims (callid, handler, at) VALUES ('1.1', 'ann', :now)"),
            {"now": now},
        )
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as connection:
        counted = [
            connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("services", "service_changes", "queue_events", "call_claims")
        ]
        assert counted == [1, 1, 1, 1]
        assert connection.execute(text("SELECT capacities FROM services")).scalar() in ("[]", [])
    engine.dispose()
