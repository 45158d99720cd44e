"""The `contacts import` bench's two ways load the same file to the same contacts and
referrals (so the figures it prints compare like with like); no timing is asserted."""

from __future__ import annotations

from frontdoor.console.import_bench import (
    ImportBench,
    Run,
    Way,
    describe,
    streamed,
    whole_file,
    write_file,
)
from tests.referrals.test_contacts_file import second_front


def test_the_whole_file_way_and_the_streamed_way_load_the_same(
    front, tmp_path, sqlite_directory_template
):
    path = tmp_path / "contacts.jsonl"
    assert write_file(path, 300, per_month=12_000) == 300
    other = second_front(tmp_path, sqlite_directory_template)
    try:
        ours, theirs = streamed(front, path), whole_file(other, path)
        assert ours == theirs and ours[0] == 300 and ours[1] > 0
        mine = {c.id: c for c in front.record.all_contacts()}
        before = {c.id: c for c in other.record.all_contacts()}
        assert mine.keys() == before.keys()
        assert [r.due_at for c in mine for r in front.referrals.made_in(c)] == [
            r.due_at for c in before for r in other.referrals.made_in(c)
        ]
    finally:
        other.engine.dispose()


def run(way: Way, lines: int, per_cpu_second: int, peak: float) -> Run:
    return Run(
        way=way,
        lines=lines,
        contacts=lines,
        referrals=0,
        seconds=1.0,
        per_second=per_cpu_second,
        cpu_seconds=1.0,
        per_cpu_second=per_cpu_second,
        rss_before_mb=100,
        peak_rss_mb=peak,
    )


def test_the_bench_says_the_ratios_and_how_memory_grows():
    runs = [
        run("whole_file", 10_000, 1_000, 300),
        run("streamed", 10_000, 2_000, 150),
        run("streamed", 1_010_000, 2_000, 250),
    ]
    lines = describe(
        ImportBench(database="sqlite", month_lines=10_000, large_lines=1_010_000, runs=runs)
    )
    assert lines[-2:] == [
        "a month: streamed 2.00x the contacts a CPU second of the whole file (2.00x by the "
        "clock), 0.50x its peak memory",
        "streamed, 1,010,000 lines against a month: peak 250 MB against 150 MB (100 MB more "
        "a million lines)",
    ]
