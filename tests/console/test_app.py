"""A whole call through the console with Pilot, then what is in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.widgets import TextArea

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.call import CallScreen
from frontdoor.console.screens.discard_form import DiscardForm
from frontdoor.console.screens.new_contact import NewContactScreen
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.resume import ResumeScreen
from frontdoor.console.screens.wrap_up import WrapUpScreen
from frontdoor.interactions.model import NewContact, StepTaken
from frontdoor.interactions.tables import AnswerRow, ContactRow, SearchRow
from tests.console.driving import (
    resume_the_offered_call,
    start_a_call,
    type_into,
    type_text,
    workers_done,
)
from tests.outage import DatabaseSwitch

SIZE = (120, 40)


@pytest.mark.long
async def test_a_handler_takes_a_call_from_start_to_finish(front, clock):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ReadyScreen)
        answered = clock.now
        await pilot.press("n")  # the call is answered as the form opens
        assert isinstance(app.screen, NewContactScreen)
        clock.advance(40)  # who is calling, about whom, consent: handle time
        await type_into(pilot, "#caller", "01632 960123")
        await type_into(pilot, "#subject_name", "Ann Example")
        await type_into(pilot, "#subject_dob", "04/07/1941")
        await type_into(pilot, "#subject_postcode", "DN32 7DL")
        await type_into(pilot, "#subject_nhs_number", "9434765919")
        app.screen.query_one("#consent_record").value = True
        app.screen.query_one("#consent_share").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        # danger? no. harm? no. chasing? no. need: care and support at home
        for key in ["2", "2", "2", "3"]:
            clock.advance(10)
            await pilot.press(key)
        assert app.screen.call.triage.script.script == "care-at-home"
        await pilot.press("2", "2")  # not at risk tonight; not known to social care
        await pilot.press("4")  # company, activities or feeling lonely
        assert app.screen.call.triage.node_name == "social_prescribing"
        # the caller also wants a lunch club: search the directory, choose the result
        await pilot.press("slash")
        await type_text(pilot, "lunch clubb")
        await pilot.press("enter")  # results shown; the list takes the focus
        await pilot.press("enter")  # choose the top result
        await pilot.press("s")  # signposted
        # they ask about scuba diving too: nothing found, and Enter is never pressed
        await pilot.press("slash")
        await type_text(pilot, "scuba")
        await pilot.press("f10")
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.click("#notes")
        await type_text(pilot, "Lunch club details given")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReadyScreen)

    with front.sessions() as session:
        contact = session.scalars(select(ContactRow)).one()
        answers = session.scalars(select(AnswerRow).order_by(AnswerRow.seq)).all()
        searches = session.scalars(select(SearchRow)).all()
    assert contact.status == "closed" and contact.handler == "h.jones"
    assert (contact.outcome, contact.demand, contact.category) == (
        "signposted",
        "new_need",
        "social_care",
    )
    assert contact.subject_key == "9434765919" and contact.caller_key == "+441632960123"
    assert contact.consent_record is True and contact.notes == "Lunch club details given"
    assert [a.node for a in answers] == [
        "danger_now",
        "harm_from_others",
        "already_arranged",
        "main_need",
        "at_risk_tonight",
        "known_to_social_care",
        "help_needed",
    ]
    assert answers[1].at > answers[0].at  # each with the time it was given
    assert [(s.query, s.chosen) for s in searches] == [
        ("lunch clubb", "lunch-club-eastgate"),
        ("scuba", None),  # unmet need, kept without Enter
    ]
    assert "lunch-club-eastgate" in searches[0].results and searches[1].results == []
    # answered when the form opened, not when triage started 40 s later
    assert contact.answered_at == contact.received_at == answered
    log = front.settings.log_file.read_text()
    assert f'"contact_id": "{contact.id}"' in log and '"handler": "h.jones"' in log
    for personal in ("Ann Example", "960123", "9434765919", "Lunch club details", "DN32 7DL"):
        assert personal not in log
    exported = front.record.contact(contact.id)
    assert [(s.service_id, s.action) for s in exported.services] == [
        ("lunch-club-eastgate", "signposted")
    ]


async def test_f9_guides_back_undoes_it_f8_guides_and_safeguarding_needs_notes(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_a_call(app, pilot)
        screen = app.screen
        call = screen.call
        await pilot.press("2", "f9")  # no danger; then F9 at the harm question
        assert call.triage.script.script == front.settings.safeguarding_script
        assert call.triage.question is not None  # its questions are asked
        guidance = screen.query_one("#guidance")
        assert guidance.display and "own words" in str(guidance.render())
        assert screen.query_one("#red-flag").display
        # 8.55 on a Monday: the safeguarding team is closed, the duty team is suggested
        listed = screen.query_one("#directory-results")
        assert [listed.get_option_at_index(i).id for i in range(listed.option_count)] == [
            "safeguarding-adults-team",
            "adult-social-care-duty",
        ]
        await pilot.press("b")
        assert call.triage.node_name == "harm_from_others" and not guidance.display
        assert listed.option_count == 0
        await pilot.press("f8")
        assert call.triage.finished and "Ring 999 now" in str(guidance.render())
        assert listed.get_option_at_index(0).id == "emergency-999"
        await pilot.press("b", "f9", "f10")
        assert app.screen.query_one("#outcome").value == "safeguarding"
        assert app.screen.query_one("#category").value == "safeguarding"
        await pilot.press("ctrl+s")  # no notes: refused, said, nothing lost
        assert isinstance(app.screen, WrapUpScreen)
        assert any("needs notes" in str(n.message) for n in app._notifications)
        assert app.screen.focused is app.screen.query_one("#notes")
        await type_text(pilot, "Shouting")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReadyScreen)
        assert app.outbox.wait_until_idle(10)
    with front.sessions() as session:
        contact = session.scalars(select(ContactRow)).one()
        kinds = session.scalars(select(AnswerRow.kind).order_by(AnswerRow.seq)).all()
    assert (contact.outcome, contact.category) == ("safeguarding", "safeguarding")
    assert contact.notes == "Shouting"
    assert kinds == ["answer", "escalate", "back", "escalate", "back", "escalate"]


async def test_an_invalid_nhs_number_stops_the_start_with_a_reason(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await type_into(pilot, "#subject_nhs_number", "9434765918")
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, NewContactScreen)
        assert "NHS number" in str(app.screen.query_one("#form-error").render())


async def test_an_unfinished_contact_is_offered_on_restart(front):
    contact_id = front.record.start_contact(NewContact(handler="h.jones"))
    front.record.record_step(
        contact_id, StepTaken("reason-for-call", 1, "danger_now", "answer", "No")
    )
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("r")
        assert isinstance(app.screen, CallScreen)
        assert app.screen.call.triage.node_name == "harm_from_others"


async def test_an_unfinished_contact_can_be_closed_as_incomplete(front):
    contact_id = front.record.start_contact(NewContact(handler="h.jones"))
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await workers_done(app)
        await pilot.pause()
        await pilot.press("c")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, ReadyScreen)
    assert front.record.contact(contact_id).outcome == "incomplete"


async def test_text_from_callers_and_the_directory_is_never_markup(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await type_into(pilot, "#caller_name", "[bold red]Mallory[/]")
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "[bold red]Mallory[/]" in str(app.screen.query_one("#caller").render())


async def test_a_save_the_database_refuses_is_kept_here_said_in_words_and_saved_later(
    front, tmp_path
):
    failing = DatabaseSwitch.install(front.engine)
    app = FrontDoorApp(front, handler="h.jones", retry_seconds=0.01)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("2", "2", "2", "6")  # information: the script ends
        await pilot.press("f10")
        app.outbox.wait_until_idle(5)
        failing.fail()
        await pilot.press("ctrl+s")
        await pilot.pause()
        # the wrap-up is kept on this workstation: the handler moves on
        assert isinstance(app.screen, ReadyScreen)
        assert app.outbox.wait_for(lambda state: state.offline, 5)
        await pilot.pause()
        assert app.outbox_state.offline and app.outbox_state.waiting == 1
        status = str(app.screen.query_one("#save-status").render())
        assert "working offline: 1 step(s) waiting to be saved" in status
        failing.restore()
        app.outbox.retry_now()
        assert app.outbox.wait_until_idle(5)
        await pilot.pause()
        assert not app.outbox_state.offline
    contact = front.record.contact(_only_contact(front))
    assert contact.status == "closed" and contact.outcome == "advice"


def _only_contact(front) -> str:
    with front.sessions() as session:
        return session.scalars(select(ContactRow.id)).one()


async def test_a_failing_save_logs_no_personal_data(front, tmp_path):
    """A SQLAlchemy error carries the statement's parameters (here the notes, with a name
    in them): the log keeps its type and where, never its text."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    failing = {"on": False}

    def refuse(_conn, _cursor, statement, parameters, *_rest):
        # the write of the notes fails, as a full disk would fail it
        if failing["on"] and statement.startswith("UPDATE contacts") and "notes" in statement:
            raise OperationalError(statement, parameters, Exception("disk I/O error"))

    event.listen(front.engine, "before_cursor_execute", refuse)
    app = FrontDoorApp(front, handler="h.jones", retry_seconds=0.01)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.press("2", "2", "2", "6")
        assert app.outbox.wait_until_idle(5)
        failing["on"] = True
        await pilot.press("f10")
        await pilot.click("#notes")
        await type_text(pilot, "Mrs Zelda Quarrington")
        await pilot.press("ctrl+s")
        assert app.outbox.wait_for(lambda state: state.offline, 5)
        # what the outbox met: an error whose text carries the notes
        pending = app.outbox._pending[0]
        try:
            front.record.apply(pending)
        except OperationalError as exc:
            assert "Zelda Quarrington" in str(exc)
        else:
            raise AssertionError("the database was meant to refuse")
        failing["on"] = False
        app.outbox.retry_now()
        assert app.outbox.wait_until_idle(5)
    log = front.settings.log_file.read_text()
    assert "working_offline" in log and "back_online" in log
    assert "Zelda" not in log and "Quarrington" not in log and "Traceback" not in log
    assert front.record.contact(_only_contact(front)).notes == "Mrs Zelda Quarrington"


