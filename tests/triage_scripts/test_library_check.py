"""A published library's check is kept for the process by what decides it: the same texts
checked against the same vocabulary are not linted again, and another vocabulary is."""

from __future__ import annotations

import dataclasses

import frontdoor.triage_scripts.live_library as live_library
from frontdoor.console.wiring import vocabulary_context
from frontdoor.triage_scripts.live_library import library_check


def test_the_same_texts_and_vocabulary_are_linted_once_another_vocabulary_again(front, monkeypatch):
    linted: list[str] = []
    lint = live_library.lint_loaded

    def counted(item, *args, **kwargs):
        linted.append(item.script.script)
        return lint(item, *args, **kwargs)

    monkeypatch.setattr(live_library, "lint_loaded", counted)
    versions = front.scripts.published()
    service = vocabulary_context(front.vocabulary)
    assert library_check(service)(versions) == []  # as opening Front Door found it
    assert linted == []  # ... and kept

    # a site without the physical health category: its scripts' category is unknown
    narrower = dataclasses.replace(service, categories=service.categories - {"physical_health"})
    refused = library_check(narrower)(versions)
    assert linted and {p.code for p in refused} == {"R6"}
    linted.clear()
    assert library_check(narrower)(versions) == refused
    assert linted == []
