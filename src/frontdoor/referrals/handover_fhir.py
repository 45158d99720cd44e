"""The handover as a FHIR R4 Bundle of three resources, built and checked with
`fhir.resources` (its R4B models: for Patient, ServiceRequest and Task, R4B is R4 on the
wire). The tests check the output with independent FHIR R4 validators.

The Bundle is a `collection`: a set of resources handed to another team to read or load
as they choose. A `document` would need a Composition and an attester (a signed clinical
document, which a triage handover is not); a `transaction` would instruct the receiving
server to create the resources (the SPA does not write into another team's system); a
`message` needs a MessageHeader and an event agreed between sender and receiver (as the
Booking and Referral Standard defines), which this service has not agreed with anyone.

- Patient: the NHS number (https://fhir.nhs.uk/Id/nhs-number), name, date of birth,
  postcode, language and the core interpreterRequired extension; the caller's number
  when the caller is the person.
- ServiceRequest: what is asked of the team. Its status follows the referral's state
  (active while the team may still act, on-hold, completed, revoked when rejected or
  cancelled); the reason, what the caller was told (patientInstruction), and notes:
  consent, the caller, red flags, the handler's note and every question and answer.
- Task: the referral as the team works it. Its status is the referral's state (the
  states are FHIR Task status codes), focus the ServiceRequest, for the Patient,
  restriction.period.end the due time, and one note per change in the history.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from frontdoor.referrals.handover import Handover
from frontdoor.referrals.states import NEED_REASON, State

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
INTERPRETER_REQUIRED = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
# the identifier system for a URI value (RFC 3986): the bundle's own urn:uuid
URI_SYSTEM = "urn:ietf:rfc:3986"

SERVICE_REQUEST_STATUS: dict[State, str] = {
    "requested": "active",
    "received": "active",
    "accepted": "active",
    "in-progress": "active",
    "on-hold": "on-hold",
    "completed": "completed",
    "rejected": "revoked",
    "cancelled": "revoked",
}


def fhir_text(text: str) -> str:
    """A FHIR string: no control characters but line breaks and tabs, no spaces around."""
    return "".join(
        "\ufffd" if unicodedata.category(c) == "Cc" and c not in "\n\r\t" else c
        for c in text.strip()
    )


# the characters that make markdown do something (links, emphasis, code, raw HTML)
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>"})


def fhir_markdown(text: str) -> str:
    """An Annotation's text is markdown, which a receiving system may render: what a
    caller or a handler typed is shown as typed, never as a link, emphasis or HTML."""
    return fhir_text(text).translate(_MARKDOWN)


def _instant(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(microsecond=0)


def _urn(h: Handover, what: str) -> str:
    """The same handover always gives the same ids; another handover, other ids."""
    seed = f"frontdoor:{h.referral.id}:{h.number}:{h.produced_at.isoformat()}:{what}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def _patient(h: Handover) -> Patient:
    p = h.person
    data: dict[str, Any] = {"resourceType": "Patient"}
    if p.nhs_number:
        data["identifier"] = [{"system": NHS_NUMBER, "value": p.nhs_number}]
    if p.name and p.name.strip():
        data["name"] = [{"text": fhir_text(p.name)}]
    if p.dob is not None:
        data["birthDate"] = p.dob
    if p.postcode:
        data["address"] = [{"postalCode": fhir_text(p.postcode)}]
    if p.language and p.language.strip():
        data["communication"] = [{"language": {"text": fhir_text(p.language)}, "preferred": True}]
    if p.interpreter_needed:
        data["extension"] = [{"url": INTERPRETER_REQUIRED, "valueBoolean": True}]
    if h.caller.is_person and h.caller.phone:
        data["telecom"] = [{"system": "phone", "value": h.caller.phone}]
    return Patient.model_validate(data)


def _caller_note(h: Handover) -> str:
    c = h.caller
    parts = [c.name or "name not given", c.kind]
    if c.is_person:
        parts.append("the person themself")
    if c.organisation:
        parts.append(c.organisation)
    parts.append(c.phone_readable or "no number recorded")
    return "Caller: " + ", ".join(parts)


def _notes(h: Handover) -> list[dict[str, Any]]:
    texts = [f"Consent to share: {h.consent_words}", _caller_note(h)]
    if h.notes and h.notes.strip():
        texts.append(f"Handler's note: {h.notes}")
    texts += [f"Red flag: {flag}" for flag in h.red_flags]
    title = None
    for step in h.steps:
        if step.script_title != title:
            title = step.script_title
            texts.append(f"Triage script: {title}")
        if step.shown == "decided":
            texts.append(f"Decided from what was known, not asked: {step.question}: {step.answer}")
        else:
            texts.append(f"Q: {step.question} A: {step.answer}")
    texts.append(f"Questions about this referral: ring {h.spa.name} on {h.spa.phone}")
    return [{"text": fhir_markdown(t)} for t in texts if t.strip()]


def _service_request(h: Handover, patient_url: str) -> ServiceRequest:
    r = h.referral
    state = r.state_at(h.produced_at) or r.state
    reason = h.reason + (f" (disposition code {r.code})" if r.code else "")
    data: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "identifier": [{"value": r.id, "assigner": {"display": fhir_text(h.spa.name)}}],
        "status": SERVICE_REQUEST_STATUS[state],
        "intent": "order",
        "code": {"text": fhir_text(f"Referral to {r.service_name}")},
        "subject": {"reference": patient_url},
        "authoredOn": _instant(r.made_at),
        "requester": {"display": fhir_text(h.spa.name)},
        "performer": [
            {"display": fhir_text(r.service_name), "identifier": {"value": r.service_id}}
        ],
        "reasonCode": [{"text": fhir_text(reason)}],
        "note": _notes(h),
    }
    if h.told and h.told.strip():
        data["patientInstruction"] = fhir_text(h.told)
    return ServiceRequest.model_validate(data)


def _task(h: Handover, patient_url: str, request_url: str) -> Task:
    r = h.referral
    history = [c for c in r.history if c.at <= h.produced_at] or list(r.history[:1])
    last = history[-1]
    data: dict[str, Any] = {
        "resourceType": "Task",
        "identifier": [{"value": r.id, "assigner": {"display": fhir_text(h.spa.name)}}],
        "status": last.state,
        "intent": "order",
        "description": fhir_text(h.reason),
        "focus": {"reference": request_url},
        "for": {"reference": patient_url},
        "authoredOn": _instant(r.made_at),
        "lastModified": _instant(last.at),
        "requester": {"display": fhir_text(h.spa.name)},
        "owner": {"display": fhir_text(r.service_name)},
        "restriction": {"period": {"start": _instant(r.made_at), "end": _instant(r.due_at)}},
        "note": [
            {
                "authorString": fhir_text(change.by),
                "time": _instant(change.at),
                "text": fhir_markdown(change.state + (f": {change.note}" if change.note else "")),
            }
            for change in history
        ],
    }
    if last.state in NEED_REASON and last.note:
        data["statusReason"] = {"text": fhir_text(last.note)}
    if h.overdue:
        data["businessStatus"] = {"text": "overdue: past its due time and not yet accepted"}
    return Task.model_validate(data)


def handover_bundle(h: Handover) -> Bundle:
    patient_url, request_url, task_url = (_urn(h, w) for w in ("patient", "request", "task"))
    return Bundle(
        identifier={"system": URI_SYSTEM, "value": _urn(h, "bundle")},
        type="collection",
        timestamp=_instant(h.produced_at),
        entry=[
            BundleEntry(fullUrl=patient_url, resource=_patient(h)),
            BundleEntry(fullUrl=request_url, resource=_service_request(h, patient_url)),
            BundleEntry(fullUrl=task_url, resource=_task(h, patient_url, request_url)),
        ],
    )


def render_fhir(h: Handover) -> str:
    return handover_bundle(h).model_dump_json(indent=2) + "\n"
