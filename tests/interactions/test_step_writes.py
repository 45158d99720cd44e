"""A step's place in its contact: taken in the statement that writes it, under the
contact's lock, so two workstations writing to one contact never share a place, and a
journal replayed later writes its steps in the order they were taken."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from frontdoor.access.audit import Actor, AuditTrail
from frontdoor.calls import journal
from frontdoor.calls.outbox import Outbox
from frontdoor.console.cli import main
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.interactions.model import (
    CallEndedWrite,
    NewContact,
    ScriptEnd,
    SearchWrite,
    ServiceWrite,
    StepTaken,
    StepWrite,
    WrapUp,
    WrapUpWrite,
)
from frontdoor.interactions.record import Record, new_step_id
from frontdoor.interactions.step_bench import describe
from frontdoor.interactions.tables import (
    AnswerRow,
    ContactRow,
    ContactServiceRow,
    EndRow,
    SearchRow,
)
from tests.conftest import patient_sqlite

WRITES_EACH = 25


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _write(contact_id: str, desk: int, n: int) -> StepWrite:
    """A step naming its desk and its number there, reaching an end every fifth step."""
    step = StepTaken("reason-for-call", 1, f"desk{desk}-{n:02d}", "answer", "No")
    ends = (
        (ScriptEnd("reason-for-call", 1, f"end{desk}-{n:02d}", "advice", None),)
        if n % 5 == 0
        else ()
    )
    return StepWrite(new_step_id(), contact_id, _now(), None, step, ends)


def test_two_workstations_writing_to_one_contact_never_take_the_same_place(db_url):
    # two engines: two workstations, each with its own connections and its own audit actor
    engines = [patient_sqlite(make_engine(db_url)) for _ in range(2)]
    sessions = [make_session_factory(engine) for engine in engines]
    records = [
        Record(each, _now, audit=AuditTrail(each, _now, Actor(f"h{n}", "handler", f"d{n}")))
        for n, each in enumerate(sessions)
    ]
    contact_id = records[0].start_contact(NewContact(handler="h0"))
    ready = threading.Barrier(2)
    errors: list[BaseException] = []

    def desk(n: int) -> None:
        try:
            ready.wait()
            for step in range(WRITES_EACH):
                records[n].apply(_write(contact_id, n, step))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    try:
        assert errors == []
        with sessions[0]() as session:
            answers = session.execute(
                select(AnswerRow.seq, AnswerRow.node)
                .where(AnswerRow.contact_id == contact_id)
                .order_by(AnswerRow.seq)
            ).all()
            ends = session.scalars(
                select(EndRow.seq).where(EndRow.contact_id == contact_id).order_by(EndRow.seq)
            ).all()
        assert [seq for seq, _ in answers] == list(range(1, 2 * WRITES_EACH + 1))
        assert list(ends) == list(range(1, 2 * len(range(0, WRITES_EACH, 5)) + 1))
        # each desk's steps in the order it took them, whatever the interleaving
        for n in range(2):
            mine = [node for _, node in answers if node.startswith(f"desk{n}-")]
            assert mine == [f"desk{n}-{step:02d}" for step in range(WRITES_EACH)]
        verified = records[0].audit.verify() if records[0].audit else None
        assert verified is not None and verified.ok, verified
    finally:
        for engine in engines:
            engine.dispose()


def test_a_replayed_journal_writes_a_calls_rows_in_the_order_they_were_taken(front, tmp_path):
    call = front.call_service().start(NewContact(handler="h"))
    writes = []

    class Keeping:
        """The console's writes as its journal kept them while the database was away."""

        def submit(self, write):
            writes.append(write)

    call.service = front.call_service(writer=Keeping())
    for answer in ["No", "No", "No"]:
        call.answer(answer)
    call.back()  # a step back is a step of the record too
    call.answer("No")
    results = call.search("falls")
    call.record_search("falls", results)
    call.choose(results[0].service, "signposted")
    call.choose(results[1].service, "referred", from_search=False)
    call.end_call()
    outcome = call.suggested_outcome()
    call.wrap_up(WrapUp(outcome=outcome, demand="new_need", notes="noted"))
    # the console died with them on disk; the next console on this workstation adopts them
    folder = tmp_path / "journal"
    kept = journal.Journal(folder, "console-a")
    for write in writes:
        kept.append(write)
    kept.close(remove_if_empty=False)
    outbox = Outbox(front.record, folder, "console-b", retry_seconds=0.01)
    outbox.start()
    try:
        assert outbox.adopted == ["console-a"]
        assert outbox.wait_until_idle(10)
    finally:
        outbox.close()
    with front.sessions() as session:
        answers = session.execute(
            select(AnswerRow.seq, AnswerRow.node, AnswerRow.kind)
            .where(AnswerRow.contact_id == call.contact_id)
            .order_by(AnswerRow.seq)
        ).all()
        searches = session.execute(
            select(SearchRow.seq, SearchRow.chosen).where(SearchRow.contact_id == call.contact_id)
        ).all()
        services = session.execute(
            select(ContactServiceRow.seq, ContactServiceRow.action)
            .where(ContactServiceRow.contact_id == call.contact_id)
            .order_by(ContactServiceRow.seq)
        ).all()
    taken = [(s.node, s.kind) for s in call.steps]  # the opening's decisions among them
    recorded = front.record.contact(call.contact_id)
    assert [(node, kind) for _, node, kind in answers] == taken
    assert [seq for seq, _, _ in answers] == list(range(1, len(answers) + 1))
    assert [(a.node, a.kind) for a in recorded.answers] == [(n, k) for _, n, k in answers]
    assert searches == [(1, results[0].service.id)]
    assert services == [(1, "signposted"), (2, "referred")]
    assert recorded.status == "closed" and recorded.outcome == outcome
    # replayed once more (a copy of the journal found later): nothing is written twice
    assert not any(front.record.apply(write) for write in writes)


