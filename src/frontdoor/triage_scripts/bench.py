"""The script benchmark: reading the bundled library, and linting long scripts written
in reverse order, ours against what lint's first version did. Figures are printed,
never asserted: machines differ.

Baselines, kept here only to be measured against:
- reading: PyYAML's composer in pure Python and a recursive walk of its node tree;
- rule 2's "can reach an end" and rule 5's data-flow as fixpoints that pass over the
  whole script until nothing changes (one node's worth of progress per pass when the
  script is written in reverse order).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from frontdoor.private_files import write_private
from frontdoor.triage_scripts import conditions, graph
from frontdoor.triage_scripts.library import bundled_library_path
from frontdoor.triage_scripts.lint import (
    LintContext,
    check_graph,
    check_recorded_before_use,
    lint_paths,
)
from frontdoor.triage_scripts.loader import LoadedScript, load_text, script_files
from frontdoor.triage_scripts.model import End, Script
from frontdoor.triage_scripts.synthetic import reverse_script
from frontdoor.triage_scripts.yaml_source import FAST, load_with_lines


def _best_ms(run: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _baseline_walk(node: yaml.Node, path: tuple[Any, ...], lines: dict[Any, int]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.SequenceNode):
        return [_baseline_walk(item, (*path, i), lines) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        return {
            str(k.value): _baseline_walk(v, (*path, str(k.value)), lines) for k, v in node.value
        }
    return node.value


def baseline_read(text: str) -> Any:
    """Reading as lint's first version did: PyYAML's pure-Python composer, then a walk."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return None if node is None else _baseline_walk(node, (), {})


def baseline_graph_rules(script: Script) -> None:
    """Rule 2's "can reach an end" and rule 5's data-flow as lint's first version ran them."""
    can_finish = {n for n, node in script.nodes.items() if isinstance(node, End)}
    changed = True
    while changed:
        changed = False
        for name, node in script.questions().items():
            if name not in can_finish and any(t in can_finish for t in node.targets()):
                can_finish.add(name)
                changed = True
    all_names = {q.record for q in script.questions().values() if q.record}
    entry: dict[str, set[str]] = {name: set(all_names) for name in script.nodes}
    entry[script.start] = set()
    changed = True
    while changed:
        changed = False
        for name, node in script.questions().items():
            leaving = entry[name] | ({node.record} if node.record else set())
            for target in node.targets():
                if target in entry and target != script.start:
                    narrowed = entry[target] & leaving
                    if narrowed != entry[target]:
                        entry[target] = narrowed
                        changed = True
    for node in script.questions().values():
        for rule in node.route or []:
            if rule.if_ is not None:
                conditions.names(conditions.parse(rule.if_))


def measure_reading(repeats: int) -> dict[str, Any]:
    texts = [
        (str(p), p.read_text(encoding="utf-8")) for p in script_files([bundled_library_path()])
    ]
    ours = _best_ms(lambda: [load_with_lines(text) for _, text in texts], repeats)
    pure = _best_ms(lambda: [load_with_lines(text, pure_python=True) for _, text in texts], repeats)
    baseline = _best_ms(lambda: [baseline_read(text) for _, text in texts], repeats)
    whole = _best_ms(lambda: [load_text(text, path) for path, text in texts], repeats)
    return {
        "scripts": len(texts),
        "kilobytes": round(sum(len(t.encode()) for _, t in texts) / 1024, 1),
        "libyaml": FAST,
        "ours_read_ms": round(ours, 2),
        "ours_pure_python_read_ms": round(pure, 2),
        "baseline_read_ms": round(baseline, 2),
        "ratio": round(baseline / max(ours, 1e-6), 1),
        "ours_load_ms": round(whole, 2),
    }


def measure_lint(nodes: int, baseline: bool, folder: Path) -> dict[str, Any]:
    path = folder / f"long-{nodes}.yaml"
    text = reverse_script(nodes)
    write_private(path, text)
    context = LintContext(outcomes=None, categories=frozenset())
    start = time.perf_counter()
    _, problems = lint_paths([path], context)
    lint_ms = (time.perf_counter() - start) * 1000
    loaded = load_text(text, str(path)).loaded
    assert loaded is not None and not problems, [str(p) for p in problems]
    row: dict[str, Any] = {
        "kilobytes": round(len(text.encode()) / 1024),
        "ours_lint_ms": round(lint_ms),
        **_graph_rules(loaded),
    }
    if baseline:
        row["baseline_graph_ms"] = round(_best_ms(lambda: baseline_graph_rules(loaded.script), 1))
        row["ratio"] = round(row["baseline_graph_ms"] / max(row["ours_graph_ms"], 1e-6), 1)
    return row


def _graph_rules(loaded: LoadedScript, repeats: int = 3) -> dict[str, Any]:
    work = graph.Work()
    check_graph(loaded, work)
    check_recorded_before_use(loaded, work)
    ms = _best_ms(lambda: (check_graph(loaded), check_recorded_before_use(loaded)), repeats)
    return {"ours_graph_ms": round(ms, 1), "steps": work.steps}


def run_bench(
    sizes: list[int],
    baseline_up_to: int,
    repeats: int = 20,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {"reading": measure_reading(repeats), "lint": {}}
    with tempfile.TemporaryDirectory(prefix="frontdoor-scripts-bench-") as folder:
        for size in sizes:
            if progress:
                progress(f"linting a {size:,}-node script...")
            result["lint"][str(size)] = measure_lint(size, size <= baseline_up_to, Path(folder))
    return result


def describe(result: dict[str, Any]) -> list[str]:
    """The figures in words, with their units and what "ours" and "baseline" are."""
    reading = result["reading"]
    parser = "libyaml's parser" if reading["libyaml"] else "PyYAML's own parser (no libyaml)"
    lines = [
        "The script benchmark, in milliseconds (ms), the best of several runs.",
        f"Reading the {reading['scripts']} bundled scripts ({reading['kilobytes']} KB) into "
        f"data with line numbers: ours ({parser}, built from its events) "
        f"{reading['ours_read_ms']:.1f} ms; ours without libyaml (PyYAML's own parser, "
        f"the fallback) {reading['ours_pure_python_read_ms']:.1f} ms; baseline (PyYAML's "
        "pure-Python composer and a "
        f"recursive walk, as before) {reading['baseline_read_ms']:.1f} ms: the baseline "
        f"takes {reading['ratio']:.1f} times as long. Loading them whole (read and "
        f"validated): {reading['ours_load_ms']:.1f} ms.",
        "Linting a script of N questions in a chain, written last question first. Ours: "
        "the whole lint (reading, every rule, and its two tests), then rules 2 and 5 "
        "alone with the steps they took (nodes visited and edges followed: linear means "
        "steps per node stay the same). Baseline: rules 2 and 5 as passes over the whole "
        "script until nothing changes, as before.",
    ]
    for size, row in result["lint"].items():
        n = int(size)
        text = (
            f"{n:>6,} questions ({row['kilobytes']:,} KB): whole lint {row['ours_lint_ms']:,} "
            f"ms; rules 2 and 5 {row['ours_graph_ms']:.1f} ms in {row['steps']:,} steps "
            f"({row['steps'] / n:.1f} per question)"
        )
        if "baseline_graph_ms" in row:
            text += (
                f"; baseline rules 2 and 5 {row['baseline_graph_ms']:,} ms, "
                f"{row['ratio']:.0f} times as long"
            )
        lines.append(text)
    return lines
