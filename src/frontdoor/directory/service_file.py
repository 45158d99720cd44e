"""Directory data files in our own model (YAML): the demo directory `make run` ships."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from frontdoor.directory.model import Service


class ServiceFileError(Exception):
    """A service file that cannot be read; the message names the file and the entry."""


def bundled_demo_files() -> list[Path]:
    folder = Path(str(resources.files("frontdoor.directory") / "data"))
    return sorted(folder.glob("*.yaml"))


# file-wide values every entry takes unless it gives its own (`areas: []` for "not known")
FILE_WIDE = ("assured_date", "source", "areas", "caller_types")


def read_service_file(path: Path) -> list[Service]:
    """Services from a file with `services:` and optional file-wide values (FILE_WIDE)."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ServiceFileError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise ServiceFileError(f"{path} needs a 'services:' list")
    defaults = {k: data[k] for k in FILE_WIDE if k in data}
    services = []
    for index, entry in enumerate(data["services"]):
        try:
            services.append(Service.model_validate({**defaults, **entry}))
        except ValidationError as exc:
            # the first problem in one line, named by its field (pydantic's own text runs
            # to several lines and a link)
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "the entry"
            raise ServiceFileError(
                f"{path}: entry {index + 1} ({entry.get('id', 'no id')}) is not a valid "
                f"service: {field}: {first['msg'].removeprefix('Value error, ')}"
            ) from exc
        except TypeError as exc:
            raise ServiceFileError(
                f"{path}: entry {index + 1} is not a valid service: {exc}"
            ) from exc
    return services
