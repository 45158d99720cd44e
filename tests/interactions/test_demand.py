"""The demand suggested at wrap-up: repeats within the window, chases, and chases again."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from frontdoor.interactions.demand import suggest_demand
from frontdoor.interactions.model import OUTBOUND, Contact, ScriptEnd

MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
CHASING = "progress-chasing"


def contact(day: float, category: str, demand: str, through: str | None = None) -> Contact:
    """A closed contact from the same caller `day` days after Monday 10am."""
    at = MONDAY + dt.timedelta(days=day)
    ends = [ScriptEnd(through, 2, "to_missed_nursing_visit", None, None, at)] if through else []
    return Contact.without_personal_details(
        id=f"c-{day}",
        channel="phone",
        caller_type="public",
        caller_key="+441632960111",
        subject_key=None,
        category=category,
        queue="public",
        handler="h",
        consent_record=True,
        consent_share=True,
        received_at=at,
        offered_at=at,
        answered_at=at,
        abandoned_at=None,
        ended_at=at,
        wrap_ended_at=at,
        outcome="referred",
        demand=demand,
        notes=None,
        ends=ends,
    )


def suggest(history: list[Contact], day: float, category: str = "physical_health") -> str | None:
    now = MONDAY + dt.timedelta(days=day)
    return suggest_demand(history, category, now, 7, chasing=True, chasing_script=CHASING)


def test_the_first_chase_after_the_referral_is_progress_chasing():
    referral = contact(0, "physical_health", "new_need")
    assert suggest([referral], 2) == "progress_chasing"


def test_the_second_and_third_chase_in_a_week_are_repeats():
    referral = contact(0, "physical_health", "new_need")
    first = contact(2, "physical_health", "progress_chasing", through=CHASING)
    assert suggest([first, referral], 3) == "repeat_contact"
    # the second chase was tagged a repeat: the third still sees it as a chase
    second = contact(3, "physical_health", "repeat_contact", through=CHASING)
    assert suggest([second, first, referral], 5) == "repeat_contact"


def test_a_chase_is_known_by_its_script_when_the_handler_tagged_it_otherwise():
    earlier = contact(1, "physical_health", "missed_visit_or_call", through=CHASING)
    assert suggest([earlier], 4) == "repeat_contact"
    # ...and by its tag when it came from a file with no ends
    imported = contact(1, "physical_health", "progress_chasing")
    assert suggest([imported], 4) == "repeat_contact"


def test_only_chases_inside_the_window_and_in_the_category_count():
    first = contact(0, "physical_health", "progress_chasing", through=CHASING)
    assert suggest([first], 7) == "repeat_contact"  # the window is inclusive
    assert suggest([first], 7.01) == "progress_chasing"
    assert suggest([first], 3, category="social_care") == "progress_chasing"
    # a chase nine days on, after chases on days 0 and 4: the one on day 4 is in the window
    second = contact(4, "physical_health", "repeat_contact", through=CHASING)
    assert suggest([second, first], 9) == "repeat_contact"


def test_a_call_that_is_not_a_chase_is_a_repeat_after_any_contact_in_the_window():
    referral = contact(0, "physical_health", "new_need")
    now = MONDAY + dt.timedelta(days=3)
    assert suggest_demand([referral], "physical_health", now, 7, chasing=False) == "repeat_contact"
    assert suggest_demand([], "physical_health", now, 7, chasing=False) is None


def test_the_spa_calling_the_caller_back_is_not_their_coming_back():
    called_back = replace(contact(1, "physical_health", "new_need"), channel=OUTBOUND)
    now = MONDAY + dt.timedelta(days=2)
    assert suggest_demand([called_back], "physical_health", now, 7, chasing=False) is None
    came_back = contact(1, "physical_health", "new_need")
    assert suggest_demand([came_back], "physical_health", now, 7, chasing=False) == "repeat_contact"
