"""`frontdoor scripts`: for service leads writing and checking triage scripts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from frontdoor.console.commands.common import common, open_from
from frontdoor.console.settings import Settings
from frontdoor.triage_scripts.lint import lint_paths
from frontdoor.triage_scripts.loader import load_file, script_files
from frontdoor.triage_scripts.script_tests import run_tests


@click.group()
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
    front = open_from(settings)
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
