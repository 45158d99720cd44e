"""Directory search that finds what the caller means.

The index is built once, when the directory loads or changes, never per query:
a vocabulary of every word in the directory with, for each word, the services that
use it and in which field. A query word is matched against the vocabulary (exactly,
as a prefix, or within a few typing errors with rapidfuzz), synonyms and
abbreviations add alternatives, and each service scores by the best field it matched
in (name above tags and organisation above description), whole words above fuzzy ones.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from frontdoor.directory.model import Service

FIELD_WEIGHTS = {"name": 3.0, "tags": 2.0, "organisation": 1.5, "description": 1.0}
_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "they",
        "to",
        "we",
        "with",
        "you",
        "your",
        "can",
        "need",
        "needs",
        "help",
    ]
)


def fold(word: str) -> str:
    """Plural folding: carers -> carer, services -> service, families -> family."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lower-case, folded words of `text`, without stopwords."""
    return [fold(w) for w in _WORD.findall(text.lower().replace("'", "")) if w not in STOPWORDS]


def max_edits(word: str) -> int:
    # As ALISS does: no typing errors allowed in short words, one in 4-6, two in longer.
    return 0 if len(word) < 4 else 1 if len(word) < 7 else 2


@dataclass(frozen=True)
class Match:
    """Why a service matched one part of the query."""

    query: str
    word: str
    field: str
    how: str  # exact | prefix | typo | synonym

    def __str__(self) -> str:
        if self.how == "exact":
            return f'{self.field}: "{self.word}"'
        if self.how == "synonym":
            return f'{self.field}: "{self.word}" (means "{self.query}")'
        if self.how == "prefix":
            return f'{self.field}: "{self.word}" (starts "{self.query}")'
        return f'{self.field}: "{self.word}" (for "{self.query}")'


@dataclass(frozen=True)
class Result:
    service: Service
    score: float  # 0..100
    matches: tuple[Match, ...]

    @property
    def why(self) -> str:
        return "; ".join(str(m) for m in self.matches)


@dataclass(frozen=True)
class _Alternative:
    tokens: tuple[str, ...]
    synonym: bool
    text: str  # as written in the synonyms table, or the query word


def _phrase(text: str) -> tuple[tuple[str, ...], str]:
    return tuple(words(text)), text.strip()


@dataclass
class Synonyms:
    """Groups of phrases that mean the same to a caller ("OT", "occupational therapy")."""

    # each phrase as folded words, with its text as written (shown in "why")
    groups: list[list[tuple[tuple[str, ...], str]]] = field(default_factory=list)

    @classmethod
    def from_groups(cls, groups: Iterable[Sequence[str]]) -> Synonyms:
        return cls([[_phrase(p) for p in group if words(p)] for group in groups])

    def concepts(self, query_words: list[str]) -> list[list[_Alternative]]:
        """The query as concepts, each with the ways it may be written."""
        concepts: list[list[_Alternative]] = []
        i = 0
        while i < len(query_words):
            found = None
            for group in self.groups:
                for phrase, text in sorted(group, key=lambda p: len(p[0]), reverse=True):
                    if tuple(query_words[i : i + len(phrase)]) == phrase:
                        found = (group, phrase, text)
                        break
                if found:
                    break
            if found:
                group, phrase, text = found
                alternatives = [_Alternative(phrase, False, text)]
                alternatives += [_Alternative(p, True, t) for p, t in group if p != phrase]
                concepts.append(alternatives)
                i += len(phrase)
            else:
                concepts.append([_Alternative((query_words[i],), False, query_words[i])])
                i += 1
        return concepts


