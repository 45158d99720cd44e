"""The service's referral rules from config/referrals.yaml: the response time by category
when neither the script end nor the directory entry gives one."""

from __future__ import annotations

from pathlib import Path

from frontdoor.console.vocabulary import ConfigError, read_config
from frontdoor.referrals.making import ReferralRules
from frontdoor.response_times import ResponseTime, ResponseTimeError, read_response_time

FILE = "referrals.yaml"
DEFAULT = ResponseTime(5, "working_days")


def load_referral_rules(folder: Path, time_zone: str, categories: dict[str, str]) -> ReferralRules:
    """The rules; ConfigError naming the file and the entry when one is wrong. A config
    folder without the file (from before referrals) gets the defaults."""
    if not (folder / FILE).exists():
        return ReferralRules(time_zone=time_zone, otherwise=DEFAULT)
    data = read_config(folder, FILE)
    table = data.get("respond_within") or {}
    if not isinstance(table, dict):
        raise ConfigError(f"{folder / FILE}: respond_within is a mapping of category to time")
    by_category: dict[str, ResponseTime] = {}
    for category, value in table.items():
        if str(category) not in categories:
            raise ConfigError(
                f"{folder / FILE}: '{category}' is not a category of categories.yaml "
                f"({', '.join(categories)})"
            )
        by_category[str(category)] = _time(folder, str(category), value)
    otherwise = _time(folder, "otherwise", data["otherwise"]) if "otherwise" in data else DEFAULT
    return ReferralRules(time_zone=time_zone, by_category=by_category, otherwise=otherwise)


def _time(folder: Path, key: str, value: object) -> ResponseTime:
    try:
        return read_response_time(value)
    except ResponseTimeError as exc:
        raise ConfigError(f"{folder / FILE}: {key}: {exc}") from None
