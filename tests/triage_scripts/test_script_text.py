"""The keys the record speaks for, in a script's text: filled in where a submitted file
leaves them out (every line keeps its number), written over the file's on export (the
lead's layout kept), and read back as the same values whatever they hold."""

from __future__ import annotations

import datetime as dt

from frontdoor.triage_scripts.loader import load_text
from frontdoor.triage_scripts.script_text import top_level, with_missing, with_record

TEXT = """\
script: repair
title: Equipment repair   # what handlers see
# the lead's note on the owner
owner: Equipment lead
category: social_care
start: urgent
nodes:
  urgent:
    outcome: referred
    say: |
      Book the engineer.
"""
RECORD = {
    "version": 4,
    "status": "published",
    "approved_by": "O'Brien: lead #1",
    "approved_on": dt.date(2026, 11, 24),
}


def test_missing_keys_are_added_at_the_end_so_lines_keep_their_numbers():
    filled = with_missing(TEXT, {"version": 3, "status": "draft", "owner": "not used"})
    assert filled.splitlines()[: len(TEXT.splitlines())] == TEXT.splitlines()
    data = top_level(filled)
    assert data is not None
    assert (data["version"], data["status"], data["owner"]) == (3, "draft", "Equipment lead")
    assert data["nodes"]["urgent"]["say"] == "Book the engineer.\n"  # the block is whole


def test_the_record_is_written_over_the_file_and_the_rest_kept():
    written = with_record(TEXT.replace("owner:", "version: 1\nowner:"), RECORD)
    loaded = load_text(written, "repair.yaml").loaded
    assert loaded is not None
    script = loaded.script
    assert (script.version, script.status, script.approved_by, script.approved_on) == (
        4,
        "published",
        "O'Brien: lead #1",
        dt.date(2026, 11, 24),
    )
    lines = written.splitlines()
    assert lines[1] == "title: Equipment repair   # what handlers see"  # then the record's
    assert lines[2:5] == [
        "status: published",
        'approved_by: "O\'Brien: lead #1"',
        "approved_on: 2026-11-24",
    ]
    assert "# the lead's note on the owner" in lines and "version: 4" in lines
    assert [line for line in lines if line not in ("version: 4",) and line not in lines[2:5]] == [
        line for line in TEXT.splitlines()
    ]


def test_a_text_laid_out_otherwise_is_written_whole():
    flow = "{script: x, title: T, version: 1, status: draft, category: c, start: a,\n"
    flow += " nodes: {a: {outcome: advice}}}\n"
    data = top_level(with_record(flow, RECORD))
    assert data is not None and data["approved_by"] == "O'Brien: lead #1"
    assert (data["version"], data["approved_on"], data["nodes"]) == (
        4,
        "2026-11-24",
        {"a": {"outcome": "advice"}},
    )
