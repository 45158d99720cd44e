"""The library a release brings (the bundled folder, or the folder in settings.library):
read and linted against the service's vocabulary, then brought into the database, where
the library lives (spec/script-governance.md: published into a new database by `system`;
into one that has a library, a changed script arrives as a draft for a lead)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from frontdoor.triage_scripts.library import bundled_library_path
from frontdoor.triage_scripts.lint import LintContext, lint_paths
from frontdoor.triage_scripts.loader import LoadedScript, LoadResult, Problem, script_files
from frontdoor.triage_scripts.script_text import content_hash
from frontdoor.triage_scripts.version_records import BroughtIn
from frontdoor.triage_scripts.versions import ScriptVersions


@dataclass(frozen=True)
class ReleaseLibrary:
    """Each file that loaded with its text, and every problem lint found in the folder."""

    folder: Path
    scripts: tuple[tuple[LoadedScript, str], ...]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def trusted(self) -> frozenset[tuple[str, str]]:
        """(script, content hash) of every script, when the folder is lint-clean and all
        of it is published: a database publishing exactly these passes the same check."""
        if self.errors or any(s.script.status != "published" for s, _ in self.scripts):
            return frozenset()
        return frozenset((s.script.script, content_hash(text)) for s, text in self.scripts)


def release_hashes(folder: Path | None) -> frozenset[str]:
    """The content hash of each script file in the folder (default: the bundled library),
    without reading it as YAML: whether a database holds them all already is cheaper to
    know than what lint would say of them."""
    found = set()
    for path in script_files([folder or bundled_library_path()]):
        try:
            found.add(content_hash(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            found.add(f"unreadable {path}")  # never stored: lint will say why
    return frozenset(found)


def read_release(folder: Path | None, context: LintContext) -> ReleaseLibrary:
    """The folder (default: the bundled library) checked by every lint rule against
    `context`, as a library from files always was."""
    where = folder or bundled_library_path()
    loaded, problems = lint_paths([where], context)
    # lint read each file as text; the database keeps that text, exactly
    scripts = tuple((item, Path(item.path).read_text(encoding="utf-8")) for item in loaded)
    return ReleaseLibrary(where, scripts, tuple(problems))


def bring_in(store: ScriptVersions, release: ReleaseLibrary, now: dt.datetime) -> BroughtIn:
    """Bring a lint-clean release into the database (see ScriptVersions.bring_in), and
    let the store reuse what its texts loaded to."""
    if release.errors:
        return BroughtIn()
    for loaded, text in release.scripts:
        store.remember(text, LoadResult(loaded, []))
    return store.bring_in([(loaded.script, text) for loaded, text in release.scripts], now)
