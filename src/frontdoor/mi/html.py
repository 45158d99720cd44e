"""The report as one self-contained HTML file: inline SVG charts, no scripts, no
external files, so it opens offline in any browser and can be emailed as it is."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from frontdoor.mi.formats import (
    UNMET_MEANS,
    _pct,
    explain_declared,
    explain_verified,
    matches_now_words,
    unmet_of_kind,
)
from frontdoor.mi.labels import WORDS, Labels
from frontdoor.mi.model import UNMET_KIND_WORDS, UNMET_KINDS, QueueReport, Rate, Report
from frontdoor.mi.queue_formats import QUEUE_COLUMNS, queue_note, queue_table
from frontdoor.mi.referral_formats import (
    PROVIDER_COLUMNS,
    REFERRAL_COLUMNS,
    explain_referrals,
    provider_table,
    referral_summary,
    referral_table,
)
from frontdoor.mi.referral_model import ReferralFigures

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d2733;
max-width:1100px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd;
padding-bottom:.3rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ccd;border-radius:6px;
padding:.6rem 1rem;min-width:10rem}.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;
text-align:left}svg text{font-size:11px;fill:#1d2733}.note{color:#556;font-size:.9rem}
"""
BLUE, GREY, RED, GREEN = "#2f6fb0", "#9aa5b1", "#c0392b", "#2e8b57"


