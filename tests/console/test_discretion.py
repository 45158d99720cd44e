"""A safeguarding contact or referral, shown before triage, is marked as not to be
discussed with the caller, and does not show who reported it nor what they said: the
person a concern is about, or the person it is about them, may be the one ringing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from frontdoor.console.locations import bundled_config_dir
from frontdoor.console.vocabulary import load_vocabulary
from frontdoor.console.widgets.history import SAFEGUARDING_WARNING, history_text
from frontdoor.console.widgets.open_referrals import referrals_text
from frontdoor.interactions.model import ScriptEnd
from frontdoor.mi.bench import contacts_of_day
from tests.referrals.test_updates import MADE, referral

ZONE = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 4, 3, 10, tzinfo=dt.UTC)


def _contact(**changes):
    made = next(c for c in contacts_of_day(dt.date(2026, 4, 2), 600, 3) if c.services)
    return dataclasses.replace(
        made, caller_name="Jane Boyd", notes="Bruising to both forearms. Son shouts", **changes
    )


def test_a_safeguarding_contact_says_so_and_not_who_reported_it_nor_what_they_said():
    vocabulary = load_vocabulary(bundled_config_dir())
    plain = _contact(category="physical_health", outcome="referred", ends=[])
    shown = history_text([plain], 30, ZONE, vocabulary).plain
    assert "Jane Boyd" in shown and "Bruising to both forearms" in shown
    assert SAFEGUARDING_WARNING not in shown
    for concern in (
        _contact(category="safeguarding", outcome="referred", ends=[]),
        _contact(category="social_care", outcome="safeguarding", ends=[]),
        # raised at a script's end whose red flag is a lead's words
        _contact(
            category="social_care",
            outcome="referred",
            ends=[ScriptEnd("care-at-home", 1, "abuse", "referred", "Adult safeguarding concern")],
        ),
    ):
        shown = history_text([concern, plain], 30, ZONE, vocabulary).plain
        assert shown.count(SAFEGUARDING_WARNING) == 1
        assert shown.count("Jane Boyd") == 1 and shown.count("Bruising") == 1  # plain's
        assert "Caller: not shown" in shown


def test_a_safeguarding_referral_is_marked_not_to_be_discussed():
    falls = referral("R-2026-000001", MADE)
    concern = dataclasses.replace(
        referral("R-2026-000002", MADE),
        service_name="Safeguarding Adults Team",
        category="safeguarding",
    )
    flagged = dataclasses.replace(
        referral("R-2026-000003", MADE), red_flags=("Immediate danger (safeguarding)",)
    )
    lines = referrals_text([falls, concern, flagged], NOW, ZONE).plain.split("R-2026-")
    assert [SAFEGUARDING_WARNING in line for line in lines[1:]] == [False, True, True]


def test_a_callers_chase_does_not_name_the_referrals_caller_as_the_one_who_rang():
    """A GP surgery chased a referral a carer's call made: the referral screen said "The
    caller rang about it" under a header naming the carer."""
    from frontdoor.console.screens.referral import chase_line
    from frontdoor.referrals.model import Chase

    chase = Chase("c-2", NOW, "caller", "h.jones")
    said = chase_line(chase, ZONE)
    assert said.endswith("A caller rang about it in contact c-2 (taken by h.jones)")


def test_an_earlier_contact_says_who_it_was_about_when_that_was_not_the_caller():
    """A son who rang about his mother and about a neighbour: each earlier contact names
    who it was about, as well as who rang."""
    vocabulary = load_vocabulary(bundled_config_dir())
    about_mum = _contact(subject_name="Joan Grant", caller_is_person=False)
    for_himself = _contact(subject_name="Peter Grant", caller_is_person=True)
    shown = history_text([about_mum, for_himself], 30, ZONE, vocabulary).plain
    assert shown.count("about Joan Grant") == 1
    assert "about Peter Grant" not in shown  # he rang for himself: his name as the caller