async def test_an_unfinished_contact_found_while_a_form_is_typed_waits_for_the_desk(front):
    """At start-up a handler may be typing a new caller's details before the check for
    unfinished contacts answers: the offer covered the form and took the keys meant for it.
    It now waits until the desk is free, and says so."""
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await workers_done(app)
        left = front.record.start_contact(NewContact(handler="h.jones"))
        await pilot.press("n")
        await type_into(pilot, "#caller", "0147")
        app._check_unfinished()  # as at start-up: the check answers with the form open
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, NewContactScreen)
        await pilot.press(*"2313131")
        assert app.screen.query_one("#caller").value == "01472313131"
        assert [str(n.message) for n in app._notifications][-1] == (
            "1 unfinished contact(s) from an earlier session: offered once this caller is done."
        )
        await pilot.press("escape")  # no caller after all: asked first, since it was typed in
        assert isinstance(app.screen, DiscardForm)
        await pilot.press("escape")  # a second Escape keeps the form
        assert app.screen.query_one("#caller").value == "01472313131"
        await pilot.press("escape", "y")  # closed: back at the desk, the offer comes
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        assert [c.id for c in app.screen.contacts] == [left]


async def test_notes_typed_in_wrap_up_are_there_when_it_is_opened_again(front):
    """F10, notes, Escape back to the questions, F10 again: the notes box was empty (the
    notes were kept in the record, but the wrap-up showed the contact's notes as the call
    began), and a handler who did not look again closed the contact without them."""
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.press("2", "2", "2", "6")
        await pilot.press("f10")
        await pilot.click("#notes")
        await type_text(pilot, "Bruising to both forearms")
        await pilot.press("escape")  # back to the questions, before the pause keeps them
        assert isinstance(app.screen, CallScreen)
        await pilot.press("f10")
        assert app.screen.query_one("#notes", TextArea).text == "Bruising to both forearms"
        await pilot.press("ctrl+s")
        await workers_done(app)
        assert app.outbox.wait_until_idle(5)
    assert front.record.contact(_only_contact(front)).notes == "Bruising to both forearms"


