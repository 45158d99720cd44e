"""The handover summary: what the receiving team needs, in text, HTML and a FHIR R4 Bundle
that independent validators accept; refused without consent to share unless an override
is recorded; every handover recorded; and `frontdoor referrals handover`."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from frontdoor.access.audit import AuditQuery
from frontdoor.calls.library import FixedLibrary
from frontdoor.console.cli import main
from frontdoor.interactions.model import Answer, NewContact, WrapUp
from frontdoor.referrals.handovers import ConsentRefused, OverrideAsked
from frontdoor.referrals.store import ReferralError, StateChange
from frontdoor.referrals.triage_path import answered_steps
from frontdoor.triage_scripts.model import Script
from tests.conftest import unavailable

VALIDATOR = Path(__file__).parent / "fhir_validator"
SUMMER = dt.datetime(2026, 6, 15, 8, 55, tzinfo=dt.UTC)  # Monday, 09:55 BST
TO_FALLS = ["No", "No", "No", "A fall, or someone unsteady on their feet"]
HOSTILE = '<script>alert("x")</script> & "Bob" <img src=x onerror=alert(1)>'


def words(text: str) -> str:
    """The text with its lines joined: what it says, however it is wrapped."""
    return " ".join(text.split())


def rapid_response_call(front, clock, *, notes="On the kitchen floor since 7am", **details):
    """A carer rings about a fall: first says the person is badly hurt (999: a red flag),
    goes back, and the person is on the floor unhurt: the rapid response team, within 2h."""
    new = {
        "handler": "h.jones",
        "caller": "01472 000111",
        "caller_name": "June Carer",
        "caller_type": "carer",
        "subject_name": "Ada Lovelace",
        "subject_dob": dt.date(1940, 5, 1),
        "subject_postcode": "DN32 7DL",
        "subject_nhs_number": "943 476 5919",
        "language": "Polish",
        "interpreter_needed": True,
        "consent_share": True,
        **details,
    }
    call = front.call_service().start(NewContact(**new))
    for answer in [*TO_FALLS, "Yes"]:
        clock.advance(5)
        call.answer(answer)
    clock.advance(5)
    call.back()  # not badly hurt after all: the 999 end is withdrawn
    for answer in ["No", "Yes"]:
        clock.advance(5)
        call.answer(answer)
    for service, action in call.suggested_services():
        call.choose(service, action)
    referral_made_at = clock.now
    clock.advance(30)
    call.end_call()
    call.wrap_up(WrapUp(outcome=call.suggested_outcome(), demand="new_need", notes=notes))
    [referral] = front.referrals.made_in(call.contact_id)
    assert referral.made_at == referral_made_at
    return referral


def test_the_text_holds_the_person_the_caller_every_answer_in_order_and_the_local_due_time(
    front, clock
):
    clock.now = SUMMER
    referral = rapid_response_call(front, clock)
    text = front.handovers.produce(referral.id, "text", "h.jones").content
    # made 08:55:40 UTC (4 answers, the withdrawn one, back, 2 answers: 40 s) = 09:55 BST;
    # within 2h: due 10:55:40 UTC, 11:55 BST
    assert "Respond by:         Monday 15 June 2026, 11:55 (BST) (within 2h)" in text
    assert "Made:               Monday 15 June 2026, 09:55 (BST) by h.jones" in text
    for expected in [
        "Ada Lovelace",
        "1 May 1940 (age 86)",
        "943 476 5919",
        "DN32 7DL",
        "Language:           Polish",
        "! Interpreter:        needed",
        "June Carer",
        "Carer or family",
        "Phone:              01472 000111",
        "Consent:            Given",
        "Reason:             Falls and mobility: Rapid response",
        "On the kitchen floor since 7am",
        "! Red flag:           Person on the floor unable to get up (risk of a long",
        "Transfer to the rapid response team now",
        "ring North East Lincolnshire SPA on 01632 960000",
    ]:
        assert expected in text, expected
    # the withdrawn answer is gone, and so is its red flag
    assert "badly hurt, or knocked out" not in text
    answers = [line.split("> ", 1)[1] for line in text.splitlines() if line.startswith("       > ")]
    assert answers == [*TO_FALLS, "No", "Yes"]
    asked = text.index("Is anyone in immediate danger")
    on_floor = text.index("Has the person fallen and hurt themselves badly")
    cannot_get_up = text.index("Is the person on the floor now, not badly hurt")
    assert asked < on_floor < cannot_get_up
    assert text.count("Has the person fallen and hurt themselves badly") == 1


def test_steps_are_worded_as_asked_and_a_back_withdraws_the_decisions_after_its_answer():
    script = Script.model_validate(
        {
            "script": "demo",
            "title": "Living at home",
            "version": 2,
            "status": "published",
            "category": "social_care",
            "start": "alone",
            "nodes": {
                "alone": {
                    "ask": {"self": "Do you live alone?", "other": "Does the person live alone?"},
                    "input": "yes_no",
                    "record": "alone",
                    "route": [{"else": "help_known"}],
                },
                "help_known": {"decide": [{"if": "alone", "next": "help"}, {"else": "help"}]},
                "help": {
                    "ask": "What help is needed?",
                    "input": "text",
                    "record": "need",
                    "route": [{"else": "done"}],
                },
                "done": {"outcome": "advice", "say": "Tell them about the carers' centre."},
            },
        }
    )
    at = SUMMER

    def step(node, kind, answer, version=2, script="demo"):
        return Answer(script, version, node, kind, answer, at, "other")

    answers = [
        step("alone", "answer", "Yes"),
        step("help_known", "decide", "help"),
        step("help", "back", None),  # back at "help": withdraws "Yes" and the decision
        step("alone", "answer", "No"),
        step("help_known", "decide", "help"),
        step("help", "answer", "Shopping"),
        step("done", "back", None),  # back from the end: withdraws "Shopping"
        step("help", "answer", "A carer twice a day"),
        step("old_node", "answer", "Kept", version=0, script="retired"),
    ]
    shown = answered_steps(answers, FixedLibrary({"demo": script}), caller_is_person=True)
    assert [(s.question, s.answer, s.shown) for s in shown] == [
        ("Does the person live alone?", "No", "asked"),  # the wording recorded, not `self`
        ("Help known", "Help", "decided"),
        ("What help is needed?", "A carer twice a day", "asked"),
        ("Old node", "Kept", "asked"),
    ]
    assert [s.worded_as_asked for s in shown] == [True, True, True, False]
    assert shown[-1].script_title == "Retired"


def test_every_string_a_caller_gave_is_escaped_in_the_html_and_inert_in_the_text(front, clock):
    referral = rapid_response_call(
        front, clock, caller_name=HOSTILE, subject_name="Ada \x1b[31mRed\x1b[0m", notes=HOSTILE
    )
    html = front.handovers.produce(referral.id, "html", "h.jones").content
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Bob&quot;" in html
    assert "default-src 'none'" in html  # and the page itself forbids scripts
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") == 2  # the caller, the notes
    text = front.handovers.produce(referral.id, "text", "h.jones").content
    assert "\x1b" not in text and "Ada \ufffd[31mRed\ufffd[0m" in text
    # FHIR notes are markdown a receiving system may render: shown as typed, never as HTML
    bundle = json.loads(front.handovers.produce(referral.id, "fhir", "h.jones").content)
    notes = [n["text"] for n in bundle["entry"][1]["resource"]["note"]]
    assert f"Handler's note: {HOSTILE}".replace("<", "\\<").replace(">", "\\>") in notes
    assert bundle["entry"][0]["resource"]["name"] == [{"text": "Ada \ufffd[31mRed\ufffd[0m"}]


def fhir_problems(*resources: dict[str, Any]) -> list[list[str]]:
    """What the independent validators (tests/referrals/fhir_validator) find in each."""
    node = shutil.which("node")
    if node is None or not (VALIDATOR / "node_modules" / "fhir").is_dir():
        unavailable(
            "the FHIR validators are not installed: npm ci --prefix tests/referrals/fhir_validator"
        )
    done = subprocess.run(
        [node, str(VALIDATOR / "validate.js")],
        input=json.dumps(list(resources)),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_fhir_bundle_is_accepted_by_independent_validators_and_a_broken_one_is_not(
    front, clock
):
    referral = rapid_response_call(front, clock)
    bundle = json.loads(front.handovers.produce(referral.id, "fhir", "h.jones").content)
    front.referrals.change(
        StateChange(referral.id, "rejected", clock.now, "rapid response", "Out of our area")
    )
    rejected = json.loads(front.handovers.produce(referral.id, "fhir", "h.jones").content)

    assert bundle["type"] == "collection"
    patient, request, task = (e["resource"] for e in bundle["entry"])
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert all(url.startswith("urn:uuid:") for url in urls)
    assert patient["identifier"] == [
        {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}
    ]
    assert patient["birthDate"] == "1940-05-01"
    assert patient["address"] == [{"postalCode": "DN32 7DL"}]
    assert (request["status"], request["intent"]) == ("active", "order")
    assert request["subject"] == {"reference": urls[0]}
    assert request["performer"][0]["display"] == referral.service_name
    assert any("Has the person fallen" in n["text"] for n in request["note"])
    assert (task["status"], task["intent"]) == ("requested", "order")
    assert task["focus"] == {"reference": urls[1]} and task["for"] == {"reference": urls[0]}
    assert task["restriction"]["period"]["end"] == f"{referral.due_at:%Y-%m-%dT%H:%M:%S}Z"
    assert task["authoredOn"] == f"{referral.made_at:%Y-%m-%dT%H:%M:%S}Z"
    r_request, r_task = (e["resource"] for e in rejected["entry"][1:])
    assert (r_request["status"], r_task["status"]) == ("revoked", "rejected")
    assert r_task["statusReason"] == {"text": "Out of our area"}

    broken_status = json.loads(json.dumps(bundle))
    broken_status["entry"][2]["resource"]["status"] = "lost"
    no_intent = json.loads(json.dumps(bundle))
    del no_intent["entry"][1]["resource"]["intent"]
    bad_date = json.loads(json.dumps(bundle))
    bad_date["entry"][0]["resource"]["birthDate"] = "01/05/1940"
    good, good_rejected, *broken = fhir_problems(
        bundle, rejected, broken_status, no_intent, bad_date
    )
    assert good == [] and good_rejected == []
    assert [len(problems) > 0 for problems in broken] == [True, True, True]
    assert any("Task.status" in p for p in broken[0])
    assert any("ServiceRequest.intent" in p for p in broken[1])
    assert any("birthDate" in p for p in broken[2])


def test_a_refusal_of_consent_stops_the_handover_until_an_override_is_recorded(front, clock):
    refused = rapid_response_call(front, clock, consent_share=False)
    with pytest.raises(ConsentRefused, match="refused consent to share"):
        front.handovers.produce(refused.id, "text", "h.jones")
    assert front.handovers.recorded(refused.id) == []
    assert front.handovers.preview(refused.id, "h.jones").consent == "refused"
    with pytest.raises(ReferralError, match="needs a reason"):
        front.handovers.produce(refused.id, "text", "h.jones", OverrideAsked("safeguarding", "  "))

    clock.advance(60)
    produced = front.handovers.produce(
        refused.id, "html", "s.lead", OverrideAsked("vital_interests", "Alone on the floor")
    )
    assert "Shared on the ground of vital interests" in produced.content
    clock.advance(60)
    front.handovers.produce(refused.id, "fhir", "h.jones")  # the override stands
    first, second = front.handovers.recorded(refused.id)
    produced_at = clock.now - dt.timedelta(seconds=60)
    assert (first.format, first.by, first.at) == ("html", "s.lead", produced_at)
    assert first.override is not None and second.override == first.override
    assert (first.override.ground, first.override.reason, first.override.by) == (
        "vital_interests",
        "Alone on the floor",
        "s.lead",
    )

    given = rapid_response_call(front, clock)
    with pytest.raises(ReferralError, match="no refusal to override"):
        front.handovers.produce(given.id, "text", "h.jones", OverrideAsked("safeguarding", "x"))
    not_asked = rapid_response_call(front, clock, consent_share=None)
    text = front.handovers.produce(not_asked.id, "text", "h.jones").content
    assert "Not recorded: consent to share was not asked on the call" in words(text)
    assert [h.override for h in front.handovers.recorded(not_asked.id)] == [None]


def test_the_command_writes_refuses_and_says_what_is_wrong(front, clock, tmp_path):
    given = rapid_response_call(front, clock)
    refused = rapid_response_call(front, clock, consent_share=False)
    db = ["--db", front.settings.db]

    def run(*args: str):
        return CliRunner().invoke(main, ["referrals", "handover", *args, *db])

    out = tmp_path / "handover.json"
    written = run(given.id.lower(), "--format", "fhir", "--out", str(out), "--by", "h.jones")
    assert written.exit_code == 0, written.output
    assert f"{given.id}: fhir handover written to {out}" in written.output
    assert json.loads(out.read_text())["resourceType"] == "Bundle"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "Ada Lovelace" in run(given.id).output  # text, to the terminal

    no_consent = run(refused.id)
    assert no_consent.exit_code == 1
    assert "refused consent to share" in no_consent.output and "--override" in no_consent.output
    overridden = run(refused.id, "--override", "safeguarding", "--reason", "Risk of neglect")
    assert overridden.exit_code == 0
    assert "Shared on the ground of safeguarding" in words(overridden.output)

    unknown = run("R-2026-999999")
    assert unknown.exit_code == 2 and "there is no referral" in unknown.output
    assert run(refused.id, "--override", "safeguarding").exit_code == 2
    assert run(given.id, "--format", "pdf").exit_code == 2
    assert run(given.id, "--out", str(tmp_path / "missing" / "h.txt")).exit_code == 2
    assert [h.format for h in front.handovers.recorded(given.id)] == ["fhir", "text"]
    # each handover audited with where it went, and the override with its ground only
    audited = [
        (e.event, e.concerns.referral_id, e.concerns.detail, e.concerns.destination)
        for e in front.trail.entries(
            AuditQuery(events=frozenset({"handover_produced", "consent_override"}))
        )
    ]
    assert audited == [
        ("handover_produced", given.id, "fhir", str(out)),
        ("handover_produced", given.id, "text", "terminal"),
        ("consent_override", refused.id, "safeguarding: handover", None),
        ("handover_produced", refused.id, "text", "terminal"),
    ]
