"""What an import found in a file, before it touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from frontdoor.directory.model import Service


class FeedError(Exception):
    """The file cannot be read as a directory feed at all; the message says what to do."""


@dataclass(frozen=True)
class Refusal:
    record: int  # 1-based position in the file
    id: str | None
    reason: str


@dataclass(frozen=True)
class Flag:
    """A record that was kept, with something in it that could not be used as given."""

    id: str
    field: str
    problem: str


@dataclass
class ParsedFeed:
    format: str
    services: list[Service] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    flagged: list[Flag] = field(default_factory=list)
    unused_fields: dict[str, int] = field(default_factory=dict)

    def count_unused(self, name: str) -> None:
        self.unused_fields[name] = self.unused_fields.get(name, 0) + 1
