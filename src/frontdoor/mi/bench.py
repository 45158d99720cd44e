"""The MI benchmark: a year of contacts at an SPA's volume, written in bulk through the
record's own loader, with a referral for about one contact in six, and the full report
timed over 3, 6 and 12 months, with the referral figures and without them, in the same
run. Figures are printed, never asserted."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypedDict

from sqlalchemy.orm import Session, sessionmaker

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.db.migrate import upgrade
from frontdoor.interactions.audit_bench import scratch_database
from frontdoor.interactions.loading import bulk_add
from frontdoor.interactions.model import Answer, Contact, ScriptEnd, Search, ServiceUsed
from frontdoor.mi.bench_referrals import ReferralRows, add_referral
from frontdoor.mi.model import Report
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.report import build_report
from frontdoor.mi.unmet import no_directory

START = dt.date(2025, 1, 1)
CATEGORIES = [
    ("physical_health", 0.40, 0.26),
    ("social_care", 0.30, 0.73),
    ("mental_health", 0.15, 0.67),
    ("carers", 0.07, 0.7),
    ("safeguarding", 0.03, 0.1),
    ("general_enquiry", 0.05, 0.8),
]
HOURS = [0.2] * 8 + [3, 5, 5, 4.5, 4, 4, 3.5, 3.5, 3, 2.5, 2, 1.5] + [0.5] * 4
# what a contact not resolved ends in: a referral for about one contact in six
UNRESOLVED = (("referred", 0.36), ("transferred", 0.32), ("escalated", 0.32))
TIMED_RUNS = 3  # each report is timed this many times, with and without, the fastest kept


def _search(rng: random.Random, number: int, at: dt.datetime) -> Search:
    """One search: seven in ten chosen from; of the rest, half found something (so unmet
    need has both kinds to count, and the services used to look through)."""
    text = rng.choice(["chiropody", "lunch club", "befriending"])
    chosen = None if rng.random() < 0.3 else "svc-1"
    found = chosen is not None or number % 2 == 0
    return Search(0, text, ["svc-1", "svc-2"] if found else [], chosen, at)


def contacts_of_day(day: dt.date, per_month: int, seed: int) -> Iterator[Contact]:
    """One day's contacts at an SPA's volume. Each day has its own random stream, so a
    day's contacts are the same whichever days are written with it; callers and the
    people calls are about recur across days, as repeat contacts do."""
    rng = random.Random(f"{seed}:{day.isoformat()}")
    per_day = per_month * 12 / 365
    for number in range(1, max(0, round(rng.gauss(per_day, per_day**0.5))) + 1):
        contact_id = f"b-{day:%Y%m%d}-{number:05d}"
        hour = rng.choices(range(24), HOURS)[0]
        received = dt.datetime.combine(
            day, dt.time(hour, rng.randrange(60), rng.randrange(60)), dt.UTC
        )
        category, _, fcr = rng.choices(CATEGORIES, [c[1] for c in CATEGORIES])[0]
        caller = f"+44113496{rng.randrange(per_month * 2):04d}" if rng.random() < 0.9 else None
        wait = rng.expovariate(1 / 18)
        if rng.random() < 0.05:
            yield Contact.without_personal_details(
                id=contact_id,
                channel="phone",
                caller_type="public",
                caller_key=caller,
                subject_key=None,
                consent_record=None,
                consent_share=None,
                category=None,
                queue="public",
                handler=None,
                received_at=received,
                offered_at=received,
                answered_at=None,
                abandoned_at=received + dt.timedelta(seconds=wait),
                ended_at=None,
                wrap_ended_at=None,
                outcome=None,
                demand=None,
                notes=None,
            )
            continue
        answered = received + dt.timedelta(seconds=wait)
        ended = answered + dt.timedelta(seconds=rng.lognormvariate(5.8, 0.5))
        resolved = rng.random() < fcr
        outcome = (
            rng.choice(["advice", "signposted", "resolved"])
            if resolved
            else rng.choices([o for o, _ in UNRESOLVED], [w for _, w in UNRESOLVED])[0]
        )
        script = f"script-{category}"
        caller_type = rng.choice(["public", "public", "carer", "professional"])
        yield Contact.without_personal_details(
            id=contact_id,
            channel="phone",
            caller_type=caller_type,
            caller_key=caller,
            subject_key=f"subject-{rng.randrange(per_month * 3)}",
            consent_record=True,
            consent_share=True,
            category=category,
            queue="professionals" if caller_type == "professional" else "public",
            handler=f"h{rng.randrange(25):02d}",
            received_at=received,
            offered_at=received,
            answered_at=answered,
            abandoned_at=None,
            ended_at=ended,
            wrap_ended_at=ended + dt.timedelta(seconds=rng.uniform(30, 240)),
            outcome=outcome,
            demand=rng.choices(
                [
                    "new_need",
                    "information_request",
                    "progress_chasing",
                    "repeat_contact",
                    "wrong_service",
                ],
                [55, 15, 15, 10, 5],
            )[0],
            notes=None,
            answers=[Answer(script, 1, f"q{i}", "answer", "No", answered) for i in range(3)],
            ends=[
                ScriptEnd(
                    script,
                    1,
                    f"end-{outcome}",
                    outcome,
                    "flag" if outcome == "escalated" else None,
                )
            ],
            searches=[_search(rng, number, answered)],
            services=[
                ServiceUsed(
                    f"svc-{rng.randrange(40)}",
                    "Service",
                    "referred" if outcome == "referred" else "signposted",
                )
            ],
            scripts_followed=[(script, 1)],
        )


def write_contacts(
    sessions: sessionmaker[Session],
    contacts: Iterable[Contact],
    seed: int = 0,
    until: dt.datetime | None = None,
) -> tuple[int, int]:
    """Through the record's own bulk loader, 5,000 at a time, in one transaction; given
    `until`, each batch's referrals after it, as they stood then. (contacts, referrals)"""
    batch: list[Contact] = []
    referrals = ReferralRows()
    total = made = 0

    def flush() -> None:
        nonlocal total, made, batch
        total += bulk_add(session, batch)
        if until is not None:
            for contact in batch:
                if any(s.action == "referred" for s in contact.services):
                    add_referral(referrals, contact, seed, until)
            made += referrals.write(session)
        batch = []

    with sessions() as session, session.begin():
        for contact in contacts:
            batch.append(contact)
            if len(batch) == 5000:
                flush()
        flush()
    return total, made


