"""`frontdoor scripts` on the library in the database, as two service leads use it: exit 0
done, 1 refused by the library's rules (with the lint lines), 2 bad usage."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from frontdoor.console.cli import main
from tests.triage_scripts.changing import (
    LEAD,
    SECOND,
    bundled_version,
    reworded,
    with_a_failing_test,
)

LIST_FIELDS = {
    "script",
    "title",
    "state",
    "published_version",
    "draft_versions",
    "owner",
    "review_by",
    "review_overdue",
    "approved_by",
    "approved_at",
}


def run(db: str, *args: str):
    return CliRunner().invoke(main, [*args, "--db", db], catch_exceptions=False)


def test_two_leads_change_a_script_from_the_command_line(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'leads.db'}"
    upgraded = run(db, "db", "upgrade")
    assert "script(s) of this release published, by system" in upgraded.output
    listed = json.loads(run(db, "scripts", "list", "--json").output)
    assert [set(item) for item in listed] == [LIST_FIELDS] * len(listed)
    assert [item["script"] for item in listed] == sorted(item["script"] for item in listed)
    falls = next(item for item in listed if item["script"] == "falls")
    assert (falls["state"], falls["draft_versions"], falls["approved_by"]) == (
        "published",
        [],
        "system",
    )
    bundled = bundled_version("falls")
    change = tmp_path / "falls.yaml"
    change.write_text(reworded("falls").text)

    nobody = run(db, "scripts", "submit", str(change))
    assert nobody.exit_code == 2 and "--as NAME" in nobody.output
    submitted = run(db, "scripts", "submit", str(change), "--note", "clearer", "--as", LEAD)
    assert submitted.exit_code == 0, submitted.output
    assert f"falls@{bundled + 1} submitted by Ann Lead as a draft" in submitted.output
    own = run(db, "scripts", "approve", "falls", "--as", LEAD)
    assert own.exit_code == 1 and "a second person approves it" in own.output
    unknown = run(db, "scripts", "approve", "falls", "--version", "9", "--as", SECOND)
    assert unknown.exit_code == 2 and "has no version 9" in unknown.output
    approved = run(db, "scripts", "approve", "falls", "--as", SECOND)
    assert (
        approved.exit_code == 0
        and f"falls@{bundled + 1} published, approved by Bob" in approved.output
    )

    history = json.loads(run(db, "scripts", "history", "falls", "--json").output)
    assert [(v["version"], v["state"], v["submitted_by"], v["approved_by"]) for v in history] == [
        (bundled, "superseded", "system", "system"),
        (bundled + 1, "published", LEAD, SECOND),
    ]
    assert history[1]["note"] == "clearer"
    text = run(db, "scripts", "history", "falls").output.splitlines()
    assert text[0].split() == ["VERSION", "STATE", "SUBMITTED", "APPROVED", "ENDED", "NOTE"]

    # what changed, node by node; each version read as it asks
    change_made = reworded("falls")
    diffed = run(db, "scripts", "diff", "falls", str(bundled), str(bundled + 1)).output
    assert diffed.splitlines() == [
        f"falls: v{bundled} -> v{bundled + 1}",
        "",
        f"changed node {change_made.node}",
        "  ~ ask",
        f"      was: {change_made.before}",
        f"      now: {change_made.after}",
    ]
    old = run(db, "scripts", "show", "falls", "--version", str(bundled)).output
    new = run(db, "scripts", "show", "falls").output  # the published one
    assert f"ask: {change_made.before}" in old and f"ask: {change_made.after}" in new
    assert new.startswith(f"falls v{bundled + 1} (published)")
    drawn = run(db, "scripts", "show", "falls", "--mermaid").output
    assert drawn.startswith("flowchart TD") and change_made.after.rstrip("?") in drawn
    missing = run(db, "scripts", "show", "falls", "--version", "99")
    assert missing.exit_code == 2 and "scripts history falls" in missing.output

    failing = tmp_path / "carers.yaml"
    failing.write_text(with_a_failing_test("carers"))
    refused = run(db, "scripts", "submit", str(failing), "--as", LEAD)
    assert refused.exit_code == 1
    assert f"{failing}:" in refused.output and " R7 " in refused.output
    retire = run(db, "scripts", "retire", "missed-care-visit", "--as", SECOND)
    assert retire.exit_code == 1 and "still handed on to by progress-chasing@" in retire.output
    assert run(db, "scripts", "retire", "no-such", "--as", SECOND).exit_code == 2

    folder = tmp_path / "exported"
    assert run(db, "scripts", "export", str(folder)).exit_code == 0
    exported = (folder / "falls.yaml").read_text()
    assert f"version: {bundled + 1}\n" in exported and "approved_by: Bob Lead\n" in exported
    linted = run(db, "scripts", "lint", "--no-directory", str(folder))
    assert linted.exit_code == 0, linted.output
