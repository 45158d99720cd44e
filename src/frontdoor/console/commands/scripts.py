"""`frontdoor scripts`: for service leads writing, checking and changing triage scripts.

`lint` and `test` work on files (for CI and for writing); the rest work on the library
in the shared database (spec/script-governance.md), in script_versions.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from frontdoor.console.commands.common import Refused, common, open_from
from frontdoor.console.commands.script_reading import READING_COMMANDS
from frontdoor.console.commands.script_versions import VERSION_COMMANDS
from frontdoor.console.settings import Settings
from frontdoor.triage_scripts.library import read_library
from frontdoor.triage_scripts.limits import LIMITS, Deadline
from frontdoor.triage_scripts.lint import (
    check_hand_on_loops,
    check_literals,
    check_references,
    lint_paths,
)
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

    A script that cannot run as written is reported as its lint errors and counted as
    failed, its tests not run: a `next` to no node (R1), a literal its answer cannot
    take (R6), scripts handing a call on round a loop (R2).
    """
    # reading a file, and running its tests, each have Limits.max_seconds
    results = [
        load_file(path, deadline=Deadline(LIMITS.max_seconds)) for path in script_files(paths)
    ]
    library = read_library()
    loaded = [r.loaded for r in results if r.loaded is not None]
    # a test that follows a hand-on (`expect: OTHER/END`) looks in the files given first
    scripts = {**library.scripts, **{item.script.script: item.script for item in loaded}}
    known = set(scripts)
    loops = check_hand_on_loops(loaded, library.scripts)
    passed = failed = 0
    for result in results:
        problems = result.problems
        if result.loaded is not None:
            found = [*check_references(result.loaded, known), *check_literals(result.loaded)]
            found += [p for p in loops if p.file == result.loaded.path]
            problems = [p for p in found if p.severity == "error"]
        if result.loaded is None or problems:
            for problem in problems:
                click.echo(f"ERROR {problem}")
            failed += 1
            continue
        for outcome in run_tests(result.loaded, Deadline(LIMITS.max_seconds), scripts):
            click.echo(str(outcome))
            passed += outcome.passed
            failed += not outcome.passed
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


@scripts.command("bench")
@click.option(
    "--sizes",
    default="500,1000,2000,5000",
    show_default=True,
    help="Script sizes (questions) to lint, comma separated.",
)
@click.option(
    "--baseline-up-to",
    default=500,
    show_default=True,
    type=click.IntRange(0),
    help="Time the baseline only up to this size: it grows with the cube of the size.",
)
@click.option(
    "--repeats", default=20, show_default=True, type=click.IntRange(1), help="Reading: best of."
)
@click.option("--json", "as_json", is_flag=True)
def scripts_bench(sizes: str, baseline_up_to: int, repeats: int, as_json: bool) -> None:
    """Time reading the bundled scripts and linting long ones, ours against the baseline."""
    from frontdoor.triage_scripts.bench import describe, run_bench

    try:
        size_list = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise Refused("--sizes takes whole numbers separated by commas, e.g. 500,5000") from None
    if not size_list or min(size_list) < 1:
        raise Refused("--sizes takes whole numbers of 1 or more, e.g. 500,5000")
    result = run_bench(
        size_list,
        baseline_up_to,
        repeats,
        progress=None if as_json else lambda s: click.echo(s, err=True),
    )
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for line in describe(result):
        click.echo(line)


for command in [*VERSION_COMMANDS, *READING_COMMANDS]:
    scripts.add_command(command)