class Timed(TypedDict):
    months: int
    contacts: int
    referrals: int
    seconds: float  # the whole report, the referral figures with it
    seconds_without_referrals: float
    to_baseline: float  # seconds / the baseline's seconds


class ReportBench(TypedDict):
    database: str  # sqlite or postgresql
    per_month: int
    years: int
    contacts_written: int
    referrals_written: int
    write_seconds: float
    first_report_seconds: float  # every month, the settled days worked out and kept
    baseline: Timed  # the last month, every day worked out from the record
    scratch_year: Timed  # the last year, the same way (one run)
    ours: dict[str, Timed]  # the last month, the last year, every month: kept days read
    year_to_month: float  # ours: the last year's time / the last month's (goal: <= 1.5)


# the reports are made this long after the last contact: every day's repeat window has
# closed, as for a month's report made in the second week of the next month
MADE_AFTER = dt.timedelta(days=10)


def _months_back(end: dt.date, months: int) -> dt.date:
    """The first day of the month `months` - 1 months before `end`'s."""
    index = end.year * 12 + end.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def run_bench(
    per_month: int,
    seed: int,
    years: int = 5,
    progress: Callable[[str], None] | None = None,
    server: str | None = None,
) -> ReportBench:
    """On a scratch database of the bench's own: SQLite in a temporary folder, or a
    database made on the PostgreSQL `server` (and dropped)."""
    with scratch_database(server) as url:
        engine = make_engine(url)
        upgrade(engine)
        sessions = make_session_factory(engine)
        if progress:
            progress(f"writing {years} year(s) of contacts at {per_month:,} a month...")
        start = time.perf_counter()
        end = START.replace(year=START.year + years)  # the day after the last
        now = dt.datetime.combine(end, dt.time(12), dt.UTC) + MADE_AFTER
        total, referrals = write_contacts(
            sessions,
            (
                contact
                for day in range((end - START).days)
                for contact in contacts_of_day(START + dt.timedelta(days=day), per_month, seed)
            ),
            seed,
            now,
        )
        written = time.perf_counter() - start
        last = end - dt.timedelta(days=1)

        def period(months: int) -> Period:
            return Period(_months_back(last, months), last, "Europe/London")

        if progress:
            progress("the last month's report from the record (the baseline)...")
        baseline = timed(sessions, period(1), now, keep_days=False)
        if progress:
            progress("the last year's report from the record, once...")
        scratch_year = timed(
            sessions, period(12), now, keep_days=False, base=baseline["seconds"], runs=1
        )
        if progress:
            progress(f"the first report over all {years * 12} months, keeping the days...")
        start = time.perf_counter()
        build_report(sessions, period(years * 12), MiSettings(), now, {}, no_directory)
        first = time.perf_counter() - start
        ours: dict[str, Timed] = {}
        for months in sorted({1, 12, years * 12}):
            if progress:
                progress(f"the last {months} month(s)' report, from the kept days...")
            # made once before the timing: what it keeps, it keeps then (warm)
            build_report(sessions, period(months), MiSettings(), now, {}, no_directory)
            ours[str(months)] = timed(sessions, period(months), now, base=baseline["seconds"])
        engine.dispose()
    return {
        "database": "postgresql" if server else "sqlite",
        "per_month": per_month,
        "years": years,
        "contacts_written": total,
        "referrals_written": referrals,
        "write_seconds": round(written, 1),
        "first_report_seconds": round(first, 3),
        "baseline": baseline,
        "scratch_year": scratch_year,
        "ours": ours,
        "year_to_month": round(ours["12"]["seconds"] / ours["1"]["seconds"], 2),
    }


