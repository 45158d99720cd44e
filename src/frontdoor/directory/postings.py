"""The search's word lists, built with whole-array operations rather than a dictionary
entry per (word, service).

Every word of every service is read once into two flat arrays (which word as written,
which service and field); stems, the best field per (stem, service) and the counts behind
rarity are then sorts and counts over those arrays. At 100,000 services the per-entry
dictionaries this replaces took most of the index's 4 s and 150 MB; each stem's list is
now a slice of one array of service numbers and one of weights.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from frontdoor.directory.listed import Listed

WORD = re.compile(r"[a-z0-9]+")  # a word, in lower-case text with apostrophes taken out
_WORD_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# for ASCII text: every character that is not in a word (nor the separator) to a space,
# which splits into the same words as WORD finds, at a third of the cost
_TO_SPACES = str.maketrans(
    {chr(c): " " for c in range(128) if chr(c) not in _WORD_CHARACTERS and c != 0}
)

# a field's code is its place here, so the best field of a word is its lowest code
FIELDS = ("name", "tags", "organisation", "description")


@dataclass(frozen=True)
class Postings:
    # per stem: the services using it (ascending numbers) and the weight of the best field
    lists: dict[str, tuple[np.ndarray, np.ndarray]]
    surface: dict[str, str]  # the commonest way each stem is written, shown in "why"
    idf: dict[str, float]  # rarity, 0..1: rare words say more than common ones


_SEPARATOR = "\x00"  # between two services' texts: a token of its own, never in a word
_CHUNK = 4096  # services read at a time: a chunk's words as strings stay a few MB
# a (stem, service, field) entry is one int64: the stem, then the service in these bits,
# then the field in two
_SERVICE_BITS = 31
_READ: tuple[Callable[[Listed], str], ...] = (
    attrgetter("name"),
    attrgetter("tags"),
    lambda s: s.organisation or "",
    attrgetter("description"),
)


class _Numbering(dict[str, int]):
    """Numbers each new word as written, in the order met (listed in `words`)."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        self.words.append(word)
        return number


