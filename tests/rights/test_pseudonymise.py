"""`contacts export --pseudonymise`: the hand-worked March of tests/mi exported with its
keys as pseudonyms and loaded into an empty database gives the same report, verified
first-contact resolution included (repeat contacts still link); nothing in the file
names anyone, and without a site secret the export is refused in a sentence."""

from __future__ import annotations

import json
import os
import stat

import pytest
from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.people.pseudonyms import Pseudonyms
from tests.conftest import copy_sqlite, filled_db_url
from tests.mi.test_report import import_march, mi_report

SECRET = {"FRONTDOOR_SITE_SECRET": "a site secret of the tests, thirty-two characters or more"}


@pytest.fixture(params=["sqlite"])
def march_url(request, tmp_path):
    """The export reads the record as every other reader does (the MI's two databases
    are tested in tests/mi): SQLite is enough here."""
    return filled_db_url(request, tmp_path, "march", import_march)


def export(db: str, out, env=SECRET) -> str:
    result = CliRunner(env=env).invoke(
        main, ["contacts", "export", "--pseudonymise", "--out", str(out), "--db", db]
    )
    assert result.exit_code == 0, result.output
    return out.read_text()


def test_the_pseudonymised_file_gives_the_same_figures_and_names_nobody(
    march_url, tmp_path, sqlite_template
):
    text = export(march_url, tmp_path / "pseudonymised.jsonl")
    assert stat.S_IMODE(os.stat(tmp_path / "pseudonymised.jsonl").st_mode) == 0o600
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == 13
    for raw in ("+441", "ashby surgery", "9434765919"):
        assert raw not in text
    keys = {line["caller_key"] for line in lines} | {line["subject_key"] for line in lines}
    assert all(k is None or k.startswith("hmac:") for k in keys)

    # the keyed hash of each key under the site's secret, another secret's another
    ours = Pseudonyms(SECRET["FRONTDOOR_SITE_SECRET"].encode())
    assert lines[0]["caller_key"] == ours.of("+441")
    assert Pseudonyms(b"another site's secret, 32 bytes or more").of("+441") != ours.of("+441")

    other = copy_sqlite(sqlite_template, tmp_path / "elsewhere.db")
    loaded = CliRunner().invoke(
        main, ["contacts", "import", str(tmp_path / "pseudonymised.jsonl"), "--db", other]
    )
    assert loaded.exit_code == 0, loaded.output
    original, pseudonymised = mi_report(march_url), mi_report(other)
    assert pseudonymised["fcr_verified"] == original["fcr_verified"]
    # the repeats of c1, c6 and c10 found by their pseudonyms, as by their keys
    assert pseudonymised["fcr_verified"]["overall"] == {"rate": 0.5, "n": 6}
    original.pop("made_at"), pseudonymised.pop("made_at")
    assert pseudonymised == original


def test_names_notes_and_typed_answers_stay_behind(front, clock, tmp_path):
    call = front.call_service().start(
        NewContact(
            handler="h.jones",
            caller="01472 000111",
            caller_name="June Carer",
            subject_name="Ada Lovelace",
            subject_nhs_number="943 476 5919",
            subject_postcode="DN32 7DL",
        )
    )
    for answer in [
        "No",
        "No",
        "No",
        "A fall, or someone unsteady on their feet",
        "No",
        "No",
        "No",
        "3",
    ]:
        clock.advance(10)
        call.answer(answer)
    call.record_search("falls for ada lovelace 943 476 5919", call.search("falls"))
    call.end_call()
    call.wrap_up(WrapUp("advice", "new_need", notes="June says Ada fell at 7am"))
    [line] = export(front.settings.db, tmp_path / "out.jsonl").splitlines()
    # the NHS number in each way it was typed: "943" alone also turns up in random ids
    for personal in ("Ada", "Lovelace", "June", "943 476", "9434765919", "4765919", "01472", "7am"):
        assert personal not in line, personal
    written = json.loads(line)
    assert [a["answer"] for a in written["answers"]][-2:] == ["No", None]  # "3" was typed
    assert written["searches"][0]["query"] == "falls for [name] [number]"
    assert written["notes"] == ""

    refused = CliRunner(env={"FRONTDOOR_SITE_SECRET": "short"}).invoke(
        main, ["contacts", "export", "--pseudonymise", "--db", front.settings.db]
    )
    assert refused.exit_code == 2
    assert (
        "FRONTDOOR_SITE_SECRET has 5 characters; a site secret needs at least 32" in refused.output
    )
