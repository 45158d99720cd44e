"""Find out what a file is (ORUK, HSDS JSON, HSDS CSV) and read it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from frontdoor.directory.feed import FeedError, ParsedFeed
from frontdoor.directory.hsds_csv import read_csv_folder
from frontdoor.directory.open_referral import parse_payload

FORMATS = ("oruk", "hsds", "hsds-csv")


def detect_format(path: Path, payload: Any | None) -> str:
    if path.is_dir() or path.suffix.lower() == ".csv" or path.name == "datapackage.json":
        return "hsds-csv"
    if isinstance(payload, dict) and isinstance(payload.get("services"), list):
        # an organisation with its services: their shape says which
        payload = payload["services"]
    if isinstance(payload, dict) and (
        "contents" in payload or "schedules" in payload or "attributes" in payload
    ):
        return "hsds"
    if (
        isinstance(payload, list)
        and payload
        and isinstance(payload[0], dict)
        and ("attributes" in payload[0] or "schedules" in payload[0])
    ):
        return "hsds"
    return "oruk"


def read_feed(path: Path, today: dt.date, fmt: str | None = None) -> ParsedFeed:
    """Every usable service in the file or folder at `path`, with what could not be used."""
    if not path.exists():
        raise FeedError(f"there is no file or folder {path}")
    if fmt == "hsds-csv" or (fmt is None and detect_format(path, None) == "hsds-csv"):
        return read_csv_folder(path, today)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedError(f"cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise FeedError(f"{path} is not valid JSON (line {exc.lineno}): {exc.msg}") from exc
    fmt = fmt or detect_format(path, payload)
    try:
        return parse_payload(payload, source=f"{fmt}:{path.stem}", fmt=fmt, today=today)
    except ValueError as exc:
        raise FeedError(f"{path}: {exc}") from exc
