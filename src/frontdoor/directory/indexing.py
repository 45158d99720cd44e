"""How the console's search index holds a directory: whole, or only what it scores.

A directory of the size an SPA has (hundreds of services, a few thousand at most) is held
whole: a keystroke never waits on the database, and when the database stops answering a
handler can still search, read a service's phones and hours, and F8 still suggests the
999 and urgent services. Past HELD_WHOLE_UP_TO services, holding every service would cost
the process about 2.7 KB each (270 MB at 100,000): the index then keeps only what it scores
and filters on, and reads a shown service by id (details.py), a screenful at a time."""

from __future__ import annotations

from frontdoor.directory.details import HELD_WHOLE_UP_TO
from frontdoor.directory.eligibility import Eligibility
from frontdoor.directory.search import SearchIndex, Synonyms
from frontdoor.directory.store import DirectoryStore


def index_of(
    store: DirectoryStore,
    synonyms: Synonyms,
    eligibility: Eligibility,
    *,
    held_whole_up_to: int = HELD_WHOLE_UP_TO,
) -> SearchIndex:
    """The search index of the directory in `store`: held whole up to `held_whole_up_to`
    services, else read by id when shown."""
    if store.count() <= held_whole_up_to:
        return SearchIndex(store.all(), synonyms, eligibility)
    return SearchIndex(store.listed(), synonyms, eligibility, details=store)
