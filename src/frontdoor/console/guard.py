"""When the database does not answer, the handler is told in words and nothing else is
lost: the action is not taken, the screen stays where it was, and the log says why."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from textual.app import App

from frontdoor.console.logs import get_logger
from frontdoor.interactions.record import RecordError


@contextmanager
def saving(app: App[Any], what: str) -> Iterator[None]:
    """Run the body; if the record refuses or fails, skip the rest of it and say so."""
    try:
        yield
    except (SQLAlchemyError, RecordError) as exc:
        reason = str(exc) if isinstance(exc, RecordError) else "the database did not answer"
        app.notify(
            f"Could not {what}: {reason}. Everything saved before is kept; try again, and "
            "tell your supervisor if it goes on.",
            title="Not saved",
            severity="error",
            markup=False,
            timeout=10,
        )
        get_logger().error("not_saved", what=what, error=type(exc).__name__)
