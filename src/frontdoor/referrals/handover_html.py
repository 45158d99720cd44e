"""The handover as one self-contained HTML page: no scripts, no external files, so it opens
offline and can be attached to an email as it is. Every string from a caller, a handler,
a script or the directory is escaped; the page's own policy forbids scripts as well, so a
string that slipped through would still not run."""

from __future__ import annotations

from html import escape

from frontdoor.referrals.handover import Handover
from frontdoor.referrals.handover_sections import Section, produced_words, sections

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d2733;
max-width:900px}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #ccd;
padding-bottom:.3rem}h3{font-size:1rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;margin:.4rem 0;width:100%}
th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{width:12rem;font-weight:600}td{white-space:pre-wrap}
.alert{color:#c0392b;font-weight:600}.note{color:#556;font-size:.9rem}
ol li{margin:.35rem 0}.answer{font-weight:600}.decided{color:#556;list-style:none}
"""
# no script, no frame, nothing fetched: only the inline style above
POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _section(section: Section) -> str:
    alert = ' class="alert"'
    rows = "".join(
        f"<tr><th>{escape(line.label)}</th>"
        f"<td{alert if line.alert else ''}>{escape(line.value)}</td></tr>"
        for line in section.lines
    )
    return f"<h2>{escape(section.title)}</h2><table>{rows}</table>"


def _triage(h: Handover) -> str:
    if not h.steps:
        return "<p>No triage questions were recorded on the call.</p>"
    parts: list[str] = []
    title: str | None = None
    number = 0  # numbered on across scripts, as the text is; decisions are not questions
    for step in h.steps:
        if step.script_title != title:
            if title is not None:
                parts.append("</ol>")
            title = step.script_title
            parts.append(f"<h3>{escape(title)}</h3><ol>")
        if step.shown == "decided":
            parts.append(
                f'<li class="decided">{escape(step.question)}: {escape(step.answer)} '
                "(decided from what was known, not asked)</li>"
            )
            continue
        number += 1
        note = (
            ""
            if step.worded_as_asked
            else ' <span class="note">(the question\'s wording is not held here)</span>'
        )
        parts.append(
            f'<li value="{number}">{escape(step.question)}<br>'
            f'<span class="answer">{escape(step.answer)}</span>'
            f"{note}</li>"
        )
    parts.append("</ol>")
    return "".join(parts)


def render_html(h: Handover) -> str:
    referral = h.referral
    title = f"Referral handover {referral.id} to {referral.service_name}"
    body = "".join(_section(s) for s in sections(h))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p>From {escape(h.spa.name)}, {escape(h.spa.phone)}</p>"
        f"{body}<h2>Triage: every question and answer, in the order asked</h2>"
        f"{_triage(h)}"
        f'<p class="note">{escape(produced_words(h))}</p>'
        "</body></html>\n"
    )
