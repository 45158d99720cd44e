"""The script library a call runs in, as the call service sees it: the console's is live
(the published library in the database), the simulation's and tests' fixed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from frontdoor.triage_scripts.model import Script


class ScriptSource(Protocol):
    """The script library: `current()` is the published library as it is now (a mapping
    that is never changed, only replaced: a call keeps the one it started with);
    `version` finds any version a contact recorded (None when none is held)."""

    def current(self) -> Mapping[str, Script]: ...

    def version(self, script: str, version: int) -> Script | None: ...


@dataclass(frozen=True)
class FixedLibrary:
    """A library that never changes (the simulation, tests): each script at one version."""

    scripts: Mapping[str, Script]

    def current(self) -> Mapping[str, Script]:
        return self.scripts

    def version(self, script: str, version: int) -> Script | None:
        found = self.scripts.get(script)
        return found if found is not None and found.version == version else None
