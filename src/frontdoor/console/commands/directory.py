"""`frontdoor directory`: for service leads keeping the directory current, and anyone
searching it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from sqlalchemy.engine import make_url

from frontdoor.access.roles import Permission, roles_for
from frontdoor.console.commands.common import Refused, common, open_from
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.commands.visible_output import terminal_itself
from frontdoor.console.crash import EXIT_PROBLEMS
from frontdoor.console.settings import Settings
from frontdoor.directory.eligibility import Filters
from frontdoor.directory.export import EXPORT_FORMATS, ExportFormat, export_payload
from frontdoor.directory.feed import ParsedFeed
from frontdoor.directory.imports import FORMATS, read_feed
from frontdoor.directory.results import Result
from frontdoor.directory.schema_check import (
    SCHEMA_NAMES,
    RecordsError,
    SchemaName,
    SchemaReport,
    check_records,
    service_records,
)
from frontdoor.directory.store import SaveReport
from frontdoor.private_files import write_private

PROGRESS_FROM = 300  # records; below this an import is over before a bar would help
# who keeps the directory current (docs/access.md); searching it is anyone's
LEADS = roles_for(Permission.EDIT_DIRECTORY)


@click.group()
def directory() -> None:
    """Keep the service directory current and search it."""


def import_report(path: Path, feed: ParsedFeed, saved: SaveReport) -> dict[str, Any]:
    return {
        "file": str(path),
        "format": feed.format,
        "records": len(feed.services) + len(feed.refused),
        "added": len(saved.added),
        "updated": len(saved.updated),
        "unchanged": len(saved.unchanged),
        "refused": [{"record": r.record, "id": r.id, "reason": r.reason} for r in feed.refused],
        "flagged": [{"id": f.id, "field": f.field, "problem": f.problem} for f in feed.flagged],
        "unused_fields": dict(sorted(feed.unused_fields.items())),
        "skipped_rows": [
            {"table": r.table, "line": r.line, "reason": r.reason} for r in feed.skipped_rows
        ],
        "tables_not_read": feed.tables_not_read,
    }


@directory.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Detected when not given.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@as_option
@common
def directory_import(
    settings: Settings, path: Path, fmt: str | None, as_json: bool, as_user: str | None
) -> None:
    """Load or update services from an ORUK or HSDS JSON file, or an HSDS CSV folder."""
    front = open_signed_in(settings, as_user, LEADS, "directory import")
    feed = read_feed(path, front.clock().date(), fmt)
    by = f"import of {path.name}"
    if len(feed.services) > PROGRESS_FROM and not as_json:
        with click.progressbar(
            length=len(feed.services),
            label="Saving services",
            file=terminal_itself(sys.stderr),  # the bar redraws itself with control codes
        ) as bar:
            saved = front.directory.save(feed.services, front.clock(), by, progress=bar.update)
    else:
        saved = front.directory.save(feed.services, front.clock(), by)
    report = import_report(path, feed, saved)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(
            f"{path} ({feed.format}): {report['added']} added, {report['updated']} updated, "
            f"{report['unchanged']} unchanged, {len(feed.refused)} refused"
        )
        for r in feed.refused:
            click.echo(f"  refused record {r.record} (id {r.id or 'none'}): {r.reason}")
        for f in feed.flagged:
            click.echo(f"  flagged {f.id} {f.field}: {f.problem}")
        for name, count in sorted(feed.unused_fields.items()):
            click.echo(f"  not used: '{name}' (in {count} record(s))")
        for row in feed.skipped_rows:
            click.echo(f"  skipped {row.table} line {row.line}: {row.reason}")
        if feed.tables_not_read:
            click.echo(f"  tables not read: {', '.join(feed.tables_not_read)}")
    sys.exit(1 if not feed.services and feed.refused else 0)


@directory.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="hsds", show_default=True
)
@click.option("--out", type=click.Path(path_type=Path), help="Write to FILE instead of the screen.")
@click.option(
    "--check",
    is_flag=True,
    help="Then check every service against the official schemas (hsds: HSDS 3.0 and 3.1; "
    "oruk: the UK profile); exit 1 if one fails.",
)
@as_option
@common
def directory_export(
    settings: Settings, fmt: ExportFormat, out: Path | None, check: bool, as_user: str | None
) -> None:
    """Write the directory in an open format that Front Door (and others) can read."""
    front = open_signed_in(settings, as_user, LEADS, "directory export")
    services = front.directory.all()
    payload = export_payload(services, fmt)
    text = json.dumps(payload, indent=1, ensure_ascii=False)
    if out is None:
        click.echo(text)
    else:
        write_private(out, text + "\n")
        click.echo(f"{len(services)} service(s) written to {out}", err=True)
    if check:
        names: tuple[SchemaName, ...] = ("hsds-3.0", "hsds-3.1") if fmt == "hsds" else ("oruk",)
        reports = [check_records(service_records(payload), name) for name in names]
        for report in reports:
            print_schema_report(report, err=True)
        sys.exit(EXIT_PROBLEMS if any(r.failed for r in reports) else 0)


PROBLEMS_SHOWN = 5  # per record: the first few say what to fix; --json gives every one


def print_schema_report(report: SchemaReport, err: bool = False) -> None:
    click.echo(report.summary(), err=err)
    for verdict in report.failed:
        click.echo(f"  record {verdict.record} (id {verdict.id or 'none'}):", err=err)
        for problem in verdict.problems[:PROBLEMS_SHOWN]:
            click.echo(f"    {problem}", err=err)
        more = len(verdict.problems) - PROBLEMS_SHOWN
        if more > 0:
            click.echo(f"    and {more} more (--json lists every one)", err=err)


def schema_report_json(report: SchemaReport) -> dict[str, Any]:
    return {
        "schema": report.schema,
        "records": len(report.verdicts),
        "passed": report.passed,
        "failed": [
            {
                "record": v.record,
                "id": v.id,
                "problems": [{"where": p.where, "rule": p.rule} for p in v.problems],
            }
            for v in report.failed
        ],
    }


@directory.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--schema",
    "schemas",
    type=click.Choice(SCHEMA_NAMES),
    multiple=True,
    help="The official schema to check against; may be given again. Default: all three.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the reports as one JSON list.")
@common
def directory_validate(
    settings: Settings, path: Path, schemas: tuple[SchemaName, ...], as_json: bool
) -> None:
    """Check each service of an ORUK or HSDS JSON file against the official Open Referral
    schemas (HSDS 3.0, HSDS 3.1, the UK profile), saying which rule each record breaks.

    Formats (uuid, email, uri) are not asserted, as in the publishers' own validators.
    Exit 0 when every record passes, 1 when one fails, 2 when the file cannot be read."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise Refused(f"{path} is not UTF-8 text: give a JSON file") from None
    except json.JSONDecodeError as exc:
        raise Refused(
            f"{path} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    try:
        records = service_records(payload)
    except RecordsError as exc:
        raise Refused(f"{path}: {exc}") from None
    reports = [check_records(records, name) for name in schemas or SCHEMA_NAMES]
    if as_json:
        click.echo(json.dumps([schema_report_json(r) for r in reports], indent=2))
    else:
        for report in reports:
            print_schema_report(report)
    sys.exit(EXIT_PROBLEMS if any(r.failed for r in reports) else 0)


def result_json(result: Result) -> dict[str, Any]:
    verdict = result.verdict
    checked = result.service.assured_date
    return {
        "id": result.service.id,
        "name": result.service.name,
        "organisation": result.service.organisation,
        "score": result.score,
        "why": [str(m) for m in result.matches],
        "fits": verdict.fits,
        "set_aside": verdict.set_aside,
        "filters": verdict.states(),
        "set_aside_because": list(verdict.failed),
        "not_known": list(verdict.not_known),
        "not_checked_since": (checked.isoformat() if checked else "never")
        if result.stale
        else None,
        "phones": [p.number for p in result.service.phones],
    }


def print_result(result: Result) -> None:
    mark = ""
    if result.stale:
        checked = result.service.assured_date
        mark = f"  [not checked since {checked.isoformat() if checked else 'never'}]"
    click.echo(f"{result.score:5.1f}  {result.service.name}  [{result.service.id}]{mark}")
    click.echo(f"       {result.why}")
    if result.verdict.failed:
        click.echo(f"       set aside: {'; '.join(result.verdict.failed)}")
    if result.verdict.not_known:
        click.echo(f"       not known: {'; '.join(result.verdict.not_known)}")


@directory.command("search")
@click.argument("query")
@click.option(
    "--json", "as_json", is_flag=True, help="A list of objects: id, name, score, why, filters."
)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--age", type=click.IntRange(0, 130), help="The age of the person it is for.")
@click.option("--area", help="Where they live: a postcode, postcode district or named area.")
@click.option("--caller-type", type=click.Choice(["public", "carer", "professional"]))
@click.option("--open-now", is_flag=True, help="Services open now first.")
@click.option("--include-inactive", is_flag=True, help="Also services that are not active.")
@common
def directory_search(
    settings: Settings,
    query: str,
    as_json: bool,
    limit: int,
    age: int | None,
    area: str | None,
    caller_type: str | None,
    open_now: bool,
    include_inactive: bool,
) -> None:
    """Ranked services for QUERY, with why each matched.

    Filters never hide a service: those that fit every filter come first, then those a
    filter could not check, then those that fail one ("set aside"), each saying why.
    """
    front = open_from(settings)
    filters = Filters(
        age=age,
        area=area,
        caller_type=caller_type,
        open_at=front.local_now() if open_now else None,
        include_inactive=include_inactive,
    )
    found = front.index.find(query, limit=limit, filters=filters, today=front.local_now().date())
    results = found.ranked[:limit]
    if as_json:
        click.echo(json.dumps([result_json(r) for r in results], indent=2))
        return
    if not results:
        click.echo("No services matched.")
        return
    if not found.results:
        click.echo(f"None fits: {found.set_aside_total} set aside by the filters.")
    for r in results:
        if found.results and found.set_aside and r is found.set_aside[0]:
            click.echo("-- set aside by the filters --")
        print_result(r)
    unlisted = found.set_aside_total - sum(1 for r in results if r.verdict.set_aside)
    if unlisted:
        click.echo(f"({unlisted} more set aside by the filters: a higher --limit lists them)")


@directory.command("bench")
@click.option(
    "--sizes",
    default="1000,10000,100000",
    show_default=True,
    help="Directory sizes to build and time, comma separated.",
)
@click.option("--queries", default=200, show_default=True, type=click.IntRange(10, 5000))
@click.option(
    "--quality-data",
    type=click.Path(exists=True, path_type=Path),
    help="The North Lincolnshire ORUK file, for the labelled quality queries.",
)
@click.option("--seed", default=7, show_default=True)
@click.option(
    "--keystroke-size",
    default=10_000,
    show_default=True,
    type=click.IntRange(0),
    help="Services to type searches into as the directory panel does (0: leave out).",
)
@click.option(
    "--build-size",
    default=100_000,
    show_default=True,
    type=click.IntRange(0),
    help="Services to build the index of in a new process, for time and memory (0: leave out).",
)
@click.option(
    "--runs",
    default=3,
    show_default=True,
    type=click.IntRange(1, 50),
    help="Times the keystroke and build figures are measured; the medians are printed.",
)
@click.option("--json", "as_json", is_flag=True)
@common
def directory_bench(
    settings: Settings,
    sizes: str,
    queries: int,
    quality_data: Path | None,
    seed: int,
    keystroke_size: int,
    build_size: int,
    runs: int,
    as_json: bool,
) -> None:
    """Time our search against the plain rapidfuzz baseline, as the panel calls it per
    keystroke and by directory size; time and size the index's build; measure quality."""
    from frontdoor.directory.bench import PanelBench, describe, run_bench

    try:
        size_list = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise Refused("--sizes takes whole numbers separated by commas, e.g. 1000,10000") from None
    front = open_from(settings)
    result = run_bench(
        size_list,
        queries,
        seed,
        quality_data,
        front.vocabulary.synonym_groups,
        front.clock().date(),
        progress=None if as_json else lambda line: click.echo(line, err=True),
        panel=PanelBench(keystroke_size=keystroke_size, build_size=build_size, runs=runs),
    )
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for line in describe(result):
        click.echo(line)


@directory.command("paint-bench")
@click.option("--starts", default=10, show_default=True, type=click.IntRange(1, 200))
@click.option("--watch", default=5.0, show_default=True, help="Seconds watched after `d`.")
@common
def paint_bench(settings: Settings, starts: int, watch: float) -> None:
    """Press `d` at the console's first paint, on copies of this SQLite database, and
    time the longest freeze of the screen while the index is built (ours), against `d`
    with the index already built (the baseline)."""
    from frontdoor.console.paint_bench import run_paint_bench

    database = make_url(settings.db).database
    if not settings.db.startswith("sqlite") or not database or not Path(database).exists():
        raise Refused("paint-bench copies a SQLite database: give one with --db sqlite:///PATH")

    figures = run_paint_bench(
        Path(database), starts, watch, lambda line: click.echo(line, err=True)
    )
    click.echo(figures.describe())
