"""structlog, configured once by the CLI: JSON lines to a file (the terminal is Textual's),
owner-only (0600, in a 0700 folder), as every file Front Door writes.

Only ids and codes are logged (contact id, handler, node, outcome); never names,
numbers or notes. An error is logged as its type and where it was raised (module,
function, line), never its message, arguments or traceback: a database error's message
carries the SQL parameters (the caller's answers) and can carry the database URL.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import traceback
from collections.abc import MutableMapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from frontdoor.console.locations import log_dir
from frontdoor.private_files import make_folders, open_private, private_folder

if TYPE_CHECKING:
    import structlog

# structlog (and the Rich it brings for its console renderer) is imported by the
# functions that use it: the console's first screen is painted before logging starts.

# Keys under which structlog or the standard library would carry a traceback or an
# exception object: replaced by type and place, or dropped.
_EXCEPTION_KEYS = ("exc_info", "exception", "stack", "stack_info")

_configured: list[Path] = []


def _frame_place(frame: Any, lineno: int) -> str:
    return f"{frame.f_globals.get('__name__', '?')}:{frame.f_code.co_name}:{lineno}"


def failure_fields(exc: BaseException) -> dict[str, str]:
    """What may be logged of an exception: its type, where it was raised, where it left
    our own code, and the database library's code for it. No message, no values."""
    fields = {"error": type(exc).__name__}
    frames = list(traceback.walk_tb(exc.__traceback__))
    if frames:
        fields["where"] = _frame_place(*frames[-1])
        ours = [
            f for f in frames if str(f[0].f_globals.get("__name__", "")).startswith("frontdoor")
        ]
        if ours and ours[-1] is not frames[-1]:
            fields["ours"] = _frame_place(*ours[-1])
    code = getattr(exc, "code", None)
    if isinstance(code, str) and type(exc).__module__.startswith("sqlalchemy"):
        fields["code"] = code  # SQLAlchemy's own error code, e.g. e3q8
    driver = getattr(exc, "orig", None)
    if isinstance(driver, BaseException):
        fields["driver_error"] = f"{type(driver).__module__}.{type(driver).__name__}"
    if exc.__cause__ is not None:
        fields["cause"] = type(exc.__cause__).__name__
    return fields


def _exception_from(value: Any) -> BaseException | None:
    if isinstance(value, BaseException):
        return value
    if isinstance(value, tuple) and len(value) == 3 and isinstance(value[1], BaseException):
        return value[1]
    if value is True:
        return sys.exc_info()[1]
    return None


def without_exception_values(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor: an exception or traceback given to a log call becomes its
    type and place; any exception passed as a value becomes its type name."""
    for key in _EXCEPTION_KEYS:
        value = event_dict.pop(key, None)
        exc = _exception_from(value) if key == "exc_info" else None
        if exc is not None:
            for name, text in failure_fields(exc).items():
                event_dict.setdefault(name, text)
    for key, value in list(event_dict.items()):
        if isinstance(value, BaseException):
            event_dict[key] = type(value).__name__
        elif isinstance(value, TracebackType):
            event_dict[key] = "traceback"
    return event_dict


class _MessageOnly(logging.Formatter):
    """The rendered JSON line alone: the standard library would append a traceback when
    structlog's `exception()` hands it exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()


class _OthersWithoutMessages(logging.Formatter):
    """A library's own warning or error (SQLAlchemy's pool, psycopg) as a JSON line of its
    logger, level and place, and the type and place of its exception: never its message
    or arguments, which can hold a statement's values, nor a traceback. Without this the
    standard library prints such records, traceback and all, on stderr, under the
    console's screen."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, str] = {
            "event": "library_log",
            "logger": record.name,
            "level": record.levelname.lower(),
            "where": f"{record.module}:{record.funcName}:{record.lineno}",
            "timestamp": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            fields |= {f"exception_{k}": v for k, v in failure_fields(record.exc_info[1]).items()}
        return json.dumps(fields)


def _private_log(path: Path) -> logging.Handler:
    """A handler appending to `path`, made (with its folder) owner-only before a line is
    in it; the default log folder is Front Door's own, so it is tightened too."""
    if path.parent == log_dir():
        private_folder(path.parent)
    else:
        make_folders(path.parent)  # a folder someone chose is theirs: only made if missing
    open_private(path, append=True).close()
    return logging.FileHandler(path, encoding="utf-8")


def configure_logging(path: Path) -> bool:
    """Log to `path`; False (and nothing logged) if the file cannot be written there."""
    import structlog

    try:
        handler = _private_log(path)
        others: logging.Handler = _private_log(path)
        written = True
    except OSError:
        handler = others = logging.NullHandler()
        written = False
    handler.setFormatter(_MessageOnly())
    others.setFormatter(_OthersWithoutMessages())
    others.setLevel(logging.WARNING)
    logger = logging.getLogger("frontdoor")
    for old in logger.handlers:
        old.close()
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h.formatter, _OthersWithoutMessages)]:
        old.close()
        root.removeHandler(old)
    root.addHandler(others)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            without_exception_values,
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    _configured[:] = [path] if written else []
    return written


def log_path() -> Path | None:
    """Where this process logs, once configured (None before, or if it cannot)."""
    return _configured[0] if _configured else None


def is_configured() -> bool:
    import structlog

    return structlog.is_configured()


def get_logger() -> structlog.stdlib.BoundLogger:
    import structlog

    logger: structlog.stdlib.BoundLogger = structlog.get_logger("frontdoor")
    return logger


def log_failure(event: str, exc: BaseException, **ids: str) -> None:
    """Log a failure as its type and place (never its message)."""
    get_logger().error(event, **ids, **failure_fields(exc))
