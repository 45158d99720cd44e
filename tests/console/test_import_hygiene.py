"""Domain packages never import Textual: checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

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


def pulls_in_textual(*modules: str) -> bool:
    code = f"import sys, {', '.join(modules)}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def test_no_domain_module_pulls_in_textual():
    # What the modules import together is what each imports, added up: one interpreter
    # for them all (each costs a second to start), and one each to name any that does.
    if pulls_in_textual(*DOMAIN):
        culprits = [module for module in DOMAIN if pulls_in_textual(module)]
        raise AssertionError(f"these import Textual: {culprits}")
