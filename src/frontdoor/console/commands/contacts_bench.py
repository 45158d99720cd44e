"""`frontdoor contacts bench`: what the audit adds to a call's writes (see
interactions/audit_bench.py). Anyone may run it: it never opens a real database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import click

from frontdoor.console.commands.common import Refused


def run_scratch_bench(
    server: str | None,
    as_json: bool,
    run: Callable[[str | None, Callable[[str], None] | None], Any],
    describe: Callable[[Any], Iterable[str]],
) -> None:
    """Run a bench on scratch databases of its own (SQLite, and PostgreSQL at `server`)
    and print its figures in words or as JSON: the contacts benches' one way of doing it."""
    from frontdoor.interactions.audit_bench import NoScratchDatabase

    if server is not None and not server.startswith("postgresql"):
        raise Refused("--server takes a PostgreSQL URL, such as postgresql+psycopg://user@host/db")
    try:
        result = run(server, None if as_json else lambda s: click.echo(s, err=True))
    except NoScratchDatabase as exc:
        raise Refused(f"--server: {exc}") from None
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for line in describe(result):
        click.echo(line)


@click.command("bench")
@click.option(
    "--server",
    metavar="URL",
    help="Also on PostgreSQL: a server URL whose user may create databases (the bench makes "
    "one of its own there and drops it). Without it, SQLite in a temporary folder.",
)
@click.option("--steps", default=500, show_default=True, type=click.IntRange(10))
@click.option(
    "--history",
    default=100_000,
    show_default=True,
    type=click.IntRange(0),
    help="Audit rows chained before the timing starts.",
)
@click.option("--writers", default=20, show_default=True, type=click.IntRange(1, 200))
@click.option("--json", "as_json", is_flag=True)
def contacts_bench(
    server: str | None, steps: int, history: int, writers: int, as_json: bool
) -> None:
    """Time one step write of a call with its audit row and without, in the same run, on
    a scratch database; then many workstations writing at once."""
    from frontdoor.interactions.audit_bench import describe, run_bench

    run_scratch_bench(
        server,
        as_json,
        lambda url, progress: run_bench(
            url, steps=steps, history=history, writers=writers, progress=progress
        ),
        describe,
    )


@click.command("step-bench")
@click.option(
    "--server",
    metavar="URL",
    envvar="FRONTDOOR_TEST_PG",
    help="Also on PostgreSQL: a server URL whose user may create databases (the bench makes "
    "one of its own there and drops it). Default: FRONTDOOR_TEST_PG, when set.",
)
@click.option("--steps", default=1000, show_default=True, type=click.IntRange(20))
@click.option("--json", "as_json", is_flag=True)
def step_bench(server: str | None, steps: int, as_json: bool) -> None:
    """Time one triage step written as the record writes it beside the ORM write it
    replaced, in the same run, on SQLite (and PostgreSQL with --server)."""
    from frontdoor.interactions.step_bench import describe, run_bench

    run_scratch_bench(
        server,
        as_json,
        lambda url, progress: run_bench(url, steps=steps, progress=progress),
        describe,
    )
