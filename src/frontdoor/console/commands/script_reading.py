"""`frontdoor scripts show / diff`: a version of a script from the shared library, read as
a lead reads it (an indented tree, or a Mermaid flowchart), and what changed between two
versions, node by node (spec/script-governance.md)."""

from __future__ import annotations

import click

from frontdoor.console.commands.common import Refused, common, open_from
from frontdoor.console.settings import Settings
from frontdoor.triage_scripts.catalogue import version_to_show
from frontdoor.triage_scripts.diff import diff, diff_text
from frontdoor.triage_scripts.mermaid import mermaid
from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.outline import outline
from frontdoor.triage_scripts.version_records import UnknownScript, UnknownVersion
from frontdoor.triage_scripts.versions import ScriptVersions

_VERSION = click.option(
    "--version",
    "version",
    type=click.IntRange(min=1),
    metavar="N",
    help="Which version (default: the published one, else the newest).",
)


def stored_script(store: ScriptVersions, script: str, version: int | None) -> Script:
    """The parsed version, or a Refused that says what to do."""
    try:
        number = version_to_show(store, script, version)
        stored = store.version(script, number)
    except (UnknownScript, UnknownVersion) as exc:
        raise Refused(
            f"{exc}: 'frontdoor scripts list' and 'frontdoor scripts history {script}' "
            "show what there is"
        ) from None
    if stored.script is None:  # stored before a rule it now breaks: say so, show nothing
        lines = "; ".join(str(p) for p in stored.problems[:3])
        raise Refused(f"{script} v{number} no longer loads: {lines}")
    return stored.script


@click.command("show")
@click.argument("script")
@_VERSION
@click.option("--mermaid", "as_mermaid", is_flag=True, help="A Mermaid flowchart instead.")
@common
def scripts_show(settings: Settings, script: str, version: int | None, as_mermaid: bool) -> None:
    """A script as an indented tree of questions, answers and ends (or --mermaid)."""
    front = open_from(settings, check_library=False)
    found = stored_script(front.scripts, script, version)
    click.echo(mermaid(found) if as_mermaid else outline(found), nl=False)


@click.command("diff")
@click.argument("script")
@click.argument("a", type=click.IntRange(min=1))
@click.argument("b", type=click.IntRange(min=1))
@common
def scripts_diff(settings: Settings, script: str, a: int, b: int) -> None:
    """What changed from version A to version B, node by node: questions, answers,
    routes and ends."""
    front = open_from(settings, check_library=False)
    before = stored_script(front.scripts, script, a)
    after = stored_script(front.scripts, script, b)
    click.echo(diff_text(diff(before, after)), nl=False)


READING_COMMANDS: list[click.Command] = [scripts_show, scripts_diff]

__all__ = ["READING_COMMANDS", "stored_script"]
