"""Directory search that finds what the caller means, fast enough to search as they talk.

The index is built once, when the directory loads or changes, never per query: every
word in the directory, with the services that use it (a sorted array of service numbers
and, for each, the weight of the best field it appears in). A query word is matched
against the vocabulary exactly, as a prefix, or within a few typing errors (rapidfuzz);
synonyms and abbreviations add alternatives; scores are combined with numpy over whole
arrays, so a query costs a few array operations rather than a loop over services.
Filters (age, area, caller type, open now) never hide a service: those that fit come
first, those whose data cannot say next, and those that fail a filter are set aside after
them, each with why. "Why" is worked out only for the few that are shown; each filter's
state is kept per kind of service (see filter_states), open now per minute.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from frontdoor.directory.eligibility import (
    Eligibility,
    FilterName,
    Filters,
    Verdict,
)
from frontdoor.directory.filter_states import FAIL, UNKNOWN, FilterStates, filter_values
from frontdoor.directory.model import Service
from frontdoor.directory.postings import WORD, build_postings
from frontdoor.directory.results import Found, Match, Result

FIELD_WEIGHTS = {"name": 3.0, "tags": 2.0, "organisation": 1.5, "description": 1.0}
_FIELD_BY_WEIGHT = {w: f for f, w in FIELD_WEIGHTS.items()}
TOP_WEIGHT = max(FIELD_WEIGHTS.values())
STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in is it me my of on or our the their "  # noqa: SIM905
    "they to we with you your can need needs help".split()
)
QUALITY = {"exact": 1.0, "prefix": 0.85, "typo1": 0.7, "typo2": 0.6}
SYNONYM_FACTOR = 0.9


# A Snowball stemmer keeps the word it is working on in itself, so two threads sharing
# one corrupt each other's stems or raise IndexError (the index is built in a thread of
# its own while the screen searches). One per thread costs no more than sharing one:
# stemming the 11,821 words of the Bristol and North Lincolnshire directories took
# 259 ms shared, 262 ms behind a lock and 259 ms one per thread (best of 7), and unlike
# a lock it never makes a keystroke's search wait for the builder.
_STEMMERS = threading.local()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The English stem (Snowball): carers -> carer, bereaved and bereavement -> bereav,
    counselling and counseling -> counsel. Plurals fold, and so do other endings."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word))


def surface_words(text: str) -> list[tuple[str, str]]:
    """(stem, word as written) for each word of `text` that is not a stopword."""
    return [(stem(w), w) for w in _split(text) if w not in STOPWORDS]


def _split(text: str) -> list[str]:
    """The words of `text` as written, lower case, stopwords and all."""
    return WORD.findall(text.lower().replace("'", ""))


def words(text: str) -> list[str]:
    """The stems of `text`, without stopwords: what the index and queries are made of."""
    return [s for s, _ in surface_words(text)]


def max_edits(word: str) -> int:
    # As ALISS does: no typing errors in short words, one in 4-6 letters, two in longer.
    return 0 if len(word) < 4 else 1 if len(word) < 7 else 2


@dataclass(frozen=True)
class _Alternative:
    tokens: tuple[str, ...]
    synonym: bool
    text: str  # as written in the synonyms table, or the query word


@dataclass
class Synonyms:
    """Groups of phrases that mean the same to a caller ("OT", "occupational therapy")."""

    # each phrase as folded words, with its text as written (shown in "why")
    groups: list[list[tuple[tuple[str, ...], str]]] = field(default_factory=list)

    @classmethod
    def from_groups(cls, groups: Iterable[Sequence[str]]) -> Synonyms:
        return cls([[(tuple(words(p)), p.strip()) for p in group if words(p)] for group in groups])

    def concepts(self, query_words: list[str]) -> list[list[_Alternative]]:
        """The query as concepts, each with the ways it may be written (longest first)."""
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

    def __init__(
        self,
        services: Iterable[Service],
        synonyms: Synonyms | None = None,
        eligibility: Eligibility | None = None,
    ) -> None:
        # in name order, so that equal scores list alphabetically whatever the import order
        self.services: list[Service] = sorted(services, key=lambda s: (s.name.casefold(), s.id))
        self.by_id = {s.id: s for s in self.services}  # for the services a script names
        self.synonyms = synonyms or Synonyms()
        self.eligibility = eligibility or Eligibility()
        built = build_postings(self.services, stem, STOPWORDS, FIELD_WEIGHTS)
        self._postings = built.lists
        self._surface = built.surface
        self._idf = built.idf
        self._sorted_vocabulary = sorted(self._postings)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in self._sorted_vocabulary:
            self._by_length[len(word)].append(word)
        self._active = np.array([s.active for s in self.services], dtype=bool)
        self._verdicts: dict[tuple[Filters, int], Verdict] = {}
        # services alike in all the filters read share one verdict: made once per filters
        self._filter_states = FilterStates(self.services, self.eligibility)
        self._kind = self._filter_states.kinds
        self._similar_cache: dict[tuple[str, bool], list[tuple[str, float, str]]] = {}
        self._nearby_cache: dict[tuple[int, int], list[str]] = {}

    def __len__(self) -> int:
        return len(self.services)

    def _similar(self, token: str, typos: bool = True) -> list[tuple[str, float, str]]:
        """Vocabulary words for a query word: (word, quality, how). Cached per word, since
        searching as the handler types repeats the same words.

        Typing errors are looked for only when the word is not itself in the directory
        (a real word was most likely meant as typed: "heal" is not a typo of "meal"), and
        not at all in phrases from the synonyms table, which are written correctly.
        """
        key = (token, typos)
        cached = self._similar_cache.get(key)
        if cached is not None:
            return cached
        found: dict[str, tuple[float, str]] = {}
        if token in self._postings:
            found[token] = (QUALITY["exact"], "exact")
        if len(token) >= 3:
            start = bisect.bisect_right(self._sorted_vocabulary, token)
            for word in self._sorted_vocabulary[start : start + 40]:
                if not word.startswith(token):
                    break
                found.setdefault(word, (QUALITY["prefix"], "prefix"))
        edits = max_edits(token) if typos and token not in self._postings else 0
        if edits:
            nearby = self._nearby(len(token), edits)
            for word, distance, _ in process.extract(
                token, nearby, scorer=Levenshtein.distance, score_cutoff=edits, limit=None
            ):
                if distance:  # distance 0 is the exact word, found above
                    found.setdefault(word, (QUALITY[f"typo{distance}"], "typo"))
        result = [(w, q, how) for w, (q, how) in found.items()]
        if len(self._similar_cache) > 5000:
            self._similar_cache.clear()
        self._similar_cache[key] = result
        return result

    def _nearby(self, length: int, edits: int) -> list[str]:
        """Words close enough in length to be `edits` typing errors away (built once)."""
        key = (length, edits)
        if key not in self._nearby_cache:
            self._nearby_cache[key] = [
                w
                for n in range(length - edits, length + edits + 1)
                for w in self._by_length.get(n, ())
            ]
        return self._nearby_cache[key]

    def _token_idf(self, token: str) -> float:
        """How much a query word says: the rarity of the word itself when the directory has
        it, else of the rarest word it could be a typo of. One figure for all its matches,
        so that an exact match always beats a typo of the same word."""
        if token in self._idf:
            return self._idf[token]
        return max((self._idf[w] for w, _, _ in self._similar(token)), default=0.0)

    def _token_scores(self, token: str, typos: bool) -> np.ndarray:
        scores = np.zeros(len(self.services), dtype=np.float32)
        rarity = self._token_idf(token)
        for word, quality, _ in self._similar(token, typos):
            numbers, weights = self._postings[word]
            current = scores[numbers]
            scores[numbers] = np.maximum(current, weights * (quality * rarity))
        return scores

    def _concept_scores(self, alternatives: list[_Alternative]) -> tuple[np.ndarray, float]:
        """Each service's score for one concept, and the best score any could have."""
        best: np.ndarray | None = None
        cap = 0.0
        for alternative in alternatives:
            phrase: np.ndarray | None = None
            for token in alternative.tokens:
                scores = self._token_scores(token, typos=not alternative.synonym)
                phrase = scores if phrase is None else np.minimum(phrase, scores)
            assert phrase is not None
            factor = SYNONYM_FACTOR if alternative.synonym else 1.0
            if alternative.synonym:
                phrase = phrase * SYNONYM_FACTOR
            cap = max(cap, factor * min(self._token_idf(t) for t in alternative.tokens))
            best = phrase if best is None else np.maximum(best, phrase)
        assert best is not None
        return best, cap

    def _explain(self, number: int, concepts: list[list[_Alternative]]) -> tuple[Match, ...]:
        """Why service `number` matched: the best word and field for each concept."""
        matches: list[Match] = []
        for alternatives in concepts:
            original = alternatives[0].text
            best: tuple[float, list[Match]] | None = None
            for alternative in alternatives:
                found: list[Match] = []
                score = 1e9
                for token in alternative.tokens:
                    top: tuple[float, Match] | None = None
                    rarity = self._token_idf(token)
                    for word, quality, how in self._similar(token, not alternative.synonym):
                        numbers, weights = self._postings[word]
                        at = int(np.searchsorted(numbers, number))
                        if at < len(numbers) and numbers[at] == number:
                            value = float(weights[at]) * quality * rarity
                            if top is None or value > top[0]:
                                field_name = _FIELD_BY_WEIGHT[float(weights[at])]
                                shown = self._surface.get(word, word)
                                top = (value, Match(original, shown, field_name, how))
                    if top is None:
                        break
                    score = min(score, top[0])
                    found.append(top[1])
                else:
                    if alternative.synonym:
                        score *= SYNONYM_FACTOR
                        found = [
                            Match(
                                original, " ".join(m.word for m in found), found[0].field, "synonym"
                            )
                        ]
                    if best is None or score > best[0]:
                        best = (score, found)
            if best is not None:
                matches.extend(best[1])
        return tuple(matches)

    def _join_compounds(self, concepts: list[list[_Alternative]]) -> list[list[_Alternative]]:
        """'breast feeding' also finds 'breastfeeding': two plain query words next to each
        other become one concept that either both words or the joined word satisfy."""
        joined: list[list[_Alternative]] = []
        i = 0
        while i < len(concepts):
            here = concepts[i]
            there = concepts[i + 1] if i + 1 < len(concepts) else None
            if (
                there
                and len(here) == 1 == len(there)
                and len(here[0].tokens) == 1 == len(there[0].tokens)
            ):
                word = here[0].tokens[0] + there[0].tokens[0]
                compound = next((w for w in (word, stem(word)) if w in self._postings), None)
                if compound:
                    text = f"{here[0].text} {there[0].text}"
                    joined.append(
                        [
                            _Alternative((*here[0].tokens, *there[0].tokens), False, text),
                            _Alternative((compound,), False, text),
                        ]
                    )
                    i += 2
                    continue
            joined.append(here)
            i += 1
        return joined

    def search(
        self,
        query: str,
        limit: int = 10,
        *,
        filters: Filters | None = None,
        today: dt.date | None = None,
        include_inactive: bool = False,
    ) -> list[Result]:
        """The best `limit` services for `query`: those that fail no filter first, then
        those set aside by one (see `find`)."""
        found = self.find(
            query, limit, filters=filters, today=today, include_inactive=include_inactive
        )
        return list(found.ranked[:limit])

    def find(
        self,
        query: str,
        limit: int = 10,
        *,
        filters: Filters | None = None,
        today: dt.date | None = None,
        include_inactive: bool = False,
    ) -> Found:
        """Up to `limit` services that fail no filter and up to `limit` set aside.

        Those known to fit every filter come before those a filter could not check (the
        fewer unknowns the higher), whatever their scores: a service whose area is not
        known is never ranked above one known to cover the person. Then by score.
        """
        filters = filters or Filters(include_inactive=include_inactive)
        query_words = words(query)
        if not query_words or not self.services:
            return Found()
        concepts = self._join_compounds(self.synonyms.concepts(query_words))
        total = np.zeros(len(self.services), dtype=np.float32)
        cap = 0.0
        for alternatives in concepts:
            scores, concept_cap = self._concept_scores(alternatives)
            total += scores
            cap += concept_cap
        if not filters.include_inactive:
            total[~self._active] = 0.0
        candidates = np.flatnonzero(total)
        if candidates.size == 0:
            return Found()
        # highest score first; ties by name so the order never depends on import order
        order = candidates[np.lexsort((candidates, -total[candidates]))]
        scale = 100.0 / (TOP_WEIGHT * cap) if cap else 0.0

        def result(number: int, verdict: Verdict) -> Result:
            service = self.services[number]
            return Result(
                service,
                round(float(total[number]) * scale, 1),
                self._explain(number, concepts),
                verdict,
                today is not None and service.stale(today),
            )

        if not filters.any:  # nothing to check: the order is the score's
            return Found(tuple(result(int(n), Verdict()) for n in order[:limit]))
        # each filter's state for every candidate, from arrays kept per kind of service
        filters = self._filter_states.at_minute(filters)
        fails = np.zeros(order.size, dtype=np.int8)
        unknowns = np.zeros(order.size, dtype=np.int8)
        by_filter: dict[FilterName, int] = {}
        for name, value in filter_values(filters).items():
            states = self._filter_states.states(name, value, order)
            failing = states == FAIL
            fails += failing
            unknowns += states == UNKNOWN
            if failing.any():
                by_filter[name] = int(np.count_nonzero(failing))
        # stable sorts, so within a tier the order stays the score's
        kept = np.flatnonzero(fails == 0)
        kept = kept[np.argsort(unknowns[kept], kind="stable")]
        aside = np.flatnonzero(fails > 0)
        aside = aside[np.argsort(fails[aside], kind="stable")]

        def shown(i: int) -> Result:
            number = int(order[i])
            return result(number, self._verdict(number, filters))

        return Found(
            tuple(shown(int(i)) for i in kept[:limit]),
            tuple(shown(int(i)) for i in aside[:limit]),
            int(aside.size),
            by_filter,
        )

    def _verdict(self, number: int, filters: Filters) -> Verdict:
        """The verdict with its reasons, for a service that is shown: one check per kind
        of service and filters (the open-now time already at its minute)."""
        key = (filters, int(self._kind[number]))
        verdict = self._verdicts.get(key)
        if verdict is None:
            if len(self._verdicts) > 5000:
                self._verdicts.clear()
            verdict = self._verdicts[key] = self.eligibility.check(self.services[number], filters)
        return verdict
