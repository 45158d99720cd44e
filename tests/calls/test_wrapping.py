"""What a wrap-up is reminded of before it is saved: a contact saved as referred on with no
service referred (no referral would be made)."""

from __future__ import annotations

from frontdoor.calls.wrapping import no_referral_made


def test_referred_on_with_nothing_referred_is_said_naming_what_the_script_says_to_refer():
    said = no_referral_made("referred", [], ["Enablement Care Team"])
    assert said is not None
    assert "no service has been referred in this call" in said
    assert "(the script says to refer Enablement Care Team)" in said
    assert "Ctrl+S again saves it as it is" in said
    plain = no_referral_made("referred", [], [])
    assert plain is not None and "the script says" not in plain


def test_nothing_is_said_when_a_service_was_referred_or_the_outcome_is_another():
    assert no_referral_made("referred", ["Falls Prevention Service"], []) is None
    assert no_referral_made("advice", [], ["Enablement Care Team"]) is None
    assert no_referral_made("signposted", [], []) is None
