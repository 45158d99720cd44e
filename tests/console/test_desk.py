"""The small things a new handler hit at a real desk, each as it was found."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select
from textual import events
from textual.widgets import Checkbox, OptionList, Static
from textual.widgets._footer import FooterKey

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.cli import main
from frontdoor.console.screens.call import CallScreen
from frontdoor.console.screens.choose_action import ChooseAction
from frontdoor.console.screens.confirm_quit import ConfirmQuit
from frontdoor.console.screens.mi import MiScreen
from frontdoor.console.screens.new_contact import NewContactScreen
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.wallboard import WallboardScreen
from frontdoor.console.widgets.triage_panel import option_labels
from frontdoor.interactions.tables import ContactRow, ContactServiceRow
from tests.console.driving import start_a_call, type_text, workers_done

SIZE = (120, 40)


def footer_keys(app) -> dict[str, str]:
    """The keys the footer shows now, with their descriptions."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


async def test_the_form_says_its_boxes_in_words_and_drops_an_error_once_fixed(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        screen = app.screen
        assert isinstance(screen, NewContactScreen)
        await type_text(pilot, "01632 960123\tDoreen Price")
        error = screen.query_one("#form-error", Static)
        await pilot.press("ctrl+s")  # consent not asked yet
        assert "consent" in str(error.render())
        screen.query_one("#consent_record").value = True
        await pilot.pause()
        assert str(error.render()) == ""  # fixed: the error goes

        interpreter = screen.query_one("#interpreter", Checkbox)
        assert str(interpreter.label) == "not needed"
        # the box marked only when ticked ("▐X▌ not needed" read as ticked)
        assert str(interpreter.render()).startswith("▐ ▌")
        interpreter.value = True
        await pilot.pause()
        assert str(interpreter.label) == "NEEDED"  # not by colour alone
        assert str(interpreter.render()).startswith("▐X▌")

        is_person = screen.query_one("#caller_is_person", Checkbox)
        assert str(is_person.label) == "someone else" and not is_person.can_focus
        # F5 from whichever box has the cursor, and typed straight on: About follows the
        # caller's name and is no Tab stop, so the date of birth typed after a Tab goes
        # to the date of birth, not onto the end of the name
        screen.query_one("#caller_name").focus()  # Ctrl+S took it to the consent
        app.post_message(events.Key("f5", None))
        await type_text(pilot, "-Jones\t01/03/1941")
        assert str(is_person.label) == "the person it is about"
        assert screen.query_one("#subject_name").value == "Doreen Price-Jones"
        assert screen.query_one("#subject_dob").value == "01/03/1941"
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)

    with front.sessions() as session:
        contact = session.scalars(select(ContactRow)).one()
    assert contact.caller_is_person is True and contact.interpreter_needed is True
    assert (contact.caller_name, contact.subject_name) == (
        "Doreen Price-Jones",
        "Doreen Price-Jones",
    )


async def test_q_goes_back_from_a_screen_and_quitting_asks_first(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        for key, screen_type in (("m", MiScreen), ("w", WallboardScreen)):
            await pilot.press(key)
            assert isinstance(app.screen, screen_type)
            assert footer_keys(app)["q"] == "Back"
            await pilot.press("q")
            assert isinstance(app.screen, ReadyScreen)  # back, not closed
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("n")
        assert isinstance(app.screen, ReadyScreen) and app.is_running
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_away_is_said_on_the_ready_screen(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        headline = app.screen.query_one("#headline", Static)
        assert "Ready for the next call" in str(headline.render())
        await pilot.press("a")
        assert "Away: no calls will come to you" in str(headline.render())
        assert "Ready for the next call" not in str(headline.render())
        await pilot.press("a")
        assert "Ready for the next call" in str(headline.render())


async def test_a_typed_answer_shows_the_back_key_that_works_in_it(front):
    """`b` is a letter in a typed answer: the footer shows ctrl+b there, and it goes back."""
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await start_a_call(app, pilot)
        call = app.screen.call
        assert "b" in footer_keys(app) and "ctrl+b" not in footer_keys(app)
        # through the front door to mental health, then the last option ("No", mostly)
        # until a typed question
        await pilot.press("2", "2", "2", "5")
        for _ in range(12):
            question = call.triage.question
            assert question is not None, "the script ended before a typed question"
            if not option_labels(question):
                break
            await pilot.press(str(len(option_labels(question))))
        asked = call.triage.node_name
        keys = footer_keys(app)
        assert keys.get("ctrl+b") == "Back" and "b" not in keys
        await pilot.press("b")  # a letter here, not back
        assert call.triage.node_name == asked
        await pilot.press("ctrl+b")
        assert call.triage.node_name != asked


async def test_the_scripts_suggestions_are_chosen_from_the_keyboard(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await start_a_call(app, pilot)
        call = app.screen.call
        # care and support at home: company, activities or feeling lonely
        await pilot.press("2", "2", "2", "3", "2", "2", "4")
        assert call.triage.finished
        suggested = [s.id for s, _ in call.suggested_services()]
        assert suggested, "this end names a service"
        assert footer_keys(app).get("s") == "Suggested"
        await pilot.pause()
        wrap_up = [k for k in app.screen.query(FooterKey) if k.key == "f10"]
        assert wrap_up and wrap_up[0].region.right <= SIZE[0], "F10 is off the footer"
        assert isinstance(app.focused, OptionList)  # the suggestions have the keys
        await pilot.press("enter")
        assert isinstance(app.screen, ChooseAction)
        await pilot.press("enter")  # as the script says
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        assert [s.id for s, _ in call.chosen] == suggested[:1]
        # after a search, `s` brings the suggestions back
        await pilot.press("slash", *"food")
        await pilot.press("escape", "s")
        assert isinstance(app.focused, OptionList)
        assert [o.id for o in app.focused.options] == suggested

    with front.sessions() as session:
        chosen = session.scalars(select(ContactServiceRow.service_id)).all()
    assert chosen == suggested[:1]


def test_frontdoor_says_its_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("frontdoor 0.")
