"""No name, date of birth, postcode, phone or NHS number reaches a log line or a printed
error, whatever fails. A day of simulated calls and contacts that name people, then
failures: a bad import file full of personal details, a constraint error whose
statement (and, on PostgreSQL, whose message) carries a person's key, a team's file with
a name where a state should be, a queue_log out of step, and on PostgreSQL a server that
stops answering mid-run. Every personal value the database holds afterwards, and every one
the bad files held, is then looked for in the log and in everything printed on stderr."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.cli import main
from frontdoor.db.engine import make_engine
from frontdoor.simulation.run import ARRIVALS_A_TRANSACTION
from tests.console.driving import workers_done

TEMPLATE = json.loads(
    (Path(__file__).parents[1] / "mi" / "march.jsonl").read_text().splitlines()[0]
)
DOB, POSTCODE, NHS = "1941-03-12", "DN15 6XX", "9434765919"
NAME, PHONE = "Ottoline Fairweather", "+447700900123"
KEY = f"{NAME.lower()}|{DOB}|{POSTCODE.replace(' ', '')}"


def contact_line(number: int, **fields: object) -> str:
    line = TEMPLATE | {"id": f"named-{number}", "caller_key": PHONE, "subject_key": KEY}
    return json.dumps(line | fields)


def bad_import_file(folder: Path) -> Path:
    """Each line refused, each for a field holding someone's details."""
    path = folder / "bad.jsonl"
    lines = [
        contact_line(1, caller_type=NAME),
        contact_line(2, outcome=f"{NHS} {POSTCODE}"),
        contact_line(3, received_at=f"{DOB} {NAME}"),
        contact_line(4, channel=PHONE),
        contact_line(5)[:-40],  # cut short: not JSON
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def needles(url: str) -> set[str]:
    """Every personal value the database holds, in the forms it may be printed in."""
    found: set[str] = set()
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT caller_key, subject_key, caller_name, subject_name, subject_dob, "
                "subject_postcode, subject_nhs_number FROM contacts UNION ALL "
                "SELECT phone, NULL, NULL, name, dob, postcode, nhs_number FROM people"
            )
        ).all()
    engine.dispose()
    for row in rows:
        for value in row:
            if value is None:
                continue
            value = str(value)
            found.add(value)
            found.update(part for part in value.split("|") if len(part) > 3)
            if re.fullmatch(r"\+44\d+", value):
                found.update({"0" + value[3:], value[3:]})  # as dialled
            if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
                day = dt.date.fromisoformat(value)
                found.update({f"{day:%d/%m/%Y}", f"{day:%d/%m/%y}"})
            found.update(w for w in re.findall(r"[A-Za-z]{4,}", value) if " " in value)
    return {n.lower() for n in found}


