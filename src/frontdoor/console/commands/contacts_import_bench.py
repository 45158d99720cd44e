"""`frontdoor contacts import-bench`: the streamed import beside the whole-file way it
replaced (see console/import_bench.py). Anyone may run it: it never opens a real
database."""

from __future__ import annotations

import json

import click

from frontdoor.console.commands.common import Refused


@click.command("import-bench")
@click.option(
    "--server",
    metavar="URL",
    help="On PostgreSQL: a server URL whose user may create databases (the bench makes one "
    "of its own there for each import and drops it). Without it, SQLite in a temporary folder.",
)
@click.option(
    "--per-month",
    default=12_000,
    show_default=True,
    type=click.IntRange(100),
    help="Contacts a month: the month's file is March at this volume.",
)
@click.option(
    "--large",
    default=200_000,
    show_default=True,
    type=click.IntRange(1000),
    help="Lines of the larger file, imported streamed.",
)
@click.option(
    "--baseline-large",
    is_flag=True,
    help="Import the larger file the whole-file way too (its memory grows with the file: "
    "some 30 KB a line).",
)
@click.option("--json", "as_json", is_flag=True)
def contacts_import_bench(
    server: str | None, per_month: int, large: int, baseline_large: bool, as_json: bool
) -> None:
    """Time `contacts import` and take its peak memory, streamed and the whole-file way,
    each in a process of its own on a new database: a month's file, then a larger one."""
    from frontdoor.console.import_bench import describe, run_bench
    from frontdoor.interactions.audit_bench import NoScratchDatabase

    if server is not None and not server.startswith("postgresql"):
        raise Refused("--server takes a PostgreSQL URL, such as postgresql+psycopg://user@host/db")
    try:
        result = run_bench(
            server,
            per_month=per_month,
            large=large,
            baseline_large=baseline_large,
            progress=None if as_json else lambda s: click.echo(s, err=True),
        )
    except NoScratchDatabase as exc:
        raise Refused(f"--server: {exc}") from None
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for line in describe(result):
        click.echo(line)
