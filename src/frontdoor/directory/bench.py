"""The directory search benchmark: our index against the plain rapidfuzz search a first
version would write, on synthetic directories of growing size, plus quality on labelled
queries against real data. Figures are printed, never asserted: machines differ."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process, utils

from frontdoor.directory.bench_keystroke import time_build, time_keystrokes
from frontdoor.directory.imports import read_feed
from frontdoor.directory.model import Service
from frontdoor.directory.search import SearchIndex, Synonyms
from frontdoor.directory.synthetic import build, queries

BASELINE_SAMPLE_FROM = 50_000  # at this size and over, the baseline is timed on 20 queries


def baseline_choices(services: Sequence[Service]) -> list[str]:
    """One string per service, as a first version would search."""
    return [
        " ".join([s.name, s.organisation or "", " ".join(s.tags), s.description]) for s in services
    ]


def baseline_search(query: str, choices: list[str], limit: int = 5) -> list[int]:
    found = process.extract(
        query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit
    )
    return [index for _, _, index in found]


def _percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def _time(run: Callable[[str], Any], query_list: list[str]) -> list[float]:
    timings = []
    for query in query_list:
        start = time.perf_counter()
        run(query)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_size(size: int, query_count: int, seed: int, synonyms: Synonyms) -> dict[str, float]:
    directory = build(size, seed)
    index = SearchIndex(directory.services, synonyms)
    choices = baseline_choices(directory.services)
    query_list = queries(directory, query_count, seed + 1)

    def ours(query: str) -> None:
        index._similar_cache.clear()  # time the cold path: no help from earlier queries
        index.search(query, limit=5)

    for query in query_list[:5]:
        ours(query)  # warm the interpreter, not the cache
    ours_ms = _time(ours, query_list)
    baseline_queries = query_list[:20] if size >= BASELINE_SAMPLE_FROM else query_list
    baseline_ms = _time(lambda q: baseline_search(q, choices), baseline_queries)
    row = {
        "ours_p50_ms": round(_percentile(ours_ms, 0.50), 4),
        "ours_p95_ms": round(_percentile(ours_ms, 0.95), 4),
        "baseline_p50_ms": round(_percentile(baseline_ms, 0.50), 3),
        "baseline_p95_ms": round(_percentile(baseline_ms, 0.95), 3),
        "baseline_queries": len(baseline_queries),
        "queries": len(query_list),
    }
    row["ratio_p95"] = round(row["baseline_p95_ms"] / max(row["ours_p95_ms"], 1e-6), 1)
    return row


def labelled_queries(name: str = "north-lincolnshire-queries") -> dict[str, Any]:
    path = resources.files("frontdoor.directory") / "quality" / f"{name}.yaml"
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def measure_quality(
    path: Path, synonyms: Synonyms, today: dt.date, name: str = "north-lincolnshire-queries"
) -> dict[str, Any]:
    """Share of labelled queries with a right answer in the top 5, ours and the baseline's."""
    services = read_feed(path, today).services
    index = SearchIndex(services, synonyms)
    # in the index's order of equal scores (by name), as the baseline has always been timed
    services = sorted(services, key=lambda s: (s.name.casefold(), s.id))
    choices = baseline_choices(services)
    labelled = labelled_queries(name)["queries"]
    ours_hits = baseline_hits = 0
    misses = []
    timings = []
    for item in labelled:
        expected = tuple(item["expect"])
        index._similar_cache.clear()
        start = time.perf_counter()
        ours = [r.service.id for r in index.search(item["query"], limit=5)]
        timings.append((time.perf_counter() - start) * 1000)
        theirs = [services[i].id for i in baseline_search(item["query"], choices)]
        hit = any(i.startswith(expected) for i in ours)
        ours_hits += hit
        baseline_hits += any(i.startswith(expected) for i in theirs)
        if not hit:
            misses.append(item["query"])
    return {
        "queries": len(labelled),
        "ours_top5": round(ours_hits / len(labelled), 3),
        "baseline_top5": round(baseline_hits / len(labelled), 3),
        "ours_missed": misses,
        "services": len(services),
        "ours_p95_ms": round(_percentile(timings, 0.95), 3),
    }


@dataclass(frozen=True)
class PanelBench:
    """The per-keystroke and build figures: sizes, and how often each is repeated (the
    medians are printed). A size of 0 leaves that part out."""

    keystroke_size: int = 10_000
    keystroke_queries: int = 40
    build_size: int = 100_000
    runs: int = 3


