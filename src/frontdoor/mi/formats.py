"""The report as JSON, CSV (one figure a row), Markdown and self-contained HTML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

FORMATS = ("json", "csv", "md", "html")


def _pct(value: dict[str, Any]) -> str:
    return (
        "not available (n=0)" if value["rate"] is None else f"{value['rate']:.1%} (n={value['n']})"
    )


def rows(report: dict[str, Any]) -> Iterator[tuple[str, str, str, Any, Any]]:
    """(section, figure, breakdown, value, n) for every figure in the report."""
    yield ("contacts", "contacts", "", report["contacts"], "")
    yield ("contacts", "handled", "", report["handled"], "")
    for figure in ("fcr_declared", "fcr_verified"):
        block = report[figure]
        yield (figure, "overall", "", block["overall"]["rate"], block["overall"]["n"])
        for key, values in block.items():
            if key.startswith("by_"):
                for name, value in values.items():
                    yield (figure, key, name, value["rate"], value["n"])
    fd = report["failure_demand"]
    yield ("failure_demand", "share", "", fd["share"]["rate"], fd["share"]["n"])
    for code, count in fd["by_code"].items():
        yield ("failure_demand", "by_code", code, count, "")
    for key in ("by_category", "by_week"):
        for name, value in fd[key].items():
            yield ("failure_demand", key, name, value["rate"], value["n"])
    for key, value in report["queue"].items():
        if isinstance(value, dict):
            yield ("queue", key, "", value["rate"], value["n"])
        else:
            yield ("queue", key, "", value, "")
    for hour, count in report["by_hour"].items():
        yield ("demand", "by_hour", hour, count, "")
    for day, count in report["by_weekday"].items():
        yield ("demand", "by_weekday", day, count, "")
    for service_id, entry in report["destinations"].items():
        yield ("destinations", "signposted", service_id, entry["signposted"], "")
        yield ("destinations", "referred", service_id, entry["referred"], "")
    for item in report["unmet_need"]:
        yield ("unmet_need", item["category"] or "", item["query"], item["count"], "")
    for script, entry in report["scripts"].items():
        for end, count in entry["ends"].items():
            yield ("scripts", f"{script} ends", end, count, "")
        for node, count in entry["stopped_at"].items():
            yield ("scripts", f"{script} stopped_at", node, count, "")
        yield ("scripts", f"{script} red_flags", "", entry["red_flags"], "")


def to_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    period = report["period"]
    writer.writerow(
        [
            "section",
            "figure",
            "breakdown",
            "value",
            "n",
            f"period {period['from']} to {period['to']} ({period['time_zone']})",
        ]
    )
    for row in rows(report):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def to_markdown(report: dict[str, Any]) -> str:
    p = report["period"]
    q = report["queue"]
    lines = [
        f"# Front Door MI: {p['from']} to {p['to']}",
        "",
        f"{report['contacts']} contacts, {report['handled']} handled ({p['time_zone']}).",
        "",
        "## First-contact resolution",
        "",
        f"- Declared: {_pct(report['fcr_declared']['overall'])}",
        f"- Verified (no repeat within {report['fcr_verified']['window_days']} days): "
        f"{_pct(report['fcr_verified']['overall'])}",
        "",
        "| category | declared | verified | NE Lincs 2017 |",
        "|---|---|---|---|",
    ]
    benchmark = report["benchmarks"]["fcr_north_east_lincolnshire_2017"]
    verified = report["fcr_verified"]["by_category"]
    for category, value in sorted(report["fcr_declared"]["by_category"].items()):
        v = verified.get(category, {"rate": None, "n": 0})
        nel = f"{benchmark[category]:.0%}" if category in benchmark else ""
        lines.append(f"| {category} | {_pct(value)} | {_pct(v)} | {nel} |")
    fd = report["failure_demand"]
    lines += [
        "",
        "## Failure demand",
        "",
        f"Share: {_pct(fd['share'])}",
        "",
        "| code | contacts |",
        "|---|---|",
    ]
    lines += [f"| {code} | {count} |" for code, count in fd["by_code"].items()]
    lines += [
        "",
        "## The queue",
        "",
        f"Offered {q['offered']}, answered {q['answered']}, abandoned {q['abandoned']} "
        f"({q['short_abandoned']} short). Abandonment {_pct(q['abandon_rate'])}; "
        f"service level ({q['service_level_seconds']} s) {_pct(q['service_level'])}; "
        f"average speed of answer {q['asa_seconds']} s; average handle time "
        f"{q['aht_seconds']} s.",
        "",
        "## Top destinations",
        "",
        "| service | signposted | referred |",
        "|---|---|---|",
    ]
    for entry in list(report["destinations"].values())[:15]:
        lines.append(f"| {entry['name']} | {entry['signposted']} | {entry['referred']} |")
    lines += [
        "",
        "## Unmet need (searches where nothing was chosen)",
        "",
        "| search | category | times |",
        "|---|---|---|",
    ]
    for item in report["unmet_need"][:20]:
        lines.append(f"| {item['query']} | {item['category'] or ''} | {item['count']} |")
    return "\n".join(lines) + "\n"


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "md":
        return to_markdown(report)
    from frontdoor.mi.html import to_html

    return to_html(report)