def _svg(width: int, height: int, body: str, label: str) -> str:
    return (
        f'<svg role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def heat_map(grid: Mapping[str, Mapping[str, int]]) -> str:
    """Contacts by weekday (rows) and local hour (columns), darker is busier."""
    cell, left, top = 30, 40, 20
    peak = max((v for row in grid.values() for v in row.values()), default=0) or 1
    parts = [f'<text x="{left + h * cell + 8}" y="14">{h}</text>' for h in range(0, 24, 2)]
    for r, (day, hours) in enumerate(grid.items()):
        y = top + r * cell
        parts.append(f'<text x="4" y="{y + 19}">{escape(day)}</text>')
        for h in range(24):
            count = hours.get(str(h), 0)
            shade = 0.08 + 0.92 * count / peak if count else 0.03
            parts.append(
                f'<rect x="{left + h * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{BLUE}" fill-opacity="{shade:.2f}"><title>{escape(day)} {h}:00 '
                f"{count} contacts</title></rect>"
            )
    return _svg(left + 24 * cell, top + 7 * cell, "".join(parts), "Demand by hour and day")


def bars(
    items: list[tuple[str, float, str]],
    *,
    width: int = 700,
    maximum: float | None = None,
    label: str,
    colour: str = BLUE,
) -> str:
    """Horizontal bars: (name, value, text shown at the end of the bar)."""
    row, left = 22, 260
    peak = maximum or max((v for _, v, _ in items), default=0) or 1
    parts = []
    for i, (name, value, shown) in enumerate(items):
        y = i * row + 4
        length = (width - left - 210) * value / peak
        parts.append(
            f'<text x="0" y="{y + 13}">{escape(name[:40])}</text>'
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{row - 6}" '
            f'fill="{colour}"/><text x="{left + length + 6:.1f}" y="{y + 13}">'
            f"{escape(shown)}</text>"
        )
    return _svg(width, len(items) * row + 8, "".join(parts), label)


def fcr_chart(report: Report, labels: Labels = WORDS) -> str:
    """Declared FCR by category, with the North East Lincolnshire figure beside it."""
    benchmark = report.fcr_benchmark
    parts, row, left, width = [], 44, 160, 700
    categories = sorted(report.fcr_declared.by_category.items())
    for i, (category, value) in enumerate(categories):
        y = i * row + 4
        parts.append(f'<text x="0" y="{y + 14}">{escape(labels.category(category))}</text>')
        if value.rate is None:
            parts.append(f'<text x="{left}" y="{y + 14}">not available (n=0)</text>')
        else:
            length = (width - left - 150) * value.rate
            parts.append(
                f'<rect x="{left}" y="{y}" width="{length:.1f}" height="16" '
                f'fill="{BLUE}"/><text x="{left + length + 6:.1f}" y="{y + 13}">'
                f"ours {value.rate:.0%} (n={value.n})</text>"
            )
        if category in benchmark:
            length = (width - left - 150) * benchmark[category]
            parts.append(
                f'<rect x="{left}" y="{y + 19}" width="{length:.1f}" height="12" '
                f'fill="{GREY}"/><text x="{left + length + 6:.1f}" y="{y + 30}">'
                f"North East Lincolnshire 2017 {benchmark[category]:.0%}</text>"
            )
    return _svg(
        width,
        max(len(categories), 1) * row + 8,
        "".join(parts),
        "First-contact resolution by category against North East Lincolnshire",
    )


def trend(by_week: Mapping[str, Rate]) -> str:
    """Failure demand share week by week."""
    weeks = [(k, v.rate) for k, v in by_week.items() if v.rate is not None]
    width, height, left, bottom = 700, 180, 40, 30
    if not weeks:
        return "<p class='note'>No tagged contacts: the trend is not available.</p>"
    step = (width - left - 20) / max(len(weeks) - 1, 1)
    points = " ".join(
        f"{left + i * step:.1f},{height - bottom - r * (height - bottom - 10):.1f}"
        for i, (_, r) in enumerate(weeks)
    )
    labels = "".join(
        f'<text x="{left + i * step - 14:.1f}" y="{height - 8}">{escape(w[5:])}</text>'
        for i, (w, _) in enumerate(weeks)
        if i % max(len(weeks) // 10, 1) == 0
    )
    axis = (
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        f'stroke="#889"/><text x="0" y="14">100%</text><text x="0" y="{height - bottom}">0%'
        "</text>"
    )
    return _svg(
        width,
        height,
        axis + f'<polyline points="{points}" fill="none" stroke="{RED}" '
        f'stroke-width="2"/>' + labels,
        "Failure demand share by week",
    )


def unmet_section(report: Report, labels: Labels) -> str:
    """Unmet need, nothing found and found-not-chosen apart, each need with its contacts
    and whether today's directory has a match for it."""
    parts = [
        "<h2>Unmet need</h2><p class='note'>Needs searched for that the contact chose no "
        "service for, counted once per contact.</p>"
    ]
    for kind in UNMET_KINDS:
        items = unmet_of_kind(report, kind)[:12]
        parts.append(
            f"<h3>{escape(UNMET_KIND_WORDS[kind].capitalize())}</h3>"
            f"<p class='note'>{escape(UNMET_MEANS[kind].capitalize())}.</p>"
        )
        if not items:
            parts.append("<p class='note'>None in this period.</p>")
            continue
        chart = [
            (
                f"{u.query} ({labels.category(u.category)})",
                float(u.count),
                f"{u.count} contact{'s' if u.count != 1 else ''}; {matches_now_words(u)}",
            )
            for u in items
        ]
        parts.append(
            bars(chart, label=f"Unmet need: {UNMET_KIND_WORDS[kind]}", colour=GREY, width=760)
        )
    return "".join(parts)


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def referrals_section(report: Report, figures: ReferralFigures) -> str:
    """Referrals made by service and provider with their shares accepted, rejected and
    completed, the median time to acceptance, overdue, and the callers' chases."""
    parts = ["<h2>Referrals</h2>"]
    parts += [f"<p>{escape(line)}</p>" for line in referral_summary(figures)]
    parts.append(f"<p class='note'>{escape(explain_referrals(report, figures))}</p>")
    if not figures.by_service:
        return "".join([*parts, "<p class='note'>No referrals in this period.</p>"])
    chased = [
        (entry.name, per, f"{per:g} per referral ({entry.counts.made} made)")
        for entry in list(figures.by_service.values())[:12]
        if (per := entry.counts.chases_per_referral) is not None
    ]
    parts.append(_table(REFERRAL_COLUMNS, referral_table(figures)))
    if any(value for _, value, _ in chased):
        parts.append("<h3>Caller chases per referral, by service</h3>")
        parts.append(bars(chased, label="Caller chases per referral by service", colour=RED))
    parts.append("<h3>By provider</h3>" + _table(PROVIDER_COLUMNS, provider_table(figures)))
    return "".join(parts)


def scripts_section(report: Report, labels: Labels) -> str:
    """Where each script's calls ended, where calls stopped with no end, red flags."""
    if not report.scripts:
        return "<h2>Script paths</h2><p class='note'>No scripts followed in this period.</p>"

    def listed(counts: Mapping[str, int]) -> str:
        return escape(", ".join(f"{labels.node(n)} ({c})" for n, c in counts.items()) or "none")

    rows = "".join(
        f"<tr><td>{escape(labels.script(key))}</td><td>{listed(paths.ends)}</td>"
        f"<td>{listed(paths.stopped_at)}</td><td>{paths.red_flags}</td></tr>"
        for key, paths in report.scripts.items()
    )
    return (
        "<h2>Script paths</h2><table><tr><th>script</th><th>ends reached</th>"
        f"<th>stopped with no end at</th><th>red flags</th></tr>{rows}</table>"
    )


def queue_section(q: QueueReport) -> str:
    """Where the queue figures came from, and a line a queue with all queues below."""
    head = "".join(f"<th>{escape(c)}</th>" for c in QUEUE_COLUMNS)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        for row in queue_table(q)
    )
    return (
        f"<h2>The queue</h2><p class='note'>{escape(queue_note(q))}</p>"
        f"<table><tr>{head}</tr>{rows}</table>"
    )


def to_html(report: Report, labels: Labels = WORDS) -> str:
    q, fd = report.queue, report.failure_demand
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    zone = report.period.time_zone
    cards = [
        ("Contacts", str(report.contacts)),
        ("Handled", str(report.handled)),
        ("FCR declared", _pct(report.fcr_declared.overall)),
        ("FCR verified", _pct(report.fcr_verified.overall)),
        ("Failure demand", _pct(fd.share)),
        ("Service level", _pct(q.service_level)),
        ("Abandoned", _pct(q.abandon_rate)),
        (
            "Speed of answer",
            "not available" if q.asa_seconds is None else f"{q.asa_seconds} s",
        ),
    ]
    pareto = [
        (labels.demand_code(code), float(count), str(count)) for code, count in fd.by_code.items()
    ]
    destinations = [
        (
            e.name,
            float(e.sent.total),
            f"{e.sent.signposted} signposted, {e.sent.referred} referred",
        )
        for e in list(report.destinations.values())[:12]
    ]
    sections = [
        f"<h1>Front Door management information</h1><p>{escape(start)} to "
        f"{escape(end)}, local time {escape(zone)}. Made "
        f"{escape(report.made_at_text)}. Every rate shows the number of contacts it rests on.</p>",
        '<div class="cards">'
        + "".join(f'<div class="card">{escape(k)}<b>{escape(v)}</b></div>' for k, v in cards)
        + "</div>",
        "<p class='note'>FCR is first-contact resolution. "
        f"{escape(explain_declared(report, labels))} {escape(explain_verified(report))}</p>",
        queue_section(q),
        "<h2>Demand by hour of day and day of week</h2>" + heat_map(report.by_weekday_hour),
        "<h2>First-contact resolution by category (declared)</h2>" + fcr_chart(report, labels),
        "<h2>Failure demand by reason</h2>"
        + (
            bars(pareto, label="Failure demand Pareto", colour=RED)
            if pareto
            else "<p class='note'>No failure demand recorded.</p>"
        ),
        "<h2>Failure demand week by week</h2>" + trend(fd.by_week),
        "<h2>Top destinations</h2>"
        + (
            bars(destinations, label="Top destinations", colour=GREEN)
            if destinations
            else "<p class='note'>No services recorded.</p>"
        ),
        referrals_section(report, report.referrals) if report.referrals else "",
        unmet_section(report, labels),
        scripts_section(report, labels),
    ]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Front Door MI "
        f"{escape(start)} to {escape(end)}</title><style>{STYLE}</style></head>"
        "<body>" + "".join(sections) + "</body></html>\n"
    )
