"""The handover as plain text: short lines a handler can read out on the phone, or paste
into an email. What a caller or a script gave is printed as characters, never as terminal
controls (an escape sequence typed into a name must not recolour or rewrite the screen)."""

from __future__ import annotations

import textwrap
import unicodedata

from frontdoor.referrals.handover import Handover
from frontdoor.referrals.handover_sections import produced_words, sections

WIDTH = 78
LABEL = 20  # the width of a line's label column


def printable(text: str) -> str:
    """`text` with control and format characters (escape sequences, bidirectional
    overrides) shown as U+FFFD; line breaks become spaces, tabs a space."""
    cleaned = []
    for char in text:
        if char in "\n\r\t":
            cleaned.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf"):
            cleaned.append("\ufffd")
        else:
            cleaned.append(char)
    return "".join(cleaned)


def _wrapped(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        printable(text),
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def render_text(h: Handover) -> str:
    out = [
        f"REFERRAL HANDOVER {h.referral.id} to {printable(h.referral.service_name)}",
        f"from {printable(h.spa.name)}, {printable(h.spa.phone)}",
    ]
    for section in sections(h):
        out += ["", section.title.upper()]
        for line in section.lines:
            mark = "!" if line.alert else " "
            label = f"{mark} {line.label}:".ljust(LABEL + 2)
            out += _wrapped(line.value, label, " " * (LABEL + 2))
    out += ["", "TRIAGE: every question and answer, in the order asked"]
    if not h.steps:
        out.append("  No triage questions were recorded on the call.")
    title = None
    number = 0
    for step in h.steps:
        if step.script_title != title:
            title = step.script_title
            out.append(f"  {printable(title)}")
        if step.shown == "decided":
            out += _wrapped(
                f"{step.question}: {step.answer} (decided from what was known, not asked)",
                "      - ",
                "        ",
            )
            continue
        number += 1
        out += _wrapped(step.question, f"  {number:>3}. ", "       ")
        note = "" if step.worded_as_asked else " (the question's wording is not held here)"
        out += _wrapped(step.answer + note, "       > ", "         ")
    out += ["", *_wrapped(produced_words(h), "", "")]
    return "\n".join(out) + "\n"
