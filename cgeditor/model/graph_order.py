"""The one topological order every walk of a graph follows (evaluation, backpropagation,
narration, export): Kahn's algorithm taking the ready node earliest in the document first."""

from __future__ import annotations

import heapq
import operator
from typing import Container, Mapping, Sequence

from cgeditor.model.node import Edge


def document_order(ids: Sequence[str], out: Mapping[str, Sequence[Edge]], edges: Sequence[Edge] | None,
                   members: Container[str] | None) -> tuple[str, ...]:
    """`ids` (document order, already restricted to `members`) with every node after the nodes
    that feed it and otherwise as early as its place in the document.  `edges` is every edge of
    the graph when `members` is None.  Nodes on a cycle, or downstream of one, are left out.

    A document whose edges all point forward is its own order: checking that is one pass,
    which makes the common case (files written in order, graphs built node by node) cheap."""
    position = {n: k for k, n in enumerate(ids)}
    if members is None:  # every edge counts: compared in C, a pass costs little at 200k edges
        at = position.__getitem__
        forward = all(map(operator.lt, map(at, map(_SOURCE, edges)), map(at, map(_TARGET, edges))))
    else:
        forward = all(position[e.source] < position[e.target]
                      for n in ids for e in out[n] if e.target in position)
    if forward:
        return tuple(ids)
    waiting = [0] * len(ids)
    for n in ids:
        for e in out[n]:
            k = position.get(e.target)
            if k is not None:
                waiting[k] += 1
    ready = [k for k, w in enumerate(waiting) if w == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        n = ids[heapq.heappop(ready)]
        order.append(n)
        for e in out[n]:
            k = position.get(e.target)
            if k is not None:
                waiting[k] -= 1
                if waiting[k] == 0:
                    heapq.heappush(ready, k)
    return tuple(order)


_SOURCE = operator.attrgetter("source")
_TARGET = operator.attrgetter("target")
