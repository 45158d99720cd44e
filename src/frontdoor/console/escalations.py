"""The escalation guidance from the config folder (escalations.yaml), checked and turned
into the typed guides a call is given."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from frontdoor.calls.escalation import EscalationGuide, Suggestion
from frontdoor.console.vocabulary import ConfigError, Vocabulary, read_config
from frontdoor.triage_scripts.model import ESCALATIONS

FILE = "escalations.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Suggestion(_Strict):
    services: list[str] = Field(min_length=1)
    action: Literal["referred", "signposted"]
    out_of_hours: _Suggestion | None = None

    def typed(self) -> Suggestion:
        return Suggestion(
            tuple(self.services),
            self.action,
            self.out_of_hours.typed() if self.out_of_hours else None,
        )


class _Guide(_Strict):
    title: str = Field(min_length=1)
    say: str = Field(min_length=1)
    category: str | None = None
    suggest: list[_Suggestion] = Field(default_factory=list)


def load_escalations(folder: Path, vocabulary: Vocabulary) -> dict[str, EscalationGuide]:
    """The guide for each escalation end; ConfigError naming the file and the fault
    (a missing escalation, an unknown key, a category the vocabulary does not have)."""
    data = read_config(folder, FILE)
    path = folder / FILE
    missing = [name for name in ESCALATIONS if name not in data]
    unknown = [str(name) for name in data if name not in ESCALATIONS]
    if missing or unknown:
        raise ConfigError(
            f"{path}: it needs exactly {' and '.join(ESCALATIONS)}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        )
    guides: dict[str, EscalationGuide] = {}
    for name in ESCALATIONS:
        try:
            guide = _Guide.model_validate(data[name])
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in (name, *first["loc"]))
            raise ConfigError(f"{path}: {where}: {first['msg']}") from None
        if guide.category is not None and guide.category not in vocabulary.categories:
            raise ConfigError(
                f"{path}: {name}.category '{guide.category}' is not in categories.yaml "
                f"({', '.join(vocabulary.categories)})"
            )
        guides[name] = EscalationGuide(
            title=guide.title.strip(),
            say=guide.say.strip(),
            category=guide.category,
            suggest=tuple(s.typed() for s in guide.suggest),
        )
    return guides
