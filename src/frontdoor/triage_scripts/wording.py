"""`ask` and `say` worded for the person or for someone else (format version 2): `self` is
shown when the caller is the person the call is about ("Are you..."), `other` otherwise
("Is the person...")."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

# which of an `ask`'s or a `say`'s two wordings was shown (None: it has only one)
WordingKind = Literal["self", "other"]


class Wording(BaseModel):
    """The same words for a caller who is the person (`self`) and for anyone else."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    self_: str = Field(alias="self")
    other: str


def _refused(message: str) -> PydanticCustomError:
    return PydanticCustomError("R6", message)  # lint reports it under rule 6


def _words(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            raise _refused("the text is empty")
        return value
    if isinstance(value, dict):
        keys = set(value)
        texts = [value.get(k) for k in ("self", "other")]
        if keys != {"self", "other"} or not all(isinstance(t, str) and t.strip() for t in texts):
            raise _refused(
                "a wording for the person is {self: TEXT, other: TEXT}, both given, "
                f"not keys {sorted(keys)}"
            )
        return Wording(self_=value["self"], other=value["other"])
    raise _refused("give text, or {self: TEXT, other: TEXT}")


# text, or the same words for the person and for someone else
Words = Annotated[str | Wording, BeforeValidator(_words)]


def worded(text: str | Wording, is_person: bool) -> tuple[str, WordingKind | None]:
    """The words shown, and which wording they are (None: the text has only one)."""
    if isinstance(text, Wording):
        return (text.self_, "self") if is_person else (text.other, "other")
    return text, None
