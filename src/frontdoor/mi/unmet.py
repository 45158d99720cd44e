"""Unmet need, as mi-definitions.md defines it: per contact, the needs searched for
(searches grouped by meaning) for which the contact chose no service at all, each counted
once per contact; split into "nothing found" and "found, not chosen"; each saying whether
today's directory has a match for it.

A need was met when the contact chose a service from one of its searches, or chose (from
the script's suggestions, say) a service one of its searches showed: "crisis" searched
for, the crisis team it found chosen from the script's list, is a need met.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from frontdoor.directory.search import words
from frontdoor.mi.model import UnmetKind, UnmetNeed
from frontdoor.mi.search_text import without_marks

# Whether today's directory finds a service for a search text. The composition root
# passes the directory's own search: mi/ reads the directory's names only (DESIGN.md).
MatchesNow = Callable[[str], bool]


@dataclass(frozen=True)
class SearchMade:
    """A search made in a contact, as the record keeps it."""

    contact_id: str
    text: str  # lower case, trimmed, cleaned of names and numbers (search_text.py)
    category: str | None  # the contact's
    results: tuple[str, ...]  # the service ids it showed
    chosen: str | None  # the service chosen from it, if any


@dataclass(frozen=True)
class SearchesMade:
    """A period's searches as the database gives them for unmet need."""

    # (text, category, kind, contacts): contacts' only searches that met no need
    only_searches: list[tuple[str, str | None, UnmetKind, int]]
    # every search of the contacts that searched more than once, one at least unchosen
    searches: list[SearchMade]
    used: dict[str, set[str]]  # the services each of those contacts used


@dataclass(frozen=True)
class NeedUnmet:
    """One need of one contact that went unmet: the texts it was searched by, in order."""

    texts: tuple[str, ...]
    category: str | None
    kind: UnmetKind


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return a.startswith(b) or b.startswith(a) or Levenshtein.distance(a, b) <= 1


def same_need(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Every word of the shorter search is in the longer one, give or take an ending or a
    typing error: "chiropodist" and "chiropody for mum" are one need."""
    shorter, longer = sorted((a, b), key=len)
    return bool(shorter) and all(any(_close(s, t) for t in longer) for s in shorter)


@lru_cache(maxsize=4096)
def _stems(text: str) -> tuple[str, ...]:
    """The words of a search as the directory stems them, the marks of what was taken out
    aside ("[name]" is no need); a year's report asks for the same few hundred texts many
    thousand times."""
    return tuple(words(without_marks(text))) or (text,)


# two searches typed alike, spaces aside ("blu badge", "bluebadge", "blue badge"), are
# one need: at most one typing error in this many letters, in texts at least this long
LETTERS_PER_ERROR = 7


def typed_alike(a: str, b: str) -> bool:
    squashed = [t.replace(" ", "") for t in (a, b)]
    shorter = min(len(t) for t in squashed)
    if shorter < LETTERS_PER_ERROR - 1:
        return False
    return Levenshtein.distance(*squashed) <= max(len(t) for t in squashed) // LETTERS_PER_ERROR


def _group(texts: Iterable[str]) -> list[list[str]]:
    """Texts grouped by meaning, in the order given, each group led by its first text: a
    text joins every group whose first text means the same, or one of whose texts it was
    typed like, and the groups it joins become one ("poiatry" and "podiary" are one need
    once "podiatry", one letter from each, is among them)."""
    groups: list[tuple[tuple[str, ...], list[str]]] = []
    for text in texts:
        stems = _stems(text)
        joined = [
            group
            for group in groups
            if same_need(group[0], stems) or any(typed_alike(m, text) for m in group[1])
        ]
        if not joined:
            groups.append((stems, [text]))
            continue
        first = joined[0]
        for other in joined[1:]:
            first[1].extend(other[1])
            groups.remove(other)
        first[1].append(text)
    return [members for _, members in groups]


def needs_unmet(searches: list[SearchMade], used: set[str]) -> list[NeedUnmet]:
    """One contact's searches (in the order made) and the services it was signposted or
    referred to: the needs it chose no service for, once each. A service chosen from any
    of its searches was used too."""
    used = used | {s.chosen for s in searches if s.chosen}
    by_text: dict[str, list[SearchMade]] = defaultdict(list)
    for search in searches:
        by_text[search.text].append(search)
    unmet = []
    for texts in _group(by_text):
        made = [s for text in texts for s in by_text[text]]
        shown = {service for s in made for service in s.results}
        if any(s.chosen for s in made) or shown & used:
            continue
        kind: UnmetKind = "not_chosen" if shown else "nothing_found"
        unmet.append(NeedUnmet(tuple(texts), made[0].category, kind))
    return unmet


def unmet_need(made: SearchesMade, matches_now: MatchesNow) -> tuple[UnmetNeed, ...]:
    """Every contact's unmet needs, grouped by meaning within each category and kind, the
    need unmet for most contacts first; each group is shown by the text its contacts
    first searched with most often (the shortest on a tie)."""
    by_contact: dict[str, list[SearchMade]] = defaultdict(list)
    for search in made.searches:
        by_contact[search.contact_id].append(search)
    # per category and kind: each need's first text -> contacts, and every text used
    firsts: dict[tuple[str | None, UnmetKind], dict[str, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    variants: dict[tuple[str | None, UnmetKind, str], set[str]] = defaultdict(set)
    for text, category, kind, contacts in made.only_searches:
        firsts[category, kind][text] += contacts
        variants[category, kind, text].add(text)
    for contact_id, searches in by_contact.items():
        for need in needs_unmet(searches, made.used.get(contact_id, set())):
            key = (need.category, need.kind)
            firsts[key][need.texts[0]] += 1
            variants[(*key, need.texts[0])].update(need.texts)
    found: dict[str, bool] = {}

    def matches(text: str) -> bool:
        if text not in found:
            found[text] = matches_now(text)
        return found[text]

    entries: list[UnmetNeed] = []
    for (category, kind), counts in firsts.items():
        busiest = sorted(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
        for members in _group(text for text, _ in busiest):
            shown = max(members, key=lambda t: (counts[t], -len(t)))
            texts = sorted({v for m in members for v in variants[(category, kind, m)]})
            entries.append(
                UnmetNeed(
                    query=shown,
                    category=category,
                    count=sum(counts[m] for m in members),
                    variants=tuple(texts),
                    kind=kind,
                    matches_now=any(matches(t) for t in texts),
                )
            )
    entries.sort(key=lambda e: (-e.count, e.query, e.kind, e.category or ""))
    return tuple(entries)


def no_directory(text: str) -> bool:
    """`MatchesNow` for a report made where there is no directory (the benchmark's
    scratch database): nothing matches, and every entry says so."""
    return False
