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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from frontdoor.db.chunks import in_chunks
from frontdoor.directory.details import RecentServices, ServiceDetails, ServicesInMemory
from frontdoor.directory.eligibility import (
    Eligibility,
    FilterName,
    Filters,
    Verdict,
)
from frontdoor.directory.filter_states import (
    FAIL,
    UNKNOWN,
    FilterStates,
    ServiceKinds,
    filter_values,
)
from frontdoor.directory.listed import Listed
from frontdoor.directory.model import Service, stale_before
from frontdoor.directory.postings import WORD, PostingsBuilder
from frontdoor.directory.results import Found, Match, Result

FIELD_WEIGHTS = {"name": 3.0, "tags": 2.0, "organisation": 1.5, "description": 1.0}
_FIELD_BY_WEIGHT = {w: f for f, w in FIELD_WEIGHTS.items()}
TOP_WEIGHT = max(FIELD_WEIGHTS.values())
STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in is it me my of on or our the their "  # noqa: SIM905
    "they to we with you your can need needs help "
    # a caller's telling of it ("down since my wife died", "he was just not coping"):
    # read as typing errors these found "singing" for "since"
    "since just been very really was were she he her his him this that so but when ago "
    "lately recently".split()
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


BATCH = 4096  # services taken from the source at a time while the index is built


def _first(keys: np.ndarray, count: int) -> np.ndarray:
    """Where the `count` smallest of `keys` (all different) are, smallest first: a
    partition, then a sort of those few only."""
    if count <= 0:
        return np.empty(0, dtype=np.intp)
    if keys.size > count:
        keys_at = np.argpartition(keys, count - 1)[:count]
        return keys_at[np.argsort(keys[keys_at])]
    return np.argsort(keys)


def _name_ranks(folded: list[str], ids: list[str]) -> np.ndarray:
    """Each service's place in the order of (name folded, id)."""
    by_name = sorted(range(len(ids)), key=lambda n: (folded[n], ids[n]))
    ranks = np.empty(len(ids), dtype=np.int64)  # int64: read into int64 keys
    ranks[by_name] = np.arange(len(ids), dtype=np.int64)
    return ranks


