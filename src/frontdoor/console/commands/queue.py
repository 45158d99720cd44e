"""`frontdoor queue`: calls from the telephone system, and the live queue figures."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from frontdoor.console.commands.common import Refused, common, open_from
from frontdoor.console.settings import Settings
from frontdoor.console.wiring import FrontDoor
from frontdoor.mi.figures import Figures
from frontdoor.mi.period import Period
from frontdoor.telephony.ingest import IngestReport, follow, ingest_file
from frontdoor.telephony.stats import QueueSettings, queue_stats


def queue_settings(front: FrontDoor) -> QueueSettings:
    path = front.settings.config / "queues.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    queues = data.get("queues") or {}
    return QueueSettings(
        short_abandon_seconds=front.settings.short_abandon_seconds,
        service_level_seconds=front.settings.service_level_seconds,
        wrapup_seconds={str(q): int(v.get("wrapup_seconds", 60)) for q, v in queues.items()},
        default_wrapup_seconds=int(data.get("default_wrapup_seconds", 60)),
        agents={str(k): str(v) for k, v in (data.get("agents") or {}).items()},
    )


@click.group()
def queue() -> None:
    """Calls from the telephone system (Asterisk queue_log) and the live queue figures."""


def _print(report: IngestReport, path: Path, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"file": str(path), **report.as_dict()}, indent=2))
        return
    click.echo(
        f"{path}: {report.lines} line(s), {report.added} new event(s), "
        f"{report.already_held} already held, {report.not_used} not used, "
        f"{len(report.unreadable)} unreadable"
    )
    for number, reason in report.unreadable[:50]:
        click.echo(f"  line {number}: {reason}")


@queue.command("ingest")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--follow",
    "keep_following",
    is_flag=True,
    help="Keep reading as the file grows (and after it is rotated); Ctrl+C stops.",
)
@click.option("--json", "as_json", is_flag=True)
@common
def queue_ingest(settings: Settings, path: Path, keep_following: bool, as_json: bool) -> None:
    """Read a queue_log; the same line read twice is one event."""
    if not path.exists() and not keep_following:
        raise Refused(f"there is no file {path}; give the path of the queue_log")
    front = open_from(settings)
    if not keep_following:
        report = ingest_file(front.sessions, path)
        _print(report, path, as_json)
        sys.exit(
            1
            if report.lines and not report.added and not report.already_held and report.unreadable
            else 0
        )
    try:
        follow(
            front.sessions,
            path,
            on_report=lambda r: click.echo(f"{r.added} new event(s) so far", err=True),
        )
    except KeyboardInterrupt:
        click.echo("stopped following", err=True)


@queue.command("stats")
@click.option("--json", "as_json", is_flag=True)
@click.option("--at", "at_text", help="As of this time (ISO 8601; without a zone, local).")
@common
def queue_stats_command(settings: Settings, as_json: bool, at_text: str | None) -> None:
    """The live queue figures for the local day so far."""
    front = open_from(settings)
    zone = Period(dt.date.today(), dt.date.today(), settings.time_zone).zone
    if at_text:
        try:
            at = dt.datetime.fromisoformat(at_text)
        except ValueError:
            raise Refused(f"--at takes a time as 2026-05-12T10:15, not {at_text!r}") from None
        at = at if at.tzinfo else at.replace(tzinfo=zone)
    else:
        at = front.clock()
    local = at.astimezone(zone)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    with front.sessions() as session:
        stats = queue_stats(
            session, at.astimezone(dt.UTC), day_start.astimezone(dt.UTC), queue_settings(front)
        )
        today = Figures(
            session, Period(local.date(), local.date(), settings.time_zone), front.mi_settings(), at
        )
        stats["total"]["fcr_declared"] = today.fcr_declared()["overall"]["rate"]
        stats["total"]["failure_demand_share"] = today.failure_demand()["share"]["rate"]
    stats["at"] = local.isoformat()
    for figures in stats["queues"].values():
        figures.setdefault("fcr_declared", None)
        figures.setdefault("failure_demand_share", None)
    if as_json:
        click.echo(json.dumps(stats, indent=2))
        return
    total = stats["total"]
    click.echo(
        f"{stats['at']}: waiting {total['waiting']} (longest {total['longest_wait_seconds']}"
        f" s), offered {total['offered']}, answered {total['answered']}, abandoned "
        f"{total['abandoned']}, service level {total['service_level']}, handlers "
        f"{stats['handlers']}"
    )
