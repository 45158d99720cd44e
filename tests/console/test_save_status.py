"""The save status line says what a handler needs to know, and nothing while all is saved."""

from __future__ import annotations

from frontdoor.calls.outbox import OutboxState
from frontdoor.console.widgets.save_status import status_text


def test_nothing_is_said_when_everything_is_saved():
    assert str(status_text(OutboxState())) == ""


def test_writes_on_their_way_say_saving():
    assert "saving..." in str(status_text(OutboxState(waiting=2)))


def test_writes_no_retry_will_save_are_not_saving_but_said_in_red():
    text = str(status_text(OutboxState(waiting=1, refused=1, set_aside=1)))
    assert "saving" not in text
    assert "1 step(s) the database refused" in text and "tell your supervisor" in text


def test_offline_says_how_many_wait():
    text = str(status_text(OutboxState(waiting=3, offline=True)))
    assert "working offline: 3 step(s) waiting to be saved" in text
