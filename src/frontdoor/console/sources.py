"""What the handler's screens read from the database, gathered here so that screens never
open database sessions: each is given one of these as a plain callable and calls it from
a thread worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frontdoor.console.live import queue_priorities, queue_settings
from frontdoor.local_time import local_day_start
from frontdoor.telephony.taking import WaitingCall, answered_by_pbx, waiting

if TYPE_CHECKING:  # the history's look-up is for a call: imported by its first
    from frontdoor.access.views import PersonViews
    from frontdoor.console.widgets.person_match import Lookup
    from frontdoor.console.wiring import FrontDoor
    from frontdoor.people.model import Details


@dataclass(frozen=True)
class ReadySummary:
    waiting: int
    longest_wait_seconds: float
    taken_today: int
    scripts: int
    services: int
    overdue_reviews: tuple[str, ...]


def ready_summary(front: FrontDoor, handler: str) -> ReadySummary:
    now = front.clock()
    day_start = local_day_start(now, front.settings.time_zone)
    taken = front.record.count_since(day_start, handler)
    with front.sessions() as session:
        queue = waiting(session, now, day_start, queue_priorities(front))
    longest = max(((now - call.entered).total_seconds() for call in queue), default=0.0)
    scripts = front.library.scripts.values()
    return ReadySummary(
        waiting=len(queue),
        longest_wait_seconds=longest,
        taken_today=taken,
        scripts=len(front.library.scripts),
        # counted in the database, not from the search index: the summary is shown at
        # start, while the index is still being built (the same services either way)
        services=front.directory.count(),
        overdue_reviews=tuple(s.title for s in scripts if s.review_by and s.review_by < now.date()),
    )


def connected_call(front: FrontDoor, handler: str) -> WaitingCall | None:
    """A call the telephone system just connected to this handler's phone, if any."""
    now = front.clock()
    return answered_by_pbx(
        front.sessions,
        handler,
        queue_settings(front).agents,
        now,
        local_day_start(now, front.settings.time_zone),
    )


def look_up_history(
    front: FrontDoor,
    caller: str | None,
    subject: str | None,
    details: Details,
    confirmed: str | None = None,
    views: PersonViews | None = None,
) -> Lookup:
    """Earlier contacts from this caller or about this person, the person on file the
    contact may be about, and the referrals not ended about them or from this caller. A
    possible match's contacts and referrals show only once the handler has confirmed them
    (`confirmed`); an exact match's at once.

    Every person in what is found is audited before it is returned to be shown, once per
    contact in progress (`views`, the form's); ViewNotRecorded when that cannot be
    written."""
    from frontdoor.access.views import PersonViews
    from frontdoor.console.widgets.person_match import Lookup, PersonOnFile

    match = front.people.find(details)
    person = match.person.id if match and (match.exact or match.person.id == confirmed) else None
    since = front.clock() - dt.timedelta(days=front.settings.history_days)
    history = front.record.history(caller, subject, since, person=person)
    on_file = PersonOnFile(match, front.record.count_about(match.person.id)) if match else None
    referrals = front.referrals.open_about(caller_key=caller, subject_key=subject, person_id=person)
    (views or PersonViews(front.trail)).before_showing(
        [c.person_id for c in history]
        + [r.person_id for r in referrals]
        + [match.person.id if match else None]
    )
    return Lookup(history, on_file, referrals)