class SearchIndex:
    """Built once from a list of services; `search` is then cheap."""

    def __init__(self, services: Iterable[Service], synonyms: Synonyms | None = None) -> None:
        self.services: list[Service] = list(services)
        self.synonyms = synonyms or Synonyms()
        # word -> {service index: (weight, field)}: the best field each service uses it in
        postings: dict[str, dict[int, tuple[float, str]]] = defaultdict(dict)
        for index, service in enumerate(self.services):
            fields = {
                "name": service.name,
                "tags": " ".join(service.tags),
                "organisation": service.organisation or "",
                "description": service.description,
            }
            for name, text in fields.items():
                weight = FIELD_WEIGHTS[name]
                for word in set(words(text)):
                    current = postings[word].get(index)
                    if current is None or current[0] < weight:
                        postings[word][index] = (weight, name)
        self._postings = dict(postings)
        self._vocabulary = list(self._postings)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in self._vocabulary:
            self._by_length[len(word)].append(word)

    def __len__(self) -> int:
        return len(self.services)

    def _similar(self, token: str) -> list[tuple[str, float, str]]:
        """Vocabulary words for a query word: (word, quality, how)."""
        found: dict[str, tuple[float, str]] = {}
        if token in self._postings:
            found[token] = (1.0, "exact")
        edits = max_edits(token)
        if edits:
            nearby = [
                w
                for n in range(len(token) - edits, len(token) + edits + 1)
                for w in self._by_length.get(n, ())
            ]
            for word, distance, _ in process.extract(
                token, nearby, scorer=Levenshtein.distance, score_cutoff=edits, limit=None
            ):
                found.setdefault(word, (0.8 - 0.1 * distance, "typo"))
        if len(token) >= 3:
            for length in range(len(token) + 1, len(token) + 12):
                for word in self._by_length.get(length, ()):
                    if word.startswith(token):
                        found.setdefault(word, (0.85, "prefix"))
        return [(w, q, how) for w, (q, how) in found.items()]

    def _phrase_scores(
        self, alternative: _Alternative, original: str
    ) -> dict[int, tuple[float, list[Match]]]:
        """Services matching every word of one phrase: score is the weakest word's."""
        scores: dict[int, tuple[float, list[Match]]] | None = None
        for token in alternative.tokens:
            token_scores: dict[int, tuple[float, Match]] = {}
            for word, quality, how in self._similar(token):
                how = "synonym" if alternative.synonym else how
                for index, (weight, field_name) in self._postings[word].items():
                    score = quality * weight
                    if index not in token_scores or token_scores[index][0] < score:
                        token_scores[index] = (score, Match(original, word, field_name, how))
            if scores is None:
                scores = {i: (s, [m]) for i, (s, m) in token_scores.items()}
            else:
                scores = {
                    i: (min(s, token_scores[i][0]), [*ms, token_scores[i][1]])
                    for i, (s, ms) in scores.items()
                    if i in token_scores
                }
        if not alternative.synonym:
            return scores or {}
        # one reason per synonym phrase: 'name: "community meals" (means "meals on wheels")'
        return {
            i: (s * 0.9, [Match(original, " ".join(m.word for m in ms), ms[0].field, "synonym")])
            for i, (s, ms) in (scores or {}).items()
        }

    def search(
        self,
        query: str,
        limit: int = 10,
        *,
        include_inactive: bool = False,
        only: Mapping[str, bool] | None = None,
    ) -> list[Result]:
        query_words = words(query)
        if not query_words:
            return []
        concepts = self.synonyms.concepts(query_words)
        totals: dict[int, float] = defaultdict(float)
        matched: dict[int, list[Match]] = defaultdict(list)
        for alternatives in concepts:
            original = alternatives[0].text
            best: dict[int, tuple[float, list[Match]]] = {}
            for alternative in alternatives:
                for index, (score, matches) in self._phrase_scores(alternative, original).items():
                    if index not in best or best[index][0] < score:
                        best[index] = (score, matches)
            for index, (score, matches) in best.items():
                totals[index] += score
                matched[index].extend(matches)
        top_weight = max(FIELD_WEIGHTS.values())
        results = []
        for index, total in totals.items():
            service = self.services[index]
            if not include_inactive and not service.active:
                continue
            if only is not None and not only.get(service.id, False):
                continue
            # share of the query's concepts matched, weighted by field and exactness
            score = 100.0 * total / (top_weight * len(concepts))
            results.append(Result(service, round(score, 1), tuple(matched[index])))
        results.sort(key=lambda r: (-r.score, r.service.name.lower(), r.service.id))
        return results[:limit]