async def test_a_contact_left_in_wrap_up_is_resumed_in_wrap_up_with_its_notes(front):
    """The console stopped while the handler was wrapping up: resumed, it opened on the
    questions, and the handler had to find F10 again; now the wrap-up opens at once, with
    the notes kept so far."""
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await start_a_call(app, pilot)
        await pilot.press("2", "2", "2", "6")
        await pilot.press("f10")
        await pilot.click("#notes")
        await type_text(pilot, "Wants a carers assessment")
        await pilot.press("escape")  # the notes kept as the wrap-up is left
        await pilot.press("f10")
        assert isinstance(app.screen, WrapUpScreen)
        assert app.outbox.wait_until_idle(5)
        # the console stops here, the contact not saved
    again = FrontDoorApp(front, handler="h.jones")
    async with again.run_test(size=SIZE) as pilot:
        await resume_the_offered_call(again, pilot, opens_on=WrapUpScreen)
        assert again.screen.query_one("#notes", TextArea).text == "Wants a carers assessment"
        await pilot.press("escape")  # and the call is under it, as before
        assert isinstance(again.screen, CallScreen)


async def test_f8_on_the_form_starts_the_call_and_escalates_at_once(front):
    """Red flags first: a caller in danger is not held up by the form. F8 starts the
    contact with what is typed (consent to record not asked yet) and escalates."""
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")
        await type_into(pilot, "#caller", "01472 000999")
        await pilot.press("f8")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        assert app.screen.call.triage.finished  # the emergency's end: what to do now
        assert app.outbox.wait_until_idle(5)
    contact = front.record.contact(_only_contact(front))
    assert contact.consent_record is None and contact.caller_key is not None
    assert [a.kind for a in contact.answers] == ["escalate"]


async def test_f9_on_the_form_leaves_out_a_box_that_does_not_read_yet_and_says_so(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")
        await type_into(pilot, "#subject_name", "Ron Tate")
        await type_into(pilot, "#subject_dob", "02/02/19")  # half typed as the call turned
        await pilot.press("f9")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        said = [str(n.message) for n in app._notifications]
        assert any("Started without the date of birth" in m for m in said)
        assert app.outbox.wait_until_idle(5)
    contact = front.record.contact(_only_contact(front))
    assert (contact.subject_name, contact.subject_dob) == ("Ron Tate", None)
    assert [a.kind for a in contact.answers] == ["escalate"]
