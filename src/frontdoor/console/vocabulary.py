"""The service's vocabularies from the config folder: categories, outcomes, demand codes."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from frontdoor.mi.labels import Labels


class ConfigError(Exception):
    """A config file is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Vocabulary:
    categories: dict[str, str]
    outcomes: dict[str, str]
    resolved_outcomes: frozenset[str]
    value_demand: dict[str, str]
    failure_demand: dict[str, str]
    caller_types: dict[str, str]
    synonym_groups: list[list[str]]
    named_areas: dict[str, frozenset[str]]

    @property
    def demand(self) -> dict[str, str]:
        return {**self.value_demand, **self.failure_demand}

    @property
    def labels(self) -> Labels:
        """These vocabularies' words for their codes, as the reports show them."""
        return Labels(self.categories, self.outcomes, self.demand, self.caller_types)


# Each config text read so far, parsed, by the text itself: a process that opens Front
# Door many times (the tests, a bench) parsed the same eight files at each opening, a
# quarter of the time opening took. The file is still read each time, so an edited file
# is parsed anew; the caller gets a copy of its own.
_PARSED: dict[str, Any] = {}
_PARSED_LOCK = threading.Lock()


def read_config(folder: Path, name: str) -> dict[str, Any]:
    path = folder / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    with _PARSED_LOCK:
        known = text in _PARSED
        data = _PARSED.get(text)
    if not known:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
        with _PARSED_LOCK:
            _PARSED[text] = data
    if not isinstance(data, dict):
        raise ConfigError(f"{path} should be a mapping of keys")
    return copy.deepcopy(data)


def _optional(folder: Path, name: str) -> dict[str, Any]:
    """A config file a service may leave out (synonyms, named areas)."""
    return read_config(folder, name) if (folder / name).exists() else {}


def load_vocabulary(folder: Path) -> Vocabulary:
    outcomes = read_config(folder, "outcomes.yaml").get("outcomes") or {}
    demand = read_config(folder, "demand.yaml")
    groups = _optional(folder, "synonyms.yaml").get("groups") or []
    areas = _optional(folder, "areas.yaml").get("areas") or {}
    return Vocabulary(
        categories={
            str(k): str(v)
            for k, v in (read_config(folder, "categories.yaml").get("categories") or {}).items()
        },
        outcomes={str(k): str(v.get("label", k)) for k, v in outcomes.items()},
        resolved_outcomes=frozenset(str(k) for k, v in outcomes.items() if v.get("resolved")),
        value_demand={str(k): str(v) for k, v in (demand.get("value") or {}).items()},
        failure_demand={str(k): str(v) for k, v in (demand.get("failure") or {}).items()},
        caller_types={
            str(k): str(v)
            for k, v in (read_config(folder, "caller_types.yaml").get("caller_types") or {}).items()
        },
        synonym_groups=[[str(p) for p in g] for g in groups],
        named_areas={
            str(k).lower(): frozenset(str(d).upper() for d in v) for k, v in (areas or {}).items()
        },
    )
