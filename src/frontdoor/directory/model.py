"""A service in the directory, as the rest of the program sees it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Service(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    organisation: str | None = None
    description: str = ""
    url: str | None = None
    email: str | None = None
    phones: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    status: str = "active"
    assured_date: dt.date | None = None
    source: str = "local"

    @property
    def active(self) -> bool:
        return self.status == "active"