def run_bench(
    sizes: list[int],
    query_count: int,
    seed: int,
    quality_data: Path | None,
    synonym_groups: list[list[str]],
    today: dt.date,
    progress: Callable[[str], None] | None = None,
    panel: PanelBench | None = None,
) -> dict[str, Any]:
    synonyms = Synonyms.from_groups(synonym_groups)
    result: dict[str, Any] = {"sizes": {}}
    panel = panel or PanelBench()
    if panel.keystroke_size:
        if progress:
            progress(f"typing searches into {panel.keystroke_size} services, as the panel...")
        figures = time_keystrokes(
            panel.keystroke_size, panel.keystroke_queries, seed, synonyms, panel.runs
        )
        result["keystroke"] = asdict(figures)
    if panel.build_size:
        if progress:
            progress(f"building the index of {panel.build_size} services in new processes...")
        result["build"] = asdict(time_build(panel.build_size, seed, panel.runs))
    for size in sizes:
        if progress:
            progress(f"building and timing {size} services...")
        result["sizes"][str(size)] = time_size(size, query_count, seed, synonyms)
    if quality_data is not None:
        result["quality"] = measure_quality(quality_data, synonyms, today)
        result["quality_held_out"] = measure_quality(
            quality_data, synonyms, today, "north-lincolnshire-held-out"
        )
    return result


def describe(result: dict[str, Any]) -> list[str]:
    """The benchmark's figures in full words, with their units and what "ours" and
    "baseline" are, for `frontdoor directory bench` (the --json keys are for programs)."""
    lines = [
        "The directory search benchmark: the time one search takes, in milliseconds (ms).",
        "Ours: Front Door's search index (whole words, endings, typing errors and synonyms, "
        "ranked). Baseline: the search a first version would write, rapidfuzz's WRatio "
        "over one string per service (name, organisation, tags and description).",
        "Each size is a made-up directory of that many services. Median: half the searches "
        "took less. 95th percentile: 95 searches in 100 took less.",
    ]
    for size, row in result["sizes"].items():
        sampled = (
            f" (the baseline timed on {row['baseline_queries']} of them)"
            if row["baseline_queries"] < row["queries"]
            else ""
        )
        lines.append(
            f"{int(size):>7,} services, {row['queries']} searches{sampled}: ours median "
            f"{row['ours_p50_ms']:.3f} ms, 95th percentile {row['ours_p95_ms']:.3f} ms; "
            f"baseline median {row['baseline_p50_ms']:.2f} ms, 95th percentile "
            f"{row['baseline_p95_ms']:.2f} ms; at the 95th percentile the baseline takes "
            f"{row['ratio_p95']:.1f} times as long as ours"
        )
    lines += describe_panel(result)
    for key, what in (("quality", "labelled"), ("quality_held_out", "held-out labelled")):
        quality = result.get(key)
        if quality:
            lines.append(
                f"Quality on {quality['queries']} {what} searches of the North Lincolnshire "
                f"directory ({quality['services']:,} services): a right service in the first "
                f"5 results for {quality['ours_top5']:.0%} of them (ours) and "
                f"{quality['baseline_top5']:.0%} (baseline)."
            )
    return lines


def _spread(figures: dict[str, float]) -> str:
    return (
        f"median {figures['p50_ms']:.2f} ms, 95th percentile {figures['p95_ms']:.2f} ms, "
        f"longest {figures['max_ms']:.2f} ms"
    )


def describe_panel(result: dict[str, Any]) -> list[str]:
    """The per-keystroke and build figures in words (see bench_keystroke)."""
    lines = []
    keystroke = result.get("keystroke")
    if keystroke:
        lines += [
            f"Searching as the directory panel does, one search per keystroke "
            f"({keystroke['keystrokes']} keystrokes, {keystroke['size']:,} services; the "
            f"median of {keystroke['runs']} runs, each from a newly built index):",
            "  ours with the person's age, area and caller type: " + _spread(keystroke["ours"]),
            "  ours with those and open now (at each keystroke's moment): "
            + _spread(keystroke["ours_open_now"]),
            "    the same searches in CPU time (what they cost, whatever else the machine "
            "ran): " + _spread(keystroke["ours_open_now_cpu"]),
            "  baseline, rapidfuzz's WRatio over the names: " + _spread(keystroke["baseline"]),
            "  the machine's load averages at the end (1, 5 and 15 minutes): "
            + ", ".join(f"{n:.2f}" for n in keystroke["load"]),
        ]
    built = result.get("build")
    if built:
        lines += [
            f"Building the index of {built['size']:,} services read from a database, each "
            f"build in a new process (the median of {built['runs']} runs): ours "
            f"{built['ours_build_s']:.2f} s ({built['ours_build_cpu_s']:.2f} s of CPU), the "
            f"baseline's one string per service {built['baseline_build_s']:.2f} s.",
            f"  The process's peak resident size (VmHWM): {built['directory_mb']:.0f} MB "
            f"before reading, {built['ours_peak_mb']:.0f} MB with our index built, "
            f"{built['baseline_peak_mb']:.0f} MB with the baseline's strings made.",
        ]
    return lines
