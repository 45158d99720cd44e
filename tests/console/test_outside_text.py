"""Text from outside can never drive the terminal. Tried: `\\x1b[31m` in a service name
reached the terminal. A directory file whose names and descriptions hold ESC, BEL, C1 and
bidirectional controls is imported; every command that prints them (the import's own
report, a search, the referrals list, the MI report) and the console's directory and
service screens show no raw control character, and JSON output stays the same data."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Input

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.cli import main
from frontdoor.console.screens.service_detail import ServiceScreen
from frontdoor.console.settings import load_settings
from frontdoor.console.widgets.directory_panel import DirectoryPanel
from frontdoor.console.wiring import open_front_door
from frontdoor.interactions.model import NewContact, WrapUp
from tests.conftest import START, FakeClock
from tests.console.driving import workers_done

NAME = "Tea\x1b[31mRed club\x07"
DESCRIPTION = "Tea and company\x9b2J for carers \u202eevil\u202c, \x1b]0;pwned\x07 titles"
SEARCH = "tea\x1b[2J club"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c")
DAY = START.date().isoformat()
REFERRAL = "R-2026-000001"
BY = "[bold]Team[/bold]\x1b[5m"
NOTE = "[/oops] noted\x9b"  # a closing tag with no opening one: a markup error if parsed


def folder_of(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///")).parent


def hostile_file(folder: Path) -> Path:
    """An ORUK file: a service with controls in its name and description, a field name
    with one (reported as not used), and a record repeating an id (refused)."""
    path = folder / "hostile.json"
    record = {"id": "tea-club", "name": NAME, "description": DESCRIPTION, "status": "active"}
    path.write_text(json.dumps([record | {"x\x1b[5mblink": 1}, {"id": "tea-club", "name": "x"}]))
    return path


def screen_words(svg: str) -> str:
    """The text of a screenshot, its pieces joined (each style is a <text> of its own)."""
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


def assert_no_raw_controls(text: str) -> None:
    found = [repr(c) for c in RAW if c in text]
    assert not found, (found, text[:500])


def frontdoor(*args: str) -> str:
    """A command's stdout, checked for raw controls with its stderr. As on a terminal:
    click strips well-formed colour codes only from output that is not one."""
    result = CliRunner().invoke(main, list(args), color=True)
    assert result.exit_code == 0, result.output
    assert_no_raw_controls(result.output)  # stdout and stderr
    return result.stdout


@pytest.fixture
def hostile_db(tmp_path) -> str:
    """A database with the hostile service, referred to in one call, and another call's
    search with a control sequence in it."""
    url = f"sqlite:///{tmp_path / 'fd.db'}"
    assert CliRunner().invoke(main, ["db", "upgrade", "--db", url]).exit_code == 0
    imported = frontdoor("directory", "import", str(hostile_file(tmp_path)), "--db", url)
    assert "'x␛[5mblink'" in imported  # the field it did not use, shown
    front = open_front_door(load_settings(db=url), clock=FakeClock(), migrate=False)
    calls = front.call_service()
    referring = calls.start(NewContact(handler="h", consent_share=True))
    referring.choose(front.index.by_id["tea-club"], "referred")
    searching = calls.start(NewContact(handler="h"))
    searching.record_search(SEARCH, [])  # found nothing: an unmet need in the report
    for call in (referring, searching):
        call.end_call()
        call.wrap_up(WrapUp(outcome="referred", demand="new_need", category="social_care"))
    front.engine.dispose()
    # a team's file: who and a note with controls, and markup that must stay as written
    update = folder_of(url) / "update.jsonl"
    change = {"id": REFERRAL, "state": "received", "at": f"{DAY}T10:00", "by": BY, "note": NOTE}
    update.write_text(json.dumps(change) + "\n")
    frontdoor("referrals", "update", str(update), "--db", url)
    return url


def test_no_command_prints_a_raw_control_character(hostile_db, monkeypatch):
    monkeypatch.setenv("FRONTDOOR_DB", hostile_db)
    monkeypatch.setenv("FRONTDOOR_TIME_ZONE", "Europe/London")
    found = frontdoor("directory", "search", "tea club")
    assert "Tea␛[31mRed club␇" in found
    listed = frontdoor("referrals", "list", "--at", f"{DAY}T12:00")
    assert "Tea␛[31mRed club␇" in listed
    report = frontdoor("mi", "report", "--from", DAY, "--to", DAY, "--format", "md")
    assert (
        "Tea␛[31mRed club␇" in report and "tea␛[2j club" in report
    )  # searches are counted in lower case
    # JSON stays JSON, and the same data: the controls are escaped inside its strings
    results = json.loads(frontdoor("directory", "search", "tea club", "--json"))
    assert results[0]["name"] == NAME
    standings = json.loads(frontdoor("referrals", "list", "--json", "--at", f"{DAY}T12:00"))
    assert standings[0]["service_name"] == NAME


async def settle(pilot) -> None:
    await workers_done(pilot.app)
    await pilot.pause()


async def test_the_console_draws_no_raw_control_character(hostile_db, tmp_path):
    front = open_front_door(
        load_settings(db=hostile_db, log_file=tmp_path / "fd.log", journal=tmp_path / "j"),
        clock=FakeClock(),
        migrate=False,
    )
    app = FrontDoorApp(front, handler="s.lead", role="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = app.export_screenshot()  # a lead starts on the list of services
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ServiceScreen)
        detail = app.export_screenshot()
        await pilot.press("escape", "escape")  # the ready screen; d opens the directory
        await pilot.press("d")
        app.screen.query_one("#directory-query", Input).value = "tea club"
        await settle(pilot)
        panel = app.screen.query_one(DirectoryPanel)
        assert [r.service.id for r in panel.results] == ["tea-club"]
        found = app.export_screenshot()
        await pilot.press("escape", "r")  # the referral, with its history
        app.screen.query_one("#referral-id", Input).value = REFERRAL
        await pilot.press("enter")
        await settle(pilot)
        referral = app.export_screenshot()
    front.engine.dispose()
    for screen in (listed, detail, found, referral):
        assert_no_raw_controls(screen)
        assert "Tea[31mRed club" in screen_words(screen)  # shown, its controls removed
    assert "Tea and company2J for carers evil" in screen_words(detail)
    assert "[bold]Team[/bold][5m" in screen_words(referral)  # as written, not as markup
    assert "[/oops] noted" in screen_words(referral)
