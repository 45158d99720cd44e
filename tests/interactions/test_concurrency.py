"""Many workstations, one record: 20 handlers take calls at once, through the same call
service the console uses, and every contact, answer and end is there exactly once, in
order; and every one of them is in the audit, the chain whole, with no gap."""

from __future__ import annotations

import datetime as dt
import random
import threading

from sqlalchemy import func, select

import frontdoor.directory.tables
import frontdoor.interactions.tables
import frontdoor.referrals.tables  # noqa: F401
from frontdoor.access.audit import Actor, AuditTrail
from frontdoor.calls.call import CallService
from frontdoor.calls.library import FixedLibrary
from frontdoor.calls.settings import CallSettings
from frontdoor.calls.writer import DirectWriter
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.db.migrate import upgrade
from frontdoor.directory.model import Service
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.interactions.record import Record
from frontdoor.interactions.tables import AnswerRow, ContactRow, EndRow, StepReceiptRow
from frontdoor.referrals.making import ReferralMaker, ReferralRules
from frontdoor.referrals.tables import ReferralRow
from frontdoor.triage_scripts.library import load_library
from tests.conftest import patient_sqlite

HANDLERS = 20
CALLS_EACH = 5


REFERRED = Service(id="falls-prevention-service", name="Falls prevention")


class NoTerms:
    """No script end or service gives a response time: the category's default."""

    def end_terms(self, script, version, node):
        return None

    def service_respond_within(self, service_id):
        return None


class NoDirectory:
    """These calls do not search the directory."""

    def current(self):
        raise AssertionError("no search in this test")

    wait = current


def test_twenty_handlers_at_once_lose_and_duplicate_nothing(db_url):
    engine = patient_sqlite(make_engine(db_url))
    upgrade(engine)
    sessions = make_session_factory(engine)
    library = FixedLibrary(load_library().scripts)
    expected: dict[str, list[str]] = {}
    lock = threading.Lock()
    errors: list[BaseException] = []
    start = threading.Barrier(HANDLERS)

    def handler(number: int) -> None:
        rng = random.Random(number)
        now = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
        # each workstation chains its rows onto the one audit, as its own handler
        audit = AuditTrail(sessions, now, Actor(f"h{number:02d}", "handler", f"desk-{number}"))
        # each wrap-up makes a referral: two at once never take the same number
        record = Record(
            sessions, now, closing=ReferralMaker(ReferralRules(), NoTerms()), audit=audit
        )
        calls = CallService(
            record,
            library,
            index=NoDirectory(),
            settings=CallSettings(),
            clock=now,
            writer=DirectWriter(record),
            audit=audit,
        )
        try:
            start.wait()
            for number_of_call in range(CALLS_EACH):
                call = calls.start(
                    NewContact(
                        handler=f"h{number:02d}", caller=f"0113 496 0{number:02d}{number_of_call}"
                    )
                )
                nodes = []
                while not call.triage.finished:
                    question = call.triage.question
                    assert question is not None
                    labels = [o.answer for o in question.options or []] or ["No"]
                    choice = labels[-1] if len(nodes) < 3 else rng.choice(labels[1:] or labels)
                    step = call.answer(choice if question.input != "number" else 1)
                    # a decide node the answer led through is a step of the record too
                    nodes += [step.node, *(d.node for d in step.decisions)]
                call.choose(REFERRED, "referred", from_search=False)
                call.wrap_up(
                    # a red-flag or safeguarding contact is not saved without notes
                    WrapUp(outcome=call.suggested_outcome(), demand="new_need", notes="noted")
                )
                with lock:
                    expected[call.contact_id] = nodes
        except BaseException as exc:  # surfaced below, with the thread's own error
            errors.append(exc)

    threads = [threading.Thread(target=handler, args=(n,)) for n in range(HANDLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert len(expected) == HANDLERS * CALLS_EACH
    with sessions() as session:
        held = session.scalars(select(ContactRow)).all()
        assert {c.id for c in held} == set(expected)
        assert all(c.status == "closed" and c.outcome for c in held)
        for contact_id, nodes in expected.items():
            answers = session.scalars(
                select(AnswerRow).where(AnswerRow.contact_id == contact_id).order_by(AnswerRow.seq)
            ).all()
            assert [a.node for a in answers] == nodes
            assert [a.seq for a in answers] == list(range(1, len(nodes) + 1))
        ends = session.scalar(select(func.count()).select_from(EndRow))
        assert ends >= len(expected)  # every call reached at least one end
        referrals = session.scalars(select(ReferralRow.id)).all()
        numbers = sorted(int(r.rsplit("-", 1)[1]) for r in referrals)
        assert numbers == list(range(1, len(expected) + 1))
        writes = session.scalar(select(func.count()).select_from(StepReceiptRow))
    # a row for each contact started, each write applied and each referral made, chained
    # in one order by twenty workstations at once
    verified = AuditTrail(sessions, dt.datetime.now, Actor("t", "admin", "t")).verify()
    assert verified.ok, verified.problems
    assert verified.rows == verified.head.count == len(expected) + writes + len(referrals)
    engine.dispose()
