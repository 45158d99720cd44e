"""The queue figures in words and rows, for the CSV, Markdown and HTML reports: where they
came from (the telephone system or the contacts), the total, and each queue's."""

from __future__ import annotations

from collections.abc import Iterator

from frontdoor.mi.model import QueueNumbers, QueueReport, QueueSource
from frontdoor.mi.referral_formats import Row

SOURCE_WORDS: dict[QueueSource, str] = {
    "pbx": "From the telephone system's queue log: every call that entered a queue in the "
    "period, counted once in each queue it entered.",
    "contacts": "From the phone contacts of the record: no telephone system logged calls "
    "to a queue in the period.",
}
HANDLE_TIME_WORDS: dict[QueueSource, str] = {
    "pbx": "Handle time is from the answer to the end of the call, as the telephone system "
    "logged them, and the queue's wrap-up time after it.",
    "contacts": "Handle time is from the answer to the end of wrap-up.",
}

QUEUE_COLUMNS = (
    "queue",
    "offered",
    "answered",
    "abandoned (short)",
    "abandonment",
    "service level",
    "speed of answer",
    "handle time",
)
ALL_QUEUES = "all queues"


def queue_rows(q: QueueReport) -> Iterator[Row]:
    """The queue figures as CSV rows: where they came from, the total, then each queue's
    (its name in the breakdown column)."""
    yield ("queue", "source", "", q.source, "")
    yield from _figure_rows(q, "", thresholds=True)
    for name, numbers in q.by_queue.items():
        yield from _figure_rows(numbers, name, thresholds=False)


def _figure_rows(q: QueueNumbers, breakdown: str, *, thresholds: bool) -> Iterator[Row]:
    yield ("queue", "offered", breakdown, q.offered, "")
    yield ("queue", "answered", breakdown, q.answered, "")
    yield ("queue", "abandoned", breakdown, q.abandoned, "")
    yield ("queue", "short_abandoned", breakdown, q.short_abandoned, "")
    yield ("queue", "abandon_rate", breakdown, q.abandon_rate.rate, q.abandon_rate.n)
    yield ("queue", "service_level", breakdown, q.service_level.rate, q.service_level.n)
    if thresholds:  # the same for every queue: given once, with the total
        yield ("queue", "service_level_seconds", "", q.service_level_seconds, "")
        yield ("queue", "short_abandon_seconds", "", q.short_abandon_seconds, "")
    yield ("queue", "asa_seconds", breakdown, q.asa_seconds, "")
    yield ("queue", "aht_seconds", breakdown, q.aht_seconds, "")


def seconds_words(value: float | None) -> str:
    return "not available" if value is None else f"{value:g} s"


def queue_table(q: QueueReport) -> list[tuple[str, ...]]:
    """One line a queue, then all queues together: the cells of QUEUE_COLUMNS."""

    def cells(name: str, n: QueueNumbers) -> tuple[str, ...]:
        return (
            name,
            str(n.offered),
            str(n.answered),
            f"{n.abandoned} ({n.short_abandoned})",
            n.abandon_rate.words(),
            n.service_level.words(),
            seconds_words(n.asa_seconds),
            seconds_words(n.aht_seconds),
        )

    return [cells(name, n) for name, n in q.by_queue.items()] + [cells(ALL_QUEUES, q)]


def queue_note(q: QueueReport) -> str:
    """Where the figures came from and what they rest on, in a few sentences."""
    return (
        f"{SOURCE_WORDS[q.source]} Short abandons: under {q.short_abandon_seconds} s; "
        f"service level: answered within {q.service_level_seconds} s. "
        f"{HANDLE_TIME_WORDS[q.source]}"
    )


def queue_markdown(q: QueueReport) -> list[str]:
    lines = [
        "",
        "## The queue",
        "",
        queue_note(q),
        "",
        "| " + " | ".join(QUEUE_COLUMNS) + " |",
        "|" + "---|" * len(QUEUE_COLUMNS),
    ]
    return lines + ["| " + " | ".join(row) + " |" for row in queue_table(q)]