class SearchIndex:
    """Built once from the services; `search` is then cheap.

    The index keeps only what it scores and filters on, in arrays: each service's id,
    words, kind for the filters, whether it is active and when it was last checked. The
    services themselves are read once, a batch at a time (`services` may be a stream from
    the database), and a result's details come from `details` by id, for the few shown.
    Without `details`, the services given are kept in memory as they are (tests, small
    directories).
    """

    def __init__(
        self,
        services: Iterable[Service | Listed],
        synonyms: Synonyms | None = None,
        eligibility: Eligibility | None = None,
        *,
        details: ServiceDetails | None = None,
    ) -> None:
        self.synonyms = synonyms or Synonyms()
        self.eligibility = eligibility or Eligibility()
        kept: ServicesInMemory | None = None
        if details is None:
            details = kept = ServicesInMemory()
        postings = PostingsBuilder(stem, STOPWORDS, FIELD_WEIGHTS)
        kinds = ServiceKinds()
        self._ids: list[str] = []  # per service number, in the order read
        folded: list[str] = []  # names, for the order of equal scores
        active: list[bool] = []
        checked: list[int] = []  # the day last checked (its ordinal), 0 when never
        for given in in_chunks(services, BATCH):
            if kept is not None:
                if any(isinstance(s, Listed) for s in given):
                    raise ValueError(
                        "services listed from a database need their details: give "
                        "details=(the store they were read from)"
                    )
                kept.add(s for s in given if isinstance(s, Service))
            batch = [s if isinstance(s, Listed) else Listed.of(s) for s in given]
            postings.add(batch)
            kinds.add(batch)
            self._ids += [s.id for s in batch]
            folded += [s.name.casefold() for s in batch]
            active += [s.active for s in batch]
            checked += [s.assured_date.toordinal() if s.assured_date else 0 for s in batch]
        # details held in memory are read from there; only those read from the database
        # keep the recent ones (a search reads the shown services at every keystroke)
        self._details: ServiceDetails = details if kept is not None else RecentServices(details)
        self._number = {service_id: n for n, service_id in enumerate(self._ids)}
        if len(self._number) != len(self._ids):
            raise ValueError("a service id is given twice: each service once, please")
        # equal scores list alphabetically, whatever the order read: each service's place
        # in name order, to break ties with
        self._name_rank = _name_ranks(folded, self._ids)
        del folded
        # a rank key (see _rank_key): the name's place in the low bits, the score's 31
        # above, a tier of at most 4 (unknowns or fails) above those
        self._rank_bits = max(1, len(self._ids).bit_length())
        self._tier_shift = self._rank_bits + 31
        self._active = np.array(active, dtype=bool)
        self._checked = np.array(checked, dtype=np.int32)
        built = postings.finish()
        self._postings = built.lists
        self._surface = built.surface
        self._idf = built.idf
        self._sorted_vocabulary = sorted(self._postings)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in self._sorted_vocabulary:
            self._by_length[len(word)].append(word)
        # services alike in what a filter reads share its state and why: worked out once
        # per filter value
        self._filter_states = FilterStates(kinds, self.eligibility)
        self._similar_cache: dict[tuple[str, bool], list[tuple[str, float, str]]] = {}
        self._nearby_cache: dict[tuple[int, int, str], list[str]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> Sequence[str]:
        """Every service's id, in the order read."""
        return self._ids

    def services(self, ids: Iterable[str]) -> dict[str, Service]:
        """The services of `ids` this index knows, by id, read in one go (those not in
        the directory, or removed since the index was built, are left out).
        DetailsUnavailable when the database does not answer, as from `find`."""
        known = [i for i in dict.fromkeys(ids) if i in self._number]
        return self._details.services(known) if known else {}

    @property
    def by_id(self) -> Mapping[str, Service]:
        """Every service by id, each read when asked for: for a few at a time (the
        services a script or a report names); `services` reads many in one go."""
        return _ById(self)

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
            nearby = self._nearby(len(token), edits, token[0])
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

    def _nearby(self, length: int, edits: int, first: str) -> list[str]:
        """Words close enough in length to be `edits` typing errors away, starting with the
        same letter (built once). People rarely mistype a word's first letter, and words
        that differ there are other words: "scared" is not a typo of "care", nor "cant"
        of "want" (Lucene's fuzzy queries keep a prefix for the same reason)."""
        key = (length, edits, first)
        if key not in self._nearby_cache:
            self._nearby_cache[key] = [
                w
                for n in range(length - edits, length + edits + 1)
                for w in self._by_length.get(n, ())
                if w[0] == first
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
        scores = np.zeros(len(self._ids), dtype=np.float32)
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
        """Up to `limit` services that fail no filter and up to `limit` set aside, their
        details read by id (DetailsUnavailable when the database does not answer).

        Those known to fit every filter come before those a filter could not check (the
        fewer unknowns the higher), whatever their scores: a service whose area is not
        known is never ranked above one known to cover the person. Then by score.
        """
        filters = filters or Filters(include_inactive=include_inactive)
        scored = self._scored(query, filters.include_inactive)
        if scored is None:
            return Found()
        concepts, total, cap = scored
        candidates = np.flatnonzero(total)
        if candidates.size == 0:
            return Found()
        # highest score first; ties by name so the order never depends on import order
        key = self._rank_key(total[candidates], candidates)
        scale = 100.0 / (TOP_WEIGHT * cap) if cap else 0.0
        stale_before_day = stale_before(today).toordinal() if today is not None else None

        def results(
            numbers: np.ndarray, verdict: Callable[[int], Verdict], details: dict[str, Service]
        ) -> tuple[Result, ...]:
            return tuple(
                Result(
                    details[self._ids[n]],
                    round(float(total[n]) * scale, 1),
                    self._explain(n, concepts),
                    verdict(n),
                    stale_before_day is not None and int(self._checked[n]) < stale_before_day,
                )
                for n in numbers.tolist()
                if self._ids[n] in details  # not if removed since the index was built
            )

        if not filters.any:  # nothing to check: the order is the score's
            top = candidates[_first(key, limit)]
            return Found(results(top, lambda _: Verdict(), self._read(top)))
        # each filter's state for every candidate, from arrays kept per kind of service
        filters = self._filter_states.at_minute(filters)
        fails = np.zeros(candidates.size, dtype=np.int8)
        unknowns = np.zeros(candidates.size, dtype=np.int8)
        by_filter: dict[FilterName, int] = {}
        for name, value in filter_values(filters).items():
            states = self._filter_states.states(name, value, candidates)
            failing = states == FAIL
            fails += failing
            unknowns += states == UNKNOWN
            if failing.any():
                by_filter[name] = int(np.count_nonzero(failing))
        # those that fail nothing by how many unknowns, those set aside by how many fails;
        # within a tier by score: the tier above the score in the key, and only the first
        # `limit` of each put in order
        kept = fails == 0
        aside = ~kept
        tier = self._tier_shift
        fitting = candidates[kept][
            _first(key[kept] | (unknowns[kept].astype(np.int64) << tier), limit)
        ]
        unfit = candidates[aside][
            _first(key[aside] | (fails[aside].astype(np.int64) << tier), limit)
        ]
        details = self._read(np.concatenate([fitting, unfit]))  # the screenful in one go
        checked = filters

        def verdict(number: int) -> Verdict:
            return self._verdict(number, checked)

        return Found(
            results(fitting, verdict, details),
            results(unfit, verdict, details),
            int(np.count_nonzero(aside)),
            by_filter,
        )

    def _read(self, numbers: np.ndarray) -> dict[str, Service]:
        """The details of the services shown, by id, read in one go."""
        return self._details.services([self._ids[n] for n in numbers.tolist()])

    def _rank_key(self, scores: np.ndarray, numbers: np.ndarray) -> np.ndarray:
        """One int64 per service whose ascending order is the scores' descending, ties in
        name order, with room above for a tier (see `_tier_shift`): the first few found
        by one partition of one key, where sorting every match by two keys, the names'
        places in no order, cost twice the search at 100,000 services. A positive
        float32's bits, read as an int32, rise with it."""
        key = np.int64(0x7FFFFFFF) - scores.view(np.int32)  # scores are float32
        key <<= self._rank_bits
        key |= self._name_rank[numbers]
        return key

    def finds(self, query: str) -> bool:
        """Whether `query` finds an active service, whoever it is for: as `search` being
        non-empty, without reading any service's details (the MI asks it of every need)."""
        scored = self._scored(query, include_inactive=False)
        return scored is not None and bool(scored[1].any())

    def _scored(
        self, query: str, include_inactive: bool
    ) -> tuple[list[list[_Alternative]], np.ndarray, float] | None:
        """The query as concepts, every service's score (0 for no match), and the best
        score a service could have; None for a query of no words."""
        query_words = words(query)
        if not query_words or not self._ids:
            return None
        concepts = self._join_compounds(self.synonyms.concepts(query_words))
        total = np.zeros(len(self._ids), dtype=np.float32)
        cap = 0.0
        for alternatives in concepts:
            scores, concept_cap = self._concept_scores(alternatives)
            total += scores
            cap += concept_cap
        if not include_inactive:
            total[~self._active] = 0.0
        return concepts, total, cap

    def _verdict(self, number: int, filters: Filters) -> Verdict:
        """The verdict with its reasons, for a service that is shown: each filter's part
        kept per kind of service (the open-now time already at its minute)."""
        return self._filter_states.verdict(number, filters)


class _ById(Mapping[str, Service]):
    """An index's services by id, each read from its details when asked for."""

    def __init__(self, index: SearchIndex) -> None:
        self._index = index

    def __getitem__(self, service_id: str) -> Service:
        found = self._index.services([service_id])
        if service_id not in found:
            raise KeyError(service_id)
        return found[service_id]

    def __contains__(self, service_id: object) -> bool:
        return service_id in self._index._number

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.ids)

    def __len__(self) -> int:
        return len(self._index)
