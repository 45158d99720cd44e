"""The `frontdoor` command: one entry, subcommands grouped by the people who use them.

Errors are one plain sentence on stderr saying what was wrong and what to do; a
traceback only with --debug. Exit 0 success, 1 "ran and found problems", 2 bad usage
or input that could not be read.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy.exc import SQLAlchemyError

from frontdoor.console.settings import Settings, load_settings
from frontdoor.console.vocabulary import ConfigError
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.directory.oruk import FeedError, read_feed
from frontdoor.interactions.export import contact_to_line
from frontdoor.triage_scripts.library import LibraryError
from frontdoor.triage_scripts.lint import lint_paths
from frontdoor.triage_scripts.loader import load_file, script_files
from frontdoor.triage_scripts.script_tests import run_tests

F = TypeVar("F", bound=Callable[..., Any])


class Refused(click.ClickException):
    """Input that could not be read: exit 2, one sentence."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"frontdoor: {self.message}", err=True)


def common(func: F) -> F:
    """--db, --config and --debug on every subcommand; errors as one sentence."""

    @click.option(
        "--db", "db", help="Database URL (default: FRONTDOOR_DB, else a file in your data folder)."
    )
    @click.option(
        "--config",
        "config",
        type=click.Path(path_type=Path),
        help="Config folder (default: FRONTDOOR_CONFIG, else the bundled one).",
    )
    @click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
    @functools.wraps(func)
    def wrapper(*args: Any, db: str | None, config: Path | None, debug: bool, **kwargs: Any) -> Any:
        try:
            settings = load_settings(db=db, config=config)
            return func(settings, *args, **kwargs)
        except click.ClickException:
            raise
        except Exception as exc:
            if debug:
                raise
            raise Refused(_explain(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _explain(exc: Exception) -> str:
    if isinstance(exc, ConfigError | FeedError):
        return str(exc)
    if isinstance(exc, LibraryError):
        return f"the script library does not load: {exc} (run 'frontdoor scripts lint' on it)"
    if isinstance(exc, SQLAlchemyError):
        return (
            f"the database could not be used ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0]}); check --db or FRONTDOOR_DB"
        )
    return f"{type(exc).__name__}: {exc} (run again with --debug for details)"


def _open(settings: Settings) -> FrontDoor:
    from frontdoor.console.logs import configure_logging

    configure_logging(settings.log_file)
    return open_front_door(settings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Front Door: the call handler's assistant for a Single Point of Access."""


@main.command()
@click.option(
    "--role",
    type=click.Choice(["handler", "supervisor", "lead"]),
    default="handler",
    show_default=True,
)
@click.option("--user", help="Who is signed in (default: FRONTDOOR_USER, else your login name).")
@common
def console(settings: Settings, role: str, user: str | None) -> None:
    """Open the console."""
    import getpass

    from frontdoor.console.app import FrontDoorApp

    front = _open(settings)
    handler = user or settings.user or getpass.getuser()
    FrontDoorApp(front, handler=handler, role=role).run()


# --- scripts -------------------------------------------------------------------------
@main.group()
def scripts() -> None:
    """Write and check triage scripts."""


@scripts.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--no-directory", is_flag=True, help="Do not look up refer_to/signpost in the directory."
)
@common
def scripts_lint(settings: Settings, paths: tuple[Path, ...], no_directory: bool) -> None:
    """Check script files or folders: one line per problem, FILE:LINE: RULE message."""
    front = _open(settings)
    _, problems = lint_paths(paths, front.lint_context(with_directory=not no_directory))
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    files = len(script_files(paths))
    click.echo(f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(1 if errors else 0)


@scripts.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def scripts_test(paths: tuple[Path, ...]) -> None:
    """Run the scripts' own tests; ends with 'N passed, N failed'."""
    passed = failed = 0
    for path in script_files(paths):
        result = load_file(path)
        if result.loaded is None:
            for problem in result.problems:
                click.echo(f"ERROR {problem}")
            failed += 1
            continue
        for outcome in run_tests(result.loaded):
            click.echo(str(outcome))
            passed += outcome.passed
            failed += not outcome.passed
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


# --- directory -----------------------------------------------------------------------
@main.group()
def directory() -> None:
    """Keep the service directory current and search it."""


@directory.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["oruk"]), default="oruk", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@common
def directory_import(settings: Settings, path: Path, fmt: str, as_json: bool) -> None:
    """Load or update services from an Open Referral UK file."""
    if not path.exists():
        raise Refused(f"there is no file {path}; give the path of an ORUK services JSON file")
    feed = read_feed(path)
    front = _open(settings)
    saved = front.directory.save(feed.services, front.clock())
    report = {
        "file": str(path),
        "format": fmt,
        "added": len(saved.added),
        "updated": len(saved.updated),
        "unchanged": len(saved.unchanged),
        "refused": [{"record": r.index + 1, "id": r.id, "reason": r.reason} for r in feed.refused],
        "unused_fields": feed.unused_fields,
    }
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(
            f"{path}: {report['added']} added, {report['updated']} updated, "
            f"{report['unchanged']} unchanged, {len(feed.refused)} refused"
        )
        for r in feed.refused:
            click.echo(f"  refused record {r.index + 1} (id {r.id or 'none'}): {r.reason}")
        for name, count in sorted(feed.unused_fields.items()):
            click.echo(f"  not used: '{name}' (in {count} record(s))")
    sys.exit(1 if not feed.services and feed.refused else 0)


@directory.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="A list of objects: id, name, score, why.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@common
def directory_search(settings: Settings, query: str, as_json: bool, limit: int) -> None:
    """Ranked services for QUERY, with why each matched."""
    front = _open(settings)
    results = front.index.search(query, limit=limit)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.service.id,
                        "name": r.service.name,
                        "organisation": r.service.organisation,
                        "score": r.score,
                        "why": [str(m) for m in r.matches],
                        "phones": r.service.phones,
                    }
                    for r in results
                ],
                indent=2,
            )
        )
        return
    if not results:
        click.echo("No services matched.")
    for r in results:
        click.echo(f"{r.score:5.1f}  {r.service.name}  [{r.service.id}]\n       {r.why}")


# --- contacts ------------------------------------------------------------------------
@main.group()
def contacts() -> None:
    """The record of contacts, in and out."""


@contacts.command("export")
@click.option("--out", type=click.Path(path_type=Path), help="Write to FILE instead of the screen.")
@common
def contacts_export(settings: Settings, out: Path | None) -> None:
    """Write every contact as JSON Lines (one contact per line)."""
    front = _open(settings)
    lines = (contact_to_line(c) for c in front.record.all_contacts())
    if out is None:
        for line in lines:
            click.echo(line)
        return
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")
            count += 1
    click.echo(f"{count} contact(s) written to {out}", err=True)


# --- db ------------------------------------------------------------------------------
@main.group()
def db() -> None:
    """The database itself."""


@db.command("upgrade")
@common
def db_upgrade(settings: Settings) -> None:
    """Bring the database's schema up to date."""
    from frontdoor.console.wiring import system_clock
    from frontdoor.db.engine import make_engine
    from frontdoor.db.migrate import current_revision, upgrade

    engine = make_engine(settings.db)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    del system_clock
    click.echo(f"schema at {after}" + ("" if before == after else f" (was {before or 'empty'})"))


if __name__ == "__main__":  # pragma: no cover
    main()
