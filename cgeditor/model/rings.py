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
    member.  `successors(n)` gives the nodes `n` feeds (any outside `members` are ignored)."""
    position = {n: k for k, n in enumerate(members)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in members:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors(root)))]
        while work:
            node, rest = work[-1]
            for nxt in rest:
                if nxt not in position:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(successors(nxt))))
                    break
                if nxt in on_stack and index[nxt] < low[node]:
                    low[node] = index[nxt]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    ring = _pop_component(stack, on_stack, node)
                    if len(ring) > 1 or node in successors(node):
                        found.append(sorted(ring, key=position.__getitem__))
    found.sort(key=lambda ring: position[ring[0]])
    return found


def _pop_component(stack: list[str], on_stack: set[str], root: str) -> list[str]:
    """The component whose root is `root`: the stack down to it, taken off."""
    at = len(stack) - 1
    while stack[at] != root:
        at -= 1
    ring = stack[at:]
    del stack[at:]
    on_stack.difference_update(ring)
    return ring
