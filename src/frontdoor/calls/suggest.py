"""What the wrap-up is pre-filled with: one definition, for the console and the simulation.

The handler confirms or changes both; these only say what the steps recorded suggest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from frontdoor.interactions.demand import suggest_demand
from frontdoor.interactions.model import Action, Contact

CHASING_SCRIPT = "progress-chasing"
GENERAL_ENQUIRY = "general_enquiry"


def suggested_outcome(script_outcome: str | None, actions: Iterable[Action]) -> str:
    """The script's outcome, unless what the handler recorded says more.

    A script that ended in advice or a resolution, where the handler then referred or
    signposted the person, is pre-filled as referred or signposted, and one that ended in
    a referral the handler did not make, but signposted instead, as signposted: the
    wrap-up should match what happened.
    """
    done = set(actions)
    # no script end reached, but a service taken: the call had that outcome; it did not
    # end before one (and a referral is made whatever the outcome says)
    outcome = script_outcome or (
        "referred" if "referred" in done else "signposted" if "signposted" in done else "incomplete"
    )
    if outcome in ("advice", "resolved", "signposted") and "referred" in done:
        return "referred"
    if outcome == "referred" and "referred" not in done and "signposted" in done:
        # the script's end says refer, but the handler signposted instead: no referral
        # is made, and the outcome should not count one
        return "signposted"
    if outcome in ("advice", "resolved") and "signposted" in done:
        return "signposted"
    return outcome


def suggested_demand(
    history: list[Contact],
    category: str | None,
    scripts_ended: Iterable[str],
    now: dt.datetime,
    repeat_window_days: int,
    *,
    chased_referral: bool = False,
) -> str:
    """Progress chasing when the call went through the chasing script or the handler
    linked it to a referral it chases (a repeat contact when it is the same caller's or
    person's second chase in the category within the window); a repeat contact when the
    same caller or person called in the same category within the window; else an
    information request for a general enquiry, and a new need for anything else."""
    chasing = chased_referral or CHASING_SCRIPT in set(scripts_ended)
    failure = suggest_demand(
        history, category, now, repeat_window_days, chasing=chasing, chasing_script=CHASING_SCRIPT
    )
    if failure is not None:
        return failure
    return "information_request" if category == GENERAL_ENQUIRY else "new_need"
