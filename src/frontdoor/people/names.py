"""People's names as the matcher compares them: one spelling for each name, and the table
of forms of forenames (Bill and William, Peggy and Margaret), kept as data in
data/forename_variants.txt."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

VARIANTS_FILE = "forename_variants.txt"
# words before a name that are not part of it
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "rev", "revd", "prof", "sir", "dame", "lady", "lord"}
)
_NOT_NAME = re.compile(r"[^a-z\s-]")


@dataclass(frozen=True)
class Name:
    given: tuple[str, ...]  # forename first, then any middle names
    surname: str | None

    @property
    def forename(self) -> str | None:
        return self.given[0] if self.given else None


# names repeat from lookup to lookup (the same people, the same district): read each once
@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """'  Séan O'Brien ' -> 'sean obrien': no accents, case, apostrophes or stray spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NOT_NAME.sub("", plain.casefold()).split())


@lru_cache(maxsize=8192)
def parse_name(text: str | None) -> Name:
    """The given names and the surname (last word) of a name as a handler types it. A
    title goes, and says that a single word is a surname ('Mrs Price'); a single word
    without one is taken as a forename."""
    # a double-barrelled surname is one word however it is spaced: 'smith - jones'
    words = re.sub(r"\s*-+\s*", "-", fold(text or "")).strip("-").split()
    titled = bool(words) and words[0] in TITLES
    if titled:
        words = words[1:]
    if not words:
        return Name((), None)
    if len(words) == 1:
        return Name((), words[0]) if titled else Name((words[0],), None)
    return Name(tuple(words[:-1]), words[-1])


class VariantsError(ValueError):
    """The forename variants file cannot be read as groups of names."""


class ForenameForms:
    """Which forenames are forms of each other: two names are when one group holds both."""

    def __init__(self, groups: list[list[str]]) -> None:
        self._groups: dict[str, set[int]] = {}
        for number, group in enumerate(groups):
            for name in group:
                self._groups.setdefault(fold(name), set()).add(number)

    @classmethod
    def parse(cls, text: str, source: str = VARIANTS_FILE) -> ForenameForms:
        groups = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            formal, colon, rest = line.partition(":")
            names = [formal, *rest.split(",")] if colon else []
            if not colon or not all(fold(n) for n in names):
                raise VariantsError(
                    f"{source} line {number}: write a name, a colon, then its forms "
                    "separated by commas (william: bill, will)"
                )
            groups.append([n.strip() for n in names])
        return cls(groups)

    def are_forms(self, a: str, b: str) -> bool:
        return bool(self._groups.get(fold(a), set()) & self._groups.get(fold(b), set()))

    def __len__(self) -> int:
        return len(self._groups)

    def names(self) -> frozenset[str]:
        """Every forename in the table, folded: words a report takes for names."""
        return frozenset(self._groups)


@cache
def bundled_forms() -> ForenameForms:
    """The table that ships with the package."""
    text = (resources.files("frontdoor.people") / "data" / VARIANTS_FILE).read_text("utf-8")
    return ForenameForms.parse(text)
