"""The building blocks of the layered layout's steps, each a small pure function over node
indices: cycle breaking, layer assignment, crossing counts between layers, and the ordered
least-squares fit that places a layer's nodes."""

from __future__ import annotations

from bisect import bisect_left
from collections import deque


def acyclic(arcs: list[tuple[int, int, int]], n: int) -> list[tuple[int, int, int]]:
    """The arcs with those that close a cycle (found depth-first, in node order) reversed."""
    succ: list[list[int]] = [[] for _ in range(n)]
    for k, (u, v, _) in enumerate(arcs):
        succ[u].append(k)
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    back = set()
    for start in range(n):
        if state[start]:
            continue
        state[start] = 1
        stack = [(start, iter(succ[start]))]
        while stack:
            u, it = stack[-1]
            k = next(it, None)
            if k is None:
                state[u] = 2
                stack.pop()
                continue
            v = arcs[k][1]
            if state[v] == 1:
                back.add(k)
            elif state[v] == 0:
                state[v] = 1
                stack.append((v, iter(succ[v])))
    return [(v, u, p) if k in back else (u, v, p) for k, (u, v, p) in enumerate(arcs)]


def assign_layers(n: int, arcs: list[tuple[int, int, int]]) -> list[int] | None:
    """Longest path from the sources, then each source moved next to its nearest consumer;
    None if the arcs close a cycle (the walk from the sources then never reaches some nodes)."""
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for u, v, _ in arcs:
        preds[v].append(u)
        succs[u].append(v)
    indegree = [len(p) for p in preds]
    queue = deque(v for v in range(n) if indegree[v] == 0)
    layer = [0] * n
    reached = 0
    while queue:
        u = queue.popleft()
        reached += 1
        for v in succs[u]:
            layer[v] = max(layer[v], layer[u] + 1)
            indegree[v] -= 1
            if indegree[v] == 0:
                queue.append(v)
    if reached < n:
        return None
    for v in range(n):
        if not preds[v] and succs[v]:
            layer[v] = min(layer[w] for w in succs[v]) - 1
    low = min(layer)
    return [lay - low for lay in layer]


def crossed(a: tuple[list, list], b: tuple[list, list]) -> int:
    """Crossings between the wires of two nodes of one layer when node a sits above node b."""
    return sum(bisect_left(b[0], x) for x in a[0]) + sum(bisect_left(b[1], x) for x in a[1])


def ranks(order: list[list[int]], n: int) -> list[int]:
    rank = [0] * n
    for lay in order:
        for r, v in enumerate(lay):
            rank[v] = r
    return rank


def inversions(pairs: list[tuple[int, tuple[int, float]]]) -> int:
    """Pairs (a, b) with a_i < a_j but b_i > b_j: wires between two layers that cross."""
    pairs.sort()
    keys = {b: i + 1 for i, b in enumerate(sorted({b for _, b in pairs}))}
    tree = [0] * (len(keys) + 1)
    count = 0
    for seen, (_, b) in enumerate(pairs):
        i = keys[b]
        not_above = 0
        j = i
        while j:
            not_above += tree[j]
            j -= j & -j
        count += seen - not_above
        while i < len(tree):
            tree[i] += 1
            i += i & -i
    return count


def ordered_fit(wanted: list[float], offsets: list[float]) -> list[float]:
    """Least-squares closest positions to `wanted` that keep the order and the minimum gaps.

    With z_i = y_i - offset_i the gaps become z non-decreasing, so this is isotonic regression,
    solved by pooling adjacent violators.
    """
    blocks: list[list[float]] = []  # [mean, weight]
    for w, off in zip(wanted, offsets):
        blocks.append([w - off, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2 = blocks.pop()
            m1, w1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2])
    z = [m for m, w in blocks for _ in range(int(w))]
    return [zi + off for zi, off in zip(z, offsets)]
