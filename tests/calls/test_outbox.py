"""The console's outbox: every write journalled on disk first, applied in order and
exactly once, kept through an outage, a crash and a contact taken by another console."""

from __future__ import annotations

import json
import stat

from sqlalchemy import func, select

from frontdoor.calls import journal
from frontdoor.calls.outbox import Outbox
from frontdoor.interactions.model import NewContact
from frontdoor.interactions.tables import AnswerRow, StepReceiptRow
from tests.outage import DatabaseSwitch

TO_CARERS = ["No", "No", "No", "Looking after someone (a carer)"]


def answers_in_db(front, contact_id: str) -> list[tuple[str, str | None]]:
    with front.sessions() as session:
        rows = session.scalars(
            select(AnswerRow).where(AnswerRow.contact_id == contact_id).order_by(AnswerRow.seq)
        )
        return [(r.node, r.answer) for r in rows]


def outbox_for(front, tmp_path, console_id: str = "console-a") -> Outbox:
    outbox = Outbox(front.record, tmp_path / "journal", console_id, retry_seconds=0.01)
    outbox.start()
    return outbox


def test_steps_wait_in_the_journal_while_the_database_is_down_and_are_saved_once(front, tmp_path):
    failing = DatabaseSwitch.install(front.engine)
    outbox = outbox_for(front, tmp_path)
    calls = front.call_service(writer=outbox, holder="console-a")
    call = calls.start(NewContact(handler="h"))
    call.answer("No")
    assert outbox.wait_until_idle(5)
    failing.fail()
    for answer in TO_CARERS[1:]:
        call.answer(answer)  # the screen moves on: each is on disk already
    lines = (tmp_path / "journal" / "console-a.journal").read_text().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["kind"] == "step" for line in lines)
    assert outbox.wait_for(lambda state: state.offline, 5)  # the writer found it down
    assert outbox.state.waiting == 3
    failing.restore()
    outbox.retry_now()
    assert outbox.wait_until_idle(5)
    assert [n for n, _ in answers_in_db(front, call.contact_id)] == [
        "danger_now",
        "harm_from_others",
        "already_arranged",
        "main_need",
    ]
    assert (tmp_path / "journal" / "console-a.journal").read_text() == ""  # all saved
    outbox.close()


def test_the_journal_is_readable_by_its_owner_only(front, tmp_path):
    outbox = outbox_for(front, tmp_path)
    path = tmp_path / "journal" / "console-a.journal"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    outbox.close()


def test_a_journal_replayed_twice_writes_nothing_twice(front, tmp_path):
    call = front.call_service().start(NewContact(handler="h"))
    writes = []

    class Keeping:
        def submit(self, write):
            writes.append(write)

    kept = front.call_service(writer=Keeping())
    call.service = kept
    for answer in TO_CARERS:
        call.answer(answer)
    assert all(front.record.apply(w) for w in writes)
    assert not any(front.record.apply(w) for w in writes)  # the receipts say: done
    assert len(answers_in_db(front, call.contact_id)) == 4
    with front.sessions() as session:
        assert session.scalar(select(func.count()).select_from(StepReceiptRow)) == 4


def test_a_journal_left_by_a_console_that_died_is_replayed_by_the_next(front, tmp_path):
    failing = DatabaseSwitch.install(front.engine)
    first = outbox_for(front, tmp_path, "console-a")
    call = front.call_service(writer=first, holder="console-a").start(NewContact(handler="h"))
    failing.fail()
    for answer in TO_CARERS:
        call.answer(answer)
    # the console dies: its thread stops, its journal is left behind, unlocked
    first._stopping = True
    first._wake.set()
    first._thread.join(2)
    first._journal._file.close()
    # a line cut short by the crash was never acknowledged: it is skipped
    with (tmp_path / "journal" / "console-a.journal").open("a") as file:
        file.write('{"kind": "step", "step_id": "x"')
    failing.restore()
    second = outbox_for(front, tmp_path, "console-b")
    assert second.adopted == ["console-a"]
    assert second.wait_until_idle(5)
    assert len(answers_in_db(front, call.contact_id)) == 4
    assert not (tmp_path / "journal" / "console-a.journal").exists()
    second.close()


def test_a_running_consoles_journal_is_left_alone(front, tmp_path):
    first = outbox_for(front, tmp_path, "console-a")
    second = outbox_for(front, tmp_path, "console-b")
    assert second.adopted == []
    assert list(journal.orphans(tmp_path / "journal", exclude="console-b")) == []
    first.close()
    second.close()


def test_writes_to_a_contact_another_console_took_are_kept_not_lost(front, tmp_path, clock):
    outbox = outbox_for(front, tmp_path, "console-a")
    calls = front.call_service(writer=outbox, holder="console-a")
    call = calls.start(NewContact(handler="h"))
    call.answer("No")
    assert outbox.wait_until_idle(5)
    # the lease lapses (console a froze, say) and console b takes the contact over
    clock.advance(calls.settings.lease_seconds + 1)
    assert front.record.hold(call.contact_id, "console-b", calls.lease_until())
    call.answer("No")
    assert outbox.wait_until_idle(5)
    assert outbox.state.taken == {call.contact_id} and outbox.state.waiting == 1
    assert answers_in_db(front, call.contact_id) == [("danger_now", "No")]
    kept = journal.read(tmp_path / "journal" / "console-a.journal")
    assert [w.contact_id for w in kept] == [call.contact_id]
    outbox.close()
    assert (tmp_path / "journal" / "console-a.journal").exists()  # kept for next time
