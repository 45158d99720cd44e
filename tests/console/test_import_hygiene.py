"""Domain packages never import Textual: checked in a fresh interpreter for each."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = [
    "frontdoor.triage_scripts.runner",
    "frontdoor.triage_scripts.lint",
    "frontdoor.directory.search",
    "frontdoor.directory.open_referral",
    "frontdoor.people.index",
    "frontdoor.interactions.record",
    "frontdoor.db.migrate",
    "frontdoor.calls.call",
    "frontdoor.calls.outbox",
    "frontdoor.simulation.run",
    "frontdoor.console.wiring",
]


@pytest.mark.parametrize("module", DOMAIN)
def test_module_does_not_pull_in_textual(module):
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