def timed(
    sessions: sessionmaker[Session],
    period: Period,
    now: dt.datetime,
    *,
    keep_days: bool = True,
    base: float | None = None,
    runs: int = TIMED_RUNS,
) -> Timed:
    """The report's time with the referral figures and without, each the fastest of
    `runs`, taken in turns so that a busy moment of the machine falls on both."""
    with_them: list[float] = []
    without: list[float] = []
    report: Report | None = None
    for _ in range(runs):
        for times, referrals in ((without, False), (with_them, True)):
            start = time.perf_counter()
            made = build_report(
                sessions,
                period,
                MiSettings(),
                now,
                {},
                no_directory,
                with_referrals=referrals,
                keep_days=keep_days,
            )
            times.append(time.perf_counter() - start)
            report = made if referrals else report
    assert report is not None
    seconds = min(with_them)
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month
    return {
        "months": months + 1,
        "contacts": report.contacts,
        "referrals": report.referrals.made if report.referrals else 0,
        "seconds": round(seconds, 3),
        "seconds_without_referrals": round(min(without), 3),
        "to_baseline": round(seconds / (base or seconds), 2),
    }


def describe(result: ReportBench) -> list[str]:
    """The benchmark's figures in full words, with their units, for `frontdoor mi bench`
    (the --json keys are for programs)."""
    lines = [
        f"The MI report's benchmark: {result['years']} year(s) of made-up contacts at "
        f"{result['per_month']:,} a month ({result['contacts_written']:,} contacts and "
        f"{result['referrals_written']:,} referrals with their histories, chases and "
        f"follow-ups, written in {result['write_seconds']} seconds to a scratch "
        f"{result['database']} database), then the time to make the whole report "
        "(every figure of the MI definitions), with the referral figures and without "
        "them (each the fastest of "
        f"{TIMED_RUNS} runs), made {MADE_AFTER.days} days after the last contact.",
        "Baseline: the last month's report, and the last year's (one run), with every day "
        "and every referral worked out from the record, as every report was made before "
        "settled days and referral months were kept.",
        "Ours: the reports reading what was kept (each settled day's counts, each whole "
        "month's and each period's whole months' added up; the referrals made in each "
        "month as of the period's end), each report made once before it is timed; the "
        "first report over every month worked them out and kept them in "
        f"{result['first_report_seconds']:.2f} seconds, once.",
    ]
    rows = [("baseline", result["baseline"]), ("baseline", result["scratch_year"])]
    rows += [("ours", t) for t in result["ours"].values()]
    for name, row in rows:
        lines.append(
            f"{name:>8}, {row['months']:>2} month(s): {row['contacts']:>7,} contacts, "
            f"{row['referrals']:>6,} referrals: the report made in {row['seconds']:.3f} "
            f"seconds with the referral figures, {row['seconds_without_referrals']:.3f} "
            f"without; {row['to_baseline']:.2f} times the baseline month's time"
        )
    month, year = result["ours"]["1"], result["ours"]["12"]
    lines.append(
        f"The year against the month, both read from what was kept, warm: the month in "
        f"{month['seconds']:.3f} seconds, the year in {year['seconds']:.3f} seconds, "
        f"{result['year_to_month']:.2f} times the month's time (the goal: at most 1.5); "
        f"from the record, {result['baseline']['seconds']:.3f} and "
        f"{result['scratch_year']['seconds']:.3f} seconds."
    )
    return lines
