"""One CSV table read row by row, so that one bad row costs only itself.

Python's csv reader takes an unterminated quote as a field that runs on to the next
quote or the end of the file, swallowing every record in between. Here a row that
breaks the CSV rules, or has another number of columns than the header, is reported
with the line it starts on, and reading starts again on the line after its first, so
the records after it are read.
"""

from __future__ import annotations

import csv
from pathlib import Path

from frontdoor.directory.feed import FeedError, SkippedRow


def read_table(path: Path) -> tuple[list[dict[str, str]], list[SkippedRow]]:
    """The rows of `path` as {column: value, stripped}, and the rows that could not be
    read. A file that is not UTF-8 at all, or has no header, is a FeedError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedError(f"cannot read {path}: {exc}; save it as UTF-8 CSV") from exc
    lines = text.splitlines(keepends=True)
    try:
        header_reader = csv.reader(lines, strict=True)
        header = [h.strip() for h in next(header_reader)]
    except (StopIteration, csv.Error) as exc:
        raise FeedError(f"{path} has no header row of column names") from exc
    rows: list[dict[str, str]] = []
    skipped: list[SkippedRow] = []
    position = header_reader.line_num  # lines used so far, from the file's start
    while position < len(lines):
        reader = csv.reader(lines[position:], strict=True)
        restart: int | None = None
        while True:
            start = position + reader.line_num  # 0-based line the next row starts on
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                skipped.append(
                    SkippedRow(path.name, start + 1, f"not read: {exc} (an unterminated quote?)")
                )
                restart = start + 1
                break
            if not row or row == [""]:
                continue
            if len(row) != len(header):
                spans = position + reader.line_num - start
                reason = f"not read: {len(row)} columns where the header has {len(header)}"
                if spans > 1:
                    # a quote left open ran over the lines after it: they are rows too
                    skipped.append(
                        SkippedRow(path.name, start + 1, reason + " (an unterminated quote?)")
                    )
                    restart = start + 1
                    break
                skipped.append(SkippedRow(path.name, start + 1, reason))
                continue
            rows.append({k: v.strip() for k, v in zip(header, row, strict=True) if k})
        if restart is None:
            break
        position = restart
    return rows, skipped
