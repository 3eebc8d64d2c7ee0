"""The cycles of a graph: its strongly connected components that close a loop.

Asked for only once a topological order has come up short, and then over the nodes it left
out alone.  One iterative pass (Tarjan's algorithm) over plain dicts: refusing a cycle through
200,000 nodes must cost about what evaluating that many nodes would, not build a second graph
in a library (networkx took 5 s and 100 MB for it), and no depth may exhaust the stack.
"""

from __future__ import annotations

from typing import Callable, Iterable


def rings(members: list[str], successors: Callable[[str], Iterable[str]]) -> list[list[str]]:
    """Every component among `members` (ids in document order) of two or more nodes, or of one
    that feeds itself; each ring's ids in document order, rings in the order of their first
    member.  `successors(n)` gives the nodes `n` feeds (any outside `members` are ignored).

    The walk runs over positions in `members` and flat lists, asked of `successors` once per
    node: dicts keyed by id and a successor call per visit made it several seconds at 200k."""
    position = {n: k for k, n in enumerate(members)}
    succ = [[position[t] for t in successors(m) if t in position] for m in members]
    index = [-1] * len(members)
    low = [0] * len(members)
    on_stack = bytearray(len(members))
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(len(members)):
        if index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        work = [(root, iter(succ[root]))]
        while work:
            node, rest = work[-1]
            for nxt in rest:
                if index[nxt] < 0:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack[nxt] = 1
                    work.append((nxt, iter(succ[nxt])))
                    break
                if on_stack[nxt] and index[nxt] < low[node]:
                    low[node] = index[nxt]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    ring = _pop_component(stack, on_stack, node)
                    if len(ring) > 1 or node in succ[node]:
                        ring.sort()
                        found.append(ring)
    found.sort(key=lambda ring: ring[0])
    return [[members[k] for k in ring] for ring in found]


def _pop_component(stack: list[int], on_stack: bytearray, root: int) -> list[int]:
    """The component whose root is `root`: the stack down to it, taken off."""
    at = len(stack) - 1
    while stack[at] != root:
        at -= 1
    ring = stack[at:]
    del stack[at:]
    for k in ring:
        on_stack[k] = 0
    return ring