class PostingsBuilder:
    """Word lists built a chunk of services at a time, so that the services need never be
    held all at once (the index reads the directory from the database a chunk at a time).
    Services are numbered in the order they are added, from 0."""

    def __init__(
        self, stem: Callable[[str], str], stopwords: frozenset[str], weights: dict[str, float]
    ) -> None:
        ranked = [weights[f] for f in FIELDS]
        if ranked != sorted(ranked, reverse=True):
            raise ValueError(
                f"field weights must fall in the order {FIELDS}: the best field of a "
                "word is taken as its first; reorder FIELDS to match the weights"
            )
        self._stem = stem
        self._stopwords = stopwords
        self._weights = weights
        # one pass of the regular expression over a chunk's field, texts joined by a
        # separator that is a token of its own, instead of one pass per text
        self._tokens = re.compile(f"{WORD.pattern}|{_SEPARATOR}")
        self._spelled = _Numbering()
        self._spelled[_SEPARATOR]  # number 0
        self._stem_of: list[int] = [-1]  # per word as written: its stem's number, -1 if a stopword
        self._stems: dict[str, int] = {}
        self._uses = np.zeros(1, dtype=np.int64)  # per word as written: how often met
        self._entries: list[np.ndarray] = []  # (stem, service, field) as one number, per chunk
        self.total = 0

    def add(self, services: Sequence[Listed]) -> None:
        """The next services' words (numbered on from those added before)."""
        for start in range(0, len(services), _CHUNK):
            self._add_chunk(services[start : start + _CHUNK])

    def _add_chunk(self, chunk: Sequence[Listed]) -> None:
        spelled, stem_of, stems = self._spelled, self._stem_of, self._stems
        first = self.total
        self.total += len(chunk)
        fields: list[np.ndarray] = []
        for code, read in enumerate(_READ):
            texts = [read(s) for s in chunk]
            joined = f" {_SEPARATOR} ".join(texts)
            if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds the separator
                joined = f" {_SEPARATOR} ".join(t.replace(_SEPARATOR, " ") for t in texts)
            joined = joined.lower().replace("'", "")
            if joined.isascii():
                found = joined.translate(_TO_SPACES).split()
            else:
                found = self._tokens.findall(joined)
            numbers = np.fromiter(map(spelled.__getitem__, found), np.int32, count=len(found))
            for new in spelled.words[len(stem_of) :]:
                stem_of.append(
                    -1 if new in self._stopwords else stems.setdefault(self._stem(new), len(stems))
                )
            separators = numbers == 0
            service = first + np.cumsum(separators)
            stem_ids = np.asarray(stem_of, dtype=np.int64)[numbers]
            kept = ~separators & (stem_ids >= 0)
            met = np.bincount(numbers[kept], minlength=len(spelled.words))
            uses = self._uses
            self._uses = np.concatenate([uses, np.zeros(met.size - uses.size, np.int64)]) + met
            fields.append((((stem_ids[kept] << _SERVICE_BITS) | service[kept]) << 2) | code)
        # one entry per (stem, service) of the chunk: its services are no other chunk's
        self._entries.append(_best_fields(np.concatenate(fields)))

    def finish(self) -> Postings:
        """The word lists of every service added; the builder is spent."""
        total = self.total
        if total >= 1 << _SERVICE_BITS:
            raise ValueError(f"an index holds at most {1 << _SERVICE_BITS} services")
        if not total or not self._entries:
            return Postings({}, {}, {})
        stem_names = list(self._stems)
        surface = _commonest_spelling(
            self._uses, np.asarray(self._stem_of, dtype=np.int64), stem_names, self._spelled.words
        )
        # every chunk's entries in one array, each chunk let go once copied; sorted runs
        # end to end, which a merging sort takes in one pass (each step below frees what
        # it no longer needs: the peak is the index's)
        entries, self._entries = self._entries, []
        combined = np.empty(sum(e.size for e in entries), dtype=np.int64)
        at = 0
        entries.reverse()
        while entries:
            chunk = entries.pop()
            combined[at : at + chunk.size] = chunk
            at += chunk.size
        del chunk
        combined.sort(kind="stable")
        codes = combined.astype(np.int8)
        codes &= 3
        field_weights = np.array([self._weights[f] for f in FIELDS], dtype=np.float32)[codes]
        del codes
        bounds = np.searchsorted(
            combined, np.arange(len(stem_names) + 1, dtype=np.int64) << (_SERVICE_BITS + 2)
        )
        combined >>= 2
        combined &= (1 << _SERVICE_BITS) - 1
        numbers = combined.astype(np.int32)
        del combined
        lists: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        idf: dict[str, float] = {}
        for stem_id, name in enumerate(stem_names):
            begin, end = int(bounds[stem_id]), int(bounds[stem_id + 1])
            if begin == end:
                continue
            lists[name] = (numbers[begin:end], field_weights[begin:end])
            idf[name] = math.log(1 + total / (end - begin)) / math.log(1 + total)
        return Postings(lists, {w: surface[w] for w in lists}, idf)


def _best_fields(combined: np.ndarray) -> np.ndarray:
    """Sorted, one entry per (stem, service): the one with the lowest field code."""
    # in place: np.unique would hash, then sort, at three times the cost
    combined.sort()
    pairs = combined >> 2
    first = np.ones(pairs.size, dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    return combined[first]


def _commonest_spelling(
    counts: np.ndarray, stem_of: np.ndarray, stem_names: list[str], spelled: list[str]
) -> dict[str, str]:
    """Per stem, the spelling met most often (`counts`, per word as written); of equal
    counts, the one met first."""
    candidates = np.flatnonzero((counts > 0) & (stem_of >= 0))
    # by stem, then most used, then first met
    order = candidates[np.lexsort((candidates, -counts[candidates], stem_of[candidates]))]
    chosen: dict[str, str] = {}
    for word_id in order.tolist():
        chosen.setdefault(stem_names[stem_of[word_id]], spelled[word_id])
    return chosen
