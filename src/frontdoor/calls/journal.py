"""The console's local journal: every write of a call, on this workstation's disk, before
the screen moves on. When the database answers, the outbox applies the journal in order;
each write carries its own id, so a journal replayed twice writes nothing twice.

One JSON line per write, in a file readable by its owner only and flushed to disk
(fsync) on every append. A line cut short by a crash was never acknowledged to the
handler (the screen had not moved on), so it is skipped when read back.

Each running console has a journal of its own, named by its console id and locked
(flock) while it runs: a journal nobody holds belongs to a console that has gone, and the
next console to start takes it over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from frontdoor.access.audit import Actor
from frontdoor.interactions.model import (
    CallEndedWrite,
    ContactWrite,
    NotesWrite,
    ScriptEnd,
    SearchWrite,
    ServiceTakenBackWrite,
    ServiceWrite,
    StepTaken,
    StepWrite,
    WrapUp,
    WrapUpWrite,
)
from frontdoor.private_files import private_folder

try:  # POSIX: a running console's journal is locked so others leave it alone
    import fcntl
except ImportError:  # pragma: no cover - Windows: journals are taken over only by their own
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".journal"


def _step_json(step: StepTaken) -> list[Any]:
    answer = list(step.answer) if isinstance(step.answer, tuple) else step.answer
    return [step.script, step.version, step.node, step.kind, answer, step.wording]


def _step_from(data: list[Any]) -> StepTaken:
    # a journal written before wordings were kept has five fields
    script, version, node, kind, answer, *rest = data
    if isinstance(answer, list):  # a check-all-that-apply answer
        answer = tuple(answer)
    return StepTaken(script, version, node, kind, answer, rest[0] if rest else None)


def _end_from(data: list[Any]) -> ScriptEnd:
    script, version, node, outcome, red_flag, *rest = data
    code, wording = [*rest, None, None][:2]
    return ScriptEnd(script, version, node, outcome, red_flag, code=code, wording=wording)


def to_json(write: ContactWrite) -> dict[str, Any]:
    head: dict[str, Any] = {
        "step_id": write.step_id,
        "contact_id": write.contact_id,
        "at": write.at.isoformat(),
        "holder": write.holder,
    }
    if write.by is not None:
        head["by"] = [write.by.user, write.by.role, write.by.workstation]
    if isinstance(write, StepWrite):
        return {
            "kind": "step",
            **head,
            "step": _step_json(write.step),
            "ends": [
                [e.script, e.version, e.node, e.outcome, e.red_flag, e.code, e.wording]
                for e in write.ends
            ],
            "withdraw_ends": write.withdraw_ends,
            "decided": [_step_json(d) for d in write.decided],
        }
    if isinstance(write, SearchWrite):
        return {"kind": "search", **head, "query": write.query, "results": list(write.results)}
    if isinstance(write, ServiceWrite):
        return {
            "kind": "service",
            **head,
            "service": [write.service_id, write.service_name, write.action],
            "search_step_id": write.search_step_id,
        }
    if isinstance(write, ServiceTakenBackWrite):
        return {"kind": "taken_back", **head, "service": [write.service_id, write.action]}
    if isinstance(write, CallEndedWrite):
        return {"kind": "ended", **head}
    if isinstance(write, NotesWrite):
        return {"kind": "notes", **head, "notes": write.notes}
    w = write.wrap
    return {"kind": "wrap_up", **head, "wrap": [w.outcome, w.demand, w.notes, w.category]}


def from_json(data: dict[str, Any]) -> ContactWrite:
    args = (
        str(data["step_id"]),
        str(data["contact_id"]),
        dt.datetime.fromisoformat(data["at"]),
        data.get("holder"),
    )
    kind = data["kind"]
    write = _write_from(kind, data, args)
    # a journal written before writes said who made them has no `by`: whoever is signed
    # in where it is saved is named, as then
    by = data.get("by")
    if isinstance(by, list) and len(by) == 3:
        return replace(write, by=Actor(str(by[0]), str(by[1]), str(by[2])))
    return write


def _write_from(
    kind: str, data: dict[str, Any], args: tuple[str, str, dt.datetime, str | None]
) -> ContactWrite:
    if kind == "step":
        step = _step_from(data["step"])
        ends = tuple(_end_from(e) for e in data["ends"])
        decided = tuple(_step_from(d) for d in data.get("decided", []))
        return StepWrite(*args, step, ends, int(data["withdraw_ends"]), decided)
    if kind == "search":
        return SearchWrite(*args, str(data["query"]), tuple(data["results"]))
    if kind == "service":
        service_id, name, action = data["service"]
        return ServiceWrite(*args, service_id, name, action, data.get("search_step_id"))
    if kind == "taken_back":
        service_id, action = data["service"]
        return ServiceTakenBackWrite(*args, service_id, action)
    if kind == "ended":
        return CallEndedWrite(*args)
    if kind == "notes":
        return NotesWrite(*args, str(data["notes"]))
    if kind == "wrap_up":
        return WrapUpWrite(*args, WrapUp(*data["wrap"]))
    raise ValueError(f"unknown journal entry kind {kind!r}")


def read(path: Path) -> list[ContactWrite]:
    """The writes in a journal file, in order; a line cut short by a crash is skipped."""
    writes = []
    with contextlib.suppress(FileNotFoundError), path.open(encoding="utf-8") as file:
        for line in file:
            try:
                writes.append(from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError):
                continue  # a partial last line: never acknowledged to the handler
    return writes


class Journal:
    """This console's journal: appended and flushed per write, locked while it runs."""

    def __init__(self, folder: Path, console_id: str) -> None:
        private_folder(folder)
        self.folder = folder
        self.console_id = console_id
        self.path = folder / f"{console_id}{SUFFIX}"
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        self._file = os.fdopen(fd, "a+", encoding="utf-8")
        if fcntl is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def append(self, write: ContactWrite) -> None:
        self._file.write(json.dumps(to_json(write), separators=(",", ":")) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def rewrite(self, writes: list[ContactWrite]) -> None:
        """Keep only `writes` (those not yet applied), flushed to disk."""
        self._file.seek(0)
        self._file.truncate()
        for write in writes:
            self._file.write(json.dumps(to_json(write), separators=(",", ":")) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self, remove_if_empty: bool = True) -> None:
        empty = self._file.tell() == 0 if not self._file.closed else False
        self._file.close()
        if remove_if_empty and empty:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def orphans(folder: Path, exclude: str) -> Iterator[tuple[str, Path]]:
    """(console id, path) of each journal in `folder` whose console has gone."""
    if not folder.exists():
        return
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        console_id = path.name[: -len(SUFFIX)]
        if console_id == exclude:
            continue
        if fcntl is not None:
            with path.open("a", encoding="utf-8") as probe:
                try:
                    fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a running console holds it
                fcntl.flock(probe.fileno(), fcntl.LOCK_UN)
        yield console_id, path
