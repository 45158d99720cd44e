"""Contacts as JSON Lines, version 1 (one contact, one line)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from frontdoor.interactions.model import Contact


def time_text(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def contact_to_json(contact: Contact) -> dict[str, Any]:
    phone = contact.channel == "phone"
    return {
        "id": contact.id,
        "channel": contact.channel,
        "caller_type": contact.caller_type,
        "caller_key": contact.caller_key,
        "subject_key": contact.subject_key,
        "category": contact.category,
        "queue": contact.queue,
        "received_at": time_text(contact.received_at),
        "offered_at": time_text(contact.offered_at) if phone else None,
        "answered_at": time_text(contact.answered_at) if phone else None,
        "abandoned_at": time_text(contact.abandoned_at) if phone else None,
        "ended_at": time_text(contact.ended_at),
        "wrap_ended_at": time_text(contact.wrap_ended_at) if phone else None,
        "handler": contact.handler,
        "scripts": [{"script": s, "version": v} for s, v in contact.scripts],
        "consent": {"record": contact.consent_record, "share": contact.consent_share},
        "answers": [
            {
                "script": a.script,
                "node": a.node,
                # a check-all-that-apply answer is a JSON list of its labels
                "answer": list(a.answer) if isinstance(a.answer, tuple) else a.answer,
                "at": time_text(a.at),
            }
            for a in contact.answers
            if a.kind == "answer"
        ],
        "ends": [
            {"script": e.script, "version": e.version, "node": e.node, "red_flag": e.red_flag}
            for e in contact.ends
        ],
        "searches": [
            {"query": s.query, "at": time_text(s.at), "results": s.results, "chosen": s.chosen}
            for s in contact.searches
        ],
        "outcome": contact.outcome,
        "demand": contact.demand,
        "services": [{"service": s.service_id, "action": s.action} for s in contact.services],
        "notes": contact.notes or "",
    }


def contact_to_line(contact: Contact) -> str:
    return json.dumps(contact_to_json(contact), ensure_ascii=False)
