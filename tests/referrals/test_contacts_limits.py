"""A contacts file's bad records are refused each by its line number and a reason, the
same on SQLite and PostgreSQL (before, PostgreSQL alone refused a long id or a NUL with a
database error that named no line, and years 1 or 9999 or huge integers crashed both);
and export then import gives back the same contacts whatever their text holds."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.interactions.jsonl import file_lines
from frontdoor.referrals.interchange import contact_lines
from tests.conftest import FakeClock
from tests.referrals.test_contacts_file import load


@pytest.fixture
def door(db_url: str, tmp_path: Path) -> Iterator[FrontDoor]:
    settings = load_settings(db=db_url, log_file=tmp_path / "log", journal=tmp_path / "journal")
    front = open_front_door(settings, clock=FakeClock(), migrate=False, check_library=False)
    yield front
    front.engine.dispose()


def contact(contact_id: str, **fields: object) -> dict[str, object]:
    return {
        "id": contact_id,
        "channel": "phone",
        "caller_type": "public",
        "caller_key": "+441472000999",
        "category": "carers",
        "received_at": "2026-04-02T13:50:00Z",
        "handler": "h.old",
        "outcome": "advice",
        "demand": "new_need",
    } | fields


def answered(value: str) -> list[dict[str, object]]:
    return [{"script": "carers", "node": "who", "answer": value, "at": "2026-04-02T13:51:00Z"}]


LONG = "x" * 41
# (the line as a file holds it, the verdict: None when it is kept)
LINES: list[tuple[str, str | None]] = [
    (json.dumps(contact("c-good-1")), None),
    (
        json.dumps(contact("c-year-1", received_at="0001-01-01T00:00:00+01:00")),
        "received_at: 0001-01-01T00:00:00+01:00 is not a time a contact can have: give one "
        "from 1900 to 2999",
    ),
    (
        json.dumps(contact("c-year-9999", ended_at="9999-12-31T23:59:59-01:00")),
        "ended_at: 9999-12-31T23:59:59-01:00 is not a time a contact can have: give one "
        "from 1900 to 2999",
    ),
    (
        json.dumps(contact("c-huge", ends=[{"script": "s", "version": 2**40, "node": "n"}])),
        "ends.0.version: Input should be less than or equal to 2147483647",
    ),
    (
        json.dumps(contact("c-digits")).replace('"advice"', "1" + "0" * 5000),
        "it holds a number too long to read (over 4,300 digits)",
    ),
    (
        json.dumps(contact("c-nul", notes="before\x00after")),
        "notes: holds a NUL character (U+0000), which the record cannot keep; remove it",
    ),
    (
        json.dumps(
            contact(
                "c-nul-deep",
                searches=[{"query": "q", "at": "2026-04-02T13:52:00Z", "results": ["a\x00"]}],
            )
        ),
        "searches.0.results.0: holds a NUL character (U+0000), which the record cannot "
        "keep; remove it",
    ),
    (
        json.dumps(contact("c-lone", answers=answered("\ud83d"))),
        "answers.0.answer: holds a lone surrogate (\\ud83d), which is not a character; give "
        "the character itself or its full surrogate pair",
    ),
    (json.dumps(contact(LONG)), "id: is 41 characters long; the record keeps at most 40"),
    (
        json.dumps(contact("c-handler", handler="h" * 81)),
        "handler: is 81 characters long; the record keeps at most 80",
    ),
    (
        json.dumps(contact("c-service", services=[{"service": "s" * 121, "action": "signposted"}])),
        "services.0.service: is 121 characters long; the record keeps at most 120",
    ),
    (
        json.dumps(
            contact(
                "c-referral",
                outcome="referred",
                services=[
                    {
                        "service": "district-nursing",
                        "action": "referred",
                        "referral": {"code": "c" * 61, "respond_within": "4000000h"},
                    }
                ],
            )
        ),
        "services.0.referral.code: is 61 characters long; the record keeps at most 60",
    ),
    (
        json.dumps(
            contact(
                "c-respond",
                outcome="referred",
                services=[
                    {
                        "service": "district-nursing",
                        "action": "referred",
                        "referral": {"respond_within": "4000000 working days"},
                    }
                ],
            )
        ),
        "services.0.referral.respond_within: respond_within is at most 8784h or 366 working "
        "days (a year or so), not '4000000 working days'",
    ),
    (
        json.dumps(contact("c-types", answers=1)),
        "answers: Input should be a valid list",
    ),
    (json.dumps(contact("c-types-2", phones=1)), "phones: Extra inputs are not permitted"),
    (
        b'{"id": "c-latin-1", "notes": "caf\xe9"}',
        "is not UTF-8 text (byte 0xe9 at column 34); save the file as UTF-8",
    ),
    (
        '{"id": "c-cut", "notes": "caf',
        "not valid JSON (Unterminated string starting at at column 26)",
    ),
    (json.dumps(contact("c-good-2")), None),
]


def as_bytes(line: str | bytes) -> bytes:
    return line if isinstance(line, bytes) else line.encode("utf-8")


def test_each_bad_record_is_refused_by_its_line_the_same_on_both_databases(door):
    lines = [as_bytes(text) for text, _ in LINES]
    refused = load(door, list(file_lines(io.BytesIO(b"\n".join(lines)))))
    expected = [(n, why) for n, (_, why) in enumerate(LINES, start=1) if why is not None]
    assert [(b.number, b.reason) for b in refused.bad] == expected
    assert list(door.record.all_contacts()) == []  # the file refused whole, as the spec says
    kept = [as_bytes(text) for text, why in LINES if why is None]
    loaded = load(door, kept)
    assert loaded.loaded and loaded.added == ["c-good-1", "c-good-2"]


NASTY = {
    "separators": "line\u2028paragraph\u2029next\x85NEL\x0bVT\x0cFF\x1cFS\rCR\ttab",
    "emoji": "carer 🧑‍🦽 for 👩🏽‍⚕️ 🏳️‍🌈",
    "rtl": "\u202eright-to-left override\u202c and עברית with عربي\u200f",
    "quotes": "a \"quoted\" \\backslash\\ and 'single' and \u0001 \u001f \u007f controls",
    "combining": "e\u0301 Z\u0351\u0358 \ufeff zero-width\u200b joiner\u200d",
    "astral": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010fffd \ufffd replacement",
    "long": "a note that goes on. " * 5000,
}


def test_export_then_import_gives_back_the_same_contacts_whatever_the_text(door, tmp_path):
    given = [
        contact(
            f"c-{name}",
            notes=text,
            caller_key=text[:120],
            answers=answered(text),
            searches=[{"query": text, "at": "2026-04-02T13:52:00Z", "results": [], "chosen": None}],
        )
        for name, text in NASTY.items()
    ]
    # as an older system writes them: ASCII escapes, and a surrogate pair for the emoji
    assert load(door, [json.dumps(c, ensure_ascii=True) for c in given]).loaded
    exported = list(contact_lines(door.record.all_contacts(), door.referrals))
    back_by_id = {json.loads(line)["id"]: json.loads(line) for line in exported}
    assert len(back_by_id) == len(given)
    for original in given:
        back = back_by_id[str(original["id"])]
        for key in ("id", "notes", "caller_key", "answers", "searches"):
            assert back[key] == original[key], key
    # written as `contacts export --out` writes them (raw UTF-8, U+2028 and all), then read
    # as `contacts import` reads them: the same contacts, nothing new, nothing refused
    path = tmp_path / "contacts.jsonl"
    path.write_bytes(b"".join(line.encode("utf-8") + b"\n" for line in exported))
    with path.open("rb") as handle:
        again = load(door, list(file_lines(handle)))
    assert again.loaded and again.added == [] and len(again.unchanged) == len(NASTY)


def test_the_command_reads_a_line_with_a_line_separator_in_its_notes(front, tmp_path):
    path = tmp_path / "contacts.jsonl"
    with path.open("w", encoding="utf-8", newline="") as handle:
        # a byte-order mark, CRLF line ends, U+2028 raw in the notes
        handle.write("\ufeff" + json.dumps(contact("c-1", notes="a\u2028b"), ensure_ascii=False))
        handle.write("\r\n" + json.dumps(contact("c-2", notes="c\u2029d"), ensure_ascii=False))
    result = CliRunner().invoke(main, ["contacts", "import", str(path), "--db", front.settings.db])
    assert result.exit_code == 0, result.output
    assert [c.notes for c in front.record.all_contacts()] == ["a\u2028b", "c\u2029d"]
