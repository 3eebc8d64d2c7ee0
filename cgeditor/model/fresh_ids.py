"""Fresh node ids, O(1) amortised: stem itself if free, else stem2, stem3, … — the first free one.

Searching from 2 on every request made pasting n copies of `x` O(n²).  A counter per stem
remembers where the last search stopped; it gives exactly the ids the search from 2 would,
because everything below it is still taken: ids only stop being taken when a node is removed,
and `forget` then drops the counters that removal could affect.  Ids reserved by the caller
(given out for nodes still to be added, as a paste does) are remembered for as long as the
caller passes the same container, which, like the graph, only grows between requests.
"""

from __future__ import annotations

from typing import Container


class FreshIds:
    def __init__(self) -> None:
        self._next: dict[str, int] = {}  # stem → n: every stem{j}, 2 ≤ j < n, is a node id
        self._reserved: Container[str] | None = None  # the container `_reserved_next` counts over
        self._reserved_next: dict[str, int] = {}  # stem → n: every stem{j} below it is taken or reserved

    def fresh(self, stem: str, nodes: Container[str], reserved: Container[str]) -> str:
        if stem not in nodes and stem not in reserved:
            return stem
        i = self._next.get(stem, 2)
        while f"{stem}{i}" in nodes:
            i += 1
        self._next[stem] = i
        if reserved is not self._reserved:
            self._reserved, self._reserved_next = reserved, {}
        i = max(i, self._reserved_next.get(stem, i))
        while (candidate := f"{stem}{i}") in nodes or candidate in reserved:
            i += 1
        self._reserved_next[stem] = i  # not i + 1: the caller may never add it
        return candidate

    def forget(self, node_id: str) -> None:
        """`node_id` is free again: drop the counters of every stem it could be numbered under."""
        for k in range(len(node_id) - 1, 0, -1):
            if not node_id[k].isdigit():
                break
            self._next.pop(node_id[:k], None)
            self._reserved_next.pop(node_id[:k], None)
