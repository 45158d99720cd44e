"""Work done on a connection just before anything else reaches the server through
SQLAlchemy: a COPY's result read (results_later.py), statements kept back sent
(pipeline.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event


@contextmanager
def before_use(
    connection: Connection, before: Callable[[], object], before_rollback: Callable[[], object]
) -> Iterator[None]:
    """Inside the `with`, `before` runs before each statement SQLAlchemy runs on the
    connection and before its commit; `before_rollback` before its rollback."""

    def before_statement_or_commit(*_: Any) -> None:
        before()

    def rolling_back(*_: Any) -> None:
        before_rollback()

    hooks: list[tuple[str, Callable[..., None]]] = [
        ("before_cursor_execute", before_statement_or_commit),
        ("commit", before_statement_or_commit),
        ("rollback", rolling_back),
    ]
    for name, hook in hooks:
        event.listen(connection, name, hook)
    try:
        yield
    finally:
        for name, hook in hooks:
            event.remove(connection, name, hook)
