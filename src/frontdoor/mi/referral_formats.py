"""The referral figures in words and rows, for every format of the report (CSV, Markdown,
HTML) and the console's MI screen: the same figures as the JSON's `"referrals"` object,
each service's shares of the referrals made beside its counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from frontdoor.mi.model import Report
from frontdoor.mi.referral_model import ReferralCounts, ReferralFigures

# (section, figure, breakdown, value, n): one CSV row; "" where a column does not apply
Row = tuple[str, str, str, int | float | str | None, int | str]


COUNTS = ("made", "accepted", "rejected", "completed", "overdue_now", "chases")


def referral_rows(figures: ReferralFigures) -> Iterator[Row]:
    """The referral figures as CSV rows: the whole, then by service id and by provider."""
    section = "referrals"
    yield (section, "made", "", figures.made, "")
    yield (section, "overdue_now", "", figures.overdue_now, "")
    yield (section, "made_overdue", "", figures.made_overdue, "")
    chased = figures.chased_at_least_once
    yield (section, "chased_at_least_once", "", chased.rate, chased.n)
    yield (section, "chases_per_referral", "", figures.chases_per_referral, figures.made)
    yield (section, "follow_ups_before_chase", "", figures.follow_ups.before_chase, "")
    yield (section, "follow_ups_after_chase", "", figures.follow_ups.after_chase, "")
    for service_id, entry in figures.by_service.items():
        for figure in COUNTS:
            yield ("referrals_by_service", figure, service_id, getattr(entry.counts, figure), "")
        median = entry.median_hours_to_accept
        yield ("referrals_by_service", "median_hours_to_accept", service_id, median, "")
    for provider, counts in figures.by_provider.items():
        for figure in COUNTS:
            yield ("referrals_by_provider", figure, provider, getattr(counts, figure), "")


def of_made(count: int, counts: ReferralCounts) -> str:
    """ "2 (50.0%)": a count with its share of the referrals made (none made: the count)."""
    share = counts.share(count).rate
    return str(count) if share is None else f"{count} ({share:.1%})"


def hours_words(hours: float | None) -> str:
    return "-" if hours is None else f"{hours:g}"


def per_referral_words(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def local_minute(moment: dt.datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def explain_referrals(report: Report, figures: ReferralFigures) -> str:
    """What the referral figures count, and the moment they are taken at."""
    moment = local_minute(figures.as_of, report.period.time_zone)
    return (
        "Referrals made in the period, with their states and caller chases as they stood at "
        f"{moment} (the end of the period, or when the report was made if the period had not "
        "ended). Overdue now: every referral then past its due time with no answer from the "
        "team yet (still requested or received), whenever it was made."
    )


def referral_summary(figures: ReferralFigures) -> list[str]:
    """The whole in sentences: made, overdue, chased, follow-ups."""
    chased = figures.chased_at_least_once
    follow = figures.follow_ups
    return [
        f"{figures.made} referrals made; {figures.overdue_now} overdue now (whenever made); "
        f"{figures.made_overdue} of those made went overdue.",
        f"Chased by the caller at least once: {chased.words()}; caller chases per referral: "
        f"{per_referral_words(figures.chases_per_referral)}.",
        f"Follow-ups about a referral done in the period: {follow.before_chase} before the "
        f"caller chased (or with no chase), {follow.after_chase} after.",
    ]


REFERRAL_COLUMNS = (
    "service",
    "provider",
    "made",
    "accepted",
    "rejected",
    "completed",
    "overdue now",
    "median hours to accept",
    "caller chases",
    "chases per referral",
)


def _shares(c: ReferralCounts) -> tuple[str, str, str, str]:
    """Made, and accepted, rejected, completed with their shares of it."""
    return (str(c.made), of_made(c.accepted, c), of_made(c.rejected, c), of_made(c.completed, c))


def referral_table(figures: ReferralFigures) -> list[tuple[str, ...]]:
    """One row a service, most referrals made first, in REFERRAL_COLUMNS' order."""
    return [
        (
            entry.name,
            entry.provider or "not known",
            *_shares(entry.counts),
            str(entry.counts.overdue_now),
            hours_words(entry.median_hours_to_accept),
            str(entry.counts.chases),
            per_referral_words(entry.counts.chases_per_referral),
        )
        for entry in figures.by_service.values()
    ]


def provider_table(figures: ReferralFigures) -> list[tuple[str, ...]]:
    """By provider: REFERRAL_COLUMNS less the service and the median."""
    return [
        (
            provider,
            *_shares(c),
            str(c.overdue_now),
            str(c.chases),
            per_referral_words(c.chases_per_referral),
        )
        for provider, c in figures.by_provider.items()
    ]


PROVIDER_COLUMNS = tuple(
    c for c in REFERRAL_COLUMNS if c not in ("service", "median hours to accept")
)


def _markdown_table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    return [
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def referrals_markdown(report: Report, figures: ReferralFigures) -> list[str]:
    lines = [
        "",
        "## Referrals",
        "",
        *(f"- {line}" for line in referral_summary(figures)),
        "",
        explain_referrals(report, figures),
        "",
    ]
    if not figures.by_service:
        return [*lines, "No referrals in this period."]
    lines += _markdown_table(REFERRAL_COLUMNS, referral_table(figures))
    lines += ["", "By provider:", ""]
    return lines + _markdown_table(PROVIDER_COLUMNS, provider_table(figures))