def test_the_step_bench_prints_ours_beside_the_orm_baseline_in_one_run(monkeypatch):
    monkeypatch.delenv("FRONTDOOR_TEST_PG", raising=False)  # SQLite only, here
    ran = CliRunner().invoke(main, ["contacts", "step-bench", "--steps", "20", "--json"])
    (result,) = json.loads(ran.stdout)
    assert result["database"] == "sqlite" and result["steps"] == 20
    assert set(result["ours"]) == set(result["orm_baseline"]) == {"median_ms", "p95_ms"}
    assert result["times_faster"] > 0
    words = "\n".join(describe([result]))
    assert "ORM, as before (get, max(seq), flush): median" in words
    refused = CliRunner().invoke(main, ["contacts", "step-bench", "--server", "sqlite:///x.db"])
    assert refused.exit_code == 2 and "a PostgreSQL URL" in refused.output


def test_a_calls_batch_keeps_its_choice_and_its_end_and_is_refused_whole_the_second_time(
    db_url,
):
    """A simulated call's writes applied together (contact_rows.GatheredRows: the search's
    choice made before the search is written, the call's end kept for the wrap-up, on
    PostgreSQL all sent at once) give what each write would; applied again, the batch is
    refused as a replayed write is (IntegrityError) and writes nothing."""
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    record = Record(sessions, _now)
    contact_id = record.start_contact(NewContact(handler="h0"))
    t0 = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
    search = new_step_id()
    batch = [
        _write(contact_id, 0, 5),
        SearchWrite(search, contact_id, t0, None, "falls", ("svc-1", "svc-2")),
        ServiceWrite(new_step_id(), contact_id, t0, None, "svc-2", "Two", "signposted", search),
        CallEndedWrite(new_step_id(), contact_id, t0 + dt.timedelta(minutes=1), None),
        WrapUpWrite(
            new_step_id(),
            contact_id,
            t0 + dt.timedelta(minutes=3),
            None,
            WrapUp(outcome="advice", demand="value", category="falls"),
        ),
    ]
    record.apply_all(batch)
    with sessions() as session:
        contact = session.get(ContactRow, contact_id)
        assert contact is not None and contact.status == "closed"
        # the call's end counts, not the wrap-up's
        assert contact.ended_at == t0 + dt.timedelta(minutes=1)
        assert contact.wrap_ended_at == t0 + dt.timedelta(minutes=3)
        assert session.scalars(select(SearchRow.chosen)).all() == ["svc-2"]
        counts = [session.scalar(select(func.count()).select_from(t)) for t in TABLES]
    assert counts == [1, 1, 1, 1]
    with pytest.raises(IntegrityError):
        record.apply_all(batch)
    with sessions() as session:
        assert [session.scalar(select(func.count()).select_from(t)) for t in TABLES] == counts
    engine.dispose()


TABLES = (AnswerRow, EndRow, SearchRow, ContactServiceRow)


def _wrap(contact_id: str, at: dt.datetime) -> WrapUpWrite:
    return WrapUpWrite(
        new_step_id(), contact_id, at, None, WrapUp(outcome="advice", demand="value")
    )


def test_a_batch_that_referred_nothing_is_not_read_back_for_the_closing_hook(db_url):
    """The closing hook (the referrals' maker) is given each batch's contact that has, or
    may have, a service referred, read back with its services; a contact whose batch chose
    none and had none before is closed without it (nothing there makes a referral)."""
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    given: list[tuple[str, list[str]]] = []

    def hook(session, contact, audit):
        given.append((contact.id, [f"{u.service_id} {u.action}" for u in contact.services]))

    record = Record(sessions, _now, closing=hook)
    t0 = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)

    def service(contact_id: str, action: str) -> ServiceWrite:
        return ServiceWrite(new_step_id(), contact_id, t0, None, "svc-1", "One", action)

    signposted, referred, earlier = (
        record.start_contact(NewContact(handler="h0")) for _ in range(3)
    )
    record.apply_all(
        [_write(signposted, 0, 1), service(signposted, "signposted"), _wrap(signposted, t0)]
    )
    record.apply_all([service(referred, "referred"), _wrap(referred, t0)])
    # its service written before the batch that wraps it up: not known here, so read
    record.apply_all([service(earlier, "signposted")])
    record.apply_all([_write(earlier, 0, 2), _wrap(earlier, t0)])
    assert given == [(referred, ["svc-1 referred"]), (earlier, ["svc-1 signposted"])]
    with sessions() as session:
        closed = session.scalars(select(ContactRow.id).where(ContactRow.status == "closed"))
        assert set(closed) == {signposted, referred, earlier}
    engine.dispose()
