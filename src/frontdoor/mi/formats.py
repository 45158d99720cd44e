"""The report as JSON, CSV (one figure a row), Markdown and self-contained HTML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from frontdoor.mi.labels import WORDS, Labels
from frontdoor.mi.model import (
    UNMET_KIND_WORDS,
    UNMET_KINDS,
    FcrDeclared,
    FcrVerified,
    Rate,
    Report,
    UnmetKind,
    UnmetNeed,
)
from frontdoor.mi.queue_formats import queue_markdown, queue_rows
from frontdoor.mi.referral_formats import Row, referral_rows, referrals_markdown

FORMATS = ("json", "csv", "md", "html")


def _pct(value: Rate) -> str:
    return value.words()


def rows(report: Report) -> Iterator[Row]:
    """(section, figure, breakdown, value, n) for every figure in the report."""
    yield ("contacts", "contacts", "", report.contacts, "")
    yield ("contacts", "handled", "", report.handled, "")
    fcr: list[tuple[str, FcrDeclared | FcrVerified]] = [
        ("fcr_declared", report.fcr_declared),
        ("fcr_verified", report.fcr_verified),
    ]
    for figure, block in fcr:
        yield (figure, "overall", "", block.overall.rate, block.overall.n)
        for key, values in block.breakdowns().items():
            for name, value in values.items():
                yield (figure, key, name, value.rate, value.n)
    fd = report.failure_demand
    yield ("failure_demand", "share", "", fd.share.rate, fd.share.n)
    for code, count in fd.by_code.items():
        yield ("failure_demand", "by_code", code, count, "")
    for key, rates in (("by_category", fd.by_category), ("by_week", fd.by_week)):
        for name, value in rates.items():
            yield ("failure_demand", key, name, value.rate, value.n)
    yield from queue_rows(report.queue)
    for hour, count in report.by_hour.items():
        yield ("demand", "by_hour", hour, count, "")
    for day, count in report.by_weekday.items():
        yield ("demand", "by_weekday", day, count, "")
    for service_id, entry in report.destinations.items():
        yield ("destinations", "signposted", service_id, entry.sent.signposted, "")
        yield ("destinations", "referred", service_id, entry.sent.referred, "")
    if report.referrals is not None:
        yield from referral_rows(report.referrals)
    for item in report.unmet_need:
        # figure: the kind; breakdown: the category, the need, and today's directory
        need = f"{item.category or ''}: {item.query} ({matches_now_words(item)})"
        yield ("unmet_need", item.kind, need, item.count, "")
    for script, paths in report.scripts.items():
        for end, count in paths.ends.items():
            yield ("scripts", f"{script} ends", end, count, "")
        for node, count in paths.stopped_at.items():
            yield ("scripts", f"{script} stopped_at", node, count, "")
        yield ("scripts", f"{script} red_flags", "", paths.red_flags, "")


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    period = report.period
    writer.writerow(
        [
            "section",
            "figure",
            "breakdown",
            "value",
            "n",
            f"period {period.start.isoformat()} to {period.end.isoformat()} ({period.time_zone})",
        ]
    )
    for row in rows(report):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def explain_declared(report: Report, labels: Labels) -> str:
    """What "declared" first-contact resolution means, as mi-definitions.md defines it."""
    resolved = labels.outcome_list(report.settings.resolved_outcomes)
    return (
        "Declared: of the contacts handled, the share the handler closed with an outcome "
        f"that counts as resolved ({resolved})."
    )


def explain_verified(report: Report) -> str:
    """What "verified" first-contact resolution means, as mi-definitions.md defines it."""
    days = report.fcr_verified.window_days
    return (
        "Verified: of the contacts declared resolved, the share with no later contact from "
        f"the same caller or about the same person, in the same category, within {days} "
        f"days; a contact counts once its {days} days have passed."
    )


UNMET_MEANS: dict[UnmetKind, str] = {
    "nothing_found": "no service matched the search: a gap in provision",
    "not_chosen": "services matched and none was used: the directory or its filters may not fit",
}


def matches_now_words(item: UnmetNeed) -> str:
    return "has a match now" if item.matches_now else "no match now"


def unmet_of_kind(report: Report, kind: UnmetKind) -> list[UnmetNeed]:
    return [u for u in report.unmet_need if u.kind == kind]


def to_markdown(report: Report, labels: Labels = WORDS) -> str:
    p = report.period
    lines = [
        f"# Front Door MI: {p.start.isoformat()} to {p.end.isoformat()}",
        "",
        f"{report.contacts} contacts, {report.handled} handled ({p.time_zone}).",
        "",
        "## First-contact resolution",
        "",
        f"- Declared: {_pct(report.fcr_declared.overall)}",
        f"- Verified (no repeat within {report.fcr_verified.window_days} days): "
        f"{_pct(report.fcr_verified.overall)}",
        "",
        explain_declared(report, labels),
        explain_verified(report),
        "",
        "| category | declared | verified | North East Lincolnshire 2017 |",
        "|---|---|---|---|",
    ]
    benchmark = report.fcr_benchmark
    verified = report.fcr_verified.by_category
    for category, value in sorted(report.fcr_declared.by_category.items()):
        v = verified.get(category, Rate(None, 0))
        nel = f"{benchmark[category]:.0%}" if category in benchmark else ""
        lines.append(f"| {labels.category(category)} | {_pct(value)} | {_pct(v)} | {nel} |")
    fd = report.failure_demand
    lines += [
        "",
        "## Failure demand",
        "",
        f"Share: {_pct(fd.share)}",
        "",
        "| reason | contacts |",
        "|---|---|",
    ]
    lines += [f"| {labels.demand_code(code)} | {count} |" for code, count in fd.by_code.items()]
    lines += queue_markdown(report.queue)
    lines += [
        "",
        "## Top destinations",
        "",
        "| service | signposted | referred |",
        "|---|---|---|",
    ]
    for entry in list(report.destinations.values())[:15]:
        lines.append(f"| {entry.name} | {entry.sent.signposted} | {entry.sent.referred} |")
    if report.referrals is not None:
        lines += referrals_markdown(report, report.referrals)
    lines += [
        "",
        "## Unmet need",
        "",
        "Needs searched for that the contact chose no service for, once per contact.",
    ]
    for kind in UNMET_KINDS:
        items = unmet_of_kind(report, kind)
        lines += ["", f"### {UNMET_KIND_WORDS[kind].capitalize()}: {UNMET_MEANS[kind]}", ""]
        if not items:
            lines.append("None in this period.")
            continue
        lines += ["| need | category | contacts | today's directory |", "|---|---|---|---|"]
        lines += [
            f"| {u.query} | {labels.category(u.category)} | {u.count} | {matches_now_words(u)} |"
            for u in items[:20]
        ]
    lines += ["", "## Script paths", ""]
    for key, paths in report.scripts.items():
        ends = ", ".join(f"{labels.node(n)} ({c})" for n, c in paths.ends.items()) or "none"
        lines.append(f"- {labels.script(key)}: ends reached: {ends}.")
        if paths.stopped_at:
            stopped = ", ".join(f"{labels.node(n)} ({c})" for n, c in paths.stopped_at.items())
            lines.append(f"  Stopped with no end at: {stopped}.")
        if paths.red_flags:
            lines.append(f"  Red flags raised: {paths.red_flags}.")
    return "\n".join(lines) + "\n"


def render(report: Report, fmt: str, labels: Labels = WORDS) -> str:
    """The report in a format; `labels` names its codes in words (Markdown and HTML: the
    JSON and CSV keep the codes, for programs)."""
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "md":
        return to_markdown(report, labels)
    from frontdoor.mi.html import to_html

    return to_html(report, labels)
