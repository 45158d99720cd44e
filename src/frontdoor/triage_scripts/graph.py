"""The graph algorithms lint runs over a script, each linear in the script's size.

A script is a graph of named nodes; `successors` maps every node to the names its
answers lead to (a name that is not a key is a node that does not exist: R1 reports
it, and these functions pass it by). Nothing here recurses, so a script of any depth
is walked on a stack of our own, and nothing iterates "until nothing changes" over the
whole script: a script written in reverse order costs what one in order does.

`Work` counts the steps each function takes (a node visited, an edge followed), so a
test can check that the work grows with the size of the script and no faster, without
timing anything.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass
class Work:
    steps: int = 0


Successors = Mapping[str, Sequence[str]]


def reachable(start: str, successors: Successors, work: Work | None = None) -> set[str]:
    """The nodes a call can reach from `start` (breadth first)."""
    work = work or Work()
    if start not in successors:
        return set()
    seen = {start}
    todo = [start]
    while todo:
        name = todo.pop()
        work.steps += 1
        for target in successors[name]:
            work.steps += 1
            if target not in seen and target in successors:
                seen.add(target)
                todo.append(target)
    return seen


def reaching(targets: Iterable[str], successors: Successors, work: Work | None = None) -> set[str]:
    """The nodes from which some path leads to one of `targets` (themselves included):
    breadth first over the graph with its edges turned round."""
    work = work or Work()
    predecessors: dict[str, list[str]] = {}
    for name, after in successors.items():
        for target in after:
            work.steps += 1
            predecessors.setdefault(target, []).append(name)
    seen = set(targets)
    todo = list(seen)
    while todo:
        name = todo.pop()
        work.steps += 1
        for before in predecessors.get(name, ()):
            work.steps += 1
            if before not in seen:
                seen.add(before)
                todo.append(before)
    return seen


def reverse_postorder(start: str, successors: Successors, work: Work | None = None) -> list[str]:
    """The nodes reachable from `start`, each before the nodes it leads to wherever the
    graph has no loop (a depth-first search on a stack of its own)."""
    work = work or Work()
    if start not in successors:
        return []
    order: list[str] = []
    seen = {start}
    stack: list[tuple[str, int]] = [(start, 0)]
    while stack:
        name, index = stack[-1]
        after = successors[name]
        work.steps += 1
        if index < len(after):
            stack[-1] = (name, index + 1)
            target = after[index]
            if target not in seen and target in successors:
                seen.add(target)
                stack.append((target, 0))
        else:
            stack.pop()
            order.append(name)
    order.reverse()
    return order


def surely_done(
    start: str,
    successors: Successors,
    gen: Mapping[str, int],
    at_start: int = 0,
    work: Work | None = None,
) -> dict[str, int]:
    """For each node reachable from `start`, what is surely done on entry to it on every
    path from `start`, as a bit set (a Python int): the meet over its predecessors of
    what they surely did on entry, with what they do themselves (`gen`) added.

    Nodes are taken in reverse postorder from a priority queue, so where the graph has
    no loop each node is taken once, after everything that leads to it; a loop takes
    the nodes in it again only while what is known on entry shrinks. A node that cannot
    be reached is left out.
    """
    work = work or Work()
    order = reverse_postorder(start, successors, work)
    rank = {name: i for i, name in enumerate(order)}
    everything = -1  # every bit set: the meet of no paths yet
    entry = dict.fromkeys(order, everything)
    entry[start] = at_start
    queue = [0]
    queued = {start}
    while queue:
        name = order[heapq.heappop(queue)]
        queued.discard(name)
        work.steps += 1
        leaving = entry[name] | gen.get(name, 0)
        for target in successors[name]:
            work.steps += 1
            if target not in rank:
                continue
            narrowed = entry[target] & leaving
            if narrowed != entry[target]:
                entry[target] = narrowed
                if target not in queued:
                    queued.add(target)
                    heapq.heappush(queue, rank[target])
    return entry


def first_cycle(start: str, next_of: Mapping[str, str]) -> list[str]:
    """Following `next_of` from `start` until a name comes round again: the names in
    order, ending with the one that repeats (or with a name that has no next)."""
    path = [start]
    seen = {start}
    name = start
    while name in next_of:
        name = next_of[name]
        path.append(name)
        if name in seen:
            break
        seen.add(name)
    return path
