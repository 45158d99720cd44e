"""`frontdoor scripts bench`: its figures are consistent with each other (never timed
against a number: machines differ)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.triage_scripts.bench import describe


def test_bench_reads_ours_and_the_baseline_and_lints_long_scripts_in_linear_steps():
    args = ["scripts", "bench", "--sizes", "20,40", "--baseline-up-to", "20", "--repeats", "1"]
    result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    reading = figures["reading"]
    assert reading["scripts"] == 10
    assert reading["ratio"] == round(reading["baseline_read_ms"] / reading["ours_read_ms"], 1)
    small, large = figures["lint"]["20"], figures["lint"]["40"]
    assert large["steps"] - 4 == 2 * (small["steps"] - 4)  # 14 a question, 4 for the end
    assert small["ratio"] == round(small["baseline_graph_ms"] / small["ours_graph_ms"], 1)
    assert "baseline_graph_ms" not in large  # only up to --baseline-up-to
    lines = describe(figures)
    assert lines[-1].startswith("    40 questions") and "in 564 steps" in lines[-1]