def stops_answering_after(url: str, contacts: int) -> None:
    """PostgreSQL ends the connection that writes the contact after `contacts` (as a
    server restarting or a network failing does), once."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE FUNCTION stop_answering() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF (SELECT count(*) FROM contacts) > {contacts} THEN "
                "DROP TRIGGER stop_answering ON contacts; "
                "PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER stop_answering AFTER INSERT ON contacts FOR EACH ROW "
                "EXECUTE FUNCTION stop_answering()"
            )
        )
    engine.dispose()


def test_a_day_with_failures_leaves_nothing_personal_in_the_log_or_on_stderr(
    db_url, tmp_path, monkeypatch
):
    log = tmp_path / "frontdoor.log"
    monkeypatch.setenv("FRONTDOOR_DB", db_url)
    monkeypatch.setenv("FRONTDOOR_LOG_FILE", str(log))
    printed: list[str] = []  # whatever may be an error, or hold one

    def frontdoor(*args: str, exit_code: int = 0) -> None:
        result = CliRunner().invoke(main, list(args))
        assert result.exit_code == exit_code, (args, result.output)
        printed.append(result.stderr if exit_code == 0 else result.output)

    good = tmp_path / "named.jsonl"
    good.write_text(f"{contact_line(1)}\n{contact_line(2, subject_key=NHS)}\n")
    frontdoor("contacts", "import", str(good))
    # a bad file: every line refused, nothing loaded
    frontdoor("contacts", "import", str(bad_import_file(tmp_path)), exit_code=1)
    # a constraint the database enforces: its error carries the statement's values (and
    # PostgreSQL's message the key: "DETAIL: Key (subject_key)=(...) already exists")
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE UNIQUE INDEX one_key ON contacts (subject_key)"))
    engine.dispose()
    again = tmp_path / "again.jsonl"
    again.write_text(contact_line(3) + "\n")
    frontdoor("contacts", "import", str(again), exit_code=3)
    # a team's file with a name where the state goes, and a queue_log out of step
    update = tmp_path / "update.jsonl"
    update.write_text(json.dumps({"id": "R-1", "state": NAME, "at": "2026-03-02T10:00"}) + "\n")
    frontdoor("referrals", "update", str(update), exit_code=1)
    queue_log = tmp_path / "queue_log"
    queue_log.write_text(f"{PHONE}|c-1|public|NONE|ENTERQUEUE||{PHONE}|1\n1|c-1|q|NONE|{NAME}|\n")
    frontdoor("queue", "ingest", str(queue_log), exit_code=1)
    # a day of simulated calls; PostgreSQL stops answering part way through it
    # (the day after the contacts imported above: a simulation writes days of its own)
    day = ["simulate", "--days", "1", "--calls-per-month", "600", "--start", "2026-03-03"]
    if db_url.startswith("postgresql"):
        # a simulation commits every ARRIVALS_A_TRANSACTION arrivals and a failure rolls
        # back what followed the last commit: enough calls that some are kept, with the
        # callers' numbers a log must not hold
        day[day.index("600")] = "12000"
        stops_answering_after(db_url, ARRIVALS_A_TRANSACTION + 50)
        frontdoor(*day, exit_code=3)
        # the server's own words ("terminating connection...") when the failing statement
        # went alone; libpq's ("server closed the connection...") when it went in a
        # pipeline (a call's start): the same failure, told as the database not answering
        assert "did not answer (" in printed[-1] and "connection" in printed[-1]
    else:
        frontdoor(*day)

    personal = needles(db_url) | {NAME.lower(), "ottoline", "fairweather", NHS, PHONE, DOB}
    personal |= {POSTCODE.lower(), "dn156xx"}
    assert {KEY.lower(), NHS, PHONE, "07700900123", "12/03/1941"} <= personal
    assert len(personal) > 20  # the simulated callers' numbers among them
    logged = log.read_text().lower()
    assert '"error": "integrityerror"' in logged  # the failures were logged, as types
    for where, haystack in [("log", logged), *(("stderr", p.lower()) for p in printed)]:
        found = sorted(n for n in personal if n in haystack)
        assert not found, (where, found, haystack[:2000])


def test_a_database_error_names_no_value_of_its_statement(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE person (nhs TEXT UNIQUE, name TEXT)"))
        connection.execute(text("INSERT INTO person VALUES (:n, :m)"), {"n": NHS, "m": NAME})
    with pytest.raises(IntegrityError) as raised, engine.begin() as connection:
        connection.execute(text("INSERT INTO person VALUES (:n, :m)"), {"n": NHS, "m": NAME})
    engine.dispose()
    assert NHS not in str(raised.value) and NAME not in str(raised.value)
    assert "hidden" in str(raised.value)


async def test_a_worker_that_fails_on_a_persons_details_logs_and_shows_none_of_them(front):
    """The database refuses the new contact's row (a trigger stands in for any constraint):
    the error that reaches the console's worker carries the statement and its values."""
    with front.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON contacts WHEN NEW.subject_name IS NOT "
                "NULL BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await workers_done(app)
        await pilot.press("n")
        form = {"caller": "07700 900123", "caller_name": "Sid Lovelace", "subject_name": NAME}
        for name, value in {**form, "subject_nhs_number": NHS, "subject_dob": "12/03/1941"}.items():
            app.screen.query_one(f"#{name}").value = value
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        told = [n.message for n in app._notifications]
    assert any("refused the work (IntegrityError)" in message for message in told), told
    logged = front.settings.log_file.read_text()
    assert '"event": "worker_failed"' in logged and '"error": "IntegrityError"' in logged
    personal = [NAME, "Lovelace", NHS, "07700", "900123", "1941"]
    for where, haystack in [("log", logged), *(("notice", m) for m in told)]:
        assert not [p for p in personal if p in haystack], (where, haystack)
