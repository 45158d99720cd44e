"""Failures give nothing away: no traceback, no password, no answer on the screen or in
the log; the log says what failed and where; the exit status says it failed."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import click
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError
from textual import work
from textual.app import App

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.cli import main
from frontdoor.console.commands.common import FrontDoorGroup
from frontdoor.console.crash import EXIT_FAILED, ShowsFailuresInWords, run_console
from frontdoor.console.logs import configure_logging, get_logger
from frontdoor.console.wiring import FrontDoor

PASSWORD = "s3cret-Pa55word"
URL = f"postgresql+psycopg://frontdoor:{PASSWORD}@127.0.0.1:{{port}}/frontdoor"
ANSWER = "Ada Lovelace lives alone"


def closed_port() -> int:
    """A local port nothing listens on (taken from the OS, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def a_database_error() -> OperationalError:
    """What SQLAlchemy raises mid-call: its message carries the SQL and the answer."""
    return OperationalError(
        "INSERT INTO answers (contact_id, answer) VALUES (?, ?)",
        ("c-1", ANSWER),
        Exception("server closed the connection unexpectedly"),
    )


def log_lines(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def assert_gives_nothing_away(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text
        assert PASSWORD not in text
        assert "Ada" not in text and "INSERT" not in text


def test_the_console_on_a_database_that_does_not_answer_says_so_and_exits_3(tmp_path):
    log = tmp_path / "frontdoor.log"
    url = URL.format(port=closed_port())
    result = CliRunner().invoke(
        main, ["console", "--db", url], env={"FRONTDOOR_LOG_FILE": str(log)}
    )
    assert result.exit_code == EXIT_FAILED
    assert result.output.startswith(
        "frontdoor: the database at postgresql+psycopg://frontdoor:***@127.0.0.1:"
    )
    assert "did not answer" in result.output and "check that the database server" in result.output
    assert_gives_nothing_away(result.output, log.read_text())
    (line,) = log_lines(log)
    assert line["event"] == "command_failed" and line["command"] == "console"
    assert line["error"] == "OperationalError" and line["driver_error"].startswith("psycopg.")
    assert line["ours"].startswith("frontdoor.")  # where it left our code: module:function:line


class CrashingOnStart(FrontDoorApp):
    def on_mount(self) -> None:
        password = PASSWORD  # a local: Textual's own traceback would print it  # noqa: F841
        raise a_database_error()


def test_a_crash_inside_the_console_is_logged_worded_and_exits_3(front: FrontDoor, capsys):
    log = front.settings.log_file
    status = run_console(
        CrashingOnStart(front, handler="h.jones"), URL.format(port=5432), headless=True
    )
    assert status == EXIT_FAILED
    shown = capsys.readouterr()
    words = " ".join(shown.err.split())  # Rich wraps it to the terminal's width
    assert words.startswith("frontdoor: the database at postgresql+psycopg://frontdoor:***@")
    assert "did not answer (server closed the connection unexpectedly)" in words
    assert_gives_nothing_away(shown.out, shown.err, log.read_text())
    failed = [line for line in log_lines(log) if line["event"] == "console_failed"]
    assert failed[0]["where"].startswith("tests.console.test_crash:on_mount:")
    assert failed == [
        {
            "event": "console_failed",
            "error": "OperationalError",
            "where": failed[0]["where"],
            "code": "e3q8",
            "driver_error": "builtins.Exception",
            "level": "error",
            "timestamp": failed[0]["timestamp"],
        }
    ]


class FailingWorker(ShowsFailuresInWords, App[None]):
    def on_mount(self) -> None:
        self.save()

    @work(thread=True)
    def save(self) -> None:
        raise KeyError(ANSWER)


def test_a_failed_worker_is_reported_as_its_own_error_not_the_workers(tmp_path, capsys):
    log = tmp_path / "frontdoor.log"
    configure_logging(log)
    app = FailingWorker()
    assert run_console(app, headless=True) == EXIT_FAILED
    shown = capsys.readouterr()
    words = " ".join(shown.err.split())
    assert "something unexpected went wrong (KeyError); it is in the log at" in words
    assert_gives_nothing_away(shown.out, shown.err, log.read_text())
    (line,) = log_lines(log)
    assert line["error"] == "KeyError"  # the worker's own error, not WorkerFailed
    assert line["where"].startswith("tests.console.test_crash:save:")


def test_the_log_never_holds_an_exceptions_message_or_traceback(tmp_path):
    log = tmp_path / "frontdoor.log"
    configure_logging(log)
    try:
        raise a_database_error()
    except OperationalError as exc:
        get_logger().exception("not_saved", contact_id="c-1")
        get_logger().error("not_saved", contact_id="c-1", error=exc, exc_info=exc)
    text = log.read_text()
    assert_gives_nothing_away(text)
    first, second = log_lines(log)
    assert first["error"] == "OperationalError" and first["contact_id"] == "c-1"
    assert first["where"].startswith("tests.console.test_crash:")
    assert second["error"] == "OperationalError"  # the object given as a value: its type


def test_any_subcommand_that_fails_unexpectedly_is_worded_logged_and_exits_3(tmp_path):
    """The group catches what a subcommand lets escape (here one without --db, like
    `scripts test`), so no subcommand can show a traceback."""
    group = FrontDoorGroup("frontdoor")
    scripts = click.Group("scripts")
    group.add_command(scripts)

    @scripts.command("explode")
    @click.argument("path")
    def explode(path: str) -> None:
        password = PASSWORD  # noqa: F841
        raise a_database_error().__class__("SELECT 1", (ANSWER,), ValueError(PASSWORD))

    log = tmp_path / "frontdoor.log"
    configure_logging(log)
    result = CliRunner().invoke(group, ["scripts", "explode", "x.yaml"])
    assert result.exit_code == EXIT_FAILED
    assert result.output.startswith("frontdoor: the database did not answer: check that")
    assert_gives_nothing_away(result.output, log.read_text())
    (line,) = log_lines(log)
    assert (line["command"], line["error"]) == ("scripts explode", "OperationalError")
