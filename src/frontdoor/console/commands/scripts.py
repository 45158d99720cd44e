"""`frontdoor scripts`: for service leads writing, checking and changing triage scripts.

`lint` and `test` work on files (for CI and for writing); the rest work on the library
in the shared database (spec/script-governance.md), in script_versions.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from frontdoor.console.commands.common import common, open_from
from frontdoor.console.commands.script_versions import VERSION_COMMANDS
from frontdoor.console.settings import Settings
from frontdoor.triage_scripts.library import read_library
from frontdoor.triage_scripts.lint import check_references, lint_paths
from frontdoor.triage_scripts.loader import load_file, script_files
from frontdoor.triage_scripts.script_tests import run_tests


@click.group()
def scripts() -> None:
    """Write, check and change triage scripts."""


@scripts.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--no-directory", is_flag=True, help="Do not look up refer_to/signpost in the directory."
)
@common
def scripts_lint(settings: Settings, paths: tuple[Path, ...], no_directory: bool) -> None:
    """Check script files or folders: one line per problem, FILE:LINE: RULE message."""
    # the library is only looked in for goto_script here (the scripts published in the
    # database), so one with errors of its own does not stop files from being linted
    front = open_from(settings, check_library=False)
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
    """Run the scripts' own tests; ends with 'N passed, N failed'.

    A script whose nodes do not all exist (a lint R1 error) is reported as its lint
    errors and counted as failed: its tests could not mean anything.
    """
    results = [load_file(path) for path in script_files(paths)]
    known = set(read_library().scripts) | {r.loaded.script.script for r in results if r.loaded}
    passed = failed = 0
    for result in results:
        problems = result.problems
        if result.loaded is not None:
            problems = [p for p in check_references(result.loaded, known) if p.severity == "error"]
        if result.loaded is None or problems:
            for problem in problems:
                click.echo(f"ERROR {problem}")
            failed += 1
            continue
        for outcome in run_tests(result.loaded):
            click.echo(str(outcome))
            passed += outcome.passed
            failed += not outcome.passed
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


for command in VERSION_COMMANDS:
    scripts.add_command(command)
