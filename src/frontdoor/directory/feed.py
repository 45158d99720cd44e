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


@dataclass(frozen=True)
class SkippedRow:
    """A row of an HSDS CSV table that could not be read as a row (an unterminated
    quote, the wrong number of columns): the rows after it are still read."""

    table: str  # the file's name, services.csv
    line: int  # 1-based line in that file where the row starts
    reason: str


@dataclass
class ParsedFeed:
    format: str
    services: list[Service] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    flagged: list[Flag] = field(default_factory=list)
    unused_fields: dict[str, int] = field(default_factory=dict)
    # the CSV form only: rows that could not be read, and tables in the folder that
    # Front Door does not read (so a service lead knows what did not come across)
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    tables_not_read: list[str] = field(default_factory=list)

    def count_unused(self, name: str) -> None:
        self.unused_fields[name] = self.unused_fields.get(name, 0) + 1
