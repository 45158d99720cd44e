"""`frontdoor contacts import-bench`: the streamed import beside the whole-file way it
replaced (see console/import_bench.py). Anyone may run it: it never opens a real
database."""

from __future__ import annotations

import click

from frontdoor.console.commands.contacts_bench import run_scratch_bench


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

    run_scratch_bench(
        server,
        as_json,
        lambda url, progress: run_bench(
            url,
            per_month=per_month,
            large=large,
            baseline_large=baseline_large,
            progress=progress,
        ),
        describe,
    )
