"""What the console lets each role do, read from the permissions table (no app needed)."""

from __future__ import annotations

from frontdoor.access.roles import EVERY_ROLE, Role
from frontdoor.console.permissions import ACTION_NEEDS, first_screen, refusal

# the ready screen's keys each role keeps (and the referral screen's call about it), as
# spec/access.md's table gives them
KEEPS = {
    Role.HANDLER: {"take_call", "new_contact", "toggle_away", "browse_directory",
                   "follow_ups", "open_referral", "call_about_referral"},
    Role.SUPERVISOR: {"take_call", "new_contact", "toggle_away", "browse_directory",
                      "follow_ups", "open_referral", "call_about_referral", "wallboard",
                      "management_information"},
    Role.LEAD: set(ACTION_NEEDS),
    Role.ADMIN: set(),
}  # fmt: skip


def test_each_role_keeps_its_keys_and_is_told_why_of_the_others():
    for role, keeps in KEEPS.items():
        for action in ACTION_NEEDS:
            words = refusal(frozenset({role}), action)
            assert (words is None) == (action in keeps), (role, action)
    assert refusal(frozenset({Role.SUPERVISOR}), "keep_directory") == (
        "A supervisor may not correct the directory here: that is for leads."
    )
    assert refusal(frozenset({Role.SUPERVISOR}), "scripts") == (
        "A supervisor may not approve scripts here: that is for leads."
    )
    assert all(refusal(EVERY_ROLE, action) is None for action in ACTION_NEEDS)


def test_the_first_screen_is_the_roles_unless_one_it_may_open_is_asked_for():
    lead, supervisor, handler = ({r} for r in (Role.LEAD, Role.SUPERVISOR, Role.HANDLER))
    assert first_screen(frozenset(lead)) == ("directory", None)
    assert first_screen(frozenset(supervisor)) == ("wallboard", None)
    assert first_screen(frozenset(handler)) == ("ready", None)
    assert first_screen(frozenset({Role.ADMIN}), "mi") == (
        "admin",
        "An admin may not open the MI: that is for supervisors and leads.",
    )
    assert first_screen(frozenset(lead), "mi") == ("mi", None)
    assert first_screen(frozenset(lead), None, "handler") == ("ready", None)
    assert first_screen(frozenset(supervisor), None, "lead") == (
        "wallboard",
        "A supervisor may not open the directory's upkeep: that is for leads.",
    )
    # before the first user: every role, and the role asked for chooses
    assert first_screen(EVERY_ROLE) == ("ready", None)
    assert first_screen(EVERY_ROLE, None, "lead") == ("directory", None)
